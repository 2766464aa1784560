"""SQLite foreign keys, CHECK constraints and table options (issue 20), on real SQLite
files: every kind of difference gives its finding, the same definition spelled another
way gives none, hostile names read as SQLite reads them, and nothing of it is read
unless asked for."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.dialects.sqlite import catalog
from indexdrift.dialects.sqlite.create_table import (
    normalize_check,
    parse_create_table,
    tokenize,
)
from indexdrift.model.kinds import (
    CHECK_CHANGED,
    CHECK_EXTRA,
    CHECK_MISSING,
    CHECK_RENAMED,
    FOREIGN_KEY_CHANGED,
    FOREIGN_KEY_EXTRA,
    FOREIGN_KEY_MISSING,
    FOREIGN_KEY_RENAMED,
    OPTIONS_CHANGED,
)
from indexdrift.sources import open_source
from indexdrift.sources.sqlcells import expression_problem

ALL = frozenset({"foreign_keys", "checks", "options"})


def make(path: Path, sql: str) -> str:
    """A SQLite file built by ``sql``; its sqlite:/// URL."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
    finally:
        conn.close()
    return f"sqlite:///{path}"


def read(url: str, env: str, objects=ALL):
    return open_source(url, env, objects=objects)


def pair(tmp_path: Path, prd: str, dev: str, objects=ALL):
    """Findings of dev against prd (both built from their SQL)."""
    snaps = {"prd": read(make(tmp_path / "prd.db", prd), "prd", objects),
             "dev": read(make(tmp_path / "dev.db", dev), "dev", objects)}
    return compare(snaps, "prd").findings


def found(findings) -> set[tuple]:
    return {(f.table, f.kind, f.constraint, tuple(f.changes)) for f in findings}


def unnamed_check(table: str, expression: str) -> str:
    """The synthesized name of an unnamed check (docs/tables.md, SQLite)."""
    return f"ck_{table}_{hashlib.sha1(expression.encode()).hexdigest()[:8]}"


# --- foreign keys ----------------------------------------------------------------------------

FK_PARENTS = """
CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE, a INT, b INT, UNIQUE (a, b),
                UNIQUE (b, a));
CREATE TABLE q (id INTEGER PRIMARY KEY);
"""

FK_PRD = FK_PARENTS + """
CREATE TABLE c (
  id INTEGER PRIMARY KEY,
  p_gone INT CONSTRAINT fk_gone REFERENCES p,
  p_del INT CONSTRAINT fk_del REFERENCES p ON DELETE CASCADE,
  p_upd INT CONSTRAINT fk_upd REFERENCES p ON UPDATE CASCADE,
  p_ref INT CONSTRAINT fk_ref REFERENCES p,
  p_code TEXT CONSTRAINT fk_cols REFERENCES p (code),
  p_def INT CONSTRAINT fk_def REFERENCES p DEFERRABLE INITIALLY DEFERRED,
  p_old INT CONSTRAINT fk_old_name REFERENCES p ON DELETE SET NULL,
  p_unnamed INT REFERENCES p ON DELETE CASCADE,
  a INT, b INT,
  CONSTRAINT fk_pair FOREIGN KEY (a, b) REFERENCES p (a, b)
);
CREATE TABLE node (id INTEGER PRIMARY KEY,
                   up INT CONSTRAINT fk_up REFERENCES node ON DELETE CASCADE);
"""

FK_DEV = FK_PARENTS + """
CREATE TABLE c (
  id INTEGER PRIMARY KEY,
  p_gone INT,
  p_del INT CONSTRAINT fk_del REFERENCES p ON DELETE SET NULL,
  p_upd INT CONSTRAINT fk_upd REFERENCES p,
  p_ref INT CONSTRAINT fk_ref REFERENCES q,
  p_code TEXT CONSTRAINT fk_cols REFERENCES p (a),
  p_def INT CONSTRAINT fk_def REFERENCES p,
  p_old INT CONSTRAINT fk_new_name REFERENCES p ON DELETE SET NULL,
  p_unnamed INT REFERENCES p ON DELETE RESTRICT,
  a INT, b INT,
  CONSTRAINT fk_pair FOREIGN KEY (b, a) REFERENCES p (b, a),
  CONSTRAINT fk_extra FOREIGN KEY (b) REFERENCES q
);
CREATE TABLE node (id INTEGER PRIMARY KEY, up INT CONSTRAINT fk_up REFERENCES node (id));
"""


