"""Security issue 13, item 3 on the real PostgreSQL: comments, defaults and predicates
holding quotes, backslashes, line breaks and control characters are written as literals
that mean the same under standard_conforming_strings on and off, applied through psql in
every layout: after it, nothing differs from prd; the rollback restores the env exactly;
the canary table is never touched (a comment ``\\'; DROP TABLE public.c1; --`` once ran
the DROP under standard_conforming_strings=off)."""

from __future__ import annotations

import json
import os
import subprocess

import psycopg
import pytest
from click.testing import CliRunner
from conftest import POSTGRES
from liquibase_sql import liquibase_parts
from psycopg import sql
from sqlglot.tokens import TokenType

from indexdrift.cli.main import cli
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.explain.parser import PostgresFamily

pytestmark = pytest.mark.postgres

VALUES = {
    "quote": "it's 'quoted'",
    "backslash": "C:\\new\\table\\",
    "inject": "\\'; DROP TABLE public.c1; --",
    "newline": "line1\nline2",
    "crlf": "a\r\nb\rc",
    "tab": "tab\there",
    "controls": "bell\x07 esc\x1b us\x1f del\x7f",
    "korean": "회원 이름 (한국어)",
    "close": "*/ closes; /* opens",
    "dashes": "-- not a comment\n--rollback DROP TABLE public.c1;",
}
CANARY = ("CREATE TABLE public.c1 (id int PRIMARY KEY, v text); "
          "INSERT INTO public.c1 VALUES (1, 'alive')")


def _setup(db: str, prd: bool) -> None:
    """prd: every value as a column default, a column comment and an index comment, plus
    a partial and an expression index whose literals hold a line break and a backslash;
    dev: the same columns and indexes without any of it. Literals by psycopg (libpq's
    quoting), not by indexdrift."""
    with psycopg.connect(dbname=db, autocommit=True, **POSTGRES) as conn:
        def lit(value: str) -> str:
            return sql.Literal(value).as_string(conn)
        cols = ", ".join(f"c_{k} text" + (f" DEFAULT {lit(v)}" if prd else "")
                         for k, v in VALUES.items())
        conn.execute(f"CREATE TABLE t (id int PRIMARY KEY, {cols})")
        for k, v in VALUES.items():
            conn.execute(f"CREATE INDEX k_{k} ON t (c_{k})")
            if prd:
                conn.execute(f"COMMENT ON INDEX k_{k} IS {lit(v)}")
                conn.execute(f"COMMENT ON COLUMN t.c_{k} IS {lit(v)}")
        if prd:
            conn.execute("CREATE INDEX p_pred ON t (id) WHERE c_quote <> "
                         + lit("l1\nl2\\x"))
            conn.execute(f"CREATE INDEX p_expr ON t ((c_tab || {lit(chr(92) + chr(10))}))")
        for statement in CANARY.split("; "):
            conn.execute(statement)


def _state(db: str) -> dict:
    """Defaults, comments (as UTF-8 hex) and index definitions of ``db``, and the canary."""
    with psycopg.connect(dbname=db, autocommit=True, **POSTGRES) as conn:
        cols = conn.execute(
            "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid), "
            "encode(convert_to(col_description(a.attrelid, a.attnum), 'UTF8'), 'hex') "
            "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid "
            "AND d.adnum = a.attnum WHERE a.attrelid = 'public.t'::regclass AND a.attnum > 0 "
            "AND NOT a.attisdropped ORDER BY a.attnum").fetchall()
        idx = conn.execute(
            "SELECT c.relname, pg_get_indexdef(c.oid), "
            "encode(convert_to(obj_description(c.oid, 'pg_class'), 'UTF8'), 'hex') "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = 'public.t'::regclass ORDER BY 1").fetchall()
        canary = conn.execute("SELECT id, v FROM public.c1").fetchall()
    return {"columns": cols, "indexes": idx, "canary": canary}


def _psql(db: str, text: str, scs: str) -> None:
    env = {**os.environ, "PGOPTIONS": f"-c standard_conforming_strings={scs}"}
    proc = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", POSTGRES["host"],
                           "-p", str(POSTGRES["port"]), "-U", POSTGRES["user"], "-d", db,
                           "-f", "-"], input=text.encode(), capture_output=True, env=env)
    assert proc.returncode == 0, f"{proc.stderr.decode()}\n--- script ---\n{text}"


