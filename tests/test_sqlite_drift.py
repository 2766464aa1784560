"""SQLite files: reading PRAGMA index_list/index_xinfo + sqlite_master.sql, and migrations
that converge (up -> zero drift, down -> the original state) in every layout."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from liquibase_sql import liquibase_parts

from indexdrift.compare.tables import compare
from indexdrift.core.errors import InputError
from indexdrift.core.target import target_of
from indexdrift.ddl.layouts import LAYOUTS, write_layout
from indexdrift.ddl.script import build_script
from indexdrift.dialects.sqlite.catalog import split_create_index
from indexdrift.model.tables import KeyPart
from indexdrift.plan.planner import PlanOptions, plan_env
from indexdrift.sources import open_source
from indexdrift.sources.export import export_csv

EXAMPLES = Path(__file__).parent.parent / "examples"

COMMON = """
CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT COLLATE NOCASE, c INT, "회원명" TEXT,
                "a""b" INT);
CREATE TABLE w (k TEXT PRIMARY KEY, v INT) WITHOUT ROWID;
"""

PRD = COMMON + """
CREATE TABLE u (x INT, y INT, UNIQUE (x, y));
CREATE INDEX i1 ON t (a DESC, b) WHERE c > 0;
CREATE INDEX "idx_회원명" ON t ("회원명", (c + 1));
CREATE INDEX ix_lower ON t (lower(a) COLLATE NOCASE);
CREATE INDEX ren ON t (b);
CREATE UNIQUE INDEX "we""ird" ON t ("a""b");
CREATE TABLE only_prd (x INT);
"""

DEV = COMMON + """
CREATE TABLE u (x INT, y INT);
CREATE INDEX i1 ON t (a, b);
CREATE INDEX "idx_회원명" ON t ("회원명",
   ( c+1 ));