def test_every_foreign_key_difference(tmp_path):
    findings = pair(tmp_path, FK_PRD, FK_DEV)
    assert found(findings) == {
        ("c", FOREIGN_KEY_MISSING, "fk_gone", ()),
        ("c", FOREIGN_KEY_CHANGED, "fk_del", ("on_delete",)),
        ("c", FOREIGN_KEY_CHANGED, "fk_upd", ("on_update",)),
        ("c", FOREIGN_KEY_CHANGED, "fk_ref", ("references",)),
        ("c", FOREIGN_KEY_CHANGED, "fk_cols", ("references",)),
        ("c", FOREIGN_KEY_CHANGED, "fk_def", ("deferrable",)),
        ("c", FOREIGN_KEY_RENAMED, "fk_old_name", ("name",)),
        ("c", FOREIGN_KEY_CHANGED, "fk_c_p_unnamed", ("on_delete",)),
        ("c", FOREIGN_KEY_CHANGED, "fk_pair", ("columns", "references")),
        ("c", FOREIGN_KEY_EXTRA, "fk_extra", ()),
        ("node", FOREIGN_KEY_CHANGED, "fk_up", ("on_delete",)),
    }
    by_name = {f.constraint: f for f in findings}
    assert by_name["fk_old_name"].current_fk.name == "fk_new_name"
    assert by_name["fk_def"].baseline_fk.deferrable == "DEFERRED"
    assert by_name["fk_def"].current_fk.deferrable is None
    assert by_name["fk_c_p_unnamed"].current_fk.on_delete == "RESTRICT"


def test_foreign_keys_read_in_full(tmp_path):
    snapshot = read(make(tmp_path / "prd.db", FK_PRD), "prd")
    assert snapshot.objects == ALL
    keys = {k.name: k for k in snapshot.tables["c"].foreign_keys}
    assert [k.name for k in snapshot.tables["c"].foreign_keys] == sorted(keys)
    pair_key = keys["fk_pair"]
    assert (pair_key.table, pair_key.columns, pair_key.ref_table, pair_key.ref_columns,
            pair_key.on_update, pair_key.on_delete, pair_key.match, pair_key.deferrable,
            pair_key.ref_schema, pair_key.valid, pair_key.exact_name) == (
        "c", ("a", "b"), "p", ("a", "b"), "NO ACTION", "NO ACTION", "SIMPLE", None, None,
        True, False)
    assert keys["fk_gone"].ref_columns == ("id",)  # REFERENCES p: p's PRIMARY KEY
    assert keys["fk_c_p_unnamed"].on_delete == "CASCADE"
    up = snapshot.tables["node"].foreign_keys[0]  # self-referencing
    assert (up.name, up.ref_table, up.ref_columns) == ("fk_up", "node", ("id",))


def test_composite_primary_key_and_a_missing_parent(tmp_path):
    sql = """
    CREATE TABLE pk2 (x INT, y INT, PRIMARY KEY (y, x));
    CREATE TABLE c (x INT, y INT, g INT REFERENCES ghost, FOREIGN KEY (x, y) REFERENCES pk2);
    """
    snapshot = read(make(tmp_path / "a.db", sql), "a")
    keys = {k.ref_table: k for k in snapshot.tables["c"].foreign_keys}
    assert keys["pk2"].ref_columns == ("y", "x")  # the PRIMARY KEY's order
    assert keys["ghost"].ref_columns == ()  # nothing to resolve it to
    assert {k.name for k in keys.values()} == {"fk_c_x_y", "fk_c_g"}


def test_unnamed_keys_on_the_same_columns_pair_whatever_their_order(tmp_path):
    prd = FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p, FOREIGN KEY (a) REFERENCES q);"
    dev = FK_PARENTS + "CREATE TABLE c (a INT REFERENCES q, FOREIGN KEY (a) REFERENCES p);"
    assert pair(tmp_path, prd, dev) == []
    names = [k.name for k in read(make(tmp_path / "x.db", prd), "x").tables["c"].foreign_keys]
    assert names == ["fk_c_a", "fk_c_a_2"]


