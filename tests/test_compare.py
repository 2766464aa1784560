"""Comparison semantics: every kind of finding, and no false drift."""

from __future__ import annotations

import random

from csvtools import BASE, stats_csv
from hypothesis import given, settings
from hypothesis import strategies as st

from indexdrift.compare.tables import compare
from indexdrift.dialects.mysql.statistics_csv import read_csv


def snap(tmp_path, rows, name, schema="shop"):
    path = tmp_path / f"{name}.csv"
    path.write_text(stats_csv(rows, schema=schema), encoding="utf-8")
    return read_csv(str(path))


def run(tmp_path, base_rows, env_rows, env_schema="shop_dev"):
    snaps = {"prd": snap(tmp_path, base_rows, "prd", "shop_prd"),
             "dev": snap(tmp_path, env_rows, "dev", env_schema)}
    return compare(snaps, "prd").findings


def replace(rows, index, new_rows):
    return [r for r in rows if r[1] != index] + new_rows


def kinds(findings):
    return sorted((f.kind, f.table, f.index) for f in findings)


def test_identical_schemas_under_different_schema_names_have_no_drift(tmp_path):
    assert run(tmp_path, BASE, BASE) == []


def test_missing_and_extra(tmp_path):
    env = [r for r in BASE if r[1] != "uq_email"] + [
        ("users", "idx_extra", 1, 1, "code", "A", None, "BTREE", "")]
    findings = run(tmp_path, BASE, env)
    assert kinds(findings) == [("extra", "users", "idx_extra"), ("missing", "users", "uq_email")]
    assert findings[0].schema == "shop_dev"


def test_renamed_index_is_one_finding(tmp_path):
    env = replace(BASE, "uq_email", [("users", "email_unique", 0, 1, "email", "A", None,
                                      "BTREE", "")])
    findings = run(tmp_path, BASE, env)
    assert kinds(findings) == [("renamed", "users", "uq_email")]
    assert findings[0].env_index_name == "email_unique"


def test_renamed_with_other_visibility_lists_it(tmp_path):
    env = replace(BASE, "idx_note", [("orders", "idx_note2", 1, 1, "note", "A", 20, "BTREE",
                                      "other")])
    (finding,) = run(tmp_path, BASE, env)
    assert finding.kind == "renamed" and finding.changes == ["name", "comment"]


def test_index_name_case_is_not_drift(tmp_path):
    env = [(t, i.upper() if i != "PRIMARY" else i, *rest) for t, i, *rest in BASE]
    assert run(tmp_path, BASE, env) == []


def test_column_name_case_is_not_drift(tmp_path):
    env = [(t, i, n, s, c.upper(), *rest) for t, i, n, s, c, *rest in BASE]
    assert run(tmp_path, BASE, env) == []


def _changed(tmp_path, env):
    (finding,) = run(tmp_path, BASE, env)
    assert finding.kind == "changed"
    return finding.changes


def test_changed_column_order(tmp_path):
    env = replace(BASE, "idx_tenant_code", [
        ("users", "idx_tenant_code", 1, 1, "code", "A", None, "BTREE", ""),
        ("users", "idx_tenant_code", 1, 2, "tenant_id", "A", None, "BTREE", "")])
    assert _changed(tmp_path, env) == ["column_order"]


def test_changed_columns(tmp_path):
    env = replace(BASE, "idx_tenant_code", [
        ("users", "idx_tenant_code", 1, 1, "tenant_id", "A", None, "BTREE", "")])
    assert _changed(tmp_path, env) == ["columns"]


def test_changed_uniqueness(tmp_path):
    env = replace(BASE, "uq_email", [("users", "uq_email", 1, 1, "email", "A", None, "BTREE",
                                      "")])
    assert _changed(tmp_path, env) == ["unique"]


def test_changed_prefix_length(tmp_path):
    env = replace(BASE, "idx_note", [("orders", "idx_note", 1, 1, "note", "A", 10, "BTREE",
                                      "search")])
    assert _changed(tmp_path, env) == ["prefix_length"]


def test_changed_desc(tmp_path):
    env = replace(BASE, "idx_user_created", [
        ("orders", "idx_user_created", 1, 1, "user_id", "A", None, "BTREE", ""),
        ("orders", "idx_user_created", 1, 2, "created_at", "A", None, "BTREE", "")])
    assert _changed(tmp_path, env) == ["descending"]


def test_changed_type_and_comment(tmp_path):
    env = replace(BASE, "idx_note", [("orders", "idx_note", 1, 1, "note", "A", 20, "HASH", "x")])
    assert _changed(tmp_path, env) == ["type", "comment"]


def test_table_missing_and_extra_are_one_finding_each(tmp_path):
    env = [r for r in BASE if r[0] != "orders"] + [
        ("tmp", "PRIMARY", 0, 1, "id", "A", None, "BTREE", ""),
        ("tmp", "ix", 1, 1, "a", "A", None, "BTREE", "")]
    assert kinds(run(tmp_path, BASE, env)) == [("table_extra", "tmp", None),
                                               ("table_missing", "orders", None)]


def test_table_name_case_matches_when_unambiguous(tmp_path):
    env = [("Users" if r[0] == "users" else r[0], *r[1:]) for r in BASE]
    assert run(tmp_path, BASE, env) == []


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_self_compare_is_empty_under_any_row_order(tmp_path_factory, rnd: random.Random):
    tmp = tmp_path_factory.mktemp("self")
    rows = list(BASE)
    rnd.shuffle(rows)
    assert run(tmp, BASE, rows) == []
