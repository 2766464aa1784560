"""PostgreSQL on the real server (issue 20): foreign keys, CHECK constraints and table
options read by the catalog reader when ``--objects`` asks, every kind of difference found,
the same definitions spelled differently found equal, and nothing read or reported without
``--objects``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from postgres_apply import pg_pair

import indexdrift.dialects.postgresql.catalog_objects as pg_objects
from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.errors import IndexDriftError
from indexdrift.dialects.postgresql.catalog_objects import normalize_check, on_delete_text
from indexdrift.model.tables import TABLE_OPTIONS, CheckConstraint
from indexdrift.sources import open_source
from indexdrift.sources.checks import check_snapshot

pytestmark = pytest.mark.postgres

ALL = frozenset({"foreign_keys", "checks", "options"})

COMMON = """
CREATE SCHEMA other;
CREATE TABLE p (id int PRIMARY KEY, a int, b int, UNIQUE (a, b));
CREATE TABLE p2 (id int PRIMARY KEY);
CREATE TABLE other.p (id int PRIMARY KEY);
CREATE TABLE tree (id int PRIMARY KEY, parent_id int);
CREATE TABLE c (id int PRIMARY KEY, a int, b int, x int, y int, qty int, note text);
CREATE TABLE logbook (id int);
CREATE TABLE notes (id int);
"""

PRD = COMMON + """
ALTER TABLE c ADD CONSTRAINT fk_missing FOREIGN KEY (x) REFERENCES p2;
ALTER TABLE c ADD CONSTRAINT fk_cols FOREIGN KEY (x) REFERENCES p;
ALTER TABLE c ADD CONSTRAINT fk_ref FOREIGN KEY (y) REFERENCES p;
ALTER TABLE c ADD CONSTRAINT fk_schema FOREIGN KEY (y) REFERENCES other.p;
ALTER TABLE c ADD CONSTRAINT fk_del FOREIGN KEY (a, b) REFERENCES p (a, b) ON DELETE CASCADE;
ALTER TABLE c ADD CONSTRAINT fk_upd FOREIGN KEY (a, b) REFERENCES p (a, b) ON UPDATE RESTRICT;
ALTER TABLE c ADD CONSTRAINT fk_match FOREIGN KEY (a, b) REFERENCES p (a, b) MATCH FULL;
ALTER TABLE c ADD CONSTRAINT fk_defer FOREIGN KEY (x) REFERENCES p
  DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE c ADD CONSTRAINT fk_defer2 FOREIGN KEY (x) REFERENCES p DEFERRABLE;
ALTER TABLE c ADD CONSTRAINT fk_valid FOREIGN KEY (y) REFERENCES p2;
ALTER TABLE c ADD CONSTRAINT fk_setnull FOREIGN KEY (a, b) REFERENCES p (a, b)
  ON DELETE SET NULL (b);
ALTER TABLE c ADD CONSTRAINT fk_multi FOREIGN KEY (a, b) REFERENCES p (a, b)
  MATCH FULL ON DELETE CASCADE;
ALTER TABLE c ADD CONSTRAINT fk_old FOREIGN KEY (a, b) REFERENCES p (a, b)
  ON DELETE SET DEFAULT;
ALTER TABLE c ADD CONSTRAINT "Fk_Case" FOREIGN KEY (y) REFERENCES p;
ALTER TABLE tree ADD CONSTRAINT tree_parent FOREIGN KEY (parent_id) REFERENCES tree
  ON DELETE CASCADE;
