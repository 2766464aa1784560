"""Schema files as a source: find the SQL files of a path, put them in the order their tool
applies them, and split them into statements (with the file and line of each).

A path is a schema source when it is a ``.sql`` file or a directory of them (not an export
directory): a dump (``mariadb-dump --no-data``, ``pg_dump --schema-only``, ``sqlite3
.schema``), one CREATE TABLE per file, or a migration directory (Flyway ``V<n>__*.sql``,
golang-migrate ``<n>_*.up.sql``, Liquibase formatted SQL, plain numbered files). Only the
``up`` side of a migration is read; the last version applied is the snapshot's label.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from indexdrift.core.errors import TextError
from indexdrift.sources.sqlcells import string_end

_FLYWAY = re.compile(r"^V(?P<version>\d+(?:[._]\d+)*)__.*\.sql$", re.IGNORECASE)
_FLYWAY_UNDO = re.compile(r"^U\d+(?:[._]\d+)*__.*\.sql$", re.IGNORECASE)
_FLYWAY_REPEATABLE = re.compile(r"^R__(?P<description>.*)\.sql$", re.IGNORECASE)
_GOLANG = re.compile(r"^(?P<version>\d+)_.*\.up\.sql$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<version>\d+)")
_LIQUIBASE = "--liquibase formatted sql"
_CHANGESET = re.compile(r"^--\s*changeset\s+(?P<id>\S+)", re.IGNORECASE)
# psql meta-commands newer pg_dump writes around a dump (a random key against injected
# meta-commands): they change nothing on the server, so they are skipped. Every other
# meta-command is refused: a source never runs one.
_SKIPPED_META = ("\\restrict", "\\unrestrict")
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a file, where it starts (1-based line)."""

    path: str
    line: int
    sql: str

    @property
    def where(self) -> str:
        """``file:line``, for messages."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class SchemaFiles:
    """The files of a schema source in the order they are applied: the layout found and
    the last version (None for a dump or a directory of one object per file)."""

    path: str
    files: tuple[str, ...]
    layout: str  # "file", "directory", "flyway", "golang-migrate", "liquibase", "plain"
    version: str | None

    @property
    def label(self) -> str:
        """What the reports show as the env's source: the path, and the version applied."""
        return self.path if self.version is None else f"{self.path}@{self.version}"


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.split(r"[._]", text) if p)


def _head(path: Path) -> str:
    with path.open("rb") as handle:
        return handle.read(200).decode("utf-8", "replace").lstrip("\ufeff").lstrip()


def discover(spec: str) -> SchemaFiles:
    """The files of ``spec`` in the order their tool applies them (see the module doc)."""
    if os.path.isfile(spec):
        return SchemaFiles(spec, (spec,), "file", None)
    root = Path(spec)
    names = sorted(n for n in os.listdir(spec) if n.lower().endswith(".sql")
                   and (root / n).is_file())
    flyway = [n for n in names if _FLYWAY.match(n)]
    golang = [n for n in names if _GOLANG.match(n)]
    if flyway:
        # Undo (U) migrations are not the up side; repeatable ones (R__) run after every
        # versioned one, in the order of their descriptions, as Flyway runs them.
        repeatable = sorted((n for n in names if _FLYWAY_REPEATABLE.match(n)),
                            key=lambda n: _FLYWAY_REPEATABLE.match(n)["description"])  # type: ignore
        others = [n for n in names if n not in flyway and n not in repeatable
                  and not _FLYWAY_UNDO.match(n)]
        _refuse_others(spec, others, "flyway")
        flyway.sort(key=lambda n: _version_key(_FLYWAY.match(n)["version"]))  # type: ignore
        last = _FLYWAY.match(flyway[-1])["version"].replace("_", ".")  # type: ignore
        return SchemaFiles(spec, tuple(str(root / n) for n in flyway + repeatable), "flyway",
                           "V" + last)
    if golang:
        others = [n for n in names if n not in golang and not n.lower().endswith(".down.sql")]
        _refuse_others(spec, others, "golang-migrate")
        golang.sort(key=lambda n: int(_GOLANG.match(n)["version"]))  # type: ignore
        last = _GOLANG.match(golang[-1])["version"]  # type: ignore
        return SchemaFiles(spec, tuple(str(root / n) for n in golang), "golang-migrate", last)
    ups = [n for n in names if not n.lower().endswith((".down.sql", ".rollback.sql"))]
    if ups and all(_head(root / n).lower().startswith(_LIQUIBASE) for n in ups):
        # includeAll applies the files in name order, the changesets in file order.
        last = None
        for name in ups:
            for line in (root / name).read_text("utf-8", "replace").splitlines():
                found = _CHANGESET.match(line.strip())
                if found:
                    last = found["id"]
        return SchemaFiles(spec, tuple(str(root / n) for n in ups), "liquibase", last)
    if ups and all(_NUMBERED.match(n) for n in ups):
        ups.sort(key=lambda n: (int(_NUMBERED.match(n)[0]), n))  # type: ignore
        return SchemaFiles(spec, tuple(str(root / n) for n in ups), "plain",
                           _NUMBERED.match(ups[-1])[0])  # type: ignore
    return SchemaFiles(spec, tuple(str(root / n) for n in ups), "directory", None)


