"""``migrate --lang ko`` for PostgreSQL (the real server) and SQLite: every comment line a
person reads is Korean (pre-checks, partitioned-table and EXCLUDE notes, constraint swaps,
column notes, held-back and refused steps with their foreign keys, the INVALID index the
rollback does not re-create); SQL, directives and tool commands stay as they are, and the
Korean scripts apply and converge in every layout."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from postgres_apply import apply_layout, index_state
from test_columns_postgres import DEV as COLUMNS_DEV
from test_columns_postgres import PRD as COLUMNS_PRD
from test_migrate_korean import english_only
from test_postgres_migrate import DEV as INDEXES_DEV
from test_postgres_migrate import PRD as INDEXES_PRD
from test_postgres_reader import make_invalid_index
from test_sqlite_drift import DEV as SQLITE_DEV
from test_sqlite_drift import PRD as SQLITE_PRD
from test_sqlite_drift import apply_layout as sqlite_apply_layout
from test_sqlite_drift import finding_set as sqlite_findings
from test_sqlite_drift import index_state as sqlite_index_state
from test_sqlite_drift import make
from test_sqlite_foreign_keys import DEV as FK_DEV
from test_sqlite_foreign_keys import PRD as FK_PRD

from indexdrift.cli.main import cli
from indexdrift.ddl.layouts import LAYOUTS

# A changed PRIMARY KEY (swapped USING INDEX: it sets NOT NULL) and a missing EXCLUDE
# constraint (no concurrent form) next to the index and column drift of the other tests.
PG_PRD = INDEXES_PRD + COLUMNS_PRD + """
CREATE TABLE ev (id int NOT NULL, r int4range NOT NULL, during tsrange,
                 CONSTRAINT ev_pkey PRIMARY KEY (id));
ALTER TABLE ev ADD CONSTRAINT ex_during EXCLUDE USING gist (during WITH &&);
"""
PG_DEV = INDEXES_DEV + COLUMNS_DEV + """
CREATE TABLE ev (id int NOT NULL, r int4range NOT NULL, during tsrange,
                 CONSTRAINT ev_pkey PRIMARY KEY (id, r));