ALTER TABLE c ADD CONSTRAINT ck_missing CHECK (qty < 1000);
ALTER TABLE c ADD CONSTRAINT ck_changed CHECK (qty > 0);
ALTER TABLE c ADD CONSTRAINT ck_old CHECK (note <> '');
ALTER TABLE c ADD CONSTRAINT ck_valid CHECK (qty <> 7);
ALTER TABLE c ADD CONSTRAINT ck_noinh CHECK (qty <> 8);
ALTER TABLE c ADD CONSTRAINT ck_rv CHECK (qty <> 9);
COMMENT ON TABLE c IS 'child rows';
COMMENT ON TABLE notes IS 'notes';
"""

DEV = COMMON + """
ALTER TABLE c ADD CONSTRAINT fk_cols FOREIGN KEY (y) REFERENCES p;
ALTER TABLE c ADD CONSTRAINT fk_ref FOREIGN KEY (y) REFERENCES p2;
ALTER TABLE c ADD CONSTRAINT fk_schema FOREIGN KEY (y) REFERENCES public.p;
ALTER TABLE c ADD CONSTRAINT fk_del FOREIGN KEY (a, b) REFERENCES p (a, b) ON DELETE SET NULL;
ALTER TABLE c ADD CONSTRAINT fk_upd FOREIGN KEY (a, b) REFERENCES p (a, b);
ALTER TABLE c ADD CONSTRAINT fk_match FOREIGN KEY (a, b) REFERENCES p (a, b) MATCH SIMPLE;
ALTER TABLE c ADD CONSTRAINT fk_defer FOREIGN KEY (x) REFERENCES p DEFERRABLE;
ALTER TABLE c ADD CONSTRAINT fk_defer2 FOREIGN KEY (x) REFERENCES p NOT DEFERRABLE;
ALTER TABLE c ADD CONSTRAINT fk_valid FOREIGN KEY (y) REFERENCES p2 NOT VALID;
ALTER TABLE c ADD CONSTRAINT fk_setnull FOREIGN KEY (a, b) REFERENCES p (a, b)
  ON DELETE SET NULL (a);
ALTER TABLE c ADD CONSTRAINT fk_multi FOREIGN KEY (a, b) REFERENCES p (a, b)
  ON UPDATE CASCADE NOT VALID;
ALTER TABLE c ADD CONSTRAINT fk_new FOREIGN KEY (a, b) REFERENCES p (a, b)
  ON DELETE SET DEFAULT;
ALTER TABLE c ADD CONSTRAINT fk_case FOREIGN KEY (y) REFERENCES p;
ALTER TABLE c ADD CONSTRAINT fk_extra FOREIGN KEY (x, y) REFERENCES p (a, b);
ALTER TABLE tree ADD CONSTRAINT tree_parent FOREIGN KEY (parent_id) REFERENCES tree
  ON DELETE CASCADE;
ALTER TABLE tree ADD CONSTRAINT tree_extra FOREIGN KEY (id) REFERENCES tree;
ALTER TABLE c ADD CONSTRAINT ck_changed CHECK (qty >= 0);
ALTER TABLE c ADD CONSTRAINT ck_new CHECK (note <> '');
ALTER TABLE c ADD CONSTRAINT ck_valid CHECK (qty <> 7) NOT VALID;
ALTER TABLE c ADD CONSTRAINT ck_noinh CHECK (qty <> 8) NO INHERIT;
ALTER TABLE c ADD CONSTRAINT ck_rv2 CHECK (qty <> 9) NOT VALID;
ALTER TABLE c ADD CONSTRAINT ck_extra CHECK (qty < 5000);
COMMENT ON TABLE c IS 'children';
ALTER TABLE logbook SET UNLOGGED;
ALTER TABLE notes SET UNLOGGED;
"""

EXPECTED = {
    ("foreign_key_missing", "c", "fk_missing", ()),
    ("foreign_key_changed", "c", "fk_cols", ("columns",)),
    ("foreign_key_changed", "c", "fk_ref", ("references",)),
    ("foreign_key_changed", "c", "fk_schema", ("references",)),
    ("foreign_key_changed", "c", "fk_del", ("on_delete",)),
    ("foreign_key_changed", "c", "fk_upd", ("on_update",)),
    ("foreign_key_changed", "c", "fk_match", ("match",)),
    ("foreign_key_changed", "c", "fk_defer", ("deferrable",)),
    ("foreign_key_changed", "c", "fk_defer2", ("deferrable",)),
    ("foreign_key_changed", "c", "fk_valid", ("validity",)),
    ("foreign_key_changed", "c", "fk_setnull", ("on_delete",)),
    ("foreign_key_changed", "c", "fk_multi", ("on_delete", "on_update", "match", "validity")),
    ("foreign_key_renamed", "c", "fk_old", ("name",)),
    ("foreign_key_renamed", "c", "Fk_Case", ("name",)),
    ("foreign_key_extra", "c", "fk_extra", ()),
    ("foreign_key_extra", "tree", "tree_extra", ()),
    ("check_missing", "c", "ck_missing", ()),
    ("check_changed", "c", "ck_changed", ("expression",)),
    ("check_renamed", "c", "ck_old", ("name",)),
    ("check_changed", "c", "ck_valid", ("validity",)),
    ("check_changed", "c", "ck_noinh", ("no_inherit",)),
    ("check_renamed", "c", "ck_rv", ("name", "validity")),
    ("check_extra", "c", "ck_extra", ()),
    ("table_options_changed", "c", "", ("comment",)),
    ("table_options_changed", "logbook", "", ("persistence",)),
    ("table_options_changed", "notes", "", ("persistence", "comment")),
}


def read(postgres, db: str, objects=ALL, schema: str | None = None):
    """The snapshot of a database, asking for ``objects``."""
    return open_source(postgres.url(db, schema), db, objects=frozenset(objects))


def findings(postgres, prd: str, dev: str, objects=ALL, schemas=(None, None)) -> set[tuple]:
    """dev's findings against prd as (kind, table, constraint or index, changes)."""
    snaps = {"prd": read(postgres, prd, objects, schemas[0]),
             "dev": read(postgres, dev, objects, schemas[1])}
    return {(f.kind, f.table, f.constraint if f.constraint is not None else f.index,
             tuple(f.changes)) for f in compare(snaps, "prd").findings}


