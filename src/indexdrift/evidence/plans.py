"""Query-plan evidence: which indexes the optimizer picks for a list of SELECTs.

Only ``EXPLAIN`` runs, never the statement itself, on a read-only session (MySQL/MariaDB
``SET SESSION TRANSACTION READ ONLY``, PostgreSQL ``default_transaction_read_only``).
Every statement of the queries file is parsed with sqlglot first; anything that is not a
single SELECT (or WITH ... SELECT, or a UNION of SELECTs) is refused before connecting:
writes, locking reads (FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE), SELECT ... INTO,
data-modifying CTEs and functions with side effects even EXPLAIN may evaluate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType

from indexdrift.core import registry as dialects
from indexdrift.core.errors import InputError
from indexdrift.core.i18n import Message
from indexdrift.sources.urls import DbUrl

# Functions with effects outside the query; the optimizer may evaluate constant
# expressions while planning, so these are refused even under EXPLAIN.
SIDE_EFFECT_FUNCTIONS = frozenset({
    "sleep", "benchmark", "get_lock", "release_lock", "release_all_locks", "load_file",
    "master_pos_wait", "source_pos_wait", "pg_sleep", "pg_sleep_for", "pg_sleep_until",
    "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile",
    "pg_advisory_lock", "pg_advisory_xact_lock", "pg_try_advisory_lock", "set_config",
    "nextval", "setval", "pg_read_file", "pg_read_binary_file", "lo_import", "lo_export",
    "dblink", "dblink_exec", "pg_notify",
})
_WRITES = (exp.DML, exp.DDL, exp.Merge, exp.Command, exp.Into, exp.Lock)
_QUERY_ROOTS = (exp.Select, exp.SetOperation, exp.Subquery)


@dataclass(frozen=True, slots=True)
class Query:
    """One statement of the queries file: its text, where it starts, its parsed tree."""

    number: int
    line: int
    sql: str
    tree: exp.Expression

    def tables(self) -> dict[str, str]:
        """Alias (or name), lower-cased -> table name, for every table the query reads."""
        found: dict[str, str] = {}
        for table in self.tree.find_all(exp.Table):
            if table.name:
                found[table.alias_or_name.lower()] = table.name
                found.setdefault(table.name.lower(), table.name)
        return found


def _dialect(flavor: str) -> str:
    """The sqlglot dialect the queries of a ``flavor`` server are parsed with."""
    return dialects.of_flavor(flavor).explain or "mysql"


def _refusal(tree: exp.Expression) -> str | None:
    """Why ``tree`` may not be explained, or None when it is a plain read."""
    if not isinstance(tree, _QUERY_ROOTS):
        return f"is a {tree.key.upper()} statement, not a SELECT"
    for node in tree.walk():
        if isinstance(node, exp.Lock):
            return "is a locking read (FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE)"
        if isinstance(node, exp.Into):
            return "is a SELECT ... INTO (it writes)"
        if isinstance(node, _WRITES):
            return f"contains a {node.key.upper()} (only reads are explained)"
        if isinstance(node, exp.Func):
            name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()
            if name in SIDE_EFFECT_FUNCTIONS:
                return f"calls {name}(), which has side effects"
    return None


def parse_queries(text: str, path: str, flavor: str) -> list[Query]:
    """Split the file on semicolons (outside quotes and comments) and check each statement.

    Raises InputError, naming the file and line, for the first statement that is refused.
    """
    dialect = sqlglot.Dialect.get_or_raise(_dialect(flavor))
    try:
        tokens = dialect.tokenize(text)
    except TokenError as exc:
        raise InputError(path, Message("error.plans.unreadable", reason=str(exc))) from None
    chunks: list[tuple[int, int, int]] = []  # (start offset, end offset, line)
    start: int | None = None
    line = 1
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if start is not None:
                chunks.append((start, token.start, line))
            start = None
        elif start is None:
            start, line = token.start, token.line
    if start is not None:
        chunks.append((start, len(text), line))
    queries: list[Query] = []
    for number, (begin, end, line) in enumerate(chunks, start=1):
        sql = text[begin:end].strip()
        try:
            trees = [t for t in sqlglot.parse(sql, dialect=dialect) if t is not None]
        except (ParseError, TokenError, RecursionError) as exc:
            # sqlglot parses by recursion: parentheses nested a few hundred deep exhaust
            # the stack, which is input it cannot parse like any other.
            first = str(exc).splitlines()[0] if isinstance(exc, ParseError | TokenError) \
                else "nested too deeply"
            raise InputError(path, Message("error.plans.unparsable", number=number,
                                           reason=first), line) from None
        if len(trees) != 1:
            raise InputError(path, Message("error.plans.several", number=number,
                                           count=len(trees)), line)
        why = _refusal(trees[0])
        if why:
            raise InputError(path, Message("error.plans.refused", number=number, why=why),
                             line)
        queries.append(Query(number, line, sql, trees[0]))
    if not queries:
        raise InputError(path, Message("error.plans.none"))
    return queries


@dataclass(slots=True)
class IndexRef:
    """An index of the env's schema: table, name, and whether it enforces something."""

    table: str
    name: str
    unique: bool = False
    primary: bool = False

    @property
    def label(self) -> str:
        """``table.index``."""
        return f"{self.table}.{self.name}"


