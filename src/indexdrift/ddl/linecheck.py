"""What the line-oriented readers of migration files take for their own directives.

The SQL server reads a script with its own lexer, so a line break inside a quoted name or
string is just a character. The tools that read the files first do not all do that:

- Liquibase reads a formatted-SQL changelog line by line (a line ends at LF, CR or CRLF)
  and takes every line matching one of its patterns for a directive, inside quotes too:
  ``--changeset``, ``--rollback``, ``--precondition-…``, ``--preconditions``,
  ``--comment``, ``--validCheckSum``, ``--ignoreLines``, ``--property``, a
  ``--liquibase formatted`` line, ``/* liquibase rollback`` blocks; any case, leading
  whitespace and one-dash variants included. It replaces ``${name}`` everywhere with
  changelog properties, environment variables and Java system properties, and its
  statement splitter reads ``\\"`` inside double quotes as an escaped quote.
- Flyway replaces ``${…}`` placeholders anywhere in a script, strings and names included.
- psql runs a backslash meta-command, the mysql client a ``\\x`` command or a named
  command (``delimiter``, ``source``, ``system`` …), from text outside quotes.

``safe_comment`` keeps indexdrift's own comment lines from ever reading as a directive;
``check_statements`` refuses names and strings a layout cannot carry before anything is
rendered; ``check_file`` is the last look at every rendered file, line by line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError

# Every line end Python's str.splitlines() knows: a superset of what the readers split on
# (Liquibase LF, CR; psql and mysql LF), so a check over these lines misses no line.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"

# Layouts whose tool reads the file before the server does (not quote-aware for
# directives, or substituting ${…}): names and strings there must be single-line.
TOOL_READ = ("flyway", "liquibase")
PLACEHOLDER_LAYOUTS = ("flyway", "liquibase")

_LIQUIBASE = re.compile(
    r"\s*-[-\s]*(changeset|rollback|precondition|comment|validchecksum|ignorelines|ignore:"
    r"|property|include|liquibase|changelog)", re.IGNORECASE)
_LIQUIBASE_BLOCK = re.compile(r"\s*/\*\s*liquibase", re.IGNORECASE)
_CLIENT_COMMAND = re.compile(r"\s*\\")
_MYSQL_NAMED = re.compile(r"\s*(delimiter|source|system|connect|use|charset|pager|tee)\b",
                          re.IGNORECASE)
MARK = "| "
_LINE_BREAK_WHY = {
    "liquibase": "which Liquibase reads as the end of a line (the next one may be read as a "
                 "directive)",
    "flyway": "which the flyway layout does not carry (Flyway parses the script itself "
              "before the server does)",
}
# The escapes Liquibase's splitter knows in a quoted string (SimpleSqlGrammar:
# ESC_NON_QUOTE, ESC_S_QUOTE_B, ESC_D_QUOTE_B).
_E_ESCAPES = "ntbrf\\0'\""


def directive(line: str) -> str | None:
    """What a tool would take ``line`` for (None: plain SQL or a plain comment)."""
    if (found := _LIQUIBASE.match(line)) or (found := _LIQUIBASE_BLOCK.match(line)):
        return f"a Liquibase directive ({found.group(0).strip()})"
    if _CLIENT_COMMAND.match(line):
        return "a psql meta-command / mysql client command (\\)"
    if found := _MYSQL_NAMED.match(line):
        return f"a mysql client command ({found.group(1)})"
    return None


def safe_comment(prefix: str, piece: str) -> str:
    """One comment line ``prefix piece``; a piece that would make the line read as a
    directive after ``--`` gets the ``| `` mark first (the reader then sees ``-- |``)."""
    if not piece:
        return prefix
    if directive("-- " + piece):
        return f"{prefix} {MARK}{piece}"
    return f"{prefix} {piece}"


def split_lines(text: str) -> list[str]:
    """``text`` cut at every line end any reader knows."""
    return text.splitlines()


def shown(text: str, limit: int = 80) -> str:
    """``text`` on one line for an error message (line breaks as escapes), shortened."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return repr(text)


def _mysql_quoting(flavor: str) -> bool:
    """True when the flavor's SQL reads MySQL's way (backquoted names, backslash escapes in
    every string): its dialect's SQL text is the mysql tokenizer's."""
    found = dialects.of_flavor(flavor)
    return found is not None and found.sql_text == "mysql"


def quoted_tokens(sql: str, flavor: str) -> Iterator[tuple[str, str, str]]:
    """``(prefix, quote, content)`` of every quoted name or string in ``sql``, as the
    server reads them (doubled quotes; backslash escapes in MySQL strings and PostgreSQL
    ``E'…'``); comments are skipped."""
    mysql = _mysql_quoting(flavor)
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"`":
            prefix = sql[i - 1] if i and sql[i - 1] in "eE" and ch == "'" else ""
            escapes = (mysql and ch != "`") or bool(prefix)
            j, buf = i + 1, []
            while j < n:
                c = sql[j]
                if escapes and c == "\\":
                    buf.append(sql[j:j + 2])
                    j += 2
                    continue
                if c == ch:
                    if sql[j + 1:j + 2] == ch:
                        buf.append(c + c)
                        j += 2
                        continue
                    break
                buf.append(c)
                j += 1
            yield prefix, ch, "".join(buf)
            i = j + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            i += 1


