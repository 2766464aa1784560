"""Foreign keys, CHECK constraints and table options of a live PostgreSQL schema.

One query (``objects_query``), run by ``catalog.read_postgres`` on the catalog read's
connection and in the same transaction snapshot, only when ``--objects`` asks for one of
these kinds: one UNION ALL part per kind asked. Field by field (docs/tables.md, PostgreSQL):

- foreign keys: ``pg_constraint`` rows with ``contype = 'f'`` of the schema's tables;
  ``conkey`` / ``confkey`` as column names in the key's order, the parent table
  (``confrelid``; its schema only when it is not the child's), ``confupdtype`` /
  ``confdeltype``, the ``ON DELETE SET NULL / SET DEFAULT (columns)`` list of PostgreSQL 15
  (``confdelsetcols``), ``confmatchtype``, ``condeferrable`` / ``condeferred``,
  ``convalidated``. The keys PostgreSQL derives from a table-level key (``conparentid <>
  0``: its clone on each partition of a partitioned child, and one per partition of a
  partitioned parent) are not read: the table-level key makes and drops them, as a
  partition's attached index is not read;
- checks: ``contype = 'c'`` rows (domain checks have no table; PostgreSQL 18's ``contype
  = 'n'`` NOT NULL constraints are not checks), the expression as the server deparses it
  (``pg_get_expr(conbin, conrelid, true)``, see ``normalize_check``), ``connoinherit``,
  ``convalidated``, ``conenforced`` (PostgreSQL 18's NOT ENFORCED). A check a table only
  inherits (``NOT conislocal``: its parent's, a partitioned table's on each partition) is
  not read; its parent's is;
- options: ``relpersistence`` (``permanent`` / ``unlogged``) and the ``COMMENT ON TABLE``
  text (``""`` when none).
"""

from __future__ import annotations

from indexdrift.core.errors import SourceError
from indexdrift.dialects.postgresql.array_casts import pin_array_casts
from indexdrift.model.tables import (
    CheckConstraint,
    ForeignKey,
    Snapshot,
    names_case_sensitive,
)
from indexdrift.sources.urls import DbUrl, redact

# What the reader reads for each --objects kind (Snapshot.objects).
KINDS = ("foreign_keys", "checks", "options")

# pg_constraint codes (src/include/catalog/pg_constraint.h).
ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL",
           "d": "SET DEFAULT"}
MATCHES = {"s": "SIMPLE", "f": "FULL", "p": "PARTIAL"}
PERSISTENCE = {"p": "permanent", "u": "unlogged", "t": "temporary"}

# The row every part returns: kind, table, name, key columns (and quoted), parent schema,
# parent table, parent columns, ON UPDATE, ON DELETE, ON DELETE's column list, MATCH,
# deferrable, deferred, valid, check expression, NO INHERIT, enforced, persistence, comment.
_NONE = {"cols": "NULL::text[]", "qcols": "NULL::text[]", "ref_schema": "NULL::text",
         "ref_table": "NULL::text", "ref_cols": "NULL::text[]", "on_update": "NULL::text",
         "on_delete": "NULL::text", "set_cols": "NULL::text[]", "match": "NULL::text",
         "deferrable": "NULL::bool", "deferred": "NULL::bool", "valid": "NULL::bool",
         "expression": "NULL::text", "no_inherit": "NULL::bool", "enforced": "NULL::bool",
         "persistence": "NULL::text", "comment": "NULL::text"}


def _select(kind: str, table: str, name: str, **values: str) -> str:
    fields = {**_NONE, **values}
    return (f"SELECT '{kind}'::text, {table}, {name}, "
            + ", ".join(fields[k] for k in _NONE))


