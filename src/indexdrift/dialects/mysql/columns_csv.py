"""Column definitions from files: CSV/TSV exports of ``information_schema.COLUMNS``.

The file is what a team gets from a plain query (``mysql -B -e "SELECT ... FROM
information_schema.COLUMNS WHERE TABLE_SCHEMA = 'shop'"`` or a GUI's CSV export, ``SELECT
*`` included) or from ``indexdrift export URL --objects columns``. Read with the same
tolerance as the STATISTICS reader: headers in any case, comma or tab separated (with
``mysql --batch`` escapes), ``NULL``/``\\N`` as null, UTF-8 with or without BOM or
CP949/EUC-KR, and every error names the file, the line and the column.

MySQL and MariaDB write defaults differently (MariaDB quotes string literals and writes
``current_timestamp()``), so the reader has to know which server wrote the file. It tells
from the view's own columns when the file has them (MariaDB's ``IS_GENERATED``, MySQL
8.0's ``SRS_ID``), else from the values (see ``detect_flavor``). A file whose values show
neither way has no default that the two spell differently, so both readings agree.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from indexdrift.core.errors import InputError, NoTablesInput
from indexdrift.core.i18n import Message
from indexdrift.core.limits import clip, excerpt, limit
from indexdrift.dialects.mysql.catalog import connect, parse_server_version
from indexdrift.dialects.mysql.columns import fetch_column_rows
from indexdrift.model.column_text import column_from_row
from indexdrift.model.tables import Column
from indexdrift.sources import csvscan
from indexdrift.sources.column_files import ColumnsFile, check_sql
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
from indexdrift.sources.sqlcells import MYSQL
from indexdrift.sources.urls import DbUrl

REQUIRED = ("TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION",
            "COLUMN_DEFAULT", "IS_NULLABLE", "COLUMN_TYPE")
OPTIONAL = ("DATA_TYPE", "CHARACTER_SET_NAME", "COLLATION_NAME", "EXTRA", "COLUMN_COMMENT",
            "GENERATION_EXPRESSION", "IS_GENERATED", "SRS_ID")
# What ``indexdrift export --objects columns`` writes, in this order (view column names).
EXPORT_FIELDS = ("TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION",
                 "COLUMN_DEFAULT", "IS_NULLABLE", "DATA_TYPE", "COLUMN_TYPE",
                 "CHARACTER_SET_NAME", "COLLATION_NAME", "EXTRA", "COLUMN_COMMENT",
                 "GENERATION_EXPRESSION")
_NULLS = {"NULL", "\\N"}
_STRING_TYPES = ("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum",
                 "set", "binary", "varbinary")
_CALL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\s*\(.*\)$", re.DOTALL)
# MySQL's and MariaDB's most columns in a table: what ORDINAL_POSITION may claim.
MAX_COLUMNS = 4096


@dataclass(slots=True)
class _Row:
    line: int
    values: dict[str, str | None]


def _rows(path: Path, shown: str, encoding: str) -> Iterator[_Row]:
    """Every data row as {upper-case header: value}; NULL/\\N become None, empty stays ''."""
    with path.open("r", encoding=encoding, newline="") as fh:
        first = fh.readline(limit("line_bytes") + 1)
        if not first.strip():
            raise InputError(shown, Message("error.csv.empty"), 1)
        tsv = "\t" in first
        fh.seek(0)
        reader = csvscan.reader(fh, tsv=tsv)
        try:
            header = next(reader)
        except csv.Error as exc:
            raise csvscan.failure(exc, path, shown, encoding, 1, reader.line_num) from None
        csvscan.check_header(header, shown)
        names = [h.strip().lstrip("\ufeff").strip('"').upper() for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            hint = ""
            if "INDEX_NAME" in names:
                hint = Message("error.csv.statistics_hint")
            raise InputError(shown, Message("error.csv.missing_columns_of",
                                             columns=", ".join(missing),
                                             header=clip(", ".join(names)), hint=hint),
                             1, missing[0])
        wanted = {n: i for i, n in enumerate(names) if n in REQUIRED or n in OPTIONAL}
        start = 2
        try:
            for cells in reader:
                line, start = start, reader.line_num + 1
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) != len(names):
                    raise InputError(shown, Message("error.csv.fields", width=len(names),
                                                     found=len(cells)), line)
                values: dict[str, str | None] = {}
                for name, i in wanted.items():
                    cell = cells[i]
                    if cell in _NULLS:
                        values[name] = None
                    else:
                        values[name] = unescape_tsv(cell) if tsv else cell
                yield _Row(line, values)
        except csv.Error as exc:
            raise csvscan.failure(exc, path, shown, encoding, start, reader.line_num) from None


def _data_type(row: _Row) -> str:
    given = row.values.get("DATA_TYPE")
    if given:
        return given.lower()
    found = re.match(r"[a-z]+", (row.values.get("COLUMN_TYPE") or "").lower())
    return found.group(0) if found else ""


def detect_flavor(header: set[str], rows: list[_Row]) -> str:
    """``mariadb`` or ``mysql``: which server wrote a COLUMNS export.

    The view's own columns decide first (MariaDB 10.2+ has IS_GENERATED, MySQL 8.0 has
    SRS_ID). Otherwise the values: MariaDB 10.2.7+ writes string defaults quoted and
    ``current_timestamp()`` in lower case with parentheses; MySQL writes string defaults
    bare, ``CURRENT_TIMESTAMP``, and marks expression defaults DEFAULT_GENERATED (8.0).
    An unquoted string default that is not a function call is MySQL's alone, so it wins
    over a quoted one (which MySQL writes only for a value that itself has quotes).
    """
    if "IS_GENERATED" in header:
        return "mariadb"
    if "SRS_ID" in header:
        return "mysql"
    mariadb_signs = False
    for row in rows:
        default = row.values.get("COLUMN_DEFAULT")
        extra = row.values.get("EXTRA") or ""
        if "DEFAULT_GENERATED" in extra.upper() or "on update CURRENT_TIMESTAMP" in extra:
            return "mysql"
        if "on update current_timestamp()" in extra:
            mariadb_signs = True
        if not default or default == "NULL":
            continue
        if _data_type(row) in _STRING_TYPES:
            if len(default) >= 2 and default[0] == "'" and default[-1] == "'":
                mariadb_signs = True
            elif not _CALL.match(default):
                return "mysql"
        elif default.lower().startswith("current_timestamp("):
            mariadb_signs = True
        elif default.startswith("CURRENT_TIMESTAMP"):
            return "mysql"
    return "mariadb" if mariadb_signs else "mysql"


def read_columns_csv(spec: str) -> ColumnsFile:
    """Read a COLUMNS export (``path`` or ``path#schema``)."""
    path_text, wanted_schema = split_schema(spec)
    path = Path(path_text)
    if not path.is_file():
        raise InputError(path_text, Message("error.no_such_file"))
    csvscan.scan_file(path, path_text)
    for encoding in ENCODINGS:
        try:
            return _read(path, path_text, encoding, wanted_schema)
        except UnicodeDecodeError:
            continue
    line, column = locate_bad_bytes(path)
    raise InputError(path_text, Message("error.csv.encoding_plain"), line, column)


def _read(path: Path, shown: str, encoding: str, wanted_schema: str | None) -> ColumnsFile:
    rows: list[_Row] = []
    schemas: dict[str, int] = {}
    header: set[str] = set()
    for row in _rows(path, shown, encoding):
        header = set(row.values)
        for name in ("TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "COLUMN_TYPE"):
            if not row.values.get(name):
                raise InputError(shown, Message("error.csv.required"), row.line, name)
        schema = row.values["TABLE_SCHEMA"]
        schemas.setdefault(schema, row.line)  # type: ignore[arg-type]
        if wanted_schema is None and len(schemas) > 1:
            raise InputError(shown, several_schemas(schemas, shown), row.line, "TABLE_SCHEMA")
        if wanted_schema is None or schema == wanted_schema:
            rows.append(row)
    if not schemas:
        raise NoTablesInput(shown, no_rows(), None)
    if wanted_schema is not None and wanted_schema not in schemas:
        raise InputError(shown, schema_not_found(wanted_schema, schemas))
    flavor = detect_flavor(header, rows)
    out = ColumnsFile(shown, wanted_schema or next(iter(schemas), None), flavor)
    seen: dict[tuple[str, str], int] = {}
    parsed: list[tuple[str, Column]] = []
    for row in rows:
        values = row.values
        position = _position(values["ORDINAL_POSITION"], shown, row.line)
        nullable = _yes_no(values["IS_NULLABLE"], shown, row.line)
        table, name = values["TABLE_NAME"], values["COLUMN_NAME"]
        key = (table, name.lower())  # type: ignore[union-attr]
        if key in seen:
            raise InputError(shown, Message("error.csv.column_twice",
                                             column=clip(f"{table}.{name}"), first=seen[key]),
                             row.line, "COLUMN_NAME")
        seen[key] = row.line
        data_type = _data_type(row)
        record = {**{k: values.get(k) for k in OPTIONAL}, "COLUMN_NAME": name,
                  "ORDINAL_POSITION": position, "IS_NULLABLE": "YES" if nullable else "NO",
                  "COLUMN_TYPE": values["COLUMN_TYPE"], "DATA_TYPE": data_type,
                  "COLUMN_DEFAULT": _default(values["COLUMN_DEFAULT"], flavor, data_type)}
        column = column_from_row(record, flavor)  # type: ignore[arg-type]
        check_sql(column, shown, row.line, MYSQL)
        parsed.append((table, column))
    for table, column in sorted(parsed, key=lambda item: (item[0], item[1].position)):
        out.tables.setdefault(table, {})[column.name_key] = column
    return out


def _default(raw: str | None, flavor: str, data_type: str) -> str | None:
    """The COLUMN_DEFAULT cell as the view holds it.

    An empty cell is MySQL's ``DEFAULT ''`` on a string column (``mysql -B`` writes SQL
    NULL as ``NULL``); anywhere else an empty cell can only be a null that the exporting
    tool wrote as nothing, since MariaDB quotes its empty string (``''``).
    """
    if raw == "" and not (flavor == "mysql" and data_type in _STRING_TYPES):
        return None
    return raw


def _position(value: str | None, shown: str, line: int) -> int:
    try:
        number = whole_number(value or "")
    except ValueError:
        raise InputError(shown, Message("error.csv.not_number", value=excerpt(value)), line,
                         "ORDINAL_POSITION") from None
    if not 1 <= number <= MAX_COLUMNS:
        raise InputError(shown, Message("error.csv.position_mysql", value=excerpt(number),
                                         most=MAX_COLUMNS), line, "ORDINAL_POSITION")
    return number


def _yes_no(value: str | None, shown: str, line: int) -> bool:
    text = (value or "").strip().upper()
    if text in ("YES", "Y", "1", "TRUE"):
        return True
    if text in ("NO", "N", "0", "FALSE"):
        return False
    raise InputError(shown, Message("error.csv.not_yes_no", value=excerpt(value)), line,
                     "IS_NULLABLE")


def export_columns_csv(url: DbUrl, env: str) -> tuple[str, int, int]:
    """information_schema.COLUMNS of a live MySQL/MariaDB schema as CSV text, the way a
    plain query exports it (NULL as ``NULL``), with the number of columns and tables
    (``export --objects columns``, through the registry's ``columns_export``).

    The view's own flavor column (MariaDB's IS_GENERATED, MySQL 8.0's SRS_ID) is added so
    the reader never has to tell the flavor from the values.
    """
    conn = connect(url, env)
    try:
        flavor, version = parse_server_version(conn.get_server_info())
        marker = ("IS_GENERATED" if flavor == "mariadb"
                  else "SRS_ID" if version >= (8, 0, 0) else None)
        fields = EXPORT_FIELDS + ((marker,) if marker else ())
        query = ("SELECT " + ", ".join(f"c.{f}" for f in fields)
                 + " FROM information_schema.COLUMNS c JOIN information_schema.TABLES t "
                 "ON t.TABLE_NAME = c.TABLE_NAME "  # not the schemas: see columns.QUERY
                 "WHERE c.TABLE_SCHEMA = %s AND t.TABLE_SCHEMA = %s "
                 "AND t.TABLE_TYPE = 'BASE TABLE' "
                 "ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION")
        rows = fetch_column_rows(conn, query, url, env)
    finally:
        conn.close()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow(["NULL" if v is None else _text(v) for v in row])
    return out.getvalue(), len(rows), len({r[1] for r in rows})


def _text(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)
