"""The DDL explainer: sqlglot-parsed statements described clause by clause (en/ko)."""

from __future__ import annotations

from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.core.i18n import Catalog
from indexdrift.explain import explain_statement, explain_text
from indexdrift.explain.model import COPY, DEPENDS, INPLACE, LOCKED, METADATA, REBUILD
from indexdrift.explain.render import render_report

ISSUE = ("ALTER TABLE TM_LEAVE_CRT CHANGE COLUMN IS_CLOSED IS_CLOSED BOOLEAN NULL DEFAULT 0 "
         "COMMENT '마감여부'")


def keys(item) -> list[str]:
    return [p.key for c in item.clauses for p in c.what]


def test_issue_statement_in_english_names_every_attribute():
    text = render_report(explain_text(ISSUE), Catalog("en"))
    assert "keeps the column name IS_CLOSED" in text
    assert "redefines it as BOOLEAN (TINYINT(1))" in text
    assert "allows NULL" in text
    assert "default 0" in text
    assert "sets the comment '마감여부'" in text
    assert "a change of name, default or comment alone is metadata-only" in text
    assert "rewrites the table (ALGORITHM=COPY)" in text


def test_issue_statement_in_korean():
    text = render_report(explain_text(ISSUE), Catalog("ko"))
    assert "컬럼 이름 IS_CLOSED 유지" in text
    assert "BOOLEAN (TINYINT(1))로 재정의" in text
    assert "NULL 허용" in text and "기본값 0" in text and "코멘트 '마감여부' 설정" in text
    assert "메타데이터만 변경" in text


def test_change_column_depends_on_current_definition():
    item = explain_statement(ISSUE)
    assert item.parsed and item.table == "TM_LEAVE_CRT"
    assert item.level == DEPENDS
    assert keys(item)[:2] == ["explain.change_keep", "explain.redefine_as"]


def test_change_column_with_new_name_is_a_rename():
    item = explain_statement("ALTER TABLE t CHANGE a b INT NOT NULL")
    assert keys(item)[0] == "explain.change_rename"
    assert item.clauses[0].what[0].values == {"old": "a", "column": "b"}


def test_index_clauses_each_get_their_own_explanation():
    item = explain_statement("ALTER TABLE t ADD INDEX ix (a, b(10) DESC), DROP INDEX old, "
                             "RENAME INDEX x TO y, ALTER INDEX z INVISIBLE, "
                             "ALGORITHM=INPLACE, LOCK=NONE")
    assert keys(item) == ["explain.add_index", "explain.drop_index", "explain.rename_index",
                          "explain.invisible"]
    assert [c.level for c in item.clauses] == [INPLACE, METADATA, METADATA, METADATA]
    assert item.level == INPLACE
    assert [n.key for n in item.notes] == ["explain.option.algorithm", "explain.option.lock"]


def test_mariadb_ignored_syntax_is_parsed():
    item = explain_statement("ALTER TABLE t ALTER INDEX a NOT IGNORED, ALTER INDEX b IGNORED")
    assert item.parsed
    assert keys(item) == ["explain.not_ignored", "explain.ignored"]


def test_lone_primary_key_drop_copies_but_a_replacement_rebuilds_in_place():
    assert explain_statement("ALTER TABLE t DROP PRIMARY KEY").level == COPY
    both = explain_statement("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, x)")
    assert keys(both) == ["explain.drop_pk", "explain.add_pk"]
    assert both.level == REBUILD


def test_fulltext_blocks_writes():
    item = explain_statement("ALTER TABLE t ADD FULLTEXT INDEX ft (body)")
    assert keys(item) == ["explain.add_fulltext"] and item.level == LOCKED


def test_postgres_concurrently_statements():
    create = explain_statement("CREATE INDEX CONCURRENTLY ix ON s.t USING btree (a DESC) "
                               "INCLUDE (b) WHERE a > 0")
    assert create.dialect == "postgres" and create.level == INPLACE
    assert create.table == "s.t"
    notes = [n.key for c in create.clauses for n in c.notes]
    assert "explain.note.pg_concurrently_no_tx" in notes
    drop = explain_statement("DROP INDEX CONCURRENTLY IF EXISTS s.ix")
    assert drop.parsed and drop.clauses[0].what[0].values == {"name": "s.ix"}
    plain = explain_text("CREATE INDEX ix ON t (a)", "postgres")[0]
    assert plain.level == LOCKED


def test_postgres_alter_column_clauses():
    item = explain_text("ALTER TABLE t ALTER COLUMN a TYPE bigint, ALTER COLUMN a SET DEFAULT 0,"
                        " ALTER COLUMN a SET NOT NULL, ALTER COLUMN b DROP NOT NULL", "postgres")[0]
    assert keys(item) == ["explain.alter_type", "explain.set_default", "explain.set_not_null",
                          "explain.drop_not_null"]
    assert item.level == COPY


def test_unparseable_statement_is_reported_not_guessed():
    item = explain_statement("ALTER TABLE t FROBNICATE everything")
    assert not item.parsed and item.clauses == []
    text = render_report([item], Catalog("en"))
    assert "NOT PARSED" in text


def test_parser_fallback_to_opaque_command_counts_as_not_parsed():
    item = explain_statement("CREATE UNIQUE INDEX ix ON t (a(10)) USING BTREE ALGORITHM=INPLACE")
    assert not item.parsed


def test_unknown_table_option_leaves_the_cost_unassessed():
    item = explain_statement("ALTER TABLE t ADD COLUMN c INT, ENGINE=InnoDB")
    assert item.parsed and item.level == "unknown"


def test_script_split_respects_quotes_and_comments():
    items = explain_text("-- header; not a statement\nALTER TABLE t ADD COLUMN c INT "
                         "COMMENT 'a;b';\n/* x; */ DROP INDEX ix ON t;")
    assert [i.line for i in items] == [2, 3]
    assert items[0].clauses[0].what[-2].values == {"comment": "'a;b'"}


def test_generated_migration_file(tmp_path):
    from pathlib import Path
    golden = Path(__file__).parent / "golden" / "mysql8_dev.up.sql"
    result = CliRunner().invoke(cli, ["explain", "-f", str(golden), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "renames index email_unique to uq_users_email" in result.output
    assert "makes index idx_orders_status visible to the optimizer" in result.output
    assert "NOT PARSED" not in result.output


def test_cli_exit_code_is_one_when_a_statement_is_not_parsed():
    result = CliRunner().invoke(cli, ["explain", "ALTER TABLE t ADD INDEX ix (a)",
                                      "ALTER TABLE x YIKES"])
    assert result.exit_code == 1
    assert "1 of 2 statement(s) could not be parsed" in result.output


def test_every_explain_key_exists_in_both_catalogs():
    import json
    from importlib import resources
    en = json.loads(resources.files("indexdrift.core.i18n").joinpath("en.json").read_text("utf-8"))
    ko = json.loads(resources.files("indexdrift.core.i18n").joinpath("ko.json").read_text("utf-8"))
    assert {k for k in en if k.startswith("explain.")} == {k for k in ko
                                                           if k.startswith("explain.")}
