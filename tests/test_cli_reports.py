"""compare and check share their report options: -o repeatable with the format from the
extension (or a refusal naming the formats), "wrote FILE", the same default format, the
Markdown cut to a limit or summarized, and specific messages, in English and Korean."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from report_helpers import FILES, big_comparison, example_comparison

from indexdrift.cli.main import cli, main
from indexdrift.cli.reporting import GITHUB_BODY_LIMIT, render_report
from indexdrift.core.errors import SourceError, cause_of
from indexdrift.core.i18n import Catalog
from indexdrift.report.render import FORMATS, extensions
from indexdrift.report.render.markdown import render_markdown, top_rows
from indexdrift.report.render.statements import build_statements
from indexdrift.sources import set_timeout, url_timeouts
from indexdrift.sources.urls import parse_url

LANGS = ("en", "ko")


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``indexdrift ARGS`` through main(): exit code, stdout, stderr (errors as printed)."""
    monkeypatch.setattr(sys, "argv", ["indexdrift", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


@pytest.mark.parametrize("lang", LANGS)
def test_compare_writes_every_output_and_says_so(tmp_path, lang):
    paths = [tmp_path / "a.json", tmp_path / "b.html", tmp_path / "c.md"]
    args = ["compare", *FILES, "--lang", lang]
    for path in paths:
        args += ["-o", str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    catalog = Catalog(lang)
    assert result.stderr.splitlines() == [catalog.t("output.wrote", path=str(p)) for p in paths]
    assert json.loads(paths[0].read_text(encoding="utf-8"))["baseline"] == "prd"
    assert paths[1].read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert paths[2].read_text(encoding="utf-8").startswith("# ")
    assert Catalog("en").t("output.wrote", path="x") == "wrote x"
    assert Catalog("ko").t("output.wrote", path="x") == "작성함: x"


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_extension_is_refused_naming_the_formats(monkeypatch, capsys, tmp_path,
                                                             lang):
    target = tmp_path / "drift.docx"
    code, out, err = run_main(monkeypatch, capsys, "compare", *FILES, "--lang", lang,
                              "-o", str(target))
    assert code == 2 and out == "" and not target.exists()
    exts, formats = ", ".join(extensions()), ", ".join(FORMATS)
    assert formats.startswith("table, list, md") and exts.startswith(".md, ")
    expected = {
        "en": f"error: -o {target}: the file name does not tell the format; end it in {exts}, "
              f"or give --format ({formats})\n",
        "ko": f"오류: -o {target}: 파일 이름으로 형식을 알 수 없습니다. 확장자를 {exts} 중 "
              f"하나로 하거나 --format({formats})을 주세요\n"}
    assert err == expected[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_an_extension_that_contradicts_format_is_refused(monkeypatch, capsys, tmp_path, lang):
    code, _, err = run_main(monkeypatch, capsys, "check", *FILES, "--lang", lang,
                            "--format", "json", "-o", str(tmp_path / "x.md"))
    assert code == 2
    assert err == {"en": f"error: -o {tmp_path / 'x.md'}: the file name says md but --format "
                         "says json; give one or the other\n",
                   "ko": f"오류: -o {tmp_path / 'x.md'}: 파일 이름은 md 형식인데 --format은 "
                         "json입니다. 둘 중 하나만 주세요\n"}[lang]


def test_format_names_a_file_whose_name_does_not_tell(tmp_path):
    target = tmp_path / "drift.log"
    result = CliRunner().invoke(cli, ["compare", *FILES, "--format", "md", "-o", str(target)])
    assert result.exit_code == 1, result.output
    assert target.read_text(encoding="utf-8").startswith("# Index drift against prd")


def test_check_prints_what_compare_prints_by_default():
    compare = CliRunner().invoke(cli, ["compare", *FILES])
    check = CliRunner().invoke(cli, ["check", *FILES])
    assert compare.exit_code == check.exit_code == 1
    assert check.stdout == compare.stdout
    assert "┃" in check.stdout or "|" in check.stdout


def test_check_takes_the_options_compare_takes(tmp_path):
    target = tmp_path / "drift.md"
    result = CliRunner().invoke(cli, ["check", *FILES, "--no-usage", "--usage-from", "prd",
                                      "--target", "mysql:8.0", "--objects", "indexes",
                                      "-o", str(target)])
    assert result.exit_code == 1, result.output
    text = target.read_text(encoding="utf-8")
    # --target reaches the statements of the report, as with compare.
    assert "## Migration statements" in text and "mysql 8.0" in text
    assert "check: DRIFT" in result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_summary_and_max_chars_need_markdown(monkeypatch, capsys, lang):
    code, _, err = run_main(monkeypatch, capsys, "compare", *FILES, "--lang", lang,
                            "--summary")
    assert code == 2
    assert err == {"en": "error: --summary shapes the Markdown report: give --format md or "
                         "an -o FILE.md\n",
                   "ko": "오류: --summary: Markdown 보고서에만 쓰는 옵션입니다. --format md나 "
                         "-o FILE.md를 주세요\n"}[lang]
    code, _, err = run_main(monkeypatch, capsys, "compare", *FILES, "--lang", lang,
                            "--format", "md", "--max-chars", "100")
    assert code == 2
    assert err == {"en": "error: --max-chars 100: give 0 (no limit) or at least 2000 (the "
                         "summary must fit)\n",
                   "ko": "오류: --max-chars 100: 0(제한 없음)이나 2000 이상을 주세요(요약은 "
                         "들어가야 합니다)\n"}[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_a_big_markdown_report_fits_a_github_issue_body_and_says_what_was_left_out(lang):
    comparison = big_comparison(4000)
    catalog = Catalog(lang)
    full = render_markdown(comparison, catalog, statements=build_statements(comparison))
    assert len(full) > 10 * GITHUB_BODY_LIMIT
    text = render_report(comparison, catalog, "md")
    assert len(text) <= GITHUB_BODY_LIMIT
    kept = text.count("\n| `idx_")
    assert 100 < kept < 4000
    notice = catalog.t("md.cut.notice", limit=GITHUB_BODY_LIMIT, parts=", ".join(
        [catalog.t("md.cut.rows", count=4000 - kept, total=4000),
         catalog.t("md.cut.statements")]))
    assert f"> {notice}" in text
    assert f"## {catalog.t('heading.statements')}" not in text
    assert "`--max-chars 0`" in text
    # Every line kept is whole: each table line ends its row.
    assert all(line.endswith("|") for line in text.splitlines() if line.startswith("| "))
    assert {"en": "⚠ This report was cut to fit 65536 characters (--max-chars); left out: "
                  "3000 of 4000 drift rows (the last ones), the migration statements.",
            "ko": "⚠ 이 보고서는 65536자에 맞게 잘렸습니다(--max-chars). 빠진 내용: 드리프트 "
                  "4000행 중 마지막 3000행, 마이그레이션 문장."}[lang] == catalog.t(
        "md.cut.notice", limit=65536, parts=", ".join(
            [catalog.t("md.cut.rows", count=3000, total=4000),
             catalog.t("md.cut.statements")]))


def test_max_chars_zero_and_a_smaller_limit():
    comparison = big_comparison(400)
    catalog = Catalog("en")
    whole = render_report(comparison, catalog, "md", max_chars=0)
    assert "cut to fit" not in whole and whole.count("\n| `idx_") == 400
    small = render_report(comparison, catalog, "md", max_chars=5000)
    assert len(small) <= 5000 and "left out:" in small


def test_a_report_that_fits_is_unchanged():
    comparison = example_comparison()
    catalog = Catalog("en")
    statements = build_statements(comparison)
    assert render_report(comparison, catalog, "md") == render_markdown(
        comparison, catalog, statements=statements)


@pytest.mark.parametrize("lang", LANGS)
def test_summary_counts_per_env_and_kind_top_rows_and_a_hint(tmp_path, lang):
    catalog = Catalog(lang)
    comparison = big_comparison(400)
    text = render_report(comparison, catalog, "md", summary=True, top=5)
    head = "| " + " | ".join([catalog.t("col.env"), catalog.t("kind.missing"),
                              catalog.t("kind.extra"), catalog.t("kind.changed"),
                              catalog.t("kind.renamed"), catalog.t("kind.table_missing"),
                              catalog.t("kind.table_extra"), catalog.t("col.total")]) + " |"
    assert head in text
    assert "| dev | 100 | 100 | 100 | 100 | 0 | 0 | 400 |" in text
    assert f"## {catalog.t('md.top.heading', count=5, total=400)}" in text
    assert text.count("\n| `idx_") == 5
    assert catalog.t("md.top.more", count=395) in text
    assert "`--summary`" in text
    assert {"en": "Top 5 of 400 drift rows", "ko": "드리프트 400행 중 상위 5행"}[lang] == \
        catalog.t("md.top.heading", count=5, total=400)
    assert {"en": "395 more drift rows are in the full report.",
            "ko": "나머지 395행은 전체 보고서에 있습니다."}[lang] == \
        catalog.t("md.top.more", count=395)


def test_summary_names_the_other_files_of_the_run_as_the_full_report(tmp_path):
    md, html = tmp_path / "summary.md", tmp_path / "drift.html"
    result = CliRunner().invoke(cli, ["compare", *FILES, "--summary", "--top", "3",
                                      "-o", str(md), "-o", str(html)])
    assert result.exit_code == 1, result.output
    text = md.read_text(encoding="utf-8")
    assert f"The full report: `{html}`." in text
    assert text.count("\n| `") + text.count("\n| *") == 3
    assert Catalog("ko").t("md.full.files", files="x") == "전체 보고서: x."


def test_top_rows_put_whole_tables_and_missing_indexes_first():
    comparison = example_comparison()
    from indexdrift.report.matrix import build_matrix

    rows = top_rows(build_matrix(comparison, Catalog("en")).rows, 4)
    assert {code for row in rows for code in row.actions.values()} <= {"REVIEW", "ADD"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_mistyped_scheme_lists_the_valid_ones(monkeypatch, capsys, lang):
    code, _, err = run_main(monkeypatch, capsys, "compare", "prd=mysq://u:secret@h/db",
                            FILES[1], "--lang", lang)
    assert code == 2 and "secret" not in err
    schemes = "mariadb://, mysql://, mysql+pymysql://, postgres://, postgresql://, sqlite://"
    assert err == {"en": f"error: env prd: unknown scheme mysq://; use one of {schemes}, or "
                         "give a file\n",
                   "ko": f"오류: 환경 prd: 알 수 없는 스킴 mysq://. {schemes} 중 하나를 쓰거나 "
                         "파일을 주세요\n"}[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_env_name_lists_the_configured_envs(monkeypatch, capsys, tmp_path, lang):
    (tmp_path / "indexdrift.toml").write_text(
        f'baseline = "prd"\n[envs.prd]\nsource = "{FILES[0]}"\n'
        f'[envs.stg]\nsource = "{FILES[1]}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(monkeypatch, capsys, "compare", "stgg", "--lang", lang)
    assert code == 2
    assert err == {"en": "error: stgg: no such file, and not an env of indexdrift.toml (its "
                         "envs: prd, stg)\n",
                   "ko": "오류: stgg: 그런 파일이 없고 indexdrift.toml의 환경도 아닙니다(있는 "
                         "환경: prd, stg)\n"}[lang]


def test_a_url_without_a_schema_is_named_by_its_host_not_a_fragment_of_it(monkeypatch,
                                                                           capsys):
    code, _, err = run_main(monkeypatch, capsys, "compare", "mysql://root@127.0.0.1:3306",
                            FILES[0])
    assert code == 2
    assert err.startswith("error: env 127.0.0.1: mysql://root@127.0.0.1:3306 names no schema")


def test_a_fleet_failure_is_not_prefixed_twice():
    exc = SourceError("edge.dead", "cannot connect to mysql://h/x: refused")
    assert cause_of(exc, "edge.dead") == "cannot connect to mysql://h/x: refused"
    assert cause_of(exc, "other") == "env edge.dead: cannot connect to mysql://h/x: refused"


def test_a_dead_fleet_target_is_reported_once_by_name(tmp_path):
    (tmp_path / "indexdrift.toml").write_text(
        f'baseline = "prd"\n[envs.prd]\nsource = "{FILES[0]}"\n'
        f'[envs.edge]\nsources = {{ ok = "{FILES[1]}", '
        'dead = "mysql://root@127.0.0.1:1/x?connect_timeout=2" }\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--config", str(tmp_path / "indexdrift.toml"),
                                      "--format", "md", "--no-usage"])
    assert result.exit_code == 2, result.output
    line = next(x for x in result.stdout.splitlines() if "edge.dead" in x)
    assert "edge.dead: cannot connect" in line and "env edge.dead" not in line


def test_timeout_flags_are_the_defaults_a_url_can_still_override():
    url = parse_url("mysql://u@h/db")
    own = parse_url("mysql://u@h/db?connect_timeout=3")
    try:
        set_timeout("connect_timeout", 1.5)
        set_timeout("read_timeout", 30)
        assert url_timeouts(url, "prd") == {"connect_timeout": 1.5, "read_timeout": 30.0}
        assert url_timeouts(own, "prd")["connect_timeout"] == 3.0
    finally:
        set_timeout("connect_timeout", None)
        set_timeout("read_timeout", None)
    assert url_timeouts(url, "prd") == {"connect_timeout": 10.0, "read_timeout": 600.0}


def test_timeout_flags_are_checked_and_do_not_outlive_the_run():
    bad = CliRunner().invoke(cli, ["compare", *FILES, "--connect-timeout", "0"])
    assert bad.exit_code == 2 and "--connect-timeout" in bad.output
    ok = CliRunner().invoke(cli, ["compare", *FILES, "--read-timeout", "5"])
    assert ok.exit_code == 1
    CliRunner().invoke(cli, ["compare", *FILES])
    assert url_timeouts(parse_url("mysql://u@h/db"), "x")["read_timeout"] == 600.0


def test_lint_format_uses_the_names_of_the_other_commands():
    table = CliRunner().invoke(cli, ["lint", FILES[2], "--format", "table"])
    old = CliRunner().invoke(cli, ["lint", FILES[2], "--format", "text"])
    default = CliRunner().invoke(cli, ["lint", FILES[2]])
    assert table.output == old.output == default.output
    assert "[table|json]" in CliRunner().invoke(cli, ["lint", "--help"]).output


@pytest.mark.parametrize("command", ["compare", "check", "migrate", "export", "snapshot",
                                     "lint", "explain", "plans", None])
def test_help_is_plain_text_with_one_example(command):
    args = [command, "--help"] if command else ["--help"]
    text = CliRunner().invoke(cli, args).output
    assert "``" not in text and ":ref:" not in text and "\b" not in text
    assert text.count("Example:") == 1
    example = text[text.index("Example:"):].splitlines()[1].strip()
    assert example.startswith("indexdrift " + (command or ""))


def test_every_report_option_is_documented():
    docs = (Path(__file__).parent.parent / "docs" / "reports.md").read_text(encoding="utf-8")
    for option in ("--summary", "--top", "--max-chars", "--connect-timeout",
                   "--read-timeout"):
        assert option in docs


# --- the terminal at 80 columns ------------------------------------------------------------

def _terminal(comparison, lang: str, width: int, layout: str = "auto") -> str:
    import io as _io

    from rich.console import Console

    from indexdrift.report.render.terminal import print_report

    buffer = _io.StringIO()
    print_report(comparison, Catalog(lang), Console(file=buffer, width=width, no_color=True),
                 layout)
    return buffer.getvalue()


def _identifiers(comparison) -> set[str]:
    names = {f.table for f in comparison.findings}
    names |= {n for f in comparison.findings for n in (f.index, f.env_index_name) if n}
    return names


@pytest.mark.parametrize("lang", LANGS)
def test_at_80_columns_the_report_is_one_block_per_row_with_identifiers_whole(lang):
    comparison = example_comparison()
    text = _terminal(comparison, lang, 80)
    assert "┃" not in text  # not the table
    assert all(len(line) <= 80 for line in text.splitlines())
    for name in _identifiers(comparison):
        assert any(name in line for line in text.splitlines()), name
    catalog = Catalog(lang)
    assert f"users.uq_users_email  {catalog.t('action.RENAME')}" in text
    block = text[text.index("users.uq_users_email"):].split("\n\n")[0].splitlines()
    # The baseline and only the envs that differ (dev), then the note.
    assert [line.split()[0] for line in block[1:3]] == ["prd", "dev"]
    assert not any(line.split()[0] == "stg" for line in block[1:])


def test_a_big_report_at_80_columns_never_splits_an_identifier():
    comparison = big_comparison(400)
    text = _terminal(comparison, "en", 80)
    lines = text.splitlines()
    for name in _identifiers(comparison):
        assert any(name in line for line in lines), name
    assert len(lines) < 6 * 400


def test_a_wide_terminal_keeps_the_table_with_identifiers_unwrapped():
    comparison = example_comparison()
    text = _terminal(comparison, "en", 200)
    assert "┃" in text
    for name in _identifiers(comparison):
        assert any(name in line for line in text.splitlines()), name


def test_format_list_on_request():
    result = CliRunner().invoke(cli, ["compare", *FILES, "--format", "list"])
    assert result.exit_code == 1, result.output
    assert "┃" not in result.stdout
    assert "orders.idx_orders_user_created  REBUILD" in result.stdout
    assert all(line == line.rstrip() for line in result.stdout.splitlines())


# --- every new message, in both languages ---------------------------------------------------

MESSAGES = {
    ("output.binary_stdout", (("fmt", "xlsx"),)): (
        "--format xlsx is binary: write it with -o FILE or redirect standard output to a file",
        "--format xlsx: 바이너리 형식입니다. -o FILE로 쓰거나 표준 출력을 파일로 돌리세요"),
    ("md.cut.advisories", ()): ("the advisories", "권고"),
    ("md.cut.statements", ()): ("the migration statements", "마이그레이션 문장"),
    ("md.cut.hard", (("limit", 2000),)): (
        "(cut at 2000 characters: the rest did not fit)",
        "(2000자에서 잘림: 나머지는 들어가지 않았습니다)"),
    ("md.full.hint", (("examples", "A"), ("unlimited", "B"))): (
        "The full report: write it to a file (A), or pass B for all of the Markdown.",
        "전체 보고서는 파일로 쓰세요(A). Markdown을 자르지 않으려면: B."),
    ("md.full.hint_summary", (("examples", "A"), ("option", "B"))): (
        "The full report: write it to a file (A), or leave out B.",
        "전체 보고서는 파일로 쓰세요(A). 전부 보려면 B 없이 실행하세요."),
    ("md.full.files", (("files", "drift.html"),)): (
        "The full report: drift.html.", "전체 보고서: drift.html."),
    ("md.top.more", (("count", 1),)): (
        "1 more drift row is in the full report.", "나머지 1행은 전체 보고서에 있습니다."),
    ("md.top.advisories", (("count", 3),)): (
        "3 advisories (duplicate and redundant indexes, foreign keys without an index) are in "
        "the full report.",
        "권고 3건(중복·불필요 인덱스, 인덱스 없는 외래 키)은 전체 보고서에 있습니다."),
    ("md.top.advisories", (("count", 1),)): (
        "1 advisory (a duplicate or redundant index, or a foreign key without an index) is in "
        "the full report.",
        "권고 1건(중복·불필요 인덱스, 인덱스 없는 외래 키)은 전체 보고서에 있습니다."),
    ("col.baseline_definition", ()): ("baseline definition", "기준 정의"),
    ("col.env_definition", ()): ("env definition", "환경 정의"),
    ("col.rollback", ()): ("rollback", "롤백"),
    ("xlsx.sheet.findings", ()): ("Findings", "발견 항목"),
}


@pytest.mark.parametrize("key,values", list(MESSAGES), ids=[k for k, _ in MESSAGES])
def test_new_messages_in_english_and_korean(key, values):
    for lang, expected in zip(LANGS, MESSAGES[(key, values)], strict=True):
        assert Catalog(lang).t(key, **dict(values)) == expected


def test_a_binary_format_is_refused_on_a_terminal_in_the_run_language(monkeypatch):
    from indexdrift.cli.outputs import refuse_binary_stdout
    from indexdrift.core.errors import TextError

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(TextError) as caught:
        refuse_binary_stdout("xlsx")
    assert caught.value.text(Catalog("ko")) == MESSAGES[("output.binary_stdout",
                                                         (("fmt", "xlsx"),))][1]
    assert str(caught.value) == MESSAGES[("output.binary_stdout", (("fmt", "xlsx"),))][0]


def test_a_failed_write_names_the_file_asked_for(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "drift.md"
    result = CliRunner().invoke(cli, ["compare", *FILES, "-o", str(target)])
    assert result.exit_code != 0
    assert str(result.exception).startswith(f"cannot write {target}:")
    assert ".tmp" not in str(result.exception)


@pytest.mark.parametrize("lang", LANGS)
def test_top_without_summary_is_refused(monkeypatch, capsys, lang):
    code, _, err = run_main(monkeypatch, capsys, "compare", *FILES, "--lang", lang,
                            "--format", "md", "--top", "5")
    assert code == 2
    assert err == {"en": "error: --top sets how many findings --summary lists: give "
                         "--summary too\n",
                   "ko": "오류: --top은 --summary가 보여 줄 발견 항목 수입니다. --summary도 "
                         "주세요\n"}[lang]


def test_a_long_block_heading_wraps_between_names_not_inside_them():
    from indexdrift.compare.tables import compare
    from indexdrift.model.tables import Index, KeyPart, Snapshot

    base, env = Snapshot("prd.csv", "p", flavor="mysql"), Snapshot("dev.csv", "d", flavor="mysql")
    table, index = "t_" + "x" * 33, "ix_" + "y" * 40  # 76 columns, the action beyond 80
    base.table(table).add(Index(table, index, (KeyPart("a"),)))
    env.table(table)
    lines = _terminal(compare({"prd": base, "dev": env}, "prd"), "en", 80).splitlines()
    assert lines[0].rstrip() == f"{table}.{index}" and lines[1] == "ADD"
    assert all(len(line) <= 80 for line in lines)
