"""Reports of a hostile schema: names and definitions stay inert text in every format.

CSV cells that start like a formula get a leading ``'`` (read back with the csv module);
Markdown rendered by a real renderer (markdown-it-py, HTML enabled) has no element the
schema chose, one cell per column in every row and fences that stay closed; the HTML
report runs no script in Chromium; XLSX cells are strings; the terminal table shows
rich markup and escape sequences as text.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from report_helpers import launch_chromium, sync_playwright

from indexdrift.compare.tables import compare
from indexdrift.core.i18n import Catalog
from indexdrift.model.tables import Index, KeyPart, Snapshot
from indexdrift.report.render.csvout import original_text, render_csv, spreadsheet_text
from indexdrift.report.render.html import render_html
from indexdrift.report.render.markdown import render_markdown
from indexdrift.report.render.mdtext import LINE_BREAK_SIGN, code, text
from indexdrift.report.render.statements import build_statements
from indexdrift.report.render.terminal import render_text
from indexdrift.report.render.xlsx import render_xlsx

PWN = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=2</script>"
# Names a schema may hold (MySQL and PostgreSQL quote anything but NUL).
HOSTILE_INDEXES = [
    PWN, SCRIPT, "a|b|c", "tick`s", "```", "``fence``", "line\nbreak", "cr\rbreak",
    "=HYPERLINK(\"http://x.invalid\",\"y\")", "+1+1", "-2", "@SUM(A1)", "\tcmd", "\rcr",
    "'quoted", "[/bold] [red]x", "\x1b]0;title\x07\x1b[31mred", "**bold** _em_ [l](http://x)",
    "# heading", "- item", "1. item", "<!-- c -->", "&amp;", " space ", "`",
]
HOSTILE_TABLE = "t<b>|`x`\n" + SCRIPT
HOSTILE_ENV = "shards.- " + PWN + "|`#`"


def hostile_comparison():
    """prd has every hostile index; dev lacks them, or has them changed or renamed."""
    base = Snapshot("prd.csv", "shop<script>", flavor="mysql", version="8.0.36")
    env = Snapshot("dev.csv", "shop|dev", flavor="mysql", version="8.0.36")
    for table in (HOSTILE_TABLE, "plain"):
        base.table(table).add(Index(table, "PRIMARY", (KeyPart("id"),), unique=True,
                                    primary=True))
        env.table(table).add(Index(table, "PRIMARY", (KeyPart("id"),), unique=True,
                                   primary=True))
    for n, name in enumerate(HOSTILE_INDEXES):
        column = f"c{n}"
        base.table(HOSTILE_TABLE).add(Index(HOSTILE_TABLE, name, (KeyPart(column),),
                                            comment=SCRIPT + "|`x`"))
        if n % 3 == 1:  # changed: another comment
            env.table(HOSTILE_TABLE).add(Index(HOSTILE_TABLE, name, (KeyPart(column),),
                                               comment=PWN + "\n|"))
        elif n % 3 == 2:  # extra in dev, under a hostile name too
            env.table("plain").add(Index("plain", name, (KeyPart(column),)))
    # A fleet target is named after its schema: the env name is database text too.
    return compare({"prd": base, "dev": env, HOSTILE_ENV: env}, "prd")


# --- CSV -------------------------------------------------------------------------------------

def test_spreadsheet_text_prefixes_formula_starts_and_reads_back():
    for value in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx", "'x"):
        assert spreadsheet_text(value) == "'" + value
        assert original_text(spreadsheet_text(value)) == value
    for value in ("(a)", "UNIQUE (email)", "a=1", "", "—", " =1"):
        assert spreadsheet_text(value) == value
        assert original_text(spreadsheet_text(value)) == value


def test_csv_report_cells_never_start_like_a_formula():
    comparison = hostile_comparison()
    rows = list(csv.reader(io.StringIO(render_csv(comparison, Catalog("en"),
                                                 layout="matrix")[1:])))
    assert len(rows) > len(HOSTILE_INDEXES)
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    names = {original_text(row[0]) for row in rows[1:]}
    # Every hostile name reads back exactly (a negative-looking "-2" included).
    assert set(HOSTILE_INDEXES) <= names
    index = {original_text(row[0]): row[0] for row in rows[1:]}
    assert index["-2"] == "'-2" and index["=HYPERLINK(\"http://x.invalid\",\"y\")"][0] == "'"
    assert index["'quoted"] == "''quoted"
    assert index["a|b|c"] == "a|b|c"  # nothing else changes


# --- Markdown --------------------------------------------------------------------------------

class _Tree(HTMLParser):
    """Elements, attributes, table rows and code blocks of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.rows: list[list[str]] = []
        self.pre: list[str] = []
        self._cell: list[str] | None = None
        self._pre: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "pre":
            self._pre = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "pre" and self._pre is not None:
            self.pre.append("".join(self._pre))
            self._pre = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._pre is not None:
            self._pre.append(data)


