"""The Markdown report: summary, matrix, then each env's statements in ```sql blocks;
targets from the snapshot, the baseline, --target, or an honest "flavor unknown"."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from report_helpers import (
    FILES,
    advisory_files,
    example_comparison,
    terminal_advisories,
    without_flavor_columns,
)

from indexdrift.cli.main import cli
from indexdrift.compare.tables import Finding
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Catalog
from indexdrift.report.render.markdown import _fence, render_markdown
from indexdrift.report.render.statements import FROM_OPTION, build_statements


def test_markdown_has_summary_then_matrix_then_sql_blocks():
    comparison = example_comparison()
    text = render_markdown(comparison, Catalog("en"), statements=build_statements(comparison))
    summary = text.index("## Summary")
    matrix = text.index("## Drift")
    statements = text.index("## Migration statements")
    assert summary < matrix < statements
    assert "- stg: missing 1, extra 1, changed 3, table missing 1" in text
    assert "| index | table | prd definition | stg definition | dev definition | action | note |" \
        in text
    dev = text[text.index("### dev"):]
    assert dev.count("```sql") == 2
    assert "**Migration**" in dev and "**Rollback**" in dev
    migration = dev[dev.index("```sql"):dev.index("**Rollback**")]
    assert "RENAME INDEX `email_unique` TO `uq_users_email`" in migration
    assert migration.rstrip().endswith("```")
    assert "Target mysql 8.0.36" in dev


def test_fence_outgrows_backtick_runs_in_the_sql():
    assert _fence("ALTER TABLE `t`") == "```"
    assert _fence("-- ```weird```") == "````"


def test_env_without_flavor_uses_the_baseline_flavor(tmp_path):
    stg = without_flavor_columns(FILES[1], tmp_path / "indexes_stg.csv")
    result = CliRunner().invoke(cli, ["compare", FILES[0], stg, "--format", "md"])
    assert result.exit_code == 1, result.output
    assert "Target mysql 8.0.36, assumed from prd" in result.output
    assert "ALTER TABLE `orders`" in result.output


def test_unknown_flavor_is_reported_not_fatal(tmp_path):
    prd = without_flavor_columns(FILES[0], tmp_path / "indexes_prd.csv")
    stg = without_flavor_columns(FILES[1], tmp_path / "indexes_stg.csv")
    result = CliRunner().invoke(cli, ["compare", prd, stg, "--format", "md"])
    assert result.exit_code == 1, result.output
    assert "flavor unknown: pass --target stg=mysql:8.0" in result.output
    assert "```sql" not in result.output
    result = CliRunner().invoke(cli, ["compare", prd, stg, "--format", "md",
                                      "--target", "stg=mariadb:10.11"])
    assert "Target mariadb 10.11.0 (from --target)" in result.output
    assert "```sql" in result.output


def test_target_option_applies_to_every_env_unless_named():
    comparison = example_comparison()
    found = build_statements(comparison, ["mariadb:10.6", "dev=mysql:5.7"])
    assert found["stg"].target.label == "mariadb 10.6.0"
    assert found["dev"].target.label == "mysql 5.7.0"
    assert {e.target_from for e in found.values()} == {FROM_OPTION}
    with pytest.raises(IndexDriftError, match="no env called qa"):
        build_statements(comparison, ["qa=mysql:8.0"])


@pytest.mark.skipif("waived" not in Finding.__slots__, reason="waivers are not in this tree")
def test_waived_findings_are_left_out_of_the_statements():
    comparison = example_comparison()
    for finding in comparison.findings:
        if finding.env == "dev" and finding.kind == "renamed":
            finding.waived = "accepted"
    dev = build_statements(comparison)["dev"]
    assert "RENAME INDEX" not in dev.up


def test_markdown_in_korean(tmp_path):
    out = tmp_path / "drift.md"
    result = CliRunner().invoke(cli, ["compare", *FILES, "-o", str(out), "--lang", "ko"])
    assert result.exit_code == 1, result.output
    text = out.read_text(encoding="utf-8")
    for label in ("## 요약", "## 드리프트", "## 마이그레이션 문장", "**마이그레이션**", "**롤백**",
                  "대상 서버 mysql 8.0.36", "| 인덱스명 | 테이블 |"):
        assert label in text, label


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_markdown_lists_the_terminal_advisories_after_the_drift_table(tmp_path, lang):
    files = advisory_files(tmp_path)
    expected = terminal_advisories(files, lang)
    assert [env for env, _ in expected] == ["stg", "dev"]
    assert "idx_user" in expected[0][1] and "idx_user_created" in expected[0][1]
    out = tmp_path / "drift.md"
    result = CliRunner().invoke(cli, ["compare", *files, "--lang", lang, "-o", str(out)])
    assert result.exit_code == 1, result.output  # drift decides; advisories never do
    text = out.read_text(encoding="utf-8")
    catalog = Catalog(lang)
    section = text.index(f"## {catalog.t('lint.heading')}")
    assert text.index(f"## {catalog.t('heading.matrix')}") < section \
        < text.index(f"## {catalog.t('heading.statements')}")
    for env, line in expected:
        assert f"- **{env}**: {line}" in text[section:]


def test_markdown_without_drift_still_lists_advisories(tmp_path):
    files = advisory_files(tmp_path, drift=False)
    expected = terminal_advisories(files, "en")
    assert [env for env, _ in expected] == ["prd", "stg"]
    out = tmp_path / "clean.md"
    result = CliRunner().invoke(cli, ["compare", *files, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    clean = Catalog("en").t("summary.none", baseline="prd")
    assert text.index(clean) < text.index("## Advisories")
    for env, line in expected:
        assert f"- **{env}**: {line}" in text


def test_markdown_without_advisories_has_no_section():
    assert "## Advisories" not in render_markdown(example_comparison(), Catalog("en"))
