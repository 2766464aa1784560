"""Generated SQL runs nothing but the intended DDL, in every layout (security issue 13).

Hostile index names on the real MariaDB and PostgreSQL: a line break followed by a
Liquibase directive, Flyway / Liquibase ``${…}``, psql and mysql client commands, a
``; DROP``. For each layout the migration is either refused (exit 2, one line naming the
env, table and name, no file written) or applied the way the layout's tool runs it:
the server's own client for plain files, Flyway's placeholder replacement then the
client, golang-migrate's one query per file, and Liquibase as tests/liquibase_sql.py reads
formatted SQL (its directives, its statement splitter, one statement at a time). Then a
canary outside the target is unchanged, and compare reports no drift (after the rollback:
the original drift).
"""

from __future__ import annotations

import getpass
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MARIADB, POSTGRES
from liquibase_sql import changelog, statements
from postgres_apply import psql, simple_query

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.errors import IndexDriftError
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.sources import open_source

MARKER = Path(f"/tmp/indexdrift-pwned-{uuid.uuid4().hex[:8]}")
REFUSED, APPLIED = "refused", "applied"
EVERYWHERE = dict.fromkeys(LAYOUTS, REFUSED)
TOOLS_ONLY = {"plain": APPLIED, "golang-migrate": APPLIED, "flyway": REFUSED,
              "liquibase": REFUSED}

# name (CANARY: the canary table, DROP_CANARY: dropping its schema, TAIL: a comment to
# the end of the line) -> expected outcome
# per layout. A line that a line-oriented reader would take for a directive is refused
# everywhere (the last check reads lines, not quotes); a name the tools cannot carry
# (line break, ${) is refused in flyway and liquibase only.
HOSTILE = {
    "changeset": ("i\n--changeset x:1\nDROP TABLE CANARY;", EVERYWHERE),
    "rollback": ("i\n  --rollback DROP_CANARY;", EVERYWHERE),
    "precondition": ("i\n--precondition-sql-check 0 DELETE FROM CANARY TAIL", EVERYWHERE),
    "comment": ("i\n-- comment: x\n--changeset y:2", EVERYWHERE),
    "shell": (f"i\n\\! touch {MARKER}", EVERYWHERE),
    "gexec": ("i\nSELECT 'DROP TABLE CANARY'\n\\gexec", EVERYWHERE),
    "delimiter": ("i\ndelimiter //", EVERYWHERE),
    "drop": ("i\n; DROP TABLE CANARY; --", TOOLS_ONLY),
    "crlf": ("i\r\n--rollback DROP TABLE CANARY;", EVERYWHERE),
    "placeholder": ("i_${flyway:user}", TOOLS_ONLY),
    "property": ("i_${user.name}", TOOLS_ONLY),
    "changeset_id": ("i changesetId:7-dev-t changesetAuthor:indexdrift",
                     {**dict.fromkeys(LAYOUTS, APPLIED), "liquibase": REFUSED}),
}
PG_ONLY_BACKSLASH = ('i\\";SELECT 1;--', {**dict.fromkeys(LAYOUTS, APPLIED),
                                         "liquibase": REFUSED})


