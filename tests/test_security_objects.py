"""Hostile whole-table objects in files (issue 20): CHECK expressions, foreign-key words,
table options and every other text a migration writes into DDL as it is are refused
before anything is written (exit 2, naming the file and the JSON path or the object),
never a traceback; what is quoted (a comment) is written as a literal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_security_readers import one_error_line, run_main

from indexdrift.core.errors import IndexDriftError
from indexdrift.model.tables import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    KeyPart,
    Snapshot,
)
from indexdrift.sources import open_source
from indexdrift.sources.checks import check_objects, check_snapshot
from indexdrift.sources.snapshot import save_snapshot

HOSTILE_EXPRESSIONS = ["1) ; DROP TABLE x; --", "a = 'x", "a > 0\n\\! rm -rf /",
                       "a > 0); DROP TABLE x; (SELECT 1", "a > 0\n--rollback DROP TABLE x"]
OBJECTS = frozenset({"foreign_keys", "checks", "options"})


def mysql_snapshot(check: bool = True) -> Snapshot:
    snap = Snapshot("test", "shop", flavor="mysql", version="8.0.36", objects=OBJECTS)
    for name in ("p", "c"):
        table = snap.table(name)
        table.engine = "InnoDB"
        table.add(Index(name, "PRIMARY", (KeyPart("id"),), unique=True, primary=True))
        table.options = {"engine": "InnoDB", "charset": "utf8mb4",
                         "collation": "utf8mb4_0900_ai_ci", "row_format": "DYNAMIC",
                         "comment": ""}
        table.checks = {}
    child = snap.tables["c"]
    child.add(Index("c", "ix_pid", (KeyPart("pid"),)))
    child.foreign_keys = (ForeignKey("c", "fk_pid", ("pid",), "p", ("id",),
                                     on_delete="CASCADE"),)
    if check:
        child.checks = {"ck_pid": CheckConstraint("c", "ck_pid", "`pid` > 0")}
    return snap


def write_json(path: Path, snap: Snapshot, mutate) -> str:
    save_snapshot(snap, str(path))
    doc = json.loads(path.read_text())
    mutate(next(t for t in doc["tables"] if t["name"] == "c"))
    path.write_text(json.dumps(doc))
    return str(path)


@pytest.mark.parametrize("expression", HOSTILE_EXPRESSIONS)
def test_a_hostile_check_expression_in_a_snapshot_is_refused_naming_its_json_path(
        tmp_path, expression):
    base = str(tmp_path / "prd.json")
    save_snapshot(mysql_snapshot(check=False), base)
    bad = write_json(tmp_path / "dev.json", mysql_snapshot(),
                     lambda t: t["checks"][0].update(expression=expression))
    for command in ("compare", "migrate"):
        extra = ["--stdout"] if command == "migrate" else []
        line = one_error_line(run_main(command, f"prd={bad}", f"dev={base}", "--no-usage",
                                       "--objects", "checks", *extra))
        assert f"{bad}: tables[0].checks[0].expression:" in line, line


@pytest.mark.parametrize("field, value", [
    ("on_delete", "CASCADE; DROP TABLE x"), ("on_update", "SET NULL\n\\! rm -rf /"),
    ("match", "FULL) ; DROP TABLE x; --"), ("deferrable", "DEFERRED; DROP TABLE x"),
    ("on_delete", "cascade"),  # only the words as the readers write them
])
def test_foreign_key_words_in_a_snapshot_are_only_the_allowed_ones(tmp_path, field, value):
    bad = write_json(tmp_path / "s.json", mysql_snapshot(),
                     lambda t: t["foreign_keys"][0].update({field: value}))
    with pytest.raises(IndexDriftError, match=rf"tables\[0\]\.foreign_keys\[0\]\.{field}: "):
        open_source(bad, "prd")


@pytest.mark.parametrize("option", ["engine", "row_format", "charset", "collation"])
@pytest.mark.parametrize("value", ["InnoDB; DROP TABLE x", "InnoDB\n\\! rm -rf /",
                                   "utf8mb4 COLLATE=x, DROP COLUMN id"])
def test_word_table_options_in_a_snapshot_are_one_word(tmp_path, option, value):
    bad = write_json(tmp_path / "s.json", mysql_snapshot(),
                     lambda t: t["options"].update({option: value}))
    with pytest.raises(IndexDriftError, match=rf"tables\[0\]\.options\['{option}'\]: "):
        open_source(bad, "prd")


def test_the_engine_is_checked_after_the_file_is_read(tmp_path):
    bad = write_json(tmp_path / "s.json", mysql_snapshot(),
                     lambda t: t.update(engine="InnoDB; DROP TABLE x"))
    with pytest.raises(IndexDriftError, match="the engine of table 'c': "):
        open_source(bad, "prd")


def test_a_hostile_comment_option_is_written_as_a_literal_or_refused(tmp_path):
    base = str(tmp_path / "dev.json")
    save_snapshot(mysql_snapshot(), base)
    quoted = write_json(tmp_path / "prd.json", mysql_snapshot(),
                        lambda t: t["options"].update(comment="x'); DROP TABLE p; --"))
    proc = run_main("migrate", f"prd={quoted}", f"dev={base}", "--no-usage", "--objects",
                    "tables", "--stdout")
    assert proc.returncode == 0, proc.stderr
    assert "COMMENT='x''); DROP TABLE p; --'" in proc.stdout
    assert not any(line.startswith("DROP TABLE") for line in proc.stdout.splitlines())
    # A line break is escaped inside the literal (the script pins sql_mode so that the
    # escape means what it shows): no line of the files starts with "\\!".
    broken = write_json(tmp_path / "prd.json", mysql_snapshot(),
                        lambda t: t["options"].update(comment="x\n\\! rm -rf /"))
    proc = run_main("migrate", f"prd={broken}", f"dev={base}", "--no-usage", "--objects",
                    "tables", "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    script = (tmp_path / "out" / "dev.sql").read_text()
    assert "COMMENT='x\\n\\\\! rm -rf /'" in script
    assert not any(line.lstrip().startswith("\\") for line in script.splitlines())


@pytest.mark.parametrize("mutate, expected", [
    (lambda ix, p: p.update(opclass="text_ops); DROP TABLE c1; --"),
     "the key part 1 operator class of index 'ix_pid' on table 'c'"),
    (lambda ix, p: p.update(collation='"C") ; DROP TABLE c1; --'),
     "the key part 1 collation of index 'ix_pid' on table 'c'"),
    (lambda ix, p: p.update(operator="=) ; DROP TABLE c1; --"),
     "the key part 1 operator of index 'ix_pid' on table 'c'"),
    (lambda ix, p: ix.update(index_type="HASH (a); DROP TABLE c1; --"),
     "the index type of index 'ix_pid' on table 'c'"),
    (lambda ix, p: ix.update(parser="ngram) ; DROP TABLE x; --"),
     "the parser of index 'ix_pid' on table 'c'"),
])
def test_index_words_a_migration_writes_bare_are_checked(tmp_path, mutate, expected):
    def change(table):
        index = next(ix for ix in table["indexes"] if ix["name"] == "ix_pid")
        mutate(index, index["parts"][0])
    bad = write_json(tmp_path / "s.json", mysql_snapshot(), change)
    line = one_error_line(run_main("compare", f"prd={bad}", f"dev={bad}", "--no-usage"))
    assert expected in line and bad in line, line


def _model(**table_fields) -> Snapshot:
    snap = mysql_snapshot()
    for key, value in table_fields.items():
        setattr(snap.tables["c"], key, value)
    return snap


@pytest.mark.parametrize("expression", HOSTILE_EXPRESSIONS)
def test_any_reader_of_sql_text_gets_its_checks_checked(expression):
    # A SQLite file or a snapshot reader: whatever built the model, the check refuses it.
    snap = _model(checks={"ck": CheckConstraint("c", "ck", expression)})
    with pytest.raises(IndexDriftError, match="the expression of check 'ck' of table 'c': "):
        check_snapshot(snap, "prd", sql=True)
    # A CSV reader checks its own cells; its objects are checked all the same.
    with pytest.raises(IndexDriftError, match="the expression of check 'ck' of table 'c': "):
        check_objects(snap, "prd")


@pytest.mark.parametrize("field, value", [
    ("on_delete", "CASCADE; DROP TABLE x"), ("match", "NONE"), ("deferrable", "yes")])
def test_any_reader_gets_its_foreign_key_words_checked(field, value):
    fk = ForeignKey("c", "fk", ("pid",), "p", ("id",), **{field: value})
    with pytest.raises(IndexDriftError, match=f"the {field.replace('_', ' ')} of foreign key "
                                              "'fk' of table 'c'"):
        check_objects(_model(foreign_keys=(fk,)), "prd")


@pytest.mark.parametrize("field, value", [
    ("default", "0); DROP TABLE x; --"), ("expression", "a + 1) ; DROP TABLE x; --"),
    ("on_update", "now()\n\\! rm"), ("check", "json_valid(`a`) OR '"),
    ("column_type", "int; DROP TABLE x"), ("collation", "utf8mb4_bin; DROP TABLE x"),
    ("generated", "STORED; DROP TABLE x"), ("identity", "ALWAYS; DROP TABLE x")])
def test_columns_from_a_sql_text_source_are_checked(field, value):
    fields = {"name": "a", "position": 1, "column_type": "int", "nullable": True, field: value}
    column = Column(**fields)
    with pytest.raises(IndexDriftError, match=f"the {field.replace('_', ' ')} of column 'a' "
                                              "of table 'c': "):
        check_snapshot(_model(columns={"a": column}), "prd", sql=True)


@pytest.mark.parametrize("options", [{"persistence": "x; DROP TABLE y"},
                                     {"without_rowid": "1; DROP TABLE y"},
                                     {"engine": "MyISAM\n\\! rm"}])
def test_any_reader_gets_its_enumerated_options_checked(options):
    with pytest.raises(IndexDriftError, match=f"the table option '{next(iter(options))}' "
                                              "of table 'c': "):
        check_objects(_model(options=options), "prd")


def test_legitimate_objects_of_every_reader_pass():
    snap = mysql_snapshot()
    snap.tables["c"].columns = {
        "a": Column("a", 1, "json", True, default="NULL", check="json_valid(`a`)",
                    collation="utf8mb4_bin", charset="utf8mb4"),
        "n": Column("n", 2, "", True, dialect="sqlite"),
        "id": Column("id", 3, "integer", False, auto_increment=True, identity="AUTOINCREMENT",
                     dialect="sqlite")}
    snap.tables["c"].checks["ck_s"] = CheckConstraint("c", "ck_s", "`s` in (_utf8mb4'a;b')")
    snap.tables["c"].options["comment"] = "it's; a --comment\nwith lines"
    assert check_snapshot(snap, "prd", sql=True) is snap
    pg = Snapshot("t", "public", flavor="postgresql", objects=OBJECTS)
    table = pg.table("c")
    table.add(Index("c", "ix", (KeyPart("a", opclass="text_pattern_ops", collation='"C"'),),
                    index_type="BTREE", predicate="(a IS NOT NULL)"))
    table.options = {"persistence": "unlogged", "comment": ""}
    table.foreign_keys = (ForeignKey("c", "fk", ("a",), "p", ("a",), match="FULL",
                                     deferrable="DEFERRED", on_update="SET DEFAULT"),)
    table.checks = {"ck": CheckConstraint("c", "ck", "((a)::text <> 'x;y'::text)")}
    assert check_snapshot(pg, "prd", sql=True) is pg


def test_a_sqlite_snapshot_with_autoincrement_and_typeless_columns_reads_back(tmp_path):
    import sqlite3

    path = tmp_path / "prd.db"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n, "
                       "v TEXT DEFAULT 'a;b' CHECK (v <> 'x'));")
    conn.close()
    out = tmp_path / "prd.json"
    proc = run_main("snapshot", f"prd=sqlite:///{path}", "-o", str(out), "--objects", "all")
    assert proc.returncode == 0, proc.stderr
    # The snapshot loader took AUTOINCREMENT for an unknown identity and an undeclared
    # type for an empty one: the file could not be read back.
    proc = run_main("compare", f"prd={out}", f"dev=sqlite:///{path}", "--objects", "all",
                    "--no-usage")
    assert proc.returncode == 0, proc.stderr + proc.stdout


def test_migrate_stdout_gets_the_line_check_of_the_files(tmp_path):
    import sqlite3

    # A SQLite baseline's stored CREATE TABLE text is re-used by a rebuild as it is; a
    # comment in it can put "\! ls" at the start of a script line.
    prd, dev = tmp_path / "prd.db", tmp_path / "dev.db"
    for path, sql in ((prd, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, "
                            "CONSTRAINT ck CHECK (a > 0 /* x\n\\! ls */));"),
                      (dev, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT);")):
        conn = sqlite3.connect(path)
        conn.executescript(sql)
        conn.close()
    args = ["migrate", f"prd=sqlite:///{prd}", f"dev=sqlite:///{dev}", "--objects", "all",
            "--no-usage"]
    to_files = one_error_line(run_main(*args, "--out", str(tmp_path / "out")))
    proc = run_main(*args, "--stdout")
    printed = one_error_line(proc)
    assert proc.stdout == ""  # nothing printed before the refusal
    for line in (to_files, printed):
        assert "psql meta-command / mysql client command" in line and "table 't'" in line
    assert printed.startswith("error: <stdout: dev>:")


@pytest.mark.postgres
def test_a_real_postgresql_snapshot_of_every_checked_text_reads_back(postgres, tmp_path):
    db = postgres.create_db("secobj")
    postgres.run(db, """
        CREATE EXTENSION IF NOT EXISTS btree_gist;
        CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE);
        CREATE UNLOGGED TABLE c (id int PRIMARY KEY, code text, during tsrange,
          n numeric DEFAULT 0 CHECK (n >= 0), s text DEFAULT 'a;b' COLLATE "C",
          CONSTRAINT c_s CHECK (s <> 'x''; DROP TABLE p; --'),
          CONSTRAINT c_fk FOREIGN KEY (code) REFERENCES p (code) MATCH FULL
            ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
          CONSTRAINT c_ex EXCLUDE USING gist (id WITH =, during WITH &&));
        CREATE INDEX c_code_pattern ON c (code text_pattern_ops) WHERE code IS NOT NULL;
        CREATE INDEX c_code_c ON c (code COLLATE "C" DESC NULLS LAST);
        CREATE INDEX c_lower ON c USING hash (lower(code));
        COMMENT ON TABLE c IS 'it''s; a --comment';
    """)
    out = tmp_path / "prd.json"
    proc = run_main("snapshot", f"prd={postgres.url(db)}", "-o", str(out), "--objects", "all")
    assert proc.returncode == 0, proc.stderr
    proc = run_main("compare", f"prd={out}", f"dev={postgres.url(db)}", "--objects", "all",
                    "--no-usage")
    assert proc.returncode == 0, proc.stderr + proc.stdout


@pytest.mark.mariadb
def test_a_real_mariadb_snapshot_of_every_checked_text_reads_back(mariadb, tmp_path):
    db = mariadb.create_db("secobj")
    mariadb.run(db, """
        CREATE TABLE p (id INT PRIMARY KEY) ENGINE=InnoDB;
        CREATE TABLE c (id INT PRIMARY KEY, pid INT, doc JSON,
          s VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT 'a;b',
          t TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
          g INT AS (pid + 1) VIRTUAL, body TEXT, FULLTEXT KEY ft (body),
          CONSTRAINT c_s CHECK (s <> 'a;b -- c' AND s <> '(x'),
          CONSTRAINT c_fk FOREIGN KEY (pid) REFERENCES p (id) ON DELETE SET NULL
        ) ENGINE=InnoDB ROW_FORMAT=COMPACT DEFAULT CHARSET=utf8mb4 COMMENT='it''s; --x';
    """)
    out = tmp_path / "prd.json"
    proc = run_main("snapshot", f"prd={mariadb.url(db)}", "-o", str(out), "--objects", "all")
    assert proc.returncode == 0, proc.stderr
    proc = run_main("compare", f"prd={out}", f"dev={mariadb.url(db)}", "--objects", "all",
                    "--no-usage")
    assert proc.returncode == 0, proc.stderr + proc.stdout
