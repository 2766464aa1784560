"""Planning foreign keys, checks and table options (issue 20): every operation's exact
inverse, where the planner puts each finding (the env's phases), the foreign keys that go
around an index change, what is held back and why, and the statements each dialect writes
in the order the phases run (snapshots built by hand; the real-server round trips are in
tests/test_objects_migrate_*.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexdrift.compare.tables import compare
from indexdrift.core.target import parse_target
from indexdrift.ddl.script import build_script
from indexdrift.model.tables import CheckConstraint, Column, ForeignKey, Index, KeyPart, Snapshot
from indexdrift.model.tables import Table as T
from indexdrift.plan.objects import AROUND
from indexdrift.plan.ops import (
    PHASES,
    AddCheck,
    AddColumn,
    AddForeignKey,
    AddIndex,
    DropCheck,
    DropForeignKey,
    RenameConstraint,
    ReplaceIndex,
    SetTableOptions,
    Step,
)
from indexdrift.plan.planner import PlanOptions, plan_env

ALL = frozenset({"foreign_keys", "checks", "options"})
FK = ForeignKey("c", "fk_p", ("pid",), "p", ("id",))
CK = CheckConstraint("c", "ck_q", "`q` > 0")
OPTS = SetTableOptions("c", (("engine", "MyISAM"), ("comment", "old")),
                       (("engine", "InnoDB"), ("comment", "new")))


@pytest.mark.parametrize("op", [
    AddForeignKey(FK), DropForeignKey(FK), AddCheck(CK), DropCheck(CK),
    RenameConstraint(FK, replace(FK, name="fk_new")), RenameConstraint(CK, replace(CK, name="x")),
    OPTS])
def test_every_operation_has_an_exact_inverse_and_loses_no_data(op):
    assert op.inverse() != op
    assert op.inverse().inverse() == op
    assert op.unsafe() is None


def test_the_inverses_pair_up():
    assert AddForeignKey(FK).inverse() == DropForeignKey(FK)
    assert DropCheck(CK).inverse() == AddCheck(CK)
    assert OPTS.inverse() == SetTableOptions("c", OPTS.after, OPTS.before)
    assert OPTS.value("engine") == "InnoDB" and OPTS.value("row_format") is None


def test_a_step_inverse_knows_it_is_a_rollback():
    step = Step([DropCheck(CK), AddCheck(replace(CK, expression="`q` >= 0"))], "check_changed",
                "ck_q")
    back = step.inverse()
    assert back.undo and not step.undo
    assert back.ops == [DropCheck(replace(CK, expression="`q` >= 0")), AddCheck(CK)]
    assert back.inverse() == step


# --- snapshots --------------------------------------------------------------------------

def pk(table: str, *cols: str, exact=False) -> Index:
    name = "PRIMARY" if not exact else f"{table}_pkey"
    return Index(table, name, tuple(KeyPart(c, exact_column=exact) for c in cols), unique=True,
                 primary=True, constraint="p" if exact else None, exact_name=exact)


def ix(table: str, name: str, *cols: str, exact=False, **kw) -> Index:
    return Index(table, name, tuple(KeyPart(c, exact_column=exact) for c in cols),
                 exact_name=exact, **kw)


def col(name: str, position: int, dialect="mysql", **kw) -> Column:
    return Column(name, position, "int", True, "NULL" if dialect == "mysql" else None,
                  dialect=dialect, **kw)


def table(name: str, *indexes: Index, fks=(), checks=None, options=None, columns=None,
          **kw) -> T:
    found = T(name, foreign_keys=tuple(fks), checks=checks if checks is not None else {},
              options=options, **kw)
    for index in indexes:
        found.add(index)
    if columns is not None:
        found.columns = {c.name_key: c for c in columns}
    return found


def snapshot(flavor: str, *tables: T, objects=ALL, version=None) -> Snapshot:
    versions = {"mariadb": "10.11.0", "mysql": "8.0.36", "postgresql": "15.0",
                "sqlite": "3.40.0"}
    return Snapshot("file", "shop", {t.name: t for t in tables}, flavor=flavor,
                    version=version or versions[flavor], has_details=True, objects=objects)


def plan_of(base: Snapshot, env: Snapshot, **options):
    comparison = compare({"prd": base, "dev": env}, "prd")
    target = parse_target(f"{env.flavor}:{env.version}")
    return comparison, plan_env(comparison, "dev", target, PlanOptions(**options))


def by_table(plan) -> dict:
    return {t.table: t for t in plan.tables}


def parent(flavor="mariadb") -> T:
    exact = flavor == "postgresql"
    return table("p", pk("p", "id", exact=exact))


def child(*fks, checks=None, indexes=(), flavor="mariadb", options=None) -> T:
    exact = flavor == "postgresql"
    return table("c", pk("c", "id", exact=exact), ix("c", "ix_pid", "pid", exact=exact),
                 *indexes, fks=fks, checks=checks, options=options)


def fk(name="fk_p", cols=("pid",), ref="p", ref_cols=("id",), flavor="mariadb", **kw):
    return ForeignKey("c", name, tuple(cols), ref, tuple(ref_cols),
                      exact_name=flavor == "postgresql", **kw)


# --- where each finding goes -----------------------------------------------------------

def test_foreign_keys_go_to_the_first_and_last_phase():
    more = (ix("c", "ix_q", "q"), ix("c", "ix_z", "z"))
    base = snapshot("mariadb", parent(), child(fk("fk_new"), fk("fk_chg", on_delete="CASCADE"),
                                               fk("fk_ren", ("q",)), indexes=more))
    env = snapshot("mariadb", parent(), child(fk("fk_chg"), fk("fk_old", ("q",)),
                                              fk("fk_extra", ("z",)), indexes=more))
    _, plan = plan_of(base, env, drop_extra=True)
    c = by_table(plan)["c"]
    # In report order (by name): changed, extra, new, renamed.
    assert [op for s in c.fk_drop_steps for op in s.ops] == [
        DropForeignKey(fk("fk_chg")), DropForeignKey(fk("fk_extra", ("z",))),
        DropForeignKey(fk("fk_old", ("q",)))]
    assert [op for s in c.fk_add_steps for op in s.ops] == [
        AddForeignKey(fk("fk_chg", on_delete="CASCADE")), AddForeignKey(fk("fk_new")),
        AddForeignKey(fk("fk_ren", ("q",)))]
    assert c.steps == [] and c.held == []
    assert c.phase_steps(PHASES[0]) is c.fk_drop_steps
    # Without an index on q the server would make one for fk_ren: held, with its drop.
    env.tables["c"].indexes.pop("ix_q")
    base.tables["c"].indexes.pop("ix_q")
    _, plan = plan_of(base, env, drop_extra=True)
    c = by_table(plan)["c"]
    assert [(h.why, [type(op).__name__ for op in h.step.ops]) for h in c.held] == [
        ("needs_index", ["DropForeignKey", "AddForeignKey"])]
    assert str(c.held[0].detail) == ("no index leads with (q) once the migration ran: the "
                                      "server would create one of its own")
    assert plan.reported == []


def test_an_extra_foreign_key_is_held_without_drop_extra_with_its_statement():
    base = snapshot("mariadb", parent(), child())
    env = snapshot("mariadb", parent(), child(fk("fk_extra")))
    comparison, plan = plan_of(base, env)
    c = by_table(plan)["c"]
    assert c.fk_drop_steps == [] and [h.why for h in c.held] == ["extra_not_dropped"]
    up = build_script(plan, comparison, PlanOptions()).up_text()
    assert ("-- foreign key extra fk_extra: exists only in this env; not dropped by default"
            in up)
    assert "-- ALTER TABLE `c`\n--   DROP FOREIGN KEY `fk_extra`" in up


def test_postgresql_renames_a_constraint_mysql_drops_and_adds():
    base = snapshot("postgresql", parent("postgresql"),
                    child(fk("fk_new", flavor="postgresql"), flavor="postgresql",
                          checks={"ck_b": replace(CK, name="ck_b", exact_name=True)}))
    env = snapshot("postgresql", parent("postgresql"),
                   child(fk("fk_old", flavor="postgresql"), flavor="postgresql",
                         checks={"ck_a": replace(CK, name="ck_a", exact_name=True)}))
    _, plan = plan_of(base, env)
    c = by_table(plan)["c"]
    assert c.fk_drop_steps == c.fk_add_steps == c.before_columns == []
    assert [type(op) for s in c.steps for op in s.ops] == [RenameConstraint, RenameConstraint]
    base = snapshot("mariadb", parent(), child(fk("fk_new"), checks={"ck_b": replace(
        CK, name="ck_b")}))
    env = snapshot("mariadb", parent(), child(fk("fk_old"), checks={"ck_a": replace(
        CK, name="ck_a")}))
    _, plan = plan_of(base, env)
    c = by_table(plan)["c"]
    assert [op.fk.name for s in c.fk_drop_steps for op in s.ops] == ["fk_old"]
    assert [op.fk.name for s in c.fk_add_steps for op in s.ops] == ["fk_new"]
    assert [op for s in c.before_columns for op in s.ops] == [DropCheck(replace(CK, name="ck_a"))]
    assert [op for s in c.steps for op in s.ops] == [AddCheck(replace(CK, name="ck_b"))]


def test_checks_drop_before_the_columns_and_add_after_the_indexes():
    base = snapshot("mariadb", child(checks={"ck_q": CK, "ck_new": replace(CK, name="ck_new")}))
    env = snapshot("mariadb", child(checks={"ck_q": replace(CK, expression="`q` >= 0"),
                                            "ck_x": replace(CK, name="ck_x", expression="1")}))
    _, plan = plan_of(base, env, drop_extra=True)
    c = by_table(plan)["c"]
    assert [op for s in c.before_columns for op in s.ops] == [
        DropCheck(replace(CK, expression="`q` >= 0")),
        DropCheck(replace(CK, name="ck_x", expression="1"))]
    assert sorted(op.check.name for s in c.steps for op in s.ops) == ["ck_new", "ck_q"]


def test_options_are_one_operation_of_the_changed_options():
    base = snapshot("mariadb", child(options={"engine": "InnoDB", "charset": "utf8mb4",
                                              "collation": "utf8mb4_bin", "row_format": "DYNAMIC",
                                              "comment": "x"}))
    env = snapshot("mariadb", child(options={"engine": "InnoDB", "charset": "utf8mb4",
                                             "collation": "utf8mb4_general_ci",
                                             "row_format": "COMPRESSED", "comment": "x"}))
    _, plan = plan_of(base, env)
    (step,) = by_table(plan)["c"].steps
    assert step.ops == [SetTableOptions("c", (("collation", "utf8mb4_general_ci"),
                                              ("row_format", "COMPRESSED")),
                                        (("collation", "utf8mb4_bin"), ("row_format", "DYNAMIC")))]


def test_unsupported_on_the_target_is_held_with_the_reason():
    base = snapshot("mariadb", child(checks={"q": replace(CK, name="q", column="q"),
                                             "ck_n": replace(CK, name="ck_n", enforced=False)},
                                     options={"engine": "In noDB"}))
    env = snapshot("mariadb", child(checks={}, options={"engine": "MyISAM"}))
    _, plan = plan_of(base, env)
    c = by_table(plan)["c"]
    assert c.steps == []
    found = {h.step.index_name: (h.why, str(h.detail)) for h in c.held}
    assert found == {
        "q": ("unsupported", "a CHECK written in the definition of column q changes only with "
                             "that column's definition (MODIFY COLUMN); change it by hand"),
        "ck_n": ("unsupported", "mariadb 10.11.0 has no NOT ENFORCED checks"),
        "": ("unsupported", "the engine value is not a plain word; not written as SQL")}


def test_sqlite_holds_every_constraint_change_for_a_table_rebuild():
    sq = dict(exact=False)
    base = snapshot("sqlite", table("p", ix("p", "ux", "id", unique=True, **sq)),
                    table("c", fks=[fk("fk_p")], checks={"ck_q": CK},
                          options={"strict": "1", "without_rowid": "0"}))
    env = snapshot("sqlite", table("p", ix("p", "ux", "id", unique=True, **sq)),
                   table("c", fks=[fk("fk_x", ("x",))], checks={},
                         options={"strict": "0", "without_rowid": "0"}))
    comparison, plan = plan_of(base, env, drop_extra=True)
    c = by_table(plan)["c"]
    assert not c.has_steps
    # One rebuild of all four changes (plan/rebuild.py), held: these snapshots were not
    # read from SQLite files (no triggers and views known, no objects read).
    assert [h.why for h in c.held] == ["table_rebuild"]
    assert len(c.held[0].step.ops) == 4
    up = build_script(plan, comparison, PlanOptions(drop_extra=True)).up_text()
    assert "-- table rebuild c: NOT APPLIED: the table needs a rebuild (SQLite's" in up
    assert "ALTER TABLE" not in up.replace("SQLite's ALTER TABLE", "")


# --- across tables -----------------------------------------------------------------------

def _pg_parent(*indexes: Index) -> T:
    return table("p", *indexes)


def test_postgresql_goes_around_a_unique_index_a_foreign_key_depends_on():
    old = ix("p", "uq_code", "code", exact=True, unique=True)
    new = ix("p", "uq_code", "code", "id", exact=True, unique=True)
    other = ix("p", "uq_code_only", "code", exact=True, unique=True)
    key = ForeignKey("c", "fk_code", ("code",), "p", ("code",), exact_name=True)
    env_parent = _pg_parent(pk("p", "id", exact=True), old)
    env_parent.referenced_by = {"uq_code": ("c.fk_code",)}
    base = snapshot("postgresql", _pg_parent(pk("p", "id", exact=True), new, other),
                    table("c", fks=[key]))
    env = snapshot("postgresql", env_parent, table("c", fks=[key]))
    comparison, plan = plan_of(base, env)
    tables = by_table(plan)
    assert [s.ops for s in tables["p"].steps] == [[ReplaceIndex(old, new)], [AddIndex(other)]]
    assert tables["p"].held == []
    assert [(s.reason, s.ops) for s in tables["c"].fk_drop_steps] == [
        (AROUND, [DropForeignKey(key)])]
    assert [(s.reason, s.ops) for s in tables["c"].fk_add_steps] == [
        (AROUND, [AddForeignKey(key)])]
    script = build_script(plan, comparison, PlanOptions())
    up, down = script.up_text(), script.down_text()
    drop = 'ALTER TABLE "shop"."c" DROP CONSTRAINT "fk_code";'
    add = ('ALTER TABLE "shop"."c" ADD CONSTRAINT "fk_code" FOREIGN KEY ("code") REFERENCES '
           '"shop"."p" ("code");')
    assert up.index(drop) < up.index('"uq_code_only"') < up.index(add)
    assert "-- foreign key fk_code is dropped first and added back at the end" in up
    assert down.index(drop) < down.index('DROP INDEX CONCURRENTLY "shop"."uq_code_only"') \
        < down.index(add)


def test_without_the_env_foreign_keys_the_refusal_stays():
    old = ix("p", "uq_code", "code", exact=True, unique=True)
    new = ix("p", "uq_code", "code", "id", exact=True, unique=True)
    env_parent = _pg_parent(pk("p", "id", exact=True), old)
    env_parent.referenced_by = {"uq_code": ("c.fk_code",)}
    base = snapshot("postgresql", _pg_parent(pk("p", "id", exact=True), new), table("c"),
                    objects=frozenset())
    env = snapshot("postgresql", env_parent, table("c"), objects=frozenset())
    _, plan = plan_of(base, env)
    p = by_table(plan)["p"]
    assert p.steps == [] and [h.why for h in p.held] == ["fk_referenced"]
    assert "c" not in by_table(plan)


def test_a_key_that_no_index_serves_afterwards_keeps_the_refusal():
    old = ix("p", "uq_code", "code", exact=True, unique=True)
    new = ix("p", "uq_code", "code", "id", exact=True, unique=True)
    key = ForeignKey("c", "fk_code", ("code",), "p", ("code",), exact_name=True)
    env_parent = _pg_parent(pk("p", "id", exact=True), old)
    env_parent.referenced_by = {"uq_code": ("c.fk_code",)}
    # The env's key is extra (not dropped without --drop-extra): nothing will serve it.
    base = snapshot("postgresql", _pg_parent(pk("p", "id", exact=True), new), table("c"))
    env = snapshot("postgresql", env_parent, table("c", fks=[key]))
    _, plan = plan_of(base, env)
    tables = by_table(plan)
    assert [h.why for h in tables["p"].held] == ["fk_referenced"]
    assert tables["c"].fk_drop_steps == [] and [h.why for h in tables["c"].held] == [
        "extra_not_dropped"]


def test_a_changed_foreign_key_no_longer_blocks_the_index_it_is_dropped_from():
    # (author_id) -> (author_tenant_id, author_id): the key, its index and a new column
    # change together; the env's key is dropped first, so the index may change.
    def posts(key: ForeignKey, index: Index, cols) -> T:
        return table("posts", pk("posts", "id"), index, fks=[key], columns=cols)

    authors = table("authors", pk("authors", "tenant_id", "id"),
                    columns=[col("tenant_id", 1), col("id", 2)])
    old_key = ForeignKey("posts", "fk_author", ("author_id",), "authors", ("id",))
    new_key = ForeignKey("posts", "fk_author", ("author_tenant_id", "author_id"), "authors",
                         ("tenant_id", "id"))
    base = snapshot("mariadb", authors, posts(
        new_key, ix("posts", "ix_author", "author_tenant_id", "author_id"),
        [col("id", 1), col("author_tenant_id", 2), col("author_id", 3)]))
    env_authors = table("authors", pk("authors", "tenant_id", "id"),
                        ix("authors", "ix_id", "id"),
                        columns=[col("tenant_id", 1), col("id", 2)])
    env = snapshot("mariadb", env_authors, posts(
        old_key, ix("posts", "ix_author", "author_id"), [col("id", 1), col("author_id", 2)]),
        objects=ALL | {"columns"})
    base.objects = env.objects
    comparison, plan = plan_of(base, env, drop_extra=True)
    p = by_table(plan)["posts"]
    assert p.held == [] and [op for s in p.fk_drop_steps for op in s.ops] == [
        DropForeignKey(old_key)]
    assert [type(op) for s in p.column_steps for op in s.ops] == [AddColumn]
    script = build_script(plan, comparison, PlanOptions(drop_extra=True))
    up, down = script.up_text(), script.down_text()
    assert ("ALTER TABLE `posts`\n  DROP FOREIGN KEY `fk_author`,\n  ALGORITHM=INPLACE, "
            "LOCK=NONE;") in up
    assert ("ALTER TABLE `posts`\n  ADD COLUMN `author_tenant_id` int NULL DEFAULT NULL AFTER "
            "`id`,\n  DROP INDEX `ix_author`,\n  ADD INDEX `ix_author` (`author_tenant_id`, "
            "`author_id`);") in up
    assert up.index("DROP FOREIGN KEY") < up.index("ADD COLUMN") < up.index(
        "ADD CONSTRAINT `fk_author`")
    # ix_id, the env's index on authors(id) the old key used, is extra: dropped with
    # --drop-extra, as the key that needed it is gone by then.
    assert up.index("DROP FOREIGN KEY") < up.index("DROP INDEX `ix_id`")
    assert "ADD INDEX `ix_author` (`author_tenant_id`, `author_id`);" in up  # no online clause
    assert down.index("DROP FOREIGN KEY `fk_author`") < down.index("DROP COLUMN") < down.index(
        "REFERENCES `authors` (`id`)")


def test_mysql_refuses_to_drop_the_last_parent_index_a_key_of_another_table_uses():
    key = ForeignKey("c", "fk_p", ("pid",), "p", ("code",))
    base = snapshot("mariadb", table("p", pk("p", "id")), table("c", fks=[key]))
    env = snapshot("mariadb", table("p", pk("p", "id"), ix("p", "ix_code", "code")),
                   table("c", fks=[key]))
    _, plan = plan_of(base, env, drop_extra=True)
    p = by_table(plan)["p"]
    assert p.steps == [] and [(h.why, str(h.detail)) for h in p.held] == [
        ("fk_needs", "foreign key fk_p of c (references code)")]
    # Without the keys read, the parent side is unknown: today's plan.
    base.objects = env.objects = frozenset()
    _, plan = plan_of(base, env, drop_extra=True)
    assert [h.why for h in by_table(plan)["p"].held] == []


def test_two_tables_that_reference_each_other_need_nothing_special():
    a_key = ForeignKey("a", "fk_a_b", ("b_id",), "b", ("id",))
    b_key = ForeignKey("b", "fk_b_a", ("a_id",), "a", ("id",))
    base = snapshot("mariadb", table("a", pk("a", "id"), ix("a", "ix_b", "b_id"), fks=[a_key]),
                    table("b", pk("b", "id"), ix("b", "ix_a", "a_id"), fks=[b_key]))
    env = snapshot("mariadb", table("a", pk("a", "id"), ix("a", "ix_b", "b_id")),
                   table("b", pk("b", "id"), ix("b", "ix_a", "a_id")))
    comparison, plan = plan_of(base, env)
    script = build_script(plan, comparison, PlanOptions())
    assert [(t.table, t.phase) for t in script.tables if t.up] == [("a", 2), ("b", 2)]
    up = script.up_text()
    assert up.index("ADD CONSTRAINT `fk_a_b`") < up.index("ADD CONSTRAINT `fk_b_a`")


# --- what the run did not look at --------------------------------------------------------

def test_an_index_on_a_column_the_env_lacks_is_held_naming_objects_columns():
    base = snapshot("mariadb", table("c", pk("c", "id"), ix("c", "ix_new", "newcol"),
                                     columns=[col("id", 1), col("newcol", 2)]))
    env = snapshot("mariadb", table("c", pk("c", "id"), columns=[col("id", 1)]))
    comparison = compare({"prd": base, "dev": env}, "prd")
    # --objects indexes: the column findings are left out, the columns stay known.
    comparison.findings = [f for f in comparison.findings if f.column is None]
    plan = plan_env(comparison, "dev", parse_target("mariadb:10.11"), PlanOptions())
    c = by_table(plan)["c"]
    assert c.steps == [] and [(h.why, str(h.detail)) for h in c.held] == [
        ("needs_column", "the env has no column newcol; compare and migrate with --objects "
                         "columns (or all) to add it first")]
    up = build_script(plan, comparison, PlanOptions()).up_text()
    assert "-- missing ix_new: NOT APPLIED: the env has no column newcol" in up
    assert "ADD INDEX" not in up
    # With the column findings the column comes first, in the same ALTER TABLE.
    comparison = compare({"prd": base, "dev": env}, "prd")
    plan = plan_env(comparison, "dev", parse_target("mariadb:10.11"), PlanOptions())
    up = build_script(plan, comparison, PlanOptions()).up_text()
    assert ("ALTER TABLE `c`\n  ADD COLUMN `newcol` int NULL DEFAULT NULL AFTER `id`,\n"
            "  ADD INDEX `ix_new` (`newcol`);") in up


def test_a_foreign_key_whose_parent_is_missing_or_unkeyed_is_held():
    key = ForeignKey("c", "fk_gone", ("pid",), "gone", ("id",))
    key2 = ForeignKey("c", "fk_p", ("code",), "p", ("code",))
    base = snapshot("mariadb", table("p", pk("p", "id"), ix("p", "ix_code", "code", visible=False)),
                    table("gone", pk("gone", "id")),
                    table("c", ix("c", "ix_pid", "pid"), ix("c", "ix_code", "code"),
                          fks=[key, key2]))
    env = snapshot("mariadb", table("p", pk("p", "id")),
                   table("c", ix("c", "ix_pid", "pid"), ix("c", "ix_code", "code")),
                   version="10.5.0")
    _, plan = plan_of(base, env)
    tables = by_table(plan)
    # The parent's index cannot be made (IGNORED needs 10.6), so the key has no parent key.
    assert [h.why for h in tables["p"].held] == ["unsupported"]
    assert {h.step.index_name: h.why for h in tables["c"].held} == {
        "fk_gone": "parent_missing", "fk_p": "needs_parent_key"}
    assert tables["c"].fk_add_steps == []
    assert [f.kind for f in plan.reported] == ["table_missing"]


def test_a_column_drop_a_foreign_key_needs_is_held():
    key = ForeignKey("c", "fk_p", ("pid",), "p", ("id",))
    base = snapshot("mariadb", table("p", pk("p", "id")),
                    table("c", pk("c", "id"), columns=[col("id", 1)]),
                    objects=frozenset({"columns"}))
    env = snapshot("mariadb", table("p", pk("p", "id")),
                   table("c", pk("c", "id"), ix("c", "ix_pid", "pid"), fks=[key],
                         columns=[col("id", 1), col("pid", 2)]),
                   objects=frozenset({"columns"}))
    comparison, plan = plan_of(base, env, drop_extra=True)
    c = by_table(plan)["c"]
    assert c.column_steps == []
    assert [(h.why, str(h.detail)) for h in c.column_held] == [
        ("fk_column", "foreign key fk_p uses column pid; with --objects foreign_keys (or all) "
                      "the migration can drop that key first")]