def test_every_kind_of_difference_is_found(postgres):
    prd, dev = pg_pair(postgres, PRD, DEV)
    assert findings(postgres, prd, dev) == EXPECTED
    # Each kind only when asked for.
    assert findings(postgres, prd, dev, {"checks"}) == {
        f for f in EXPECTED if f[0].startswith("check")}
    assert findings(postgres, prd, dev, {"options"}) == {
        f for f in EXPECTED if f[0].startswith("table_options")}
    assert findings(postgres, prd, dev, {"foreign_keys"}) == {
        f for f in EXPECTED if f[0].startswith("foreign_key")}


def test_what_is_read(postgres):
    db = postgres.create_db("x")
    postgres.run(db, PRD)
    snap = read(postgres, db)
    assert snap.objects == ALL
    c = snap.tables["c"]
    keys = {fk.name: fk for fk in c.foreign_keys}
    assert [fk.name for fk in c.foreign_keys] == sorted(keys)
    assert keys["fk_setnull"].definition() == "(a, b) -> p (a, b) ON DELETE SET NULL (b)"
    assert keys["fk_schema"].ref_schema == "other" and keys["fk_cols"].ref_schema is None
    assert keys["fk_cols"].ref_columns == ("id",)  # REFERENCES p: the primary key's columns
    assert keys["fk_defer"].deferrable == "DEFERRED"
    assert keys["fk_defer2"].deferrable == "IMMEDIATE"
    assert keys["fk_multi"].definition() == \
        "(a, b) -> p (a, b) ON DELETE CASCADE MATCH FULL"
    assert keys["fk_upd"].on_update == "RESTRICT" and keys["fk_upd"].on_delete == "NO ACTION"
    assert all(fk.exact_name for fk in c.foreign_keys)
    tree = snap.tables["tree"].foreign_keys
    assert [(fk.name, fk.columns, fk.ref_table, fk.ref_columns, fk.on_delete) for fk in tree] \
        == [("tree_parent", ("parent_id",), "tree", ("id",), "CASCADE")]
    assert {k: ck.expression for k, ck in c.checks.items()} == {
        "ck_missing": "qty < 1000", "ck_changed": "qty > 0", "ck_old": "note <> ''::text",
        "ck_valid": "qty <> 7", "ck_noinh": "qty <> 8", "ck_rv": "qty <> 9"}
    assert snap.tables["p"].checks == {} and snap.tables["p"].foreign_keys == ()
    assert {name: t.options for name, t in snap.tables.items()
            if name in ("c", "logbook", "notes")} == {
        "c": {"persistence": "permanent", "comment": "child rows"},
        "logbook": {"persistence": "permanent", "comment": ""},
        "notes": {"persistence": "permanent", "comment": "notes"}}
    assert all(tuple(t.options) == TABLE_OPTIONS["postgresql"] for t in snap.tables.values())
    # Indexes that foreign keys depend on stay known (plan/safety.py refuses their drops).
    assert snap.tables["p"].referenced_by["p_a_b_key"] == (
        "c.fk_del", "c.fk_match", "c.fk_multi", "c.fk_old", "c.fk_setnull", "c.fk_upd")
    dev = postgres.create_db("y")
    postgres.run(dev, DEV)
    snap = read(postgres, dev)
    keys = {fk.name: fk for fk in snap.tables["c"].foreign_keys}
    assert keys["fk_valid"].valid is False and keys["fk_multi"].on_update == "CASCADE"
    assert snap.tables["c"].checks["ck_noinh"].no_inherit is True
    assert snap.tables["c"].checks["ck_valid"].definition() == "CHECK (qty <> 7) NOT VALID"
    assert snap.tables["logbook"].options["persistence"] == "unlogged"