# --- checks ----------------------------------------------------------------------------------

CHECK_PRD = """
CREATE TABLE t (
  id INTEGER PRIMARY KEY,
  qty INT CONSTRAINT ck_qty CHECK (qty > 0),
  a INT CHECK (a < 10),
  b INT,
  s TEXT,
  CONSTRAINT ck_gone CHECK (b <> 0),
  CONSTRAINT ck_old CHECK (s IN ('x', 'y')),
  CHECK (b < 100)
);
"""

CHECK_DEV = """
CREATE TABLE t (
  id INTEGER PRIMARY KEY,
  qty INT CONSTRAINT ck_qty CHECK (qty >= 0),
  a INT,
  b INT,
  s TEXT,
  CONSTRAINT ck_new CHECK (s IN ('x', 'y')),
  CHECK (b < 1000),
  CONSTRAINT ck_extra CHECK (length(s) < 5)
);
"""


def test_every_check_difference(tmp_path):
    findings = pair(tmp_path, CHECK_PRD, CHECK_DEV)
    assert found(findings) == {
        ("t", CHECK_CHANGED, "ck_qty", ("expression",)),
        ("t", CHECK_MISSING, unnamed_check("t", "a < 10"), ()),  # column-level
        ("t", CHECK_MISSING, "ck_gone", ()),
        ("t", CHECK_RENAMED, "ck_old", ("name",)),
        # an unnamed check that changed is another check: one missing, one extra
        ("t", CHECK_MISSING, unnamed_check("t", "b < 100"), ()),
        ("t", CHECK_EXTRA, unnamed_check("t", "b < 1000"), ()),
        ("t", CHECK_EXTRA, "ck_extra", ()),
    }
    by_name = {f.constraint: f for f in findings}
    assert by_name["ck_qty"].baseline_check.expression == "qty > 0"
    assert by_name["ck_qty"].current_check.expression == "qty >= 0"
    assert by_name["ck_old"].current_check.name == "ck_new"
    assert by_name["ck_gone"].baseline_check.expression == "b != 0"


def test_a_table_without_checks_has_none(tmp_path):
    snapshot = read(make(tmp_path / "a.db", "CREATE TABLE t (a INT);"), "a")
    assert snapshot.tables["t"].checks == {}
    assert snapshot.tables["t"].foreign_keys == ()


@pytest.mark.parametrize(("column_sql", "violating", "name"), [
    ("a INT CONSTRAINT n NOT NULL CHECK (a < 5)", "10", "n"),
    # two checks SQLite names n: the one first in definition order keeps the name
    ("a INT CONSTRAINT n CHECK (a > 0) CHECK (a < 5)", "10", "n"),
    ("a INT CONSTRAINT n NOT NULL, CHECK (a < 5)", "10", "n"),
    ("a INT, CONSTRAINT n CHECK (a > 0) CHECK (a < 5)", "10", "n"),
    ("a INT, CONSTRAINT n CHECK (a > 0), CHECK (a < 5)", "10", None),
    ("a INT CONSTRAINT n CHECK (a > 0), b INT CHECK (b < 5)", "1, 10", None),
    ("a INT CONSTRAINT 'quoted n' DEFAULT 3 CHECK (a < 5)", "10", "quoted n"),
])
def test_check_names_are_the_ones_sqlite_reports(tmp_path, column_sql, violating, name):
    """The name a CONSTRAINT clause gives a check is the one SQLite's own "CHECK constraint
    failed" message uses (SQLite's binding rule, not the nearest keyword)."""
    sql = f"CREATE TABLE t ({column_sql});"
    url = make(tmp_path / "a.db", sql)
    conn = sqlite3.connect(tmp_path / "a.db")
    with pytest.raises(sqlite3.IntegrityError) as failure:
        conn.execute(f"INSERT INTO t VALUES ({violating})")
    conn.close()
    reported = str(failure.value).removeprefix("CHECK constraint failed: ")
    checks = read(url, "a").tables["t"].checks
    failing = [c for c in checks.values() if c.expression in ("a < 5", "b < 5")]
    assert len(failing) == 1
    if name is None:
        assert failing[0].name.startswith("ck_t_")
    else:
        assert failing[0].name == reported == name


# --- table options ---------------------------------------------------------------------------

