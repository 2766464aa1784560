"""The HTML report without scripts, printed to PDF, with unbroken names, and its drill-down."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from report_helpers import (
    FILES,
    big_comparison,
    example_comparison,
    launch_chromium,
    sync_playwright,
)

from indexdrift.cli.main import cli
from indexdrift.core.i18n import Catalog
from indexdrift.report.render import pdf
from indexdrift.report.render.html import render_html
from indexdrift.report.render.statements import build_statements


def write_example(path, lang="en"):
    comparison = example_comparison()
    page = render_html(comparison, Catalog(lang), statements=build_statements(comparison))
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def test_without_scripts_every_row_shows_and_a_line_says_why(browser, tmp_path):
    path = write_example(tmp_path / "drift.html")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(path.as_uri())
    assert page.locator("#rows tr").count() == 12
    assert page.is_visible("#noscript") and not page.is_visible("#filters")
    assert "need JavaScript" in page.inner_text("#noscript")
    assert "(name([-20-]{+10+}))" in page.inner_text("#rows")
    context.close()
    page = browser.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("#shown:not(:empty)")
    assert not page.is_visible("#noscript") and page.is_visible("#filters")
    page.close()


def _pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing (apt-get install poppler-utils)")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_pdf_holds_every_row_and_the_markers(tmp_path):
    if pdf.find_chromium() is None:
        pytest.skip("no Chromium to print with")
    out = tmp_path / "drift.pdf"
    result = CliRunner().invoke(cli, ["compare", *FILES, "-o", str(out), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert out.read_bytes().startswith(b"%PDF")
    text = _pdf_text(out)
    flat = "".join(text.split())
    assert "[-20-]{+10+}" in flat and "{+INVISIBLE+}" in flat
    for name in ("idx_items_product", "idx_products_name", "idx_users_tenant_code",
                 "idx_orders_user_created", "tmp_import"):
        assert name in text, name
    big = tmp_path / "big.pdf"
    big.write_bytes(pdf.render_pdf(big_comparison(2000), Catalog("en")))
    text = _pdf_text(big)
    for t in range(500):  # every row is printed, not the first chunk of them
        for name in (f"idx_{t}_a", f"idx_{t}_c", f"idx_{t}_d", f"idx_{t}_tmp"):
            assert re.search(rf"\b{name}\b", text), name


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_pdf_without_chromium_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, lang):
    from indexdrift.cli.main import main

    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    out = tmp_path / "drift.pdf"
    monkeypatch.setattr("sys.argv", ["indexdrift", "compare", *FILES, "-o", str(out),
                                     "--lang", lang])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.strip() == Catalog(lang).t("cli.error", message=Catalog(lang).t("pdf.no_chromium"))
    assert not out.exists()  # never a text table in a file named .pdf


# Each identifier as the DOM lays it out: how many lines its text takes, and whether it
# overflows its cell (the measure of "never broken mid-word").
_MEASURE = """cells => cells.map(td => {
  const target = td.querySelector('.id') ? Array.from(td.querySelectorAll('.id')) : [td];
  const lines = target.map(node => { const range = document.createRange();
    range.selectNodeContents(node);
    return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size; });
  return [td.textContent, Math.max(...lines), td.scrollWidth <= td.clientWidth + 1];
})"""


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("width", [1024, 1440])
def test_no_identifier_or_action_wraps(browser, tmp_path, width, lang):
    path = write_example(tmp_path / "drift.html", lang)
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_selector("#shown:not(:empty)")
    cells = page.eval_on_selector_all("#rows td.idx, #rows td.tbl, #rows td.act", _MEASURE)
    assert len(cells) == 36
    assert [c for c in cells if c[1] != 1 or not c[2]] == []
    if lang == "ko" and width == 1024:
        shot = tmp_path / "drift.ko.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 20_000
    page.close()


def test_header_stays_visible_while_scrolling(browser, tmp_path):
    path = tmp_path / "big.html"
    path.write_text(render_html(big_comparison(2000), Catalog("en")), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    page.goto(path.as_uri())
    page.wait_for_selector("#shown:not(:empty)")
    page.mouse.wheel(0, 20_000)
    page.wait_for_timeout(300)
    top = page.eval_on_selector("#drift thead th[data-col='0']",
                                "th => th.getBoundingClientRect().top")
    controls = page.eval_on_selector("#filters", "f => f.getBoundingClientRect().bottom")
    assert abs(top - controls) < 3
    page.close()


def test_drill_down_selection_and_shareable_filters(browser, tmp_path):
    path = write_example(tmp_path / "drift.html")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The address carries the filters: a column name finds the rows whose definitions hold it.
    page.goto(path.as_uri() + "#env=stg&q=tenant_id")
    page.wait_for_selector("#shown:not(:empty)")
    assert page.input_value("#f-text") == "tenant_id"
    names = page.eval_on_selector_all("#rows tr", "rows => rows.map(r => r.cells[1].textContent)")
    assert names == ["idx_users_tenant_code"]
    page.click("#rows tr td.def")
    detail = page.locator("tr.detail")
    text = detail.inner_text()
    assert "Table users in every env" in text
    assert "idx_users_tenant_code: UNIQUE (tenant_id, code)" in text
    assert "{+  idx_users_tenant_code: (tenant_id, code)+}" in text
    migration = page.inner_text("article[data-env=stg] pre.migration")
    rollback = page.inner_text("article[data-env=stg] pre.rollback")
    sql = detail.locator("pre.sql").all_inner_texts()
    assert len(sql) == 2 and sql[0].strip() in migration and sql[1].strip() in rollback
    assert "`users`" in sql[0]

    page.fill("#f-text", "")
    page.select_option("#f-env", value="")
    page.locator("#rows tr:not(.detail)").first.wait_for()
    rows = page.locator("#rows tr:not(.detail)")
    assert rows.count() == 12
    for n in (0, 1):
        rows.nth(n).locator("td.sel").click()
    page.select_option("#sel-env", "stg")
    script = page.inner_text("#selection-sql")
    assert script.startswith("-- indexdrift: Migration of the selected rows' tables in env stg")
    for statement in re.split(r"\n\n+", script.split("\n\n", 1)[1].strip()):
        assert statement in migration
    assert page.inner_text("#selected") == "2 selected"
    assert errors == []
    page.close()
