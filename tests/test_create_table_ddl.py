"""Whole tables (issue 20) on the real servers: a table created from the baseline's model
is the baseline's table.

For each database a corpus of baseline tables, written by hand, covers every column kind
and index kind the readers know, hostile literals (quotes, backslashes, line breaks,
Korean) and hostile names. The baseline is read (``open_source`` with columns, checks,
options and foreign keys), ``create_table_statements`` of every table (in name order: a
child may come before its parent) then the foreign keys (``add_foreign_key_sql``; SQLite
writes them inline) are applied to an empty database with the server's own client, under
the setting that would change a literal's meaning if one were written wrong (MariaDB
``NO_BACKSLASH_ESCAPES``, PostgreSQL ``standard_conforming_strings=off``). Then:

- compare finds nothing of any kind between the baseline and the copy;
- an independent view agrees: MariaDB's SHOW CREATE TABLE, ``pg_dump --schema-only``,
  SQLite's pragmas (and its stored SQL is the statement sent);
- a canary table is untouched;
- the drop and rename statements do what they say (a staged drop's holding name).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess

import pytest
from conftest import MARIADB, POSTGRES

from indexdrift.compare.tables import compare
from indexdrift.core.target import target_of
from indexdrift.dialects.mysql import table_ddl as mysql_ddl
from indexdrift.dialects.postgresql import table_ddl as pg_ddl
from indexdrift.dialects.sqlite import table_ddl as sqlite_ddl
from indexdrift.plan.table_ops import CreateTable, DropTable, RenameTable, holding_name, renamed
from indexdrift.sources import open_source

OBJECTS = frozenset({"checks", "options", "foreign_keys"})
NBE = "--init-command=SET sql_mode=CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')"
# A name that ends a quoted identifier the wrong way, then runs SQL.
HOSTILE = 'x`"; DROP TABLE canary; -- 이름\n--rollback'


def read(url: str, env: str = "x"):
    """The snapshot as migrate reads it for whole tables."""
    return open_source(url, env, columns=True, objects=OBJECTS)


def findings(base, copy) -> list[tuple]:
    """Every finding of the copy against the baseline, of any kind."""
    return [(f.kind, f.table, f.index or f.constraint or f.column, tuple(f.changes))
            for f in compare({"base": base, "copy": copy}, "base").findings]


def script(statements) -> str:
    """Statements as a script (notes as comments), as the layouts render them."""
    return "\n".join(s.render() for s in statements) + "\n"


# --- MariaDB ----------------------------------------------------------------------------

def _my(text: str) -> str:
    """A literal for the hand-written baseline (default sql_mode: backslashes escape)."""
    return "'" + (text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
                  .replace("\r", "\\r")) + "'"


def _my_ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


WEIRD = "it's \\ \"q\" 줄\n바꿈\r\tend"
MARIADB_TABLES = {
    "autoinc": "id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) "
               "NOT NULL DEFAULT '', created DATETIME(3) NULL",
    "autoinc_secondary": "code CHAR(8) NOT NULL PRIMARY KEY, seq INT NOT NULL "
                         "AUTO_INCREMENT, KEY ix_seq (seq)",
    "composite_pk": "tenant INT NOT NULL, id INT NOT NULL, v INT, PRIMARY KEY (tenant, id), "
                    "KEY ix_v (v, tenant)",
    "generated": "a INT NOT NULL, b INT NOT NULL, s INT AS (a + b) VIRTUAL, "
                 "p VARCHAR(30) AS (CONCAT('x', a)) PERSISTENT, KEY ix_p (p), KEY ix_s (s)",
    "defaults": f"id INT PRIMARY KEY, v1 VARCHAR(80) NOT NULL DEFAULT {_my(WEIRD)}, "
                f"v2 VARCHAR(80) DEFAULT {_my('회원')}, t1 TEXT DEFAULT {_my(WEIRD)}, "
                "n1 DECIMAL(10,2) NOT NULL DEFAULT 1.50, n2 INT DEFAULT -1, "
                "b1 BIT(3) DEFAULT b'101', e1 ENUM('a','b''c') DEFAULT 'b''c', "
                "s1 SET('x','y') DEFAULT 'x,y', x1 INT DEFAULT (1 + 2), "
                "vb VARBINARY(8) DEFAULT 0x6162, d1 DATE DEFAULT '2024-02-29'",
    "timestamps": "id INT PRIMARY KEY, ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP "
                  "ON UPDATE CURRENT_TIMESTAMP, t6 TIMESTAMP(6) NULL DEFAULT "
                  "CURRENT_TIMESTAMP(6), dt DATETIME NOT NULL DEFAULT NOW()",
    "comments": (f"id INT PRIMARY KEY COMMENT {_my(WEIRD)}, a INT COMMENT {_my('열 설명')}, "
                f"KEY ix_a (a) COMMENT {_my(WEIRD)}", f"COMMENT {_my(WEIRD)}"),
    "prefix_desc": "id INT PRIMARY KEY, s VARCHAR(100), t TEXT, d DATE, "
                   "KEY ix_s (s(10), d DESC), KEY ix_t (t(20)), KEY ix_d (d DESC, id)",
    "fulltext": "id INT PRIMARY KEY, title VARCHAR(200), body TEXT, "
                "FULLTEXT KEY ft_title (title), FULLTEXT KEY ft_both (title, body)",
    "spatial": "id INT PRIMARY KEY, pt POINT NOT NULL, SPATIAL KEY sp_pt (pt)",
    "checks": f"id INT PRIMARY KEY, qty INT CHECK (qty >= 0), code VARCHAR(10), "
              f"CONSTRAINT ck_code CHECK (code <> {_my(WEIRD)}), "
              "CONSTRAINT ck_both CHECK (qty < 1000 OR code IS NULL)",
    "myisam": ("id INT PRIMARY KEY, a CHAR(10), KEY ix_a (a)", "ENGINE=MyISAM ROW_FORMAT=FIXED"),
    "aria": ("id INT PRIMARY KEY, a VARCHAR(10)", "ENGINE=Aria"),
    "aria_dynamic": ("id INT PRIMARY KEY, a VARCHAR(10)", "ENGINE=Aria ROW_FORMAT=DYNAMIC"),
    "memory": ("id INT NOT NULL, a INT, PRIMARY KEY (id) USING HASH, "
               "KEY ix_a (a) USING BTREE", "ENGINE=MEMORY"),
    "latin1": ("id INT PRIMARY KEY, a VARCHAR(10), b VARCHAR(10) CHARACTER SET utf8mb4 "
               "COLLATE utf8mb4_bin, c VARCHAR(5) COLLATE latin1_bin",
               "DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci"),
    "compressed": ("id INT PRIMARY KEY, a BLOB", "ROW_FORMAT=COMPRESSED"),
    "compact": ("id INT PRIMARY KEY", "ROW_FORMAT=COMPACT COMMENT='compact one'"),
    "ignored": "id INT PRIMARY KEY, a INT, b INT, KEY ix_a (a) IGNORED, KEY ix_b (b)",
    "long_unique": "id INT PRIMARY KEY, body TEXT, UNIQUE KEY uq_body (body)",
    "no_index": "a INT, b VARCHAR(3) NOT NULL",
    "json": "id INT PRIMARY KEY, doc JSON, meta JSON NOT NULL DEFAULT '{}' CHECK "
            "(JSON_LENGTH(meta) < 10)",
    "unique_nn": "a INT NOT NULL, b INT, c INT, UNIQUE KEY uq_a (a), UNIQUE KEY uq_bc (b, c)",
    "parent": "id INT PRIMARY KEY, k1 INT NOT NULL, k2 INT NOT NULL, "
              "UNIQUE KEY uq_k (k1, k2)",
    "child": "id INT PRIMARY KEY, pid INT, k1 INT, k2 INT, up INT, "
             "CONSTRAINT fk_parent FOREIGN KEY (pid) REFERENCES parent (id) "
             "ON DELETE CASCADE ON UPDATE SET NULL, "
             "CONSTRAINT fk_k FOREIGN KEY (k1, k2) REFERENCES parent (k1, k2), "
             "CONSTRAINT fk_self FOREIGN KEY (up) REFERENCES child (id) ON DELETE SET NULL",
    "numbers": "i TINYINT(1) NOT NULL DEFAULT 0, u SMALLINT UNSIGNED ZEROFILL, "
               "f FLOAT(7,3), d DOUBLE DEFAULT 2.5e10, y YEAR DEFAULT 2024, "
               "bn BINARY(2) DEFAULT 'ab', KEY ix_i (i)",
    HOSTILE: f"{_my_ident(HOSTILE)} INT PRIMARY KEY, "
             f"{_my_ident(HOSTILE + '2')} INT DEFAULT 1 COMMENT {_my(HOSTILE)}, "
             f"KEY {_my_ident(HOSTILE)} ({_my_ident(HOSTILE + '2')}), "
             f"CONSTRAINT {_my_ident('ck ' + HOSTILE)} CHECK ({_my_ident(HOSTILE)} > 0)",
}


def _create(quote, name: str, body) -> str:
    """``CREATE TABLE name (columns) options;`` of a corpus entry (text, or text and
    table options)."""
    columns, options = body if isinstance(body, tuple) else (body, "")
    return f"CREATE TABLE {quote(name)} ({columns}) {options};"


def mariadb_client(db: str, sql: str, *options: str) -> None:
    """Run a script with the mariadb client, stopping at the first error."""
    proc = subprocess.run(["mariadb", "-h", MARIADB["host"], "-P", str(MARIADB["port"]),
                           "-u", MARIADB["user"], "--default-character-set=utf8mb4", *options,
                           db], input=sql, capture_output=True, text=True)
    assert proc.returncode == 0, f"{proc.stderr}\n--- script ---\n{sql}"


def show_create(mariadb, db: str) -> dict[str, str]:
    """SHOW CREATE TABLE of every table of ``db``."""
    names = [r[0] for r in mariadb.query(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s", (db,))]
    return {name: mariadb.query(f"SHOW CREATE TABLE {_my_ident(db)}.{_my_ident(name)}")[0][1]
            for name in names}


def mysql_script(snapshot) -> str:
    """Every table's CREATE TABLE, in name order, then every foreign key."""
    target = target_of(snapshot.flavor, snapshot.version)
    tables = [snapshot.tables[n] for n in sorted(snapshot.tables)]
    statements = [s for t in tables
                  for s in mysql_ddl.create_table_statements(t, schema=None, target=target)]
    keys = [mysql_ddl.add_foreign_key_sql(fk) for t in tables for fk in t.foreign_keys]
    return script(statements) + "\n".join(keys) + "\n"


