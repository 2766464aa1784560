"""Read CSV/TSV exports of ``information_schema.STATISTICS``.

Accepts what people actually hand over: headers in any case, comma or tab separated
(``mysql -B -e`` output with its backslash escapes too), ``NULL``/``\\N``/empty as null,
UTF-8 with or without BOM, and CP949/EUC-KR as saved by Korean Excel. Rows are
streamed, so a very large export does not have to fit in memory as text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from indexdrift.errors import InputError
from indexdrift.model import Snapshot
from indexdrift.sources.statistics import StatisticsBuilder, StatRow

REQUIRED = ("TABLE_SCHEMA", "TABLE_NAME", "INDEX_NAME", "NON_UNIQUE", "SEQ_IN_INDEX",
            "COLUMN_NAME", "COLLATION", "INDEX_TYPE", "SUB_PART")
OPTIONAL = ("INDEX_COMMENT", "IS_VISIBLE", "EXPRESSION", "IGNORED")
ENCODINGS = ("utf-8-sig", "cp949")
_NULLS = {"", "NULL", "\\N"}
_TSV_ESCAPES = re.compile(r"\\(.)")
_TSV_MAP = {"t": "\t", "n": "\n", "r": "\r", "0": "\0", "\\": "\\", "Z": "\x1a"}

csv.field_size_limit(16 * 1024 * 1024)


def _unescape_tsv(value: str) -> str:
    """Undo the backslash escapes of ``mysql --batch`` output."""
    if "\\" not in value:
        return value
    return _TSV_ESCAPES.sub(lambda m: _TSV_MAP.get(m.group(1), m.group(1)), value)


def split_schema(spec: str) -> tuple[str, str | None]:
    """Split ``file.csv#schema`` into the path and the schema to pick (or None)."""
    path, sep, schema = spec.partition("#")
    return path, (schema or None) if sep else None


def _locate_bad_bytes(path: Path, delimiter: str) -> tuple[int, str | None]:
    """Find the first line no supported encoding decodes, and the column it falls in."""
    header: list[str] | None = None
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
                if header is None:
                    header = raw.decode("utf-8-sig").rstrip("\r\n").split(delimiter)
                continue
            except UnicodeDecodeError as exc:
                if header is None:
                    return number, None
                cells = raw[: exc.start].count(delimiter.encode())
                return number, header[cells].strip().upper() if cells < len(header) else None
    return 1, None


