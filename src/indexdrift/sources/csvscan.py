"""Bounds and byte-level checks every CSV/TSV reader applies, so a hostile or broken file
ends in one clear error that names the line, never in a huge allocation or silent loss.

- ``scan_file`` runs before parsing, over the raw bytes in blocks: a line longer than the
  ``line_bytes`` limit, or a NUL byte (raw, or ``mysql --batch``'s ``\\0`` escape in a
  tab-separated file) is refused with its line and column. No database name or text
  holds a NUL, and psql ends a line at one, which shifts the quoting of what follows. In
  UTF-8 and CP949 a 0x00 byte is only ever NUL, so the byte scan is exact.
- ``reader`` is ``csv.reader`` over the file's lines with the ``field_bytes`` limit in
  force and, for comma-separated files, strict quoting: a quote that never closes is an
  error instead of swallowing the rest of the file as one field.
- ``failure`` turns a ``csv.Error`` into that error, with the line where the quote that
  never closes was opened.
- ``check_header`` bounds the header's width (``columns``).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from pathlib import Path

from indexdrift.core.errors import InputError
from indexdrift.core.i18n import Message
from indexdrift.core.limits import clip, limit, limit_message, nul_message
from indexdrift.sources.csvtext import locate_bad_bytes, unescape_tsv

_BLOCK = 1 << 20


def scan_file(path: Path, shown: str) -> None:
    """Refuse ``path`` when a line is longer than the line limit or holds a NUL byte.

    Reads the file in blocks (never more than about two blocks in memory), so a file with
    no line break at all is refused after the limit, not read whole; costs a small
    fraction of parsing the file.
    """
    most = limit("line_bytes")
    size = min(_BLOCK, most)
    header: bytes | None = None
    tsv = False
    lines = 0  # complete lines before ``carry``
    carry = b""  # the unfinished last line so far
    with path.open("rb") as fh:
        while block := fh.read(size):
            first = block.find(b"\n")
            if len(carry) + (first if first >= 0 else len(block)) > most:
                raise InputError(shown, Message("error.csv.line_long",
                                                 limit=limit_message("line_bytes")),
                                 lines + 1)
            if first < 0:
                carry += block
                continue
            last = block.rfind(b"\n")
            complete = carry + block[:last + 1]
            carry = block[last + 1:]
            if header is None:
                header = complete[:complete.find(b"\n")]
                tsv = b"\t" in header
            if b"\0" in complete:
                _nul(shown, complete, complete.find(b"\0"), lines, header, tsv)
            if tsv and b"\\0" in complete:
                _escaped_nul(shown, complete, lines, header)
            lines += complete.count(b"\n")
    if carry:
        if header is None:
            header = carry
            tsv = b"\t" in header
        if b"\0" in carry:
            _nul(shown, carry, carry.find(b"\0"), lines, header, tsv)
        if tsv and b"\\0" in carry:
            _escaped_nul(shown, carry, lines, header)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp949", errors="replace")


def _column_of(line: str, header: bytes | None, tsv: bool) -> str | None:
    """The header name of the first cell of ``line`` that holds a NUL (after ``mysql
    --batch`` escapes in TSV), when the line splits into cells."""
    if header is None:
        return None
    delimiter = "\t" if tsv else ","
    names = [h.strip().strip('"').upper() for h in _decode(header).split(delimiter)]
    try:
        cells = next(csv.reader([line], delimiter=delimiter,
                                quoting=csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL))
    except (csv.Error, StopIteration):
        return None
    for position, cell in enumerate(cells):
        if "\0" in (unescape_tsv(cell) if tsv else cell):
            return names[position] if position < len(names) else None
    return None


def _nul(shown: str, data: bytes, at: int, lines: int, header: bytes | None,
         tsv: bool) -> None:
    number = lines + data.count(b"\n", 0, at) + 1
    start = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    line = _decode(data[start:end if end >= 0 else len(data)])
    column = _column_of(line, header, tsv) if number > 1 else None
    raise InputError(shown, nul_message(Message("error.nul.line" if column is None
                                                     else "error.nul.cell")),
                     number, column)


def _escaped_nul(shown: str, data: bytes, lines: int, header: bytes | None) -> None:
    """Refuse the first line of ``data`` whose ``\\0`` is the NUL escape (not ``\\\\0``)."""
    for number, raw in enumerate(data.split(b"\n"), start=lines + 1):
        if b"\\0" in raw and "\0" in unescape_tsv(raw.decode("latin-1")):
            column = _column_of(_decode(raw), header, True) if number > 1 else None
            raise InputError(shown, nul_message(Message("error.nul.line_escape"
                                                        if column is None else
                                                        "error.nul.cell_escape")),
                             number, column)


def reader(fh, *, tsv: bool):
    """``csv.reader`` over the open text file ``fh`` with the field limit in force; quotes
    are strict in comma-separated files (``mysql --batch`` TSV has none)."""
    csv.field_size_limit(limit("field_bytes"))
    # readline(n) never returns more than n characters, even from a file changed since
    # scan_file checked it.
    lines = iter(functools.partial(fh.readline, limit("line_bytes") + 1), "")
    if tsv:
        return csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return csv.reader(lines, delimiter=",", quoting=csv.QUOTE_MINIMAL, strict=True)


def check_header(names: list[str], shown: str) -> None:
    """Refuse a header wider than the ``columns`` limit."""
    if len(names) > limit("columns"):
        raise InputError(shown, Message("error.csv.header_wide", count=f"{len(names):,}",
                                         limit=limit_message("columns")), 1)


def failure(exc: csv.Error, path: Path, shown: str, encoding: str, start: int,
            stop: int) -> InputError:
    """The input error for ``exc``, raised while parsing the row that starts on line
    ``start`` with the reader at line ``stop``."""
    text = str(exc)
    if "field larger than field limit" in text:
        opened = quote_opened(path, encoding, start, stop)
        hint = "" if opened is None else Message("error.csv.quote_hint", line=opened)
        return InputError(shown, Message("error.csv.field_long",
                                         limit=limit_message("field_bytes"), hint=hint), stop)
    if "unexpected end of data" in text:
        opened = quote_opened(path, encoding, start, stop)
        return InputError(shown, Message("error.csv.quote_open"), opened or start)
    return InputError(shown, Message("error.csv.malformed", reason=clip(text)), stop)


def quote_opened(path: Path, encoding: str, start: int, stop: int) -> int | None:
    """The line (between ``start`` and ``stop``) where the quoted field still open at
    ``stop`` was opened, by CSV's rules; None when no quote is open there."""
    opened: int | None = None
    quoted = False
    at_field_start = True
    with path.open("r", encoding=encoding, errors="replace", newline="") as fh:
        for number, line in enumerate(_lines(fh), start=1):
            if number < start:
                continue
            if number > stop:
                break
            i = 0
            while i < len(line):
                c = line[i]
                if quoted:
                    if c == '"':
                        if line.startswith('"', i + 1):
                            i += 1
                        else:
                            quoted = False
                elif c == '"' and at_field_start:
                    quoted, opened = True, number
                else:
                    at_field_start = c in ",\r\n"
                    i += 1
                    continue
                at_field_start = False
                i += 1
    return opened if quoted else None


def _lines(fh) -> Iterator[str]:
    return iter(functools.partial(fh.readline, limit("line_bytes") + 1), "")


def utf8_rows(path: Path, shown: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every row of a UTF-8, comma-separated file, the header first (BOM
    dropped); ``line`` is where the row starts. Streamed, checked and bounded like every
    reader here; anything but UTF-8 is an input error naming the line."""
    if not path.is_file():
        raise InputError(shown, Message("error.no_such_file"))
    scan_file(path, shown)
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        rows = reader(fh, tsv=False)
        end = 0
        try:
            for cells in rows:
                start, end = end + 1, rows.line_num
                if start == 1:
                    check_header(cells, shown)
                yield start, cells
        except csv.Error as exc:
            raise failure(exc, path, shown, "utf-8-sig", end + 1, rows.line_num) from None
        except UnicodeDecodeError as exc:
            line, column = locate_bad_bytes(path)
            raise InputError(shown, Message("error.not_utf8_reason", reason=exc.reason),
                             line, column) from None