@pytest.mark.mariadb
def test_mariadb_tables_created_from_the_model_are_the_baselines(mariadb):
    assert len(MARIADB_TABLES) >= 20
    base, copy = mariadb.create_db("base"), mariadb.create_db("copy")
    mariadb.run(base, "\n".join(_create(_my_ident, n, b) for n, b in MARIADB_TABLES.items()))
    mariadb.run(copy, "CREATE TABLE canary (id INT); INSERT INTO canary VALUES (1)")
    baseline = read(mariadb.url(base))
    text = mysql_script(baseline)
    assert "SET @indexdrift_sql_mode" in text  # the backslash literals are pinned
    mariadb_client(copy, text, NBE)
    created = read(mariadb.url(copy))
    del created.tables["canary"]
    assert findings(baseline, created) == []
    assert show_create(mariadb, copy) == {"canary": show_create(mariadb, copy)["canary"],
                                          **show_create(mariadb, base)}
    assert mariadb.query(f"SELECT COUNT(*) FROM `{copy}`.canary") == [(1,)]


# --- PostgreSQL -------------------------------------------------------------------------

def _pg(text: str) -> str:
    """An escape-string literal for the hand-written baseline."""
    return "E'" + (text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
                   .replace("\r", "\\r").replace("\t", "\\t")) + "'"


