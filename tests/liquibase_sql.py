"""Read a Liquibase formatted-SQL changelog as Liquibase would run it (test helper).

A line-by-line port of Liquibase's AbstractFormattedChangeLogParser /
FormattedSqlChangeLogParser (liquibase-standard): a line ends at LF, CR or CRLF (Java's
BufferedReader), each line is matched whole (Java ``matches()``, ASCII ``\\s``, a ``.``
that stops at Java's line terminators) against the directive patterns in the parser's
order, quotes or not; ``--rollback`` lines build the rollback, ``--precondition-sql-check``
SQL runs before the changeset, ``--ignoreLines`` skips lines, ``--property`` and
``${name}`` (changelog properties, environment variables, Java system properties) are
expanded, a rollback naming ``changesetId`` runs that changeset's SQL, "not required" /
"empty" means no rollback, and the malformed variants Liquibase rejects raise
``LiquibaseParseError``. Statement splitting is left to the client that runs the SQL.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass, field

_DOT = r"[^\n\r\x85\u2028\u2029]"  # Java's "." (no DOTALL)


def _p(regex: str) -> re.Pattern:
    return re.compile(regex.replace(".", _DOT).replace("\\" + _DOT, r"\."),
                      re.IGNORECASE | re.ASCII)


PROPERTY = _p(r"\s*--[\s]*property\s+(.*:.*)\s+(.*:.*).*")
ALT_PROPERTY = _p(r"\s*?[-]+\s*property\s.*")
FIRST_LINE = _p(r"^\s*--\s*liquibase\s*formatted.*")
CHANGE_SET = _p(r'\s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+).*')
ALT_CHANGE_SET_ONE = _p(r"-[\s]*changeset\s.*")
ALT_CHANGE_SET_NO_INFO = _p(r"\s*--[\s]*changeset[\s]*.*$")
ROLLBACK = _p(r"\s*--[\s]*rollback (.*)")
ALT_ROLLBACK = _p(r"\s*-[\s]*rollback\s.*")
PRECONDITIONS = _p(r"\s*--[\s]*preconditions(.*)")
ALT_PRECONDITIONS = _p(r"\s*-[\s]*preconditions\s.*")
PRECONDITION = _p(r"\s*--[\s]*precondition\-([a-zA-Z0-9-]+) (.*)")
EMPTY_PRECONDITION = _p(r"\s*--[\s]*precondition\-([a-zA-Z0-9-]+)")
ALT_PRECONDITION = _p(r"\s*-[\s]*precondition(.*)")
COMMENT = _p(r"--[\s]*comment:? (.*)")
ALT_COMMENT_PLURAL = _p(r"--[\s]*comments:? (.*)")
ALT_COMMENT_ONE = _p(r"-[\s]*comment:? (.*)")
VALID_CHECK_SUM = _p(r"--[\s]*validCheckSum:? (.*)")
ALT_VALID_CHECK_SUM = _p(r"^-[\s]*validCheckSum(.*)$")
IGNORE_LINES = _p(r"--[\s]*ignoreLines:(\w+)")
ALT_IGNORE_LINES_ONE = _p(r"-[\s]*?ignoreLines:(\w+).*$")
ALT_IGNORE = _p(r"--[\s]*ignore:(\w+)")
ROLLBACK_BLOCK_START = _p(r"\s*/\*\s*liquibase\s*rollback\s*$")
ROLLBACK_BLOCK_END = _p(r".*\s*\*/\s*$")
NAME = _p(r".*name:\s*(\S+).*")
VALUE = _p(r".*value:\s*(\S+).*")
SQL_CHECK = [_p(r"^(?:expectedResult:)?(\w+) (.*)"), _p(r"^(?:expectedResult:)?'([^']+)' (.*)"),
             _p(r'^(?:expectedResult:)?"([^"]+)" (.*)')]
ROLLBACK_ID = _p(r".*changeSetId:(\S+).*")
ROLLBACK_AUTHOR = _p(r".*changesetAuthor:(\S+).*")


class LiquibaseParseError(ValueError):
    """Liquibase would refuse the changelog (nothing of it runs)."""


@dataclass
class ChangeSet:
    """One changeset as Liquibase builds it."""

    author: str
    id: str
    sql: list[str] = field(default_factory=list)
    rollback: list[str] = field(default_factory=list)
    preconditions: list[str] = field(default_factory=list)  # sql-check queries
    expected: list[str] = field(default_factory=list)  # each query's expectedResult
    # --preconditions onFail:… onError:… (Liquibase's default for both is HALT)
    on_fail: str = "HALT"
    on_error: str = "HALT"
    comments: str | None = None
    up_sql: str = ""
    rollback_sql: str | None = None


def _lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text.removesuffix("\n").removesuffix("\r"))


def _expand(text: str, properties: dict[str, str]) -> str:
    java = {"user.name": getpass.getuser(), "user.home": os.path.expanduser("~"),
            "java.version": "17"}

    def value(match: re.Match) -> str:
        key = match.group(1)
        for source in (properties, os.environ, java):
            if key in source:
                return source[key]
        return match.group(0)
    return re.sub(r"\$\{([^}]+)\}", value, text)


def changelog(text: str) -> list[ChangeSet]:
    """The changesets Liquibase reads from ``text``, their SQL and rollback expanded."""
    lines = _lines(text)
    properties: dict[str, str] = {}
    changesets: list[ChangeSet] = []
    current: ChangeSet | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if PROPERTY.fullmatch(line):
            name, value = NAME.fullmatch(line), VALUE.fullmatch(line)
            if name and value:
                properties.setdefault(_expand(name.group(1), properties),
                                      _expand(value.group(1), properties))
            continue
        if ALT_PROPERTY.fullmatch(line):
            raise LiquibaseParseError(f"line {i}: malformed --property")
        if found := IGNORE_LINES.fullmatch(line):
            if found.group(1) == "start":
                while i < len(lines):
                    i += 1
                    end = IGNORE_LINES.fullmatch(lines[i - 1])
                    if end and end.group(1) == "end":
                        break
                continue
            if not found.group(1).isdigit():
                raise LiquibaseParseError(f"line {i}: unknown ignoreLines syntax")
            i += int(found.group(1))
            continue
        if ALT_IGNORE_LINES_ONE.fullmatch(line) or ALT_IGNORE.fullmatch(line):
            raise LiquibaseParseError(f"line {i}: malformed --ignoreLines")
        if found := CHANGE_SET.fullmatch(line):
            current = ChangeSet(_expand(found.group(1).strip('"'), properties),
                                _expand(found.group(2).strip('"'), properties))
            changesets.append(current)
            continue
        if ALT_CHANGE_SET_ONE.fullmatch(line) or ALT_CHANGE_SET_NO_INFO.fullmatch(line):
            raise LiquibaseParseError(f"line {i}: malformed --changeset")
        if current is None:
            if COMMENT.fullmatch(line):
                raise LiquibaseParseError(f"line {i}: comment outside a changeset")
            continue
        if found := COMMENT.fullmatch(line):
            current.comments = found.group(1)
        elif ALT_COMMENT_ONE.fullmatch(line) or ALT_COMMENT_PLURAL.fullmatch(line):
            raise LiquibaseParseError(f"line {i}: malformed --comment")
        elif VALID_CHECK_SUM.fullmatch(line):
            pass
        elif ALT_VALID_CHECK_SUM.fullmatch(line):
            raise LiquibaseParseError(f"line {i}: malformed --validCheckSum")
        elif found := ROLLBACK.fullmatch(line):
            current.rollback.append(found.group(1))
        elif ALT_ROLLBACK.fullmatch(line):
            raise LiquibaseParseError(f"line {i}: malformed --rollback")
        elif ROLLBACK_BLOCK_START.fullmatch(line):
            block = []
            while True:
                if i >= len(lines):
                    raise LiquibaseParseError("liquibase rollback comment is not closed")
                i += 1
                if ROLLBACK_BLOCK_END.fullmatch(lines[i - 1]):
                    block.append(re.split(r"\*/\s*$", lines[i - 1])[0])
                    break
                block.append(lines[i - 1])
            current.rollback.append("".join(block))
        elif found := PRECONDITIONS.fullmatch(line):
            for key, value in re.findall(r"(onFail|onError):(\w+)", found.group(1)):
                setattr(current, "on_fail" if key == "onFail" else "on_error", value)
        elif ALT_PRECONDITIONS.fullmatch(line):
            raise LiquibaseParseError(f"line {i}: malformed --preconditions")
        elif found := PRECONDITION.fullmatch(line):
            if found.group(1) != "sql-check":
                continue  # table-exists / view-exists: catalog look-ups, no SQL of ours
            body = _expand(found.group(2).strip(), properties)
            check = next((m for m in (p.fullmatch(body) for p in SQL_CHECK) if m), None)
            if check is None:
                raise LiquibaseParseError(f"line {i}: bad sql-check precondition")
            current.preconditions.append(check.group(2))
            current.expected.append(check.group(1))
        elif ALT_PRECONDITION.fullmatch(line) or EMPTY_PRECONDITION.fullmatch(line):
            raise LiquibaseParseError(f"line {i}: malformed precondition")
        else:
            current.sql.append(line)
    # Liquibase's validation refuses a changelog whose changesets share an identifier
    # (author, id within one file): "changesets had duplicate identifiers".
    seen: set[tuple[str, str]] = set()
    for changeset in changesets:
        if (changeset.author, changeset.id) in seen:
            raise LiquibaseParseError(f"duplicate changeset {changeset.author}:{changeset.id}")
        seen.add((changeset.author, changeset.id))
    for changeset in changesets:
        changeset.up_sql = _expand("\n".join(changeset.sql).strip(), properties)
        _finish_rollback(changeset, changesets, properties)
    return changesets


def _finish_rollback(changeset: ChangeSet, changesets: list[ChangeSet],
                     properties: dict[str, str]) -> None:
    text = "\n".join(changeset.rollback)
    if not text.strip():
        return
    head = text.strip().lower()
    if head.startswith(("not required", "empty")):
        changeset.rollback_sql = ""
    elif "changesetid" in head:
        flat = text.replace("\n", "").replace("\r", "")
        wanted_id, author = ROLLBACK_ID.fullmatch(flat), ROLLBACK_AUTHOR.fullmatch(flat)
        other = next((c for c in changesets if wanted_id and author
                      and (c.id, c.author) == (wanted_id.group(1), author.group(1))), None)
        if other is None:
            raise LiquibaseParseError(f"rollback names a missing changeset: {flat!r}")
        changeset.rollback_sql = _expand("\n".join(other.sql), properties)
    else:
        changeset.rollback_sql = _expand(text, properties)


def liquibase_parts(text: str) -> tuple[str, str]:
    """The SQL Liquibase runs for update (each changeset's sql-check preconditions, then
    its SQL), and for rollback (changesets in reverse)."""
    up, down = [], []
    for changeset in changelog(text):
        up.extend(f"{sql};" for sql in changeset.preconditions)
        up.append(changeset.up_sql)
        down.append(changeset.rollback_sql or "")
    return "\n".join(up), "\n".join(reversed(down))


def statements(sql: str) -> list[str]:
    """``sql`` cut into the statements Liquibase sends one by one (splitStatements and
    stripComments on, as by default), following its SimpleSqlGrammar tokens: ``'…'`` and
    ``"…"`` with ``''`` / ``""`` and the backslash escapes ``\\' \\" \\n \\t \\b \\r \\f \\\\ \\0``,
    backtick names without line breaks, ``--`` and ``/* */`` comments; a quote that does
    not open such a token is a plain symbol. The cut is at every ``;`` outside a token."""
    out, buf, i, n = [], [], 0, len(sql)
    while i < n:
        if sql.startswith("--", i):
            end = re.search(r"[\r\n]", sql[i:])
            i = n if end is None else i + end.start()
            continue
        if sql.startswith("/*", i) and (end := sql.find("*/", i + 2)) >= 0:
            i = end + 2
            buf.append(" ")
            continue
        token = _quoted_token(sql, i)
        if token:
            buf.append(sql[i:i + token])
            i += token
            continue
        if sql[i] == ";":
            if "".join(buf).strip():
                out.append("".join(buf).strip())
            buf = []
        else:
            buf.append(sql[i])
        i += 1
    if "".join(buf).strip():
        out.append("".join(buf).strip())
    return out


def _quoted_token(sql: str, i: int) -> int:
    """The length of the quoted token starting at ``i`` (0: none starts there)."""
    quote = sql[i]
    if quote == "`":
        end = re.match(r"`[^\n\r`]+`", sql[i:])
        return end.end() if end else 0
    if quote not in "'\"":
        return 0
    j = i + 1
    while j < len(sql):
        c = sql[j]
        if c == "\\":
            if sql[j + 1:j + 2] in ("'", '"', "n", "t", "b", "r", "f", "\\", "0"):
                if sql[j + 1] == quote == "'" and j + 2 >= len(sql):
                    return j + 2 - i
                j += 2
                continue
            return 0
        if c == quote:
            if sql[j + 1:j + 2] == quote:
                j += 2
                continue
            return j + 1 - i
        j += 1
    return 0