def test_nothing_read_or_reported_without_objects(postgres, monkeypatch):
    prd, dev = pg_pair(postgres, PRD, DEV)

    def no_query(*args, **kwargs):
        raise AssertionError("the objects query ran without --objects")

    monkeypatch.setattr(pg_objects, "fetch_object_rows", no_query)
    snap = open_source(postgres.url(prd), "prd")
    assert snap.objects == frozenset()
    assert all(t.foreign_keys == () and t.checks is None and t.options is None
               for t in snap.tables.values())
    assert snap.tables["p"].referenced_by  # the index read still knows its dependents
    assert findings(postgres, prd, dev, frozenset()) == set()
    result = CliRunner().invoke(cli, ["compare", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []


def test_objects_share_the_catalog_read_transaction(postgres, monkeypatch):
    db = postgres.create_db("x")
    postgres.run(db, PRD)
    seen = []
    real = pg_objects.fetch_object_rows

    def spy(conn, *args, **kwargs):
        seen.append(conn.execute("SELECT current_setting('transaction_isolation'), "
                                 "current_setting('transaction_read_only')").fetchone())
        return real(conn, *args, **kwargs)

    monkeypatch.setattr(pg_objects, "fetch_object_rows", spy)
    snap = open_source(postgres.url(db), "x", columns=True, objects=frozenset({"checks"}))
    assert seen == [("repeatable read", "on")]
    assert snap.objects == {"checks"} and snap.tables["c"].columns is not None
    assert snap.tables["c"].foreign_keys == () and snap.tables["c"].options is None


def test_cli_json_reports_the_new_kinds(postgres):
    prd, dev = pg_pair(postgres, PRD, DEV)
    result = CliRunner().invoke(cli, ["compare", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--objects", "all",
                                      "--format", "json"])
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["findings"]
    kinds = {f["kind"] for f in found}
    assert kinds == {f[0] for f in EXPECTED}
    assert len(found) == len(EXPECTED)


# Each probe: the same definitions written two ways (prd, dev): no finding at all.
PROBES = {
    "check_spacing_and_parentheses": (
        "CREATE TABLE t (a int, CONSTRAINT ck CHECK (a>0));",
        "CREATE TABLE t (a int, CONSTRAINT ck CHECK ((( a > 0 ))));"),
    "check_between": (
        "CREATE TABLE t (a int, CONSTRAINT ck CHECK (a BETWEEN 1 AND 9));",
        "CREATE TABLE t (a int, CONSTRAINT ck CHECK (a >= 1 AND a <= 9));"),
    "check_in_list": (
        "CREATE TABLE t (s text, CONSTRAINT ck CHECK (s IN ('x', 'y')));",
        "CREATE TABLE t (s text, CONSTRAINT ck CHECK (s = ANY (ARRAY['x', 'y'])));"),
    "check_column_level_vs_table_level": (
        "CREATE TABLE t (qty int CHECK (qty > 0));",
        "CREATE TABLE t (qty int, CHECK (qty > 0));"),
    "check_quoted_lower_case_names": (
        'CREATE TABLE t ("qty" int, CONSTRAINT "ck_q" CHECK ("qty" > 0));',
        "CREATE TABLE t (qty int, CONSTRAINT ck_q CHECK (qty > 0));"),
    "check_escape_string_literal": (
        r"CREATE TABLE t (note text, CONSTRAINT ck CHECK (note <> E'a\nb\\c''d'));",
        "CREATE TABLE t (note text, CONSTRAINT ck CHECK (note <> 'a\nb\\c''d'));"),
    "check_case_layout": (
        "CREATE TABLE t (a int, CONSTRAINT ck CHECK (CASE WHEN a > 0 THEN true ELSE false END));",
        "CREATE TABLE t (a int, CONSTRAINT ck CHECK (\n  CASE\n    WHEN a > 0 THEN TRUE\n"
        "    ELSE FALSE\n  END));"),
    "check_validated_later": (
        "CREATE TABLE t (a int, CONSTRAINT ck CHECK (a > 0));",
        "CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0) NOT VALID;"
        " ALTER TABLE t VALIDATE CONSTRAINT ck;"),
    "check_explicit_cast_of_literal": (
        "CREATE TABLE t (s text, CONSTRAINT ck CHECK (s <> 'x'));",
        "CREATE TABLE t (s text, CONSTRAINT ck CHECK (s <> 'x'::text));"),
    "fk_implied_referenced_columns": (
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int REFERENCES p);",
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT t_pid_fkey FOREIGN KEY (pid) REFERENCES p (id));"),
    "fk_no_action_explicit": (
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p);",
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p ON DELETE NO ACTION"
        " ON UPDATE NO ACTION);"),
    "fk_match_simple_explicit": (
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p);",
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p MATCH SIMPLE);"),
    "fk_not_deferrable_explicit": (
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p);",
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p NOT DEFERRABLE INITIALLY IMMEDIATE);"),
    "fk_initially_deferred_implies_deferrable": (
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p DEFERRABLE INITIALLY DEFERRED);",
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p INITIALLY DEFERRED);"),
    "fk_quoted_lower_case_names": (
        'CREATE TABLE "p" ("id" int PRIMARY KEY); CREATE TABLE "t" ("pid" int,'
        ' CONSTRAINT "fk" FOREIGN KEY ("pid") REFERENCES "p" ("id"));',
        "CREATE TABLE P (ID int PRIMARY KEY); CREATE TABLE T (PID int,"
        " CONSTRAINT FK FOREIGN KEY (PID) REFERENCES P (ID));"),
    "fk_schema_qualified_same_schema": (
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES public.p);",
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p);"),
    "fk_set_null_every_column": (
        "CREATE TABLE p (a int, b int, UNIQUE (a, b)); CREATE TABLE t (a int, b int,"
        " CONSTRAINT fk FOREIGN KEY (a, b) REFERENCES p (a, b) ON DELETE SET NULL);",
        "CREATE TABLE p (a int, b int, UNIQUE (a, b)); CREATE TABLE t (a int, b int,"
        " CONSTRAINT fk FOREIGN KEY (a, b) REFERENCES p (a, b) ON DELETE SET NULL (b, a));"),
    "fk_validated_later": (
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int,"
        " CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p);",
        "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (pid int);"
        " ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p NOT VALID;"
        " ALTER TABLE t VALIDATE CONSTRAINT fk;"),
    "comment_reset_to_null": (
        "CREATE TABLE t (a int);",
        "CREATE TABLE t (a int); COMMENT ON TABLE t IS 'x'; COMMENT ON TABLE t IS NULL;"),
    "comment_empty": (
        "CREATE TABLE t (a int);",
        "CREATE TABLE t (a int); COMMENT ON TABLE t IS '';"),
    "unlogged_then_logged": (
        "CREATE TABLE t (a int);",
        "CREATE UNLOGGED TABLE t (a int); ALTER TABLE t SET LOGGED;"),
    "partitions_attached_vs_created": (
        "CREATE TABLE p (id int PRIMARY KEY);"
        " CREATE TABLE m (k int, pid int, CONSTRAINT m_fk FOREIGN KEY (pid) REFERENCES p,"
        " CONSTRAINT m_ck CHECK (k > 0)) PARTITION BY RANGE (k);"
        " CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);",
        "CREATE TABLE p (id int PRIMARY KEY);"
        " CREATE TABLE m (k int, pid int, CONSTRAINT m_fk FOREIGN KEY (pid) REFERENCES p,"
        " CONSTRAINT m_ck CHECK (k > 0)) PARTITION BY RANGE (k);"
        " CREATE TABLE m1 (k int, pid int, CONSTRAINT m_fk FOREIGN KEY (pid) REFERENCES p,"
        " CONSTRAINT m_ck CHECK (k > 0));"
        " ALTER TABLE m ATTACH PARTITION m1 FOR VALUES FROM (0) TO (10);"),
}


