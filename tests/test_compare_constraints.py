"""Foreign keys, CHECK constraints and table options in compare (issue 20): pairing by
name and by definition, what changes are listed, and nothing compared unless both
snapshots read the kind."""

from __future__ import annotations

from indexdrift.compare.tables import compare
from indexdrift.model.kinds import (
    CHECK_CHANGED,
    CHECK_EXTRA,
    CHECK_MISSING,
    CHECK_RENAMED,
    FOREIGN_KEY_CHANGED,
    FOREIGN_KEY_EXTRA,
    FOREIGN_KEY_MISSING,
    FOREIGN_KEY_RENAMED,
    OPTIONS_CHANGED,
)
from indexdrift.model.tables import CheckConstraint, ForeignKey, Snapshot, Table

ALL = frozenset({"foreign_keys", "checks", "options"})


def snap(name: str, fks=(), checks=None, options=None, objects=ALL, exact=False) -> Snapshot:
    table = Table("orders", foreign_keys=tuple(fks), checks=checks, options=options)
    return Snapshot(name, "shop", {"orders": table}, flavor="mariadb", objects=objects)


def fk(name, cols=("customer_id",), ref="customers", ref_cols=("id",), **kw) -> ForeignKey:
    return ForeignKey("orders", name, tuple(cols), ref, tuple(ref_cols), **kw)


def run(base: Snapshot, env: Snapshot):
    return compare({"prd": base, "dev": env}, "prd").findings


def test_foreign_keys_missing_extra_changed_renamed():
    base = snap("prd", [fk("fk_cust"), fk("fk_a", ("a",), "t_a"), fk("fk_b", ("b",), "t_b"),
                        fk("fk_case", ("c",), "t_c")])
    env = snap("dev", [fk("fk_cust", on_delete="CASCADE"), fk("fk_a_old", ("a",), "t_a"),
                       fk("fk_x", ("x",), "t_x"), fk("FK_CASE", ("C",), "T_C")])
    found = {(f.kind, f.constraint): f.changes for f in run(base, env)}
    assert found == {(FOREIGN_KEY_CHANGED, "fk_cust"): ["on_delete"],
                     (FOREIGN_KEY_RENAMED, "fk_a"): ["name"],
                     (FOREIGN_KEY_MISSING, "fk_b"): [],
                     (FOREIGN_KEY_EXTRA, "fk_x"): []}


def test_foreign_key_case_counts_where_the_flavor_keeps_it():
    base = snap("prd", [fk("fk_c", ("c",), "t", exact_name=True)])
    env = snap("dev", [fk("fk_c", ("C",), "t", exact_name=True)])
    assert [(f.kind, f.changes) for f in run(base, env)] == [(FOREIGN_KEY_CHANGED, ["columns"])]


def test_checks_and_options():
    base = snap("prd", checks={"ck_qty": CheckConstraint("orders", "ck_qty", "`qty` > 0"),
                               "ck_a": CheckConstraint("orders", "ck_a", "`a` < 5"),
                               "ck_b": CheckConstraint("orders", "ck_b", "`b` < 5")},
                options={"engine": "InnoDB", "comment": "orders", "row_format": ""})
    env = snap("dev", checks={"ck_qty": CheckConstraint("orders", "ck_qty", "`qty` >= 0"),
                              "ck_a2": CheckConstraint("orders", "ck_a2", "`a` < 5"),
                              "ck_z": CheckConstraint("orders", "ck_z", "`z` < 5")},
               options={"engine": "InnoDB", "comment": "old", "row_format": "DYNAMIC"})
    found = {(f.kind, f.constraint): f.changes for f in run(base, env)}
    assert found == {(CHECK_CHANGED, "ck_qty"): ["expression"],
                     (CHECK_RENAMED, "ck_a"): ["name"],
                     (CHECK_MISSING, "ck_b"): [], (CHECK_EXTRA, "ck_z"): [],
                     (OPTIONS_CHANGED, ""): ["comment", "row_format"]}


def test_nothing_compared_unless_both_read_it():
    base = snap("prd", [fk("fk_cust")], checks={}, options={"engine": "InnoDB"})
    env = snap("dev", [], checks=None, options={"engine": "MyISAM"},
               objects=frozenset({"options"}))
    assert [f.kind for f in run(base, env)] == [OPTIONS_CHANGED]
    assert run(base, snap("dev", objects=frozenset())) == []


def test_findings_name_their_object_kind():
    base = snap("prd", [fk("fk_cust")])
    env = snap("dev", [])
    assert [f.object_kind for f in run(base, env)] == ["foreign_keys"]
