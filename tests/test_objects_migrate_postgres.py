"""Foreign keys, checks and table options migrated on the real PostgreSQL (issue 20), in
every layout: ``migrate --objects all`` → the files applied the way each tool runs them
(psql; golang-migrate one query per file) → ``compare --objects all`` reports nothing →
the rollback applied → ``pg_dump --schema-only`` is what it was."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner
from conftest import POSTGRES
from postgres_apply import apply_layout

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.sources import open_source

# prd (the baseline) and dev differ in every way issue 20 plans: foreign keys missing
# (two tables that reference each other), extra, changed together with their columns and
# index ((author_id) -> (author_tenant_id, author_id)), renamed (RENAME CONSTRAINT); a
# primary key change that a foreign key of another table depends on (dropped and added
# back around it); checks missing, changed, extra; the table comment (a backslash and a
# line break: E'' literals) and persistence (UNLOGGED).
PRD = r"""
CREATE TABLE authors (tenant_id int NOT NULL, id int NOT NULL, name text,
  CONSTRAINT authors_pkey PRIMARY KEY (tenant_id, id), CONSTRAINT uq_author_id UNIQUE (id));
COMMENT ON TABLE authors IS E'it''s a \\ writer\n';
CREATE TABLE posts (id int PRIMARY KEY, author_id int, qty int, body text,
  author_tenant_id int DEFAULT 1,
  CONSTRAINT fk_author FOREIGN KEY (author_tenant_id, author_id)
    REFERENCES authors (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT ck_qty CHECK (qty >= 0), CONSTRAINT ck_new CHECK (qty < 1000) NO INHERIT);
CREATE INDEX ix_author ON posts (author_tenant_id, author_id);
CREATE TABLE comments (id int PRIMARY KEY, author_id int, post_id int,
  CONSTRAINT fk_comment_author FOREIGN KEY (author_id) REFERENCES authors (id),
  CONSTRAINT fk_comment_post FOREIGN KEY (post_id) REFERENCES posts (id) MATCH FULL
    DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE a (id int PRIMARY KEY, b_id int);
CREATE TABLE b (id int PRIMARY KEY, a_id int);
ALTER TABLE a ADD CONSTRAINT fk_a_b FOREIGN KEY (b_id) REFERENCES b (id);
ALTER TABLE b ADD CONSTRAINT fk_b_a FOREIGN KEY (a_id) REFERENCES a (id) ON UPDATE CASCADE;
CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY, note text);
"""

DEV = r"""
CREATE TABLE authors (tenant_id int NOT NULL, id int NOT NULL, name text,
  CONSTRAINT authors_pkey PRIMARY KEY (id));
CREATE TABLE posts (id int PRIMARY KEY, author_id int, qty int, body text, extra int,
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id),
  CONSTRAINT ck_qty CHECK (qty > 0), CONSTRAINT ck_extra CHECK (extra <> qty),
  CONSTRAINT fk_extra FOREIGN KEY (extra) REFERENCES authors (id));
