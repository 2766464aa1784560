"""MySQL 8.0 and 5.7 catalog output (fixtures built from the manuals, see fixtures/README.md)."""

from __future__ import annotations

from pathlib import Path

from indexdrift.compare.tables import compare
from indexdrift.dialects.mysql.statistics_csv import read_csv

FIXTURES = Path(__file__).parent / "fixtures"


def load(name):
    return read_csv(str(FIXTURES / name))


def test_mysql8_columns_are_read():
    snap = load("mysql80_prd.tsv")
    assert snap.flavor == "mysql"
    users = snap.tables["users"].indexes
    assert users["idx_email_lower"].parts[0].column is None
    assert users["idx_email_lower"].parts[0].expression == "lower(`email`)"
    assert users["idx_created"].parts[0].descending
    assert not users["idx_status"].visible
    assert users["idx_name"].parts[0].sub_part == 10
    places = snap.tables["places"].indexes
    assert places["sp_location"].parts[0].sub_part is None  # SPATIAL sub_part ignored
    assert places["ft_body"].index_type == "FULLTEXT"
    assert users["idx_email_lower"].definition() == "((lower(`email`)))"
    assert users["idx_status"].definition() == "(status) COMMENT 'used by the admin list' INVISIBLE"


def test_mysql8_expression_desc_and_visibility_drift():
    comparison = compare({"prd": load("mysql80_prd.tsv"), "dev": load("mysql80_dev.tsv")}, "prd")
    found = {(f.index, f.kind, tuple(f.changes)) for f in comparison.findings}
    assert found == {
        ("idx_email_lower", "changed", ("expression",)),
        ("idx_created", "changed", ("descending",)),
        ("idx_status", "changed", ("visibility",)),
    }


def test_mysql57_against_mysql8():
    comparison = compare({"prd": load("mysql80_prd.tsv"), "stg": load("mysql57_stg.csv")}, "prd")
    found = {(f.index, f.kind, tuple(f.changes)) for f in comparison.findings}
    # 5.7 has no functional parts, never stores DESC and has no invisible indexes: all real drift.
    assert found == {
        ("idx_email_lower", "missing", ()),
        ("idx_created", "changed", ("descending",)),
        ("idx_status", "changed", ("visibility",)),
    }