OPTIONS_PRD = """
CREATE TABLE k1 (k TEXT PRIMARY KEY, v INT) WITHOUT ROWID;
CREATE TABLE k2 (k INT) STRICT;
CREATE TABLE k3 (k TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
CREATE TABLE k4 (k INT);
"""

OPTIONS_DEV = """
CREATE TABLE k1 (k TEXT PRIMARY KEY, v INT);
CREATE TABLE k2 (k INT);
CREATE TABLE k3 (k TEXT PRIMARY KEY);
CREATE TABLE k4 (k INT);
"""


def test_without_rowid_and_strict(tmp_path):
    assert found(pair(tmp_path, OPTIONS_PRD, OPTIONS_DEV)) == {
        ("k1", OPTIONS_CHANGED, "", ("without_rowid",)),
        ("k2", OPTIONS_CHANGED, "", ("strict",)),
        ("k3", OPTIONS_CHANGED, "", ("without_rowid", "strict")),
    }
    snapshot = read(make(tmp_path / "o.db", OPTIONS_PRD), "o")
    assert snapshot.tables["k3"].options == {"without_rowid": "1", "strict": "1"}
    assert snapshot.tables["k4"].options == {"without_rowid": "0", "strict": "0"}


def test_options_from_the_create_table_text_match_the_pragma(tmp_path, monkeypatch):
    """Before SQLite 3.37 (no pragma_table_list) the options come from the CREATE TABLE
    tail; both readings agree (the fallback forced on this library)."""
    sql = OPTIONS_PRD + """
    CREATE TABLE "k5 strict" (k TEXT PRIMARY KEY, "without rowid" INT) without   rowid;
    CREATE TABLE k6 (k INT) strict /* comment */ ;
    CREATE TABLE k7 (k TEXT PRIMARY KEY) WITHOUT ROWID , STRICT;
    """
    url = make(tmp_path / "o.db", sql)
    pragma = {n: t.options for n, t in read(url, "o").tables.items()}
    monkeypatch.setattr(catalog, "TABLE_LIST_VERSION", (999,))
    tail = {n: t.options for n, t in read(url, "o").tables.items()}
    assert tail == pragma
    assert pragma["k5 strict"] == {"without_rowid": "1", "strict": "0"}
    assert pragma["k7"] == {"without_rowid": "1", "strict": "1"}


# --- no false drift --------------------------------------------------------------------------