CREATE INDEX ix_lower ON t ((lower(a)) COLLATE NOCASE);
CREATE INDEX old ON t (b);
CREATE INDEX extra ON t (c);
INSERT INTO t (id, a, c, "a""b") VALUES (1, 'x', 1, 1), (2, 'x', 2, 2);
"""


def make(path: Path, sql: str) -> str:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return str(path)


def finding_set(prd: str, dev: str) -> set[tuple]:
    snaps = {"prd": open_source(prd, "prd"), "dev": open_source(dev, "dev")}
    return {(f.kind, f.table, f.index, tuple(f.changes)) for f in compare(snaps, "prd").findings}


def index_state(path: str) -> dict:
    snap = open_source(path, "x")
    return {t: {k: ix.full_key() for k, ix in table.indexes.items()}
            for t, table in snap.tables.items()}


def test_pragma_fields_are_read(tmp_path):
    snap = open_source(make(tmp_path / "p.db", PRD), "prd")
    assert snap.flavor == "sqlite"
    ix = snap.tables["t"].indexes
    assert ix["i1"].predicate == "c>0" and ix["i1"].parts[0].descending
    assert ix["i1"].parts[1].collation == "NOCASE"  # from the column's declared collation
    assert ix["idx_회원명"].parts[1].expression == "c+1"
    assert ix["ix_lower"].parts[0].expression == "lower(a)"
    assert ix['we"ird'].unique and ix['we"ird'].parts[0].column == 'a"b'
    # INTEGER PRIMARY KEY is the rowid: no index row; other keys get sqlite_autoindex_*
    assert not any(i.primary for i in ix.values())
    auto = snap.tables["w"].indexes["sqlite_autoindex_w_1"]
    assert auto.primary and auto.constraint == "p"
    assert snap.tables["u"].indexes["sqlite_autoindex_u_1"].constraint == "u"
    assert "only_prd" in snap.tables


def test_spacing_and_redundant_parentheses_are_no_drift():
    assert split_create_index("CREATE INDEX x ON t ( ( c + 1 ) DESC, lower( a ) )  WHERE  c > 0") \
        == (["(c+1) desc", "lower(a)"], "c>0")


def test_keyword_and_identifier_case_is_no_drift_but_literal_case_is():
    assert split_create_index("CREATE INDEX x ON t (LOWER(\"Email\"), A||'X') "
                              "WHERE Deleted_At IS NULL AND s = 'Open'") == \
        (['lower("email")', "a||'X'"], "deleted_at is null and s='Open'")


CASE_TABLE = "CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT, status TEXT, deleted_at TEXT);"


def test_sqlite_files_differing_only_in_case_and_spacing(tmp_path):
    prd = make(tmp_path / "p.db", CASE_TABLE + """
        CREATE INDEX ix_email ON u (lower(email)) WHERE deleted_at is null;
        CREATE UNIQUE INDEX ux_open ON u (email COLLATE nocase, status) WHERE status = 'Open';
        CREATE INDEX ix_expr ON u (substr(email, 1, 3) || 'x');
    """)
    dev = make(tmp_path / "d.db", CASE_TABLE + """
        CREATE INDEX IX_EMAIL ON u (LOWER( Email ))
            WHERE Deleted_At IS   NULL;
        CREATE UNIQUE INDEX ux_open ON u ("EMAIL" COLLATE NOCASE, STATUS) WHERE Status = 'Open';
        CREATE INDEX ix_expr ON u (SUBSTR(EMAIL,1,3)||'x');
    """)
    assert finding_set(prd, dev) == set()
    literal = make(tmp_path / "l.db", CASE_TABLE + """
        CREATE INDEX ix_email ON u (lower(email)) WHERE deleted_at is null;
        CREATE UNIQUE INDEX ux_open ON u (email COLLATE nocase, status) WHERE status = 'open';
        CREATE INDEX ix_expr ON u (substr(email, 1, 3) || 'X');
    """)
    assert finding_set(prd, literal) == {("changed", "u", "ux_open", ("predicate",)),
                                         ("changed", "u", "ix_expr", ("expression",))}
    # The generated statements re-create the literal exactly and converge.
    snaps = {"prd": open_source(prd, "prd"), "dev": open_source(literal, "dev")}
    comparison = compare(snaps, "prd")
    script = build_script(plan_env(comparison, "dev", target_of("sqlite", None)), comparison,
                          PlanOptions())
    assert "WHERE status='Open';" in script.up_text()
    run_script(literal, script.up_text(), tool_transaction=False)
    assert finding_set(prd, literal) == set()
    run_script(literal, script.down_text(), tool_transaction=False)
    assert finding_set(prd, literal) == {("changed", "u", "ux_open", ("predicate",)),
                                         ("changed", "u", "ix_expr", ("expression",))}


def test_findings_of_every_kind(tmp_path):
    found = finding_set(make(tmp_path / "p.db", PRD), make(tmp_path / "d.db", DEV))
    assert found == {
        ("changed", "t", "i1", ("descending", "predicate")),
        ("renamed", "t", "ren", ("name",)),
        ("extra", "t", "extra", ()),
        ("missing", "t", 'we"ird', ()),
        ("missing", "u", "sqlite_autoindex_u_1", ()),
        ("table_missing", "only_prd", None, ()),
    }


def run_script(path: str, sql: str, *, tool_transaction: bool) -> None:
    """Apply a script as sqlite3 would; a migration tool wraps it in its own transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.executescript(("BEGIN;\n" + sql + "\nCOMMIT;") if tool_transaction else sql)
    finally:
        conn.close()


def apply_layout(out: Path, layout: str, db: str, direction: str) -> None:
    if layout == "plain":
        name = "dev.sql" if direction == "up" else "dev.rollback.sql"
        run_script(db, (out / name).read_text(), tool_transaction=False)
        return
    files = sorted((out / "dev").iterdir())
    if layout == "liquibase":
        up, down = liquibase_parts(files[0].read_text())
        text = up if direction == "up" else down
    elif layout == "flyway":
        prefix = "V" if direction == "up" else "U"
        text = next(f for f in files if f.name.startswith(prefix)).read_text()
    else:
        text = next(f for f in files if f.name.endswith(f".{direction}.sql")).read_text()
    run_script(db, text, tool_transaction=True)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_round_trip_every_layout(tmp_path, layout):
    prd, dev = make(tmp_path / "p.db", PRD), make(tmp_path / "d.db", DEV)
    original = finding_set(prd, dev)
    before = index_state(dev)
    snaps = {"prd": open_source(prd, "prd", detail=True), "dev": open_source(dev, "dev")}
    comparison = compare(snaps, "prd")
    opts = PlanOptions(drop_extra=True)
    script = build_script(plan_env(comparison, "dev", target_of("sqlite", None), opts),
                          comparison, opts)
    write_layout([script], str(tmp_path / "out"), layout, "7")
    apply_layout(tmp_path / "out", layout, dev, "up")
    # Only what a migration may not touch is left: the constraint index and the table.
    assert finding_set(prd, dev) == {("missing", "u", "sqlite_autoindex_u_1", ()),
                                     ("table_missing", "only_prd", None, ())}
    apply_layout(tmp_path / "out", layout, dev, "down")
    assert finding_set(prd, dev) == original
    assert index_state(dev) == before


