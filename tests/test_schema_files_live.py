"""Schema files against real servers: the dumps of live schemas (mariadb-dump --no-data,
pg_dump --schema-only, sqlite3 .schema) compare clean against the schemas they came from,
a directory of one table per file and migration directories converge on the baseline, and
the throw-away schema is gone after success, failure and SIGINT."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MARIADB, POSTGRES
from mariadb_schemas import DEV, PRD

PREFIX = "files19b"
MYSQL_SCRATCH = f"mysql://{MARIADB['user']}@{MARIADB['host']}:{MARIADB['port']}"
PG_SCRATCH = f"postgresql://{POSTGRES['user']}@{POSTGRES['host']}:{POSTGRES['port']}/postgres"

# Beyond the shared schemas: a foreign key, a check, a trigger and a view.
MARIADB_EXTRA = """
CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, total DECIMAL(10,2) DEFAULT 0,
  CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT ck_total CHECK (total >= 0), KEY ix_user_total (user_id, total DESC));
CREATE VIEW v_orders AS SELECT id, total FROM orders;
"""

PG_SCHEMA = """
CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE, tenant int,
  created timestamptz DEFAULT now(), CONSTRAINT ck_tenant CHECK (tenant > 0));
CREATE INDEX ix_users_lower ON users (lower(email)) WHERE tenant IS NOT NULL;
CREATE TABLE orders (id bigserial PRIMARY KEY, uid int REFERENCES users (id) ON DELETE CASCADE,
  total numeric(10,2) DEFAULT 0, note varchar(20) COLLATE "C");
CREATE INDEX ix_orders_uid ON orders USING btree (uid DESC NULLS LAST) INCLUDE (total);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.total := 1;
  RETURN NEW; END; $$;