def objects_query(server_version: int, objects: frozenset[str]) -> str:
    """The query for the kinds of ``objects`` (``foreign_keys``, ``checks``, ``options``):
    one row per foreign key, per check and per table, in the layout of ``_NONE``. The
    one ``%s`` is the schema name.

    Each foreign key's columns are named in a LATERAL subquery of its own (index lookups
    in ``pg_attribute``): joined to an aggregate over all the keys instead, the planner,
    misled by the catalogs' statistics (one row expected), rescanned the aggregate per
    key, quadratic (80 s for 6,000 keys, against 0.1 s now).
    """
    set_cols = "fk.confdelsetcols" if server_version >= 150000 else "NULL::int2[]"
    # PostgreSQL 18: CHECK ... NOT ENFORCED.
    enforced = "con.conenforced" if server_version >= 180000 else "true"
    parts = []
    # NOT MATERIALIZED: each part joins the catalogs themselves (with their indexes); a
    # shared materialised list of tables had the planner loop over pg_constraint per table.
    ctes = ["""t AS NOT MATERIALIZED (
  SELECT c.oid, c.relname::text AS relname, c.relnamespace, c.relpersistence
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
)"""]
    if "foreign_keys" in objects:
        ctes.append("""fk AS NOT MATERIALIZED (
  SELECT con.*, t.relname, t.relnamespace
  FROM pg_constraint con JOIN t ON t.oid = con.conrelid
  WHERE con.contype = 'f' AND con.conparentid = 0
)""")
        parts.append(_select(
            "f", "fk.relname", "fk.conname::text", cols="fa.cols", qcols="fa.qcols",
            ref_schema="CASE WHEN pc.relnamespace = fk.relnamespace THEN NULL "
                       "ELSE pn.nspname::text END",
            ref_table="pc.relname::text", ref_cols="fa.ref_cols", on_update="fk.confupdtype::text",
            on_delete="fk.confdeltype::text", set_cols="fa.set_cols",
            match="fk.confmatchtype::text", deferrable="fk.condeferrable",
            deferred="fk.condeferred", valid="fk.convalidated")
            + f"""
FROM fk CROSS JOIN LATERAL (
  SELECT array_agg(a.attname::text ORDER BY e.ord) FILTER (WHERE e.side = 1) AS cols,
         array_agg(quote_ident(a.attname) ORDER BY e.ord) FILTER (WHERE e.side = 1) AS qcols,
         array_agg(a.attname::text ORDER BY e.ord) FILTER (WHERE e.side = 2) AS ref_cols,
         array_agg(a.attname::text ORDER BY e.ord) FILTER (WHERE e.side = 3) AS set_cols
  FROM (SELECT 1, k.attnum, k.ord, fk.conrelid
        FROM unnest(fk.conkey) WITH ORDINALITY AS k(attnum, ord)
        UNION ALL
        SELECT 2, k.attnum, k.ord, fk.confrelid
        FROM unnest(fk.confkey) WITH ORDINALITY AS k(attnum, ord)
        UNION ALL
        SELECT 3, k.attnum, k.ord, fk.conrelid
        FROM unnest({set_cols}) WITH ORDINALITY AS k(attnum, ord)
       ) AS e(side, attnum, ord, relid)
  JOIN pg_attribute a ON a.attrelid = e.relid AND a.attnum = e.attnum
) AS fa
JOIN pg_class pc ON pc.oid = fk.confrelid
JOIN pg_namespace pn ON pn.oid = pc.relnamespace""")
    if "checks" in objects:
        parts.append(_select(
            "c", "t.relname", "con.conname::text", valid="con.convalidated",
            expression="pg_get_expr(con.conbin, con.conrelid, true)",
            no_inherit="con.connoinherit", enforced=enforced)
            + """
FROM pg_constraint con JOIN t ON t.oid = con.conrelid
WHERE con.contype = 'c' AND con.conislocal""")
    if "options" in objects:
        parts.append(_select("o", "t.relname", "NULL::text",
                             persistence="t.relpersistence::text", comment="d.description")
                     + """
FROM t LEFT JOIN pg_description d ON d.objoid = t.oid
     AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0""")
    return "WITH " + ",\n".join(ctes) + "\n" + "\nUNION ALL\n".join(parts)


