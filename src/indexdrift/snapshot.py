"""Snapshot files: one environment saved as JSON (``.json`` or ``.json.gz``).

A snapshot holds every model field (PostgreSQL ones included), the server flavor and
version, and when it was taken. ``format_version`` says how to read it: a file written by
a newer indexdrift, or an unknown older format, is rejected with a clear message, never
misread.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zlib
from pathlib import Path
from typing import Any

from indexdrift import __version__
from indexdrift.atomic import write_atomic
from indexdrift.errors import InputError
from indexdrift.model import (
    ForeignKey,
    Index,
    KeyPart,
    Snapshot,
    Table,
    names_case_sensitive,
    parse_storage,
)

FORMAT = "indexdrift-snapshot"
FORMAT_VERSION = 1
# Older format versions this version can still read (none yet: version 1 is the first).
READABLE_VERSIONS = (1,)


def is_snapshot_path(spec: str) -> bool:
    """True for ``*.json`` and ``*.json.gz`` sources."""
    lower = spec.lower()
    return lower.endswith(".json") or lower.endswith(".json.gz")


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
        "tables": [
            {"name": t.name, "size_bytes": t.size_bytes, "engine": t.engine,
             "auto_increment_column": t.auto_increment_column,
             "foreign_keys": [{"name": fk.name, "columns": list(fk.columns)}
                              for fk in t.foreign_keys],
             "indexes": [_index_json(ix) for _, ix in sorted(t.indexes.items())],
             # PostgreSQL: foreign keys depending on an index (optional in version 1)
             **({"referenced_by": {k: list(v) for k, v in sorted(t.referenced_by.items())}}
                if t.referenced_by else {})}
            for _, t in sorted(snapshot.tables.items())
        ],
    }


def save_snapshot(snapshot: Snapshot, path: str, taken_at: dt.datetime | None = None) -> None:
    """Write the snapshot atomically; ``.gz`` names are gzip-compressed."""
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
        raise InputError(self.shown, f"{where}: {message}" if where else message)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, "expected an object")
        return value

    def list(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(where, "expected a list")
        return value

    def text(self, data: dict, key: str, where: str, *, required: bool = False,
             default: str | None = None) -> str | None:
        value = data.get(key, default)
        if value is None:
            if required:
                self.fail(f"{where}.{key}", "a string is required")
            return None
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", "expected a string")
        return value

    def flag(self, data: dict, key: str, where: str, default: bool | None) -> bool | None:
        value = data.get(key, default)
        if value is not None and not isinstance(value, bool):
            self.fail(f"{where}.{key}", "expected true or false")
        return value

    def whole(self, data: dict, key: str, where: str) -> int | None:
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 0):
            self.fail(f"{where}.{key}", "expected a whole number")
        return value


def _read_text(path: Path, shown: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(shown, f"broken gzip data: {exc}") from None
    elif shown.lower().endswith(".gz"):
        raise InputError(shown, "not gzip data (the name ends in .gz)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"not UTF-8 text (byte {exc.start})") from None


def load_snapshot(spec: str) -> Snapshot:
    """Read a snapshot file; anything it cannot fully trust is an InputError."""
    path = Path(spec)
    if not path.is_file():
        raise InputError(spec, "no such file")
    text = _read_text(path, spec)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(spec, f"not valid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise InputError(spec, "not valid JSON: nested too deeply") from None
    r = _Reader(spec)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        if isinstance(data, dict) and "findings" in data and "schema_version" in data:
            r.fail("", "this is a drift report (--format json), not a snapshot; make one "
                   "with: indexdrift snapshot SOURCE -o FILE.json")
        r.fail("", "not an indexdrift snapshot (no \"format\": \"indexdrift-snapshot\")")
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        r.fail("format_version", "missing or not a whole number")
    if version > FORMAT_VERSION:
        r.fail("", f"snapshot format {version} was written by a newer indexdrift "
               f"({data.get('tool', 'unknown version')}); this {__version__} reads format "
               f"{FORMAT_VERSION} and older: upgrade indexdrift")
    if version not in READABLE_VERSIONS:
        r.fail("", f"snapshot format {version} is too old for indexdrift {__version__} "
               f"(reads formats {', '.join(map(str, READABLE_VERSIONS))}); take the "
               "snapshot again")
    return _snapshot_v1(data, r, spec)


def _snapshot_v1(data: dict, r: _Reader, spec: str) -> Snapshot:
    original = r.text(data, "source", "") or "unknown source"
    taken = r.text(data, "taken_at", "")
    warnings = [w for w in r.list(data.get("warnings", []), "warnings") if isinstance(w, str)]
    snapshot = Snapshot(
        source=f"{spec} (snapshot of {original}" + (f", {taken})" if taken else ")"),
        schema=r.text(data, "schema", ""), flavor=r.text(data, "flavor", ""),
        version=r.text(data, "version", ""), warnings=warnings,
        has_details=bool(r.flag(data, "has_details", "", False)))
    exact = names_case_sensitive(snapshot.flavor)
    for t_no, raw_table in enumerate(r.list(data.get("tables"), "tables")):
        where = f"tables[{t_no}]"
        t = r.obj(raw_table, where)
        name = r.text(t, "name", where, required=True)
        if name in snapshot.tables:
            r.fail(f"{where}.name", f"table {name!r} appears twice")
        table = Table(name, size_bytes=r.whole(t, "size_bytes", where),
                      engine=r.text(t, "engine", where),
                      auto_increment_column=r.text(t, "auto_increment_column", where))
        fks = []
        for f_no, raw_fk in enumerate(r.list(t.get("foreign_keys", []), f"{where}.foreign_keys")):
            fk_where = f"{where}.foreign_keys[{f_no}]"
            fk = r.obj(raw_fk, fk_where)
            columns = r.list(fk.get("columns"), f"{fk_where}.columns")
            if not columns or not all(isinstance(c, str) for c in columns):
                r.fail(f"{fk_where}.columns", "expected a non-empty list of column names")
            fks.append(ForeignKey(name, r.text(fk, "name", fk_where, required=True),
                                  tuple(columns)))
        table.foreign_keys = tuple(fks)
        for i_no, raw_index in enumerate(r.list(t.get("indexes", []), f"{where}.indexes")):
            index = _index_v1(r, raw_index, name, f"{where}.indexes[{i_no}]", exact)
            if index.name_key in table.indexes:
                r.fail(f"{where}.indexes[{i_no}].name",
                       f"index {index.name!r} appears twice on table {name!r}")
            table.add(index)
        referenced = r.obj(t.get("referenced_by", {}), f"{where}.referenced_by")
        table.referenced_by = {key: tuple(str(d) for d in r.list(deps, f"{where}.referenced_by"))
                               for key, deps in referenced.items()}
        snapshot.tables[name] = table
    return snapshot


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
            r.fail(p_where, "a key part needs a column or an expression")
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
        r.fail(f"{where}.parts", "an index needs at least one key part")
    include = r.list(ix.get("include", []), f"{where}.include")
    if not all(isinstance(c, str) for c in include):
        r.fail(f"{where}.include", "expected a list of column names")
    constraint = r.text(ix, "constraint", where)
    if constraint not in (None, "p", "u", "x"):
        r.fail(f"{where}.constraint", f"{constraint!r} is not p, u, x or null")
    # Optional: files written before it existed hold no deferrable constraint.
    deferrable = r.text(ix, "deferrable", where)
    if deferrable not in (None, "IMMEDIATE", "DEFERRED"):
        r.fail(f"{where}.deferrable", f"{deferrable!r} is not IMMEDIATE, DEFERRED or null")
    # Optional: files written before it existed do not know a PostgreSQL index's storage
    # parameters (None: not compared); other flavors have none.
    raw_storage = ix.get("storage", None if exact_name else {})
    if raw_storage is not None and not (isinstance(raw_storage, dict) and all(
            isinstance(v, str) for v in raw_storage.values())):
        r.fail(f"{where}.storage", "expected an object of name: value texts or null")
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