PROBES = {
    "references the primary key": (
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p);",
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p(id));"),
    "composite primary key": (
        "CREATE TABLE pk2 (x INT, y INT, PRIMARY KEY (x, y));"
        "CREATE TABLE c (x INT, y INT, FOREIGN KEY (x, y) REFERENCES pk2);",
        "CREATE TABLE pk2 (x INT, y INT, PRIMARY KEY (x, y));"
        "CREATE TABLE c (x INT, y INT, FOREIGN KEY (x, y) REFERENCES pk2 (x, y));"),
    "self reference": (
        "CREATE TABLE node (id INTEGER PRIMARY KEY, up INT REFERENCES node);",
        "CREATE TABLE node (id INTEGER PRIMARY KEY, up INT REFERENCES node (id));"),
    "keyword and name case": (
        FK_PARENTS + "CREATE TABLE c (A INT CONSTRAINT FK_A REFERENCES P ON DELETE cascade,"
                     " CONSTRAINT CK_A CHECK (A > 0));",
        FK_PARENTS + "create table c (a int constraint fk_a references p on delete CASCADE,"
                     " constraint ck_a check (a > 0));"),
    "quoted and bare names": (
        FK_PARENTS + 'CREATE TABLE "c" ("a" INT CONSTRAINT "fk_a" REFERENCES "p" ("id"),'
                     ' [b] INT, CONSTRAINT `ck_b` CHECK ([b] > 0));',
        FK_PARENTS + "CREATE TABLE c (a INT CONSTRAINT 'fk_a' REFERENCES p (id), b INT,"
                     " CONSTRAINT ck_b CHECK (b > 0));"),
    "column-level and table-level foreign key": (
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p (id));",
        FK_PARENTS + "CREATE TABLE c (a INT, FOREIGN KEY (a) REFERENCES p (id));"),
    "explicit default actions": (
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p ON DELETE NO ACTION"
                     " ON UPDATE NO ACTION);",
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p);"),
    "MATCH (ignored by SQLite)": (
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p MATCH FULL);",
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p);"),
    "immediate spelled four ways": (
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p DEFERRABLE, b INT REFERENCES p"
                     " DEFERRABLE INITIALLY IMMEDIATE, d INT REFERENCES q NOT DEFERRABLE"
                     " INITIALLY DEFERRED);",
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p, b INT REFERENCES p,"
                     " d INT REFERENCES q);"),
    "deferred clause after another column constraint": (
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p NOT NULL DEFERRABLE INITIALLY"
                     " DEFERRED);",
        FK_PARENTS + "CREATE TABLE c (a INT NOT NULL, FOREIGN KEY (a) REFERENCES p (id)"
                     " DEFERRABLE INITIALLY DEFERRED);"),
    "declaration order": (
        FK_PARENTS + "CREATE TABLE c (a INT REFERENCES p, b INT REFERENCES q,"
                     " CHECK (a > 0), CHECK (b > 0), CONSTRAINT n1 CHECK (a < 9));",
        FK_PARENTS + "CREATE TABLE c (a INT, b INT, FOREIGN KEY (b) REFERENCES q,"
                     " FOREIGN KEY (a) REFERENCES p, CHECK (b > 0), CONSTRAINT n1"
                     " CHECK (a < 9), CHECK (a > 0));"),
    "check spacing and quoting": (
        "CREATE TABLE t (a INT, CHECK(a>0));",
        'CREATE TABLE t (a INT, check ( "a" > 0 ));'),
    "check outer parentheses": (
        "CREATE TABLE t (a INT, CHECK ((a > 0)));",
        "CREATE TABLE t (a INT, CHECK (a > 0));"),
    "column-level and table-level check": (
        "CREATE TABLE t (a INT CHECK (a > 0));",
        "CREATE TABLE t (a INT, CHECK (a > 0));"),
    "operator spellings": (
        "CREATE TABLE t (a INT, b INT, CHECK (a <> 1), CHECK (b == 2), CHECK (a NOTNULL),"
        " CHECK (b ISNULL OR b > 0));",
        "CREATE TABLE t (a INT, b INT, CHECK (a != 1), CHECK (b = 2), CHECK (a IS NOT NULL),"
        " CHECK (b IS NULL OR b > 0));"),
    "NOT NULL is IS NOT NULL": (
        "CREATE TABLE t (a INT, CHECK (a NOT NULL));",
        "CREATE TABLE t (a INT, CHECK (a IS NOT NULL));"),
    "double-quoted string literal": (
        'CREATE TABLE t (s TEXT, CHECK (s IN ("Open", "closed")));',
        "CREATE TABLE t (s TEXT, CHECK (s IN ('Open', 'closed')));"),
    "comments and line breaks": (
        "CREATE TABLE t (a INT, b INT, CHECK (a > 0 /* positive */ AND\n\t b < 5 -- small\n));",
        "CREATE TABLE t (a INT, b INT, CHECK (a>0 and b<5));"),
    "function and keyword case": (
        "CREATE TABLE t (s TEXT, CHECK (LENGTH( S ) BETWEEN 1 AND 5 AND S NOT LIKE 'X%'),"
        " CHECK (CAST(s AS INTEGER) > -1), CHECK (s COLLATE \"NOCASE\" <> 'a'))",
        "CREATE TABLE t (s TEXT, CHECK (length(s) between 1 and 5 and s not like 'X%'),"
        " CHECK (cast(s as integer)>- 1), CHECK (s collate nocase != 'a'))"),
    "blob literal case": (
        "CREATE TABLE t (b BLOB, CHECK (b <> X'ABCD'));",
        "CREATE TABLE t (b BLOB, CHECK (b <> x'abcd'));"),
    "a repeated constraint name": (
        "CREATE TABLE t (a INT, CONSTRAINT n CHECK (a > 0) CHECK (a < 5));",
        "CREATE TABLE t (a INT, CONSTRAINT n CHECK (a < 5) CHECK (a > 0));"),
    "table option spelling": (
        "CREATE TABLE k (k TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;",
        "create table k (k text primary key) without rowid, strict;"),
}


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_no_false_drift(tmp_path, probe):
    prd, dev = PROBES[probe]
    assert pair(tmp_path, prd, dev) == []


