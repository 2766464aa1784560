"""Foreign keys without an index serving them (lint advisory), on the model: no server."""

from __future__ import annotations

import io

import pytest

from indexdrift.core.i18n import Catalog
from indexdrift.model.tables import Column, ForeignKey, Index, KeyPart, Snapshot, Table
from indexdrift.report.fk_lint import ForeignKeyAdvisory, lint_foreign_keys, serves
from indexdrift.report.lint import advisory_json, advisory_text, lint_snapshot
from indexdrift.report.render.markdown import advisory_section

PG = "postgresql"


def part(col, **kw):
    return KeyPart(col, exact_column=kw.pop("exact", False), **kw)


def ix(name, *parts, table="c", exact=False, **kw):
    parts = tuple(part(p, exact=exact) if isinstance(p, str) else p for p in parts)
    return Index(table, name, parts, exact_name=exact, **kw)


def fk(name, *cols, table="c", parent="p", exact=False):
    return ForeignKey(table, name, tuple(cols), parent, ("id",) * len(cols), exact_name=exact)


def snapshot(*tables, flavor=PG, version="15.4", objects=frozenset({"foreign_keys"}),
             schema="public"):
    snap = Snapshot("test", schema, flavor=flavor, version=version, objects=objects)
    for t in tables:
        snap.tables[t.name] = t
    return snap


def child(*indexes, fks=(), name="c", columns=None):
    t = Table(name, foreign_keys=tuple(fks), columns=columns)
    for index in indexes:
        t.add(index)
    return t


def advised(snap):
    return [(a.table, [k.name for k in a.foreign_keys], a.statement)
            for a in lint_foreign_keys(snap).advisories]


def test_fk_without_index_gets_a_concurrent_create_index_on_postgresql():
    snap = snapshot(child(ix("c_pkey", "id", primary=True, unique=True),
                          fks=[fk("c_pid_fkey", "pid")]))
    assert advised(snap) == [("c", ["c_pid_fkey"],
                              'CREATE INDEX CONCURRENTLY "c_pid_idx" ON "public"."c" ("pid");')]


def test_longer_index_with_the_key_as_leftmost_prefix_serves_it():
    key = fk("f", "a", "b")
    assert serves(ix("i", "a", "b", "x"), key, Table("c"))
    assert serves(ix("i", "a", "b"), key, Table("c"))
    assert not serves(ix("i", "b", "a"), key, Table("c"))  # in the key's order only
    assert not serves(ix("i", "x", "a", "b"), key, Table("c"))
    assert not serves(ix("i", "a"), key, Table("c"))
    # DESC and NULLS order do not matter for an equality lookup; the primary key serves.
    assert serves(ix("i", part("a", descending=True, nulls_first=True), "b"), key, Table("c"))
    assert serves(ix("pk", "a", "b", "id", primary=True, unique=True), key, Table("c"))


def test_prefix_expression_partial_invalid_invisible_and_other_types_do_not_serve():
    key = fk("f", "a")
    t = Table("c")
    assert not serves(ix("i", part("a", sub_part=10)), key, t)
    assert not serves(ix("i", KeyPart(None, expression="lower(a)")), key, t)
    assert not serves(ix("i", "a", predicate="a > 0"), key, t)
    assert not serves(ix("i", "a", valid=False), key, t)
    assert not serves(ix("i", "a", visible=False), key, t)
    assert not serves(ix("i", "a", index_type="GIN"), key, t)
    assert not serves(ix("i", "a", index_type="FULLTEXT"), key, t)
    assert serves(ix("i", "a", index_type="HASH"), key, t)  # the whole key, by equality
    assert not serves(ix("i", "a", "b", index_type="HASH"), key, t)


def test_a_collation_of_its_own_serves_only_when_it_is_the_columns():
    key = fk("f", "a")
    bare = Table("c")
    assert not serves(ix("i", part("a", collation='"C"')), key, bare)
    columns = {"a": Column("a", 1, "text", True, collation="NOCASE", dialect="sqlite")}
    assert serves(ix("i", part("a", collation="NOCASE")), key, Table("c", columns=columns))
    assert not serves(ix("i", part("a", collation="RTRIM")), key, Table("c", columns=columns))


def test_names_compare_by_the_flavor_rule():
    exact = fk("f", "Pid", exact=True)
    assert serves(ix("i", "Pid", exact=True), exact, Table("c"))
    assert not serves(ix("i", "pid", exact=True), exact, Table("c"))
    assert serves(ix("i", "PID"), fk("f", "pid"), Table("c"))  # MySQL, SQLite: any case