CREATE TRIGGER t_touch BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW v_users AS SELECT id FROM users;
"""


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    """The real console entry point (exit codes, one-line errors on stderr)."""
    return subprocess.run([sys.executable, "-m", "indexdrift", *args], capture_output=True,
                          text=True, **kw)


def mysql_scratches(mariadb) -> set[str]:
    return {r[0] for r in mariadb.query("SHOW DATABASES LIKE 'indexdrift\\_scratch\\_%'")}


def pg_scratches(postgres) -> set[str]:
    rows = postgres.admin.execute("SELECT datname FROM pg_database WHERE datname LIKE "
                                  "'indexdrift\\_scratch\\_%'").fetchall()
    return {r[0] for r in rows}


def mariadb_dump(db: str, path: Path) -> Path:
    with path.open("w") as out:
        subprocess.run(["mariadb-dump", "-h", MARIADB["host"], "-P", str(MARIADB["port"]),
                        "-u", MARIADB["user"], "--no-data", "--triggers", "--routines", db],
                       stdout=out, check=True)
    return path


def pg_dump(db: str, path: Path) -> Path:
    with path.open("w") as out:
        subprocess.run(["pg_dump", "-h", POSTGRES["host"], "-p", str(POSTGRES["port"]),
                        "-U", POSTGRES["user"], "--schema-only", db], stdout=out, check=True)
    return path


def no_drift(*args: str) -> None:
    for objects in ("indexes", "all"):
        result = run("compare", *args, "--objects", objects)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No drift" in result.stdout


@pytest.fixture
def maria(mariadb):
    if shutil.which("mariadb-dump") is None:
        pytest.skip("mariadb-dump is not installed")
    before = mysql_scratches(mariadb)
    yield mariadb
    assert mysql_scratches(mariadb) <= before  # every throw-away schema is gone


@pytest.fixture
def pg(postgres):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    before = pg_scratches(postgres)
    yield postgres
    assert pg_scratches(postgres) <= before


def test_mariadb_dump_compares_clean(maria, tmp_path):
    prd = maria.create_db("prd", prefix=PREFIX)
    maria.run(prd, PRD + MARIADB_EXTRA)
    maria.run(prd, "CREATE TRIGGER tr_audit BEFORE INSERT ON audit FOR EACH ROW "
                   "SET NEW.at = NOW()")
    dump = mariadb_dump(prd, tmp_path / "schema.sql")
    assert "DELIMITER ;;" in dump.read_text()  # the trigger is there, as dumps write it
    no_drift(f"prd={maria.url(prd)}", f"repo={dump}", "--scratch", MYSQL_SCRATCH)
    # Not a no-op: another schema's dump shows drift.
    dev = maria.create_db("dev", prefix=PREFIX)
    maria.run(dev, DEV)
    result = run("compare", f"prd={maria.url(prd)}",
                 f"repo={mariadb_dump(dev, tmp_path / 'dev.sql')}", "--scratch", MYSQL_SCRATCH)
    assert result.returncode == 1, result.stderr


def test_pg_dump_compares_clean(pg, tmp_path):
    prd = pg.create_db("prd", prefix=PREFIX)
    pg.run(prd, PG_SCHEMA.replace("$$ BEGIN NEW.total := 1;\n  RETURN NEW; END; $$",
                                  "'BEGIN NEW.total := 1; RETURN NEW; END;'"))
    dump = pg_dump(prd, tmp_path / "schema.sql")
    text = dump.read_text()
    assert "OWNER TO" in text  # skipped on load: no owner is compared
    # pg_dump 17 writes SET transaction_timeout, which PostgreSQL 15 does not know:
    # a setting the server lacks cannot change what it stores, so it is skipped.
    dump.write_text(text.replace("SET lock_timeout = 0;",
                                 "SET lock_timeout = 0;\nSET transaction_timeout = 0;"))
    no_drift(f"prd={pg.url(prd)}", f"repo={dump}", "--scratch", PG_SCRATCH)


def test_sqlite_dot_schema_compares_clean(tmp_path):
    if shutil.which("sqlite3") is None:
        pytest.skip("sqlite3 is not installed")
    db = tmp_path / "prd.db"
    conn = sqlite3.connect(db)
    conn.executescript("""
        CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT UNIQUE,
                            tenant INT CHECK (tenant > 0));
        CREATE INDEX ix_lower ON users (lower(email)) WHERE tenant IS NOT NULL;
        CREATE TABLE orders (id INTEGER PRIMARY KEY, uid INT REFERENCES users (id)
                             ON DELETE CASCADE, total REAL DEFAULT 0);
        CREATE INDEX ix_uid ON orders (uid DESC);
        CREATE TRIGGER t AFTER INSERT ON orders BEGIN
          UPDATE users SET tenant = 1 WHERE id = NEW.uid; END;
        CREATE VIEW v AS SELECT id FROM users;""")
    conn.close()
    schema = tmp_path / "schema.sql"
    with schema.open("w") as out:
        subprocess.run(["sqlite3", str(db), ".schema"], stdout=out, check=True)
    assert "sqlite_sequence" in schema.read_text()
    no_drift(f"prd=sqlite:///{db}", f"repo={schema}", "--scratch", "sqlite:")


def test_a_directory_of_one_table_per_file(maria, pg, tmp_path):
    prd = maria.create_db("prd", prefix=PREFIX)
    maria.run(prd, PRD + MARIADB_EXTRA.split("CREATE VIEW")[0])
    tables = tmp_path / "mysql"
    tables.mkdir()
    for (name,) in maria.query("SELECT table_name FROM information_schema.tables WHERE "
                               "table_schema = %s", (prd,)):
        create = maria.query(f"SHOW CREATE TABLE `{prd}`.`{name}`")[0][1]
        (tables / f"{name}.sql").write_text(create + ";\n")
    # orders.sql sorts before users.sql, which its foreign key references
    no_drift(f"prd={maria.url(prd)}", f"repo={tables}", "--scratch", MYSQL_SCRATCH)

    pdb = pg.create_db("prd", prefix=PREFIX)
    pg.run(pdb, "CREATE TABLE users (id int PRIMARY KEY, email text);"
                "CREATE TABLE orders (id int PRIMARY KEY, uid int REFERENCES users (id));"
                "CREATE INDEX ix_uid ON orders (uid);")
    files = tmp_path / "pg"
    files.mkdir()
    (files / "a_orders.sql").write_text(
        "CREATE TABLE orders (id int PRIMARY KEY, uid int REFERENCES users (id));\n"
        "CREATE INDEX ix_uid ON orders (uid);\n")
    (files / "b_users.sql").write_text("CREATE TABLE users (id int PRIMARY KEY, email text);\n")
    no_drift(f"prd={pg.url(pdb)}", f"repo={files}", "--scratch", PG_SCRATCH)


@pytest.mark.parametrize("layout", ["plain", "flyway", "golang-migrate", "liquibase"])
def test_a_migration_directory_equals_the_baseline(maria, tmp_path, layout):
    """dev's schema file, then indexdrift's migration of dev: prd, and the source label
    says up to which version."""
    prd, dev = maria.create_db("prd", prefix=PREFIX), maria.create_db("dev", prefix=PREFIX)
    maria.run(prd, PRD)
    maria.run(dev, DEV)
    out = tmp_path / "out"
    result = run("migrate", f"prd={maria.url(prd)}", f"dev={maria.url(dev)}", "--layout",
                 layout, "--version", "2", "--out", str(out), "--drop-extra", "--objects",
                 "all")
    assert result.returncode == 0, result.stderr
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    schema = mariadb_dump(dev, tmp_path / "dev.sql").read_text()
    first, version = {"plain": ("1_schema.sql", "2"), "flyway": ("V1__schema.sql", "V2"),
                      "golang-migrate": ("1_schema.up.sql", "2"),
                      "liquibase": ("1_schema.sql", "indexdrift:2-dev-users")}[layout]
    if layout == "liquibase":
        schema = "--liquibase formatted sql\n--changeset repo:1\n" + schema
    (migrations / first).write_text(schema)
    if layout == "plain":
        shutil.copy(out / "dev.sql", migrations / "2_dev.sql")
        shutil.copy(out / "dev.rollback.sql", migrations / "2_dev.rollback.sql")
    else:
        for path in (out / "dev").iterdir():
            shutil.copy(path, migrations / path.name)
    # Before the migration dev's schema file is not prd: the migration is what converges.
    result = run("compare", f"prd={maria.url(prd)}", f"dev={tmp_path / 'dev.sql'}",
                 "--scratch", MYSQL_SCRATCH)
    assert result.returncode == 1
    no_drift(f"prd={maria.url(prd)}", f"dev={migrations}", "--scratch", MYSQL_SCRATCH)
    result = run("compare", f"prd={maria.url(prd)}", f"dev={migrations}", "--scratch",
                 MYSQL_SCRATCH, "--format", "json")
    assert json.loads(result.stdout)["sources"]["dev"]["source"] == f"{migrations}@{version}"


def test_a_pg_flyway_directory_equals_the_baseline(pg, tmp_path):
    prd, dev = pg.create_db("prd", prefix=PREFIX), pg.create_db("dev", prefix=PREFIX)
    pg.run(prd, "CREATE TABLE t (id int PRIMARY KEY, a int, b text);"
                "CREATE INDEX ix_a ON t (a DESC); CREATE UNIQUE INDEX ux_b ON t (lower(b));")
    pg.run(dev, "CREATE TABLE t (id int PRIMARY KEY, a int, b text);"
                "CREATE INDEX ix_a ON t (a); CREATE INDEX ix_extra ON t (b);")
    out = tmp_path / "out"
    result = run("migrate", f"prd={pg.url(prd)}", f"dev={pg.url(dev)}", "--layout", "flyway",
                 "--version", "2", "--out", str(out), "--drop-extra")
    assert result.returncode == 0, result.stderr
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    pg_dump(dev, migrations / "V1__schema.sql")
    for path in (out / "dev").iterdir():
        shutil.copy(path, migrations / path.name)
    no_drift(f"prd={pg.url(prd)}", f"dev={migrations}", "--scratch", PG_SCRATCH)


@pytest.mark.parametrize("lang, words", [("en", "the scratch server refused the statement"),
                                         ("ko", "스크래치 서버가 문장을 거부했습니다")])
def test_a_statement_that_fails_names_file_line_and_the_server_error(maria, pg, tmp_path,
                                                                      lang, words):
    bad = tmp_path / "schema.sql"
    bad.write_text("CREATE TABLE t (a INT);\n\nCREATE INDEX ix ON nope (a);\n")
    prd = maria.create_db("prd", prefix=PREFIX)
    maria.run(prd, "CREATE TABLE t (a INT)")
    result = run("compare", f"prd={maria.url(prd)}", f"repo={bad}", "--scratch", MYSQL_SCRATCH,
                 "--lang", lang)
    assert result.returncode == 2
    assert f"{bad}:3: {words}: 1146 " in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    pdb = pg.create_db("prd", prefix=PREFIX)
    pg.run(pdb, "CREATE TABLE t (a int)")
    result = run("compare", f"prd={pg.url(pdb)}", f"repo={bad}", "--scratch", PG_SCRATCH,
                 "--lang", lang)
    assert result.returncode == 2
    assert f"{bad}:3: {words}: " in result.stderr and '"nope"' in result.stderr


def test_a_statement_naming_another_schema_is_refused_before_anything_runs(maria, tmp_path):
    victim = maria.create_db("victim", prefix=PREFIX)
    maria.run(victim, "CREATE TABLE keep (a INT)")
    bad = tmp_path / "schema.sql"
    bad.write_text(f"CREATE TABLE t (a INT);\nDROP TABLE `{victim}`.`keep`;\n")
    result = run("compare", f"prd={maria.url(victim)}", f"repo={bad}", "--scratch",
                 MYSQL_SCRATCH)
    assert result.returncode == 2 and f"{bad}:2: DROP TABLE" in result.stderr
    assert maria.query(f"SHOW TABLES IN `{victim}`") == [("keep",)]


@pytest.mark.parametrize("kind", ["mysql", "postgresql"])
def test_the_throw_away_schema_is_dropped_on_sigint(maria, pg, tmp_path, kind):
    if kind == "mysql":
        db = maria.create_db("prd", prefix=PREFIX)
        maria.run(db, "CREATE TABLE t (a INT)")
        url, scratch, sleep, listed = maria.url(db), MYSQL_SCRATCH, "DO SLEEP(0.2);", \
            lambda: mysql_scratches(maria)
    else:
        db = pg.create_db("prd", prefix=PREFIX)
        pg.run(db, "CREATE TABLE t (a int)")
        url, scratch, sleep, listed = pg.url(db), PG_SCRATCH, "SELECT pg_sleep(0.2);", \
            lambda: pg_scratches(pg)
    slow = tmp_path / "schema.sql"
    slow.write_text("CREATE TABLE t (a INT);\n" + (sleep + "\n") * 300)
    before = listed()
    proc = subprocess.Popen([sys.executable, "-m", "indexdrift", "compare", f"prd={url}",
                             f"repo={slow}", "--scratch", scratch], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        for _ in range(600):  # until the throw-away schema exists (bounded, not timed)
            if listed() - before or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert listed() - before, "the throw-away schema never appeared"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert not listed() - before


def test_migrate_with_a_schema_file_as_the_baseline_converges(maria, tmp_path):
    """``migrate repo=schema.sql dev=URL``: the script, applied, leaves dev equal to the
    file (read on the scratch server again)."""
    dev = maria.create_db("dev", prefix=PREFIX)
    maria.run(dev, DEV)
    repo = tmp_path / "schema.sql"
    repo.write_text(PRD + MARIADB_EXTRA)
    args = (f"repo={repo}", f"dev={maria.url(dev)}", "--baseline", "repo", "--scratch",
            MYSQL_SCRATCH)
    result = run("migrate", *args, "--stdout", "--drop-extra", "--objects", "all")
    assert result.returncode == 0, result.stderr
    maria.run(dev, result.stdout)
    no_drift(*args)
