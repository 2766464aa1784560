"""Reading PostgreSQL catalogs: every index property, compared field by field."""

from __future__ import annotations

import psycopg
import pytest
from click.testing import CliRunner
from conftest import POSTGRES

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.errors import SourceError
from indexdrift.sources import open_source

pytestmark = pytest.mark.postgres

TABLE = ('CREATE TABLE t (id int PRIMARY KEY, a varchar(20), b text, c int, r int4range, '
         'j jsonb, "회원명" text);')


def read(postgres, db, schema=None):
    return open_source(postgres.url(db, schema), "x")


def findings(postgres, prd_sql: str, dev_sql: str) -> set[tuple]:
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, TABLE + prd_sql)
    postgres.run(dev, TABLE + dev_sql)
    snaps = {"prd": read(postgres, prd), "dev": read(postgres, dev)}
    return {(f.kind, f.index, tuple(f.changes)) for f in compare(snaps, "prd").findings}


def test_catalog_fields_are_read(postgres):
    db = postgres.create_db("x")
    postgres.run(db, TABLE + """
        CREATE INDEX ix_partial ON t (c) WHERE c > 0;
        CREATE INDEX ix_expr ON t (lower(b), (c + 1) DESC);
        CREATE INDEX ix_include ON t (a) INCLUDE (b, c);
        CREATE INDEX ix_opclass ON t (a varchar_pattern_ops);
        CREATE INDEX ix_coll ON t (b COLLATE "C" NULLS FIRST);
        CREATE UNIQUE INDEX ix_nnd ON t (a) NULLS NOT DISTINCT;
        CREATE INDEX ix_gist ON t USING gist (r);
        CREATE INDEX ix_gin ON t USING gin (j jsonb_path_ops);
        CREATE INDEX "idx_회원명" ON t ("회원명");
        COMMENT ON INDEX "idx_회원명" IS 'it''s "quoted"';
        ALTER TABLE t ADD CONSTRAINT uq_ab UNIQUE (a, b);
        CREATE TABLE no_index (x int);
    """)
    snap = read(postgres, db)
    number = postgres.admin.execute("SHOW server_version_num").fetchone()[0]
    assert snap.flavor == "postgresql"
    assert snap.version == f"{int(number) // 10000}.{int(number) % 10000}"  # 13-17
    ix = snap.tables["t"].indexes
    assert ix["t_pkey"].primary and ix["t_pkey"].constraint == "p"
    assert ix["ix_partial"].predicate == "c > 0"
    expr = ix["ix_expr"].parts
    assert expr[0].expression == "lower(b)" and expr[0].column is None
    assert expr[1].expression == "(c + 1)" and expr[1].descending and expr[1].nulls_first is None
    assert ix["ix_include"].include == ("b", "c")
    assert ix["ix_opclass"].parts[0].opclass == "varchar_pattern_ops"
    assert ix["uq_ab"].parts[0].opclass is None  # the default opclass is not named
    assert ix["ix_coll"].parts[0].collation == '"C"'
    assert ix["ix_coll"].parts[0].nulls_first is True
    assert ix["ix_nnd"].nulls_not_distinct and ix["ix_nnd"].unique
    assert ix["ix_gist"].index_type == "GIST"
    assert ix["ix_gin"].index_type == "GIN"
    assert ix["ix_gin"].parts[0].opclass == "jsonb_path_ops"
    assert ix["idx_회원명"].comment == 'it\'s "quoted"'
    assert ix["uq_ab"].constraint == "u" and ix["uq_ab"].unique
    assert "no_index" in snap.tables and not snap.tables["no_index"].indexes


def test_partial_index_predicate_difference(postgres):
    assert findings(postgres, "CREATE INDEX ix ON t (c) WHERE c > 0;",
                    "CREATE INDEX ix ON t (c) WHERE c > 1;") == {
        ("changed", "ix", ("predicate",))}


def test_expression_index_difference(postgres):
    assert findings(postgres, "CREATE INDEX ix ON t (lower(b));",
                    "CREATE INDEX ix ON t (upper(b));") == {("changed", "ix", ("expression",))}


def test_include_index_difference(postgres):
    assert findings(postgres, "CREATE INDEX ix ON t (a) INCLUDE (b);",
                    "CREATE INDEX ix ON t (a);") == {("changed", "ix", ("include",))}


def test_non_default_opclass_difference(postgres):
    assert findings(postgres, "CREATE INDEX ix ON t (a varchar_pattern_ops);",
                    "CREATE INDEX ix ON t (a);") == {("changed", "ix", ("opclass",))}


def test_nulls_order_and_access_method_differences(postgres):
    assert findings(postgres,
                    "CREATE INDEX ix ON t (c DESC NULLS LAST); CREATE INDEX h ON t USING hash (c);",
                    "CREATE INDEX ix ON t (c DESC); CREATE INDEX h ON t (c);") == {
        ("changed", "ix", ("nulls_order",)), ("changed", "h", ("type",))}


