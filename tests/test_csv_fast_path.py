"""The CSV reader's cell-level fast path builds exactly what the general row path builds.

Random STATISTICS exports — plain rows and the unusual ones the fast path hands over
(prefixes up to the largest any server allows, lower-case or padded values, escapes in TSV, RTREE
with SUB_PART, expressions, shuffled rows) — are read by ``read_csv`` and, separately,
fed row by row to ``StatisticsBuilder``; the two snapshots must be identical.
"""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexdrift.dialects.mysql.statistics import StatisticsBuilder, StatRow
from indexdrift.dialects.mysql.statistics_csv import read_csv
from indexdrift.model.tables import Snapshot

COLUMNS = ("id", "tenant_id", "code", "Email", "created_at", "이름", "a\\b", "x,y", 'q"t')
TYPES = ("BTREE", "BTREE", "BTREE", "HASH", "FULLTEXT", "SPATIAL", "RTREE", None)


@st.composite
def indexes(draw, layout):
    """One index: its name, NON_UNIQUE, type, comment, visibility and key parts."""
    n_parts = draw(st.integers(1, 4))
    parts = []
    for _ in range(n_parts):
        expression = None
        column = draw(st.sampled_from(COLUMNS))
        if layout["expression"] and draw(st.booleans()) and draw(st.booleans()):
            column, expression = None, draw(st.sampled_from(("lower(`email`)", "(a + b)")))
        sub_part = draw(st.one_of(st.none(), st.integers(1, 3072)))
        collation = draw(st.sampled_from(("A", "D", "d", None)))
        parts.append((column, expression, sub_part, collation))
    return {
        "name": draw(st.sampled_from(("PRIMARY", "uq_code", "idx_a", "IDX_b", "ix\\t"))),
        "non_unique": draw(st.sampled_from((0, 1))),
        "type": draw(st.sampled_from(TYPES)),
        "comment": draw(st.sampled_from(("", "", "메모", "it's", "back\\slash", "tab\there"))),
        "visible": draw(st.booleans()),
        "parts": parts,
    }


@st.composite
def exports(draw):
    """A layout (CSV or TSV, optional columns) and rows of several tables."""
    layout = {"tsv": draw(st.booleans()), "expression": draw(st.booleans()),
              "visibility": draw(st.sampled_from((None, "IS_VISIBLE", "IGNORED")))}
    tables = {}
    for t in range(draw(st.integers(1, 6))):
        found = {}
        for index in draw(st.lists(indexes(layout), max_size=4)):
            found.setdefault(index["name"].lower(), index)
        # one table name that needs escaping in TSV (backslash and tab)
        tables["t\\1\tx" if t == 1 else f"t{t}"] = list(found.values())
    shuffle = draw(st.randoms(use_true_random=False))
    return layout, tables, shuffle


def _rows(layout, tables):
    for table, found in tables.items():
        for index in found:
            for seq, (column, expression, sub_part, collation) in enumerate(index["parts"], 1):
                yield table, index, seq, column, expression, sub_part, collation


def _text(layout, rows) -> str:
    header = ["TABLE_SCHEMA", "TABLE_NAME", "INDEX_NAME", "NON_UNIQUE", "SEQ_IN_INDEX",
              "COLUMN_NAME", "COLLATION", "INDEX_TYPE", "SUB_PART", "INDEX_COMMENT"]
    if layout["expression"]:
        header.append("EXPRESSION")
    if layout["visibility"]:
        header.append(layout["visibility"])
    lines = [header]
    for table, index, seq, column, expression, sub_part, collation in rows:
        flag = index["visible"] if layout["visibility"] == "IS_VISIBLE" else not index["visible"]
        cells = ["shop", table, index["name"], str(index["non_unique"]), str(seq), column,
                 collation, index["type"], None if sub_part is None else str(sub_part),
                 index["comment"]]
        if layout["expression"]:
            cells.append(expression)
        if layout["visibility"]:
            cells.append("YES" if flag else "NO")
        lines.append(cells)
    out = io.StringIO()
    if layout["tsv"]:
        def cell(value):
            if value is None:
                return "NULL"
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        out.write("".join("\t".join(cell(v) for v in line) + "\n" for line in lines))
    else:
        csv.writer(out, lineterminator="\n").writerows(
            [["NULL" if v is None else v for v in line] for line in lines])
    return out.getvalue()


def _general(layout, tables) -> Snapshot:
    snapshot = Snapshot(source="general", schema="shop")
    builder = StatisticsBuilder(snapshot, "general")
    for table, index, seq, column, expression, sub_part, collation in _rows(layout, tables):
        visible = index["visible"] if layout["visibility"] else True
        builder.add(StatRow(table, index["name"], bool(index["non_unique"]), seq, column,
                            collation, index["type"], sub_part, index["comment"] or None,
                            visible, expression if layout["expression"] else None))
    return builder.build()


def _model(snapshot: Snapshot) -> dict:
    return {name: {key: (index.name, index.full_key()) for key, index in table.indexes.items()}
            for name, table in snapshot.tables.items()}


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(exports())
def test_fast_path_builds_what_the_general_path_builds(tmp_path, export):
    layout, tables, shuffle = export
    rows = list(_rows(layout, tables))
    assume(rows)  # a file with no rows is refused (no tables), on either path
    shuffle.shuffle(rows)
    path = tmp_path / ("indexes.tsv" if layout["tsv"] else "indexes.csv")
    path.write_text(_text(layout, rows), encoding="utf-8")
    read = read_csv(str(path))
    expected = _general(layout, tables)
    assert _model(read) == _model(expected)
    assert set(read.tables) == {t for t, found in tables.items() if found}
