"""The index model: small value types with exact comparison semantics.

An index is what the catalogs say defines it: table, name, key parts in order,
uniqueness, primary-ness, type, comment and visibility. Volatile statistics
(CARDINALITY, NULLABLE, PACKED) never enter the model, so they can never cause drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from indexdrift.core import registry as dialects

# Index types as the comparison sees them. MySQL 8 reports SPATIAL where 5.7 and
# MariaDB report RTREE for the same InnoDB spatial index, so both map to SPATIAL.
_TYPE_ALIASES = {"RTREE": "SPATIAL"}


def normalize_index_type(value: str | None) -> str:
    """Return the canonical upper-case index type (BTREE when unknown)."""
    kind = (value or "BTREE").strip().upper()
    return _TYPE_ALIASES.get(kind, kind)


def names_case_sensitive(flavor: str | None) -> bool:
    """True when the flavor's index and column names are case-sensitive (its dialect's
    rule: PostgreSQL only)."""
    return dialects.names_case_sensitive(flavor)


def deferrable_sql(mode: str | None) -> str:
    """``DEFERRABLE [INITIALLY DEFERRED]`` for a deferrable constraint's mode, else ``""``."""
    if not mode:
        return ""
    return "DEFERRABLE INITIALLY DEFERRED" if mode == "DEFERRED" else "DEFERRABLE"


def storage_text(storage: tuple[tuple[str, str], ...] | None) -> str:
    """Storage parameters as ``fillfactor=70, pages_per_range=32`` (``""`` when none)."""
    return ", ".join(f"{name}={value}" for name, value in storage or ())


def parse_storage(values) -> tuple[tuple[str, str], ...]:
    """Normalise ``name=value`` texts (pg_class.reloptions, a CSV cell split on lines or
    commas) into sorted pairs: names lower-cased, values kept as PostgreSQL stores them."""
    pairs = {}
    for item in values or ():
        name, _, value = str(item).partition("=")
        if name.strip():
            pairs[name.strip().lower()] = value.strip()
    return tuple(sorted(pairs.items()))


@dataclass(frozen=True, slots=True)
class KeyPart:
    """One key part: a column (or an expression), an optional prefix length, DESC."""

    column: str | None
    expression: str | None = None
    sub_part: int | None = None
    descending: bool = False
    # PostgreSQL-only details; empty on MySQL-family sources.
    opclass: str | None = None
    collation: str | None = None
    nulls_first: bool | None = None
    # EXCLUDE constraints: the operator of this part (``=``, ``&&``...), else None.
    operator: str | None = None
    # PostgreSQL column names are case-sensitive ("Email" and email are two columns);
    # readers set this from the flavor (see names_case_sensitive).
    exact_column: bool = False

    @property
    def column_key(self) -> str | None:
        """The column as a key: as written on PostgreSQL, lower-cased elsewhere."""
        if self.column is None or self.exact_column:
            return self.column
        return self.column.lower()

    def key(self) -> tuple:
        """The comparison key; the column by ``column_key``."""
        return (
            self.column_key,
            self.expression,
            self.sub_part,
            self.descending,
            self.opclass,
            self.collation,
            self.nulls_first,
            self.operator,
        )

    def fragment(self) -> str:
        """Readable fragment such as ``email(20)`` or ``created_at DESC``."""
        text = self.column if self.column is not None else f"({self.expression})"
        if self.sub_part is not None:
            text += f"({self.sub_part})"
        if self.collation:
            text += f" COLLATE {self.collation}"
        if self.opclass:
            text += f" {self.opclass}"
        if self.descending:
            text += " DESC"
        if self.nulls_first is not None:
            text += " NULLS FIRST" if self.nulls_first else " NULLS LAST"
        if self.operator:
            text += f" WITH {self.operator}"
        return text


