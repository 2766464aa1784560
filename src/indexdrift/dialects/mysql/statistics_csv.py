"""Read CSV/TSV exports of ``information_schema.STATISTICS``.

Accepts what people actually hand over: headers in any case, comma or tab separated
(``mysql -B -e`` output with its backslash escapes too), ``NULL``/``\\N``/empty as null,
UTF-8 with or without BOM, and CP949/EUC-KR as saved by Korean Excel. Rows are
streamed, so a very large export does not have to fit in memory as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from indexdrift.core.errors import InputError, NoTablesInput
from indexdrift.core.gcpause import gc_paused
from indexdrift.core.i18n import Message
from indexdrift.core.limits import clip, excerpt, limit
from indexdrift.dialects.mysql.statistics import MAX_KEY_PARTS, MAX_PREFIX, StatRow
from indexdrift.dialects.mysql.statistics_cells import (
    NULLS,
    TAKEN,
    YES_NO,
    CellColumns,
    CellIndexBuilder,
)
from indexdrift.model.tables import Snapshot
from indexdrift.sources import csvscan
from indexdrift.sources.csvtext import (
    ENCODINGS,
    locate_bad_bytes,
    no_rows,
    schema_not_found,
    several_schemas,
    split_schema,
    unescape_tsv,
    whole_number,
)
from indexdrift.sources.sqlcells import MYSQL, expression_problem
from indexdrift.sources.tableshare import TableShare

REQUIRED = ("TABLE_SCHEMA", "TABLE_NAME", "INDEX_NAME", "NON_UNIQUE", "SEQ_IN_INDEX",
            "COLUMN_NAME", "COLLATION", "INDEX_TYPE", "SUB_PART")
OPTIONAL = ("INDEX_COMMENT", "IS_VISIBLE", "EXPRESSION", "IGNORED")
_COLLATIONS = ("A", "D")


class _Reader:
    """One pass over the file in one encoding."""

    def __init__(self, path: Path, shown: str, encoding: str) -> None:
        self.path = path
        self.shown = shown
        self.encoding = encoding
        self.positions: dict[str, int] = {}
        self.tsv = False

    def header(self, fh) -> tuple[Iterator[list[str]], int]:
        """The ``csv.reader`` of the open file ``fh`` past its header, and the header's
        width (every row's).

        Once the header is read, ``positions`` maps each wanted column to its cell and
        ``tsv`` says whether cells carry ``mysql --batch`` escapes.
        """
        shown = self.shown
        first = fh.readline(limit("line_bytes") + 1)
        if not first.strip():
            raise InputError(shown, Message("error.csv.empty"), 1)
        fh.seek(0)
        tsv = "\t" in first
        reader = csvscan.reader(fh, tsv=tsv)
        try:
            header = next(reader)
        except csv.Error as exc:
            raise csvscan.failure(exc, self.path, shown, self.encoding, 1,
                                  reader.line_num) from None
        csvscan.check_header(header, shown)
        names = [h.strip().lstrip("\ufeff").upper() for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise InputError(shown, Message("error.csv.missing_columns",
                                             columns=", ".join(missing),
                                             header=clip(", ".join(names))),
                             1, missing[0])
        self.positions = {n: i for i, n in enumerate(names)
                          if n in REQUIRED or n in OPTIONAL}
        self.tsv = tsv
        return reader, len(names)


def _int(value: str | None, path: str, line: int, column: str, *, required: bool) -> int | None:
    if value is None:
        if required:
            raise InputError(path, Message("error.csv.required"), line, column)
        return None
    try:
        return whole_number(value)
    except ValueError:
        raise InputError(path, Message("error.csv.not_number", value=excerpt(value)), line,
                         column) from None


def _yes_no(value: str | None, path: str, line: int, column: str) -> bool | None:
    found = YES_NO.get(value)  # type: ignore[arg-type]
    if found is not None:
        return found
    if value is None:
        return None
    text = value.strip().upper()
    if text in ("YES", "1", "TRUE"):
        return True
    if text in ("NO", "0", "FALSE"):
        return False
    raise InputError(path, Message("error.csv.not_yes_no", value=excerpt(value)), line,
                     column)


def read_csv(spec: str, *, display: str | None = None,
             share: TableShare | None = None) -> Snapshot:
    """Read a STATISTICS export (``path`` or ``path#schema``) into a Snapshot.

    ``share``: the run's tables by their cells; a table whose cells an earlier env of the
    run had is that env's table object (``CellIndexBuilder``, ``sources/tableshare.py``).
    """
    path_text, wanted_schema = split_schema(spec)
    path = Path(path_text)
    shown = display or path_text
    if not path.is_file():
        raise InputError(shown, Message("error.no_such_file"))
    csvscan.scan_file(path, shown)
    last_error: UnicodeDecodeError | None = None
    for encoding in ENCODINGS:
        try:
            with gc_paused():
                try:
                    return _read(path, shown, encoding, wanted_schema, share)
                except _Scattered:
                    return _read(path, shown, encoding, wanted_schema, share, whole=True)
        except UnicodeDecodeError as exc:
            last_error = exc
    line, column = locate_bad_bytes(path)
    raise InputError(shown, Message("error.csv.encoding", reason=last_error.reason
                                     if last_error else "undecodable bytes"),
                     line, column)


class _Scattered(Exception):
    """A table's rows are not side by side: they cannot be built table by table."""


def _read(path: Path, shown: str, encoding: str, wanted_schema: str | None,
          share: TableShare | None = None, *, whole: bool = False) -> Snapshot:
    schemas: set[str] = set()
    snapshot = Snapshot(source=shown, schema=wanted_schema)
    tables = snapshot.tables
    source = _Reader(path, shown, encoding)
    current_schema: str | None = None  # stays None while no row has been read
    with path.open("r", encoding=encoding, newline="") as fh:
        reader, width = source.header(fh)
        pos = source.positions
        tsv = source.tsv
        cells_builder = CellIndexBuilder(snapshot, shown, CellColumns(pos),
                                         _row_converter(pos, shown, tsv), escaped=tsv,
                                         share=share)
        rows_of = cells_builder.rows_of
        # With a share, each table is built as soon as its rows are all read: rows come
        # grouped by table, and a file whose tables are scattered is read again without
        # (read_csv).
        stream = share is not None and not whole
        take = cells_builder.take
        p_schema, p_table = pos["TABLE_SCHEMA"], pos["TABLE_NAME"]
        skipping = False
        # The row's table cell as last seen, the table's name and rows: rows come grouped
        # by table, so most rows only compare one cell with the row before (a different
        # text takes the checks and the lookup below).
        seen_table: object = None
        name = ""
        rows: list = []
        end = reader.line_num
        # This loop runs once per key part (hundreds of thousands of rows): it only
        # groups the raw cells by table; values are parsed once per index when built.
        try:
            for cells in reader:
                line = end + 1  # where the row starts (a quoted cell may span lines)
                end = reader.line_num
                if len(cells) != width:
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue
                    raise InputError(shown, Message("error.csv.fields", width=width,
                                                     found=len(cells)), line)
                cells.append(line)  # type: ignore[arg-type]
                schema = cells[p_schema]
                if schema != current_schema:
                    value = _cell(schema, tsv)
                    if value is None:
                        raise InputError(shown, Message("error.csv.required"), line,
                                         "TABLE_SCHEMA")
                    schemas.add(value)
                    if wanted_schema is None and len(schemas) > 1:
                        raise InputError(shown, several_schemas(schemas, str(path)), line,
                                         "TABLE_SCHEMA")
                    current_schema = schema
                    skipping = wanted_schema is not None and value != wanted_schema
                if skipping:
                    continue
                table = cells[p_table]
                if table != seen_table:
                    seen_table = table
                    last = name
                    name = table
                    # A raw NULL spelling stays as it is, so the check below sees it.
                    if tsv and "\\" in name and name not in NULLS:
                        name = unescape_tsv(name)
                    if name in NULLS:
                        raise InputError(shown, Message("error.csv.required"), line,
                                         "TABLE_NAME")
                    found = rows_of.get(name)
                    if found is None:
                        if stream and rows:
                            # The table before is whole: built (or found in the share)
                            # now, its rows dropped while they are fresh in memory.
                            take(last, rows)
                            rows_of[last] = TAKEN
                        found = rows_of[name] = []
                        tables[name] = None  # type: ignore[assignment]  # built later
                    elif name != last:
                        if stream:
                            raise _Scattered
                        cells_builder.scattered = True
                    rows = found
                rows.append(cells)
        except csv.Error as exc:
            raise csvscan.failure(exc, path, shown, encoding, end + 1,
                                  reader.line_num) from None
    if current_schema is None:
        # The header still tells the flavor (the columns each server's view has).
        header = source.positions or {}
        snapshot.flavor = ("mysql" if "EXPRESSION" in header or "IS_VISIBLE" in header
                           else "mariadb" if "IGNORED" in header else None)
        raise NoTablesInput(shown, no_rows(), snapshot)
    cells_builder.build()
    if wanted_schema is not None and wanted_schema not in schemas:
        raise InputError(shown, schema_not_found(wanted_schema, schemas))
    if len(schemas) == 1:
        snapshot.schema = next(iter(schemas))
    if "EXPRESSION" in pos or "IS_VISIBLE" in pos:  # the flavor is told only from rows
        snapshot.flavor = "mysql"
    elif "IGNORED" in pos:
        snapshot.flavor = "mariadb"
    return snapshot


def _cell(raw: str, tsv: bool) -> str | None:
    """One cell's value: None for NULL/\\N/empty, ``mysql --batch`` escapes undone."""
    if raw in NULLS:
        return None
    return unescape_tsv(raw) if tsv else raw


def _row_converter(pos: dict[str, int], shown: str, tsv: bool):
    """A function turning one cell row into a fully checked StatRow (the general path)."""
    p_table, p_index, p_seq = pos["TABLE_NAME"], pos["INDEX_NAME"], pos["SEQ_IN_INDEX"]
    p_non_unique, p_column = pos["NON_UNIQUE"], pos["COLUMN_NAME"]
    p_collation, p_type, p_sub_part = pos["COLLATION"], pos["INDEX_TYPE"], pos["SUB_PART"]
    p_visible, p_ignored = pos.get("IS_VISIBLE"), pos.get("IGNORED")
    p_comment, p_expression = pos.get("INDEX_COMMENT"), pos.get("EXPRESSION")

    def convert(cells: list, line: int) -> StatRow:
        values = [_cell(c, tsv) for c in cells[:-1]]
        seq = _int(values[p_seq], shown, line, "SEQ_IN_INDEX", required=True)
        if seq is not None and not 1 <= seq <= MAX_KEY_PARTS:
            raise InputError(shown, Message("error.csv.key_part", value=excerpt(seq),
                                             most=MAX_KEY_PARTS), line, "SEQ_IN_INDEX")
        non_unique = _int(values[p_non_unique], shown, line, "NON_UNIQUE", required=True)
        if non_unique not in (0, 1):
            raise InputError(shown, Message("error.csv.zero_one", value=excerpt(non_unique)),
                             line, "NON_UNIQUE")
        visible = True
        if p_visible is not None:
            flag = _yes_no(values[p_visible], shown, line, "IS_VISIBLE")
            visible = True if flag is None else flag
        if p_ignored is not None:
            flag = _yes_no(values[p_ignored], shown, line, "IGNORED")
            visible = visible and not flag
        collation = values[p_collation]
        if collation is not None and collation.strip().upper() not in _COLLATIONS:
            raise InputError(shown, Message("error.csv.collation", value=excerpt(collation)),
                             line, "COLLATION")
        sub_part = _int(values[p_sub_part], shown, line, "SUB_PART", required=False)
        if sub_part is not None and not 1 <= sub_part <= MAX_PREFIX:
            raise InputError(shown, Message("error.csv.prefix", value=excerpt(sub_part),
                                             most=MAX_PREFIX), line, "SUB_PART")
        expression = values[p_expression] if p_expression is not None else None
        if expression is not None:
            problem = expression_problem(expression, MYSQL)
            if problem is not None:
                raise InputError(shown, f"{excerpt(expression)} {problem}", line,
                                 "EXPRESSION")
        return StatRow(
            values[p_table], values[p_index], bool(non_unique), seq,  # type: ignore[arg-type]
            values[p_column], collation, values[p_type], sub_part,
            values[p_comment] if p_comment is not None else None,
            visible,
            expression,
            line,
        )

    return convert
