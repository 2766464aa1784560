"""Security issue 13, items 3-4 on the real MariaDB: comments and defaults holding quotes,
backslashes, line breaks and control characters are written so the script does exactly what
it shows under any sql_mode (NO_BACKSLASH_ESCAPES on or off), applied through the server's
own client in every layout: after it, nothing differs from prd byte for byte; the rollback
restores the env byte for byte; the canary table is never touched."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner
from conftest import MARIADB
from liquibase_sql import liquibase_parts
from sqlglot.tokens import TokenType

from indexdrift.cli.main import cli
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.explain.parser import MYSQL, MySQLFamily
from indexdrift.model.column_text import normalize_default

pytestmark = pytest.mark.mariadb

# Each value is an index comment, a column comment and a column default in prd.
VALUES = {
    "quote": "it's 'quoted'",
    "backslash": "C:\\new\\table\\",
    "inject": "\\'; DROP TABLE canary; --",
    "newline": "line1\nline2",
    "crlf": "a\r\nb\rc",
    "tab": "tab\there",
    "controls": "bell\x07 esc\x1b us\x1f del\x7f",
    "korean": "회원 이름 (한국어)",
    "close": "*/ closes; /* opens",
    "dashes": "-- not a comment\n-- rollback DROP TABLE canary;",
}
NBE = "--init-command=SET sql_mode=CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')"


def _literal(value: str) -> str:
    """A literal for the setup session (default sql_mode), written independently of
    indexdrift: every backslash, quote and line break escaped."""
    return "'" + (value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
                  .replace("\r", "\\r")) + "'"


def _prd_sql() -> str:
    # c_: the server stores a VARCHAR default as a value; x_: a TEXT default as text.
    cols = ",\n".join(f"  c_{k} VARCHAR(120) NULL DEFAULT {_literal(v)} COMMENT {_literal(v)},"
                      f"\n  x_{k} TEXT NULL DEFAULT {_literal(v)}" for k, v in VALUES.items())
    keys = ",\n".join(f"  KEY k_{k} (c_{k}) COMMENT {_literal(v)}" for k, v in VALUES.items())
    return f"CREATE TABLE t (\n  id INT PRIMARY KEY,\n{cols},\n{keys}\n);" + CANARY


def _dev_sql() -> str:
    # c_newline's default is backslash + n where prd has a line break: the pair a reader
    # once folded into one value (compare said "No drift").
    cols = ",\n".join(f"  c_{k} VARCHAR(120) NULL" + (
        " DEFAULT 'line1\\\\nline2'" if k == "newline" else "") + f",\n  x_{k} TEXT NULL"
        for k in VALUES)
    keys = ",\n".join(f"  KEY k_{k} (c_{k})" for k in VALUES)
    return f"CREATE TABLE t (\n  id INT PRIMARY KEY,\n{cols},\n{keys}\n);" + CANARY


CANARY = ("\nCREATE TABLE canary (id INT PRIMARY KEY, v VARCHAR(10));"
          "\nINSERT INTO canary VALUES (1, 'alive');")


def _state(mariadb, db: str) -> dict:
    """Columns and index parts of ``db`` as the catalog holds them, comments and defaults
    as bytes (hex)."""
    cols = mariadb.query(
        "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, "
        "HEX(COLUMN_DEFAULT), HEX(COLUMN_COMMENT) FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = %s ORDER BY 1, 3", (db,))
    keys = mariadb.query(
        "SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, "
        "HEX(INDEX_COMMENT) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s "
        "ORDER BY 1, 2, 3", (db,))
    canary = mariadb.query(f"SELECT id, v FROM `{db}`.canary")
    return {"columns": cols, "indexes": keys, "canary": canary}


def _client(db: str, sql: str, nbe: bool) -> str:
    """Run ``sql`` through the mariadb client (with NO_BACKSLASH_ESCAPES set at connect
    when ``nbe``); then print the session's sql_mode, which the script must leave as it
    found it. Returns that sql_mode."""
    args = ["mariadb", "-h", MARIADB["host"], "-P", str(MARIADB["port"]), "-u",
            MARIADB["user"], "--default-character-set=utf8mb4", "-N", "-B", db]
    if nbe:
        args.insert(1, NBE)
    proc = subprocess.run(args, input=(sql + "\nSELECT @@SESSION.sql_mode;\n").encode(),
                          capture_output=True)
    assert proc.returncode == 0, f"{proc.stderr.decode()}\n--- script ---\n{sql}"
    return proc.stdout.decode().strip().splitlines()[-1]


def _scripts(out, layout: str) -> tuple[str, str]:
    """(up, down) SQL as the layout's tool runs it; files read as bytes (no newline
    translation hides a raw carriage return)."""
    def text(path) -> str:
        return path.read_bytes().decode("utf-8")
    if layout == "plain":
        return text(out / "dev.sql"), text(out / "dev.rollback.sql")
    files = sorted((out / "dev").iterdir())
    if layout == "liquibase":
        return liquibase_parts(text(files[0]))
    up = next(f for f in files if f.name.startswith("V") or f.name.endswith(".up.sql"))
    down = next(f for f in files if f.name.startswith("U") or f.name.endswith(".down.sql"))
    return text(up), text(down)


def _findings(mariadb, prd: str, dev: str) -> dict:
    """dev's index and column findings as the CLI reports them: {name: changes}."""
    result = CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--objects",
                                      "indexes,columns", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return {(f["kind"], f.get("column") or f.get("index")): f["changes"]
            for f in json.loads(result.stdout)["findings"]}


