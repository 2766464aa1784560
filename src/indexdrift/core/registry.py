"""The database families indexdrift knows, each registered once: the one answer to
"which database?" for URL schemes, flavors, name case and the modules that read, connect
to and write for it.

A ``Dialect`` names its modules by dotted path (``package.module:function``) and loads one
only when asked: importing this registry must not import pymysql, psycopg or sqlglot, so a
command that reads a CSV file never pays for a driver (start-up time). A new database is
one more ``Dialect`` in ``DIALECTS`` (and its file formats in ``FILE_FORMATS`` and
``COLUMN_FILE_FORMATS``) beside its own modules; nothing else dispatches on the database,
and no module outside ``indexdrift.dialects`` imports one of them (import-linter).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any


def load(path: str) -> Any:
    """The object ``package.module:name`` names (the module itself without ``:name``)."""
    module, _, name = path.partition(":")
    loaded = import_module(module)
    return getattr(loaded, name) if name else loaded


@dataclass(frozen=True, slots=True)
class Dialect:
    """One database family and where its code lives (dotted paths, loaded lazily).

    ``name`` is the family (``DbUrl.kind``); ``flavors`` the servers it covers (the first is
    the family's own). Readers take ``(spec, url, env, *, detail, columns, objects)`` (and
    ``usage``, ``share`` where the flags below say so) and return a Snapshot;
    ``live_check`` is what ``sources.checks.check_snapshot`` still checks of it (``nul``
    for a server's catalog, ``sql`` for SQL text no server produced).
    """

    name: str
    schemes: tuple[str, ...]
    flavors: tuple[str, ...]
    names_case_sensitive: bool
    # The version a target of each flavor means when none is given (``--target mysql``).
    default_versions: tuple[tuple[int, int, int], ...]
    # The tokenizer dialect (sources/sqlcells) its catalog SQL text is checked with.
    sql_text: str
    reader: str
    live_check: str
    ddl: str
    csv_export: str
    connect: str | None = None
    usage_reader: str | None = None  # (url, env, schema) -> UsageReport
    live_columns: bool = False  # its reader reads the columns too (``columns=True``)
    # Its reader takes the usage counters on its catalog connection (``usage=True``).
    usage_with_catalog: bool = False
    # Its reader takes the run's TableShare (``share=``, sources/tableshare.py) and hands
    # an earlier env's table object to a later env whose catalog rows are the same.
    takes_table_share: bool = False
    # Its column DDL can move a column (MySQL ``AFTER``); else a position change is held.
    moves_columns: bool = False
    column_ddl: str | None = None
    # Whole tables (issue 20): create_table_statements, add_foreign_key_sql (not SQLite,
    # whose CREATE TABLE carries them), drop_table_statements, rename_table_statement,
    # renamed_table, cannot_create, MAX_HOLDING_NAME.
    table_ddl: str | None = None
    # (url, env) -> (CSV text, columns, tables): ``export --objects columns`` of a live schema.
    columns_export: str | None = None
    plans: str | None = None  # module with explain_plans(url, env, queries) and plan_refs
    schema_lister: str | None = None  # (url, env, LIKE pattern) -> schema names (fleets)
    explain: str | None = None  # the sqlglot dialect the explainer parses it with
    # The module of the online-DDL rules its DDL writer and the explainer both read.
    online_rules: str | None = None
    # What a flavor supports from which version on: ((feature, flavor, first version), ...),
    # read by flavor.Target's capabilities (rename_index, descending, functional).
    features: tuple[tuple[str, str, tuple[int, ...]], ...] = ()
    # How an index is hidden from the optimizer: ((flavor, first version, word), ...).
    hiding: tuple[tuple[str, tuple[int, ...], str], ...] = ()
    # Which index features (functional and DESC parts, hidden indexes) the server takes
    # depends on its version, so a migration checks them against the target's.
    versioned_index_features: bool = False
    # SQLite: the auto-indexes of PRIMARY KEY / UNIQUE constraints can be neither created
    # nor dropped on their own, and a foreign key uses whichever index fits when checked.
    fixed_constraint_indexes: bool = False
    foreign_keys_rebind: bool = False
    # InnoDB: a foreign key needs an index on the child's columns (it refuses to drop the
    # last one); PostgreSQL and SQLite do not (a missing one is a lint advisory there).
    foreign_keys_need_index: bool = False
    # InnoDB refuses to change the type, character set or collation of a column a foreign
    # key uses, on either side (errors 1832/1833), while the key exists.
    foreign_key_columns_fixed: bool = False
    # SQLite: a table's AUTO_INCREMENT column (``Column.auto_increment``: its INTEGER PRIMARY
    # KEY) is the rowid itself, which has no index row: a lookup by it needs no index.
    auto_increment_is_rowid: bool = False
    # SQLite: ALTER TABLE cannot add, drop or change foreign keys, checks or table options;
    # only rebuilding the table does.
    constraints_need_rebuild: bool = False
    # The client's own password variable, and whether MySQL option files
    # (``defaults_file``) may hold the password (sources/urls.resolve_password).
    password_variable: str | None = None
    option_files: bool = False
    # ``open_scratch(url, env, name)``: the throw-away schema schema files are loaded into
    # (sources/scratch.py): ``create()``, ``execute(sql)``, ``url`` (what the reader
    # reads), ``drop()``.
    scratch: str | None = None

    def module(self, role: str) -> Any:
        """The loaded object of ``role`` (a field naming a dotted path), None when the
        database has none."""
        path = getattr(self, role)
        return None if path is None else load(path)


DIALECTS: tuple[Dialect, ...] = (
    Dialect(
        name="mysql", schemes=("mysql", "mariadb", "mysql+pymysql"),
        flavors=("mysql", "mariadb"), names_case_sensitive=False, foreign_keys_need_index=True,
        foreign_key_columns_fixed=True,
        default_versions=((8, 0, 36), (10, 11, 0)), sql_text="mysql",
        password_variable="MYSQL_PWD", option_files=True,
        reader="indexdrift.dialects.mysql.catalog:read_url", live_check="nul",
        ddl="indexdrift.dialects.mysql.ddl",
        csv_export="indexdrift.dialects.mysql.statistics_export:export_statistics_csv",
        connect="indexdrift.dialects.mysql.catalog:connect",
        schema_lister="indexdrift.dialects.mysql.catalog:schema_names",
        usage_reader="indexdrift.dialects.mysql.usage_reader:read_mysql_usage",
        scratch="indexdrift.dialects.mysql.scratch:open_scratch",
        live_columns=True, moves_columns=True, usage_with_catalog=True,
        takes_table_share=True,
        column_ddl="indexdrift.dialects.mysql.columns_ddl",
        table_ddl="indexdrift.dialects.mysql.table_ddl",
        columns_export="indexdrift.dialects.mysql.columns_csv:export_columns_csv",
        plans="indexdrift.dialects.mysql.plans", explain="mysql",
        online_rules="indexdrift.dialects.mysql.innodb_online",
        features=(("rename_index", "mysql", (5, 7)), ("rename_index", "mariadb", (10, 5, 3)),
                  ("descending", "mysql", (8,)), ("descending", "mariadb", (10, 8)),
                  ("functional", "mysql", (8, 0, 13)),
                  ("checks", "mysql", (8, 0, 16)), ("checks", "mariadb", (10, 2, 1)),
                  ("not_enforced_checks", "mysql", (8, 0, 16))),
        hiding=(("mysql", (8,), "INVISIBLE"), ("mariadb", (10, 6), "IGNORED")),
        versioned_index_features=True),
    Dialect(
        name="postgresql", schemes=("postgresql", "postgres"), flavors=("postgresql",),
        names_case_sensitive=True, default_versions=((15, 0, 0),), sql_text="postgres",
        password_variable="PGPASSWORD",
        reader="indexdrift.dialects.postgresql.catalog:read_url", live_check="nul",
        ddl="indexdrift.dialects.postgresql.ddl",
        csv_export="indexdrift.sources.catalog_csv:export_catalog_csv",
        connect="indexdrift.dialects.postgresql.catalog:connect",
        usage_reader="indexdrift.dialects.postgresql.usage:read_postgres_usage",
        scratch="indexdrift.dialects.postgresql.scratch:open_scratch",
        live_columns=True, usage_with_catalog=True,
        column_ddl="indexdrift.dialects.postgresql.columns_ddl",
        table_ddl="indexdrift.dialects.postgresql.table_ddl",
        columns_export="indexdrift.dialects.postgresql.columns_csv:export_columns_csv",
        plans="indexdrift.dialects.postgresql.plans", explain="postgres",
        features=(("rename_index", "postgresql", ()),
                  ("set_generated_expression", "postgresql", (17,)),
                  ("rename_constraint", "postgresql", ()), ("checks", "postgresql", ()),
                  ("constraint_options", "postgresql", ()),
                  ("not_enforced_checks", "postgresql", (18,)))),
    Dialect(
        name="sqlite", schemes=("sqlite",), flavors=("sqlite",), names_case_sensitive=False,
        default_versions=((3, 40, 0),), sql_text="sqlite", fixed_constraint_indexes=True,
        foreign_keys_rebind=True, constraints_need_rebuild=True, auto_increment_is_rowid=True,
        reader="indexdrift.dialects.sqlite.catalog:read_url", live_check="sql",
        ddl="indexdrift.dialects.sqlite.ddl", live_columns=True,
        column_ddl="indexdrift.dialects.sqlite.columns_ddl",
        table_ddl="indexdrift.dialects.sqlite.table_ddl",
        csv_export="indexdrift.sources.catalog_csv:export_catalog_csv"),
)


@dataclass(frozen=True, slots=True)
class FileFormat:
    """A file kind an env's source may be: ``sniffer(spec) -> bool`` (None: the fallback,
    tried last), ``reader(spec) -> Snapshot``, and what check_snapshot still checks.
    ``objects``: the reader takes ``objects=`` (what else to read: foreign keys, checks,
    table options), like a live reader. ``columns_export``: ``(path, env) -> (CSV text,
    columns, tables)``, the file's columns as the column file ``--columns-from`` reads
    (``export --objects columns`` of a file source)."""

    name: str
    sniffer: str | None
    reader: str
    check: str | None
    objects: bool = False
    columns_export: str | None = None


# Tried in this order; snapshot files belong to no database.
FILE_FORMATS: tuple[FileFormat, ...] = (
    FileFormat("snapshot", "indexdrift.sources.sniff:is_snapshot_path",
               "indexdrift.sources.snapshot:load_snapshot", "sql"),
    # A directory of one file per object kind (``export --objects ...  -o DIR``): CSV
    # files, checked line by line as read, then by checks.check_objects like any CSV's.
    FileFormat("export-directory", "indexdrift.sources.sniff:is_export_dir",
               "indexdrift.sources.export_dir:read_export_dir", None, objects=True),
    FileFormat("sqlite", "indexdrift.dialects.sqlite.detect:is_sqlite_file",
               "indexdrift.dialects.sqlite.catalog:read_sqlite", "sql", objects=True,
               columns_export="indexdrift.dialects.sqlite.columns_csv:export_file_columns_csv"),
    FileFormat("catalog-csv", "indexdrift.sources.sniff:is_catalog_csv",
               "indexdrift.sources.catalog_csv:read_catalog_csv", None),
    FileFormat("statistics-csv", None, "indexdrift.dialects.mysql.statistics_csv:read_csv", None),
)
# The column files of ``--columns-from`` (``reader(spec) -> sources.column_files.ColumnsFile``),
# tried in this order.
COLUMN_FILE_FORMATS: tuple[FileFormat, ...] = (
    FileFormat("postgresql-columns-csv",
               "indexdrift.dialects.postgresql.columns_csv:is_pg_columns_csv",
               "indexdrift.dialects.postgresql.columns_csv:read_pg_columns_csv", None),
    FileFormat("sqlite-columns-csv",
               "indexdrift.dialects.sqlite.columns_csv:is_sqlite_columns_csv",
               "indexdrift.dialects.sqlite.columns_csv:read_sqlite_columns_csv", None),
    FileFormat("columns-csv", None, "indexdrift.dialects.mysql.columns_csv:read_columns_csv",
               None),
)

# ``export`` of a snapshot whose flavor no family claims: the fallback file format's
# (a STATISTICS export, read back by its reader).
FALLBACK_CSV_EXPORT = "indexdrift.dialects.mysql.statistics_export:export_statistics_csv"

SCHEMES: dict[str, Dialect] = {s: d for d in DIALECTS for s in d.schemes}
_BY_NAME: dict[str, Dialect] = {d.name: d for d in DIALECTS}
_BY_FLAVOR: dict[str, Dialect] = {f: d for d in DIALECTS for f in d.flavors}
FLAVORS: tuple[str, ...] = tuple(_BY_FLAVOR)
# Spellings a user may type for a flavor (``--target postgres``); only parse_flavor reads it.
FLAVOR_ALIASES = {"postgres": "postgresql"}


def by_name(name: str) -> Dialect:
    """The family called ``name`` (``DbUrl.kind``)."""
    return _BY_NAME[name]


def of_flavor(flavor: str | None) -> Dialect | None:
    """The family of a server flavor (mariadb -> mysql), None when unknown."""
    return _BY_FLAVOR.get(flavor) if flavor is not None else None


def of_explain(name: str) -> Dialect | None:
    """The family whose statements the explainer parses as sqlglot's ``name`` dialect."""
    return next((d for d in DIALECTS if d.explain == name), None)


def parse_flavor(text: str) -> str | None:
    """A typed flavor name in the one vocabulary (``postgres`` -> ``postgresql``), None when
    no family has it."""
    flavor = FLAVOR_ALIASES.get(text, text)
    return flavor if flavor in _BY_FLAVOR else None


def names_case_sensitive(flavor: str | None) -> bool:
    """True when the flavor's index and column names are case-sensitive."""
    found = of_flavor(flavor)
    return found is not None and found.names_case_sensitive


def sniff_file(spec: str, formats: tuple[FileFormat, ...] = FILE_FORMATS) -> FileFormat:
    """The registered file format of ``spec`` (the first of ``formats`` whose sniffer says
    yes)."""
    for kind in formats:
        if kind.sniffer is None or load(kind.sniffer)(spec):
            return kind
    raise AssertionError("the formats end with a fallback")  # pragma: no cover