def statement_problem(sql: str, flavor: str, layout: str) -> str | None:
    """Why ``layout`` cannot carry this statement's names and strings (None: it can)."""
    if layout not in TOOL_READ:
        return None
    mysql = _mysql_quoting(flavor)
    for prefix, quote, content in quoted_tokens(sql, flavor):
        what = "name" if quote == "`" or (quote == '"' and not mysql) else "string"
        token = prefix + quote + content + quote
        if any(c in LINE_BREAKS for c in content):
            return f"the {what} {shown(token)} holds a line break, " + _LINE_BREAK_WHY[layout]
        if "${" in content:
            return (f"the {what} {shown(token)} holds '${{', which {layout} replaces with "
                    "a placeholder / property value")
        if layout == "liquibase" and _misread_by_liquibase(prefix, quote, content, mysql):
            return (f"the {what} {shown(token)} holds a backslash that Liquibase's "
                    "statement splitter does not read as the server does (it knows only "
                    "the escapes \\n \\t \\b \\r \\f \\\\ \\0 \\' \\\", and only "
                    "in strings)")
    return None


def check_statements(env: str, flavor: str, layout: str,
                     statements: Iterable[tuple[str, str]]) -> None:
    """Refuse (before anything is rendered) a statement whose names or strings ``layout``
    cannot carry; ``statements`` are ``(table, sql)``."""
    for table, sql in statements:
        problem = statement_problem(sql, flavor, layout)
        if problem:
            raise IndexDriftError(
                f"env {env}, table {shown(table)}: {problem}; refusing to write the "
                f"{layout} files (rename the object, or use --layout plain)")


def check_file(rel: str, chunks: Iterable[tuple[str, bool]], layout: str,
               owner: Callable[[str], str]) -> str:
    """The text of ``chunks`` (``(text, own)``; ``own``: a directive indexdrift wrote
    itself), after a look at every line: no line indexdrift did not write as its own
    directive may read as a tool's directive, and no line of a layout whose tool replaces
    placeholders may hold ``${``. ``owner(line)`` names the object a line belongs to."""
    number = 0
    texts = []
    for text, own in chunks:
        lines = split_lines(text) or [""]
        if own and len(lines) > 1:
            _refuse(rel, number + 2, lines[1], "a directive indexdrift writes spans lines",
                    owner)
        for line in lines:
            number += 1
            if layout in PLACEHOLDER_LAYOUTS and "${" in line:
                _refuse(rel, number, line, f"{layout} would replace '${{…}}' in it", owner)
            if not own and (found := directive(line)):
                _refuse(rel, number, line, f"it would be read as {found}", owner)
        texts.append(text)
    return "\n".join(texts)


def check_rollback(rel: str, payload: list[str], owner: Callable[[str], str]) -> None:
    """A changeset's rollback SQL must reach Liquibase as SQL: text naming a changeset
    (``changesetId``) turns it into a reference to another changeset's changes, and a
    rollback starting "not required" / "empty" into no rollback at all."""
    joined = "\n".join(payload)
    head = joined.strip().lower()
    for line in payload:
        if "changesetid" in line.lower():
            _refuse(rel, 0, line, "Liquibase would run another changeset as this rollback "
                    "(changesetId)", owner)
    if head.startswith(("not required", "empty")):
        _refuse(rel, 0, payload[0], "Liquibase would skip this rollback", owner)


def _misread_by_liquibase(prefix: str, quote: str, content: str, mysql: bool) -> bool:
    """True when Liquibase's statement splitter could end this token elsewhere than the
    server. It reads a backslash as an escape in '…' and "…": the server does not in
    PostgreSQL names and standard strings; in MySQL strings and PostgreSQL E'…' both
    agree on the escapes the splitter knows, and only on those. Backtick names have no
    escapes on either side."""
    if quote == "`" or "\\" not in content:
        return False
    if not (prefix or (mysql and quote in "'\"")):
        return True
    i = 0
    while i < len(content):
        if content[i] == "\\":
            if content[i + 1:i + 2] not in tuple(_E_ESCAPES):
                return True
            i += 2
        else:
            i += 1
    return False


def _refuse(rel: str, number: int, line: str, why: str, owner: Callable[[str], str]) -> None:
    where = f"{rel}:{number}" if number else rel
    raise IndexDriftError(f"{where}: {owner(line)}: {why}: {shown(line)}; refusing to "
                          "write the migration (rename the object)")