"""


def _migrate(*args: str) -> str:
    result = CliRunner().invoke(cli, ["migrate", *args, "--version", "7", "--no-usage",
                                      "--lang", "ko"])
    assert result.exit_code == 0, result.output
    return result.stdout


def _pg_findings(postgres, prd: str, dev: str) -> set[tuple]:
    result = CliRunner().invoke(cli, ["compare", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--objects",
                                      "indexes,columns", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return {(f["kind"], f["table"], f.get("column") or f["index"], tuple(f["changes"]))
            for f in json.loads(result.stdout)["findings"]}


@pytest.mark.postgres
@pytest.mark.parametrize("layout", LAYOUTS)
def test_postgres_korean_migration_reads_korean_and_converges(postgres, tmp_path, layout):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, PG_PRD)
    postgres.run(dev, PG_DEV)
    original = _pg_findings(postgres, prd, dev)
    before = index_state(postgres, dev)
    _migrate(f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--objects",
             "indexes,columns", "--drop-extra", "--out", str(tmp_path), "--layout", layout)
    files = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.sql")}
    joined = "\n".join(files.values())
    for name, text in files.items():
        assert english_only(text) == [], name
    assert "-- 사전 확인 ux_nnd (결과가 없어야 합니다" in joined
    assert "-- EXCLUDE 제약은 CONCURRENTLY로 만들 수 없습니다" in joined
    assert "-- ADD PRIMARY KEY USING INDEX는 키 컬럼에 NOT NULL도 설정합니다" in joined
    assert re.search(r"-- 경고: 컬럼 \S+(과|와) 그 모든 데이터를 삭제합니다", joined)
    assert "-- 컬럼 created_at은 지금 위치에 그대로 둡니다(기준 환경: total 다음)" in joined
    assert 'CREATE UNIQUE INDEX CONCURRENTLY "ev_pkey_indexdrift_new"' in joined
    apply_layout(tmp_path, layout, dev, "up")
    # Left: the tables migrations never create or drop, the column PostgreSQL cannot move.
    assert {f for f in _pg_findings(postgres, prd, dev) if not f[0].startswith("table")} == {
        ("column_moved", "tm_leave_crt", "created_at", ("position",))}
    apply_layout(tmp_path, layout, dev, "down")
    assert _pg_findings(postgres, prd, dev) == original
    assert index_state(postgres, dev) == before


@pytest.mark.postgres
def test_postgres_held_refused_partitioned_and_invalid_in_korean(postgres):
    fk = """
    CREATE TABLE parent (id int PRIMARY KEY, code int, tag int);
    CREATE TABLE child (id int, code int, tag int);
    CREATE TABLE pt (id int, k int) PARTITION BY RANGE (id);
    """
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, INDEXES_PRD + fk + """
    CREATE UNIQUE INDEX uq_code ON parent (code, id);
    CREATE INDEX pt_k ON pt (k);
    CREATE UNIQUE INDEX ux_c ON t (c);
    """)
    postgres.run(dev, INDEXES_DEV + fk + """
    CREATE UNIQUE INDEX uq_code ON parent (code);
    CREATE UNIQUE INDEX ux_tag ON parent (tag);
    ALTER TABLE child ADD CONSTRAINT child_code_fk FOREIGN KEY (code) REFERENCES parent (code),
                      ADD CONSTRAINT child_tag_fk FOREIGN KEY (tag) REFERENCES parent (tag);
    """)
    make_invalid_index(postgres, dev)
    urls = (f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}")
    up = _migrate(*urls, "--stdout")
    # held without --drop-extra; refused because foreign keys depend on the index
    assert re.search(r"^-- 초과 extra_one: 이 환경에만 있음; 기본적으로 삭제하지 않습니다", up,
                     re.M)
    assert ("-- 변경됨 uq_code: 거부됨: 외래 키 child.child_code_fk가 이 인덱스에 의존하므로"
            in up)
    assert "-- 파티션 테이블: 여기서는 CONCURRENTLY를 쓸 수 없어" in up
    assert "-- 사전 확인 ux_c (결과가 없어야 합니다. 있으면 빌드가 실패하고" in up
    refused = _migrate(*urls, "--stdout", "--drop-extra")
    assert "-- 초과 ux_tag: 거부됨: 외래 키 child.child_tag_fk가" in refused
    rollback = _migrate(*urls, "--stdout", "--rollback")
    assert "-- 인덱스 ux_c는 다시 만들지 않습니다: 마이그레이션 전에 이미 INVALID" in rollback
    for text in (up, refused, rollback):
        assert english_only(text) == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_sqlite_korean_migration_reads_korean_and_converges(tmp_path, layout):
    prd, dev = make(tmp_path / "p.db", SQLITE_PRD), make(tmp_path / "d.db", SQLITE_DEV)
    original, before = sqlite_findings(prd, dev), sqlite_index_state(dev)
    out = tmp_path / "out"
    _migrate(f"prd={prd}", f"dev={dev}", "--drop-extra", "--out", str(out), "--layout", layout)
    files = {p.name: p.read_text(encoding="utf-8") for p in out.rglob("*.sql")}
    joined = "\n".join(files.values())
    for name, text in files.items():
        assert english_only(text) == [], name
    assert '-- 사전 확인 we"ird (결과가 없어야 합니다):' in joined
    # The constraint index changes only in a table rebuild (held: not every object read).
    assert ("-- 테이블 재구성 u: 적용 안 함: 테이블을 재구성해야 하지만(SQLite의 ALTER TABLE로는 "
            "이 변경을 할 수 없음) 작성할 수 없습니다") in joined
    sqlite_apply_layout(out, layout, dev, "up")
    assert sqlite_findings(prd, dev) == {("missing", "u", "sqlite_autoindex_u_1", ()),
                                         ("table_missing", "only_prd", None, ())}
    sqlite_apply_layout(out, layout, dev, "down")
    assert sqlite_findings(prd, dev) == original
    assert sqlite_index_state(dev) == before


def test_sqlite_held_and_foreign_key_refusals_in_korean(tmp_path):
    prd, dev = make(tmp_path / "p.db", FK_PRD), make(tmp_path / "d.db", FK_DEV)
    held = _migrate(f"prd={prd}", f"dev={dev}", "--stdout")
    assert ("-- 변경됨 uq_code: 거부됨: 외래 키 child(parent_code)가 이 UNIQUE 인덱스를 "
            "부모 키로 사용합니다") in held
    assert re.search(r"^-- 초과 ux_tag: 거부됨: 외래 키 child\(parent_tag\)", held, re.M)
    extra = make(tmp_path / "e.db", SQLITE_DEV)
    plain = _migrate(f"prd={make(tmp_path / 'q.db', SQLITE_PRD)}", f"dev={extra}", "--stdout")
    assert re.search(r'^-- 초과 extra: 이 환경에만 있음; 기본적으로 삭제하지 않습니다\. '
                     r'실행 계획\(EXPLAIN QUERY PLAN\)', plain, re.M)
    assert '-- DROP INDEX "extra";' in plain
    for text in (held, plain):
        assert english_only(text) == []
