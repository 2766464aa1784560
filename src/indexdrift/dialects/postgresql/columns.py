"""Column definitions of a live PostgreSQL schema: one catalog query per env.

From ``pg_attribute`` (with ``pg_class``, ``pg_namespace``, ``pg_type``, ``pg_attrdef``,
``pg_collation``, ``pg_depend`` and ``col_description``), user columns only (no system
columns, no dropped ones). Field by field:

- position: the rank of ``attnum`` among the table's live columns (a dropped column leaves
  a gap in ``attnum`` that must not count as a move);
- type: ``format_type(atttypid, atttypmod)``: lengths, precision, arrays (``integer[]``),
  domains and enums by name. The session's ``search_path`` is the compared schema, so its
  own types come unqualified and tenants of a fleet (one schema each) compare equal;
- default: ``pg_get_expr`` text, normalised (see ``normalize_pg_default``); identity and
  generated columns have none;
- serial: a ``nextval`` default on a sequence the column owns (``pg_depend`` deptype
  ``a``) is ``auto_increment`` with no default. The sequence's name is not compared: it
  follows the table and column name at creation (``t_id_seq``) and a renamed table keeps
  the old one, so comparing it would only report history, never behaviour;
- identity: ``attidentity`` ``a``/``d`` → ``ALWAYS``/``BY DEFAULT``, with the declared
  options of its sequence (``pg_sequence`` of the sequence the column owns internally,
  ``pg_depend`` deptype ``i``) as text without the defaults (see ``identity_options_text``).
  The sequence's current value is data, not definition: it is never read;
- generated: ``attgenerated = 's'`` → ``STORED`` with the expression;
- collation: only when it is not the type's default (``attcollation <> typcollation``);
- comment: ``col_description``.

A table without columns (``CREATE TABLE t ()``, or every column dropped) gives one row
whose column fields are all NULL: it is read as ``{}`` (its columns were read and there
are none), never left out, which would mean "not read" and hide the baseline's columns.
"""

from __future__ import annotations

import re
from decimal import Decimal

from indexdrift.core.errors import SourceError
from indexdrift.model.column_text import normalize_expression
from indexdrift.model.tables import Column
from indexdrift.sources.urls import DbUrl, redact

QUERY = """
SELECT c.relname, a.attname,
       row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum) AS position,
       format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation THEN
         CASE WHEN colln.nspname = 'pg_catalog' THEN quote_ident(coll.collname)
         ELSE quote_ident(colln.nspname) || '.' || quote_ident(coll.collname) END
       END,
       col_description(a.attrelid, a.attnum), owned.objid IS NOT NULL AS owns_sequence,
       ty.typcategory, format_type(ids.seqtypid, NULL), ids.seqstart, ids.seqincrement,
       ids.seqmin, ids.seqmax, ids.seqcache, ids.seqcycle
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_type ty ON ty.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation coll ON coll.oid = a.attcollation
LEFT JOIN pg_namespace colln ON colln.oid = coll.collnamespace
LEFT JOIN (
  SELECT d.objid, d.refobjid, d.refobjsubid
  FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
    AND d.deptype = 'a'
) owned ON owned.refobjid = a.attrelid AND owned.refobjsubid = a.attnum
LEFT JOIN (
  SELECT d.refobjid, d.refobjsubid, sq.*
  FROM pg_depend d JOIN pg_sequence sq ON sq.seqrelid = d.objid
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
    AND d.deptype = 'i'
) ids ON a.attidentity <> '' AND ids.refobjid = a.attrelid AND ids.refobjsubid = a.attnum
WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
ORDER BY c.relname, a.attnum
"""

# A quoted literal followed by one or more casts: 'x'::character varying, '-1'::integer,
# 'happy'::mood, '{}'::integer[], 'ab'::bpchar. Type names have no quote but "char".
_CAST_LITERAL = re.compile(r"^('(?:[^']|'')*')((?:::(?:\"[^\"]+\"|[\w .$\[\]()]+?))+)$",
                           re.DOTALL)
_NULL_CAST = re.compile(r"^NULL(::(?:\"[^\"]+\"|[\w .$\[\]()]+?))*$", re.IGNORECASE)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_NOW = re.compile(r"^(?:now\(\)|CURRENT_TIMESTAMP|transaction_timestamp\(\))$", re.IGNORECASE)
_SERIAL_DEFAULT = re.compile(r"^nextval\('.*'::regclass\)$", re.DOTALL)


