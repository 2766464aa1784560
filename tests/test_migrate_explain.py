"""``migrate --explain``: the plain-language explanation as comments above every statement,
in every layout and in both directions, and the scripts still apply on the real servers."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from liquibase_sql import liquibase_parts
from postgres_apply import assert_round_trip, finding_set, index_state, migrate_files, pg_pair
from test_columns_mariadb import DEV as COLUMNS_DEV
from test_columns_mariadb import PRD as COLUMNS_PRD
from test_columns_mariadb import _compare as compare_json
from test_migrate_mariadb import DEV, PRD, apply_sql, layout_scripts
from test_postgres_migrate import DEV as PG_DEV
from test_postgres_migrate import PRD as PG_PRD

from indexdrift.cli.main import cli
from indexdrift.core.i18n import Catalog
from indexdrift.ddl.explain_comments import MARK, comment_lines, say_how_no_tx
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.explain.describe import explain_statement
from indexdrift.explain.parser import MYSQL, POSTGRES, split_statements
from indexdrift.explain.render import explanation_lines

HEADINGS = {"en": "-- what this statement does (indexdrift explain):",
            "ko": "-- 이 문장이 하는 일 (indexdrift explain):"}

# Liquibase formatted-SQL directive lines (AbstractFormattedChangeLogParser, case-insensitive,
# whole-line matches): a comment of ours must never look like one of these.
LIQUIBASE_DIRECTIVES = [re.compile(p, re.IGNORECASE) for p in (
    r"\s*--[\s]*changeset.*", r"\s*--[\s]*rollback (.*)", r"\s*--[\s]*rollback\s.*",
    r"--[\s]*comments?:? (.*)", r"\s*--[\s]*preconditions?(.*)", r"\s*--[\s]*property\s.*",
    r"--[\s]*validCheckSum:? (.*)", r"--[\s]*ignoreLines:(\w+)", r"--[\s]*ignore:(\w+)",
    r"\s*--\s*liquibase\s*formatted.*", r"\s*--[\s]*include.*")]


def assert_explained(script: str, dialect: str, lang: str, outside_tx: str | None = None
                     ) -> int:
    """Every statement of ``script`` has its explanation right above it (after its own
    notes); returns how many statements there were. ``outside_tx``: the layout that runs
    CONCURRENTLY outside a transaction itself (its note says how)."""
    catalog = Catalog(lang)
    # Liquibase consumes its --comment: line itself; it is not SQL.
    lines = [line for line in script.splitlines() if not line.startswith("--comment:")]
    script = "\n".join(lines)
    raws = split_statements(script, dialect)
    # BEGIN / COMMIT around statements that replace each other are the script's own
    # transaction control (plain layout), not migration statements with notes.
    raws = [raw for raw in raws if raw.sql.strip().rstrip(";").upper() not in ("BEGIN", "COMMIT")]
    # Liquibase preconditions (liquibase_parts runs them first) are directives, not SQL
    # of the changeset: no comment goes above them.
    raws = [raw for raw in raws if "AS indexdrift_duplicates" not in raw.sql]
    for raw in raws:
        above = []
        for line in reversed(lines[:raw.line - 1]):
            if not line.startswith("--"):
                break
            above.insert(0, line)
        assert HEADINGS[lang] in above, f"no explanation above line {raw.line}:\n{script}"
        block = above[above.index(HEADINGS[lang]) + 1:]
        item = explain_statement(raw.sql, dialect)
        if outside_tx:
            say_how_no_tx([item], outside_tx)
        expected = [(f"-- {MARK}{text}").rstrip()
                    for text in explanation_lines(item, catalog)]
        assert block == expected, raw.sql
    return len(raws)


def column_findings(mariadb, prd: str, dev: str) -> set[tuple]:
    """Index and column findings as the CLI reports them (JSON)."""
    return {(f["kind"], f["table"], f.get("index") or f.get("column"), tuple(f["changes"]))
            for f in compare_json(mariadb, prd, dev)}


@pytest.mark.mariadb
@pytest.mark.parametrize("layout", LAYOUTS)
def test_explained_migration_applies_and_converges(mariadb, tmp_path, layout):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD + COLUMNS_PRD)
    mariadb.run(dev, DEV + COLUMNS_DEV)
    original = column_findings(mariadb, prd, dev)
    lang = "ko" if layout == "liquibase" else "en"
    result = CliRunner().invoke(cli, [
        "migrate", f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--objects",
        "indexes,columns", "--out", str(tmp_path), "--layout", layout, "--drop-extra",
        "--version", "7", "--explain", "--lang", lang])
    assert result.exit_code == 0, result.output
    up, down = layout_scripts(tmp_path, layout, "dev")
    assert assert_explained(up, MYSQL, lang) >= 5
    assert assert_explained(down, MYSQL, lang) >= 5
    apply_sql(dev, up)
    assert column_findings(mariadb, prd, dev) == set()
    apply_sql(dev, down)
    assert column_findings(mariadb, prd, dev) == original


@pytest.mark.mariadb
def test_explanations_say_what_the_statements_do_in_english_and_korean(mariadb):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, COLUMNS_PRD)
    mariadb.run(dev, COLUMNS_DEV)
    args = ["migrate", f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--objects",
            "columns", "--stdout", "--explain"]
    en = CliRunner().invoke(cli, [*args, "--lang", "en"])
    ko = CliRunner().invoke(cli, [*args, "--lang", "ko"])
    assert en.exit_code == 0 and ko.exit_code == 0, en.output + ko.output
    assert ("-- |   changes column IS_CLOSED (keeps its name); redefines it as TINYINT(1); "
            "allows NULL; default 0; sets the comment '마감여부'; placed after column code"
            in en.stdout)
    assert "-- |   adds column note; type VARCHAR(50)" in en.stdout
    assert "-- |   컬럼 IS_CLOSED 변경 (이름 유지)" in ko.stdout
    assert "-- |   컬럼 note 추가" in ko.stdout
    # the held (commented-out) drop is not explained: it does not run
    held = en.stdout.split("-- ALTER TABLE `TM_LEAVE_CRT` DROP COLUMN `legacy`;")[0]
    assert held.rstrip().splitlines()[-1].startswith("-- column legacy only in this env")
    plain = CliRunner().invoke(cli, args[:-1])
    assert "indexdrift explain" not in plain.stdout
    rollback = CliRunner().invoke(cli, [*args, "--rollback", "--lang", "en"])
    assert "-- |   drops column note and its data" in rollback.stdout


@pytest.mark.mariadb
def test_liquibase_explanations_are_never_directives(mariadb, tmp_path):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD + COLUMNS_PRD)
    mariadb.run(dev, DEV + COLUMNS_DEV)
    for lang in ("en", "ko"):
        out = tmp_path / lang
        result = CliRunner().invoke(cli, [
            "migrate", f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--objects",
            "indexes,columns", "--out", str(out), "--layout", "liquibase", "--version", "7",
            "--explain", "--lang", lang])
        assert result.exit_code == 0, result.output
        text = next((out / "dev").iterdir()).read_text()
        ours = [line for line in text.splitlines()
                if line.startswith(("-- |", HEADINGS[lang], "--rollback -- "))]
        assert len(ours) > 20
        for line in ours:
            comment = line[len("--rollback "):] if line.startswith("--rollback ") else line
            assert not any(p.fullmatch(comment) for p in LIQUIBASE_DIRECTIVES), line
        # the rollback's explanations travel inside the rollback SQL, right above it
        _, down = liquibase_parts(text)
        assert_explained(down, MYSQL, lang)


@pytest.mark.postgres
@pytest.mark.parametrize("layout", LAYOUTS)
def test_postgres_explained_migration_applies_and_converges(postgres, tmp_path, layout):
    prd, dev = pg_pair(postgres, PG_PRD, PG_DEV)
    original = finding_set(postgres, prd, dev)
    before = index_state(postgres, dev)
    files = migrate_files(postgres, prd, dev, tmp_path, layout, explain=Catalog("en"))
    texts = {p.name: p.read_text() for p in files if p.suffix == ".sql"}
    if layout == "liquibase":
        up, down = liquibase_parts(next(iter(texts.values())))
        texts = {"up": up, "down": down}
    handled = None if layout == "plain" else layout
    assert sum(assert_explained(t, POSTGRES, "en", handled) for t in texts.values()) >= 20
    joined = "\n".join(texts.values())
    assert ("-- | note: builds without blocking writes, in two table scans; if it fails it "
            "leaves an INVALID index that must be dropped") in joined
    assert ("-- | sets the comment of index public.idx_회원명 to 'it''s a \"comment\"'\n"
            "-- | online DDL: metadata-only") in joined
    # NULLS NOT DISTINCT, ADD CONSTRAINT ... USING INDEX, COMMENT ... IS NULL: all read
    assert "NOT PARSED" not in joined
    assert "-- | makes the existing unique index uq_ab_indexdrift_new the UNIQUE constraint " \
        "uq_ab (the index takes the name uq_ab)" in joined
    assert "-- | removes the comment of index public.idx_회원명" in joined
    assert_round_trip(postgres, prd, dev, tmp_path, layout, original, before,
                      tables_stay=True)


def test_statements_the_parser_cannot_read_are_said_so():
    catalog = Catalog("en")
    lines = comment_lines("ALTER TABLE t FROBNICATE x;", "mariadb", catalog)
    assert lines[0] == "what this statement does (indexdrift explain):"
    assert lines[1].startswith("| NOT PARSED:") and lines[1].endswith("read it yourself.")
    assert len(lines) == 2
    ko = comment_lines("ALTER TABLE t FROBNICATE x;", "mysql", Catalog("ko"))
    assert ko[1].startswith("| 파싱하지 못함:")


def test_flavors_the_explainer_does_not_know_are_said_so():
    lines = comment_lines('CREATE INDEX "i" ON "t" ("a");', "sqlite", Catalog("en"))
    assert lines == ["what this statement does (indexdrift explain):",
                     "| not explained: sqlite statements are not explained "
                     "(MySQL/MariaDB and PostgreSQL only)"]