@pytest.mark.parametrize(("prd", "dev"), [
    ("CREATE TABLE t (s TEXT, CHECK (s <> 'Open'));",
     "CREATE TABLE t (s TEXT, CHECK (s <> 'open'));"),
    ('CREATE TABLE t (s TEXT, CHECK (s <> "Open"));',
     'CREATE TABLE t (s TEXT, CHECK (s <> "open"));'),
    ("CREATE TABLE t (a INT, CHECK (a > 0));", "CREATE TABLE t (a INT, CHECK (a >= 0));"),
    ("CREATE TABLE t (a INT, CHECK (a - -1 > 0));", "CREATE TABLE t (a INT, CHECK (a - 1 > 0));"),
    # Parentheses precedence needs stay (those around an AND/OR operand that it does not
    # need go: tests/corpus/same/sqlite/23_check_inner_parentheses).
    ("CREATE TABLE t (a INT, b INT, CHECK ((a > 0 OR b > 0) AND b < 9));",
     "CREATE TABLE t (a INT, b INT, CHECK (a > 0 OR b > 0 AND b < 9));"),
    ("CREATE TABLE t (a INT, b INT, CHECK (a > 0 AND (b > 0 OR b < -9)));",
     "CREATE TABLE t (a INT, b INT, CHECK (a > 0 AND b > 0 OR b < -9));"),
])
def test_what_differs_still_does(tmp_path, prd, dev):
    """String literals keep their case (a double-quoted one too: SQLite reads it as a
    string when it names no column); a sign or an operator is no spelling."""
    kinds = {f.kind for f in pair(tmp_path, prd, dev)}
    assert kinds == {CHECK_MISSING, CHECK_EXTRA}


def test_normalised_checks_are_sql_expressions():
    """What the reader keeps of a check is one SQLite expression (the check of files'
    SQL text, sources/checks, accepts it)."""
    columns = ["a", "b", "s", "we\"ird", "select"]
    for text in ["a>0", "a - -1 > 0", "- -a < 0", "s IN (\"x\", 'y')", '"select" > 0',
                 "[we\"ird] <> 0", "CAST(a AS INT) == 1", "a NOTNULL", "b ISNULL",
                 "case when a>0 then 1 else -1 end = 1", "s COLLATE \"NOCASE\" = 'x'",
                 "typeof(a) = 'integer' AND b BETWEEN -1 AND +5", "x'AB' <> b",
                 "a /* c */ > 1 -- d\n", "(a > 0) AND ((b < 1) OR (s = 'x'))",
                 "f((a)) OR (b IN ((1)))"]:
        canonical = normalize_check(tokenize(text), columns)
        assert expression_problem(canonical, "sqlite") is None, (text, canonical)
        assert normalize_check(tokenize(canonical), columns) == canonical


# --- hostile names ---------------------------------------------------------------------------

HOSTILE = '''
CREATE TABLE "pa""rent" ("i[d]" INTEGER PRIMARY KEY, "co`de" TEXT UNIQUE);
CREATE TABLE [chi"ld
tab] (
  "x""y" INT CONSTRAINT "fk ""one""" REFERENCES "pa""rent",
  `b``q` TEXT CONSTRAINT "ck]x" CHECK (`b``q` <> 'it''s'),
  "line
break" INT,
  CONSTRAINT 'fk two' FOREIGN KEY ("line
break") REFERENCES "pa""rent" ("co`de") ON DELETE CASCADE,
  CHECK ("x""y" > 0 AND "line
break" < 9)
) STRICT;
'''


def test_hostile_names_read_as_sqlite_reads_them(tmp_path):
    snapshot = read(make(tmp_path / "h.db", HOSTILE), "h")
    table = snapshot.tables['chi"ld\ntab']
    keys = {k.name: k for k in table.foreign_keys}
    assert set(keys) == {'fk "one"', "fk two"}
    assert (keys['fk "one"'].columns, keys['fk "one"'].ref_table,
            keys['fk "one"'].ref_columns) == (('x"y',), 'pa"rent', ("i[d]",))
    assert (keys["fk two"].columns, keys["fk two"].ref_columns, keys["fk two"].on_delete) \
        == (("line\nbreak",), ("co`de",), "CASCADE")
    expressions = {c.name: c.expression for c in table.checks.values()}
    expected = '"x""y" > 0 and "line\nbreak" < 9'
    assert expressions == {"ck]x": "\"b`q\" != 'it''s'",
                           unnamed_check('chi"ld\ntab', expected): expected}
    assert table.options == {"without_rowid": "0", "strict": "1"}
    assert snapshot.warnings == []