@pytest.mark.parametrize("name", sorted(PROBES))
def test_no_false_drift(postgres, name):
    prd, dev = pg_pair(postgres, *PROBES[name])
    assert findings(postgres, prd, dev) == set()


def test_no_false_drift_with_standard_conforming_strings_off(postgres):
    """The reader pins standard_conforming_strings=on: a database that sets it off prints
    its literals the same way."""
    sql = r"CREATE TABLE t (note text, CONSTRAINT ck CHECK (note <> E'a\\b\nc'));"
    prd, dev = pg_pair(postgres, sql, sql)
    postgres.run(dev, f'ALTER DATABASE "{dev}" SET standard_conforming_strings = off')
    assert findings(postgres, prd, dev) == set()
    check = read(postgres, dev).tables["t"].checks["ck"]
    assert check.expression == "note <> 'a\\b\nc'::text"


def test_schemas_of_a_fleet_compare_alike(postgres):
    """A check using the schema's own type prints it unqualified (search_path is the
    schema), so two tenants' schemas compare equal; a parent in the same schema has no
    ref_schema."""
    db = postgres.create_db("x")
    tenant = ("CREATE TYPE {s}.mood AS ENUM ('ok', 'sad');"
              " CREATE TABLE {s}.p (id int PRIMARY KEY);"
              " CREATE TABLE {s}.t (m {s}.mood, pid int REFERENCES {s}.p,"
              " CONSTRAINT ck CHECK (m <> 'sad'::{s}.mood));")
    postgres.run(db, "CREATE SCHEMA t1; CREATE SCHEMA t2;" + tenant.format(s="t1")
                 + tenant.format(s="t2"))
    assert findings(postgres, db, db, schemas=("t1", "t2")) == set()
    snap = read(postgres, db, schema="t1")
    assert snap.tables["t"].checks["ck"].expression == "m <> 'sad'::mood"
    assert snap.tables["t"].foreign_keys[0].ref_schema is None


