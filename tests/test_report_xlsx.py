"""The Excel report, read back with openpyxl."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest
from click.testing import CliRunner
from report_helpers import FILES, advisory_files, example_comparison, terminal_advisories

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.i18n import Catalog
from indexdrift.model.tables import Index, KeyPart, Snapshot
from indexdrift.report.lint import lint_snapshot
from indexdrift.report.render.statements import build_statements
from indexdrift.report.render.xlsx import ACTION_FILLS, KIND_FILLS, render_xlsx

openpyxl = pytest.importorskip("openpyxl")


def workbook(lang: str = "en", comparison=None):
    comparison = comparison or example_comparison()
    data = render_xlsx(comparison, Catalog(lang), statements=build_statements(comparison))
    return openpyxl.load_workbook(io.BytesIO(data))


def fill_of(cell) -> str:
    return cell.fill.start_color.rgb[-6:].upper()


def test_matrix_sheet_has_frozen_header_autofilter_and_widths():
    wb = workbook()
    assert wb.sheetnames == ["Summary", "Findings", "Drift", "Statements"]
    ws = wb["Drift"]
    header = [c.value for c in ws[1]]
    assert header == ["index", "table", "prd definition", "stg definition", "dev definition",
                      "action", "note"]
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:G13"
    assert ws.max_row == 13
    assert all(ws.column_dimensions[col].width >= 8 for col in "ABCDEFG")
    assert ws.column_dimensions["A"].width >= len("idx_orders_user_created")


def test_each_action_and_kind_has_its_fill():
    ws = workbook()["Drift"]
    rows = {(r[1].value, r[0].value): r for r in ws.iter_rows(min_row=2)}
    price = rows[("products", "idx_products_price_tmp")]
    assert price[5].value == "DROP (review)"
    assert fill_of(price[5]) == ACTION_FILLS["DROP"].lstrip("#")
    assert fill_of(price[3]) == KIND_FILLS["extra"].lstrip("#")  # stg's cell
    assert price[4].fill.fill_type is None  # dev has no finding there
    rename = rows[("users", "uq_users_email")]
    assert fill_of(rename[5]) == ACTION_FILLS["RENAME"].lstrip("#")
    assert rename[4].value == "email_unique: UNIQUE (email)"
    added = rows[("orders", "ft_orders_note")]
    assert fill_of(added[5]) == ACTION_FILLS["ADD"].lstrip("#")


def test_statements_sheet_has_migration_and_rollback_per_env():
    ws = workbook()["Statements"]
    assert [c.value for c in ws[1]] == ["env", "target", "direction", "table", "statement"]
    assert ws.freeze_panes == "A2"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    dev_up = [r[4] for r in rows if r[0] == "dev" and r[2] == "Migration"]
    dev_down = [r[4] for r in rows if r[0] == "dev" and r[2] == "Rollback"]
    assert any("RENAME INDEX `email_unique` TO `uq_users_email`" in s for s in dev_up)
    assert any("RENAME INDEX `uq_users_email` TO `email_unique`" in s for s in dev_down)
    assert {r[1] for r in rows} == {"mysql 8.0.36"}
    stg_tables = {r[3] for r in rows if r[0] == "stg" and r[2] == "Migration"}
    assert {"orders", "products", "users"} <= stg_tables


def test_summary_sheet_counts_and_sources():
    ws = workbook()["Summary"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][0] == "Index drift against prd"
    head = next(r for r in rows if r[0] == "env" and r[1] == "missing")
    stg = next(r for r in rows if r[0] == "stg" and isinstance(r[1], int))
    assert dict(zip(head, stg, strict=False))["changed"] == 3
    assert dict(zip(head, stg, strict=False))["total"] == 6
    assert any(r[0] == "dev" and str(r[1]).endswith("indexes_dev.csv") for r in rows)


def test_korean_workbook_labels():
    wb = workbook("ko")
    assert wb.sheetnames == ["요약", "발견 항목", "드리프트", "문장"]
    ws = wb["드리프트"]
    assert [c.value for c in ws[1]][:2] == ["인덱스명", "테이블"]
    actions = {r[5].value for r in ws.iter_rows(min_row=2)}
    assert {"추가", "삭제(검토)", "재생성", "이름 변경"} <= actions


def test_text_that_looks_like_a_formula_stays_text():
    base = Snapshot("prd.csv", None, flavor="mysql", version="8.0.36")
    env = Snapshot("dev.csv", None, flavor="mysql", version="8.0.36")
    base.table("t").add(Index("t", "=HYPERLINK(\"x\")", (KeyPart("a"),)))
    env.table("t")
    ws = workbook(comparison=compare({"prd": base, "dev": env}, "prd"))["Drift"]
    assert ws["A2"].value == '=HYPERLINK("x")'
    assert ws["A2"].data_type == "s"


def test_cli_writes_the_workbook_atomically(tmp_path):
    out = tmp_path / "drift.xlsx"
    result = CliRunner().invoke(cli, ["compare", *FILES, "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert openpyxl.load_workbook(out).sheetnames == ["Summary", "Findings", "Drift", "Statements"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_refuses_to_print_the_workbook_on_a_terminal():
    leader, follower = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "indexdrift", "compare", *FILES,
                                 "--format", "xlsx"], stdout=follower, stderr=subprocess.PIPE,
                                text=True, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert "binary" in result.stderr and "Traceback" not in result.stderr


def test_cli_pipes_the_workbook_when_stdout_is_not_a_terminal():
    result = subprocess.run([sys.executable, "-m", "indexdrift", "compare", *FILES,
                             "--format", "xlsx"], capture_output=True, timeout=120)
    assert result.returncode == 1
    assert openpyxl.load_workbook(io.BytesIO(result.stdout)).sheetnames[0] == "Summary"


@pytest.mark.parametrize(("lang", "sheets"), [
    ("en", ["Summary", "Findings", "Drift", "Statements", "Advisories"]),
    ("ko", ["요약", "발견 항목", "드리프트", "문장", "권고"]),
])
def test_advisories_sheet_has_the_terminal_advisories(tmp_path, lang, sheets):
    files = advisory_files(tmp_path)
    expected = terminal_advisories(files, lang)
    assert [env for env, _ in expected] == ["stg", "dev"]
    out = tmp_path / "drift.xlsx"
    result = CliRunner().invoke(cli, ["compare", *files, "--lang", lang, "-o", str(out)])
    assert result.exit_code == 1, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == sheets
    ws = wb[sheets[-1]]
    catalog = Catalog(lang)
    assert [c.value for c in ws[1]] == [catalog.t("col.env"), catalog.t("col.table"),
                                        catalog.t("col.index"), catalog.t("col.covered_by"),
                                        catalog.t("col.advisory")]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E3"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [(r[0], r[4]) for r in rows] == expected
    assert [r[1:4] for r in rows] == [["orders", "idx_user", "idx_user_created"],
                                      ["users", "idx_tenant_code_dup", "idx_tenant_code"]]


def test_workbook_without_drift_still_has_the_advisories(tmp_path):
    files = advisory_files(tmp_path, drift=False)
    expected = terminal_advisories(files, "en")
    out = tmp_path / "clean.xlsx"
    result = CliRunner().invoke(cli, ["compare", *files, "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out)["Advisories"]
            .iter_rows(min_row=2)]
    assert [(r[0], r[4]) for r in rows] == expected


def test_advisory_names_that_look_like_formulas_stay_text():
    base = Snapshot("prd.csv", None, flavor="mysql", version="8.0.36")
    for name, parts in (('=HYPERLINK("x")', ("a",)), ("wide", ("a", "b"))):
        base.table("t").add(Index("t", name, tuple(KeyPart(c) for c in parts)))
    comparison = compare({"prd": base, "dev": base}, "prd")
    comparison.advisories = {"prd": lint_snapshot(base)}
    ws = workbook(comparison=comparison)["Advisories"]
    assert ws["C2"].value == '=HYPERLINK("x")' and ws["C2"].data_type == "s"
    assert ws["E2"].value.startswith('t.=HYPERLINK("x") (a) is redundant to wide')
    assert ws["E2"].data_type == "s"


def test_workbook_without_advisories_has_no_advisories_sheet():
    assert "Advisories" not in workbook().sheetnames