def _apply(out, layout: str, db: str, direction: str, scs: str) -> None:
    """Run dev's files the way the layout's tool runs them, each through psql (files
    read as bytes: no newline translation hides a raw carriage return)."""
    def text(path) -> str:
        return path.read_bytes().decode("utf-8")
    if layout == "plain":
        _psql(db, text(out / ("dev.sql" if direction == "up" else "dev.rollback.sql")), scs)
        return
    files = sorted((out / "dev").iterdir())
    if layout == "liquibase":
        up, down = liquibase_parts(text(files[0]))
        _psql(db, up if direction == "up" else down, scs)
    elif layout == "flyway":
        prefix = "V" if direction == "up" else "U"
        _psql(db, text(next(f for f in files if f.name.startswith(prefix)
                            and f.suffix == ".sql")), scs)
    else:
        chosen = [f for f in files if f.name.endswith(f".{direction}.sql")]
        chosen.sort(key=lambda f: int(f.name.split("_")[0]), reverse=direction == "down")
        for path in chosen:
            _psql(db, text(path), scs)


def _findings(postgres, prd: str, dev: str) -> dict:
    result = CliRunner().invoke(cli, ["compare", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--objects",
                                      "indexes,columns", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return {(f["kind"], f.get("column") or f.get("index")): f["changes"]
            for f in json.loads(result.stdout)["findings"]}


def _no_literal_spans_lines(text: str) -> None:
    for token in PostgresFamily().tokenize(text):
        if token.token_type in (TokenType.STRING, TokenType.BYTE_STRING):
            raw = text[token.start:token.end + 1]
            assert "\n" not in raw and "\r" not in raw, raw


@pytest.mark.parametrize("scs", ["on", "off"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_comments_defaults_predicates_exact_under_either_setting(postgres, tmp_path, layout,
                                                                 scs, monkeypatch):
    if layout == "liquibase":
        # E'\x07': Liquibase's splitter knows no such escape, so that value is refused there
        # (test_security_directives.py); every other value goes through Liquibase.
        monkeypatch.delitem(VALUES, "controls")
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    _setup(prd, True)
    _setup(dev, False)
    wanted, original = _state(prd), _state(dev)
    before = _findings(postgres, prd, dev)
    assert len(before) == 2 * len(VALUES) + 2
    result = CliRunner().invoke(cli, [
        "migrate", f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--objects",
        "indexes,columns", "--out", str(tmp_path), "--layout", layout, "--version", "7",
        "--explain"])
    assert result.exit_code == 0, result.output
    written = [path.read_bytes().decode() for path in tmp_path.rglob("*.sql")]
    for text in written:
        _no_literal_spans_lines(text)
        assert "NOT PARSED" not in text  # the explainer reads E'…' too
    assert any("E'\\\\''; DROP TABLE public.c1; --'" in text for text in written)
    _apply(tmp_path, layout, dev, "up", scs)
    assert _findings(postgres, prd, dev) == {}
    assert _state(dev) == wanted
    _apply(tmp_path, layout, dev, "down", scs)
    assert _state(dev) == original
    assert _findings(postgres, prd, dev) == before


def test_literal_forms():
    from indexdrift.dialects.postgresql.ddl import exact_literals, quote_string

    assert quote_string("plain, 한국어 */ --") == "'plain, 한국어 */ --'"
    assert quote_string("it's") == "'it''s'"
    assert quote_string("\\'; x") == "E'\\\\''; x'"
    assert quote_string("a\nb\r\t\x01\x7f\u2028") == "E'a\\nb\\r\\t\\x01\\x7f\\u2028'"
    # Catalog text: only literals that need it change; identifiers and E'' are read right.
    assert exact_literals("lower(\"we'ird\") || 'ok'") == "lower(\"we'ird\") || 'ok'"
    assert exact_literals("(c <> 'l1\nl2\\x'::text)") == "(c <> E'l1\\nl2\\\\x'::text)"
    assert exact_literals("(c <> E'a\\\\b\n')") == "(c <> E'a\\\\b\\n')"
    assert exact_literals("name = 'x'") == "name = 'x'"


def test_a_comment_never_runs_as_sql_with_standard_conforming_strings_off(postgres, tmp_path):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    for db, comment in ((prd, "COMMENT ON INDEX k IS E'\\\\''; DROP TABLE public.c1; --';"),
                        (dev, "")):
        postgres.run(db, f"CREATE TABLE t (id int PRIMARY KEY, a int); CREATE INDEX k ON t (a);"
                         f"{comment} {CANARY};")
    result = CliRunner().invoke(cli, ["migrate", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    _apply(tmp_path, "plain", dev, "up", "off")
    assert _state(dev)["canary"] == [(1, "alive")]
    assert _state(dev)["indexes"] == _state(prd)["indexes"]
    assert _findings(postgres, prd, dev) == {}


def test_a_database_with_standard_conforming_strings_off_reads_alike(postgres):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.admin.execute(f'ALTER DATABASE "{prd}" SET standard_conforming_strings = off')
    for db in (prd, dev):
        # E'' means the same under either setting: the two tables are identical.
        postgres.run(db, "CREATE TABLE t (id int PRIMARY KEY, a text DEFAULT E'x\\\\y', "
                         "b text); CREATE INDEX k ON t (id) WHERE b <> E'p\\\\q';")
    assert _findings(postgres, prd, dev) == {}
