"""Snapshot files: every model field survives a round trip; other versions are never misread."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.errors import InputError
from indexdrift.model.tables import ForeignKey, Index, KeyPart, Snapshot, Table
from indexdrift.sources import open_source
from indexdrift.sources.snapshot import FORMAT_VERSION, load_snapshot, save_snapshot, snapshot_json

EXAMPLES = Path(__file__).parent.parent / "examples"


def rich_snapshot() -> Snapshot:
    """A snapshot using every field, PostgreSQL ones included."""
    snap = Snapshot(source="postgresql://app@db/shop", schema="public", flavor="postgresql",
                    version="15.4", warnings=["a warning"], has_details=True)
    orders = Table("orders", size_bytes=123456, engine=None, auto_increment_column="id",
                   foreign_keys=(ForeignKey("orders", "fk_user", ("user_id",)),))
    orders.add(Index("orders", "orders_pkey", (KeyPart("id"),), unique=True, primary=True,
                     constraint="p"))
    orders.add(Index("orders", "ix_open", (
        KeyPart("user_id", opclass="int4_ops", collation=None, nulls_first=True),
        KeyPart(None, expression="lower(email)", descending=True, collation="C"),
    ), include=("total",), predicate="(status = 'open'::text)", index_type="BTREE",
        comment="it's hot", visible=True, valid=False))
    orders.add(Index("orders", "uq_code", (KeyPart("code", sub_part=10),), unique=True,
                     nulls_not_distinct=True, constraint="u"))
    orders.add(Index("orders", "ft_body", (KeyPart("body"),), index_type="FULLTEXT",
                     parser="ngram", visible=False))
    snap.tables["orders"] = orders
    snap.tables["zz_τable `q`"] = Table("zz_τable `q`")
    return snap


def assert_same(a: Snapshot, b: Snapshot) -> None:
    assert (a.schema, a.flavor, a.version, a.has_details, a.warnings) == \
        (b.schema, b.flavor, b.version, b.has_details, b.warnings)
    assert set(a.tables) == set(b.tables)
    for name, table in a.tables.items():
        other = b.tables[name]
        assert (table.size_bytes, table.engine, table.auto_increment_column,
                table.foreign_keys) == (other.size_bytes, other.engine,
                                        other.auto_increment_column, other.foreign_keys)
        assert table.indexes == other.indexes  # dataclass equality: every field


@pytest.mark.parametrize("name", ["snap.json", "snap.json.gz"])
def test_every_field_survives_a_round_trip(tmp_path, name):
    original = rich_snapshot()
    path = tmp_path / name
    save_snapshot(original, str(path))
    loaded = load_snapshot(str(path))
    assert_same(original, loaded)
    assert "snapshot of postgresql://app@db/shop" in loaded.source
    assert compare({"a": original, "b": loaded}, "a").findings == []


def test_gzip_snapshot_bytes_are_reproducible(tmp_path):
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    save_snapshot(rich_snapshot(), str(tmp_path / "a.json.gz"), when)
    save_snapshot(rich_snapshot(), str(tmp_path / "b.json.gz"), when)
    assert (tmp_path / "a.json.gz").read_bytes() == (tmp_path / "b.json.gz").read_bytes()


def test_snapshot_command_then_compare_with_the_csv_is_clean(tmp_path):
    out = tmp_path / "prd.json.gz"
    runner = CliRunner()
    made = runner.invoke(cli, ["snapshot", str(EXAMPLES / "indexes_prd.csv"), "-o", str(out)])
    assert made.exit_code == 0, made.output
    assert json.loads(gzip.decompress(out.read_bytes()))["format_version"] == FORMAT_VERSION
    result = runner.invoke(cli, ["compare", f"prd={out}",
                                 f"csv={EXAMPLES / 'indexes_prd.csv'}", "--no-usage"])
    assert result.exit_code == 0, result.output
    # And the snapshot is a source like any other: drift against stg is found.
    drift = runner.invoke(cli, ["compare", f"prd={out}", str(EXAMPLES / "indexes_stg.csv"),
                                "--no-usage", "--format", "json"])
    assert drift.exit_code == 1 and json.loads(drift.stdout)["findings"]


def _write(tmp_path: Path, doc: object, name: str = "s.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_newer_format_is_rejected_with_an_upgrade_hint(tmp_path):
    doc = snapshot_json(rich_snapshot())
    doc["format_version"] = FORMAT_VERSION + 1
    doc["tool"] = "indexdrift 9.0"
    with pytest.raises(InputError, match="newer indexdrift.*upgrade"):
        load_snapshot(_write(tmp_path, doc))


def test_unknown_older_format_is_rejected(tmp_path):
    doc = snapshot_json(rich_snapshot())
    doc["format_version"] = 0
    with pytest.raises(InputError, match="too old"):
        load_snapshot(_write(tmp_path, doc))


def test_a_drift_report_is_not_taken_for_a_snapshot(tmp_path):
    report = {"schema_version": 1, "findings": []}
    with pytest.raises(InputError, match="drift report"):
        load_snapshot(_write(tmp_path, report))


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["tables"][0]["indexes"][0].update(parts=[]), "at least one key part"),
    (lambda d: d["tables"][0]["indexes"][0].update(unique="yes"), "true or false"),
    (lambda d: d["tables"][0]["indexes"][0]["parts"][0].update(sub_part=-1), "whole number"),
    (lambda d: d["tables"][0].update(name=None), "string is required"),
    (lambda d: d["tables"].append(d["tables"][0]), "appears twice"),
    (lambda d: d.pop("tables"), "expected a list"),
])
def test_damaged_snapshots_name_the_json_path(tmp_path, mutate, message):
    doc = snapshot_json(rich_snapshot())
    mutate(doc)
    with pytest.raises(InputError, match=message):
        load_snapshot(_write(tmp_path, doc))


def test_truncated_gzip_is_a_clear_error(tmp_path):
    path = tmp_path / "s.json.gz"
    save_snapshot(rich_snapshot(), str(path))
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(InputError, match="gzip"):
        load_snapshot(str(path))


@pytest.mark.mariadb
def test_live_snapshot_keeps_details_for_migrations(mariadb, tmp_path):
    db = mariadb.create_db("snap")
    mariadb.run(db, """
        CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100),
                            UNIQUE KEY uq_email (email(20)) COMMENT 'login');
        CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, note TEXT,
                             KEY ix_user (user_id DESC), FULLTEXT KEY ft_note (note),
                             CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id));
    """)
    reader = mariadb.create_user([f"SELECT ON `{db}`.*"])
    out = tmp_path / "live.json"
    result = CliRunner().invoke(cli, ["snapshot", f"prd={mariadb.user_url(reader, db)}",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    live = open_source(mariadb.url(db), "prd", detail=True)
    loaded = load_snapshot(str(out))
    assert_same(live, loaded)
    assert loaded.flavor == "mariadb" and loaded.version and loaded.has_details
    assert loaded.tables["users"].auto_increment_column == "id"
    assert loaded.tables["orders"].foreign_keys[0].columns == ("user_id",)