def test_partitions_and_inheritance(postgres):
    """A key or check a table has from its partitioned parent (or inherits) is read on the
    parent only; a partition's own key is read."""
    db = postgres.create_db("x")
    postgres.run(db, """
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE pp (id int PRIMARY KEY) PARTITION BY RANGE (id);
CREATE TABLE pp1 PARTITION OF pp FOR VALUES FROM (0) TO (10);
CREATE TABLE m (k int, pid int, ppid int, CONSTRAINT m_fk FOREIGN KEY (pid) REFERENCES p,
                CONSTRAINT m_ck CHECK (k > 0)) PARTITION BY RANGE (k);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);
ALTER TABLE m1 ADD CONSTRAINT m1_own FOREIGN KEY (ppid) REFERENCES pp;
CREATE TABLE base (a int, CONSTRAINT base_ck CHECK (a > 0));
CREATE TABLE kid (b int) INHERITS (base);
CREATE TABLE own (a int, CONSTRAINT base_ck CHECK (a > 0));
ALTER TABLE own INHERIT base;
""")
    tables = read(postgres, db).tables
    assert [fk.name for fk in tables["m"].foreign_keys] == ["m_fk"]
    assert [(fk.name, fk.ref_table) for fk in tables["m1"].foreign_keys] == [("m1_own", "pp")]
    assert list(tables["m"].checks) == ["m_ck"] and tables["m1"].checks == {}
    assert list(tables["base"].checks) == ["base_ck"] and tables["kid"].checks == {}
    assert list(tables["own"].checks) == ["base_ck"]  # declared before INHERIT: its own
    assert tables["m"].options == {"persistence": "permanent", "comment": ""}


