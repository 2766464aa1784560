"""indexdrift.toml: envs, baseline, ignore rules, waivers, and the check command's exit codes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.core.errors import InputError
from indexdrift.sources.config import (
    DEFAULT_IGNORED_TABLES,
    load_config,
    parse_config,
    target_names,
)
from indexdrift.sources.urls import parse_url

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
REPORT_SCHEMA = json.loads((ROOT / "schema" / "indexdrift-report.schema.json")
                           .read_text(encoding="utf-8"))


def write(tmp_path: Path, text: str, name: str = "indexdrift.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A directory with the three example exports, as the current directory."""
    for env in ("prd", "stg", "dev"):
        shutil.copy(EXAMPLES / f"indexes_{env}.csv", tmp_path / f"indexes_{env}.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


BASE = """
baseline = "prd"
[envs.prd]
source = "indexes_prd.csv"
[envs.stg]
source = "indexes_stg.csv"
[envs.dev]
source = "indexes_dev.csv"
"""


def check(*args: str):
    return CliRunner().invoke(cli, ["check", *args])


def test_envs_baseline_and_connection_options_become_url_parameters(tmp_path):
    path = write(tmp_path, """
baseline = "prd"
connect_timeout = 3
[envs.prd]
source = "mysql://app@db.example:3306/shop"
password_env = "PRD_DB_PASSWORD"
ssl_ca = "ca.pem"
ssl_verify_identity = true
read_timeout = 60
[envs.dev]
source = "dev.csv"
""")
    config = load_config(path)
    assert config.baseline == "prd"
    url = parse_url(config.envs["prd"].source)
    assert url.params == {"connect_timeout": "3", "password_env": "PRD_DB_PASSWORD",
                          "ssl_ca": "ca.pem", "ssl_verify_identity": "1", "read_timeout": "60"}
    assert "PRD_DB_PASSWORD" not in url.redacted  # a key with "pass" is never shown
    assert config.envs["dev"].source == "dev.csv"
    assert config.ignore.tables == DEFAULT_IGNORED_TABLES


@pytest.mark.parametrize("text, message", [
    ('[envs.prd]\nsource = "mysql://app:s3cret@db/shop"', "holds a password"),
    ('[envs.prd]\nsource = "x.csv"\npassword = "s3cret"', "secrets never go"),
    ('[envs.prd]\nsource = "x.csv"\ndb_password = "s3cret"', "secrets never go"),
    ('[envs.prd]\nsorce = "x.csv"', "unknown key"),
    ('[envs.prd]\nsource = "x.csv"\nsources = ["y.csv"]', "exactly one of"),
    ('baseline = "qa"\n[envs.prd]\nsource = "x.csv"', "not one of the envs"),
    ('[envs.prd]\nsource = "x.csv"\npassword_env = "X"', "only apply to database URLs"),
    ('[[waivers]]\ntable = "t"', "reason is required"),
    ('[[waivers]]\ntable = "t"\nreason = "r"\nkind = "gone"', "is not one of"),
    ('[[waivers]]\ntable = "t"\nreason = "r"\nexpires = "soon"', "is not a date"),
    ('jobs = 0', "jobs must be"),
    ('[envs."prd env"]\nsource = "x.csv"', "an env name starts with a letter"),
    ('[envs.f.sources]\n"a b" = "x.csv"', "a target name holds only"),
    ('[envs.prd]\nsource = "mysql://a@h/"\nconnect_timeout = -1', "positive number"),
    ('[envs.prd\n', "not valid TOML"),
])
def test_bad_configs_are_one_clear_error_without_the_secret(tmp_path, text, message):
    with pytest.raises(InputError, match=message) as info:
        load_config(write(tmp_path, text))
    assert "s3cret" not in str(info.value)


def test_fleet_envs_from_a_list_a_table_or_a_schema_pattern():
    config = parse_config({"envs": {
        "prd": {"source": "mysql://app@db/shop"},
        "edge": {"sources": ["mysql://app@edge1/shop", "mysql://app@edge2/shop"]},
        "named": {"sources": {"eu": "mysql://app@eu/shop"}},
        "shards": {"source": "mysql://app@shards/", "schemas": "shop_%", "read_timeout": 5},
    }})
    assert config.envs["edge"].targets == {"edge1": "mysql://app@edge1/shop",
                                           "edge2": "mysql://app@edge2/shop"}
    assert list(config.envs["named"].targets) == ["eu"]
    assert config.envs["shards"].schemas == "shop_%"
    assert config.envs["shards"].source.endswith("?read_timeout=5")
    assert not config.envs["prd"].is_fleet and config.envs["shards"].is_fleet


def test_target_names_are_short_and_distinct():
    assert target_names(["mysql://a@h1/shop", "mysql://a@h2/shop"]) == ["h1", "h2"]
    assert target_names(["mysql://a@h/s1", "mysql://a@h/s2"]) == ["s1", "s2"]
    assert len(set(target_names(["mysql://a@h:1/s", "mysql://a@h:2/s"]))) == 2


def test_baseline_cannot_be_a_fleet():
    with pytest.raises(InputError, match="must be one source"):
        parse_config({"baseline": "all", "envs": {"all": {"sources": ["a.csv", "b.csv"]}}})


def test_config_in_current_directory_gives_the_envs(workdir):
    write(workdir, BASE)
    result = CliRunner().invoke(cli, ["compare", "--format", "json", "--no-usage"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["baseline"] == "prd" and doc["envs"] == ["stg", "dev"]


def test_env_arguments_pick_config_envs_and_the_baseline_joins(workdir):
    write(workdir, BASE)
    result = CliRunner().invoke(cli, ["compare", "dev", "--format", "json", "--no-usage"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["envs"] == ["dev"]


def test_check_exit_codes_clean_drift_and_error(workdir):
    write(workdir, BASE)
    assert check("prd", "copy=indexes_prd.csv", "-q").exit_code == 0
    drift = check("-q")
    assert drift.exit_code == 1 and "DRIFT" in drift.output
    error = subprocess.run([sys.executable, "-m", "indexdrift", "check", "prd",
                            "dev=missing.csv"], capture_output=True, text=True)
    assert error.returncode == 2 and "Traceback" not in error.stderr
    assert error.stderr.strip() == "error: missing.csv: no such file"


def _all_waived_config(comparison_json: dict, expires: str | None) -> str:
    lines = [BASE]
    seen = set()
    for f in comparison_json["findings"]:
        key = (f["env"], f["table"], f["index"] or f.get("env_index") or "")
        if key in seen:
            continue
        seen.add(key)
        lines.append("[[waivers]]")
        lines.append(f'env = "{f["env"]}"')
        lines.append(f'table = "{f["table"]}"')
        if f["index"]:
            lines.append(f'index = "{f["index"]}"')
        lines.append(f'reason = "accepted: {f["kind"]} (TICKET-1)"')
        if expires:
            lines.append(f"expires = {expires}")
    return "\n".join(lines) + "\n"


def test_waived_findings_pass_check_and_show_as_waived_in_every_report(workdir):
    write(workdir, BASE)
    before = json.loads(check("--format", "json").stdout)
    assert before["findings"]
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    write(workdir, _all_waived_config(before, tomorrow))
    result = check("-o", "drift.json", "-o", "drift.md", "-o", "drift.csv", "-o", "drift.txt")
    assert result.exit_code == 0, result.output
    assert "check: OK" in result.output
    doc = json.loads((workdir / "drift.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert len(doc["findings"]) == len(before["findings"])
    assert all(f["waived"].startswith("accepted:") for f in doc["findings"])
    for name in ("drift.md", "drift.csv", "drift.txt"):
        text = (workdir / name).read_text(encoding="utf-8-sig")
        assert "(waived)" in text and "TICKET-1" in text, name


def test_expired_waiver_fails_check_again(workdir):
    write(workdir, BASE)
    before = json.loads(check("--format", "json").stdout)
    write(workdir, _all_waived_config(before, "2020-01-01"))
    result = check("--format", "json")
    assert result.exit_code == 1
    assert "expired on 2020-01-01" in result.stderr
    doc = json.loads(result.stdout)
    assert all(f["waived"] is None for f in doc["findings"])


def test_ghost_and_pt_osc_shadow_tables_are_ignored_by_default(workdir):
    text = (workdir / "indexes_prd.csv").read_text(encoding="utf-8")
    header, *rows = text.splitlines()
    shadow = [r.replace(",users,", ",_users_gho,") for r in rows if ",users," in r]
    shadow += [r.replace(",users,", ",_users_old,") for r in rows if ",users," in r]
    (workdir / "indexes_stg.csv").write_text("\n".join([header, *rows, *shadow]) + "\n",
                                             encoding="utf-8")
    write(workdir, BASE.replace('[envs.dev]\nsource = "indexes_dev.csv"\n', ""))
    assert check("-q").exit_code == 0
    write(workdir, BASE.replace('[envs.dev]\nsource = "indexes_dev.csv"\n', "")
          + "[ignore]\ndefaults = false\n")
    assert check("-q").exit_code == 1


def test_ignored_index_patterns(workdir):
    write(workdir, BASE + '[ignore]\nindexes = ["*"]\n')
    # Every index ignored: only whole-table differences remain.
    doc = json.loads(check("--format", "json").stdout)
    assert {f["kind"] for f in doc["findings"]} <= {"table_missing", "table_extra"}


def test_unused_waiver_is_reported(workdir):
    write(workdir, BASE + '[[waivers]]\ntable = "no_such_table"\nreason = "old"\n')
    result = check("-q")
    assert "matches no finding" in result.output


def test_missing_config_file_is_an_error():
    result = CliRunner().invoke(cli, ["check", "--config", "/nonexistent/indexdrift.toml"])
    assert result.exit_code != 0


def test_check_json_validates_against_the_published_schema(workdir):
    write(workdir, BASE)
    doc = json.loads(check("--format", "json").stdout)
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert doc["incomplete"] is False and doc["failed"] == []


@pytest.mark.postgres
def test_postgres_env_passes_libpq_options_through(postgres, tmp_path):
    db = postgres.create_db("cfg")
    postgres.run(db, "CREATE TABLE t (id int PRIMARY KEY, x int); CREATE INDEX ix_x ON t (x)")
    passfile = tmp_path / "pgpass"
    passfile.write_text("*:*:*:*:unused\n", encoding="utf-8")
    passfile.chmod(0o600)
    url = postgres.url(db)
    write(tmp_path, f"""
baseline = "prd"
[envs.prd]
source = "{url}"
sslmode = "disable"
passfile = "{passfile}"
connect_timeout = 5
[envs.copy]
source = "{url}"
""")
    config = load_config(tmp_path / "indexdrift.toml")
    assert parse_url(config.envs["prd"].source).params["passfile"] == str(passfile)
    result = CliRunner().invoke(cli, ["check", "--config", str(tmp_path / "indexdrift.toml"),
                                      "-q"])
    assert result.exit_code == 0, result.output


@pytest.mark.mariadb
def test_steps_that_read_again_get_the_config_sources(mariadb, tmp_path):
    """Usage evidence reads the envs again: it must get their URLs, not the env names."""
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, "CREATE TABLE t (id INT PRIMARY KEY, x INT, KEY ix_x (x))")
    mariadb.run(dev, "CREATE TABLE t (id INT PRIMARY KEY, x INT, KEY ix_x (x), KEY ix_z (id))")
    write(tmp_path, f"""
baseline = "prd"
[envs.prd]
source = "{mariadb.url(prd)}"
[envs.dev]
source = "{mariadb.url(dev)}"
connect_timeout = 3
""")
    result = CliRunner().invoke(cli, ["compare", "dev", "--config",
                                      str(tmp_path / "indexdrift.toml"), "--format", "json"])
    assert result.exit_code == 1, result.output
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["index"] == "ix_z" and finding["usage"]["env"] == "dev"


@pytest.mark.mariadb
def test_waivers_cover_column_findings_too(mariadb, tmp_path):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, "CREATE TABLE t (id INT PRIMARY KEY, x INT)")
    mariadb.run(dev, "CREATE TABLE t (id INT PRIMARY KEY, x INT, debug_note TEXT)")
    config = write(tmp_path, f"""
baseline = "prd"
[envs.prd]
source = "{mariadb.url(prd)}"
[envs.dev]
source = "{mariadb.url(dev)}"
[[waivers]]
env = "dev"
table = "t"
column = "debug_*"
reason = "a scratch column of the dev team"
""")
    args = ["compare", "--config", str(config), "--objects", "indexes,columns", "--no-usage",
            "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["kind"] == "column_extra"
    assert finding["waived"] == "a scratch column of the dev team"
    config.write_text(config.read_text(encoding="utf-8").replace('column = "debug_*"',
                                                                 'index = "debug_*"'),
                      encoding="utf-8")
    assert CliRunner().invoke(cli, args).exit_code == 1  # an index waiver never covers it