@dataclass(slots=True)
class QueryPlan:
    """The indexes the optimizer chose for one query."""

    query: Query
    indexes: list[IndexRef] = field(default_factory=list)
    plan: object = None  # the server's JSON plan


@dataclass(slots=True)
class PlansReport:
    """Plans of every query, and the drop candidates no query uses."""

    env: str
    source: str
    plans: list[QueryPlan]
    candidates: list[IndexRef]
    unused: list[IndexRef]


def _as_json(value: object) -> object:
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode()
    return json.loads(value) if isinstance(value, str) else value


def explain_queries(url: DbUrl, env: str, queries: list[Query],
                    candidates: list[str] | None = None) -> PlansReport:
    """EXPLAIN every query on the env and name the drop candidates no query uses.

    ``candidates`` are ``table.index`` names; by default every index of the tables the
    queries read that neither is the primary key nor enforces uniqueness.
    """
    dialect = dialects.by_name(url.kind).module("plans")
    catalog, raw_plans = dialect.explain_plans(url, env, queries)
    by_key = {(ix.table.lower(), ix.name.lower()): ix for ix in catalog}
    by_name: dict[str, list[IndexRef]] = {}
    for ix in catalog:
        by_name.setdefault(ix.name.lower(), []).append(ix)
    plans: list[QueryPlan] = []
    for query, raw in zip(queries, raw_plans, strict=True):
        used: list[IndexRef] = []
        aliases = query.tables()
        refs = dialect.plan_refs(raw, aliases, by_key, by_name)
        for ref in refs:
            if ref not in used:
                used.append(ref)
        plans.append(QueryPlan(query, used, raw))
    read_tables = {t.lower() for p in plans for t in p.query.tables().values()}
    if candidates:
        chosen = []
        for label in candidates:
            table, _, name = label.rpartition(".")
            ref = by_key.get((table.lower(), name.lower()))
            if ref is None:
                raise InputError("--candidate", Message("error.plans.no_index", label=label,
                                                         env=env))
            chosen.append(ref)
    else:
        chosen = sorted((ix for ix in catalog if ix.table.lower() in read_tables
                         and not ix.unique and not ix.primary),
                        key=lambda ix: (ix.table.lower(), ix.name.lower()))
    used_keys = {(ix.table.lower(), ix.name.lower()) for p in plans for ix in p.indexes}
    unused = [ix for ix in chosen if (ix.table.lower(), ix.name.lower()) not in used_keys]
    return PlansReport(env, url.redacted, plans, chosen, unused)
