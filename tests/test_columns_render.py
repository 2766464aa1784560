"""Every kind of column finding (missing, extra, changed, renamed, moved) as the terminal
table, Markdown and CSV reports word it, in English and Korean.

The envs are files (STATISTICS + COLUMNS exports), so this runs without a server.
"""

from __future__ import annotations

import csv
import io

import pytest
from rich.console import Console

from indexdrift.compare.tables import compare
from indexdrift.core.i18n import Catalog
from indexdrift.report.render.csvout import render_csv
from indexdrift.report.render.markdown import render_markdown, summary_lines
from indexdrift.report.render.mdtext import cell
from indexdrift.report.render.terminal import build_table
from indexdrift.sources import open_source

STATISTICS = ("TABLE_SCHEMA,TABLE_NAME,INDEX_NAME,NON_UNIQUE,SEQ_IN_INDEX,COLUMN_NAME,"
              "COLLATION,INDEX_TYPE,SUB_PART\n"
              "shop,t,,,,,,,\nshop,u,,,,,,,\nshop,v,,,,,,,\n")  # tables without indexes
COLUMNS = ("TABLE_SCHEMA,TABLE_NAME,COLUMN_NAME,ORDINAL_POSITION,COLUMN_DEFAULT,IS_NULLABLE,"
           "DATA_TYPE,COLUMN_TYPE,CHARACTER_SET_NAME,COLLATION_NAME,EXTRA,COLUMN_COMMENT,"
           "GENERATION_EXPRESSION\n")
# (table, column, type, default, comment) in column order, per env (MySQL spelling).
PRD = [("t", "id", "int", None, ""), ("t", "a", "int", None, ""), ("t", "b", "int", None, ""),
       ("t", "c", "varchar(10)", "x", ""), ("t", "note", "varchar(5)", None, ""),
       ("t", "gone", "int", None, ""),
       ("u", "x", "int", None, ""), ("u", "y", "int", None, ""), ("u", "z", "int", None, ""),
       ("u", "w", "int", None, ""),
       ("v", "a", "int", None, ""), ("v", "b", "int", None, ""), ("v", "c", "int", None, ""),
       ("v", "d", "int", None, ""), ("v", "e", "int", None, "")]
DEV = [("t", "a", "int", None, ""), ("t", "b", "int", None, ""),
       ("t", "c", "varchar(10)", "y", "changed"), ("t", "memo", "varchar(5)", None, ""),
       ("t", "extra", "int", None, ""), ("t", "id", "int", None, ""),
       ("u", "x", "int", None, ""), ("u", "z", "int", None, ""), ("u", "w", "int", None, ""),
       ("u", "y", "int", None, ""),
       ("v", "c", "int", None, ""), ("v", "d", "int", None, ""), ("v", "e", "int", None, ""),
       ("v", "a", "int", None, ""), ("v", "b2", "int", None, "")]

