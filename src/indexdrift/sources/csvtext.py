"""Text-level pieces the CSV/TSV readers share: encodings, ``mysql --batch`` escapes,
locating undecodable bytes, sniffing a header line, reading a UTF-8-only format, picking
one schema of a multi-schema file (``file.csv#schema``).

The STATISTICS and COLUMNS readers (``sources/csvfile.py``, ``columns/csvfile.py``) take
UTF-8 with or without BOM and CP949/EUC-KR; the catalog and PostgreSQL column CSVs that
indexdrift writes itself (``sources/pgcsv.py``, ``columns/pgcsv.py``) are UTF-8 only.
"""

from __future__ import annotations

import re
from pathlib import Path

from indexdrift.core.i18n import Message
from indexdrift.core.limits import clip, excerpt, limit

# Tried in this order: UTF-8 (BOM or not), then what Korean Excel saves.
ENCODINGS = ("utf-8-sig", "cp949")
_TSV_ESCAPES = re.compile(r"\\(.)")
_TSV_MAP = {"t": "\t", "n": "\n", "r": "\r", "0": "\0", "\\": "\\", "Z": "\x1a"}


_WHOLE = re.compile(r"[+-]?[0-9]+")


def whole_number(text: str) -> int:
    """The whole number ``text`` spells in ASCII digits (spaces around allowed); ValueError
    for anything else. ``int()`` alone also takes ``1_000``, ``٣`` (Arabic-Indic 3) and
    other spellings no export writes and no reviewer reads as the number the tool uses."""
    stripped = text.strip()
    if not _WHOLE.fullmatch(stripped):
        raise ValueError(f"not a whole number: {text!r}")
    return int(stripped)


def unescape_tsv(value: str) -> str:
    """Undo the backslash escapes of ``mysql --batch`` output."""
    if "\\" not in value:
        return value
    return _TSV_ESCAPES.sub(lambda m: _TSV_MAP.get(m.group(1), m.group(1)), value)


def locate_bad_bytes(path: Path) -> tuple[int, str | None]:
    """The first line no supported encoding decodes, and the header column it falls in
    (tab separated when the header line has a tab, else comma separated)."""
    header: list[str] | None = None
    delimiter = b","
    most = limit("line_bytes")
    with path.open("rb") as fh:
        # readline(n): a line longer than the limit is read in pieces, never whole.
        for number, raw in enumerate(iter(lambda: fh.readline(most + 1), b""), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                if header is None:
                    return number, None
                cells = raw[: exc.start].count(delimiter)
                return number, header[cells] if cells < len(header) else None
            if header is None:
                delimiter = b"\t" if b"\t" in raw else b","
                text = raw.decode("utf-8-sig").rstrip("\r\n")
                header = [h.strip().strip('"').upper() for h in text.split(delimiter.decode())]
    return 1, None


def split_schema(spec: str) -> tuple[str, str | None]:
    """Split ``file.csv#schema`` into the path and the schema to pick (or None)."""
    path, sep, schema = spec.partition("#")
    return path, (schema or None) if sep else None


def several_schemas(schemas: set[str] | dict[str, int], pick_as: str) -> Message:
    """The error text for a file that holds more than one schema and none was picked."""
    return Message("error.csv.several_schemas", schemas=clip(", ".join(sorted(schemas))),
                   pick_as=pick_as)


def schema_not_found(wanted: str, schemas: set[str] | dict[str, int]) -> Message:
    """The error text for a picked schema the file does not hold."""
    return Message("error.csv.schema_not_found", schema=excerpt(wanted),
                   found=clip(", ".join(sorted(schemas))) or Message("error.csv.no_rows"))


def header_line(spec: str) -> str | None:
    """The first line of the file ``path`` (or ``path#schema``), for telling formats apart
    by their header; None when there is no readable file."""
    path = Path(spec.partition("#")[0])
    if not path.is_file():
        return None
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            return fh.readline(limit("line_bytes") + 1)
    except OSError:
        return None


def header_mentions(spec: str, markers: tuple[str, ...]) -> bool:
    """True when the file's first line holds every one of ``markers`` (upper case), the
    way a format that shares no column name with the others is told apart."""
    line = header_line(spec)
    return line is not None and all(marker in line.upper() for marker in markers)


def no_rows() -> str:
    """The error text for a file with a header and no rows: like a live read of an empty
    schema, it is refused rather than compared as a schema without tables."""
    return ("no tables: the file has no rows after its header (the export of an empty "
            "schema, of one that does not exist, or by an account that cannot see its "
            "tables)")