def test_domain_checks_are_not_table_checks(postgres):
    db = postgres.create_db("x")
    postgres.run(db, "CREATE DOMAIN positive AS int CHECK (VALUE > 0);"
                     " CREATE TABLE t (a positive);")
    assert read(postgres, db).tables["t"].checks == {}


def test_case_sensitive_names(postgres):
    """Check and key names keep their case: "Ck" and ck are two checks."""
    prd, dev = pg_pair(postgres, 'CREATE TABLE t (a int, CONSTRAINT "Ck" CHECK (a > 0),'
                                 ' CONSTRAINT ck2 CHECK (a < 9));',
                       "CREATE TABLE t (a int, CONSTRAINT ck CHECK (a > 0),"
                       ' CONSTRAINT "CK2" CHECK (a < 8));')
    assert findings(postgres, prd, dev) == {
        ("check_renamed", "t", "Ck", ("name",)),
        ("check_missing", "t", "ck2", ()), ("check_extra", "t", "CK2", ())}


def test_check_expression_normalisation():
    assert normalize_check("(qty > 0)") == "qty > 0"
    assert normalize_check("((a > 0) AND (b > 0))") == "(a > 0) AND (b > 0)"
    assert normalize_check("(a > 0) AND (b > 0)") == "(a > 0) AND (b > 0)"
    assert normalize_check("\nCASE\n    WHEN a > 0 THEN true\n    ELSE false\nEND") == \
        "CASE WHEN a > 0 THEN true ELSE false END"
    # White space and parentheses inside literals and quoted names are kept.
    assert normalize_check("(s <> '(a  b)')") == "s <> '(a  b)'"
    assert normalize_check("('a)' <> s)") == "'a)' <> s"
    assert normalize_check('"x  y" <> \'it\'\'s  (\'') == '"x  y" <> \'it\'\'s  (\''
    assert normalize_check("(s <> E'\\'  (')") == "s <> E'\\'  ('"


def test_on_delete_column_lists():
    cols, quoted = ["a", "B"], ["a", '"B"']
    assert on_delete_text("SET NULL", cols, quoted, None) == "SET NULL"
    assert on_delete_text("SET NULL", cols, quoted, ["B", "a"]) == "SET NULL"
    assert on_delete_text("SET DEFAULT", cols, quoted, ["B"]) == 'SET DEFAULT ("B")'


def test_nul_walk_covers_checks(postgres):
    """The snapshot's NUL walk (sources/checks) reaches check expressions."""
    db = postgres.create_db("x")
    postgres.run(db, "CREATE TABLE t (a int, CONSTRAINT ck CHECK (a > 0));")
    snap = read(postgres, db)
    snap.tables["t"].checks["ck"] = CheckConstraint("t", "ck", "a > '\0'", exact_name=True)
    with pytest.raises(IndexDriftError, match="NUL"):
        check_snapshot(snap, "x")


def test_migrate_with_foreign_keys_read_plans_the_same(postgres, tmp_path):
    """PostgreSQL needs no index on a foreign key's own columns: reading the keys
    (--objects foreign_keys) must not change what migrate drops."""
    sql = ("CREATE TABLE p (id int PRIMARY KEY);"
           " CREATE TABLE c (id int PRIMARY KEY, pid int REFERENCES p);")
    prd, dev = pg_pair(postgres, sql, sql + " CREATE INDEX c_pid ON c (pid);")
    scripts = []
    for objects in ("indexes", "all"):
        out = tmp_path / objects
        result = CliRunner().invoke(cli, ["migrate", f"prd={postgres.url(prd)}",
                                          f"dev={postgres.url(dev)}", "--drop-extra",
                                          "--objects", objects, "--out", str(out)])
        assert result.exit_code == 0, result.output
        scripts.append((out / "dev.sql").read_text())
    assert 'DROP INDEX CONCURRENTLY "public"."c_pid";' in scripts[0]
    assert 'DROP INDEX CONCURRENTLY "public"."c_pid";' in scripts[1]