def rendered(markdown: str) -> _Tree:
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]) \
        .render(markdown)
    tree = _Tree()
    tree.feed(html)
    return tree


def _lines(sql: str) -> str:
    return sql.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n") + "\n"


def _shown(name: str) -> str:
    return name.replace("\r\n", LINE_BREAK_SIGN).replace("\r", LINE_BREAK_SIGN) \
        .replace("\n", LINE_BREAK_SIGN)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_markdown_of_a_hostile_schema_renders_as_text(lang):
    comparison = hostile_comparison()
    statements = build_statements(comparison)
    tree = rendered(render_markdown(comparison, Catalog(lang), statements=statements))
    # Only the elements the report itself writes: nothing a name or comment chose.
    assert {tag for tag, _ in tree.tags} <= {"h1", "h2", "h3", "p", "ul", "li", "strong",
                                             "code", "pre", "table", "thead", "tbody", "tr",
                                             "th", "td", "blockquote"}
    assert not [attrs for _, attrs in tree.tags if any(k.startswith("on") for k in attrs)]
    # The matrix: one cell per column in every row, names exactly as in the schema.
    header, *body = tree.rows
    assert len(header) == 3 + len(comparison.envs) + 2  # index, table, prd, dev, action, note
    assert all(len(row) == len(header) for row in body), [r for r in body
                                                           if len(r) != len(header)]
    assert {row[0] for row in body} >= {_shown(n) for n in HOSTILE_INDEXES}
    assert {row[1] for row in body} == {_shown(HOSTILE_TABLE), "plain"}
    assert header[4] == Catalog(lang).t("col.definition", env=HOSTILE_ENV)
    assert any(SCRIPT + "|`x`" in row[2] for row in body)  # the comment, as text
    # Each env's migration and rollback: fences stay closed, the SQL is there verbatim.
    # (Markdown reads a lone CR as a line end: a name holding one shows on two lines.)
    assert tree.pre == [_lines(sql) for entry in statements.values()
                        for sql in (entry.up, entry.down)]
    # Each env's heading is its name, as text (one h3 per env).
    assert [tag for tag, _ in tree.tags].count("h3") == len(statements) == 2


def test_markdown_escapes_every_construct_a_name_could_start():
    for name in HOSTILE_INDEXES + [HOSTILE_TABLE]:
        tree = rendered(f"| h |\n|---|\n| {code(name, table=True)} |\n| {text(name)} |\n")
        assert [row for row in tree.rows] == [["h"], [_shown(name)], [_shown(name)]], name
        assert {tag for tag, _ in tree.tags} <= {"table", "thead", "tbody", "tr", "th", "td",
                                                 "code"}, name
        item = rendered(f"- **{text(name)}**: {code(name)}\n")
        assert {tag for tag, _ in item.tags} == {"ul", "li", "strong", "code"}, name


# --- HTML, in the browser --------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def _pwned(browser, path) -> object:
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # an onerror handler runs after the failed load
        return page.evaluate("() => window.__pwned")
    finally:
        page.close()


def test_html_report_of_a_hostile_schema_runs_no_script(browser, tmp_path):
    comparison = hostile_comparison()
    comparison.incomplete = {"fleet." + PWN: "cannot connect " + SCRIPT}
    page = render_html(comparison, Catalog("en"), statements=build_statements(comparison))
    assert PWN not in page and SCRIPT not in page
    path = tmp_path / "hostile.html"
    path.write_text(page, encoding="utf-8")
    # The probe works: the same payload pasted raw into the page sets the flag.
    control = tmp_path / "control.html"
    control.write_text(page.replace("</footer>", "</footer>" + PWN), encoding="utf-8")
    assert _pwned(browser, control) == 1
    assert _pwned(browser, path) is None
    view = browser.new_page()
    view.goto(path.as_uri())
    view.wait_for_selector("#shown:not(:empty)")
    shown = view.eval_on_selector_all("#rows tr", "rows => rows.map(r => r.cells[1].textContent)")
    assert PWN in shown and SCRIPT in shown
    view.close()


# --- XLSX and terminal -----------------------------------------------------------------------

def test_xlsx_cells_are_strings_never_formulas(tmp_path):
    import openpyxl

    comparison = hostile_comparison()
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(render_xlsx(comparison, Catalog("en"),
                                 statements=build_statements(comparison)))
    book = openpyxl.load_workbook(path)
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type in ("s", "n"), (sheet.title, c.coordinate, c.value)
                values.append(c.value)
    assert "=HYPERLINK(\"http://x.invalid\",\"y\")" in values and "-2" in values


def test_terminal_shows_markup_and_escape_sequences_as_text():
    out = render_text(hostile_comparison(), Catalog("en"))
    assert "[/bold] [red]x" in out
    assert "\x1b" not in out and "\x07" not in out and "\\x1b]0;title\\x07" in out