def _canonical_number(text: str) -> str:
    """``0.00`` → ``0``, ``1.50`` → ``1.5``, ``1e3`` → ``1000`` (no exponent)."""
    number = Decimal(text).normalize()
    return format(number, "f") if number != 0 else "0"


def normalize_pg_default(text: str | None, *, nullable: bool, numeric: bool) -> str | None:
    """``pg_get_expr`` text → the default as compared (None: NOT NULL without default).

    - A literal's casts are dropped (``'x'::character varying`` and ``'x'::text`` on a
      varchar column are one default: the server coerces it to the column type either
      way, and how it was written, or which version deparsed it, leaves a different cast);
    - a number on a numeric column is bare and canonical: PostgreSQL deparses
      ``DEFAULT -1`` as ``'-1'::integer``, and ``0``, ``0.00`` and ``0.0`` are one value
      (``numeric(12,2)`` stores every one as ``0.00``);
    - ``DEFAULT NULL`` (``NULL::text``) and no default on a nullable column are ``NULL``,
      as on MySQL;
    - ``now()``, ``transaction_timestamp()`` and ``CURRENT_TIMESTAMP`` are one function.
      ``LOCALTIMESTAMP`` is not: it has another type.
    """
    if text is None or _NULL_CAST.match(text.strip()):
        return "NULL" if nullable else None
    value = text.strip()
    found = _CAST_LITERAL.match(value)
    if found:
        value = found.group(1)
        if numeric and _NUMBER.match(value[1:-1]):
            value = value[1:-1]
    if numeric and _NUMBER.match(value):
        value = _canonical_number(value)
    if _NOW.match(value):
        return "CURRENT_TIMESTAMP"
    return value


# The range of each type a sequence can have (``AS smallint|integer|bigint``).
_SEQUENCE_BOUNDS = {"smallint": (-2**15, 2**15 - 1), "integer": (-2**31, 2**31 - 1),
                    "bigint": (-2**63, 2**63 - 1)}
_OPTION = re.compile(r"(START WITH|INCREMENT BY|MINVALUE|MAXVALUE|CACHE) (-?\d+)|(CYCLE)")
_OPTION_NAMES = {"START WITH": "start", "INCREMENT BY": "increment", "MINVALUE": "min",
                 "MAXVALUE": "max", "CACHE": "cache"}


def identity_options_text(seq_type: str, start: int, increment: int, minimum: int,
                          maximum: int, cache: int, cycle: bool) -> str:
    """The declared options of an identity sequence without the ones at their default:
    ``START WITH 10 INCREMENT BY 5 CACHE 20 CYCLE`` ("" when all are). Defaults follow
    ``CREATE SEQUENCE``: INCREMENT 1, MINVALUE 1 (descending: the type's minimum),
    MAXVALUE the type's maximum (descending: -1), START at MINVALUE (descending:
    MAXVALUE), CACHE 1, NO CYCLE. Leaving out the type-dependent bounds keeps an integer
    and a bigint identity with default bounds equal (the type is compared on its own and
    ALTER COLUMN TYPE moves the sequence's bounds with it)."""
    low, high = _SEQUENCE_BOUNDS.get(seq_type, _SEQUENCE_BOUNDS["bigint"])
    ascending = increment > 0
    parts = []
    if start != (minimum if ascending else maximum):
        parts.append(f"START WITH {start}")
    if increment != 1:
        parts.append(f"INCREMENT BY {increment}")
    if minimum != (1 if ascending else low):
        parts.append(f"MINVALUE {minimum}")
    if maximum != (high if ascending else -1):
        parts.append(f"MAXVALUE {maximum}")
    if cache != 1:
        parts.append(f"CACHE {cache}")
    if cycle:
        parts.append("CYCLE")
    return " ".join(parts)