def _pg_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


PG_SETUP = "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE DOMAIN posint AS int " \
           "CHECK (VALUE > 0);"
PG_TABLES = {
    "ident_always": "id bigint GENERATED ALWAYS AS IDENTITY (START WITH 5 INCREMENT BY 2 "
                    "CACHE 20 CYCLE) PRIMARY KEY, v text",
    "ident_default": "id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v int NOT NULL",
    "serials": "id serial PRIMARY KEY, big bigserial, small smallserial",
    "serial_nullable": "id serial, v int",
    "generated": "a int NOT NULL, b int NOT NULL, s int GENERATED ALWAYS AS (a * 2 + b) STORED, "
                 "t text GENERATED ALWAYS AS ('x' || a::text) STORED",
    "defaults": f"id int PRIMARY KEY, v1 text NOT NULL DEFAULT {_pg(WEIRD)}, "
                f"v2 varchar(20) DEFAULT '회원', n numeric(10,2) DEFAULT 1.50, i int DEFAULT -1, "
                "ts timestamptz DEFAULT now(), d date DEFAULT CURRENT_DATE, "
                "arr int[] DEFAULT '{1,2}', j jsonb DEFAULT '{\"a\": [1]}', "
                "b bytea DEFAULT '\\x00ff'::bytea, m mood DEFAULT 'ok', p posint DEFAULT 1, "
                "u uuid, iv interval DEFAULT '1 day', x int DEFAULT (1 + 2), "
                "bo boolean NOT NULL DEFAULT true",
    "comments": "id int PRIMARY KEY, a int, b int",
    "composite_pk": "tenant int, id int, v text, CONSTRAINT composite_pk_pkey PRIMARY KEY "
                    "(tenant, id) INCLUDE (v) WITH (fillfactor=70)",
    "deferrable": "id int, code text, CONSTRAINT pk_def PRIMARY KEY (id) DEFERRABLE, "
                  "CONSTRAINT uq_code UNIQUE (code) DEFERRABLE INITIALLY DEFERRED",
    "nulls_nd": "a int, b int, CONSTRAINT uq_nnd UNIQUE NULLS NOT DISTINCT (a, b)",
    "indexes": "id int PRIMARY KEY, email text, status text, score int, created timestamptz, "
               "tags text[], doc jsonb, r int4range",
    "exclude": "id int, during tsrange, room int, CONSTRAINT no_overlap EXCLUDE USING gist "
               "(during WITH &&) WHERE (room > 0)",
    "unlogged": "id int PRIMARY KEY, v text",
    "checks": f"id int PRIMARY KEY, qty int CHECK (qty >= 0), code text, "
              f"CONSTRAINT ck_code CHECK (code <> {_pg(WEIRD)}), "
              "CONSTRAINT ck_noinh CHECK (id > 0) NO INHERIT",
    "collations": 'id int PRIMARY KEY, c text COLLATE "C", p text COLLATE "POSIX"',
    "types": "c char(3), v varchar(20), t6 timestamp(3) with time zone, tm time, "
             "num numeric, f float8, r real, sm smallint NOT NULL, bits bit(3) DEFAULT B'101', "
             "vb varbit(8), inet inet, mac macaddr, pt point, money money",
    "no_pk": "a int, b text",
    "parent": "id int PRIMARY KEY, k1 int NOT NULL, k2 int NOT NULL, "
              "CONSTRAINT uq_k UNIQUE (k1, k2)",
    "child": "id int PRIMARY KEY, pid int, k1 int, k2 int, up int, "
             "CONSTRAINT fk_parent FOREIGN KEY (pid) REFERENCES parent (id) "
             "ON DELETE CASCADE ON UPDATE SET NULL, "
             "CONSTRAINT fk_k FOREIGN KEY (k1, k2) REFERENCES parent (k1, k2) MATCH FULL "
             "ON DELETE SET NULL (k1) DEFERRABLE INITIALLY DEFERRED, "
             "CONSTRAINT fk_self FOREIGN KEY (up) REFERENCES child (id) ON DELETE RESTRICT",
    "CamelCase": '"Id" int PRIMARY KEY, "Name" text, "name" text',
    HOSTILE: f"{_pg_ident(HOSTILE)} int PRIMARY KEY, {_pg_ident(HOSTILE + '2')} int DEFAULT 1, "
             f"CONSTRAINT {_pg_ident('ck ' + HOSTILE)} CHECK ({_pg_ident(HOSTILE)} > 0)",
}
PG_AFTER = f"""
COMMENT ON TABLE comments IS {_pg(WEIRD)};
COMMENT ON COLUMN comments.a IS {_pg(WEIRD)};
COMMENT ON COLUMN comments.b IS '열 설명';
CREATE INDEX ix_comments_a ON comments (a);
COMMENT ON INDEX ix_comments_a IS {_pg(WEIRD)};
COMMENT ON INDEX comments_pkey IS 'the key';
CREATE UNIQUE INDEX ix_email_lower ON indexes (lower(email)) WHERE status <> {_pg(WEIRD)};
CREATE INDEX ix_status_incl ON indexes (status) INCLUDE (score);
CREATE INDEX ix_email_pattern ON indexes (email text_pattern_ops,
                                         status COLLATE "C" DESC NULLS LAST);
CREATE INDEX ix_score_desc ON indexes (score DESC NULLS FIRST) WITH (fillfactor = 80);
CREATE INDEX ix_tags ON indexes USING gin (tags);
CREATE INDEX ix_doc ON indexes USING gin (doc jsonb_path_ops);
CREATE INDEX ix_created ON indexes USING brin (created) WITH (pages_per_range = 32);
CREATE INDEX ix_status_hash ON indexes USING hash (status);
CREATE INDEX ix_range ON indexes USING gist (r);
CREATE INDEX ix_expr ON indexes ((score * 2 + 1), (email || {_pg("'")}));
ALTER TABLE unlogged SET UNLOGGED;
ALTER TABLE checks ADD CONSTRAINT ck_notvalid CHECK (qty < 1000) NOT VALID;
CREATE INDEX {_pg_ident(HOSTILE + 'ix')} ON {_pg_ident(HOSTILE)} ({_pg_ident(HOSTILE + '2')});
COMMENT ON COLUMN {_pg_ident(HOSTILE)}.{_pg_ident(HOSTILE)} IS {_pg(HOSTILE)};
CREATE INDEX "Ix_Name" ON "CamelCase" ("Name", "name");
"""