class Server:
    """One real server: a prd/dev pair with table t, a canary outside the target."""

    def __init__(self, kind: str, request) -> None:
        self.kind = kind
        self.handle = request.getfixturevalue(kind)
        self.prd, self.dev = self.handle.create_db("prd"), self.handle.create_db("dev")
        # The canary lives outside the target: its own database on MariaDB, its own
        # schema in dev's database on PostgreSQL (names kept short: names are <= 63 bytes).
        if kind == "mariadb":
            schema = "c" + uuid.uuid4().hex[:6]
            self.handle.admin.cursor().execute(f"CREATE DATABASE `{schema}`")
            self.handle.created.append(schema)
            self.handle.run(schema, "CREATE TABLE c1 (id INT); INSERT INTO c1 VALUES (1)")
            self.canary, self.drop_canary = f"{schema}.c1", f"DROP DATABASE {schema}"
            self.tail = "#"
        else:
            self.handle.run(self.dev, "CREATE SCHEMA cy; CREATE TABLE cy.c1 (id int);"
                            " INSERT INTO cy.c1 VALUES (1)")
            self.canary, self.drop_canary = "cy.c1", "DROP SCHEMA cy CASCADE"
            self.tail = "--"

    def name(self, template: str) -> str:
        """The hostile name with this server's canary in it."""
        return (template.replace("DROP_CANARY", self.drop_canary)
                .replace("CANARY", self.canary).replace("TAIL", self.tail))

    def setup(self, index_name: str) -> None:
        """prd: t with the hostile index; dev: t without it."""
        if self.kind == "mariadb":
            quoted = "`" + index_name.replace("`", "``") + "`"
            ddl = f"CREATE TABLE t (id INT PRIMARY KEY, a INT, KEY {quoted} (a)) ENGINE=InnoDB"
            self.handle.run(self.prd, ddl)
            self.handle.run(self.dev, "CREATE TABLE t (id INT PRIMARY KEY, a INT) ENGINE=InnoDB")
        else:
            quoted = '"' + index_name.replace('"', '""') + '"'
            with self.handle.psycopg.connect(dbname=self.prd, autocommit=True,
                                             **POSTGRES) as conn:
                conn.execute("CREATE TABLE t (id int PRIMARY KEY, a int)")
                conn.execute(f"CREATE INDEX {quoted} ON t (a)")
            self.handle.run(self.dev, "CREATE TABLE t (id int PRIMARY KEY, a int)")

    def url(self, db: str) -> str:
        return self.handle.url(db)

    def findings(self) -> set:
        snaps = {"prd": open_source(self.url(self.prd), "prd"),
                 "dev": open_source(self.url(self.dev), "dev")}
        return {(f.kind, f.table, f.index) for f in compare(snaps, "prd").findings}

    def canary_rows(self) -> int:
        """Rows in the canary (it must stay one; 0 when it is gone)."""
        try:
            if self.kind == "mariadb":
                return self.handle.query(f"SELECT COUNT(*) FROM {self.canary}")[0][0]
            with self.handle.psycopg.connect(dbname=self.dev, **POSTGRES) as conn:
                return conn.execute(f"SELECT count(*) FROM {self.canary}").fetchone()[0]
        except Exception:  # noqa: BLE001 - the canary (or its schema) was dropped
            return 0

    def client(self, sql: str) -> None:
        """Run a script with the server's own client, stopping at the first error."""
        if self.kind == "postgres":
            psql(self.dev, sql)
            return
        proc = subprocess.run(["mariadb", "-h", MARIADB["host"], "-P", str(MARIADB["port"]),
                               "-u", MARIADB["user"], "--default-character-set=utf8mb4",
                               self.dev], input=sql, capture_output=True, text=True)
        assert proc.returncode == 0, f"{proc.stderr}\n--- script ---\n{sql}"

    def one_query(self, sql: str) -> None:
        """A whole file as one query (golang-migrate's drivers)."""
        if self.kind == "postgres":
            simple_query(self.dev, sql)
            return
        import pymysql
        conn = pymysql.connect(database=self.dev, client_flag=pymysql.constants.CLIENT
                               .MULTI_STATEMENTS, autocommit=True, **MARIADB)
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
                while cur.nextset():
                    pass
        finally:
            conn.close()

    def each(self, sqls: list[str]) -> None:
        """Statements one at a time over one connection (Liquibase's JDBC execute)."""
        if self.kind == "postgres":
            with self.handle.psycopg.connect(dbname=self.dev, autocommit=True,
                                             **POSTGRES) as conn:
                for sql in sqls:
                    conn.execute(sql)
            return
        with self.handle.admin.cursor() as cur:
            cur.execute(f"USE `{self.dev}`")
            for sql in sqls:
                cur.execute(sql)


def flyway_placeholders(text: str, server: Server) -> str:
    """Flyway's placeholder replacement: its built-in ``${flyway:…}`` values, and an
    error for any other placeholder (none are configured)."""
    user = MARIADB["user"] if server.kind == "mariadb" else POSTGRES["user"]
    known = {"flyway:user": user, "flyway:database": server.dev,
             "flyway:defaultSchema": server.dev, "flyway:table": "flyway_schema_history"}

    def value(match: re.Match) -> str:
        if match.group(1) not in known:
            raise AssertionError(f"Flyway: No value provided for placeholder {match.group(0)}")
        return known[match.group(1)]
    return re.sub(r"\$\{([^}]*)\}", value, text)