def test_keys_one_index_serves_share_one_advisory_with_the_widest_index():
    snap = snapshot(child(fks=[fk("f_a", "a"), fk("f_ab", "a", "b"), fk("f_b", "b")]))
    assert advised(snap) == [
        ("c", ["f_a", "f_ab"], 'CREATE INDEX CONCURRENTLY "c_a_b_idx" ON "public"."c" '
                               '("a", "b");'),
        ("c", ["f_b"], 'CREATE INDEX CONCURRENTLY "c_b_idx" ON "public"."c" ("b");')]


def test_nothing_without_foreign_keys_read():
    snap = snapshot(child(fks=[fk("f", "a")]), objects=frozenset())
    assert lint_foreign_keys(snap).advisories == []
    assert lint_snapshot(snap, foreign_keys=True) == []


def test_mysql_statement_is_migrates_online_alter_table():
    snap = snapshot(child(fks=[fk("f", "pid")]), flavor="mariadb", version="10.11.6",
                    schema="shop")
    [advisory] = lint_foreign_keys(snap).advisories
    assert advisory.statement == ("ALTER TABLE `c`\n  ADD INDEX `c_pid_idx` (`pid`),\n"
                                  "  ALGORITHM=INPLACE, LOCK=NONE;")


def test_partitioned_postgresql_table_is_not_built_concurrently():
    t = child(fks=[fk("f", "pid")])
    t.engine = "partitioned"
    [advisory] = lint_foreign_keys(snapshot(t)).advisories
    assert advisory.statement == 'CREATE INDEX "c_pid_idx" ON "public"."c" ("pid");'


def test_hostile_names_are_quoted_and_a_line_break_gets_no_statement():
    quote = child(name='c"; DROP TABLE p; --', fks=[fk("f", 'a"b', table='c"; DROP TABLE p; --')])
    [advisory] = lint_foreign_keys(snapshot(quote)).advisories
    assert advisory.statement == ('CREATE INDEX CONCURRENTLY "c""; DROP TABLE p; --_a""b_idx" '
                                  'ON "public"."c""; DROP TABLE p; --" ("a""b");')
    mysql = lint_foreign_keys(snapshot(child(fks=[fk("f", "a`b")]), flavor="mysql",
                                       version="8.0.36")).advisories[0]
    assert "(`a``b`)" in mysql.statement
    broken = child(fks=[fk("f", "a\n\\! rm -rf /")])
    [advisory] = lint_foreign_keys(snapshot(broken)).advisories
    assert advisory.statement is None
    text = advisory_text(advisory, Catalog("en"))
    assert text.endswith("no statement is suggested: a name holds a line break")


def test_unknown_flavor_gets_no_statement():
    [advisory] = lint_foreign_keys(snapshot(child(fks=[fk("f", "a")]), flavor=None,
                                            version=None)).advisories
    assert advisory.statement is None and advisory.why_none == "lint.fk_no_statement_flavor"


def test_suggested_name_is_unique_in_the_schema_and_within_the_limit():
    taken = child(ix("c_pid_idx", "x"), fks=[fk("f", "pid")])
    other = child(ix("c_pid_idx1", "y", table="o"), name="o")
    [advisory] = lint_foreign_keys(snapshot(taken, other)).advisories
    assert advisory.index.name == "c_pid_idx2"
    long = child(name="t" * 60, fks=[fk("f", "é" * 30, table="t" * 60)])
    [advisory] = lint_foreign_keys(snapshot(long)).advisories
    assert len(advisory.index.name.encode()) <= 63 and advisory.index.name.endswith("_idx")


def test_sqlite_rowid_alias_is_served_and_unknown_without_columns():
    rowid = {"id": Column("id", 1, "integer", False, auto_increment=True, dialect="sqlite"),
             "pid": Column("pid", 2, "int", True, dialect="sqlite")}
    one = child(fks=[fk("f_id", "id"), fk("f_pid", "pid")], columns=rowid)
    found = lint_foreign_keys(snapshot(one, flavor="sqlite", version="3.40.1", schema="main"))
    assert [(a.foreign_keys[0].name, a.statement) for a in found.advisories] == [
        ("f_pid", 'CREATE INDEX "c_pid_idx" ON "c" ("pid");')]
    assert found.not_judged == 0
    unknown = lint_foreign_keys(snapshot(child(fks=[fk("f_pid", "pid")]), flavor="sqlite",
                                         version="3.40.1"))
    assert (unknown.advisories, unknown.not_judged) == ([], 1)
    # A primary key index means the rowid is no key column: the key is judged.
    keyed = child(ix("sqlite_autoindex_c_1", "code", primary=True, unique=True),
                  fks=[fk("f_pid", "pid")])
    assert len(lint_foreign_keys(snapshot(keyed, flavor="sqlite")).advisories) == 1