def _refuse_others(spec: str, others: list[str], layout: str) -> None:
    if others:
        raise TextError("schema.stray_file", path=str(Path(spec) / others[0]), layout=layout)


def read_text(path: str) -> str:
    """A schema file's text; a file that is not UTF-8 text is refused (exit 2)."""
    data = Path(path).read_bytes()[:MAX_FILE_BYTES + 1]
    if len(data) > MAX_FILE_BYTES or b"\x00" in data:
        raise TextError("schema.not_sql", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TextError("schema.not_sql", path=path) from None


def sniff_kind(text: str) -> str | None:
    """The family a dump's own header or syntax names (mysql, postgresql), else None."""
    head = text[:4000]
    if "PostgreSQL database dump" in head or re.search(r"^\\(un)?restrict\b", head, re.M):
        return "postgresql"
    if re.search(r"^-- (MySQL|MariaDB) dump", head, re.M) or "/*!40101" in head:
        return "mysql"
    return None


def split_sqlite(path: str, text: str) -> list[Statement]:
    """SQLite statements (triggers' BEGIN ... END included): exactly where SQLite's own
    ``sqlite3_complete`` says one ends."""
    import sqlite3  # lazy: start-up time (this module is imported by every run)

    statements: list[Statement] = []
    buffer: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if not buffer and not line.strip():
            continue
        if not buffer:
            start = number
        buffer.append(line)
        chunk = "".join(buffer)
        if sqlite3.complete_statement(chunk):
            if _strip_comments(chunk).strip(" \t\r\n;"):
                statements.append(Statement(path, start, chunk.strip()))
            buffer = []
    rest = "".join(buffer)
    if _strip_comments(rest).strip():
        statements.append(Statement(path, start, rest.strip()))
    return statements


def _strip_comments(text: str, keep_conditional: bool = False) -> str:
    # MySQL runs the text of a /*! ... */ comment: it is a statement, not a comment.
    comment = r"--[^\n]*|/\*(?!!).*?\*/" if keep_conditional else r"--[^\n]*|/\*.*?\*/"
    return re.sub(comment, "", text, flags=re.S)


def split_statements(path: str, text: str, kind: str, *, delimiter: str = ";",
                     first_line: int = 1) -> list[Statement]:
    """The statements of a MySQL or PostgreSQL file, split where the client would: quotes,
    comments, MySQL's ``DELIMITER`` and ``/*! ... */`` conditional comments (kept: the
    server runs them), PostgreSQL's ``$tag$`` bodies. A psql meta-command (a line starting
    with a backslash) is never run: ``\\restrict``/``\\unrestrict`` are skipped, any other is
    refused naming file:line."""
    mysql = kind == "mysql"
    statements: list[Statement] = []
    buf: list[str] = []
    start = 0
    line = first_line
    i = 0
    n = len(text)
    at_line_start = True
    content = False  # the statement has begun (more than blanks and comments)

    def flush() -> None:
        nonlocal content
        sql = "".join(buf).strip()
        if sql and _strip_comments(sql, keep_conditional=mysql).strip():
            statements.append(Statement(path, start, sql))
        buf.clear()
        content = False

    while i < n:
        if at_line_start and not content:
            end = text.find("\n", i)
            end = n if end < 0 else end
            row = text[i:end].strip()
            if mysql and (row.upper().startswith("DELIMITER ") or row.upper() == "DELIMITER"):
                parts = row.split()
                if len(parts) != 2:
                    raise TextError("schema.bad_delimiter", where=f"{path}:{line}")
                delimiter = parts[1]
                buf.clear()
                i = end
                continue
            if row.startswith("\\"):
                word = row.split()[0]
                if kind == "postgresql" and word in _SKIPPED_META:
                    buf.clear()
                    i = end
                    continue
                raise TextError("schema.meta_command", where=f"{path}:{line}", command=word)
        ch = text[i]
        at_line_start = False
        if ch == "\n":
            line += 1
            at_line_start = True
            buf.append(ch)
            i += 1
            continue
        if not content and not ch.isspace() and not text.startswith(("--", "/*"), i) \
                and not (mysql and ch == "#"):
            start = line
            content = True
        if text.startswith(delimiter, i):
            flush()
            i += len(delimiter)
            continue
        if ch == "-" and text.startswith("--", i) or (mysql and ch == "#"):
            end = text.find("\n", i)
            end = n if end < 0 else end
            if content:
                buf.append(text[i:end])
            i = end
            continue
        if ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            chunk = text[i:end]
            if content or (mysql and chunk.startswith("/*!")):
                if not content:  # a conditional comment is statement text in MySQL
                    start, content = line, True
                buf.append(chunk)
            line += chunk.count("\n")
            i = end
            continue
        if ch in "'\"" or (mysql and ch == "`"):
            end = _quoted_end(text, i, ch, backslash=mysql and ch != "`"
                              or (ch == "'" and i > 0 and text[i - 1] in "eE"))
            chunk = text[i:end]
            buf.append(chunk)
            line += chunk.count("\n")
            i = end
            continue
        if ch == "$" and not mysql:
            tag = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", text[i:])
            if tag and not (i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")):
                close = text.find(tag[0], i + len(tag[0]))
                end = n if close < 0 else close + len(tag[0])
                chunk = text[i:end]
                buf.append(chunk)
                line += chunk.count("\n")
                i = end
                continue
        buf.append(ch)
        i += 1
    flush()
    return statements


# Liquibase's names of the families (a changeset's dbms: attribute).
_LIQUIBASE_DBMS = {"mysql": ("mysql", "mariadb"), "postgresql": ("postgresql",),
                   "sqlite": ("sqlite",)}


def split_liquibase(path: str, text: str, kind: str) -> list[Statement]:
    """The statements of a Liquibase formatted-SQL file, changeset by changeset: a
    changeset's ``endDelimiter:`` (a literal one) and ``splitStatements:false`` are
    honoured, one whose ``dbms:`` names other databases is not run (as Liquibase would
    not); ``--rollback`` lines are comments."""
    lines = text.splitlines(keepends=True)
    chunks: list[tuple[int, str, list[str]]] = []  # (first body line, header, body)
    for number, line in enumerate(lines, start=1):
        if _CHANGESET.match(line.strip()):
            chunks.append((number + 1, line, []))
        elif chunks:
            chunks[-1][2].append(line)
    statements: list[Statement] = []
    for first, header, body in chunks:
        attrs = dict(re.findall(r"(\w+):(\S+)", header.split(None, 2)[-1]))
        dbms = [d.strip().lower() for d in attrs.get("dbms", "").split(",") if d.strip()]
        if dbms and not any(d in _LIQUIBASE_DBMS.get(kind, ()) or d == "all" for d in dbms):
            continue
        chunk = "".join(body)
        if attrs.get("splitStatements", "true").lower() == "false":
            # One statement: the whole body (no delimiter ends it early).
            statements += split_statements(path, chunk, kind, delimiter="\0",
                                           first_line=first)
            continue
        statements += split_statements(path, chunk, kind,
                                       delimiter=attrs.get("endDelimiter", ";"),
                                       first_line=first)
    return statements


def _quoted_end(text: str, i: int, quote: str, backslash: bool) -> int:
    """The index just past the quoted text starting at ``i`` (doubled quotes and, where
    the dialect has them, backslash escapes inside); the text's end when it never closes."""
    end = string_end(text, i, quote, backslash)
    return len(text) if end < 0 else end + 1
