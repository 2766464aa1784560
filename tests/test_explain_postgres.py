"""The explainer reads the PostgreSQL statements indexdrift's own migrations contain (en/ko),
and every statement of a real generated PostgreSQL migration is parsed in every layout."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from postgres_apply import pg_pair
from test_columns_postgres import DEV as COL_DEV
from test_columns_postgres import PRD as COL_PRD
from test_columns_postgres import STG as COL_STG
from test_postgres_constraints import EX_DEV, EX_PRD
from test_postgres_migrate import DEV as PG_DEV
from test_postgres_migrate import PRD as PG_PRD
from test_postgres_unique_swap import DEV as US_DEV
from test_postgres_unique_swap import PRD as US_PRD

from indexdrift.cli.main import cli
from indexdrift.core.i18n import Catalog
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.explain import explain_text
from indexdrift.explain.describe import dialect_of_script
from indexdrift.explain.model import INPLACE, LOCKED, METADATA
from indexdrift.explain.render import render_report


def one(sql: str):
    """The explanation of one PostgreSQL statement; it must have been parsed."""
    [item] = explain_text(sql, "postgres")
    assert item.parsed, item.error
    assert item.unsupported is None
    return item


def keys(item) -> list[str]:
    return [p.key for c in item.clauses for p in c.what]


def notes(item) -> list[str]:
    return [n.key for c in item.clauses for n in c.notes]


def both(item) -> tuple[str, str]:
    return render_report([item], Catalog("en")), render_report([item], Catalog("ko"))


def test_create_unique_index_nulls_not_distinct():
    item = one('CREATE UNIQUE INDEX CONCURRENTLY "ux_indexdrift_new" ON "public"."t" '
               '("c", "a") INCLUDE ("b") NULLS NOT DISTINCT WHERE c > 0')
    assert keys(item) == ["explain.create_unique_index", "explain.index.include",
                          "explain.index.nulls_not_distinct", "explain.index.where"]
    assert item.level == INPLACE and item.table == "public.t"
    en, ko = both(item)
    assert "NULLS NOT DISTINCT: NULLs count as equal" in en
    assert "NULL끼리도 같은 값으로 보므로" in ko
    assert one("CREATE UNIQUE INDEX u ON t (a) NULLS DISTINCT").clauses[0].what[-1].key == \
        "explain.index.nulls_distinct"
    assert one("ALTER TABLE t ADD CONSTRAINT u UNIQUE NULLS NOT DISTINCT (a)").clauses[0] \
        .what[1].key == "explain.index.nulls_not_distinct"


@pytest.mark.parametrize(("kind", "key"), [("UNIQUE", "explain.add_unique_using_index"),
                                           ("PRIMARY KEY", "explain.add_pk_using_index")])
def test_add_constraint_using_index_is_a_brief_lock_without_a_scan(kind, key):
    item = one(f'ALTER TABLE "public"."t" ADD CONSTRAINT "n" {kind} USING INDEX '
               f'"n_indexdrift_new"')
    assert keys(item) == [key]
    assert item.clauses[0].what[0].values == {"name": "n", "index": "n_indexdrift_new"}
    assert item.level == METADATA
    assert notes(item)[0] == "explain.note.pg_using_index"
    assert ("explain.note.pg_using_index_pk" in notes(item)) == (kind == "PRIMARY KEY")
    en, ko = both(item)
    assert "no index build and no table scan; takes an ACCESS EXCLUSIVE lock briefly" in en
    assert "n_indexdrift_new" in ko and "인덱스를 빌드하지도 테이블을 읽지도 않습니다" in ko


def test_constraint_swap_in_one_statement():
    item = one('ALTER TABLE "public"."t" DROP CONSTRAINT "ck", ADD CONSTRAINT "ck" UNIQUE '
               'USING INDEX "ck_indexdrift_new"')
    assert keys(item) == ["explain.drop_constraint", "explain.add_unique_using_index"]
    assert item.level == METADATA


def test_exclude_constraint_blocks_while_it_builds():
    item = one('ALTER TABLE "public"."booking" DROP CONSTRAINT "ex", ADD CONSTRAINT "ex" '
               'EXCLUDE USING gist ("r" WITH &&, "b" WITH ~=) WHERE (id > 0)')
    assert keys(item) == ["explain.drop_constraint", "explain.add_exclude",
                          "explain.index.using", "explain.index.where"]
    assert item.clauses[1].what[0].values == {"name": "ex",
                                              "elements": '("r" WITH &&, "b" WITH ~=)'}
    assert item.clauses[1].level == LOCKED and item.level == LOCKED
    assert "explain.note.pg_exclude" in notes(item)
    en, ko = both(item)
    assert "adds exclusion constraint ex: no two rows may match on all of" in en
    assert "there is no CONCURRENTLY form" in en
    assert "배제 제약 조건 ex 추가" in ko


def test_comment_is_null_removes_the_comment():
    index = one('COMMENT ON INDEX "public"."idx_회원명" IS NULL')
    column = one('COMMENT ON COLUMN "public"."t"."IsClosed" IS NULL')
    assert keys(index) == ["explain.comment_on_index_remove"]
    assert keys(column) == ["explain.comment_on_column_remove"]
    en, ko = both(index)
    assert "removes the comment of index public.idx_회원명" in en
    assert "인덱스 public.idx_회원명의 코멘트 삭제" in ko


def test_build_then_swap_of_a_plain_index():
    items = explain_text('CREATE INDEX CONCURRENTLY "ix_indexdrift_new" ON "public"."t" ("a");\n'
                         'BEGIN;\nDROP INDEX "public"."ix";\n'
                         'ALTER INDEX "public"."ix_indexdrift_new" RENAME TO "ix";\nCOMMIT;',
                         "postgres")
    assert all(i.parsed and i.unsupported is None for i in items)
    assert [keys(i) for i in items] == [["explain.create_index"], ["explain.begin"],
                                        ["explain.drop_index"], ["explain.rename_index"],
                                        ["explain.commit"]]
    en = render_report(items, Catalog("en"))
    ko = render_report(items, Catalog("ko"))
    assert "starts a transaction: the statements up to COMMIT take effect together" in en
    assert "commits the transaction" in en
    assert "트랜잭션 시작" in ko and "트랜잭션 커밋" in ko


@pytest.mark.parametrize(("sql", "expected"), [
    ("ALTER COLUMN id SET GENERATED ALWAYS", ["explain.identity_set", "explain.identity.always"]),
    ("ALTER COLUMN id SET GENERATED BY DEFAULT",
     ["explain.identity_set", "explain.identity.by_default"]),
    ("ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY", ["explain.identity_add"]),
    ("ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH 10 INCREMENT BY 2)",
     ["explain.identity_add", "explain.identity.start", "explain.identity.increment"]),
    ("ALTER COLUMN id DROP IDENTITY IF EXISTS", ["explain.identity_drop", "explain.if_exists"]),
    ("ALTER COLUMN id SET INCREMENT BY 5", ["explain.identity_set",
                                            "explain.identity.increment"]),
    ("ALTER COLUMN id SET INCREMENT BY -1 SET START WITH 3 SET MAXVALUE 9 SET NO MINVALUE "
     "SET CACHE 20 SET NO CYCLE RESTART",
     ["explain.identity_set", "explain.identity.increment", "explain.identity.start",
      "explain.identity.maxvalue", "explain.identity.no_minvalue", "explain.identity.cache",
      "explain.identity.no_cycle", "explain.identity.restart_start"]),
    ("ALTER COLUMN id RESTART WITH 7", ["explain.identity_set", "explain.identity.restart"]),
])
def test_identity_column_changes(sql, expected):
    item = one(f'ALTER TABLE "public"."t" {sql}')
    assert keys(item) == expected
    assert item.level == METADATA
    en, ko = both(item)
    assert "NOT PARSED" not in en and "파싱하지 못함" not in ko
    assert "{" not in en and "{" not in ko


def test_identity_option_values_in_both_languages():
    item = one("ALTER TABLE t ALTER COLUMN id SET INCREMENT BY 5")
    en, ko = both(item)
    assert "changes the identity of column id; increments by 5" in en
    assert "컬럼 id의 식별(identity) 설정 변경; 증가값 5" in ko


def test_setval_and_search_path():
    setval = one("SELECT setval(pg_get_serial_sequence('\"public\".\"t\"', 'id'), "
                 "COALESCE(max(\"id\"), 0) + 1, false) FROM \"public\".\"t\"")
    assert keys(setval) == ["explain.setval_next"]
    assert setval.clauses[0].what[0].values["column"] == "id"
    assert notes(setval) == ["explain.note.pg_setval"]
    en, ko = both(setval)
    assert "so that the next generated value is COALESCE(MAX(\"id\"), 0) + 1" in en
    assert "ROLLBACK으로 되돌려지지 않습니다" in ko
    path = one('SET search_path TO "app", public')
    assert path.clauses[0].what[0].values == {"name": "search_path", "value": "app, public"}
    en, ko = both(path)
    assert "sets the schema search path to app, public" in en
    assert "스키마 검색 경로를 app, public으로 설정" in ko
    [other] = explain_text("SELECT 1", "postgres")  # parsed, not explained: said so
    assert other.parsed and other.unsupported == "SELECT"


@pytest.mark.parametrize("sql", [
    "ALTER TABLE t ALTER COLUMN id SET SEQUENCE NAME foo",
    "ALTER TABLE t ADD CONSTRAINT x EXCLUDE USING gist (r WITH - |-)",
    "ALTER TABLE t ADD CONSTRAINT x UNIQUE USING INDEX",
])
def test_what_stays_unreadable_still_says_not_parsed(sql):
    [item] = explain_text(sql, "postgres")
    assert not item.parsed
    assert "NOT PARSED" in render_report([item], Catalog("en"))


def _all_kinds(postgres) -> list[tuple[str, str, str]]:
    """Database pairs covering every kind of generated PostgreSQL statement: index changes,
    EXCLUDE, constraint and unique swaps, column changes (identity, comments, types)."""
    pairs = [(PG_PRD, PG_DEV, "indexes"), (EX_PRD, EX_DEV, "indexes"),
             (US_PRD, US_DEV, "indexes"), (COL_PRD, COL_DEV, "indexes,columns"),
             (COL_PRD, COL_STG, "indexes,columns")]
    return [(*pg_pair(postgres, p, d), objects) for p, d, objects in pairs]


@pytest.mark.postgres
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_statement_of_a_generated_migration_is_parsed(postgres, tmp_path, layout):
    texts = []
    for n, (prd, dev, objects) in enumerate(_all_kinds(postgres)):
        out = tmp_path / str(n)
        result = CliRunner().invoke(cli, [
            "migrate", f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--objects",
            objects, "--out", str(out), "--layout", layout, "--drop-extra", "--version", "7",
            "--explain", "--lang", "en"])
        assert result.exit_code == 0, result.output
        texts.extend(p.read_text() for p in sorted(out.rglob("*.sql")))
    joined = "\n".join(texts)
    assert "NOT PARSED" not in joined
    for marker in ("USING INDEX", "EXCLUDE USING", "NULLS NOT DISTINCT", "IS NULL",
                   "RENAME TO", "GENERATED"):
        assert marker in joined, marker
    statements = [item for text in texts for item in explain_text(text, "postgres")]
    assert len(statements) > 40
    for item in statements:
        assert item.parsed, (item.sql, item.error)
        assert item.unsupported is None, item.sql
        assert item.level != "unknown", item.sql
    # the explain command reads the files too (exit 0: nothing unparsed), telling the
    # dialect from each file's target line (golang-migrate's later files carry it too)
    for path in sorted(tmp_path.rglob("*.sql")):
        assert dialect_of_script(path.read_text()) == "postgres", path.name
        result = CliRunner().invoke(cli, ["explain", "-f", str(path), "--lang", "ko"])
        assert result.exit_code == 0, result.output


def test_korean_migration_header_names_the_dialect_too():
    assert dialect_of_script("-- indexdrift 마이그레이션 (환경 dev)\n"
                             "-- 대상 서버: postgresql 15.20, 스키마 public\n") == "postgres"
    assert dialect_of_script("-- target: mariadb 10.11.19\nSELECT 1;\n") == "mysql"
    assert dialect_of_script("ALTER TABLE t ADD INDEX ix (a);\n") is None


@pytest.mark.parametrize("tail, key", [("DEFERRABLE INITIALLY DEFERRED", "explain.index.deferred"),
                                       ("DEFERRABLE", "explain.index.deferrable"),
                                       ("DEFERRABLE INITIALLY IMMEDIATE",
                                        "explain.index.deferrable")])
def test_deferrable_unique_constraint_is_explained(tail, key):
    # indexdrift writes this offline (--online off) for a deferrable constraint; the
    # explainer crashed on sqlglot's text options.
    item = one(f'ALTER TABLE "s"."t1" ADD CONSTRAINT "ix3" UNIQUE ("c") {tail}')
    assert key in keys(item)