VARCHAR = "CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NULL"
INT = "int NULL DEFAULT NULL"
# (label, table, prd cell, dev cell, action, note) per language; the kind in the comment.
EXPECTED = {
    "en": [
        ("column c", "t", f"`c` varchar(10) {VARCHAR} DEFAULT 'x'",  # changed
         f"`c` varchar(10) {VARCHAR} DEFAULT 'y' COMMENT 'changed'", "MODIFY COLUMN",
         "dev: column c differs in default, comment"),
        ("column gone", "t", f"`gone` {INT}", "—", "ADD",  # missing
         "dev: column gone missing; add it from prd"),
        ("column id", "t", f"`id` {INT}", f"`id` {INT}", "MODIFY COLUMN",  # moved to first
         "dev: column id is in another position (baseline: first)"),
        ("column note", "t", f"`note` varchar(5) {VARCHAR} DEFAULT NULL",  # renamed
         f"`memo` varchar(5) {VARCHAR} DEFAULT NULL", "MODIFY COLUMN",
         "dev: column note is named memo here; same definition"),
        ("column extra", "t", "—", f"`extra` {INT}", "DROP (review)",  # extra
         "dev: column extra only in dev; dropping it loses data (--drop-extra)"),
        ("column y", "u", f"`y` {INT}", f"`y` {INT}", "MODIFY COLUMN",  # moved after x
         "dev: column y is in another position (baseline: after x)"),
        ("column a", "v", f"`a` {INT}", f"`a` {INT}", "MODIFY COLUMN",
         "dev: column a is in another position (baseline: first)"),
        ("column b", "v", f"`b` {INT}", f"`b2` {INT}", "MODIFY COLUMN",  # renamed and moved
         "dev: column b is named b2 here; differs in position"),
    ],
    "ko": [
        ("컬럼 c", "t", f"`c` varchar(10) {VARCHAR} DEFAULT 'x'",
         f"`c` varchar(10) {VARCHAR} DEFAULT 'y' COMMENT 'changed'", "컬럼 수정",
         "dev: 컬럼 c의 기본값, 코멘트가 다름"),
        ("컬럼 gone", "t", f"`gone` {INT}", "—", "추가", "dev: 컬럼 gone 없음; prd 기준으로 추가"),
        ("컬럼 id", "t", f"`id` {INT}", f"`id` {INT}", "컬럼 수정",
         "dev: 컬럼 id의 위치가 다름 (기준: 맨 앞)"),
        ("컬럼 note", "t", f"`note` varchar(5) {VARCHAR} DEFAULT NULL",
         f"`memo` varchar(5) {VARCHAR} DEFAULT NULL", "컬럼 수정",
         "dev: 컬럼 note의 이름이 여기서는 memo; 정의는 같음"),
        ("컬럼 extra", "t", "—", f"`extra` {INT}", "삭제(검토)",
         "dev: 컬럼 extra는 dev에만 있음; 삭제하면 데이터가 사라짐 (--drop-extra)"),
        ("컬럼 y", "u", f"`y` {INT}", f"`y` {INT}", "컬럼 수정",
         "dev: 컬럼 y의 위치가 다름 (기준: x 뒤)"),
        ("컬럼 a", "v", f"`a` {INT}", f"`a` {INT}", "컬럼 수정",
         "dev: 컬럼 a의 위치가 다름 (기준: 맨 앞)"),
        ("컬럼 b", "v", f"`b` {INT}", f"`b2` {INT}", "컬럼 수정",
         "dev: 컬럼 b의 이름이 여기서는 b2; 위치가 다름"),
    ],
}
SUMMARY = {"en": "dev: column missing 1, column extra 1, column changed 3, column moved 3",
           "ko": "dev: 컬럼 누락 1, 초과 컬럼 1, 컬럼 변경 3, 컬럼 위치 변경 3"}


def _columns_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    positions: dict[str, int] = {}
    for table, name, ctype, default, comment in rows:
        positions[table] = positions.get(table, 0) + 1
        text = ctype.startswith("varchar")
        writer.writerow(["shop", table, name, positions[table],
                         "NULL" if default is None else default, "YES", ctype.split("(")[0],
                         ctype, "utf8mb4" if text else "NULL",
                         "utf8mb4_general_ci" if text else "NULL", "", comment, ""])
    return COLUMNS + out.getvalue()


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    snapshots = {}
    for env, rows in (("prd", PRD), ("dev", DEV)):
        (folder / f"indexes_{env}.csv").write_text(STATISTICS, encoding="utf-8")
        (folder / f"columns_{env}.csv").write_text(_columns_csv(rows), encoding="utf-8")
        snapshots[env] = open_source(str(folder / f"indexes_{env}.csv"), env, columns=True,
                                     columns_file=str(folder / f"columns_{env}.csv"))
    return compare(snapshots, "prd")


def test_every_kind_of_column_finding_is_there(comparison):
    kinds = {(f.kind, f.column, tuple(f.changes)) for f in comparison.findings}
    assert kinds == {("column_changed", "c", ("default", "comment")),
                     ("column_missing", "gone", ()), ("column_moved", "id", ("position",)),
                     ("column_changed", "note", ("name",)), ("column_extra", "extra", ()),
                     ("column_moved", "y", ("position",)), ("column_moved", "a", ("position",)),
                     ("column_changed", "b", ("name", "position"))}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_csv_report(comparison, lang):
    text = render_csv(comparison, Catalog(lang), layout="matrix")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert [tuple(r) for r in rows[1:]] == EXPECTED[lang]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_markdown_report(comparison, lang):
    text = render_markdown(comparison, Catalog(lang))
    assert f"- {SUMMARY[lang]}" in text
    for label, table, prd, dev, action, note in EXPECTED[lang]:
        # Database text is escaped: the backticks of a column definition show as written.
        prd, dev, action, note = (cell(v) for v in (prd, dev, action, note))
        assert f"| `{label}` | `{table}` | {prd} | {dev} | {action} | {note} |" in text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_terminal_table(comparison, lang):
    catalog = Catalog(lang)
    table = build_table(comparison, catalog)
    columns = [[str(cell) for cell in column.cells] for column in table.columns]
    assert [tuple(row) for row in zip(*columns, strict=True)] == EXPECTED[lang]
    assert summary_lines(comparison, catalog) == [SUMMARY[lang]]
    # and as printed: every note whole on a wide console
    out = io.StringIO()
    Console(file=out, width=400, no_color=True).print(table)
    for *_, note in EXPECTED[lang]:
        assert note in out.getvalue()
