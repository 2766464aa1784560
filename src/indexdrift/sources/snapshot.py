"""Snapshot files: one environment saved as JSON (``.json`` or ``.json.gz``).

A snapshot holds every model field (PostgreSQL ones included), the server flavor and
version, and when it was taken. ``format_version`` says how to read it: a file written by
a newer indexdrift, or an unknown older format, is rejected with a clear message, never
misread.

What a source read besides indexes travels too, each part optional in format 1 (a file
written before it existed reads as today: nothing of it was read): ``objects`` (the
snapshot's ``Snapshot.objects``), per table ``columns`` (every Column field, in column
order), the full definition of each foreign key (when the reader knew it), ``checks`` and
``options``. Their SQL text (column types, defaults, expressions, CHECK expressions) is
checked as the CSV readers check theirs: a file no server vouched for cannot smuggle a
statement into a migration.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import zlib
from collections.abc import Iterator
from typing import IO, Any

from indexdrift import __version__
from indexdrift.core import registry as dialects
from indexdrift.core.atomic import write_atomic
from indexdrift.core.errors import IndexDriftError, InputError, NoTablesInput
from indexdrift.core.i18n import Message
from indexdrift.core.inputfile import open_input, read_all
from indexdrift.core.jsonstream import JsonObject
from indexdrift.core.limits import excerpt, limit, limit_message, nul_message
from indexdrift.core.target import FLAVORS, VERSION_TEXT
from indexdrift.model.tables import (
    TABLE_OPTIONS,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    KeyPart,
    Snapshot,
    Table,
    names_case_sensitive,
    parse_storage,
)
from indexdrift.sources.sniff import is_snapshot_path  # noqa: F401 (re-exported)
from indexdrift.sources.sqlcells import MYSQL, expression_problem, name_problem, type_problem

FORMAT = "indexdrift-snapshot"
FORMAT_VERSION = 1
# Older format versions this version can still read (none yet: version 1 is the first).
READABLE_VERSIONS = (1,)
GZIP_MAGIC = b"\x1f\x8b"
# Decompressed data is read in pieces this big, each checked against the limit.
_CHUNK = 1 << 20
# No field of the format holds a number this large (sizes are bytes, at most 2**63 - 1).
_LARGEST = (1 << 63) - 1
_SURROGATE = re.compile("[\ud800-\udfff]")
# What Snapshot.objects may name (another word, from a newer indexdrift, is left out: nothing
# of it is read, so nothing of it is compared).
OBJECTS = ("columns", "foreign_keys", "checks", "options")
FK_ACTIONS = ("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT")
FK_MATCHES = ("SIMPLE", "FULL", "PARTIAL")
DEFERRABLE = (None, "IMMEDIATE", "DEFERRED")
GENERATED = (None, "VIRTUAL", "STORED")
IDENTITIES = (None, "ALWAYS", "BY DEFAULT", "AUTOINCREMENT")  # the last: SQLite
# PostgreSQL identity options as its reader writes them (defaults left out).
_IDENTITY_OPTIONS = re.compile(r"(?:(?:START WITH|INCREMENT BY|MINVALUE|MAXVALUE|CACHE) -?\d{1,20}"
                               r"|CYCLE)(?: (?:(?:START WITH|INCREMENT BY|MINVALUE|MAXVALUE|"
                               r"CACHE) -?\d{1,20}|CYCLE))*")
# Options a DDL statement would name bare (ENGINE=InnoDB): one word, or nothing.
_WORD_OPTIONS = ("engine", "charset", "collation", "row_format")
_WORD = re.compile(r"\w*")


def _part_json(part: KeyPart, exact_name: bool) -> dict[str, Any]:
    out = {"column": part.column, "expression": part.expression, "sub_part": part.sub_part,
           "descending": part.descending, "opclass": part.opclass,
           "collation": part.collation, "nulls_first": part.nulls_first}
    if part.operator is not None:  # EXCLUDE constraints only; optional in version 1
        out["operator"] = part.operator
    if part.exact_column != exact_name:  # optional in version 1: it follows the index's
        out["exact_column"] = part.exact_column  # exact_name unless written
    return out


def _index_json(index: Index) -> dict[str, Any]:
    return {"name": index.name, "parts": [_part_json(p, index.exact_name) for p in index.parts],
            "unique": index.unique, "primary": index.primary, "index_type": index.index_type,
            "comment": index.comment, "visible": index.visible, "include": list(index.include),
            "predicate": index.predicate, "nulls_not_distinct": index.nulls_not_distinct,
            "constraint": index.constraint, "valid": index.valid, "parser": index.parser,
            "exact_name": index.exact_name, "deferrable": index.deferrable,
            # {name: value}, or null when the source did not know the storage parameters.
            "storage": None if index.storage is None else dict(index.storage)}


def _foreign_key_json(fk: ForeignKey) -> dict[str, Any]:
    out: dict[str, Any] = {"name": fk.name, "columns": list(fk.columns)}
    if fk.ref_table is not None:  # the whole definition, when the reader knew it
        out.update(ref_schema=fk.ref_schema, ref_table=fk.ref_table,
                   ref_columns=list(fk.ref_columns), on_update=fk.on_update,
                   on_delete=fk.on_delete, match=fk.match, deferrable=fk.deferrable,
                   valid=fk.valid, exact_name=fk.exact_name)
    return out


def _column_json(col: Column) -> dict[str, Any]:
    return {"name": col.name, "position": col.position, "column_type": col.column_type,
            "nullable": col.nullable, "default": col.default, "comment": col.comment,
            "charset": col.charset, "collation": col.collation,
            "auto_increment": col.auto_increment, "on_update": col.on_update,
            "generated": col.generated, "expression": col.expression,
            "identity": col.identity, "dialect": col.dialect,
            "identity_options": col.identity_options, "check": col.check}


def _check_json(check: CheckConstraint) -> dict[str, Any]:
    return {"name": check.name, "expression": check.expression, "column": check.column,
            "enforced": check.enforced, "valid": check.valid, "no_inherit": check.no_inherit,
            "exact_name": check.exact_name}


def _table_json(t: Table) -> dict[str, Any]:
    out = {"name": t.name, "size_bytes": t.size_bytes, "engine": t.engine,
           "auto_increment_column": t.auto_increment_column,
           "foreign_keys": [_foreign_key_json(fk) for fk in t.foreign_keys],
           "indexes": [_index_json(ix) for _, ix in sorted(t.indexes.items())]}
    # Optional in version 1, written only when known (an index-only snapshot is as before).
    if t.referenced_by:  # PostgreSQL: foreign keys depending on an index
        out["referenced_by"] = {k: list(v) for k, v in sorted(t.referenced_by.items())}
    if t.columns is not None:
        out["columns"] = [_column_json(c) for c in t.columns.values()]
    if t.checks is not None:
        out["checks"] = [_check_json(c) for _, c in sorted(t.checks.items())]
    if t.options is not None:
        out["options"] = dict(t.options)
    return out


def snapshot_json(snapshot: Snapshot, taken_at: dt.datetime | None = None) -> dict[str, Any]:
    """The snapshot as a JSON-ready dict (tables and indexes in a stable order)."""
    when = taken_at or dt.datetime.now(dt.UTC)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool": f"indexdrift {__version__}",
        "taken_at": when.isoformat(timespec="seconds"),
        "source": snapshot.source,
        "schema": snapshot.schema,
        "flavor": snapshot.flavor,
        "version": snapshot.version,
        "has_details": snapshot.has_details,
        "warnings": list(snapshot.warnings),
        # What the source read completely besides indexes (optional in version 1).
        **({"objects": sorted(snapshot.objects)} if snapshot.objects else {}),
        "tables": [_table_json(t) for _, t in sorted(snapshot.tables.items())],
    }


def save_snapshot(snapshot: Snapshot, path: str, taken_at: dt.datetime | None = None) -> None:
    """Write the snapshot atomically; ``.gz`` names are gzip-compressed.

    A snapshot without tables is written only when it was taken with ``--objects tables``
    (its ``objects`` hold ``options``): only a run that compares tables reads it back.
    """
    if not snapshot.tables and "options" not in snapshot.objects:
        raise IndexDriftError(Message("error.snapshot.not_written", path=path,
                                      source=snapshot.source, why=Message("error.no_tables")))
    text = json.dumps(snapshot_json(snapshot, taken_at), ensure_ascii=False, indent=1) + "\n"
    if path.lower().endswith(".gz"):
        # mtime=0: the same snapshot gives the same bytes (diffable, cacheable).
        write_atomic(path, gzip.compress(text.encode("utf-8"), mtime=0))
    else:
        write_atomic(path, text)


class _Reader:
    """Typed access to the decoded JSON, each error naming the JSON path."""

    def __init__(self, shown: str) -> None:
        self.shown = shown

    def fail(self, where: str, message: str) -> None:
        raise InputError(self.shown, Message("error.input", where=where, message=message)
                         if where else message)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, Message("error.snapshot.object"))
        return value

    def list(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(where, Message("error.snapshot.list"))
        return value

    def string(self, value: Any, where: str) -> str:
        """``value`` when it is text an identifier or comment can hold, else an error."""
        if not isinstance(value, str):
            self.fail(where, Message("error.snapshot.string"))
        if "\0" in value:
            self.fail(where, nul_message(Message("error.nul.text")))
        if not value.isascii() and _SURROGATE.search(value):
            self.fail(where, surrogate_message("the text"))
        return value

    def strings(self, value: Any, where: str, *, non_empty: bool = False) -> list[str]:
        """A list of strings (column names, warnings...)."""
        items = self.list(value, where)
        if non_empty and not items:
            self.fail(where, Message("error.snapshot.names"))
        for number, item in enumerate(items):
            self.string(item, f"{where}[{number}]")
        return items

    def text(self, data: dict, key: str, where: str, *, required: bool = False,
             default: str | None = None) -> str | None:
        value = data.get(key, default)
        if value is None:
            if required:
                self.fail(f"{where}.{key}", Message("error.snapshot.string_required"))
            return None
        return self.string(value, f"{where}.{key}")

    def flag(self, data: dict, key: str, where: str, default: bool | None) -> bool | None:
        value = data.get(key, default)
        if value is not None and not isinstance(value, bool):
            self.fail(f"{where}.{key}", Message("error.snapshot.bool"))
        return value

    def whole(self, data: dict, key: str, where: str) -> int | None:
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 0 <= value <= _LARGEST):
            self.fail(f"{where}.{key}", Message("error.snapshot.int"))
        return value


def surrogate_message(what: str) -> str:
    """Why text holding a lone surrogate (a ``\\ud800``-``\\udfff`` escape without its
    pair) is refused: it is no character, and cannot be written as UTF-8 or sent to a
    database."""
    return (f"{what} contains a lone surrogate (\\ud800-\\udfff), which is not a character "
            "and cannot be written as UTF-8")


def _gunzip(fh: IO[bytes], shown: str) -> bytearray:
    """The decompressed bytes, read in pieces so the ``decompressed_bytes`` limit stops a
    bomb before it fills memory."""
    bound = limit("decompressed_bytes")
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=fh, mode="rb") as stream:
            while chunk := stream.read(_CHUNK):
                nul = chunk.find(0)
                if nul >= 0:  # JSON text never holds one (a bomb of zeros ends here)
                    raise InputError(shown, Message("error.snapshot.json_nul",
                                                     byte=len(out) + nul))
                out += chunk
                if len(out) > bound:
                    raise InputError(shown, limit_message("decompressed_bytes"))
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(shown, Message("error.snapshot.bad_gzip", reason=str(exc))) from None
    return out


def _read_text(path: str, shown: str) -> str:
    """The file's text, gunzipped when it is gzip data; only one copy of it stays alive."""
    with open_input(path, shown) as fh:
        try:
            gzipped = fh.read(2) == GZIP_MAGIC
            fh.seek(0)
        except OSError as exc:
            raise InputError(shown, Message("error.cannot_read",
                                             reason=exc.strerror or str(exc))) from None
        if gzipped:
            raw: bytes | bytearray = _gunzip(fh, shown)
        elif shown.lower().endswith(".gz"):
            raise InputError(shown, Message("error.snapshot.not_gzip"))
        else:
            raw = read_all(fh, shown)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(shown, Message("error.not_utf8_byte", byte=exc.start)) from None


