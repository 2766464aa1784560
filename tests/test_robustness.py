"""Bad days: dead ports, wrong passwords, missing schemas, odd names, partial grants, a huge
export. Always one clear line and exit 2, never a traceback, never a credential shown; live
reads need nothing but SELECT."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from mariadb_schemas import DEV, EXPECTED, PRD, STG, finding_set

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.errors import SourceError
from indexdrift.dialects.mysql.statistics_csv import read_csv
from indexdrift.sources import open_source
from indexdrift.sources.export import export_csv
from indexdrift.sources.snapshot import load_snapshot, save_snapshot

SECRET = "Sup3r-S3cret_pw!"
EXAMPLES = Path(__file__).parent.parent / "examples"


def run_main(*args: str, env: dict | None = None, cwd: str | None = None):
    """The real entry point in a child process: exit code, stdout, stderr."""
    full_env = {**os.environ, **(env or {})}
    full_env = {k: v for k, v in full_env.items() if v is not None}  # None: unset it
    return subprocess.run([sys.executable, "-m", "indexdrift", *args], capture_output=True,
                          text=True, env=full_env, cwd=cwd, timeout=300)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_no_secret(proc, *files: Path) -> None:
    assert SECRET not in proc.stdout and SECRET not in proc.stderr
    for path in files:
        if path.exists():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace")


def test_dead_port_is_one_line_naming_the_env_without_the_password(tmp_path):
    out = tmp_path / "drift.md"
    url = f"mysql://app:{SECRET}@127.0.0.1:{free_port()}/shop?connect_timeout=2"
    proc = run_main("compare", f"prd={EXAMPLES / 'indexes_prd.csv'}", f"stg={url}",
                    "-o", str(out))
    assert proc.returncode == 2
    assert "error: env stg: cannot connect to mysql://app@127.0.0.1:" in proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()
    assert_no_secret(proc)


@pytest.mark.mariadb
def test_wrong_password_is_denied_and_never_shown(mariadb, tmp_path):
    db = mariadb.create_db("pw")
    mariadb.run(db, "CREATE TABLE t (id INT PRIMARY KEY)")
    user = mariadb.create_user([f"SELECT ON `{db}`.*"], password="the-right-one")
    url = mariadb.user_url(user, db).replace(f"{user}@", f"{user}:{SECRET}@")
    proc = run_main("compare", f"prd={mariadb.url(db)}", f"stg={url}", "--no-usage")
    assert proc.returncode == 2
    assert "Access denied" in proc.stderr and "Traceback" not in proc.stderr
    assert_no_secret(proc)


@pytest.mark.mariadb
def test_password_from_the_env_var_named_in_the_config_is_used_and_never_written(
        mariadb, tmp_path):
    db = mariadb.create_db("pwenv")
    mariadb.run(db, "CREATE TABLE t (id INT PRIMARY KEY, x INT, KEY ix_x (x))")
    user = mariadb.create_user([f"SELECT ON `{db}`.*"], password=SECRET)
    (tmp_path / "indexdrift.toml").write_text(textwrap.dedent(f"""
        baseline = "prd"
        [envs.prd]
        source = "{mariadb.url(db)}"
        [envs.stg]
        source = "{mariadb.user_url(user, db)}"
        password_env = "STG_DB_PASSWORD"
    """), encoding="utf-8")
    reports = [tmp_path / f"drift.{ext}" for ext in ("json", "md", "csv", "txt")]
    args = ["check", "--config", str(tmp_path / "indexdrift.toml")]
    for path in reports:
        args += ["-o", str(path)]
    proc = run_main(*args, env={"STG_DB_PASSWORD": SECRET})
    assert proc.returncode == 0, proc.stderr
    assert_no_secret(proc, *reports)
    missing = run_main(*args, env={"STG_DB_PASSWORD": None})
    assert missing.returncode == 2
    assert "env stg: the environment variable STG_DB_PASSWORD (password_env) is not set" \
        in missing.stderr


@pytest.mark.mariadb
def test_missing_schema_says_so(mariadb):
    with pytest.raises(SourceError, match="env stg: .*Unknown database"):
        open_source(mariadb.url("idt_no_such_schema_here"), "stg")


@pytest.mark.mariadb
def test_account_with_select_on_some_tables_warns_that_the_view_may_be_partial(mariadb):
    db = mariadb.create_db("part")
    mariadb.run(db, """CREATE TABLE a (id INT PRIMARY KEY, x INT, KEY ix_x (x));
                       CREATE TABLE b (id INT PRIMARY KEY)""")
    some = mariadb.create_user([f"SELECT ON `{db}`.`a`"])
    every = mariadb.create_user([f"SELECT ON `{db}`.*"])
    partial = open_source(mariadb.user_url(some, db), "stg")
    assert set(partial.tables) == {"a"}
    assert any("SELECT on only some tables" in w for w in partial.warnings)
    full = open_source(mariadb.user_url(every, db), "stg")
    assert set(full.tables) == {"a", "b"} and full.warnings == []
    result = CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(db)}",
                                      f"stg={mariadb.user_url(some, db)}", "--no-usage"])
    assert "warning: env stg: this account has SELECT on only some tables" in result.stderr


@pytest.mark.mariadb
def test_live_reads_need_only_select(mariadb, tmp_path):
    """The reads of compare, migrate and snapshot with an account that can only SELECT."""
    dbs = {}
    for env, ddl in (("prd", PRD), ("stg", STG), ("dev", DEV)):
        dbs[env] = mariadb.create_db(env)
        mariadb.run(dbs[env], ddl)
    reader = mariadb.create_user([f"SELECT ON `{db}`.*" for db in dbs.values()])
    grants = mariadb.query(f"SHOW GRANTS FOR '{reader}'@'%'")
    assert all("SELECT" in g[0] or "USAGE" in g[0] for g in grants)
    snaps = {env: open_source(mariadb.user_url(reader, db), env, detail=True)
             for env, db in dbs.items()}
    assert finding_set(compare(snaps, "prd").findings) == EXPECTED
    assert all(not s.warnings for s in snaps.values())
    urls = [f"{env}={mariadb.user_url(reader, db)}" for env, db in dbs.items()]
    migrate = CliRunner().invoke(cli, ["migrate", *urls, "--stdout", "--no-usage"])
    assert migrate.exit_code == 0, migrate.output
    assert "ALTER TABLE" in migrate.stdout


@pytest.mark.mariadb
def test_names_with_quotes_backticks_and_unicode_survive_every_path(mariadb, tmp_path):
    db = mariadb.create_db("names")
    mariadb.run(db, """
        CREATE TABLE `we'ird "tab``le` (`id` INT PRIMARY KEY, `c``1` INT, `주문 번호` INT,
            KEY `ix ``q`` "é"` (`c``1`), KEY `인덱스_주문` (`주문 번호`) COMMENT 'it''s');
        CREATE TABLE `주문` (id INT PRIMARY KEY, `naïve` VARCHAR(10), KEY `ix_naïve` (`naïve`))
    """)
    live = open_source(mariadb.url(db), "prd", detail=True)
    assert {"we'ird \"tab`le", "주문"} == set(live.tables)
    csv_path = tmp_path / "export.csv"
    csv_path.write_text(export_csv(live), encoding="utf-8")
    snap_path = tmp_path / "snap.json.gz"
    save_snapshot(live, str(snap_path))
    for other in (read_csv(str(csv_path)), load_snapshot(str(snap_path))):
        assert compare({"prd": live, "copy": other}, "prd").findings == []
    # A drifted copy: the odd index is missing and the Unicode one renamed.
    dev = mariadb.create_db("names_dev")
    mariadb.run(dev, """
        CREATE TABLE `we'ird "tab``le` (`id` INT PRIMARY KEY, `c``1` INT, `주문 번호` INT,
            KEY `인덱스_주문` (`주문 번호`) COMMENT 'it''s');
        CREATE TABLE `주문` (id INT PRIMARY KEY, `naïve` VARCHAR(10), KEY `ix_наив` (`naïve`))
    """)
    result = CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(db)}",
                                      f"dev={mariadb.url(dev)}", "--format", "json",
                                      "--no-usage"])
    assert result.exit_code == 1, result.output
    found = {(f["table"], f["index"], f["kind"]) for f in json.loads(result.stdout)["findings"]}
    assert found == {("we'ird \"tab`le", 'ix `q` "é"', "missing"),
                     ("주문", "ix_naïve", "renamed")}


# --- a 200 MB export, streamed -------------------------------------------------------------

# Peak RSS of the reading process in KiB. Linux carries ru_maxrss across exec, so a child
# spawned by a big pytest process would report the parent's size; VmHWM belongs to the new
# process image alone. getrusage is the fallback where /proc is missing.
_MEASURE = """
import resource, sys
from indexdrift.dialects.mysql.statistics_csv import read_csv
snap = read_csv(sys.argv[1])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(snap.index_count(), peak)
"""


def _write_big_export(path: Path, target_bytes: int) -> int:
    """A STATISTICS export of many schemas (a whole server's), written in chunks."""
    header = ("TABLE_CATALOG,TABLE_SCHEMA,TABLE_NAME,NON_UNIQUE,INDEX_SCHEMA,INDEX_NAME,"
              "SEQ_IN_INDEX,COLUMN_NAME,COLLATION,CARDINALITY,SUB_PART,PACKED,NULLABLE,"
              "INDEX_TYPE,COMMENT,INDEX_COMMENT\n")
    comment = "x" * 300
    written = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(header)
        schema = 0
        while written < target_bytes:
            rows = []
            for table in range(200):
                rows.append(f"def,shard_{schema:05d},t{table},0,shard_{schema:05d},PRIMARY,1,"
                            f"id,A,100,NULL,NULL,,BTREE,,{comment}\n")
                rows.append(f"def,shard_{schema:05d},t{table},1,shard_{schema:05d},ix_a,1,"
                            f"a,A,100,NULL,NULL,YES,BTREE,,{comment}\n")
            chunk = "".join(rows)
            fh.write(chunk)
            written += len(chunk)
            schema += 1
    return schema


@pytest.mark.bigfile
def test_a_200_mb_export_is_streamed_with_flat_memory(tmp_path):
    path = tmp_path / "server.csv"
    size = 200 * 1024 * 1024
    schemas = _write_big_export(path, size)
    assert path.stat().st_size >= size and schemas > 1000
    proc = subprocess.run([sys.executable, "-c", _MEASURE, f"{path}#shard_00007"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    count, peak_kib = map(int, proc.stdout.split())
    assert count == 400
    # The whole file is 200 MiB; a reader that held it (or its rows) would exceed it.
    # Streaming stays near the interpreter's own size (about 15 MiB).
    assert peak_kib * 1024 < size / 4, f"peak RSS {peak_kib} KiB"


@pytest.mark.mariadb
def test_tls_options_reach_the_connection(mariadb):
    """ssl_ca demands TLS: with a CA file that does not exist (or a server without TLS) the
    connection must fail, never fall back to plain text."""
    db = mariadb.create_db("tls")
    mariadb.run(db, "CREATE TABLE t (id INT PRIMARY KEY)")
    url = mariadb.url(db) + "?ssl_ca=/nonexistent/ca.pem&connect_timeout=5"
    proc = run_main("compare", f"prd={mariadb.url(db)}", f"stg={url}", "--no-usage")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: env stg: cannot connect to ")
    assert "Traceback" not in proc.stderr
