"""The command line on the bundled examples: formats, languages, exit codes, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.core.errors import IndexDriftError
from indexdrift.sources.envspec import choose_baseline, name_from_source, parse_env

EXAMPLES = Path(__file__).parent.parent / "examples"
FILES = [str(EXAMPLES / f"indexes_{e}.csv") for e in ("prd", "stg", "dev")]


def run_main(*args, **kw):
    """Run the real console entry point in a subprocess (exit codes, stderr, no traceback)."""
    return subprocess.run([sys.executable, "-m", "indexdrift", *args], capture_output=True,
                          text=True, **kw)


def test_env_names_from_files_and_urls():
    assert name_from_source("x/indexes_prd.csv") == "prd"
    assert name_from_source("mysql://app@127.0.0.1/shop_dev") == "dev"
    assert parse_env("stg=indexes.csv").name == "stg"
    assert parse_env("mysql://a@h/db?x=1").source == "mysql://a@h/db?x=1"


def test_baseline_choice():
    assert choose_baseline(["dev", "prod"], None) == "prod"
    assert choose_baseline(["dev", "qa"], "qa") == "qa"
    with pytest.raises(IndexDriftError, match="--baseline"):
        choose_baseline(["dev", "qa"], None)


def test_examples_show_every_kind_as_json():
    result = CliRunner().invoke(cli, ["compare", *FILES, "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["baseline"] == "prd" and doc["envs"] == ["stg", "dev"]
    assert {f["kind"] for f in doc["findings"]} == {"missing", "extra", "changed", "renamed",
                                                    "table_missing", "table_extra"}
    required = {"env", "schema", "table", "index", "kind", "baseline_definition",
                "env_definition", "changes", "action", "note"}
    assert all(required <= set(f) for f in doc["findings"])
    renamed = next(f for f in doc["findings"] if f["kind"] == "renamed")
    assert renamed["index"] == "uq_users_email" and renamed["env_index"] == "email_unique"
    assert {f["action"] for f in doc["findings"]} == {"ADD", "DROP", "REBUILD", "RENAME",
                                                      "VISIBILITY", "REVIEW"}


def test_no_drift_exits_zero():
    result = CliRunner().invoke(cli, ["compare", f"prd={FILES[0]}", f"copy={FILES[0]}"])
    assert result.exit_code == 0 and "No drift" in result.output


def test_markdown_in_korean_written_atomically(tmp_path):
    out = tmp_path / "drift.md"
    result = CliRunner().invoke(cli, ["compare", *FILES, "-o", str(out), "--lang", "ko"])
    assert result.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert "| 인덱스명 | 테이블 | prd 정의 | stg 정의 | dev 정의 | 액션 | 비고 |" in text
    assert "추가" in text and "이름 변경" in text and "재생성" in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_default_language_follows_korean_locale(monkeypatch):
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    result = CliRunner().invoke(cli, ["compare", *FILES, "--format", "csv"])
    assert "인덱스명" in result.output


def test_terminal_table_has_the_team_layout():
    result = CliRunner().invoke(cli, ["compare", *FILES], terminal_width=250)
    header = result.output.splitlines()[1]
    for word in ("index", "table", "prd definition", "stg definition", "dev definition",
                 "action", "note"):
        assert word in header
    assert "UNIQUE (tenant_id, code)" in result.output


def test_csv_matrix_output():
    result = CliRunner().invoke(cli, ["compare", *FILES, "--format", "csv", "--csv-layout",
                                      "matrix"])
    lines = result.output.lstrip("\ufeff").splitlines()
    assert lines[0] == "index,table,prd definition,stg definition,dev definition,action,note"
    assert any(line.startswith("idx_products_name,products,(name(20)),(name(10)),(name(20))")
               for line in lines)


def test_bad_csv_is_one_line_exit_2_no_traceback(tmp_path):
    bad = tmp_path / "indexes_dev.csv"
    bad.write_text(Path(FILES[2]).read_text().replace("users,0,shop_dev,PRIMARY,1",
                                                      "users,0,shop_dev,PRIMARY,x"))
    proc = run_main("compare", FILES[0], str(bad))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0
    assert f"{bad}:2: column SEQ_IN_INDEX" in proc.stderr


def test_missing_baseline_is_exit_2():
    proc = run_main("compare", f"a={FILES[1]}", f"b={FILES[2]}")
    assert proc.returncode == 2 and "--baseline" in proc.stderr


def test_failed_run_leaves_no_output_file(tmp_path):
    out = tmp_path / "drift.json"
    proc = run_main("compare", FILES[0], str(tmp_path / "nope.csv"), "-o", str(out))
    assert proc.returncode == 2 and not out.exists()
    assert not list(tmp_path.iterdir())


def test_migrate_takes_dash_o_like_the_other_commands(tmp_path):
    out = tmp_path / "migrations"
    result = CliRunner().invoke(cli, ["migrate", *FILES, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["dev.rollback.sql", "dev.sql",
                                                    "stg.rollback.sql", "stg.sql"]
    assert "ADD INDEX `idx_orders_user_created` (`user_id`, `created_at`)" in \
        (out / "stg.sql").read_text(encoding="utf-8")