@dataclass(frozen=True, slots=True)
class Index:
    """An index as defined in one environment.

    ``Index.equals`` compares everything but the name's case (which counts on PostgreSQL,
    see ``exact_name``); ``equivalent`` compares what makes the index behave the same,
    regardless of name, comment and visibility (this is how a rename is recognised).
    """

    table: str
    name: str
    parts: tuple[KeyPart, ...]
    unique: bool = False
    primary: bool = False
    index_type: str = "BTREE"
    comment: str = ""
    visible: bool = True
    # PostgreSQL/SQLite extensions; defaults mean "not applicable".
    include: tuple[str, ...] = ()
    predicate: str | None = None
    nulls_not_distinct: bool = False
    constraint: str | None = None  # "p", "u", "x" when a constraint owns the index
    # A DEFERRABLE constraint's initial mode, "IMMEDIATE" or "DEFERRED"; None when the
    # constraint is not deferrable (or no constraint owns the index).
    deferrable: str | None = None
    valid: bool = True
    parser: str | None = None  # FULLTEXT WITH PARSER, when a source knows it
    # PostgreSQL index storage parameters (pg_class.reloptions: fillfactor, pages_per_range,
    # fastupdate...) as sorted (name, value) pairs; None when the source does not know them
    # (an older catalog CSV or snapshot): then they are not compared (see compare.py).
    storage: tuple[tuple[str, str], ...] | None = ()
    # PostgreSQL index names are case-sensitive ("Idx_a" and idx_a are two indexes), and
    # so are INCLUDE column names; readers set this from the flavor (names_case_sensitive).
    exact_name: bool = False

    @property
    def name_key(self) -> str:
        """The name as a key: as written on PostgreSQL, lower-cased elsewhere (MySQL,
        MariaDB and SQLite compare index names case-insensitively)."""
        return self.name if self.exact_name else self.name.lower()

    def include_key(self) -> tuple[str, ...]:
        """The INCLUDE columns as a key: case kept where names are exact (PostgreSQL)."""
        return self.include if self.exact_name else tuple(c.lower() for c in self.include)

    def shape_key(self, storage: bool = True) -> tuple:
        """Everything that decides how the index behaves, without name/comment/visibility
        (and without the storage parameters when ``storage`` is false)."""
        return (
            tuple(p.key() for p in self.parts),
            self.unique,
            self.primary,
            self.index_type,
            self.include_key(),
            self.predicate,
            self.nulls_not_distinct,
            self.constraint,
            self.parser,
            self.deferrable,
            self.storage if storage else None,
        )

    def full_key(self) -> tuple:
        """Everything that defines the index, the name by ``name_key``."""
        return (self.name_key, self.shape_key(), self.comment, self.visible, self.valid)

    def equivalent(self, other: Index) -> bool:
        """Same behaviour regardless of name, comment and visibility."""
        return self.shape_key() == other.shape_key()

    def equals(self, other: Index) -> bool:
        """Same definition, name included (by ``name_key``)."""
        return self.full_key() == other.full_key()

    def columns_text(self) -> str:
        """The key-part list as ``(a, b(10) DESC)``."""
        return "(" + ", ".join(p.fragment() for p in self.parts) + ")"

    def definition(self) -> str:
        """A readable definition fragment such as ``UNIQUE (tenant_id, code)``."""
        words: list[str] = []
        if self.primary:
            words.append("PRIMARY KEY")
        elif self.constraint == "u":
            words.append("UNIQUE CONSTRAINT")
        elif self.constraint == "x":
            words.append(f"EXCLUDE USING {self.index_type.lower()}")
        elif self.unique:
            words.append("UNIQUE")
        if self.index_type in ("FULLTEXT", "SPATIAL"):
            words.append(self.index_type)
        text = " ".join(words + [self.columns_text()])
        if self.include:
            text += " INCLUDE (" + ", ".join(self.include) + ")"
        if self.nulls_not_distinct:
            text += " NULLS NOT DISTINCT"
        if self.deferrable:
            text += " " + deferrable_sql(self.deferrable)
        if self.index_type not in ("BTREE", "FULLTEXT", "SPATIAL") and self.constraint != "x":
            text += f" USING {self.index_type}"
        if self.parser:
            text += f" WITH PARSER {self.parser}"
        if self.storage:
            text += " WITH (" + storage_text(self.storage) + ")"
        if self.predicate:
            text += f" WHERE {self.predicate}"
        if self.comment:
            text += " COMMENT '" + self.comment.replace("'", "''") + "'"
        if not self.visible:
            text += " INVISIBLE"
        if not self.valid:
            text += " INVALID"
        return text