def _no_literal_spans_lines(text: str) -> None:
    for token in MySQLFamily().tokenize(text):
        if token.token_type in (TokenType.STRING, TokenType.HEX_STRING):
            raw = text[token.start:token.end + 1]
            assert "\n" not in raw and "\r" not in raw, raw


@pytest.mark.parametrize("nbe", [False, True], ids=["escapes", "no_backslash_escapes"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_comments_and_defaults_exact_under_any_sql_mode(mariadb, tmp_path, layout, nbe):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, _prd_sql())
    mariadb.run(dev, _dev_sql())
    wanted, original = _state(mariadb, prd), _state(mariadb, dev)
    # The setup holds the values byte for byte.
    comments = {row[1]: row[6] for row in wanted["columns"] if row[0] == "t"}
    assert {k: comments[f"c_{k}"] for k in VALUES} == {
        k: v.encode().hex().upper() for k, v in VALUES.items()}
    before = _findings(mariadb, prd, dev)
    assert before[("column_changed", "c_newline")] == ["default", "comment"]  # not \\n
    assert len(before) == 3 * len(VALUES)
    result = CliRunner().invoke(cli, [
        "migrate", f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--objects",
        "indexes,columns", "--out", str(tmp_path), "--layout", layout, "--version", "7",
        "--explain"])
    assert result.exit_code == 0, result.output
    written = [path.read_bytes().decode() for path in tmp_path.rglob("*.sql")]
    for text in written:
        _no_literal_spans_lines(text)
    # The header says why the SETs are there (every file's first lines).
    assert all("a SET before each statement that has one turns NO_BACKSLASH_ESCAPES off"
               in text for text in written)
    up, down = _scripts(tmp_path, layout)
    mode = _client(dev, up, nbe)
    assert ("NO_BACKSLASH_ESCAPES" in mode) == nbe  # the session's sql_mode is restored
    assert _findings(mariadb, prd, dev) == {}
    after = _state(mariadb, dev)
    assert after == wanted
    _client(dev, down, nbe)
    assert _state(mariadb, dev) == original
    assert _findings(mariadb, prd, dev) == before


def test_mariadb_defaults_with_a_line_break_and_a_backslash_n_differ():
    line_break = normalize_default("'a\\nb'", flavor="mariadb", data_type="varchar",
                                   nullable=True, extra="")
    backslash_n = normalize_default("'a\\\\nb'", flavor="mariadb", data_type="varchar",
                                    nullable=True, extra="")
    assert line_break == "'a\nb'"
    assert backslash_n == "'a\\\\nb'"
    mysql_line_break = normalize_default("a\nb", flavor="mysql", data_type="varchar",
                                         nullable=True, extra="")
    assert mysql_line_break == line_break  # MySQL's bare value: the same default
    assert normalize_default("'a' + 'b'", flavor="mariadb", data_type="varchar",
                             nullable=True, extra="") == "'a' + 'b'"


def test_explainer_reads_the_pinned_statements():
    from indexdrift.dialects.mysql.ddl import SQL_MODE_PIN, SQL_MODE_RESTORE
    from indexdrift.explain.describe import explain_text
    text = (SQL_MODE_PIN + "\nALTER TABLE `t` MODIFY COLUMN `a` varchar(9) NULL DEFAULT "
            "_utf8mb4 0x610a62 COMMENT 'x\\\\y\\nz';\n" + SQL_MODE_RESTORE)
    items = explain_text(text, MYSQL)
    assert len(items) == 3 and all(item.parsed for item in items)



def test_a_line_break_and_backslash_n_differ_live_and_in_a_column_export(mariadb, tmp_path):
    from indexdrift.dialects.mysql.catalog import read_mysql_columns
    from indexdrift.dialects.mysql.columns_csv import read_columns_csv
    from indexdrift.sources.columns_export import export_columns_csv
    from indexdrift.sources.urls import parse_url

    db = mariadb.create_db("one")
    mariadb.run(db, "CREATE TABLE t (a VARCHAR(9) DEFAULT 'a\\nb', b VARCHAR(9) DEFAULT "
                    "'a\\\\nb', c TEXT DEFAULT 'a\\nb', d TEXT DEFAULT 'a\\\\nb');")
    live = read_mysql_columns(parse_url(mariadb.url(db)), "x")[1]["t"]
    text, _, _ = export_columns_csv(mariadb.url(db), "x")
    (tmp_path / "cols.csv").write_text(text, encoding="utf-8")
    exported = read_columns_csv(str(tmp_path / "cols.csv")).tables["t"]
    for cols in (live, exported):
        assert [cols[k].default for k in "abcd"] == ["'a\nb'", "'a\\\\nb'"] * 2