def test_texts_json_and_markdown_in_both_languages():
    snap = snapshot(child(fks=[fk("c_pid_fkey", "pid")]))
    [advisory] = lint_snapshot(snap, foreign_keys=True)
    assert isinstance(advisory, ForeignKeyAdvisory)
    en = advisory_text(advisory, Catalog("en"))
    assert en == ("c: foreign key c_pid_fkey (pid) -> p has no index serving it: a join on "
                  "it, and each delete or key update in p, scans c; add one: CREATE INDEX "
                  'CONCURRENTLY "c_pid_idx" ON "public"."c" ("pid");')
    ko = advisory_text(advisory, Catalog("ko"))
    assert "외래 키 c_pid_fkey" in ko and 'CREATE INDEX CONCURRENTLY "c_pid_idx"' in ko
    doc = advisory_json(advisory)
    assert doc == {"table": "c", "kind": "unindexed_foreign_key", "index": "c_pid_idx",
                   "definition": "(pid)", "covered_by": None, "foreign_keys": ["c_pid_fkey"],
                   "columns": ["pid"], "statement": advisory.statement}

    class Comparison:
        advisories = {"dev": [advisory]}
    section = advisory_section(Comparison(), Catalog("en"))
    assert any("c\\_pid\\_fkey" in line or "c_pid_fkey" in line for line in section)


def test_redundant_index_advisories_come_first_in_their_table():
    t = child(ix("i_a", "a"), ix("i_a_b", "a", "b"), fks=[fk("f", "z")])
    kinds = [a.kind for a in lint_snapshot(snapshot(t), foreign_keys=True)]
    assert kinds == ["redundant", "unindexed_foreign_key"]
    # Not asked for (compare without --objects foreign_keys): the index advisories only.
    assert [a.kind for a in lint_snapshot(snapshot(t))] == ["redundant"]


def test_excel_advisories_sheet_has_the_index_to_add_and_no_cover():
    openpyxl = pytest.importorskip("openpyxl")
    from indexdrift.compare.tables import Comparison
    from indexdrift.report.render.xlsx import render_xlsx

    snap = snapshot(child(ix("i_a", "a"), ix("i_a_b", "a", "b"), fks=[fk("c_z_fkey", "z")]))
    comparison = Comparison("prd", ["prd"], {"prd": snap}, [])
    comparison.advisories = {"prd": lint_snapshot(snap, foreign_keys=True)}
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(comparison, Catalog("en"))))
    rows = [[c.value for c in row] for row in book.worksheets[-1].iter_rows(min_row=2)]
    assert [r[:4] for r in rows] == [["prd", "c", "i_a", "i_a_b"], ["prd", "c", "c_z_idx", ""]]
    assert rows[1][4].endswith('add one: CREATE INDEX CONCURRENTLY "c_z_idx" ON "public"."c" '
                               '("z");')


def test_fleet_targets_get_their_foreign_key_advisories_before_their_snapshots_go(tmp_path):
    import json

    from click.testing import CliRunner

    from indexdrift.cli.main import cli
    from indexdrift.sources.snapshot import save_snapshot

    def env(indexed: bool) -> Snapshot:
        t = child(ix("c_pkey", "id", primary=True, unique=True), fks=[fk("c_pid_fkey", "pid")])
        if indexed:
            t.add(ix("c_pid", "pid"))
        return snapshot(t, objects=frozenset({"foreign_keys"}))
    for name, indexed in (("prd", True), ("a", False), ("b", True)):
        save_snapshot(env(indexed), str(tmp_path / f"{name}.json"))
    config = tmp_path / "indexdrift.toml"
    config.write_text(
        'baseline = "prd"\n'
        f'[envs.prd]\nsource = "{(tmp_path / "prd.json").as_posix()}"\n'
        '[envs.shards]\nsources = { '
        + ", ".join(f'{n} = "{(tmp_path / f"{n}.json").as_posix()}"' for n in "ab")
        + " }\n", encoding="utf-8")
    runner = CliRunner()
    args = ["compare", "--config", str(config), "--no-usage", "--format", "json"]
    doc = json.loads(runner.invoke(cli, [*args, "--objects", "indexes,foreign_keys"]).output)
    assert {env: [a["statement"] for a in items] for env, items in doc["advisories"].items()} \
        == {"shards.a": ['CREATE INDEX CONCURRENTLY "c_pid_idx" ON "public"."c" ("pid");']}
    # Not asked for: the fleet targets' advisories leave the keys out too.
    assert json.loads(runner.invoke(cli, args).output)["advisories"] == {}