def test_hostile_names_spelled_other_ways_are_no_drift(tmp_path):
    other = """
    CREATE TABLE `pa"rent` (`i[d]` INTEGER PRIMARY KEY, [co`de] TEXT UNIQUE);
    CREATE TABLE "chi""ld
tab" (
      [x"y] INT CONSTRAINT [fk "one"] REFERENCES [pa"rent] ("i[d]"),
      "b`q" TEXT CONSTRAINT `ck]x` CHECK ("b`q" != 'it''s'),
      `line
break` INT,
      CONSTRAINT "fk two" FOREIGN KEY ([line
break]) REFERENCES [pa"rent] (`co``de`) ON DELETE CASCADE,
      CHECK ((`x"y` > 0 and [line
break] < 9))
    ) STRICT;
    """
    assert pair(tmp_path, HOSTILE, other) == []


def test_altered_table_reads_like_one_created_so(tmp_path):
    """ALTER TABLE ADD COLUMN / RENAME COLUMN rewrite the stored CREATE TABLE text."""
    altered = """
    CREATE TABLE p (id INTEGER PRIMARY KEY);
    CREATE TABLE c (a INT, CONSTRAINT ck_a CHECK (a > 0));
    ALTER TABLE c ADD COLUMN x INT CONSTRAINT fk_x REFERENCES p ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED;
    ALTER TABLE c ADD COLUMN y INT CHECK (y < 5);
    ALTER TABLE c RENAME COLUMN a TO "b b";
    """
    created = """
    CREATE TABLE p (id INTEGER PRIMARY KEY);
    CREATE TABLE c ([b b] INT, x INT, y INT CHECK (y<5), CONSTRAINT ck_a CHECK ([b b]>0),
                    CONSTRAINT fk_x FOREIGN KEY (x) REFERENCES p (id) ON DELETE CASCADE
                    DEFERRABLE INITIALLY DEFERRED);
    """
    assert pair(tmp_path, altered, created) == []
    snapshot = read(f"sqlite:///{tmp_path / 'prd.db'}", "prd")
    assert snapshot.tables["c"].foreign_keys[0].deferrable == "DEFERRED"
    assert snapshot.tables["c"].checks["ck_a"].expression == '"b b" > 0'
    assert snapshot.warnings == []


def test_parser_follows_sqlite_grammar_corners():
    found = parse_create_table(
        'CREATE TABLE "t(" (a INT DEFAULT (1, 2) CHECK (a > 0), b TEXT CHECK (b <> \')\'),'
        ' c INT REFERENCES p DEFERRABLE INITIALLY DEFERRED DEFAULT 0, d INT NOT DEFERRABLE)')
    assert found.columns == ["a", "b", "c", "d"]
    assert [(name, "".join(t.text for t in tokens)) for name, tokens, _ in found.checks] == [
        (None, "a>0"), (None, "b<>')'")]
    # d's NOT DEFERRABLE applies to the table's latest foreign key, as in SQLite
    assert [(k.columns, k.parent, k.deferred) for k in found.foreign_keys] == [
        (("c",), "p", False)]
    assert parse_create_table("CREATE VIRTUAL TABLE v USING fts5(a, b)").columns == []
    assert parse_create_table("CREATE TABLE x AS SELECT 1 AS a").columns == []


def test_sqlite_defers_the_latest_key_as_the_parser_does(tmp_path):
    """``NOT DEFERRABLE`` on a later column undoes an earlier key's deferral: SQLite's own
    behaviour, seen in a transaction that breaks the key until its end."""
    sql = FK_PARENTS + ("CREATE TABLE c (a INT REFERENCES p DEFERRABLE INITIALLY DEFERRED,"
                        " d INT NOT DEFERRABLE);")
    make(tmp_path / "d.db", sql)
    conn = sqlite3.connect(tmp_path / "d.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO c VALUES (42, 0)")  # immediate: fails at once
    conn.execute("ROLLBACK")
    conn.close()
    key = read(f"sqlite:///{tmp_path / 'd.db'}", "d").tables["c"].foreign_keys[0]
    assert key.deferrable is None


