"""Foreign-key, CHECK and table-option findings in every report format, in English and
Korean: the matrix rows (object, name, table, definitions, action, note), the object column
and filter, the JSON fields and schema, and the migration's held-back lines.

The envs are model objects (as the readers fill them), so this runs without a server.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from report_helpers import launch_chromium, sync_playwright

from indexdrift.compare.tables import compare
from indexdrift.core.i18n import Catalog
from indexdrift.core.target import parse_target
from indexdrift.ddl.script import build_script
from indexdrift.model.tables import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    KeyPart,
    Snapshot,
    Table,
)
from indexdrift.plan.planner import PlanOptions, plan_env
from indexdrift.report.matrix import build_matrix
from indexdrift.report.render.csvout import render_csv
from indexdrift.report.render.html import render_html, report_rows
from indexdrift.report.render.jsonout import render_json
from indexdrift.report.render.markdown import render_markdown, summary_lines
from indexdrift.report.render.mdtext import cell
from indexdrift.report.render.statements import build_statements
from indexdrift.report.render.terminal import build_table
from indexdrift.report.render.xlsx import KIND_FILLS, render_xlsx

ROOT = Path(__file__).parent.parent
REPORT_SCHEMA = json.loads((ROOT / "schema" / "indexdrift-report.schema.json")
                           .read_text(encoding="utf-8"))
ALL = frozenset({"foreign_keys", "checks", "options"})


def fk(name, cols=("customer_id",), ref="customers", ref_cols=("id",), **kw) -> ForeignKey:
    return ForeignKey("orders", name, tuple(cols), ref, tuple(ref_cols), **kw)


def check(name, expression, **kw) -> CheckConstraint:
    return CheckConstraint("orders", name, expression, **kw)


def snap(env: str, fks, checks, options, indexes=(), objects=ALL) -> Snapshot:
    orders = Table("orders", foreign_keys=tuple(fks), checks=checks, options=options)
    orders.add(Index("orders", "PRIMARY", (KeyPart("id"),), unique=True, primary=True))
    for index in indexes:
        orders.add(index)
    customers = Table("customers", checks={}, options={"engine": "InnoDB"})
    customers.add(Index("customers", "PRIMARY", (KeyPart("id"),), unique=True, primary=True))
    return Snapshot(f"{env}.json", f"shop_{env}", {"orders": orders, "customers": customers},
                    flavor="mariadb", version="10.11.6", objects=objects)


PRD_OPTIONS = {"engine": "InnoDB", "charset": "utf8mb4", "collation": "utf8mb4_general_ci",
               "row_format": "DYNAMIC", "comment": "orders"}


def comparison_of_every_kind():
    """prd; stg read only the table options (and has none of the drift); dev has every
    kind of foreign-key, check and option finding, and one missing index."""
    base = snap("prd", [fk("fk_cust"), fk("fk_a", ("a",), "t_a"), fk("fk_b", ("b",), "t_b")],
                {"ck_qty": check("ck_qty", "`qty` > 0"), "ck_a": check("ck_a", "`a` < 5"),
                 "ck_b": check("ck_b", "`b` < 5")},
                dict(PRD_OPTIONS), [Index("orders", "ix_a", (KeyPart("a"),))])
    stg = snap("stg", [], {}, dict(PRD_OPTIONS), [Index("orders", "ix_a", (KeyPart("a"),))],
               objects=frozenset({"options"}))
    dev = snap("dev", [fk("fk_cust", on_delete="CASCADE"), fk("fk_a_old", ("a",), "t_a"),
                       fk("주문_fk", ("x",), "t_x")],
               {"ck_qty": check("ck_qty", "`qty` >= 0"), "ck_a2": check("ck_a2", "`a` < 5"),
                "ck_z": check("ck_z", "`z` < 5 | 1", enforced=False)},
               {**PRD_OPTIONS, "row_format": "COMPACT", "comment": "it's\nold"})
    return compare({"prd": base, "stg": stg, "dev": dev}, "prd")


@pytest.fixture(scope="module")
def comparison():
    return comparison_of_every_kind()


CUST = "(customer_id) -> customers (id)"
OPTIONS_TEXT = ("engine=InnoDB, charset=utf8mb4, collation=utf8mb4_general_ci, "
                "row_format=DYNAMIC, comment=orders")
DEV_OPTIONS = ("engine=InnoDB, charset=utf8mb4, collation=utf8mb4_general_ci, "
               "row_format=COMPACT, comment='it''s\nold'")
# (object, name, table, prd, stg, dev, action, note) per language.
EXPECTED = {
    "en": [
        ("index", "ix_a", "orders", "(a)", "(a)", "—", "ADD", "dev: missing; add from prd"),
        ("foreign key", "fk_a", "orders", "(a) -> t_a (id)", "(not read)",
         "fk_a_old: (a) -> t_a (id)", "RENAME",
         "dev: foreign key fk_a is named fk_a_old here; same definition"),
        ("foreign key", "fk_b", "orders", "(b) -> t_b (id)", "(not read)", "—", "ADD",
         "dev: foreign key fk_b missing; add it from prd"),
        ("foreign key", "fk_cust", "orders", CUST, "(not read)", CUST + " ON DELETE CASCADE",
         "REBUILD", "dev: foreign key fk_cust differs in ON DELETE"),
        ("foreign key", "주문_fk", "orders", "—", "(not read)", "(x) -> t_x (id)",
         "DROP (review)", "dev: foreign key 주문_fk only in dev"),
        ("check", "ck_a", "orders", "CHECK (`a` < 5)", "(not read)", "ck_a2: CHECK (`a` < 5)",
         "RENAME", "dev: check ck_a is named ck_a2 here; same definition"),
        ("check", "ck_b", "orders", "CHECK (`b` < 5)", "(not read)", "—", "ADD",
         "dev: check ck_b missing; add it from prd"),
        ("check", "ck_qty", "orders", "CHECK (`qty` > 0)", "(not read)", "CHECK (`qty` >= 0)",
         "REBUILD", "dev: check ck_qty differs in expression"),
        ("check", "ck_z", "orders", "—", "(not read)", "CHECK (`z` < 5 | 1) NOT ENFORCED",
         "DROP (review)", "dev: check ck_z only in dev"),
        ("table", "table options", "orders", OPTIONS_TEXT, OPTIONS_TEXT, DEV_OPTIONS, "CHANGE",
         "dev: table options differ in ROW_FORMAT, table comment"),
    ],
    "ko": [
        ("인덱스", "ix_a", "orders", "(a)", "(a)", "—", "추가", "dev: 누락됨, prd 정의로 추가"),
        ("외래 키", "fk_a", "orders", "(a) -> t_a (id)", "(읽지 않음)",
         "fk_a_old: (a) -> t_a (id)", "이름 변경",
         "dev: 외래 키 fk_a의 이름이 여기서는 fk_a_old; 정의는 같음"),
        ("외래 키", "fk_b", "orders", "(b) -> t_b (id)", "(읽지 않음)", "—", "추가",
         "dev: 외래 키 fk_b 없음; prd 기준으로 추가"),
        ("외래 키", "fk_cust", "orders", CUST, "(읽지 않음)", CUST + " ON DELETE CASCADE",
         "재생성", "dev: 외래 키 fk_cust의 ON DELETE가 다름"),
        ("외래 키", "주문_fk", "orders", "—", "(읽지 않음)", "(x) -> t_x (id)", "삭제(검토)",
         "dev: 외래 키 주문_fk는 dev에만 있음"),
        ("체크 제약", "ck_a", "orders", "CHECK (`a` < 5)", "(읽지 않음)",
         "ck_a2: CHECK (`a` < 5)", "이름 변경",
         "dev: 체크 제약 ck_a의 이름이 여기서는 ck_a2; 정의는 같음"),
        ("체크 제약", "ck_b", "orders", "CHECK (`b` < 5)", "(읽지 않음)", "—", "추가",
         "dev: 체크 제약 ck_b 없음; prd 기준으로 추가"),
        ("체크 제약", "ck_qty", "orders", "CHECK (`qty` > 0)", "(읽지 않음)",
         "CHECK (`qty` >= 0)", "재생성", "dev: 체크 제약 ck_qty의 조건식이 다름"),
        ("체크 제약", "ck_z", "orders", "—", "(읽지 않음)", "CHECK (`z` < 5 | 1) NOT ENFORCED",
         "삭제(검토)", "dev: 체크 제약 ck_z는 dev에만 있음"),
        ("테이블", "테이블 옵션", "orders", OPTIONS_TEXT, OPTIONS_TEXT, DEV_OPTIONS, "변경",
         "dev: 테이블 옵션 중 ROW_FORMAT, 테이블 코멘트가 다름"),
    ],
}
HEADER = {"en": ["object", "name", "table", "prd definition", "stg definition",
                 "dev definition", "action", "note"],
          "ko": ["객체", "이름", "테이블", "prd 정의", "stg 정의", "dev 정의", "액션", "비고"]}
SUMMARY = {
    "en": ["stg: 0", "dev: missing 1, foreign key missing 1, foreign key extra 1, foreign key "
           "changed 1, foreign key renamed 1, check missing 1, check extra 1, check changed 1, "
           "check renamed 1, table options changed 1"],
    "ko": ["stg: 0", "dev: 누락 1, 외래 키 누락 1, 초과 외래 키 1, 외래 키 변경 1, 외래 키 이름 "
           "다름 1, 체크 제약 누락 1, 초과 체크 제약 1, 체크 제약 변경 1, 체크 제약 이름 다름 1, "
           "테이블 옵션 변경 1"],
}
LANGS = pytest.mark.parametrize("lang", ["en", "ko"])


def test_every_kind_is_found(comparison):
    found = {(f.env, f.kind, f.constraint) for f in comparison.findings}
    assert found == {("dev", "missing", None),
                     ("dev", "foreign_key_renamed", "fk_a"),
                     ("dev", "foreign_key_missing", "fk_b"),
                     ("dev", "foreign_key_changed", "fk_cust"),
                     ("dev", "foreign_key_extra", "주문_fk"),
                     ("dev", "check_renamed", "ck_a"), ("dev", "check_missing", "ck_b"),
                     ("dev", "check_changed", "ck_qty"), ("dev", "check_extra", "ck_z"),
                     ("dev", "table_options_changed", "")}


@LANGS
def test_terminal_table(comparison, lang):
    table = build_table(comparison, Catalog(lang))
    assert [str(c.header) for c in table.columns] == HEADER[lang]
    columns = [[str(c) for c in column.cells] for column in table.columns]
    assert [tuple(row) for row in zip(*columns, strict=True)] == EXPECTED[lang]
    assert summary_lines(comparison, Catalog(lang)) == SUMMARY[lang]


@LANGS
def test_csv_report(comparison, lang):
    text = render_csv(comparison, Catalog(lang), layout="matrix")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == HEADER[lang]
    assert [tuple(r) for r in rows[1:]] == EXPECTED[lang]


@LANGS
def test_markdown_report(comparison, lang):
    text = render_markdown(comparison, Catalog(lang),
                           statements=build_statements(comparison))
    assert "| " + " | ".join(HEADER[lang]) + " |" in text
    for line in SUMMARY[lang]:
        assert f"- {line}" in text
    for obj, name, table, *rest in EXPECTED[lang]:
        cells = [cell(obj), f"`{name}`", f"`{table}`", *(cell(v) for v in rest)]
        assert "| " + " | ".join(cells) + " |" in text, name
    # The migration's statements: what it changes, and why it holds back the rest.
    assert "ADD CONSTRAINT `ck_b` CHECK (`b` < 5)" in text
    assert ("-- foreign key missing fk_b: NOT APPLIED: its parent table t_b is not in this "
            "env; compare and migrate with --objects tables (or all) to create it first") in text


@LANGS
def test_json_report(comparison, lang):
    doc = json.loads(render_json(comparison, Catalog(lang)))
    jsonschema.validate(doc, REPORT_SCHEMA)
    by = {(f["kind"], f.get("constraint")): f for f in doc["findings"]}
    assert {f["object_kind"] for f in doc["findings"]} == {"index", "foreign_key", "check",
                                                         "table"}
    renamed = by[("foreign_key_renamed", "fk_a")]
    assert renamed["index"] is None and renamed["env_constraint"] == "fk_a_old"
    assert renamed["baseline_definition"] == renamed["env_definition"] == "(a) -> t_a (id)"
    assert renamed["baseline_foreign_key"]["ref_table"] == "t_a"
    assert renamed["env_foreign_key"]["name"] == "fk_a_old"
    assert renamed["action"] == "RENAME"
    changed = by[("foreign_key_changed", "fk_cust")]
    assert changed["changes"] == ["on_delete"]
    assert changed["env_foreign_key"]["on_delete"] == "CASCADE"
    extra = by[("check_extra", "ck_z")]
    assert extra["baseline_check"] is None and extra["env_check"]["enforced"] is False
    assert extra["env_definition"] == "CHECK (`z` < 5 | 1) NOT ENFORCED"
    options = by[("table_options_changed", None)]
    assert options["object_kind"] == "table" and options["action"] == "CHANGE"
    assert options["changes"] == ["row_format", "comment"]
    assert options["baseline_options"] == PRD_OPTIONS
    assert options["env_options"]["comment"] == "it's\nold"
    notes = {(f["kind"], f.get("constraint")): f["note"] for f in doc["findings"]}
    assert notes[("check_missing", "ck_b")] == EXPECTED[lang][6][7]


@LANGS
def test_workbook(comparison, lang):
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(
        comparison, Catalog(lang), statements=build_statements(comparison))))
    catalog = Catalog(lang)
    assert book.sheetnames == [catalog.t(f"xlsx.sheet.{name}")
                               for name in ("summary", "findings", "matrix", "statements")]
    ws = book[catalog.t("xlsx.sheet.matrix")]
    rows = [tuple("" if v is None else v for v in row) for row in ws.iter_rows(values_only=True)]
    assert list(rows[0]) == HEADER[lang]
    # Excel keeps a line break in a cell; the options cell has one (the comment's).
    assert rows[1:] == EXPECTED[lang]
    assert ws.freeze_panes == "D2"  # header, object, name and table stay in view
    assert ws.auto_filter.ref == "A1:H11"
    fills = {ws.cell(row=n, column=6).fill.fgColor.rgb[-6:] for n in range(2, 12)}
    assert fills == {KIND_FILLS[k].lstrip("#").upper()
                     for k in ("missing", "extra", "changed", "renamed")}
    statements = [r[4] for r in book[catalog.t("xlsx.sheet.statements")]
                  .iter_rows(values_only=True)]
    assert any("COMMENT='orders'" in (s or "") for s in statements)  # options migrated
    summary = [c for r in book[catalog.t("xlsx.sheet.summary")].iter_rows(values_only=True)
               for c in r if c]
    assert Catalog(lang).t("kind.table_options_changed") in summary


@LANGS
def test_html_rows_and_object_filter(comparison, lang):
    catalog = Catalog(lang)
    page = render_html(comparison, catalog, statements=build_statements(comparison))
    rows = report_rows(comparison, catalog)
    assert [(r["lead"][1], r["o"]) for r in rows] == [
        ("ix_a", 0), *((n, 2) for n in ("fk_a", "fk_b", "fk_cust", "주문_fk")),
        *((n, 3) for n in ("ck_a", "ck_b", "ck_qty", "ck_z")), (catalog.t("options.label"), 4)]
    # A changed definition is highlighted like an index's.
    cust = rows[3]["c"][1][2]
    assert [1, " ON DELETE CASCADE"] in cust or any(
        seg[0] == 1 and "CASCADE" in seg[1] for seg in cust)
    select = re.search(r'<select id="f-object">(.*?)</select>', page, re.S).group(1)
    labels = re.findall(r'<option value="(\d*)">([^<]*)</option>', select)
    assert labels == [("", catalog.t("html.filter.all_objects")),
                      ("0", catalog.t("object.indexes")),
                      ("2", catalog.t("object.foreign_keys")),
                      ("3", catalog.t("object.checks")), ("4", catalog.t("object.tables"))]
    header = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', page)
    assert header == HEADER[lang]
    assert "k-foreign_key_changed" in page  # the summary's chip, coloured by the stylesheet


def test_held_lines_in_korean_and_english(comparison):
    # Foreign keys, checks and options are migrated (issue 20): nothing of them is only
    # reported; what the target or the env cannot take is held back with its reason.
    plan = plan_env(comparison, "dev", parse_target("mariadb:10.11"), PlanOptions())
    assert plan.reported == []
    english = build_script(plan, comparison, PlanOptions()).up_text()
    korean = build_script(plan, comparison, PlanOptions(), lang=Catalog("ko")).up_text()
    assert ("-- foreign key renamed fk_a: NOT APPLIED: its parent table t_a is not in this "
            "env; compare and migrate with --objects tables (or all) to create it first") in english
    assert ("-- check extra ck_z: NOT APPLIED: mariadb 10.11.0 has no NOT ENFORCED checks"
            in english)
    assert ("-- 외래 키 변경 fk_cust: 적용 안 함: 마이그레이션 후 (customer_id)로 시작하는 "
            "인덱스가 없습니다: 서버가 인덱스를 따로 만들게 됩니다") in korean
    assert "-- 초과 외래 키 주문_fk: 이 환경에만 있음; 기본적으로 삭제하지 않습니다" in korean
    # The statements are the same in both languages.
    assert [line for line in english.splitlines() if not line.startswith("--")] == [
        line for line in korean.splitlines() if not line.startswith("--")]


def _column(name, position, ctype="int") -> Column:
    return Column(name, position, ctype, True, "NULL")


def test_object_column_only_when_the_findings_are_of_several_kinds():
    base = Snapshot("prd", "s", {}, flavor="mysql")
    env = Snapshot("dev", "s", {}, flavor="mysql")
    for snapshot, cols in ((base, ("a", "b")), (env, ("a",))):
        table = snapshot.table("t")
        table.columns = {c: _column(c, n) for n, c in enumerate(cols, start=1)}
    base.table("t").add(Index("t", "ix_b", (KeyPart("b"),)))
    columns_only = compare({"prd": base, "dev": env}, "prd")
    assert {f.object_kind for f in columns_only.findings} == {"columns", "indexes"}
    matrix = build_matrix(columns_only, Catalog("en"))
    assert matrix.show_kind
    assert [row.lead(matrix, Catalog("en")) for row in matrix.rows] == [
        ["column", "b", "t"], ["index", "ix_b", "t"]]
    base.table("t").indexes.clear()
    matrix = build_matrix(compare({"prd": base, "dev": env}, "prd"), Catalog("ko"))
    assert not matrix.show_kind  # a column-only run keeps its layout
    assert matrix.header(Catalog("ko"))[:2] == ["인덱스명", "테이블"]
    assert [row.lead(matrix, Catalog("ko")) for row in matrix.rows] == [["컬럼 b", "t"]]


def test_hostile_constraint_text_stays_text(comparison):
    base = snap("prd", [fk("=cmd|' /C calc'!A0")], {"<ck>": check("<ck>", "`a` > '</script>'")},
                {"engine": "InnoDB", "comment": "[red]x[/red]"})
    env = snap("dev", [], {}, {"engine": "InnoDB", "comment": "=1+1"})
    hostile = compare({"prd": base, "dev": env}, "prd")
    text = render_csv(hostile, Catalog("en"), layout="matrix")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert ["foreign key", "'=cmd|' /C calc'!A0"] == rows[1][:2]
    rows = list(csv.reader(io.StringIO(render_csv(hostile, Catalog("en")).removeprefix("\ufeff"))))
    assert ["dev", "foreign key missing", "foreign key", "orders", "'=cmd|' /C calc'!A0"] == \
        rows[1][:5]
    page = render_html(hostile, Catalog("en"))
    assert "</script>'" not in page.split('id="report-data">')[1].split("</script>")[0]
    markdown = render_markdown(hostile, Catalog("en"))
    # Names are code spans (literal there); everything else is escaped text.
    assert "| check | `<ck>` | `orders` | CHECK (\\`a\\` &gt; '&lt;/script&gt;') |" in markdown
    assert "dev: check &lt;ck&gt; missing" in markdown
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(hostile, Catalog("en"))))
    for ws in (book["Drift"], book["Findings"]):
        values = [c.value for r in ws.iter_rows() for c in r]
        assert "=cmd|' /C calc'!A0" in values  # a string cell, never a formula
        assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


# --- in the browser --------------------------------------------------------------------------

def expect(target):
    """playwright's auto-waiting assertions (no page-side eval, which the report's CSP bans)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def test_object_filter_in_the_browser(browser, comparison, tmp_path):
    path = tmp_path / "drift.html"
    path.write_text(render_html(comparison, Catalog("ko"),
                                statements=build_statements(comparison)), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_selector("#shown:not(:empty)")

    def shown():
        return page.eval_on_selector_all(
            "#rows tr", "rows => rows.map(r => [r.cells[1].textContent, r.cells[2].textContent,"
            " r.cells[3].textContent])")

    assert len(shown()) == 10
    page.select_option("#f-object", label="체크 제약")
    assert shown() == [["체크 제약", n, "orders"] for n in ("ck_a", "ck_b", "ck_qty", "ck_z")]
    page.select_option("#f-object", label="테이블")
    assert shown() == [["테이블", "테이블 옵션", "orders"]]
    page.select_option("#f-object", value="")
    page.fill("#f-text", "fk_cust")
    expect(page.locator("#shown")).to_have_attribute("data-matching", "1")
    assert shown() == [["외래 키", "fk_cust", "orders"]]
    page.fill("#f-text", "")
    expect(page.locator("#shown")).to_have_attribute("data-matching", "10")
    page.click("#drift thead th[data-col='1']")  # sort by name
    names = [row[1] for row in shown()]
    latin = [n for n in names if n.isascii()]
    assert latin == sorted(latin) and len(names) == 10
    assert errors == []
    page.close()


# --- through the command line, from snapshot files --------------------------------------------

# Everything but columns (the snapshots hold none: --objects all would ask for them).
WHOLE = "indexes,foreign_keys,checks,tables"

@pytest.fixture(scope="module")
def snapshot_files(tmp_path_factory):
    """The comparison's envs as snapshot files (they carry every kind)."""
    from indexdrift.sources.snapshot import save_snapshot

    folder = tmp_path_factory.mktemp("snapshots")
    snapshots = comparison_of_every_kind().snapshots
    files = []
    for env, snapshot in snapshots.items():
        save_snapshot(snapshot, str(folder / f"{env}.json"))
        files.append(f"{env}={folder / f'{env}.json'}")
    return files


def _cli(*args: str):
    from click.testing import CliRunner

    from indexdrift.cli.main import cli

    return CliRunner().invoke(cli, list(args))


@LANGS
@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json", "html", "xlsx"])
def test_every_format_through_the_cli(snapshot_files, fmt, lang):
    layout = ["--csv-layout", "matrix"] if fmt == "csv" else []
    result = _cli("compare", *snapshot_files, "--objects", WHOLE, "--format", fmt,
                  "--lang", lang, "--no-usage", *layout)
    assert result.exit_code == 1, result.output
    expected = EXPECTED[lang]
    if fmt == "json":
        doc = json.loads(result.stdout)
        jsonschema.validate(doc, REPORT_SCHEMA)
        assert sorted(f["note"] for f in doc["findings"]) == sorted(r[7] for r in expected)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
        assert [tuple(r) for r in rows[1:]] == expected
    elif fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))
        rows = [tuple(r) for r in book[Catalog(lang).t("xlsx.sheet.matrix")]
                .iter_rows(values_only=True)]
        assert rows[1:] == expected
    elif fmt == "html":
        rows = report_rows(comparison_of_every_kind(), Catalog(lang))
        assert [row["lead"][1] for row in rows] == [row[1] for row in expected]
        for row in rows:  # every row is written into the page itself
            assert f'<td class="idx">{html.escape(row["lead"][1], quote=False)}</td>' in (
                result.stdout)
        assert 'id="f-object"' in result.stdout
    else:  # table and md: every note, whole or wrapped, and the object column
        flat = " ".join(result.stdout.split())
        assert HEADER[lang][0] in result.stdout
        for row in expected:
            assert " ".join(row[7].split()) in flat or fmt == "table", row[7]
    # Without --objects, the same files compare their indexes only.
    plain = _cli("compare", *snapshot_files, "--format", "json", "--lang", lang, "--no-usage")
    assert [f["kind"] for f in json.loads(plain.stdout)["findings"]] == ["missing"]


@LANGS
def test_migrate_reports_what_it_does_not_migrate(snapshot_files, lang):
    result = _cli("migrate", *snapshot_files, "--env", "dev", "--stdout", "--objects", WHOLE,
                  "--lang", lang)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("-- ")]
    if lang == "en":
        assert ("-- check extra ck_z: NOT APPLIED: mariadb 10.11.6 has no NOT ENFORCED "
                "checks") in lines
    else:
        assert ("-- 초과 체크 제약 ck_z: 적용 안 함: mariadb 10.11.6에는 NOT ENFORCED 체크 "
                "제약이 없습니다") in lines
    assert "ADD CONSTRAINT `ck_b` CHECK (`b` < 5)" in result.stdout
    assert "ADD INDEX `ix_a`" in result.stdout  # the index is migrated as always
