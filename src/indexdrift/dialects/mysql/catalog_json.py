"""The catalog query's rows folded by the server: one JSON value per row, in the same order.

PyMySQL decodes every field of a result in pure Python; a schema of 2,000 tables is ~15,000
catalog rows of 12 fields each. Asking each UNION ALL part for ``JSON_ARRAY(<its 12
columns>)`` instead of the 12 columns gives the same rows as one field each, decoded a
chunk at a time by ``json.loads`` (C): text the same str, NULL None, a number an int (the
plain rows give some as Decimal, or as digits where the UNION's column is text in another
part; the reader takes int() of them). Nothing is aggregated: every part keeps its FROM,
WHERE and plan, so the rows come in the plain query's order, which matters (a table's
index rows come in SHOW CREATE TABLE order, and an exact rollback gives that order back).
Measured on 2,000 tables: ~0.032 s of client CPU per env instead of ~0.060 s, and
~0.022 s since the values are taken off the connection without PyMySQL's row path
(``_values``); docs/performance.md.

An aggregated fold (``JSON_ARRAYAGG`` per group of tables, tried before) decoded even less
but lost that order: the server groups rows as it likes, and no STATISTICS column gives an
index's place in its table.

Only MariaDB 10.5+ takes this path. MySQL keeps the plain rows: its JSON_ARRAY writes
binary-collated values as ``base64:type…`` text, some of its information_schema columns
are binary, and no MySQL server was at hand to prove the rows the same. A row value that
is NULL (JSON_ARRAY gives NULL past ``max_allowed_packet``) or that does not decode makes
the reader run the plain query instead (catalog.read_rows).
"""

from __future__ import annotations

import contextlib
import json

# Every part of the catalog query selects this many columns (catalog.catalog_query).
COLUMNS = 12
# Rows decoded per json.loads: the rows are streamed (an unbuffered cursor) and decoded a
# chunk at a time, so the whole result never sits in memory as text beside its rows
# (peak of one 15,000-row read: 6.5 MiB, the plain rows 7.0, all text at once 10.3).
CHUNK = 2048
_FIRST_FOLDING = (10, 5, 0)


def folds(flavor: str, version: tuple[int, int, int]) -> bool:
    """True when this server gets the catalog query with each row folded into one value."""
    return flavor == "mariadb" and version >= _FIRST_FOLDING