def _parse_json(text: str, shown: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(shown, Message("error.snapshot.json", reason=exc.msg),
                         exc.lineno) from None
    except RecursionError:
        raise InputError(shown, Message("error.snapshot.json_deep")) from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise InputError(shown, Message("error.snapshot.digits")) from None


# What must be known before a table can be read: which format, and the flavor (it decides
# whether names are case-sensitive).
_BEFORE_TABLES = ("format", "format_version", "flavor")


def load_snapshot(spec: str) -> Snapshot:
    """Read a snapshot file; anything it cannot fully trust is an InputError.

    The tables are turned into the model one at a time as the JSON text is walked, so
    the decoded JSON of the whole file never exists at once. When the file names its
    format or flavor only after the tables (indexdrift writes them first), the tables are
    walked twice: once to find the end, once to read them.
    """
    doc = JsonObject(_read_text(spec, spec), spec)
    r = _Reader(spec)
    if not doc.is_object():
        _check_header(_parse_json(doc.text, spec), r)
    header: dict[str, Any] = {}
    tables_at: int | None = None
    tables: dict[str, Table] | None = None
    for key in doc.members():
        if key in header or (key == "tables" and tables_at is not None):
            r.fail(key, Message("error.snapshot.key_twice"))
        if key == "tables" and doc.at("["):
            tables_at = doc.pos
            if all(k in header for k in _BEFORE_TABLES):
                _check_header(header, r)
                tables = _tables_v1(r, doc.elements(), header)
            else:
                for _ in doc.elements():
                    pass  # read again below, once the format and flavor are known
        else:
            header[key] = doc.value()
    doc.end()
    _check_header(header, r)
    if tables is None:
        if tables_at is None:
            r.list(header.get("tables"), "tables")  # missing or not a list: the error
        doc.pos = tables_at
        tables = _tables_v1(r, doc.elements(), header)
    doc.text = ""  # the text is not needed any more
    snapshot = _snapshot_v1(header, r, spec, tables)
    if not snapshot.tables:
        # Taken of an empty schema with --objects tables: a run that compares tables
        # takes it (sources.open_source), any other refuses it.
        raise NoTablesInput(spec, Message("error.input", where="tables",
                                           message=Message("error.no_tables")), snapshot)
    return snapshot


def _check_header(data: Any, r: _Reader) -> None:
    """Refuse anything but a snapshot of a format version this indexdrift reads."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        if isinstance(data, dict) and "findings" in data and "schema_version" in data:
            r.fail("", Message("error.snapshot.is_report"))
        r.fail("", Message("error.snapshot.not_snapshot"))
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        r.fail("format_version", Message("error.snapshot.format_version"))
    if version > FORMAT_VERSION:
        tool = data.get("tool")
        r.fail("", Message("error.snapshot.newer", version=version,
                           tool=tool if isinstance(tool, str)
                           else Message("error.snapshot.unknown_version"),
                           this=__version__, readable=FORMAT_VERSION))
    if version not in READABLE_VERSIONS:
        r.fail("", Message("error.snapshot.older", version=version, this=__version__,
                           readable=", ".join(map(str, READABLE_VERSIONS))))


def _tables_v1(r: _Reader, raw_tables: Iterator[Any], header: dict) -> dict[str, Table]:
    """Each table of the list as the model, the JSON of one table alive at a time."""
    flavor = r.text(header, "flavor", "")
    exact = names_case_sensitive(flavor)
    family = dialects.of_flavor(flavor)
    sql = family.sql_text if family is not None else MYSQL
    options = (TABLE_OPTIONS.get(family.name, ()) if family is not None
               else tuple(o for names in TABLE_OPTIONS.values() for o in names))
    bound = limit("tables")
    tables: dict[str, Table] = {}
    for t_no, raw_table in enumerate(raw_tables):
        if t_no >= bound:
            r.fail("tables", limit_message("tables"))
        table = _table_v1(r, raw_table, f"tables[{t_no}]", exact)
        _objects_v1(r, raw_table, table, f"tables[{t_no}]", exact, sql, options)
        if table.name in tables:
            r.fail(f"tables[{t_no}].name", Message("error.snapshot.table_twice",
                                                   table=repr(table.name)))
        tables[table.name] = table
    return tables


def _snapshot_v1(data: dict, r: _Reader, spec: str, tables: dict[str, Table]) -> Snapshot:
    original = r.text(data, "source", "") or "unknown source"
    taken = r.text(data, "taken_at", "")
    r.text(data, "tool", "")
    warnings = r.strings(data.get("warnings", []), "warnings")
    # Both choose the DDL a report or migration writes: a value no reader writes would only
    # fail later, far from the file (or slip into a migration's header).
    flavor = r.text(data, "flavor", "")
    if flavor is not None and flavor not in FLAVORS:
        r.fail("flavor", Message("error.snapshot.one_of_or_null", value=repr(flavor),
                                 allowed=", ".join(FLAVORS)))
    version = r.text(data, "version", "")
    if version is not None and not VERSION_TEXT.fullmatch(version):
        r.fail("version", Message("error.snapshot.server_version", value=repr(version)))
    objects = r.strings(data.get("objects", []), "objects")
    return Snapshot(
        source=f"{spec} (snapshot of {original}" + (f", {taken})" if taken else ")"),
        schema=r.text(data, "schema", ""), flavor=flavor,
        version=version, warnings=list(warnings),
        has_details=bool(r.flag(data, "has_details", "", False)), tables=tables,
        objects=frozenset(o for o in objects if o in OBJECTS))


def _table_v1(r: _Reader, raw: Any, where: str, exact: bool) -> Table:
    t = r.obj(raw, where)
    name = r.text(t, "name", where, required=True)
    table = Table(name, size_bytes=r.whole(t, "size_bytes", where),
                  engine=r.text(t, "engine", where),
                  auto_increment_column=r.text(t, "auto_increment_column", where))
    fks = []
    for f_no, raw_fk in enumerate(r.list(t.get("foreign_keys", []), f"{where}.foreign_keys")):
        fks.append(_foreign_key_v1(r, raw_fk, name, f"{where}.foreign_keys[{f_no}]", exact))
    table.foreign_keys = tuple(fks)
    for i_no, raw_index in enumerate(r.list(t.get("indexes", []), f"{where}.indexes")):
        index = _index_v1(r, raw_index, name, f"{where}.indexes[{i_no}]", exact)
        if index.name_key in table.indexes:
            r.fail(f"{where}.indexes[{i_no}].name",
                   Message("error.snapshot.index_twice", index=repr(index.name),
                           table=repr(name)))
        table.add(index)
    referenced = r.obj(t.get("referenced_by", {}), f"{where}.referenced_by")
    for key, deps in referenced.items():
        dep_where = f"{where}.referenced_by[{key!r}]"
        r.string(key, dep_where)
        table.referenced_by[key] = tuple(r.strings(deps, dep_where))
    return table


def _choice(r: _Reader, data: dict, key: str, where: str, choices: tuple, default=None):
    """``data[key]`` when it is one of ``choices`` (texts, or None), else an error."""
    value = data.get(key, default)
    if value is not None:
        r.string(value, f"{where}.{key}")
    if value not in choices:
        shown = ", ".join("null" if c is None else c for c in choices)
        r.fail(f"{where}.{key}", Message("error.snapshot.one_of", value=repr(value),
                                         allowed=shown))
    return value


def _foreign_key_v1(r: _Reader, raw: Any, table: str, where: str, exact: bool) -> ForeignKey:
    """A foreign key: its name and columns (all older files hold), and its whole
    definition when the file has it (``ref_table``)."""
    fk = r.obj(raw, where)
    name = r.text(fk, "name", where, required=True)
    columns = tuple(r.strings(fk.get("columns"), f"{where}.columns", non_empty=True))
    ref_table = r.text(fk, "ref_table", where)
    if ref_table is None:
        return ForeignKey(table, name, columns)
    return ForeignKey(
        table, name, columns, ref_table=ref_table,
        ref_columns=tuple(r.strings(fk.get("ref_columns", []), f"{where}.ref_columns")),
        ref_schema=r.text(fk, "ref_schema", where),
        on_update=_choice(r, fk, "on_update", where, FK_ACTIONS, "NO ACTION"),
        on_delete=_choice(r, fk, "on_delete", where, FK_ACTIONS, "NO ACTION"),
        match=_choice(r, fk, "match", where, FK_MATCHES, "SIMPLE"),
        deferrable=_choice(r, fk, "deferrable", where, DEFERRABLE),
        valid=bool(r.flag(fk, "valid", where, True)),
        exact_name=bool(r.flag(fk, "exact_name", where, exact)))


def _sql(r: _Reader, text: str | None, where: str, check, dialect: str) -> None:
    """Refuse SQL text a migration could not write as it is (sources/sqlcells)."""
    if text is not None:
        problem = check(text, dialect)
        if problem is not None:
            r.fail(where, f"{excerpt(text)} {problem}")


def _objects_v1(r: _Reader, raw: dict, table: Table, where: str, exact: bool, sql: str,
                options: tuple[str, ...]) -> None:
    """The table's columns, checks and options, each only when the file has them."""
    if raw.get("columns") is not None:
        table.columns = _columns_v1(r, raw["columns"], f"{where}.columns")
    if raw.get("checks") is not None:
        table.checks = {}
        for c_no, raw_check in enumerate(r.list(raw["checks"], f"{where}.checks")):
            c_where = f"{where}.checks[{c_no}]"
            check = _check_v1(r, raw_check, table.name, c_where, exact, sql)
            if check.name_key in table.checks:
                r.fail(f"{c_where}.name", Message("error.snapshot.check_twice",
                                                 check=repr(check.name),
                                                 table=repr(table.name)))
            table.checks[check.name_key] = check
    if raw.get("options") is not None:
        found = r.obj(raw["options"], f"{where}.options")
        table.options = {}
        for key, value in found.items():
            o_where = f"{where}.options[{key!r}]"
            r.string(key, f"{where}.options")
            r.string(value, o_where)
            if key not in options:
                continue  # an option this indexdrift does not compare (a newer one's)
            if key in _WORD_OPTIONS and not _WORD.fullmatch(value):
                r.fail(o_where, Message("error.snapshot.one_word", value=excerpt(value)))
            table.options[key] = value


def _check_v1(r: _Reader, raw: Any, table: str, where: str, exact: bool,
              sql: str) -> CheckConstraint:
    c = r.obj(raw, where)
    expression = r.text(c, "expression", where, required=True)
    _sql(r, expression, f"{where}.expression", expression_problem, sql)
    return CheckConstraint(
        table, r.text(c, "name", where, required=True), expression,
        column=r.text(c, "column", where),
        enforced=bool(r.flag(c, "enforced", where, True)),
        valid=bool(r.flag(c, "valid", where, True)),
        no_inherit=bool(r.flag(c, "no_inherit", where, False)),
        exact_name=bool(r.flag(c, "exact_name", where, exact)))


_FAMILIES = {d.name: d.sql_text for d in dialects.DIALECTS}


def _columns_v1(r: _Reader, raw: Any, where: str) -> dict[str, Column]:
    """A table's columns by name_key, in position order (the order of the file's list)."""
    found: dict[str, Column] = {}
    positions: set[int] = set()
    for c_no, raw_col in enumerate(r.list(raw, where)):
        c_where = f"{where}[{c_no}]"
        col = _column_v1(r, raw_col, c_where)
        if col.name_key in found:
            r.fail(f"{c_where}.name", Message("error.snapshot.column_twice", column=repr(col.name)))
        if col.position in positions:
            r.fail(f"{c_where}.position", Message("error.snapshot.position_twice",
                                                   position=col.position))
        positions.add(col.position)
        found[col.name_key] = col
    return dict(sorted(found.items(), key=lambda item: item[1].position))


def _column_v1(r: _Reader, raw: Any, where: str) -> Column:
    c = r.obj(raw, where)
    dialect = r.text(c, "dialect", where, default="mysql")
    if dialect not in _FAMILIES:
        r.fail(f"{where}.dialect", Message("error.snapshot.one_of", value=repr(dialect),
                                           allowed=", ".join(_FAMILIES)))
    sql = _FAMILIES[dialect]
    position = r.whole(c, "position", where)
    if position is None or position < 1:
        r.fail(f"{where}.position", Message("error.snapshot.position"))
    nullable = r.flag(c, "nullable", where, None)
    if nullable is None:
        r.fail(f"{where}.nullable", Message("error.snapshot.bool"))
    column_type = r.text(c, "column_type", where, required=True)
    if column_type or dialect != "sqlite":  # a SQLite column may declare no type at all
        _sql(r, column_type, f"{where}.column_type", type_problem, sql)
    texts = {key: r.text(c, key, where) for key in ("default", "on_update", "expression",
                                                    "check")}
    for key, text in texts.items():
        _sql(r, text, f"{where}.{key}", expression_problem, sql)
    names = {key: r.text(c, key, where) for key in ("charset", "collation")}
    for key, text in names.items():
        if text is not None and name_problem(text) is not None:
            r.fail(f"{where}.{key}", f"{excerpt(text)} {name_problem(text)}")
    identity = _choice(r, c, "identity", where, IDENTITIES)
    options = r.text(c, "identity_options", where)
    if options is not None and options and not _IDENTITY_OPTIONS.fullmatch(options):
        r.fail(f"{where}.identity_options", Message("error.snapshot.identity_options",
                                                   value=excerpt(options)))
    return Column(
        name=r.text(c, "name", where, required=True), position=position,
        column_type=column_type, nullable=nullable, default=texts["default"],
        comment=r.text(c, "comment", where, default="") or "",
        charset=names["charset"], collation=names["collation"],
        auto_increment=bool(r.flag(c, "auto_increment", where, False)),
        on_update=texts["on_update"], generated=_choice(r, c, "generated", where, GENERATED),
        expression=texts["expression"], identity=identity, dialect=dialect,
        identity_options=options, check=texts["check"])


def _index_v1(r: _Reader, raw: Any, table: str, where: str, exact_name: bool = False) -> Index:
    ix = r.obj(raw, where)
    # Files written before the field existed: PostgreSQL's names are case-sensitive.
    exact_name = bool(r.flag(ix, "exact_name", where, exact_name))
    parts = []
    for p_no, raw_part in enumerate(r.list(ix.get("parts"), f"{where}.parts")):
        p_where = f"{where}.parts[{p_no}]"
        p = r.obj(raw_part, p_where)
        column = r.text(p, "column", p_where)
        expression = r.text(p, "expression", p_where)
        if column is None and expression is None:
            r.fail(p_where, Message("error.snapshot.key_part"))
        parts.append(KeyPart(column=column, expression=expression,
                             sub_part=r.whole(p, "sub_part", p_where),
                             descending=bool(r.flag(p, "descending", p_where, False)),
                             opclass=r.text(p, "opclass", p_where),
                             collation=r.text(p, "collation", p_where),
                             nulls_first=r.flag(p, "nulls_first", p_where, None),
                             operator=r.text(p, "operator", p_where),
                             exact_column=bool(r.flag(p, "exact_column", p_where,
                                                      exact_name))))
    if not parts:
        r.fail(f"{where}.parts", Message("error.snapshot.no_parts"))
    include = r.strings(ix.get("include", []), f"{where}.include")
    constraint = r.text(ix, "constraint", where)
    if constraint not in (None, "p", "u", "x"):
        r.fail(f"{where}.constraint", Message("error.snapshot.not_values", value=repr(constraint),
                                             allowed="p, u, x"))
    # Optional: files written before it existed hold no deferrable constraint.
    deferrable = r.text(ix, "deferrable", where)
    if deferrable not in (None, "IMMEDIATE", "DEFERRED"):
        r.fail(f"{where}.deferrable", Message("error.snapshot.not_values",
                                             value=repr(deferrable),
                                             allowed="IMMEDIATE, DEFERRED"))
    # Optional: files written before it existed do not know a PostgreSQL index's storage
    # parameters (None: not compared); other flavors have none.
    raw_storage = ix.get("storage", None if exact_name else {})
    if raw_storage is not None:
        if not isinstance(raw_storage, dict):
            r.fail(f"{where}.storage", Message("error.snapshot.storage"))
        for key, value in raw_storage.items():
            r.string(key, f"{where}.storage")
            r.string(value, f"{where}.storage[{key!r}]")
    storage = None if raw_storage is None else parse_storage(
        f"{k}={v}" for k, v in raw_storage.items())
    return Index(
        table=table, name=r.text(ix, "name", where, required=True), parts=tuple(parts),
        unique=bool(r.flag(ix, "unique", where, False)),
        primary=bool(r.flag(ix, "primary", where, False)),
        index_type=r.text(ix, "index_type", where, default="BTREE"),
        comment=r.text(ix, "comment", where, default="") or "",
        visible=bool(r.flag(ix, "visible", where, True)),
        include=tuple(include), predicate=r.text(ix, "predicate", where),
        nulls_not_distinct=bool(r.flag(ix, "nulls_not_distinct", where, False)),
        constraint=constraint, deferrable=deferrable,
        valid=bool(r.flag(ix, "valid", where, True)),
        parser=r.text(ix, "parser", where), storage=storage, exact_name=exact_name)