# --- only when asked -------------------------------------------------------------------------

def test_nothing_read_unless_asked(tmp_path):
    url = make(tmp_path / "prd.db", FK_PRD + CHECK_PRD + OPTIONS_PRD)
    snapshot = open_source(url, "prd")
    assert snapshot.objects == frozenset()
    assert all(t.foreign_keys == () and t.checks is None and t.options is None
               for t in snapshot.tables.values())
    only = open_source(url, "prd", objects=frozenset({"checks"}))
    assert only.objects == {"checks"}
    assert only.tables["c"].foreign_keys == () and only.tables["k1"].options is None
    assert only.tables["t"].checks


def test_foreign_key_safety_data_is_the_same_when_objects_are_read(tmp_path):
    url = make(tmp_path / "prd.db", FK_PRD)
    plain = open_source(url, "prd")
    full = open_source(url, "prd", objects=ALL)
    assert {n: t.referenced_by for n, t in plain.tables.items()} == \
        {n: t.referenced_by for n, t in full.tables.items()}
    assert full.tables["p"].referenced_by  # p's UNIQUE indexes serve keys of c


def test_without_objects_the_default_output_is_unchanged(tmp_path):
    prd = make(tmp_path / "prd.db", FK_PRD + CHECK_PRD + OPTIONS_PRD)
    dev = make(tmp_path / "dev.db", FK_DEV + CHECK_DEV + OPTIONS_DEV)
    result = CliRunner().invoke(cli, ["compare", f"prd={prd}", f"dev={dev}",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output  # the indexes are the same
    assert json.loads(result.output)["findings"] == []


def test_cli_reports_the_objects(tmp_path):
    prd = make(tmp_path / "prd.db", FK_PRD + CHECK_PRD + OPTIONS_PRD)
    dev = make(tmp_path / "dev.db", FK_DEV + CHECK_DEV + OPTIONS_DEV)
    result = CliRunner().invoke(cli, ["compare", f"prd={prd}", f"dev={dev}", "--objects",
                                      "foreign_keys,checks,tables", "--format", "json"])
    assert result.exit_code == 1, result.output
    (tmp_path / "api").mkdir()
    expected = found(pair(tmp_path / "api", FK_PRD + CHECK_PRD + OPTIONS_PRD,
                          FK_DEV + CHECK_DEV + OPTIONS_DEV))
    shown = {(f["table"], f["kind"], tuple(f["changes"]))
             for f in json.loads(result.output)["findings"]}
    assert shown == {(table, kind, changes) for table, kind, _, changes in expected}


def test_a_bare_file_path_reads_the_objects_too(tmp_path):
    # prd.db (no sqlite:/// scheme) is sniffed as a file; it must read what was asked.
    make(tmp_path / "prd.db", FK_PRD)
    snap = open_source(str(tmp_path / "prd.db"), "prd", objects=ALL)
    assert snap.objects == ALL
    assert any(t.foreign_keys for t in snap.tables.values())


def test_a_child_index_drop_is_not_held_once_foreign_keys_are_read(tmp_path):
    # SQLite (like PostgreSQL) needs no index on a foreign key's child columns: reading the
    # child's keys (--objects foreign_keys) must not bring InnoDB's rule with them.
    parent = "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
    prd = make(tmp_path / "prd.db", parent + "CREATE TABLE c (id INTEGER PRIMARY KEY, "
               "p_id INT REFERENCES p(id));\n")
    dev = make(tmp_path / "dev.db", parent + "CREATE TABLE c (id INTEGER PRIMARY KEY, "
               "p_id INT REFERENCES p(id));\nCREATE INDEX ix_c_p ON c (p_id);\n")
    for objects in ("indexes", "indexes,foreign_keys"):
        result = CliRunner().invoke(cli, ["migrate", f"prd={prd}", f"dev={dev}", "--stdout",
                                          "--drop-extra", "--objects", objects])
        assert result.exit_code == 0, result.output
        assert 'DROP INDEX "ix_c_p";' in result.output.replace("main.", ""), result.output