def test_default_nulls_order_is_no_difference(postgres):
    assert findings(postgres, "CREATE INDEX ix ON t (c DESC NULLS FIRST, a ASC NULLS LAST);",
                    "CREATE INDEX ix ON t (c DESC, a);") == set()


def test_constraint_unique_differs_from_plain_unique_index(postgres):
    assert findings(postgres, "ALTER TABLE t ADD CONSTRAINT uq UNIQUE (a, b);",
                    "CREATE UNIQUE INDEX uq ON t (a, b);") == {
        ("changed", "uq", ("constraint",))}


def test_renamed_primary_key_is_a_rename(postgres):
    assert findings(postgres, "ALTER INDEX t_pkey RENAME TO pk_t;", "") == {
        ("renamed", "pk_t", ("name",))}


def make_invalid_index(postgres, db: str, name: str = "ux_c") -> None:
    """A failed CREATE UNIQUE INDEX CONCURRENTLY on duplicate data leaves it INVALID."""
    postgres.run(db, "INSERT INTO t (id, c) VALUES (-1, 5), (-2, 5) ON CONFLICT DO NOTHING;")
    with pytest.raises(psycopg.errors.UniqueViolation):
        postgres.run(db, f"CREATE UNIQUE INDEX CONCURRENTLY {name} ON t (c);")


def test_invalid_index_is_reported_broken_not_present(postgres):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, TABLE + "CREATE UNIQUE INDEX ux_c ON t (c);")
    postgres.run(dev, TABLE)
    make_invalid_index(postgres, dev)
    make_invalid_index(postgres, dev, "ux_only_dev")
    snap = read(postgres, dev)
    assert snap.tables["t"].indexes["ux_c"].valid is False
    found = compare({"prd": read(postgres, prd), "dev": snap}, "prd").findings
    assert {(f.kind, f.index, tuple(f.changes)) for f in found} == {
        ("changed", "ux_c", ("validity",)), ("extra", "ux_only_dev", ())}
    assert "INVALID" in next(f for f in found if f.kind == "extra").current.definition()


def test_schema_in_url_picks_the_namespace(postgres):
    db = postgres.create_db("x")
    postgres.run(db, TABLE + """
        CREATE INDEX ix ON t (a);
        CREATE SCHEMA app;
        CREATE TABLE app.t (id int PRIMARY KEY, a text);
        CREATE INDEX ix ON app.t (a DESC);
    """)
    public, app = read(postgres, db), read(postgres, db, "app")
    assert app.schema == "app"
    assert not app.tables["t"].indexes["ix"].equals(public.tables["t"].indexes["ix"])
    assert app.tables["t"].indexes["ix"].parts[0].descending
    with pytest.raises(SourceError, match="no tables"):
        read(postgres, db, "nope")


def test_unreachable_server_is_a_one_line_error():
    with pytest.raises(SourceError, match="cannot connect"):
        open_source(f"postgresql://{POSTGRES['user']}@{POSTGRES['host']}:1/x", "prd")


def test_export_reads_back_to_the_same_findings(postgres, tmp_path):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, TABLE + """
        CREATE INDEX ix_partial ON t (c) WHERE c > 0;
        CREATE INDEX ix_expr ON t (lower(b), (c + 1) DESC NULLS LAST);
        CREATE INDEX ix_include ON t (a) INCLUDE (b, c);
        CREATE INDEX "idx_회원명" ON t ("회원명" COLLATE "C" text_pattern_ops);
        COMMENT ON INDEX "idx_회원명" IS 'a, "b"
        second line';
        ALTER TABLE t ADD CONSTRAINT uq_ab UNIQUE NULLS NOT DISTINCT (a, b);
        CREATE TABLE empty (x int);
    """)
    postgres.run(dev, TABLE + """
        CREATE INDEX ix_partial ON t (c);
        CREATE INDEX ix_include ON t (a);
        CREATE UNIQUE INDEX uq_ab ON t (a, b);
    """)
    make_invalid_index(postgres, dev)
    live = {"prd": read(postgres, prd), "dev": read(postgres, dev)}
    files = {}
    for env in ("prd", "dev"):
        path = tmp_path / f"{env}.csv"
        result = CliRunner().invoke(cli, ["export", f"{env}={postgres.url(locals()[env])}",
                                          "-o", str(path)])
        assert result.exit_code == 0, result.output
        files[env] = open_source(str(path), env)
    assert files["prd"].flavor == "postgresql" and files["prd"].version == live["prd"].version
    for env in files:
        assert {t: {k: ix.full_key() for k, ix in table.indexes.items()}
                for t, table in files[env].tables.items()} == \
               {t: {k: ix.full_key() for k, ix in table.indexes.items()}
                for t, table in live[env].tables.items()}

    def kinds(snaps):
        return {(f.kind, f.table, f.index, tuple(f.changes))
                for f in compare(snaps, "prd").findings}

    assert kinds(files) == kinds(live) != set()
    assert kinds({"prd": files["prd"], "dev": live["dev"]}) == kinds(live)