def parse_identity_options(text: str) -> dict:
    """``identity_options_text`` text → {start, increment, min, max, cache, cycle}: the
    options it names (``cycle`` always); ValueError on anything else."""
    out: dict = {"cycle": False}
    rest = _OPTION.sub("", text).strip()
    if rest:
        raise ValueError(f"not an identity option: {rest!r}")
    for found in _OPTION.finditer(text):
        if found.group(3):
            out["cycle"] = True
        else:
            out[_OPTION_NAMES[found.group(1)]] = int(found.group(2))
    if out.get("increment") == 0:
        raise ValueError("INCREMENT BY 0")
    return out


def _bounds(opts: dict, seq_type: str) -> tuple[int, int]:
    low, high = _SEQUENCE_BOUNDS.get(seq_type, _SEQUENCE_BOUNDS["bigint"])
    ascending = opts.get("increment", 1) > 0
    return opts.get("min", 1 if ascending else low), opts.get("max", high if ascending else -1)


def identity_bounds(text: str, seq_type: str) -> tuple[int, int]:
    """(MINVALUE, MAXVALUE) of an identity sequence declared with ``text`` (options of
    ``identity_options_text``), the defaults resolved against its type and direction."""
    return _bounds(parse_identity_options(text), seq_type)


def canonical_identity_options(text: str, seq_type: str) -> str:
    """Options as written by hand (any order, defaults spelled out) → the compared text of
    ``identity_options_text``; ``seq_type`` is the column's type, which an identity
    sequence follows. ValueError on text that is not options."""
    opts = parse_identity_options(text)
    increment = opts.get("increment", 1)
    ascending = increment > 0
    minimum, maximum = _bounds(opts, seq_type)
    start = opts.get("start", minimum if ascending else maximum)
    return identity_options_text(seq_type, start, increment, minimum, maximum,
                                 opts.get("cache", 1), opts["cycle"])


def column_from_pg_row(row: tuple) -> tuple[str, Column]:
    """One row of QUERY → (table name, Column)."""
    (table, name, position, type_text, notnull, default, identity, generated, collation,
     comment, owns_sequence, category, seq_type, *sequence) = row
    nullable = not notnull
    identity_kind = {"a": "ALWAYS", "d": "BY DEFAULT"}.get(identity or "")
    stored = (generated or "") == "s"
    serial = bool(owns_sequence) and not identity_kind and bool(
        default and _SERIAL_DEFAULT.match(default))
    if stored or identity_kind or serial:
        # Their pg_attrdef row is the generation expression / the sequence: no default.
        value = None
    else:
        value = normalize_pg_default(default, nullable=nullable, numeric=category == "N")
    return table, Column(
        name=name, position=int(position), column_type=type_text, nullable=nullable,
        default=value, comment=comment or "", collation=collation or None,
        auto_increment=serial, generated="STORED" if stored else None,
        expression=normalize_expression(default) if stored else None,
        identity=identity_kind, dialect="postgresql",
        identity_options=identity_options_text(seq_type, *(int(v) for v in sequence[:5]),
                                               bool(sequence[5]))
        if identity_kind and seq_type else None)


def columns_from_pg_rows(rows: list[tuple]) -> dict[str, dict[str, Column]]:
    """Rows of QUERY → {table: {column name: Column}} in column order (``{}`` for a
    table without columns)."""
    tables: dict[str, dict[str, Column]] = {}
    for row in sorted(rows, key=lambda r: (r[0], int(r[2]))):
        if row[1] is None:  # the one row of a table without columns
            tables.setdefault(row[0], {})
            continue
        table, column = column_from_pg_row(row)
        tables.setdefault(table, {})[column.name_key] = column
    return tables


def fetch_pg_column_rows(conn, schema: str, url: DbUrl, env: str) -> list[tuple]:
    """Every row of QUERY on ``schema``, on an open connection (the catalog read's); the
    session's search_path becomes the schema, so its own types and sequences print
    unqualified. A server error names the env and the (redacted) URL."""
    import psycopg  # lazy: start-up imports no driver

    try:
        with conn.cursor() as cur:
            # Types and sequences of the compared schema print unqualified (see above).
            cur.execute("SELECT set_config('search_path', quote_ident(%s), false)",
                        (schema,))
            cur.execute(QUERY, (schema,))
            return list(cur.fetchall())
    except psycopg.Error as exc:
        raise SourceError(env, f"column query failed on {url.redacted}: "
                          f"{redact(str(exc).strip())}") from None