class _Reader:
    """One pass over the file in one encoding."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path = path
        self.encoding = encoding

    def rows(self) -> Iterator[tuple[int, dict[str, str | None], str]]:
        """Yield (line number, {COLUMN: value}, delimiter) for every data row."""
        with self.path.open("r", encoding=self.encoding, newline="") as fh:
            first = fh.readline()
            if not first.strip():
                raise InputError(str(self.path), "the file is empty (no header row)", 1)
            delimiter = "\t" if "\t" in first else ","
            fh.seek(0)
            if self.encoding == "utf-8-sig":
                # seek(0) resets the BOM-skipping decoder state correctly for utf-8-sig
                pass
            tsv = delimiter == "\t"
            reader = csv.reader(fh, delimiter=delimiter,
                                quoting=csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL)
            try:
                header = next(reader)
            except csv.Error as exc:
                raise InputError(str(self.path), f"unreadable header: {exc}", 1) from None
            names = [h.strip().lstrip("\ufeff").upper() for h in header]
            missing = [c for c in REQUIRED if c not in names]
            if missing:
                raise InputError(str(self.path), "missing required column(s) "
                                 + ", ".join(missing) + " (header: " + ", ".join(names) + ")",
                                 1, missing[0])
            wanted = {n: i for i, n in enumerate(names) if n in REQUIRED or n in OPTIONAL}
            width = len(names)
            line_start = 2
            try:
                for cells in reader:
                    line = line_start
                    line_start = reader.line_num + 1
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue
                    if len(cells) != width:
                        raise InputError(str(self.path), f"expected {width} fields, found "
                                         f"{len(cells)}", line)
                    row: dict[str, str | None] = {}
                    for name, i in wanted.items():
                        value = cells[i]
                        if value in _NULLS:
                            row[name] = None
                        else:
                            row[name] = _unescape_tsv(value) if tsv else value
                    yield line, row, delimiter
            except csv.Error as exc:
                raise InputError(str(self.path), f"malformed CSV: {exc}",
                                 reader.line_num) from None


def _int(value: str | None, path: str, line: int, column: str, *, required: bool) -> int | None:
    if value is None:
        if required:
            raise InputError(path, "a value is required here", line, column)
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise InputError(path, f"{value!r} is not a whole number", line, column) from None


def _yes_no(value: str | None, path: str, line: int, column: str) -> bool | None:
    if value is None:
        return None
    text = value.strip().upper()
    if text in ("YES", "1", "TRUE"):
        return True
    if text in ("NO", "0", "FALSE"):
        return False
    raise InputError(path, f"{value!r} is not YES or NO", line, column)


def read_csv(spec: str, *, display: str | None = None) -> Snapshot:
    """Read a STATISTICS export (``path`` or ``path#schema``) into a Snapshot."""
    path_text, wanted_schema = split_schema(spec)
    path = Path(path_text)
    shown = display or path_text
    if not path.is_file():
        raise InputError(shown, "no such file")
    last_error: UnicodeDecodeError | None = None
    for encoding in ENCODINGS:
        try:
            return _read(path, shown, encoding, wanted_schema)
        except UnicodeDecodeError as exc:
            last_error = exc
    line, column = _locate_bad_bytes(path, "\t" if _first_line_has_tab(path) else ",")
    raise InputError(shown, "text is neither UTF-8 nor CP949/EUC-KR "
                     f"({last_error.reason if last_error else 'undecodable bytes'})",
                     line, column)


def _first_line_has_tab(path: Path) -> bool:
    with path.open("rb") as fh:
        return b"\t" in fh.readline()


def _read(path: Path, shown: str, encoding: str, wanted_schema: str | None) -> Snapshot:
    columns_seen: set[str] = set()
    schemas: set[str] = set()
    snapshot = Snapshot(source=shown, schema=wanted_schema)
    builder = StatisticsBuilder(snapshot, shown)
    for line, row, _ in _Reader(path, encoding).rows():
        if not columns_seen:
            columns_seen = set(row)
        schema = row["TABLE_SCHEMA"]
        if schema is None:
            raise InputError(shown, "a value is required here", line, "TABLE_SCHEMA")
        if wanted_schema is not None and schema != wanted_schema:
            schemas.add(schema)
            continue
        schemas.add(schema)
        if wanted_schema is None and len(schemas) > 1:
            raise InputError(shown, "the file holds more than one schema ("
                             + ", ".join(sorted(schemas)) + "); pick one as "
                             f"{path}#SCHEMA", line, "TABLE_SCHEMA")
        table = row["TABLE_NAME"]
        if table is None:
            raise InputError(shown, "a value is required here", line, "TABLE_NAME")
        index = row["INDEX_NAME"]
        if index is None:
            # A table without any index: indexdrift's export writes one such row so
            # the table is known to exist (a plain STATISTICS export cannot say so).
            builder.add_table(table)
            continue
        seq = _int(row["SEQ_IN_INDEX"], shown, line, "SEQ_IN_INDEX", required=True)
        if seq is not None and seq < 1:
            raise InputError(shown, f"{seq} is not a key part position (from 1)", line,
                             "SEQ_IN_INDEX")
        non_unique = _int(row["NON_UNIQUE"], shown, line, "NON_UNIQUE", required=True)
        if non_unique not in (0, 1):
            raise InputError(shown, f"{non_unique} is not 0 or 1", line, "NON_UNIQUE")
        visible = True
        if "IS_VISIBLE" in row:
            flag = _yes_no(row["IS_VISIBLE"], shown, line, "IS_VISIBLE")
            visible = True if flag is None else flag
        if "IGNORED" in row:
            flag = _yes_no(row["IGNORED"], shown, line, "IGNORED")
            visible = visible and not flag
        collation = row["COLLATION"]
        if collation is not None and collation.strip().upper() not in ("A", "D"):
            raise InputError(shown, f"{collation!r} is not A, D or NULL", line, "COLLATION")
        builder.add(StatRow(
            table=table,
            index=index,
            non_unique=bool(non_unique),
            seq=seq,  # type: ignore[arg-type]
            column=row["COLUMN_NAME"],
            collation=collation,
            index_type=row["INDEX_TYPE"],
            sub_part=_int(row["SUB_PART"], shown, line, "SUB_PART", required=False),
            comment=row.get("INDEX_COMMENT"),
            visible=visible,
            expression=row.get("EXPRESSION"),
            line=line,
        ))
    if wanted_schema is not None and wanted_schema not in schemas:
        raise InputError(shown, f"schema {wanted_schema!r} is not in the file (found: "
                         + (", ".join(sorted(schemas)) or "no rows") + ")")
    if len(schemas) == 1:
        snapshot.schema = next(iter(schemas))
    if "EXPRESSION" in columns_seen or "IS_VISIBLE" in columns_seen:
        snapshot.flavor = "mysql"
    elif "IGNORED" in columns_seen:
        snapshot.flavor = "mariadb"
    return builder.build()
