"""The HTML report: one self-contained file, checked in a real headless Chromium."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from report_helpers import (
    FILES,
    advisory_files,
    big_comparison,
    example_comparison,
    launch_chromium,
    sync_playwright,
    terminal_advisories,
)

from indexdrift.cli.main import cli
from indexdrift.compare.tables import KINDS, compare
from indexdrift.core.i18n import Catalog
from indexdrift.model.tables import Index, KeyPart, Snapshot
from indexdrift.report.lint import lint_snapshot
from indexdrift.report.render.html import DELETED, INSERTED, SAME, diff_segments, render_html
from indexdrift.report.render.statements import build_statements


def expect(target):
    """playwright's auto-waiting assertions (no page-side eval, which the report's CSP bans)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def example_html(lang: str = "en") -> str:
    comparison = example_comparison()
    return render_html(comparison, Catalog(lang), statements=build_statements(comparison))


def report_data(page_html: str) -> dict:
    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>',
                      page_html, re.S)
    return json.loads(match.group(1))


# --- the file itself -------------------------------------------------------------------------

def test_html_report_references_nothing_outside_the_file():
    page = example_html()
    assert not re.search(r"\b(?:src|href)\s*=", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r"https?://", page)
    assert "default-src 'none'" in page  # the browser itself refuses any fetch


class _Rows(HTMLParser):
    """The drift table's rows as written into the page: ``data-k`` and the cells' text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.in_body = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tbody":
            self.in_body = attrs.get("id") == "rows"
        elif tag == "tr" and self.in_body:
            self.rows.append({"k": attrs["data-k"], "cells": [], "classes": []})
        elif tag == "td" and self.in_body:
            self.cell = []
            self.rows[-1]["classes"].append(attrs.get("class", ""))

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1]["cells"].append("".join(self.cell))
            self.cell = None
        elif tag == "tbody":
            self.in_body = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_rows(page_html: str) -> list[dict]:
    """The rows of the page's drift table, without the selection cell."""
    parser = _Rows()
    parser.feed(page_html)
    for row in parser.rows:
        row["cells"], row["classes"] = row["cells"][1:], row["classes"][1:]
    return parser.rows


def test_rows_are_written_into_the_page_with_a_kind_per_env_cell():
    page = example_html()
    data = report_data(page)
    assert data["envs"] == ["stg", "dev"]
    rows = page_rows(page)
    assert len(rows) == 12
    by_name = {(r["cells"][1], r["cells"][0]): r for r in rows}
    price = by_name[("products", "idx_products_price_tmp")]
    assert [data["kinds"][int(k)] if k != "-1" else None for k in price["k"].split(",")] == [
        "extra", None]
    assert price["classes"][3] == "def k-extra" and price["classes"][4] == "def"
    audit = by_name[("audit_log", "*")]
    assert data["kinds"][int(audit["k"].split(",")[0])] == "table_missing"


def test_changed_definition_highlights_only_the_differing_tokens():
    assert diff_segments("(name(20))", "(name(10))") == [
        [SAME, "(name("], [DELETED, "20"], [INSERTED, "10"], [SAME, "))"]]
    assert diff_segments("UNIQUE (tenant_id, code)", "(tenant_id, code)") == [
        [DELETED, "UNIQUE "], [SAME, "(tenant_id, code)"]]
    # A quoted comment is one token: one highlight, not a word-by-word patchwork.
    assert diff_segments("(a) COMMENT 'old text'", "(a) COMMENT 'new text'") == [
        [SAME, "(a) COMMENT "], [DELETED, "'old text'"], [INSERTED, "'new text'"]]
    page = example_html()
    row = next(r for r in page_rows(page) if r["cells"][0] == "idx_products_name")
    # The markers are text: a copy, a print and a text-only viewer keep the difference.
    assert row["cells"][3] == "(name([-20-]{+10+}))"
    assert row["cells"][4] == "(name(20))"  # dev has no finding here: plain text
    assert ('(name(<del><span class="mk">[-</span>20<span class="mk">-]</span></del>'
            '<ins><span class="mk">{+</span>10<span class="mk">+}</span></ins>))') in page