_INT_WIDTH = re.compile(r"^(tinyint|smallint|mediumint|int|bigint)\((\d+)\)(.*)$")


def type_without_width(column_type: str) -> str:
    """``int(11) unsigned`` → ``int unsigned``: integer display widths carry no meaning and
    MySQL 8.0.19+ no longer reports them (``tinyint(1)`` excepted, which stays)."""
    found = _INT_WIDTH.match(column_type)
    if found is None or (found.group(1) == "tinyint" and found.group(2) == "1"):
        return column_type
    return found.group(1) + found.group(3)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of one table in one environment.

    ``default`` is SQL text (``'abc'``, ``0``, ``CURRENT_TIMESTAMP``, ``NULL``) or None when
    the column has no default; a nullable column without one has ``NULL`` (that is what
    the server applies). ``generated`` is ``VIRTUAL`` or ``STORED`` with ``expression``.

    PostgreSQL columns have ``dialect="postgresql"``: names compare case-sensitively, the
    type is ``format_type`` text (not lower-cased), ``identity`` is ``ALWAYS`` or
    ``BY DEFAULT`` and ``auto_increment`` means serial (a ``nextval`` default on a sequence
    the column owns). ``identity_options`` are an identity sequence's declared options
    without the defaults (``INCREMENT BY 5 CACHE 20``; "" when all are defaults; None when
    not an identity column or not known, e.g. read from a column CSV older than them).

    ``check``: MariaDB's column-level CHECK expression (``json_valid(`doc`)``, which a
    ``JSON`` column has implicitly: MariaDB's JSON is LONGTEXT with that check), so that
    re-writing the column (MODIFY, CHANGE, ADD) keeps it; None when there is none or it is
    not known (other servers, column files). Not compared: CHECK constraints are the
    ``checks`` objects' (``--objects checks``), and a column's shows there.
    """

    name: str
    position: int
    column_type: str  # lower case, e.g. "varchar(20)", "int unsigned", "enum('a','b')"
    nullable: bool
    default: str | None = None
    comment: str = ""
    charset: str | None = None
    collation: str | None = None
    auto_increment: bool = False
    on_update: str | None = None
    generated: str | None = None
    expression: str | None = None
    identity: str | None = None
    dialect: str = "mysql"
    identity_options: str | None = None
    check: str | None = None

    @property
    def name_key(self) -> str:
        """Column names compare case-insensitively on MySQL/MariaDB, exactly on PostgreSQL
        (``"Name"`` and ``name`` are two columns there)."""
        return self.name if names_case_sensitive(self.dialect) else self.name.lower()

    def type_key(self, other: Column | None = None) -> str:
        """The type as compared: without an integer display width when either side lacks it."""
        if other is not None and (type_without_width(self.column_type) == self.column_type
                                  or type_without_width(other.column_type)
                                  == other.column_type):
            return type_without_width(self.column_type)
        return self.column_type

    def shape_key(self) -> tuple:
        """Everything but the name and position (a rename keeps this)."""
        return (type_without_width(self.column_type), self.nullable, self.default, self.comment,
                self.charset, self.collation, self.auto_increment, self.on_update,
                self.generated, self.expression, self.identity, self.identity_options)


def fold_name(name: str, exact: bool) -> str:
    """A name as the server compares it: as written where names are exact (``exact``),
    else in lower case."""
    return name if exact else name.lower()


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A foreign key of a child table.

    Readers that only know what safety checks need (name and columns: the MySQL detail
    read before foreign keys were compared, older snapshots) leave ``ref_table`` None;
    a snapshot whose ``objects`` holds ``foreign_keys`` knows every field. Referential
    actions are upper case (``NO ACTION``, ``RESTRICT``, ``CASCADE``, ``SET NULL``,
    ``SET DEFAULT``) as the reader's dialect normalised them (InnoDB: RESTRICT and NO
    ACTION are one rule, read as ``NO ACTION``). ``deferrable`` follows ``Index``: None,
    ``IMMEDIATE`` or ``DEFERRED``. ``ref_schema`` is set only when the parent lives in
    another schema than the child.
    """

    table: str
    name: str
    columns: tuple[str, ...]
    ref_table: str | None = None
    ref_columns: tuple[str, ...] = ()
    ref_schema: str | None = None
    on_update: str = "NO ACTION"
    on_delete: str = "NO ACTION"
    match: str = "SIMPLE"  # PostgreSQL MATCH SIMPLE / FULL / PARTIAL; MySQL is SIMPLE
    deferrable: str | None = None
    valid: bool = True  # PostgreSQL NOT VALID
    # PostgreSQL: names (the key's, its columns', the parent's) keep their case.
    exact_name: bool = False

    @property
    def name_key(self) -> str:
        """The name as the flavor compares it (lower case where case is ignored)."""
        return fold_name(self.name, self.exact_name)

    def shape_key(self) -> tuple:
        """Everything that defines the key but its name and validity (renames pair on it)."""
        exact = self.exact_name
        return (tuple(fold_name(c, exact) for c in self.columns), self.ref_schema,
                fold_name(self.ref_table or "", exact),
                tuple(fold_name(c, exact) for c in self.ref_columns), self.on_update,
                self.on_delete, self.match, self.deferrable)

    def full_key(self) -> tuple:
        """Everything but the name's case: equal keys mean no drift."""
        return (self.name_key, self.shape_key(), self.valid)

    def definition(self) -> str:
        """Readable fragment: ``(a, b) -> parent (x, y) ON DELETE CASCADE``."""
        parent = f"{self.ref_schema}.{self.ref_table}" if self.ref_schema else self.ref_table
        text = f"({', '.join(self.columns)}) -> {parent} ({', '.join(self.ref_columns)})"
        if self.on_delete != "NO ACTION":
            text += f" ON DELETE {self.on_delete}"
        if self.on_update != "NO ACTION":
            text += f" ON UPDATE {self.on_update}"
        if self.match != "SIMPLE":
            text += f" MATCH {self.match}"
        if self.deferrable:
            text += " " + deferrable_sql(self.deferrable)
        if not self.valid:
            text += " NOT VALID"
        return text