def test_plain_script_is_one_transaction_and_rename_is_drop_create(tmp_path):
    prd, dev = make(tmp_path / "p.db", PRD), make(tmp_path / "d.db", DEV)
    snaps = {"prd": open_source(prd, "prd"), "dev": open_source(dev, "dev")}
    comparison = compare(snaps, "prd")
    script = build_script(plan_env(comparison, "dev", target_of("sqlite", None)), comparison,
                          PlanOptions())
    up = script.up_text()
    body = [line for line in up.splitlines() if line and not line.startswith("--")]
    assert body[0] == "BEGIN;" and body[-1] == "COMMIT;"
    assert 'DROP INDEX "old";' in up and 'CREATE INDEX "ren" ON "t" ("b" COLLATE NOCASE);' in up
    # The constraint index changes only in a table rebuild, which needs every object read.
    assert "-- table rebuild u: NOT APPLIED: the table needs a rebuild" in up
    assert "(--objects all)" in up
    assert "-- DROP INDEX \"extra\";" in up  # extra indexes are not dropped by default
    assert "BEGIN;" not in script.up_text(transaction=False)


def test_export_reads_back_identically(tmp_path):
    dev = make(tmp_path / "d.db", DEV)
    live = open_source(dev, "dev")
    path = tmp_path / "dev.csv"
    path.write_text(export_csv(live), encoding="utf-8")
    back = open_source(str(path), "dev")
    assert back.flavor == "sqlite"
    assert index_state(str(path)) == index_state(dev)


def test_not_a_database_is_a_clear_error(tmp_path):
    bogus = tmp_path / "x.db"
    bogus.write_text("hello")
    with pytest.raises(InputError, match="not a readable SQLite database"):
        open_source(str(bogus), "dev")
    with pytest.raises(InputError, match="no such SQLite file"):
        open_source("sqlite:///" + str(tmp_path / "missing.db").lstrip("/"), "dev")


def test_sqlite_url_forms(tmp_path):
    path = make(tmp_path / "p.db", PRD)
    assert open_source("sqlite:///" + path, "x").tables.keys() == \
        open_source(path, "x").tables.keys()


def test_bundled_example_files_are_current(tmp_path):
    sys.path.insert(0, str(EXAMPLES))
    try:
        import make_sqlite_examples
    finally:
        sys.path.pop(0)
    make_sqlite_examples.main(str(tmp_path))
    for env in ("prd", "dev"):
        assert index_state(str(tmp_path / f"shop_{env}.sqlite")) == \
            index_state(str(EXAMPLES / f"shop_{env}.sqlite"))
    kinds = {k for k, *_ in finding_set(str(EXAMPLES / "shop_prd.sqlite"),
                                        str(EXAMPLES / "shop_dev.sqlite"))}
    assert kinds == {"changed", "missing", "extra", "renamed"}


@pytest.mark.parametrize(("part", "written"), [
    (KeyPart(None, "lower(email)"), "lower(email)"),
    (KeyPart(None, "price * qty", descending=True), "price * qty DESC"),
    (KeyPart(None, "(a || b)", collation="NOCASE"), "(a || b) COLLATE NOCASE"),
    (KeyPart(None, "a || b", collation="NOCASE"), "(a || b) COLLATE NOCASE"),
    (KeyPart(None, "f(a) || g(')')", collation="NOCASE"), "(f(a) || g(')')) COLLATE NOCASE"),
    (KeyPart(None, "lower(a)", collation="NOCASE"), "lower(a) COLLATE NOCASE"),
])
def test_an_expression_key_is_written_as_read(part, written, tmp_path):
    """SQLite's indexed column is any expression: it is written as the reader gave it
    (the baseline's ``(lower(email))`` is stored as such, not ``((lower(email)))``),
    wrapped only where a COLLATE would bind to its last operand; SQLite takes each."""
    from indexdrift.dialects.sqlite.quoting import key_part_sql

    assert key_part_sql(part) == written
    conn = sqlite3.connect(tmp_path / "x.db")
    conn.execute("CREATE TABLE t (email, price, qty, a, b)")
    conn.create_function("f", 1, str, deterministic=True)
    conn.create_function("g", 1, str, deterministic=True)
    conn.execute(f"CREATE INDEX i ON t ({written})")
    conn.close()