PG_SPELLINGS = {"numeric(10,2) DEFAULT 1.50,": "numeric(10,2) DEFAULT 1.5,",
                "DEFAULT now(),": "DEFAULT CURRENT_TIMESTAMP,"}


def pg_client(db: str, sql: str, scs: str = "on") -> None:
    """Run a script with psql (ON_ERROR_STOP) under ``standard_conforming_strings``."""
    env = {**os.environ, "PGOPTIONS": f"-c standard_conforming_strings={scs}"}
    proc = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", POSTGRES["host"],
                           "-p", str(POSTGRES["port"]), "-U", POSTGRES["user"], "-d", db,
                           "-f", "-"], input=sql, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, f"{proc.stderr}\n--- script ---\n{sql}"


def pg_dump(db: str, *options: str) -> str:
    """``pg_dump --schema-only`` of ``db`` without the lines that differ by run (the
    \\restrict key) or by database."""
    proc = subprocess.run(["pg_dump", "--schema-only", "-h", POSTGRES["host"], "-p",
                           str(POSTGRES["port"]), "-U", POSTGRES["user"], *options, db],
                          capture_output=True, text=True, check=True)
    return "\n".join(line for line in proc.stdout.splitlines()
                     if not line.startswith(("\\restrict", "\\unrestrict", "-- Dumped")))


def pg_script(snapshot, schema: str | None = None) -> str:
    """Every table's statements, in name order, then every foreign key."""
    target = target_of(snapshot.flavor, snapshot.version)
    tables = [snapshot.tables[n] for n in sorted(snapshot.tables)]
    statements = [s for t in tables
                  for s in pg_ddl.create_table_statements(t, schema=schema, target=target)]
    keys = [pg_ddl.add_foreign_key_sql(fk, schema=schema)
            for t in tables for fk in t.foreign_keys]
    return script(statements) + "\n".join(keys) + "\n"


@pytest.mark.postgres
def test_postgres_tables_created_from_the_model_are_the_baselines(postgres):
    assert len(PG_TABLES) >= 20
    base, copy = postgres.create_db("base"), postgres.create_db("copy")
    pg_client(base, PG_SETUP + "\n".join(_create(_pg_ident, n, b) for n, b in PG_TABLES.items())
              + PG_AFTER)
    pg_client(copy, PG_SETUP)
    baseline = read(postgres.url(base))
    text = pg_script(baseline)
    assert "CONCURRENTLY" not in text
    pg_client(copy, "CREATE SCHEMA cy; CREATE TABLE cy.canary (id int); "
              "INSERT INTO cy.canary VALUES (1);")
    pg_client(copy, "BEGIN;\n" + text + "COMMIT;\n", scs="off")  # one transaction
    created = read(postgres.url(copy))
    assert findings(baseline, created) == []
    # The reader's spelling rules (docs/columns.md): a default written 1.50 or now() is
    # read, and so created, as 1.5 and CURRENT_TIMESTAMP, the same value.
    expected = pg_dump(base, "-n", "public")
    for written, read_as in PG_SPELLINGS.items():
        assert written in expected
        expected = expected.replace(written, read_as)
    assert pg_dump(copy, "-n", "public") == expected
    with postgres.psycopg.connect(dbname=copy, **POSTGRES) as conn:
        assert conn.execute("SELECT count(*) FROM cy.canary").fetchone() == (1,)


@pytest.mark.postgres
def test_postgres_table_of_another_schema_is_created_there_with_its_types(postgres):
    base, copy = postgres.create_db("base"), postgres.create_db("copy")
    setup = ("CREATE SCHEMA app; CREATE TYPE app.state AS ENUM ('new', 'done'); "
             "CREATE SEQUENCE app.seq;")
    pg_client(base, setup + "CREATE TABLE app.jobs (id int PRIMARY KEY, s app.state NOT NULL "
              "DEFAULT 'new', n bigint DEFAULT nextval('app.seq'), p int REFERENCES app.jobs); "
              "CREATE INDEX ix_s ON app.jobs (s) WHERE s <> 'done';")
    pg_client(copy, setup)
    baseline = read(postgres.url(base, "app"))
    text = pg_script(baseline, "app")
    assert text.startswith('SET search_path TO "app", public;')
    pg_client(copy, text)
    assert findings(baseline, read(postgres.url(copy, "app"))) == []
    assert pg_dump(copy, "-n", "app") == pg_dump(base, "-n", "app")


@pytest.mark.postgres
def test_postgres_partitioned_table_is_not_created(postgres):
    base = postgres.create_db("base")
    pg_client(base, "CREATE TABLE m (id int, at date) PARTITION BY RANGE (at); "
              "CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');")
    snapshot = read(postgres.url(base))
    reason = pg_ddl.cannot_create(snapshot.tables["m"])
    assert reason is not None and reason.key == "migrate.table.postgresql.partitioned"
    with pytest.raises(ValueError, match="partitioned"):
        pg_ddl.create_table_statements(snapshot.tables["m"], schema=None,
                                       target=target_of("postgresql", snapshot.version))