def test_names_cannot_close_the_script_element():
    evil = "</script><script>alert(1)</script>"
    base = Snapshot("prd.csv", None, flavor="mysql", version="8.0.36")
    env = Snapshot("dev.csv", None, flavor="mysql", version="8.0.36")
    base.table(evil).add(Index(evil, "<b>x</b>", (KeyPart("a"),)))
    env.table(evil)
    page = render_html(compare({"prd": base, "dev": env}, "prd"), Catalog("en"))
    assert evil not in page and "<b>x</b>" not in page
    assert list(report_data(page)["tables"]) == [evil]
    assert page_rows(page)[0]["cells"][:2] == ["<b>x</b>", evil]


def test_korean_report_has_korean_labels_everywhere():
    page = example_html("ko")
    for text in ("요약", "드리프트", "마이그레이션", "롤백", "복사", "누락", "모든 환경",
                 "테이블 또는 인덱스 이름"):
        assert text in page, text
    assert '<html lang="ko">' in page
    assert report_data(page)["text"]["shown"] == "전체 {total}행 중 {shown}행"


def test_cli_writes_the_html_report_with_statements(tmp_path):
    out = tmp_path / "drift.html"
    result = CliRunner().invoke(cli, ["compare", *FILES, "-o", str(out), "--lang", "en"])
    assert result.exit_code == 1, result.output
    page = out.read_text(encoding="utf-8")
    assert "ALTER TABLE `orders`" in page and "RENAME INDEX `email_unique` TO" in page
    assert "RENAME INDEX `uq_users_email` TO `email_unique`" in page  # dev's rollback
    assert not list(tmp_path.glob(".*.tmp"))


def test_html_report_without_drift_says_so():
    comparison = example_comparison()
    clean = compare({"prd": comparison.snapshots["prd"], "copy": comparison.snapshots["prd"]},
                    "prd")
    page = render_html(clean, Catalog("en"), statements=build_statements(clean))
    assert "No drift: every environment matches prd." in page
    assert 'id="drift"' not in page


