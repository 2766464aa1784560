"""CSV and Excel: one row per env and finding (an autofilter on env shows all of an env's
findings, each with its statement and rollback), the matrix kept (--csv-layout matrix, the
workbook's matrix sheet); the workbook starts with its summary and prints landscape, fit
to width, its header repeated."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from click.testing import CliRunner
from report_helpers import FILES, example_comparison
from test_security_reports import HOSTILE_INDEXES, hostile_comparison

from indexdrift.cli.main import cli
from indexdrift.core.csvcells import original_text
from indexdrift.core.i18n import Catalog
from indexdrift.report.render.csvout import render_csv
from indexdrift.report.render.statements import build_statements
from indexdrift.report.render.xlsx import render_xlsx

HEADER = {
    "en": ["env", "kind", "table", "index", "baseline definition", "env definition", "changes",
           "action", "note", "statement", "rollback"],
    "ko": ["환경", "유형", "테이블", "인덱스명", "기준 정의", "환경 정의", "변경 항목", "액션",
           "비고", "문장", "롤백"],
}


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_csv_has_one_row_per_env_and_finding(lang):
    comparison = example_comparison()
    catalog = Catalog(lang)
    rows = csv_rows(render_csv(comparison, catalog, build_statements(comparison)))
    assert rows[0] == HEADER[lang]
    assert len(rows) - 1 == len(comparison.findings)
    dev = [r for r in rows[1:] if r[0] == "dev"]
    assert len(dev) == len(comparison.for_env("dev"))
    assert [r[0] for r in rows[1:]] == sorted((r[0] for r in rows[1:]),
                                              key=["stg", "dev"].index)  # env by env
    renamed = next(r for r in dev if r[3] == "uq_users_email")
    assert renamed[1] == catalog.t("kind.renamed")
    assert renamed[7] == catalog.t("action.RENAME")
    assert "RENAME INDEX `email_unique` TO `uq_users_email`" in renamed[9]
    assert "RENAME INDEX `uq_users_email` TO `email_unique`" in renamed[10]
    prefix = next(r for r in rows[1:] if r[3] == "idx_products_name")
    assert (prefix[0], prefix[4], prefix[5]) == ("stg", "(name(20))", "(name(10))")
    assert prefix[6] == catalog.t("change.prefix_length")


def test_csv_matrix_layout_keeps_the_old_shape():
    result = CliRunner().invoke(cli, ["compare", *FILES, "--format", "csv",
                                      "--csv-layout", "matrix"])
    assert result.exit_code == 1, result.output
    rows = csv_rows(result.stdout)
    assert rows[0] == ["index", "table", "prd definition", "stg definition", "dev definition",
                       "action", "note"]
    findings = CliRunner().invoke(cli, ["compare", *FILES, "--format", "csv"])
    assert csv_rows(findings.stdout)[0] == HEADER["en"]


def test_findings_csv_cells_never_start_like_a_formula():
    rows = csv_rows(render_csv(hostile_comparison(), Catalog("en")))
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert set(HOSTILE_INDEXES) <= {original_text(row[3]) for row in rows[1:]}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_workbook_starts_with_the_summary_and_has_a_findings_sheet(lang):
    comparison = example_comparison()
    catalog = Catalog(lang)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(
        comparison, catalog, statements=build_statements(comparison))))
    assert book.sheetnames == [catalog.t(f"xlsx.sheet.{s}")
                               for s in ("summary", "findings", "matrix", "statements")]
    ws = book[catalog.t("xlsx.sheet.findings")]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER[lang]
    assert len(rows) - 1 == len(comparison.findings)
    assert ws.auto_filter.ref == f"A1:K{len(rows)}"
    assert ws.freeze_panes == "A2"
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToHeight == 0  # as many pages down as it takes
        if sheet.title != catalog.t("xlsx.sheet.summary"):
            assert sheet.print_title_rows == "$1:$1"
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def test_workbook_findings_sheet_keeps_hostile_names_as_text():
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(hostile_comparison(),
                                                         Catalog("en"))))
    ws = book["Findings"]
    names = {row[3] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert "=HYPERLINK(\"http://x.invalid\",\"y\")" in names
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def test_a_waived_finding_has_no_statement_and_says_waived():
    comparison = example_comparison()
    renamed = next(f for f in comparison.findings if f.index == "uq_users_email")
    renamed.waived = "kept for the old app"
    rows = csv_rows(render_csv(comparison, Catalog("en"), build_statements(comparison)))
    row = next(r for r in rows[1:] if r[3] == "uq_users_email")
    assert row[7] == "RENAME (waived)" and row[9] == row[10] == ""
    assert "waived: kept for the old app" in row[8]
