"""PostgreSQL column names in key parts and INCLUDE lists are case-sensitive: an index on
("Email") and one on (email) are different indexes, on the real server and through the
catalog CSV and JSON snapshots; MySQL-family sources keep folding column case."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from postgres_apply import finding_set, index_state, migrate_files, psql

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.model.tables import Index, KeyPart, Snapshot
from indexdrift.sources import open_source
from indexdrift.sources.snapshot import load_snapshot, save_snapshot

TABLE = ('CREATE TABLE users (id int PRIMARY KEY, "Email" text, email text, "Name" text, '
         'name text);\n')

PRD = TABLE + """
CREATE INDEX ix_mail ON users ("Email");
CREATE INDEX ix_cover ON users (id) INCLUDE ("Name");
ALTER TABLE users ADD CONSTRAINT uq_mail UNIQUE ("Email", id);
"""

DEV = TABLE + """
CREATE INDEX ix_mail ON users (email);
CREATE INDEX ix_cover ON users (id) INCLUDE (name);
ALTER TABLE users ADD CONSTRAINT uq_mail UNIQUE (email, id);
INSERT INTO users VALUES (1, 'A@x', 'a@x', 'A', 'a'), (2, 'A@x', 'b@x', 'B', 'b');
"""


@pytest.mark.postgres
def test_column_case_is_a_changed_finding_that_converges(postgres, tmp_path):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, PRD)
    postgres.run(dev, DEV)
    original = finding_set(postgres, prd, dev)
    assert original == {("changed", "users", "ix_mail", ("columns",)),
                        ("changed", "users", "ix_cover", ("include",)),
                        ("changed", "users", "uq_mail", ("columns",))}
    before = index_state(postgres, dev)
    # The identifiers are quoted, so the migration builds on the other column.
    out = tmp_path / "out"
    migrate_files(postgres, prd, dev, out, "plain")
    up = (out / "dev.sql").read_text()
    assert '"public"."users" ("Email")' in up and 'INCLUDE ("Name")' in up
    psql(dev, up)
    assert finding_set(postgres, prd, dev) == set()
    psql(dev, (out / "dev.rollback.sql").read_text())
    assert finding_set(postgres, prd, dev) == original
    assert index_state(postgres, dev) == before


@pytest.mark.postgres
def test_both_spellings_indexed_is_no_drift_in_every_form(postgres, tmp_path):
    db = postgres.create_db("x")
    postgres.run(db, TABLE + """
CREATE INDEX ix_upper ON users ("Email") INCLUDE ("Name");
CREATE INDEX ix_lower ON users (email) INCLUDE (name);
""")
    live = open_source(postgres.url(db), "live")
    upper, lower = live.tables["users"].indexes["ix_upper"], live.tables["users"].indexes[
        "ix_lower"]
    assert not upper.equivalent(lower)  # not a rename of each other, not duplicates
    assert compare({"a": live, "b": open_source(postgres.url(db), "b")}, "a").findings == []
    csv_path, json_path = tmp_path / "x.csv", tmp_path / "x.json"
    result = CliRunner().invoke(cli, ["export", f"x={postgres.url(db)}", "-o", str(csv_path)])
    assert result.exit_code == 0, result.output
    save_snapshot(live, str(json_path))
    for back in (open_source(str(csv_path), "x"), load_snapshot(str(json_path))):
        ix = back.tables["users"].indexes
        assert ix["ix_upper"].parts[0].exact_column and ix["ix_upper"].parts[0].column == "Email"
        assert ix["ix_upper"].full_key() == upper.full_key()
        assert compare({"live": live, "back": back}, "live").findings == []
        # The same file compared against the env with the other spelling is drift.
        assert not ix["ix_upper"].equivalent(ix["ix_lower"])


def test_snapshot_without_exact_column_follows_the_flavor(tmp_path):
    db_path = tmp_path / "s.json"
    parts = (KeyPart(column="Email", exact_column=True),)
    snap = Snapshot(source="x", schema="public", flavor="postgresql", version="15.0")
    snap.table("t").add(Index(table="t", name="i", parts=parts, exact_name=True))
    save_snapshot(snap, str(db_path))
    data = json.loads(db_path.read_text())
    index = data["tables"][0]["indexes"][0]
    assert "exact_column" not in index["parts"][0]  # written only when not the index's
    assert load_snapshot(str(db_path)).tables["t"].indexes["i"].parts[0].exact_column
    # A file written before either field existed: PostgreSQL's column names are exact.
    index.pop("exact_name")
    db_path.write_text(json.dumps(data))
    assert load_snapshot(str(db_path)).tables["t"].indexes["i"].parts[0].exact_column
    data["flavor"] = "mysql"
    db_path.write_text(json.dumps(data))
    assert not load_snapshot(str(db_path)).tables["t"].indexes["i"].parts[0].exact_column


def test_mysql_family_key_parts_still_fold_column_case():
    folded = Index(table="t", name="i", parts=(KeyPart(column="Email"),), include=("Name",))
    other = Index(table="t", name="I", parts=(KeyPart(column="email"),), include=("name",))
    assert folded.equals(other)
    exact = Index(table="t", name="i", parts=(KeyPart(column="Email", exact_column=True),),
                  include=("Name",), exact_name=True)
    exact_other = Index(table="t", name="i", parts=(KeyPart(column="email", exact_column=True),),
                        include=("Name",), exact_name=True)
    assert not exact.equivalent(exact_other)
    assert not exact.equivalent(Index(table="t", name="i", parts=exact.parts,
                                      include=("name",), exact_name=True))
