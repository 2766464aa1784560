"""Live reads on the real MariaDB: every kind of drift, and export == live."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from mariadb_schemas import DEV, EXPECTED, PRD, STG, finding_set

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.errors import SourceError
from indexdrift.dialects.mysql.statistics_csv import read_csv
from indexdrift.sources import open_source
from indexdrift.sources.export import export_csv

pytestmark = pytest.mark.mariadb


@pytest.fixture
def three_envs(mariadb):
    dbs = {}
    for env, ddl in (("prd", PRD), ("stg", STG), ("dev", DEV)):
        dbs[env] = mariadb.create_db(env)
        mariadb.run(dbs[env], ddl)
    return dbs


def test_live_compare_finds_every_kind(mariadb, three_envs):
    snaps = {env: open_source(mariadb.url(db), env) for env, db in three_envs.items()}
    assert snaps["prd"].flavor == "mariadb"
    assert "plain_log" in snaps["prd"].tables  # a table without any index is still seen
    comparison = compare(snaps, "prd")
    assert finding_set(comparison.findings) == EXPECTED
    schemas = {f.env: f.schema for f in comparison.findings}
    assert schemas == {"dev": three_envs["dev"], "stg": three_envs["stg"]}


def test_export_then_compare_equals_live(mariadb, three_envs, tmp_path):
    live = {env: open_source(mariadb.url(db), env) for env, db in three_envs.items()}
    files = {}
    for env, snap in live.items():
        files[env] = tmp_path / f"indexes_{env}.csv"
        files[env].write_text(export_csv(snap), encoding="utf-8")
    from_files = {env: read_csv(str(path)) for env, path in files.items()}
    assert finding_set(compare(from_files, "prd").findings) == EXPECTED
    for env in live:
        for name, table in live[env].tables.items():
            assert {k: v.full_key() for k, v in table.indexes.items()} == \
                {k: v.full_key() for k, v in from_files[env].tables[name].indexes.items()}


def test_cli_live_and_csv_json_agree(mariadb, three_envs, tmp_path):
    runner = CliRunner()
    urls = [f"{env}={mariadb.url(db)}" for env, db in three_envs.items()]
    # --no-usage: usage counters exist only for live sources, files carry none.
    live = runner.invoke(cli, ["compare", *urls, "--format", "json", "--no-usage"])
    assert live.exit_code == 1, live.output
    for env, db in three_envs.items():
        out = tmp_path / f"indexes_{env}.csv"
        result = runner.invoke(cli, ["export", mariadb.url(db), "-o", str(out)])
        assert result.exit_code == 0, result.output
    csvs = [str(tmp_path / f"indexes_{env}.csv") for env in ("prd", "stg", "dev")]
    files = runner.invoke(cli, ["compare", *csvs, "--format", "json"])
    assert files.exit_code == 1
    strip = lambda doc: [{k: v for k, v in f.items() if k != "schema"}  # noqa: E731
                         for f in json.loads(doc)["findings"]]
    assert strip(live.output) == strip(files.output)


def test_missing_schema_names_env_and_cause(mariadb):
    with pytest.raises(SourceError) as err:
        open_source(mariadb.url("idt_no_such_schema"), "dev")
    assert "env dev" in str(err.value) and "idt_no_such_schema" in str(err.value)


def test_empty_schema_is_an_error_not_all_missing(mariadb):
    db = mariadb.create_db("empty")
    with pytest.raises(SourceError, match="shows no tables"):
        open_source(mariadb.url(db), "stg")


def test_wrong_password_names_env_and_hides_password(mariadb, monkeypatch):
    db = mariadb.create_db("pw")
    mariadb.run(db, "CREATE TABLE t (id INT PRIMARY KEY)")
    user = "idt_pw_user"
    mariadb.run(db, f"CREATE USER IF NOT EXISTS '{user}'@'%' IDENTIFIED BY 'right-secret'")
    mariadb.run(db, f"CREATE USER IF NOT EXISTS '{user}'@'localhost' IDENTIFIED BY 'right-secret'")
    mariadb.run(db, f"GRANT SELECT ON `{db}`.* TO '{user}'@'%'")
    mariadb.run(db, f"GRANT SELECT ON `{db}`.* TO '{user}'@'localhost'")
    try:
        url = mariadb.url(db).replace("root@", f"{user}:wrong-secret@")
        with pytest.raises(SourceError) as err:
            open_source(url, "prd")
        text = str(err.value)
        assert "env prd" in text and "Access denied" in text and "wrong-secret" not in text
        monkeypatch.setenv("INDEXDRIFT_PRD_PASSWORD", "right-secret")
        snap = open_source(mariadb.url(db).replace("root@", f"{user}@"), "prd")
        assert "t" in snap.tables and "right-secret" not in snap.source
    finally:
        mariadb.run(db, f"DROP USER IF EXISTS '{user}'@'%'")
        mariadb.run(db, f"DROP USER IF EXISTS '{user}'@'localhost'")


def test_unreachable_server_names_env_and_cause():
    runner = CliRunner()
    result = runner.invoke(cli, ["compare", "prd=mysql://root@127.0.0.1:1/x",
                                 "dev=mysql://root@127.0.0.1:1/y"])
    assert result.exit_code != 0
    assert isinstance(result.exception, SourceError)
    assert "env prd" in str(result.exception) or "env dev" in str(result.exception)