@dataclass(frozen=True, slots=True)
class CheckConstraint:
    """A CHECK constraint: its name and expression as the reader's dialect normalised it.

    ``column``: MariaDB's column-level check (``a INT CHECK (a > 0)``), which belongs to
    that column; ``enforced`` False for MySQL 8's ``NOT ENFORCED``; ``valid`` False for
    PostgreSQL's ``NOT VALID``; ``no_inherit`` PostgreSQL's ``NO INHERIT``.
    """

    table: str
    name: str
    expression: str
    column: str | None = None
    enforced: bool = True
    valid: bool = True
    no_inherit: bool = False
    exact_name: bool = False

    @property
    def name_key(self) -> str:
        """The name as the flavor compares it."""
        return fold_name(self.name, self.exact_name)

    def shape_key(self) -> tuple:
        """The definition without the name (renames pair on it)."""
        column = None if self.column is None else fold_name(self.column, self.exact_name)
        return (self.expression, column, self.enforced, self.no_inherit)

    def full_key(self) -> tuple:
        """Everything but the name's case."""
        return (self.name_key, self.shape_key(), self.valid)

    def definition(self) -> str:
        """Readable fragment: ``CHECK (a > 0)`` with its qualifiers."""
        text = f"CHECK ({self.expression})"
        if self.column is not None:
            text = f"{self.column} {text}"
        if not self.enforced:
            text += " NOT ENFORCED"
        if self.no_inherit:
            text += " NO INHERIT"
        if not self.valid:
            text += " NOT VALID"
        return text