def apply(server: Server, out: Path, layout: str, direction: str) -> None:
    """Run dev's files the way the layout's tool runs them."""
    if layout == "plain":
        server.client((out / ("dev.sql" if direction == "up" else "dev.rollback.sql"))
                      .read_text())
        return
    files = sorted((out / "dev").iterdir())
    if layout == "flyway":
        prefix = "V" if direction == "up" else "U"
        path = next(f for f in files if f.name.startswith(prefix) and f.suffix == ".sql")
        server.client(flyway_placeholders(path.read_text(), server))
    elif layout == "golang-migrate":
        chosen = [f for f in files if f.name.endswith(f".{direction}.sql")]
        chosen.sort(key=lambda f: int(f.name.split("_")[0]), reverse=direction == "down")
        for path in chosen:
            server.one_query(path.read_text())
    else:
        changesets = changelog(files[0].read_text())
        if direction == "down":
            changesets = list(reversed(changesets))
        for changeset in changesets:
            if direction == "up":
                server.each(changeset.preconditions + statements(changeset.up_sql))
            else:
                server.each(statements(changeset.rollback_sql or ""))


def migrate(server: Server, out: Path, layout: str):
    """indexdrift migrate dev to prd in ``layout`` (with --explain: more comment lines)."""
    return CliRunner().invoke(cli, ["migrate", f"prd={server.url(server.prd)}",
                                    f"dev={server.url(server.dev)}", "--out", str(out),
                                    "--layout", layout, "--version", "7", "--explain"])


def check_every_layout(server: Server, name: str, expected: dict, tmp_path: Path) -> None:
    """The hostile ``name``'s migration in each layout: refused, or applied safely."""
    server.setup(name)
    original = server.findings()
    assert original == {("missing", "t", name)}
    for layout in LAYOUTS:
        out = tmp_path / layout
        result = migrate(server, out, layout)
        if expected[layout] == REFUSED:
            assert isinstance(result.exception, IndexDriftError), (layout, result.output)
            message = str(result.exception)
            assert "\n" not in message and "env dev" in message and "'t'" in message, message
            assert not out.exists() or not any(out.rglob("*")), layout
        else:
            assert result.exit_code == 0, (layout, result.output)
            apply(server, out, layout, "up")
            assert server.findings() == set(), layout
            assert server.canary_rows() == 1
            apply(server, out, layout, "down")
            assert server.findings() == original, layout
        assert server.canary_rows() == 1, layout
        assert not MARKER.exists(), layout


@pytest.mark.parametrize("kind", ["mariadb", "postgres"])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_names_run_nothing_but_the_ddl(request, tmp_path, kind, case):
    server = Server(kind, request)
    template, expected = HOSTILE[case]
    check_every_layout(server, server.name(template), expected, tmp_path)


@pytest.mark.parametrize("kind", ["mariadb", "postgres"])
@pytest.mark.parametrize("case", ["rollback", "precondition", "crlf"])
def test_liquibase_never_runs_sql_hidden_in_a_name(request, tmp_path, kind, case):
    """The reported defect, judged by its effect only: refused, or run as Liquibase runs
    it with the canary intact (before the fix it was emptied or dropped: a precondition
    runs before its changeset, a rollback line joins the rollback)."""
    server = Server(kind, request)
    name = server.name(HOSTILE[case][0])
    server.setup(name)
    result = migrate(server, tmp_path, "liquibase")
    if result.exception is None:
        for direction in ("up", "down"):
            try:
                apply(server, tmp_path, "liquibase", direction)
            except Exception:  # noqa: BLE001 - a failing changeset is no harm; the canary is
                pass
            assert server.canary_rows() == 1, direction
    else:
        assert isinstance(result.exception, IndexDriftError)
    assert server.canary_rows() == 1


