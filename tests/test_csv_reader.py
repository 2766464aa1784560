"""Reading STATISTICS exports: the forms people hand over, and clear errors."""

from __future__ import annotations

import pytest
from csvtools import BASE, HEADER, stats_csv

from indexdrift.core.errors import InputError
from indexdrift.dialects.mysql.statistics_csv import read_csv


def write(tmp_path, text: str, name: str = "indexes_prd.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_reads_indexes_parts_and_flags(tmp_path):
    snap = read_csv(write(tmp_path, stats_csv(BASE)))
    assert snap.schema == "shop"
    assert set(snap.tables) == {"users", "orders"}
    ix = snap.tables["orders"].indexes["idx_user_created"]
    assert [p.column for p in ix.parts] == ["user_id", "created_at"]
    assert [p.descending for p in ix.parts] == [False, True]
    assert snap.tables["orders"].indexes["idx_note"].parts[0].sub_part == 20
    assert snap.tables["orders"].indexes["idx_note"].comment == "search"
    assert snap.tables["users"].indexes["primary"].primary
    assert snap.tables["users"].indexes["uq_email"].unique


def test_row_order_does_not_matter(tmp_path):
    a = read_csv(write(tmp_path, stats_csv(BASE), "a.csv"))
    b = read_csv(write(tmp_path, stats_csv(list(reversed(BASE))), "b.csv"))
    for name, table in a.tables.items():
        assert {k: v.full_key() for k, v in table.indexes.items()} == \
               {k: v.full_key() for k, v in b.tables[name].indexes.items()}


def test_lowercase_headers_tabs_and_mysql_batch_nulls(tmp_path):
    lines = stats_csv(BASE).splitlines()
    lines[0] = lines[0].lower()
    text = "\n".join(line.replace(",", "\t").replace("NULL", "\\N") for line in lines) + "\n"
    snap = read_csv(write(tmp_path, text, "x.tsv"))
    assert snap.tables["orders"].indexes["idx_user_created"].parts[1].descending
    assert snap.tables["users"].indexes["uq_email"].parts[0].sub_part is None


def test_mysql_batch_escapes_are_undone_in_tsv(tmp_path):
    lines = [HEADER.replace(",", "\t"),
             "shop\tt\t1\tix\t1\tc\tA\t1\t\\N\tBTREE\tback\\\\slash\\ttab"]
    snap = read_csv(write(tmp_path, "\n".join(lines) + "\n", "x.tsv"))
    assert snap.tables["t"].indexes["ix"].comment == "back\\slash\ttab"


def test_empty_sub_part_is_null(tmp_path):
    text = stats_csv(BASE).replace("NULL", "")
    snap = read_csv(write(tmp_path, text))
    assert snap.tables["users"].indexes["uq_email"].parts[0].sub_part is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr"])
def test_korean_text_in_every_supported_encoding(tmp_path, encoding):
    rows = BASE + [("회원", "idx_이름", 1, 1, "이름", "A", None, "BTREE", "이름 검색")]
    snap = read_csv(write(tmp_path, stats_csv(rows), encoding=encoding))
    ix = snap.tables["회원"].indexes["idx_이름"]
    assert ix.parts[0].column == "이름" and ix.comment == "이름 검색"


def test_cardinality_nullable_packed_are_ignored(tmp_path):
    header = HEADER + ",NULLABLE,PACKED"
    a = stats_csv(BASE, header=header).splitlines()
    a = [a[0]] + [line + ",YES," for line in a[1:]]
    b = [line.replace(",YES,", ",,NULL") for line in a]
    sa = read_csv(write(tmp_path, "\n".join(a) + "\n", "a.csv"))
    sb = read_csv(write(tmp_path, "\n".join(b) + "\n", "b.csv"))
    assert sa.tables["users"].indexes["uq_email"].equals(sb.tables["users"].indexes["uq_email"])


def test_missing_required_column_names_file_line_and_column(tmp_path):
    text = stats_csv(BASE).replace("SUB_PART,", "")
    path = write(tmp_path, "\n".join(line for line in text.splitlines()) + "\n")
    with pytest.raises(InputError) as err:
        read_csv(path)
    assert err.value.line == 1 and err.value.column == "SUB_PART"
    assert path in str(err.value)


def test_non_numeric_seq_in_index(tmp_path):
    rows = list(BASE)
    rows[3] = ("users", "idx_tenant_code", 1, "two", "code", "A", None, "BTREE", "")
    with pytest.raises(InputError) as err:
        read_csv(write(tmp_path, stats_csv(rows)))
    assert (err.value.line, err.value.column) == (5, "SEQ_IN_INDEX")
    assert "'two' is not a whole number" in str(err.value)


def test_duplicated_key_part_position(tmp_path):
    rows = BASE + [("users", "idx_tenant_code", 1, 2, "other", "A", None, "BTREE", "")]
    with pytest.raises(InputError) as err:
        read_csv(write(tmp_path, stats_csv(rows)))
    assert err.value.column == "SEQ_IN_INDEX" and "appears twice" in str(err.value)
    assert err.value.line in (5, 10)


def test_missing_key_part_position(tmp_path):
    rows = [r for r in BASE if not (r[1] == "idx_tenant_code" and r[3] == 1)]
    with pytest.raises(InputError) as err:
        read_csv(write(tmp_path, stats_csv(rows)))
    assert "no key part at position 1" in str(err.value) and err.value.line == 4


def test_unreadable_encoding_names_line_and_column(tmp_path):
    good = stats_csv(BASE).encode()
    bad = good + b"shop,t,1,ix,1,\xff\xfe\xff,A,1,NULL,BTREE,\n"
    path = tmp_path / "bad.csv"
    path.write_bytes(bad)
    with pytest.raises(InputError) as err:
        read_csv(str(path))
    assert err.value.line == len(BASE) + 2
    assert err.value.column == "COLUMN_NAME"


def test_several_schemas_need_a_pick(tmp_path):
    text = stats_csv(BASE) + stats_csv(BASE, schema="other").split("\n", 1)[1]
    path = write(tmp_path, text)
    with pytest.raises(InputError, match="more than one schema"):
        read_csv(path)
    snap = read_csv(path + "#other")
    assert snap.schema == "other" and set(snap.tables) == {"users", "orders"}


def test_spatial_sub_part_and_rtree_spelling_are_ignored(tmp_path):
    a = [("geo", "sp", 1, 1, "g", "A", 32, "SPATIAL", "")]
    b = [("geo", "sp", 1, 1, "g", "A", None, "RTREE", "")]
    sa = read_csv(write(tmp_path, stats_csv(a), "a.csv"))
    sb = read_csv(write(tmp_path, stats_csv(b), "b.csv"))
    assert sa.tables["geo"].indexes["sp"].equals(sb.tables["geo"].indexes["sp"])