class _Advisories(HTMLParser):
    """``(data-env, text)`` of each item of the page's advisories section."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self.in_section = False
        self.current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.in_section = attrs.get("id") == "advisories"
        elif tag == "li" and self.in_section:
            self.current = [attrs["data-env"]]

    def handle_endtag(self, tag):
        if tag == "li" and self.current is not None:
            self.items.append((self.current[0], "".join(self.current[1:])))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def page_advisories(page_html: str) -> list[tuple[str, str]]:
    parser = _Advisories()
    parser.feed(page_html)
    return parser.items


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_html_report_lists_the_terminal_advisories(tmp_path, lang):
    files = advisory_files(tmp_path)
    expected = terminal_advisories(files, lang)
    assert [env for env, _ in expected] == ["stg", "dev"]
    out = tmp_path / "drift.html"
    result = CliRunner().invoke(cli, ["compare", *files, "--lang", lang, "-o", str(out)])
    assert result.exit_code == 1, result.output
    page = out.read_text(encoding="utf-8")
    assert Catalog(lang).t("lint.heading") in page
    assert page_advisories(page) == [(env, f"{env}: {text}") for env, text in expected]
    assert page.index('id="drift"') < page.index('id="advisories"') \
        < page.index('id="statements"')


def test_html_report_without_drift_still_lists_advisories(tmp_path):
    files = advisory_files(tmp_path, drift=False)
    expected = terminal_advisories(files, "en")
    out = tmp_path / "clean.html"
    result = CliRunner().invoke(cli, ["compare", *files, "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "No drift: every environment matches prd." in page and 'id="drift"' not in page
    assert page_advisories(page) == [(env, f"{env}: {text}") for env, text in expected]


def test_html_advisory_names_stay_text():
    base = Snapshot("prd.csv", None, flavor="mysql", version="8.0.36")
    for name, parts in (("<b>x</b>", ("a",)), ("wide", ("a", "b"))):
        base.table("t").add(Index("t", name, tuple(KeyPart(c) for c in parts)))
    comparison = compare({"prd": base, "dev": base}, "prd")
    comparison.advisories = {"prd": lint_snapshot(base)}
    page = render_html(comparison, Catalog("en"))
    assert "<b>x</b>" not in page
    [(env, text)] = page_advisories(page)
    assert env == "prd" and text.startswith("prd: t.<b>x</b> (a) is redundant to wide")


def test_html_report_without_advisories_has_no_section():
    assert 'id="advisories"' not in example_html()


# --- in the browser --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def open_report(browser, path, requests, viewport=None):
    page = browser.new_page(viewport=viewport or {"width": 1400, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: errors.append("dialog: " + dialog.message))
    page.goto(path.as_uri())
    page.wait_for_selector("#shown:not(:empty)")
    return page, errors


def shown_rows(page) -> list[tuple[str, str]]:
    return [tuple(cells) for cells in page.eval_on_selector_all(
        "#rows tr:not(.detail)",
        "rows => rows.map(r => [r.cells[1].textContent, r.cells[2].textContent])")]


def test_report_filters_sorts_and_fetches_nothing(browser, tmp_path):
    path = tmp_path / "drift.html"
    path.write_text(example_html(), encoding="utf-8")
    requests: list[str] = []
    page, errors = open_report(browser, path, requests)

    assert page.inner_text("#shown") == "12 of 12 rows"
    assert len(shown_rows(page)) == 12
    counts = page.inner_text("#counts tr[data-env=stg]").split()
    assert counts == ["stg", "1", "1", "3", "0", "1", "0", "6"]

    page.select_option("#f-env", label="dev")
    rows = shown_rows(page)
    assert len(rows) == 6
    assert ("*", "tmp_import") in rows and ("idx_products_price_tmp", "products") not in rows

    for kind in ("missing", "extra", "renamed", "table_missing", "table_extra"):
        page.uncheck(f"input[name=kind][value='{KINDS.index(kind)}']")
    assert sorted(shown_rows(page)) == [("idx_items_product", "order_items"),
                                        ("idx_orders_status", "orders"),
                                        ("idx_users_created", "users")]
    assert page.inner_text("#shown") == "3 of 12 rows"

    page.fill("#f-text", "ORDERS")
    expect(page.locator("#shown")).to_have_text(re.compile(r"^1 "))
    assert shown_rows(page) == [("idx_orders_status", "orders")]
    highlighted = page.inner_text("#rows tr td.k-changed ins")
    assert highlighted.replace(" ", "") == "{+INVISIBLE+}"

    page.fill("#f-text", "no such table")
    expect(page.locator("#shown")).to_have_text(re.compile(r"^0 "))
    assert page.is_visible("#empty")

    # Back to everything, then sort by the table column, both ways.
    page.fill("#f-text", "")
    page.select_option("#f-env", value="")
    for box in page.query_selector_all("input[name=kind]"):
        box.check()
    expect(page.locator("#shown")).to_have_text(re.compile(r"^12 "))
    page.click("#drift thead th[data-col='1']")
    assert page.url.endswith("#sort=1")  # the state is in the address, to share
    tables = [t for _, t in shown_rows(page)]
    assert tables == sorted(tables) and tables[0] == "audit_log"
    page.click("#drift thead th[data-col='1']")
    assert [t for _, t in shown_rows(page)][0] == "users"
    assert page.get_attribute("#drift thead th[data-col='1']", "aria-sort") == "descending"

    screenshot = tmp_path / "drift.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    assert errors == []
    assert requests == [path.as_uri()]
    page.close()


def test_copy_button_copies_the_migration(browser, tmp_path):
    path = tmp_path / "drift.html"
    path.write_text(example_html(), encoding="utf-8")
    requests: list[str] = []
    page, errors = open_report(browser, path, requests)
    button = page.locator("article[data-env=dev] button.copy").first
    button.click()
    expect(button).not_to_have_text("Copy")
    assert button.inner_text() == "Copied"
    migration = page.inner_text("article[data-env=dev] pre.migration")
    assert "RENAME INDEX `email_unique` TO `uq_users_email`" in migration
    assert errors == [] and requests == [path.as_uri()]
    page.close()


def test_hostile_names_stay_text_in_the_browser(browser, tmp_path):
    evil = "<img src=x onerror=alert(1)>"
    base = Snapshot("prd.csv", None, flavor="mysql", version="8.0.36")
    env = Snapshot("dev.csv", None, flavor="mysql", version="8.0.36")
    base.table("t").add(Index("t", evil, (KeyPart("a"),)))
    env.table("t")
    comparison = compare({"prd": base, "dev": env}, "prd")
    path = tmp_path / "evil.html"
    path.write_text(render_html(comparison, Catalog("en"),
                                statements=build_statements(comparison)), encoding="utf-8")
    requests: list[str] = []
    page, errors = open_report(browser, path, requests)
    assert shown_rows(page) == [(evil, "t")]
    assert errors == [] and requests == [path.as_uri()]
    page.close()


def test_11000_rows_load_and_filter(browser, tmp_path):
    path = tmp_path / "big.html"
    path.write_text(render_html(big_comparison(11_000), Catalog("en")), encoding="utf-8")
    requests: list[str] = []
    page, errors = open_report(browser, path, requests)
    assert page.inner_text("#shown") == "11000 of 11000 rows"
    # Every row is in the page as it came (scripts off, printing and Ctrl+F see them all).
    assert page.eval_on_selector_all("#rows tr", "rows => rows.length") == 11_000

    page.fill("#f-text", "table_00042")
    expect(page.locator("#shown")).to_have_text(re.compile(r"^4 "))
    assert sorted(i for i, _ in shown_rows(page)) == ["idx_42_a", "idx_42_c", "idx_42_d",
                                                      "idx_42_tmp"]
    page.fill("#f-text", "")
    for kind in ("missing", "changed", "renamed"):
        page.uncheck(f"input[name=kind][value='{KINDS.index(kind)}']")
    expect(page.locator("#shown")).to_have_text(re.compile(r"^2750 "))
    rendered = int(page.get_attribute("#shown", "data-rendered"))
    assert 0 < rendered < 2750  # a filtered view is put back in chunks, not all at once
    assert all(i.endswith("_tmp") for i, _ in shown_rows(page))
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(page.locator("#shown")).not_to_have_attribute("data-rendered", str(rendered))
    page.click("#drift thead th[data-col='0']")
    expect(page.locator("#rows tr td.idx").first).to_have_text("idx_0_tmp")
    assert errors == [] and requests == [path.as_uri()]
    page.close()


def test_env_filter_also_filters_the_advisories(browser, tmp_path):
    files = advisory_files(tmp_path)
    path = tmp_path / "drift.html"
    result = CliRunner().invoke(cli, ["compare", *files, "-o", str(path)])
    assert result.exit_code == 1, result.output
    requests: list[str] = []
    page, errors = open_report(browser, path, requests)
    stg, dev = page.locator("#advisories li[data-env=stg]"), page.locator(
        "#advisories li[data-env=dev]")
    expect(stg).to_be_visible()
    expect(dev).to_be_visible()
    page.select_option("#f-env", label="dev")
    expect(stg).to_be_hidden()
    expect(dev).to_be_visible()
    expect(dev).to_contain_text("idx_tenant_code_dup")
    page.select_option("#f-env", value="")
    expect(stg).to_be_visible()
    assert errors == [] and requests == [path.as_uri()]
    page.close()