# Table options indexdrift compares, by dialect family (Table.options keys); a reader sets
# only those its server has. Values are normalised by the reader (docs/tables.md).
TABLE_OPTIONS = {
    "mysql": ("engine", "charset", "collation", "row_format", "comment"),
    "postgresql": ("persistence", "comment"),
    "sqlite": ("without_rowid", "strict"),
}


@dataclass(slots=True)
class Table:
    """A table of one environment with its indexes, keyed by ``Index.name_key``."""

    name: str
    indexes: dict[str, Index] = field(default_factory=dict)
    size_bytes: int | None = None
    engine: str | None = None
    auto_increment_column: str | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    # Column definitions by Column.name_key, in column order; read only for
    # --objects columns; None means "not read", never "no columns".
    columns: dict[str, Column] | None = None
    # PostgreSQL: foreign keys (of any table) that depend on one of this table's unique
    # indexes, by the index's name_key; such an index cannot be dropped or rebuilt.
    referenced_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # CHECK constraints by CheckConstraint.name_key and the compared table options
    # (TABLE_OPTIONS); both None when not read (Snapshot.objects says what was).
    checks: dict[str, CheckConstraint] | None = None
    options: dict[str, str] | None = None

    def add(self, index: Index) -> None:
        """Add an index; its name (``name_key``) must be new to the table."""
        self.indexes[index.name_key] = index


@dataclass(frozen=True, slots=True)
class SchemaObject:
    """One definition as SQLite stores it in ``sqlite_schema``: ``kind`` (table, index,
    trigger, view), its name, the table it belongs to and its SQL text, exactly as stored.
    A table rebuild re-creates triggers and views from it, and a rollback the env's own
    table and indexes."""

    kind: str
    name: str
    table: str
    sql: str


@dataclass(slots=True)
class Snapshot:
    """Everything read from one environment: where from, which server, the tables."""

    source: str  # redacted: never carries a password
    schema: str | None
    tables: dict[str, Table] = field(default_factory=dict)
    flavor: str | None = None  # "mysql", "mariadb", "postgresql", "sqlite" or None (unknown)
    version: str | None = None
    warnings: list[str] = field(default_factory=list)
    # True when the reader also knew foreign keys, AUTO_INCREMENT columns and table sizes.
    has_details: bool = False
    # What the reader read completely besides indexes: "columns", "foreign_keys" (every
    # ForeignKey field), "checks", "options". Compare reports a kind only when both sides
    # read it, so what a source cannot know is never drift.
    objects: frozenset[str] = frozenset()
    # SQLite files: every definition of sqlite_schema (rowid order) that has SQL text;
    # empty for every other source (a rebuild then cannot keep triggers and views).
    schema_sql: tuple[SchemaObject, ...] = ()
    # Usage counters a live reader took on its catalog connection when the run asked
    # (an evidence.UsageReport; evidence/attach.py uses it instead of connecting again).
    usage: object | None = None

    def table(self, name: str) -> Table:
        """Return the table called ``name``, creating it when new."""
        found = self.tables.get(name)
        if found is None:
            found = self.tables[name] = Table(name)
        return found

    def set_columns(self, columns: dict[str, dict[str, Column]]) -> None:
        """Give each table of the snapshot its columns (``{table: {name_key: Column}}``
        in column order; ``{}``: read, and it has none); the columns of a table the
        snapshot does not hold are not kept. A table the read gave nothing for keeps None
        (not read, so not compared), and a warning says so: silence would hide drift."""
        for name, found in columns.items():
            table = self.tables.get(name)
            if table is not None:
                # A copy: the table object may be another env's too (a reader's share,
                # sources/tableshare.py); its indexes and the rest are never changed.
                self.tables[name] = replace(table, columns=found)
        unread = sorted(name for name, table in self.tables.items() if table.columns is None)
        if unread:
            shown = ", ".join(unread[:5]) + (f" and {len(unread) - 5} more"
                                             if len(unread) > 5 else "")
            self.warnings.append(f"no columns were read for table(s) {shown}: their columns "
                                 "are not compared")

    def index_count(self) -> int:
        """How many indexes the snapshot holds."""
        return sum(len(t.indexes) for t in self.tables.values())
