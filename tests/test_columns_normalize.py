"""Column normalisation: MySQL 8 and MariaDB spell the same definition differently."""

from __future__ import annotations

import csv
from pathlib import Path

from indexdrift.compare.columns import compare_columns
from indexdrift.dialects.mysql.columns import FIELDS, columns_from_rows
from indexdrift.model.column_text import canonical_expression, normalize_default
from indexdrift.model.tables import Column, type_without_width

FIXTURES = Path(__file__).parent / "fixtures" / "columns"


def load(name: str, flavor: str) -> dict:
    with open(FIXTURES / name, encoding="utf-8", newline="") as fh:
        rows = [tuple(None if r[f] == "NULL" else r[f] for f in FIELDS)
                for r in csv.DictReader(fh, delimiter="\t")]
    return columns_from_rows(rows, flavor)["t"]


def test_mysql8_and_mariadb_spellings_of_one_table_compare_equal():
    mysql, maria = load("mysql80.tsv", "mysql"), load("mariadb1011.tsv", "mariadb")
    assert compare_columns(mysql, maria) == []
    assert compare_columns(maria, mysql) == []


def test_defaults_are_normalised_to_sql_text():
    mysql = load("mysql80.tsv", "mysql")
    assert mysql["code"].default == "'x'"
    assert mysql["it"].default == "'it''s'"
    assert mysql["is_closed"].default == "0"
    assert mysql["note"].default == "NULL"  # nullable without default = DEFAULT NULL
    assert mysql["id"].default is None  # NOT NULL without default
    assert mysql["created_at"].default == "CURRENT_TIMESTAMP"
    assert mysql["created_at"].on_update == "CURRENT_TIMESTAMP"


def test_current_timestamp_spellings():
    assert canonical_expression("current_timestamp()") == "CURRENT_TIMESTAMP"
    assert canonical_expression("now()") == "CURRENT_TIMESTAMP"
    assert canonical_expression("current_timestamp(3)") == "CURRENT_TIMESTAMP(3)"


def test_mariadb_null_word_is_default_null_not_a_string():
    assert normalize_default("NULL", flavor="mariadb", data_type="varchar", nullable=True,
                             extra="") == "NULL"
    assert normalize_default("'NULL'", flavor="mariadb", data_type="varchar", nullable=True,
                             extra="") == "'NULL'"


def test_display_width_ignored_but_tinyint1_kept():
    assert type_without_width("int(11) unsigned") == "int unsigned"
    assert type_without_width("tinyint(1)") == "tinyint(1)"
    assert type_without_width("tinyint(4)") == "tinyint"


def col(name, pos, **kw) -> Column:
    return Column(name=name, position=pos, column_type=kw.pop("t", "int"),
                  nullable=kw.pop("nullable", True), **kw)


def test_changed_missing_extra_and_moved_columns():
    base = {c.name_key: c for c in [col("a", 1), col("b", 2), col("c", 3), col("d", 4),
                                    col("f", 5)]}
    env = {c.name_key: c for c in [col("a", 1), col("c", 2), col("f", 3),
                                   col("b", 4, t="bigint"), col("e", 5)]}
    got = {(d.kind, d.column): d.changes for d in compare_columns(base, env)}
    assert got == {("column_changed", "b"): ["type", "position"],
                   ("column_missing", "d"): [], ("column_extra", "e"): []}


def test_rename_is_one_changed_finding():
    base = {c.name_key: c for c in [col("a", 1), col("new_name", 2, comment="x")]}
    env = {c.name_key: c for c in [col("a", 1), col("old_name", 2, comment="x")]}
    diffs = compare_columns(base, env)
    assert [(d.kind, d.column, d.changes) for d in diffs] == [
        ("column_changed", "new_name", ["name"])]