def _spans(text: str):
    """(piece, quoted) pieces of SQL text: string literals (``'…'``, ``''`` inside; an
    ``E'…'`` literal's backslash escapes) and quoted identifiers (``"…"``) whole, as
    quoted pieces; everything else character by character."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            escapes = ch == "'" and i > 0 and text[i - 1] in "eE" and (
                i < 2 or not (text[i - 2].isalnum() or text[i - 2] in "_$"))
            j = i + 1
            while j < n:
                if escapes and text[j] == "\\":
                    j += 2
                    continue
                if text[j] == ch:
                    if j + 1 < n and text[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            yield text[i:j + 1], True
            i = j + 1
        else:
            yield ch, False
            i += 1


def _collapse(text: str) -> str:
    """Runs of white space outside literals and quoted identifiers as one space, none
    at the ends (the deparser's line breaks and indentation of CASE, say)."""
    out: list[str] = []
    space = False
    for piece, quoted in _spans(text):
        if not quoted and piece.isspace():
            space = True
            continue
        if space and out:
            out.append(" ")
        space = False
        out.append(piece)
    return "".join(out)


def _enclosed(text: str) -> bool:
    """True when the whole text is one parenthesised expression: ``(a > 0)``, not
    ``(a > 0) AND (b > 0)``."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    pieces = list(_spans(text))
    for number, (piece, quoted) in enumerate(pieces):
        if quoted:
            continue
        if piece == "(":
            depth += 1
        elif piece == ")":
            depth -= 1
            if depth == 0 and number != len(pieces) - 1:
                return False
    return depth == 0


def normalize_check(text: str) -> str:
    """A check's expression as compared: the server's deparsed text (``pg_get_expr``
    pretty: ``qty > 0``, whatever parentheses and spaces the DDL had) with white space
    outside literals collapsed to single spaces and parentheses around the whole
    expression dropped (``CHECK ((qty > 0))`` as ``pg_get_constraintdef`` prints it and
    ``(qty > 0)`` of the non-pretty deparser read as ``qty > 0``), and a cast of a whole
    ARRAY of literals written so that it parses back to itself (array_casts)."""
    text = _collapse(pin_array_casts(text) or "")
    while _enclosed(text):
        text = _collapse(text[1:-1])
    return text


def _code(codes: dict[str, str], value: str | None) -> str:
    """A pg_constraint code by name; a code a later server adds keeps its letter."""
    return codes.get(value or "", (value or "").upper())


def on_delete_text(action: str, cols, qcols, set_cols) -> str:
    """``SET NULL`` / ``SET DEFAULT`` with PostgreSQL 15's column list, ``SET NULL
    ("b")``: the listed columns in the key's order (quoted as SQL), the list left out
    when it names every column of the key (that is what no list means)."""
    listed = set(set_cols or ())
    if not listed or listed >= set(cols or ()):
        return action
    chosen = [q for c, q in zip(cols, qcols, strict=True) if c in listed]
    return f"{action} ({', '.join(chosen)})"


def fetch_object_rows(conn, server_version: int, schema: str, objects: frozenset[str],
                      url: DbUrl, env: str) -> list[tuple]:
    """Every row of ``objects_query`` on ``schema``, on the catalog read's connection. The
    search_path is the schema for this transaction, so its own types and functions in a
    check's expression print unqualified (tenants of a fleet compare equal, as columns
    do). A server error names the env and the (redacted) URL."""
    import psycopg

    try:
        with conn.cursor() as cur:
            cur.execute("SELECT set_config('search_path', quote_ident(%s), true)", (schema,))
            cur.execute(objects_query(server_version, objects), (schema,))
            return list(cur.fetchall())
    except psycopg.Error as exc:
        raise SourceError(env, f"foreign key, check and table option query failed on "
                          f"{url.redacted}: {redact(str(exc).strip())}") from None


def apply_object_rows(snapshot: Snapshot, rows: list[tuple], objects: frozenset[str]
                      ) -> Snapshot:
    """Give the snapshot's tables the foreign keys, checks and options of ``rows`` for the
    kinds of ``objects`` (every table gets them, none when it has none), and record the
    kinds in ``snapshot.objects``. Rows of a table the snapshot does not hold are left."""
    asked = frozenset(objects) & frozenset(KINDS)
    exact = names_case_sensitive(snapshot.flavor)
    keys: dict[str, list[ForeignKey]] = {}
    for table in snapshot.tables.values():
        if "checks" in asked:
            table.checks = {}
    for (kind, name, constraint, cols, qcols, ref_schema, ref_table, ref_cols, on_update,
         on_delete, set_cols, match, deferrable, deferred, valid, expression, no_inherit,
         enforced, persistence, comment) in rows:
        table = snapshot.tables.get(name)
        if table is None:
            continue
        if kind == "f":
            keys.setdefault(name, []).append(ForeignKey(
                table=name, name=constraint, columns=tuple(cols or ()), ref_table=ref_table,
                ref_columns=tuple(ref_cols or ()), ref_schema=ref_schema,
                on_update=_code(ACTIONS, on_update),
                on_delete=on_delete_text(_code(ACTIONS, on_delete), cols, qcols, set_cols),
                match=_code(MATCHES, match),
                deferrable=("DEFERRED" if deferred else "IMMEDIATE") if deferrable else None,
                valid=bool(valid), exact_name=exact))
        elif kind == "c":
            check = CheckConstraint(table=name, name=constraint,
                                    expression=normalize_check(expression or ""),
                                    valid=bool(valid), no_inherit=bool(no_inherit),
                                    enforced=bool(enforced), exact_name=exact)
            table.checks[check.name_key] = check
        elif kind == "o":
            # The keys of TABLE_OPTIONS["postgresql"], in its order.
            table.options = {"persistence": _code(PERSISTENCE, persistence),
                             "comment": comment or ""}
    if "foreign_keys" in asked:
        for name, table in snapshot.tables.items():
            table.foreign_keys = tuple(sorted(keys.get(name, ()), key=lambda k: k.name))
    snapshot.objects = snapshot.objects | asked
    return snapshot