def _select_list_end(part: str) -> int:
    """Where the select list of ``SELECT …`` ends: its top-level `` FROM `` (outside
    quotes and parentheses), or the end of a part with no FROM."""
    depth = 0
    quote = ""
    i = len("SELECT ")
    while i < len(part):
        char = part[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and part.startswith(" FROM ", i):
            return i
        i += 1
    return len(part)


def folded_query(sql: str) -> str:
    """``sql`` (the catalog query, ``SELECT``s joined by UNION ALL) with each part's select
    list wrapped in ``JSON_ARRAY(…)``: the same rows, in the same order, one field each;
    the parameters stay those of ``sql``."""
    parts = []
    for part in sql.split("\nUNION ALL\n"):
        if not part.startswith("SELECT "):
            raise ValueError(f"not a SELECT: {part[:40]!r}")
        end = _select_list_end(part)
        parts.append(f"SELECT JSON_ARRAY({part[len('SELECT '):end]}){part[end:]}")
    return "\nUNION ALL\n".join(parts)


def read_folded(conn, sql: str, args: tuple) -> list[list] | None:
    """The catalog query's rows, folded by the server and streamed; None when a row did
    not come back whole (the rest of the result is read and dropped). Server errors are
    the caller's (catalog.read_rows falls back to the plain rows)."""
    import pymysql.cursors  # lazy: start-up imports no driver

    rows: list[list] = []
    whole = True
    cur = conn.cursor(pymysql.cursors.SSCursor)
    try:
        cur.execute(folded_query(sql), args)
        for values in _values(conn, cur._result):
            found = unfold(values)
            if found is None:
                whole = False
                break
            rows += found
    except BaseException:
        # Closing reads what is left of the result; after a lost connection (a read
        # timeout mid-result) there is nothing to read, and closing's own error would
        # hide the cause the user must see.
        with contextlib.suppress(Exception):
            cur.close()
        raise
    cur.close()  # reads and drops what is left (the plain rows follow on this connection)
    return rows if whole else None


def _values(conn, result):
    """The folded rows' values (bytes, None for NULL), CHUNK rows at a time, read straight
    off the connection.

    PyMySQL's row path costs ~3 us per row in Python (a packet object, the cursor's and the
    result's bookkeeping, a converter per field), half the client's CPU of a catalog read;
    every folded row is one packet holding one length-coded value, which this reads with
    PyMySQL's own byte reader (its timeouts and lost-connection errors) and its sequence
    check. The end of the result hands the connection back to PyMySQL as its own reader
    leaves it; an error packet is raised by PyMySQL's packet class; anything else (a
    packet that is not one value, a row split past 16 MiB) stops here at a packet's end
    with the result still open, so that closing the cursor reads the rest the usual way,
    and the caller gets the plain rows (the chunk holds a None).
    """
    from pymysql import err
    from pymysql.protocol import MysqlPacket

    read = conn._read_bytes
    seq = conn._next_seq_id
    values: list = []
    append = values.append
    try:
        while True:
            header = read(4)
            size = header[0] | header[1] << 8 | header[2] << 16
            if header[3] != seq:
                conn._force_close()
                raise err.InternalError(f"Packet sequence number wrong - got {header[3]} "
                                        f"expected {seq}")
            seq = (seq + 1) & 255
            data = read(size)
            first = data[0] if size else None
            if first is None or size == 0xFFFFFF:
                # Not a row this reads (an empty packet; a row split past 16 MiB, whose
                # pieces are read here to the last so that the result goes on at a
                # packet's start): PyMySQL reads the rest when the cursor closes.
                while size == 0xFFFFFF:
                    header = read(4)
                    size = header[0] | header[1] << 8 | header[2] << 16
                    seq = (seq + 1) & 255
                    read(size)
                conn._next_seq_id = seq
                yield [None]
                return
            if first < 0xFB and first + 1 == size:
                append(data[1:])
            elif first == 0xFC and size > 3 and data[1] | data[2] << 8 == size - 3:
                append(data[3:])
            elif first == 0xFD and size > 4 and int.from_bytes(data[1:4], "little") == size - 4:
                append(data[4:])
            elif first == 0xFE and size < 9:  # EOF: the end of the rows
                result.unbuffered_active = False
                result.connection = None
                break
            elif first == 0xFF:  # an error: PyMySQL's own message and class
                result.unbuffered_active = False
                conn._next_seq_id = seq
                MysqlPacket(data, conn.encoding).raise_for_error()
            elif first == 0xFB and size == 1:
                append(None)  # NULL: not whole (past max_allowed_packet)
            else:  # a value not alone in its packet: not a folded row
                conn._next_seq_id = seq
                yield [None]
                return
            if len(values) == CHUNK:
                conn._next_seq_id = seq
                yield values
                values = []
                append = values.append
    finally:
        conn._next_seq_id = seq
    if values:
        yield values


def unfold(values: list) -> list[list] | None:
    """The catalog rows of the folded rows' values (JSON text each, as bytes or str), in
    their order; None when one is not a whole row (NULL past a server limit, or not JSON):
    the caller reads the plain rows then."""
    if not values:
        return []
    if None in values:
        return None
    try:
        if values[0].__class__ is str:
            found = json.loads("[" + ",".join(values) + "]")
        else:
            text = b"[" + b",".join(map(bytes, values)) + b"]"
            found = json.loads(text.decode("utf-8"))
    except (ValueError, TypeError):
        return None
    if len(found) != len(values):  # a text that was not one value
        return None
    for row in found:
        if row.__class__ is not list or len(row) != COLUMNS:
            return None
    return found