def test_a_note_that_starts_with_a_name_never_reads_as_a_directive(request, tmp_path):
    """No line break needed: the note above a PostgreSQL rebuild starts with the index
    name, so "-- rollback DROP …" was a Liquibase rollback directive. Comment lines that
    would read as one get the "| " mark; the migration applies and rolls back exactly."""
    server = Server("postgres", request)
    name = "rollback DROP SCHEMA cy CASCADE; --"
    quoted = '"' + name + '"'
    server.handle.run(server.prd, f"CREATE TABLE t (id int PRIMARY KEY, a int); "
                      f"CREATE INDEX {quoted} ON t (a)")
    server.handle.run(server.dev, f"CREATE TABLE t (id int PRIMARY KEY, a int); "
                      f"CREATE INDEX {quoted} ON t (id)")
    original = server.findings()
    assert original == {("changed", "t", name)}
    result = migrate(server, tmp_path, "liquibase")
    assert result.exit_code == 0, result.output
    apply(server, tmp_path, "liquibase", "up")
    assert server.findings() == set()
    apply(server, tmp_path, "liquibase", "down")
    assert server.canary_rows() == 1
    assert server.findings() == original
    assert f"-- | {name} is built first" in next((tmp_path / "dev").iterdir()).read_text()


def test_explanation_pieces_keep_their_mark():
    """--explain: a name's line break cuts an explanation line; every piece keeps "| "."""
    from indexdrift.core.i18n import Catalog
    from indexdrift.ddl.explain_comments import comment_lines

    lines = comment_lines('CREATE INDEX "i\n--rollback x" ON t (a);', "postgresql",
                          Catalog("en"))
    pieces = [piece for line in lines[1:] for piece in line.splitlines()]
    assert len(pieces) > 2 and all(piece.startswith("| ") for piece in pieces), lines


def test_a_backslash_in_a_postgres_name_is_not_misread_by_liquibase(request, tmp_path):
    """Liquibase's splitter reads \\" as an escaped quote where PostgreSQL ends the name:
    the ';' after it would cut the statement there."""
    server = Server("postgres", request)
    check_every_layout(server, *PG_ONLY_BACKSLASH, tmp_path)


def test_an_escape_liquibase_cannot_split_is_refused_there_only(request, tmp_path):
    """E'\\x07' (a control character in a PostgreSQL comment): Liquibase's splitter does
    not know the escape, reads the quote as a plain symbol and would cut statements inside
    the next string; the liquibase layout refuses it, the others write it."""
    server = Server("postgres", request)
    server.handle.run(server.prd, "CREATE TABLE t (id int PRIMARY KEY, a int); "
                      "CREATE INDEX i ON t (a); COMMENT ON INDEX i IS E'bell\\x07'")
    server.handle.run(server.dev, "CREATE TABLE t (id int PRIMARY KEY, a int)")
    for layout in LAYOUTS:
        result = migrate(server, tmp_path / layout, layout)
        if layout == "liquibase":
            assert "Liquibase's statement splitter" in str(result.exception)
        else:
            assert result.exit_code == 0, (layout, result.output)


@pytest.mark.parametrize("kind", ["mariadb", "postgres"])
def test_the_refusal_is_exit_2_and_one_line(request, tmp_path, kind):
    server = Server(kind, request)
    server.setup(server.name(HOSTILE["changeset"][0]))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "-m", "indexdrift", "migrate",
                           f"prd={server.url(server.prd)}", f"dev={server.url(server.dev)}",
                           "--out", str(tmp_path / "out"), "--layout", "liquibase"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "env dev, table 't'" in proc.stderr and "holds a line break" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_liquibase_reader_is_faithful_to_liquibase():
    """The reader the tests trust: directives wherever a line starts with one (quotes do
    not matter), rollbacks naming a changeset, ${} from the environment and properties."""
    text = ("--liquibase formatted sql\n--changeset a:1\nCREATE TABLE `x\n"
            "  --rollback DROP DATABASE canary;\n` (a int);\n"
            "--precondition-sql-check expectedResult:0 DELETE FROM canary.c\n"
            "--changeset a:2\nSELECT '${user.name}';\n--rollback changesetId:1 "
            "changesetAuthor:a\n")
    first, second = changelog(text)
    assert first.rollback_sql == "DROP DATABASE canary;"
    assert first.preconditions == ["DELETE FROM canary.c"]
    assert second.up_sql == f"SELECT '{getpass.getuser()}';"
    assert second.rollback_sql == first.up_sql
    assert statements("ALTER TABLE `t` ADD INDEX `i\n; DROP TABLE c; --` (a)") == [
        "ALTER TABLE `t` ADD INDEX `i", "DROP TABLE c"]