# --- SQLite -----------------------------------------------------------------------------

def _lite(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _lite_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


SQLITE_TABLES = {
    "rowid_alias": "id INTEGER PRIMARY KEY, v TEXT",
    "autoincrement": "id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL DEFAULT ''",
    "alias_by_constraint": "id INTEGER, v TEXT, PRIMARY KEY (id)",
    "pk_desc": "id INTEGER PRIMARY KEY DESC, v TEXT",
    "unique_then_pk_desc": "u TEXT UNIQUE, id INTEGER PRIMARY KEY DESC, w TEXT UNIQUE",
    "int_pk": "id INT PRIMARY KEY, v TEXT",
    "text_pk": "code TEXT PRIMARY KEY COLLATE NOCASE, v TEXT",
    "composite": "a TEXT, b INTEGER, c REAL, PRIMARY KEY (a, b DESC)",
    "without_rowid": "a TEXT, b INT, v BLOB, PRIMARY KEY (a, b)) WITHOUT ROWID",
    "strict": "id INTEGER PRIMARY KEY, n INT NOT NULL, r REAL, t TEXT, b BLOB, x ANY) STRICT",
    "both": "k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID, STRICT",
    "generated": "a INTEGER, b INTEGER, s INTEGER GENERATED ALWAYS AS (a + b) VIRTUAL, "
                 "p TEXT AS (a || 'x') STORED, q AS (abs(b))",
    "defaults": f"id INTEGER PRIMARY KEY, s TEXT DEFAULT {_lite(WEIRD)}, k TEXT DEFAULT '회원', "
                "n REAL DEFAULT -1.5, p INT DEFAULT +3, e INT DEFAULT (1 + 2), "
                "t TEXT DEFAULT CURRENT_TIMESTAMP, bl BLOB DEFAULT x'00ff', "
                "z DEFAULT NULL, tr BOOLEAN DEFAULT TRUE, w DEFAULT word, "
                "h INT DEFAULT 0x1F NOT NULL",
    "collations": "a TEXT COLLATE NOCASE, b TEXT COLLATE RTRIM, c TEXT COLLATE BINARY, "
                  "UNIQUE (a), UNIQUE (b COLLATE NOCASE, c DESC)",
    "uniques": "a TEXT UNIQUE, b TEXT, c TEXT, UNIQUE (b, c), PRIMARY KEY (c)",
    "checks": f"id INTEGER PRIMARY KEY, qty INT CHECK (qty >= 0), code TEXT, "
              f"CONSTRAINT ck_code CHECK (code <> {_lite(WEIRD)}), CHECK (qty < 1000)",
    "typed": "a VARCHAR(20), b UNSIGNED BIG INT, c DOUBLE PRECISION, d DECIMAL(10, 5), "
             "e NUMERIC, f, g DATETIME",
    "indexes": "id INTEGER PRIMARY KEY, email TEXT, status TEXT, score INT",
    "parent": "id INTEGER PRIMARY KEY, k1 INT NOT NULL, k2 INT NOT NULL, UNIQUE (k1, k2)",
    "child": "id INTEGER PRIMARY KEY, pid INT REFERENCES parent ON DELETE CASCADE, "
             "k1 INT, k2 INT, up INT, CONSTRAINT fk_k FOREIGN KEY (k1, k2) "
             "REFERENCES parent (k1, k2) ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED, "
             "FOREIGN KEY (up) REFERENCES child (id) ON DELETE RESTRICT",
    "no_parent_key": "id INT, ref INT REFERENCES keyless",
    "keyless": "a INT, b INT",
    '"select"': '"order" INT, [group] TEXT, `from` TEXT',
    HOSTILE: f"{_lite_ident(HOSTILE)} INTEGER PRIMARY KEY, "
             f"{_lite_ident(HOSTILE + '2')} INT DEFAULT {_lite(HOSTILE)}, "
             f"CONSTRAINT {_lite_ident('ck ' + HOSTILE)} CHECK ({_lite_ident(HOSTILE)} > 0)",
}
SQLITE_AFTER = f"""
CREATE UNIQUE INDEX ix_email ON indexes (lower(email)) WHERE status <> {_lite(WEIRD)};
CREATE INDEX ix_status ON indexes (status COLLATE NOCASE DESC, score);
CREATE INDEX ix_expr ON indexes (score * 2 + 1, email || 'x');
CREATE INDEX {_lite_ident(HOSTILE + 'ix')} ON {_lite_ident(HOSTILE)} ({_lite_ident(HOSTILE + '2')});
"""


def _sqlite_create(name: str, body: str) -> str:
    # a body may close the column list itself to give the table's options
    quoted = name if name.startswith('"') else _lite_ident(name)
    tail = "" if body.endswith((") WITHOUT ROWID", ") STRICT", ", STRICT")) else ")"
    return f"CREATE TABLE {quoted} ({body}{tail};"


_KEYWORDS = ("NULL", "TRUE", "FALSE", "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP")


def _type(declared: str) -> str:
    # SQLite prints its standard type names in upper case, others as declared
    return re.sub(r"\s*([(),])\s*", r"\1", declared).lower()


def _default(text: str | None) -> str | None:
    # spellings SQLite reads alike: DEFAULT NULL and none, a keyword's or a hex number's
    # case, a bare word and the string it is taken for
    if text is None or text.upper() == "NULL":
        return None
    if text.upper() in _KEYWORDS or re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
        return text.lower()
    if re.fullmatch(r"[A-Za-z_]\w*", text):
        return "'" + text + "'"
    return text


def pragmas(path) -> dict:
    """What SQLite itself says of every table: columns (with the spellings it reads alike
    made one), indexes and their key columns, foreign keys (each key's rows, the parent's
    PRIMARY KEY for a key naming no parent columns, in any order), WITHOUT ROWID /
    STRICT."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = "
                                            "'table' AND name NOT LIKE 'sqlite%'")]
        for name in names:
            indexes = conn.execute("SELECT * FROM pragma_index_list(?) ORDER BY name",
                                   (name,)).fetchall()
            keys: dict[int, list] = {}
            for fk in conn.execute("SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq",
                                   (name,)):
                keys.setdefault(fk[0], []).append(fk)
            foreign_keys = []
            for rows in keys.values():
                parent = rows[0][2]
                to = [r[4] for r in rows]
                if None in to:
                    to = [r[1] for r in sorted(conn.execute(
                        "SELECT pk, name FROM pragma_table_info(?) WHERE pk > 0", (parent,)))]
                foreign_keys.append((parent, tuple(r[3] for r in rows), tuple(to), *rows[0][5:]))
            out[name] = {
                "columns": [(c[0], c[1], _type(c[2]), c[3], _default(c[4]), *c[5:])
                            for c in conn.execute("SELECT * FROM pragma_table_xinfo(?)",
                                                  (name,))],
                "indexes": [(ix[1:], conn.execute("SELECT * FROM pragma_index_xinfo(?)",
                                                  (ix[1],)).fetchall()) for ix in indexes],
                "foreign_keys": sorted(foreign_keys),
                "options": conn.execute("SELECT wr, strict FROM pragma_table_list(?)",
                                        (name,)).fetchall()}
        return out
    finally:
        conn.close()


def default_row(path) -> list:
    """The row SQLite itself makes of the defaults table's defaults (each value and its
    type), the timestamp's type only."""
    conn = sqlite3.connect(path)
    try:
        conn.execute('INSERT INTO "defaults" DEFAULT VALUES')
        columns = [r[1] for r in conn.execute("SELECT * FROM pragma_table_info('defaults')")]
        row = conn.execute("SELECT " + ", ".join(f'"{c}", typeof("{c}")' for c in columns)
                           + ' FROM "defaults"').fetchone()
        return [value if columns[i // 2] != "t" or i % 2 else None
                for i, value in enumerate(row)]
    finally:
        conn.rollback()
        conn.close()


def stored_sql(path) -> dict[str, str]:
    """sqlite_schema's SQL of every table and index, by name."""
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL"))
    finally:
        conn.close()


def _spaces(sql: str) -> str:
    return re.sub(r"\s+", " ", sql.strip().removesuffix(";"))


def test_sqlite_tables_created_from_the_model_are_the_baselines(tmp_path):
    assert len(SQLITE_TABLES) >= 20
    base, copy = tmp_path / "base.db", tmp_path / "copy.db"
    conn = sqlite3.connect(base)
    conn.executescript("\n".join(_sqlite_create(n, b) for n, b in SQLITE_TABLES.items())
                       + SQLITE_AFTER)
    conn.close()
    conn = sqlite3.connect(copy)
    conn.executescript("CREATE TABLE canary (id INT); INSERT INTO canary VALUES (1);")
    conn.close()
    baseline = read(f"sqlite:///{base}")
    target = target_of("sqlite", baseline.version)
    statements = [s for name in sorted(baseline.tables) for s in
                  sqlite_ddl.create_table_statements(baseline.tables[name], target=target)]
    proc = subprocess.run(["sqlite3", "-bail", str(copy)], input="BEGIN;\n" + script(
        statements) + "COMMIT;\n", capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    created = read(f"sqlite:///{copy}")
    del created.tables["canary"]
    assert findings(baseline, created) == []
    found = pragmas(copy)
    assert found.pop("canary")
    assert found == pragmas(base)
    assert default_row(copy) == default_row(base)
    # what SQLite keeps is the statement sent, and only that
    stored = stored_sql(copy)
    assert {_spaces(s.sql) for s in statements} == {
        _spaces(sql) for name, sql in stored.items()
        if name != "canary" and not name.startswith("sqlite_")}
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT * FROM canary").fetchall() == [(1,)]
    conn.close()


# --- dropping, staging a drop, rolling back ------------------------------------------------

VERSION = "20240102030405"


class Server:
    """One database of one server the table statements are applied to."""

    def __init__(self, kind: str, request, tmp_path) -> None:
        self.kind = kind
        if kind == "sqlite":
            self.path = tmp_path / "env.db"
            sqlite3.connect(self.path).close()
            self.ddl, self.schema = sqlite_ddl, None
        else:
            self.handle = request.getfixturevalue(kind)
            self.db = self.handle.create_db("env")
            self.ddl = mysql_ddl if kind == "mariadb" else pg_ddl
            self.schema = None if kind == "mariadb" else "public"

    def setup(self, sql: str) -> None:
        """Hand-written SQL, in the server's default settings."""
        if self.kind == "mariadb":
            self.handle.run(self.db, sql)
        elif self.kind == "postgres":
            pg_client(self.db, sql)
        else:
            conn = sqlite3.connect(self.path)
            conn.executescript(sql)
            conn.close()

    def apply(self, statements) -> str:
        """Run the statements with the server's client, under the setting that would
        change a literal written wrong: the script."""
        text = script(statements)
        if self.kind == "mariadb":
            mariadb_client(self.db, text, NBE)
        elif self.kind == "postgres":
            pg_client(self.db, text, scs="off")
        else:
            proc = subprocess.run(["sqlite3", "-bail", str(self.path)], input=text,
                                  capture_output=True, text=True)
            assert proc.returncode == 0, proc.stderr
        return text

    def read(self):
        url = f"sqlite:///{self.path}" if self.kind == "sqlite" else self.handle.url(self.db)
        return read(url)

    def rows(self, table: str) -> int:
        quote = _my_ident if self.kind == "mariadb" else _pg_ident
        sql = f"SELECT count(*) FROM {quote(table)}"
        if self.kind == "sqlite":
            conn = sqlite3.connect(self.path)
            try:
                return conn.execute(sql).fetchone()[0]
            finally:
                conn.close()
        if self.kind == "mariadb":
            return self.handle.query(f"SELECT COUNT(*) FROM {_my_ident(self.db)}."
                                     f"{quote(table)}")[0][0]
        with self.handle.psycopg.connect(dbname=self.db, **POSTGRES) as conn:
            return conn.execute(sql).fetchone()[0]

    def definitions(self):
        """The server's own view of every table (SHOW CREATE TABLE, pg_dump, pragmas)."""
        if self.kind == "mariadb":
            return show_create(self.handle, self.db)
        if self.kind == "postgres":
            return pg_dump(self.db, "-n", "public")
        return pragmas(self.path)

    def create(self, table, rollback: bool = False) -> list:
        """The statements creating ``table`` and (not on SQLite) adding its foreign keys."""
        target = target_of({"mariadb": "mariadb", "postgres": "postgresql",
                            "sqlite": "sqlite"}[self.kind], None)
        out = self.ddl.create_table_statements(table, schema=self.schema, target=target,
                                               rollback=rollback)
        if self.kind != "sqlite":
            from indexdrift.ddl.statement import Statement
            out += [Statement(self.ddl.add_foreign_key_sql(fk, schema=self.schema), table.name)
                    for fk in table.foreign_keys]
        return out


def _setup_sql(kind: str) -> str:
    quote = {"mariadb": _my_ident, "postgres": _pg_ident, "sqlite": _lite_ident}[kind]
    literal = {"mariadb": _my, "postgres": _pg, "sqlite": _lite}[kind]
    t = quote(HOSTILE)
    comment = f" COMMENT {literal(WEIRD)}" if kind == "mariadb" else ""
    # unnamed ones too: the names servers (and the SQLite reader) derive from the table's
    return (f"CREATE TABLE {t} (id INT PRIMARY KEY, up INT, up2 INT, v VARCHAR(20) DEFAULT "
            f"{literal(WEIRD)}{comment}, CONSTRAINT {quote('fk ' + HOSTILE)} FOREIGN KEY (up) "
            f"REFERENCES {t} (id), CONSTRAINT {quote('ck ' + HOSTILE)} CHECK (id > 0), "
            f"FOREIGN KEY (up2) REFERENCES {t} (id), CHECK (up2 > 0), UNIQUE (v));\n"
            f"CREATE INDEX {quote('ix ' + HOSTILE)} ON {t} (v);\n"
            f"INSERT INTO {t} (id, up, v) VALUES (1, NULL, 'a'), (2, 1, 'b');\n"
            "CREATE TABLE other (id INT);\n")  # a schema without tables reads as an error


def _same(server, env, table, original) -> None:
    """The env's ``table`` (a name) is ``original`` (a model table) renamed to it."""
    moved = server.ddl.renamed_table(original, table, target=target_of(env.flavor, None))
    base = type(env)(env.source, env.schema, {table: moved},
                     env.flavor, env.version, objects=env.objects)
    mine = type(env)(env.source, env.schema, {table: env.tables[table]}, env.flavor,
                     env.version, objects=env.objects)
    assert findings(base, mine) == []


@pytest.mark.parametrize("kind", ["mariadb", "postgres", "sqlite"])
def test_a_staged_drop_renames_then_drops_and_each_rollback_undoes_its_step(
        request, tmp_path, kind):
    server = Server(kind, request, tmp_path)
    server.setup(_setup_sql(kind))
    table = server.read().tables[HOSTILE]
    before = server.definitions()
    held = holding_name(HOSTILE, VERSION, server.ddl.MAX_HOLDING_NAME)
    assert held.startswith("_indexdrift_dropped_x") and held.endswith(f"_{VERSION}")
    assert len(held.encode()) <= server.ddl.MAX_HOLDING_NAME

    step1 = RenameTable(HOSTILE, held)
    rename = server.ddl.rename_table_statement(step1.old, step1.new, schema=server.schema)
    server.apply([rename])
    after = server.read()
    assert HOSTILE not in after.tables and server.rows(held) == 2
    _same(server, after, held, table)  # indexes, checks, its key on itself: all went with it

    back = step1.inverse()
    server.apply([server.ddl.rename_table_statement(back.old, back.new, schema=server.schema)])
    assert server.rows(HOSTILE) == 2
    _same(server, server.read(), HOSTILE, table)

    server.apply([rename])
    step2 = DropTable(server.ddl.renamed_table(table, held, target=target_of(
        after.flavor, None)))
    assert step2.unsafe() == "data_loss"
    text = server.apply(server.ddl.drop_table_statements(step2.table, schema=server.schema))
    assert "-- WARNING: drops table _indexdrift_dropped_" in text
    assert held not in server.read().tables

    undo = step2.inverse()
    assert isinstance(undo, CreateTable) and undo.inverse() == step2
    text = server.apply(server.create(undo.table, rollback=True))
    assert "its rows are NOT restored" in text
    server.apply([server.ddl.rename_table_statement(back.old, back.new, schema=server.schema)])
    assert server.rows(HOSTILE) == 0
    _same(server, server.read(), HOSTILE, table)
    assert server.definitions() == before


@pytest.mark.parametrize("kind", ["mariadb", "postgres", "sqlite"])
def test_a_dropped_table_comes_back_empty_with_its_definition(request, tmp_path, kind):
    server = Server(kind, request, tmp_path)
    server.setup(_setup_sql(kind))
    table = server.read().tables[HOSTILE]
    before = server.definitions()
    drop = DropTable(table)
    server.apply(server.ddl.drop_table_statements(drop.table, schema=server.schema))
    assert HOSTILE not in server.read().tables
    server.apply(server.create(drop.inverse().table, rollback=True))
    assert server.rows(HOSTILE) == 0
    _same(server, server.read(), HOSTILE, table)
    assert server.definitions() == before


# --- without a server ------------------------------------------------------------------

def _table(name: str = "t", **fields):
    from indexdrift.model.tables import Column, Index, KeyPart, Table
    columns = {"id": Column("id", 1, "int", False), "a": Column("a", 2, "int", True, "NULL")}
    index = Index(name, "ix_a", (KeyPart("a"),))
    return Table(name, {"ix_a": index}, columns=columns, **fields)


def test_each_table_operation_undoes_exactly():
    table = _table()
    assert CreateTable(table).inverse() == DropTable(table)
    assert DropTable(table).inverse() == CreateTable(table)
    assert RenameTable("a", "b").inverse() == RenameTable("b", "a")
    assert RenameTable("a", "b").inverse().inverse() == RenameTable("a", "b")
    assert [op.unsafe() for op in (CreateTable(table), DropTable(table),
                                   RenameTable("a", "b"))] == [None, "data_loss", None]


def test_holding_names_fit_the_database_and_stay_apart():
    assert holding_name("orders", "7") == "_indexdrift_dropped_orders_7"
    long_a, long_b = "주문" * 20 + "a", "주문" * 20 + "b"
    a, b = holding_name(long_a, VERSION, 48), holding_name(long_b, VERSION, 48)
    assert a != b and len(a.encode()) <= 48 and len(b.encode()) <= 48
    assert a.startswith("_indexdrift_dropped_주") and a.endswith(f"_{VERSION}")
    a.encode().decode()  # never a character cut in half
    with pytest.raises(ValueError, match="too long"):
        holding_name("t" * 80, "9" * 60, 63)


def test_renamed_follows_the_table_where_the_server_does():
    from dataclasses import replace

    from indexdrift.model.tables import CheckConstraint, ForeignKey
    table = _table(foreign_keys=(
        ForeignKey("t", "t_ibfk_1", ("a",), "t", ("id",)),
        ForeignKey("t", "fk_t_a", ("a",), "p", ("id",)),
        ForeignKey("t", "named", ("a",), "p", ("id",))),
        checks={"t_chk_1": CheckConstraint("t", "t_chk_1", "`a` > 0"),
                "ck_t_x": CheckConstraint("t", "ck_t_x", "`a` < 9")})
    base = renamed(table, "h")
    assert base.indexes["ix_a"].table == "h" and {c.table for c in base.checks.values()} == {"h"}
    assert base.foreign_keys[0].ref_table == "h"  # a key on itself goes along
    mariadb = mysql_ddl.renamed_table(table, "h", target=target_of("mariadb", "10.11"))
    assert [k.name for k in mariadb.foreign_keys] == ["h_ibfk_1", "fk_t_a", "named"]
    assert sorted(mariadb.checks) == ["ck_t_x", "t_chk_1"]
    mysql = mysql_ddl.renamed_table(table, "h", target=target_of("mysql", "8.0.36"))
    assert sorted(mysql.checks) == ["ck_t_x", "h_chk_1"]
    lite = replace(table, checks={}, indexes={"sqlite_autoindex_t_1": replace(
        table.indexes["ix_a"], name="sqlite_autoindex_t_1", constraint="u", unique=True)})
    moved = sqlite_ddl.renamed_table(lite, "h")
    assert list(moved.indexes) == ["sqlite_autoindex_h_1"]
    assert [k.name for k in moved.foreign_keys] == ["fk_h_a", "named", "t_ibfk_1"]


@pytest.mark.parametrize("ddl", [mysql_ddl, pg_ddl, sqlite_ddl])
def test_a_table_whose_columns_were_not_read_is_not_created(ddl):
    from dataclasses import replace
    table = replace(_table(), columns=None)
    assert ddl.cannot_create(table).key == "migrate.table.no_columns"
    with pytest.raises(ValueError, match="columns were not read"):
        ddl.create_table_statements(table, schema=None, target=target_of("mysql", None))
    assert ddl.cannot_create(_table()) is None


def test_mysql8_create_table_has_its_own_words():
    from dataclasses import replace

    from indexdrift.model.tables import CheckConstraint, Index, KeyPart
    table = _table(checks={"c": CheckConstraint("t", "c", "`a` > 0", enforced=False)})
    table.indexes["ix_a"] = replace(table.indexes["ix_a"], visible=False)
    table.indexes["ix_f"] = Index("t", "ix_f", (KeyPart(None, "(`a` + 1)"),))
    mysql = mysql_ddl.create_table_sql(table, target_of("mysql", "8.0.36"))
    assert "INDEX `ix_a` (`a`) INVISIBLE" in mysql and "INDEX `ix_f` (((`a` + 1)))" in mysql
    assert "CONSTRAINT `c` CHECK (`a` > 0) NOT ENFORCED" in mysql
    mariadb = mysql_ddl.create_table_sql(table, target_of("mariadb", "10.11"))
    assert "INDEX `ix_a` (`a`) IGNORED" in mariadb and "NOT ENFORCED" not in mariadb


def test_mysql_option_values_are_words_or_refused():
    table = _table(options={"engine": "InnoDB; DROP TABLE x"})
    with pytest.raises(ValueError, match="not a plain word"):
        mysql_ddl.create_table_sql(table, target_of("mariadb", None))


def test_rollback_and_drop_notes_are_said_in_korean_too():
    from indexdrift.core.i18n import Catalog
    from indexdrift.plan.notes import localize
    created = mysql_ddl.create_table_statements(_table(), target=target_of("mariadb", None),
                                                rollback=True)
    dropped = pg_ddl.drop_table_statements(_table(), schema="public")
    ko = Catalog("ko")
    assert "복구되지 않습니다" in localize(created[0].notes[0], ko)
    assert "--drop-extra" in localize(dropped[0].notes[0], ko)
    assert created[0].render().startswith("-- re-creates table t as it was defined")


def test_the_registry_names_each_databases_table_ddl():
    from indexdrift.core import registry
    for name, module in (("mysql", mysql_ddl), ("postgresql", pg_ddl), ("sqlite", sqlite_ddl)):
        assert registry.by_name(name).module("table_ddl") is module