CREATE INDEX ix_author ON posts (author_id);
CREATE TABLE comments (id int PRIMARY KEY, author_id int, post_id int,
  CONSTRAINT fk_comment_author FOREIGN KEY (author_id) REFERENCES authors (id),
  CONSTRAINT fk_post_old FOREIGN KEY (post_id) REFERENCES posts (id) MATCH FULL
    DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE a (id int PRIMARY KEY, b_id int);
CREATE TABLE b (id int PRIMARY KEY, a_id int);
CREATE TABLE scratch (id int PRIMARY KEY, note text);
INSERT INTO authors VALUES (1, 1, 'x'), (1, 2, 'y');
INSERT INTO posts VALUES (1, 1, 5, 'b', 2), (2, 2, 7, 'c', 1);
INSERT INTO comments VALUES (1, 1, 1);
INSERT INTO a VALUES (1, NULL); INSERT INTO b VALUES (1, 1); UPDATE a SET b_id = 1;
"""

OBJECTS = frozenset({"foreign_keys", "checks", "options"})


def schema_dump(db: str) -> str:
    """pg_dump --schema-only, without the random \\restrict key lines of newer pg_dump."""
    proc = subprocess.run(["pg_dump", "--schema-only", "-h", POSTGRES["host"], "-p",
                           str(POSTGRES["port"]), "-U", POSTGRES["user"], db],
                          capture_output=True, text=True, check=True)
    return "\n".join(line for line in proc.stdout.splitlines()
                     if not line.startswith(("\\restrict", "\\unrestrict")))


def kinds_of(postgres, prd: str, dev: str) -> set[str]:
    snaps = {e: open_source(postgres.url(db), e, columns=True, objects=OBJECTS)
             for e, db in (("prd", prd), ("dev", dev))}
    return {f.kind for f in compare(snaps, "prd").findings}


def round_trip(postgres, tmp_path, layout: str, prd_sql: str, dev_sql: str) -> None:
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, prd_sql)
    postgres.run(dev, dev_sql)
    before, original = schema_dump(dev), kinds_of(postgres, prd, dev)
    result = CliRunner().invoke(cli, ["migrate", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--objects", "all",
                                      "--drop-extra", "--no-usage", "--out", str(tmp_path),
                                      "--layout", layout, "--version", "7"])
    assert result.exit_code == 0, result.output
    apply_layout(tmp_path, layout, dev, "up")
    after = CliRunner().invoke(cli, ["compare", f"prd={postgres.url(prd)}",
                                     f"dev={postgres.url(dev)}", "--objects", "all",
                                     "--no-usage"])
    assert after.exit_code == 0, after.output
    apply_layout(tmp_path, layout, dev, "down")
    assert schema_dump(dev) == before
    assert kinds_of(postgres, prd, dev) == original


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_kind_round_trips_in_every_layout(postgres, tmp_path, layout):
    prd, dev = postgres.create_db("p"), postgres.create_db("d")
    postgres.run(prd, PRD)
    postgres.run(dev, DEV)
    assert kinds_of(postgres, prd, dev) == {
        "foreign_key_missing", "foreign_key_extra", "foreign_key_changed",
        "foreign_key_renamed", "check_missing", "check_changed", "check_extra",
        "table_options_changed", "changed", "missing", "column_missing", "column_extra"}
    round_trip(postgres, tmp_path, layout, PRD, DEV)


def test_the_script_shape(postgres):
    prd, dev = postgres.create_db("p"), postgres.create_db("d")
    postgres.run(prd, PRD)
    postgres.run(dev, DEV)
    result = CliRunner().invoke(cli, ["migrate", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--objects", "all",
                                      "--no-usage", "--stdout"])
    assert result.exit_code == 0, result.output
    up = result.output
    around = ('ALTER TABLE "public"."comments" DROP CONSTRAINT "fk_comment_author";')
    assert up.index(around) < up.index('ADD CONSTRAINT "authors_pkey" PRIMARY KEY USING INDEX')
    assert up.index('ADD CONSTRAINT "authors_pkey"') < up.index(
        'ALTER TABLE "public"."comments" ADD CONSTRAINT "fk_comment_author"')
    assert ('ALTER TABLE "public"."comments" RENAME CONSTRAINT "fk_post_old" TO '
            '"fk_comment_post";') in up
    assert "COMMENT ON TABLE \"public\".\"authors\" IS E'it''s a \\\\ writer\\n';" in up
    assert 'ALTER TABLE "public"."scratch" SET UNLOGGED;' in up
    assert 'ADD CONSTRAINT "ck_new" CHECK (qty < 1000) NO INHERIT;' in up
    # Without --drop-extra the extra key and check stay, shown commented out.
    assert '-- ALTER TABLE "posts" DROP CONSTRAINT "fk_extra";' in up
    # Without --objects foreign_keys the primary key change stays refused.
    result = CliRunner().invoke(cli, ["migrate", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--no-usage", "--stdout"])
    assert "-- changed authors_pkey: REFUSED: foreign keys comments.fk_comment_author, " \
           "posts.fk_author, posts.fk_extra depend(s) on this index" in result.output


def test_persistence_goes_around_the_keys_that_join_the_table(postgres, tmp_path):
    prd_sql = ("CREATE UNLOGGED TABLE p (id int PRIMARY KEY);"
               "CREATE UNLOGGED TABLE c (id int PRIMARY KEY, pid int REFERENCES p (id));")
    dev_sql = ("CREATE TABLE p (id int PRIMARY KEY);"
               "CREATE TABLE c (id int PRIMARY KEY, pid int REFERENCES p (id));"
               "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);")
    round_trip(postgres, tmp_path, "plain", prd_sql, dev_sql)
    up = (tmp_path / "dev.sql").read_text()
    assert up.index('DROP CONSTRAINT "c_pid_fkey"') < up.index('"c" SET UNLOGGED') \
        < up.index('ADD CONSTRAINT "c_pid_fkey"')


HOSTILE = ['fk"; DROP TABLE canary; --', "ck 'x' \\ 제약", "Fk_Case"]


@pytest.mark.parametrize("layout", ["plain", "golang-migrate"])
def test_hostile_constraint_names_run_nothing_but_the_ddl(postgres, tmp_path, layout):
    fk, ck, case = (name.replace('"', '""') for name in HOSTILE)
    prd_sql = ("CREATE TABLE canary (id int); INSERT INTO canary VALUES (1);"
               "CREATE TABLE p (id int PRIMARY KEY);"
               "COMMENT ON TABLE p IS E'a\\\\b\\nc';"
               f'CREATE TABLE c (id int PRIMARY KEY, pid int, q text,'
               f' CONSTRAINT "{fk}" FOREIGN KEY (pid) REFERENCES p (id),'
               f" CONSTRAINT \"{ck}\" CHECK (q <> E'it''s \\\\'),"
               f' CONSTRAINT "{case}" CHECK (id > 0))')
    dev_sql = ("CREATE TABLE canary (id int); INSERT INTO canary VALUES (1);"
               "CREATE TABLE p (id int PRIMARY KEY);"
               'CREATE TABLE c (id int PRIMARY KEY, pid int, q text, CONSTRAINT "fk_case"'
               " CHECK (id > 0))")
    round_trip(postgres, tmp_path, layout, prd_sql, dev_sql)
    up = "\n".join(path.read_text() for path in sorted(tmp_path.rglob("*.sql"))
                   if ".rollback" not in path.name and ".down" not in path.name)
    assert f'ADD CONSTRAINT "{fk}" FOREIGN KEY ("pid")' in up
    assert 'RENAME CONSTRAINT "fk_case" TO "Fk_Case"' in up
    dev = postgres.created[-1]
    with postgres.psycopg.connect(dbname=dev, **POSTGRES) as conn:
        assert conn.execute("SELECT count(*) FROM canary").fetchone() == (1,)
