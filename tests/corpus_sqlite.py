"""Run one coupled-drift case of the SQLite corpus on real files (test helper).

A case is a directory ``<case>/`` holding ``baseline.sql``, ``env.sql`` and, optionally,
``rows.sql`` (rows inserted in the env before migrating). Both files are built with the
``sqlite3`` shell; ``indexdrift migrate --objects all --drop-extra`` writes the env's
scripts in a layout; the up script applied with ``sqlite3 -bail`` leaves no drift
(``compare --objects all``) and, by a check that shares no code with indexdrift, the
env's ``sqlite_schema`` is the baseline's (``normalise``), ``PRAGMA foreign_key_check``
is clean and the rows survive in the columns both sides have; the rollback applied leaves
the env's ``sqlite_schema`` as it was (same check) with its rows.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from liquibase_sql import liquibase_parts

from indexdrift.cli.main import cli

SQLITE3 = "/usr/bin/sqlite3"


@dataclass(frozen=True, slots=True)
class Case:
    """One case: its name and directory."""

    name: str
    path: Path

    def sql(self, side: str) -> str:
        """The SQL of ``baseline``, ``env`` or ``rows`` ('' when the case has none)."""
        path = self.path / f"{side}.sql"
        return path.read_text(encoding="utf-8") if path.exists() else ""


def cases(root: Path) -> list[Case]:
    """Every case under ``root`` (``root/<case>/baseline.sql``), in name order."""
    return [Case(p.parent.name, p.parent) for p in sorted(root.glob("*/baseline.sql"))]


def shell(db: Path, sql: str) -> None:
    """Run ``sql`` with the sqlite3 shell, stopping at the first error."""
    proc = subprocess.run([SQLITE3, "-bail", str(db)], input=sql, text=True,
                          capture_output=True, check=False)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr


def build(db: Path, sql: str) -> str:
    """A new SQLite file set up by ``sql`` with the shell: its indexdrift URL."""
    shell(db, sql or "SELECT 1;")
    return f"sqlite:///{db}"


# --- the independent schema check -------------------------------------------------------
# Stored definitions are compared after these rules, each a spelling SQLite itself treats
# as the same (https://sqlite.org/lang_keywords.html, lang_createtable.html):
#  1. string literals '…' are kept byte for byte (they are data: a CHECK's 'x' vs 'X'
#     differs), so they are cut out first and never touched by the rules below;
#  2. a "quoted", [bracketed] or `backticked` identifier that is a plain name
#     ([A-Za-z_][A-Za-z0-9_]*) and no keyword-like problem is written bare: SQLite stores
#     the CREATE text as written, and ALTER TABLE … RENAME TO / a rebuild writes the new
#     name quoted, while the object is the same;
#  3. ASCII letters outside literals are folded to lower case: keywords and identifiers are
#     case-insensitive in SQLite (for ASCII);
#  4. whitespace is dropped but between two word characters, where one space is kept:
#     SQLite's tokenizer ignores whitespace between tokens, and only two words need a
#     space to stay two tokens (``deleted = 0`` and ``deleted=0`` are the same);
#  5. an explicit ASC before the , or ) that ends a key part is dropped: ascending is the
#     default order (lang_createindex.html), so ``a ASC`` and ``a`` are the same index.
_LITERAL = re.compile(r"'(?:[^']|'')*'")
_QUOTED = re.compile(r'"((?:[^"]|"")*)"|\[([^\]]*)\]|`((?:[^`]|``)*)`')
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _unquote(match: re.Match) -> str:
    name = next(g for g in match.groups() if g is not None)
    return name if _PLAIN.match(name) else match.group(0)


def _normalise_code(code: str) -> str:
    code = _QUOTED.sub(_unquote, code).lower()
    code = re.sub(r"\s+asc(?=\s*[,)])", "", code)
    code = re.sub(r"(?<=\w)\s+(?=\w)", " ", code)
    return re.sub(r"(?<!\w)\s+|\s+(?!\w)", "", code)


def normalise(sql: str) -> str:
    """``sql`` by the rules above (literals kept, the code between them normalised)."""
    parts, last = [], 0
    for match in _LITERAL.finditer(sql):
        parts += [_normalise_code(sql[last:match.start()]), match.group(0)]
        last = match.end()
    parts.append(_normalise_code(sql[last:]))
    return "".join(parts)


def schema(db: Path) -> dict[tuple[str, str], str]:
    """(type, lower-case name) -> normalised SQL of every stored table, index, trigger and
    view (autoindexes have no SQL: a UNIQUE constraint is seen in its table's text)."""
    conn = sqlite3.connect(db)
    try:
        return {(t, n.lower()): normalise(s) for t, n, s in conn.execute(
            "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_%'")}
    finally:
        conn.close()


def raw_schema(db: Path) -> set[tuple[str, str, str]]:
    """Every row of sqlite_schema (for the rollback: as before), but sqlite_sequence:
    SQLite creates it with the first AUTOINCREMENT table and refuses to drop it."""
    conn = sqlite3.connect(db)
    try:
        return set(conn.execute("SELECT type, name, COALESCE(sql, '') FROM sqlite_schema "
                                "WHERE name <> 'sqlite_sequence'"))
    finally:
        conn.close()


def fk_violations(db: Path) -> list[tuple]:
    """``PRAGMA foreign_key_check`` of the whole file."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


def columns(db: Path) -> dict[str, list[str]]:
    """table -> its column names (lower case), user tables only."""
    conn = sqlite3.connect(db)
    try:
        tables = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t.lower(): [r[1].lower() for r in conn.execute(
            "SELECT * FROM pragma_table_xinfo(?) WHERE hidden = 0", (t,))] for t in tables}
    finally:
        conn.close()


def _value(value):
    """A number (or a text that reads as one) as a float: a column whose declared type
    changes converts a value to the new affinity's storage class ('1' to 1, 2 to 2.0),
    which keeps the value (https://sqlite.org/datatype3.html, 3.4 Column Affinity)."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def rows(db: Path, table: str, cols: list[str]) -> list[tuple]:
    """The values of ``cols`` of every row of ``table`` (``_value``), sorted."""
    conn = sqlite3.connect(db)
    try:
        names = ", ".join('"' + c.replace('"', '""') + '"' for c in cols)
        return sorted((tuple(_value(v) for v in row) for row in conn.execute(
            f'SELECT {names} FROM "{table}"')), key=repr)
    finally:
        conn.close()


def kept_rows(db: Path, shape: dict[str, list[str]], keep: dict[str, list[str]]) -> dict:
    """Per table of ``keep``: the rows of the columns ``keep`` names."""
    return {t: rows(db, t, cols) for t, cols in keep.items() if t in shape}


# --- indexdrift ---------------------------------------------------------------------------

def findings(baseline: str, env: str) -> list[dict]:
    """``indexdrift compare --objects all --format json``: the env's findings."""
    result = CliRunner().invoke(cli, ["compare", f"baseline={baseline}", f"env={env}",
                                      "--objects", "all", "--format", "json",
                                      "--baseline", "baseline"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def migrate(baseline: str, env: str, out: Path, layout: str):
    """``indexdrift migrate --objects all --drop-extra`` of the env into ``out``."""
    return CliRunner().invoke(cli, ["migrate", f"baseline={baseline}", f"env={env}",
                                    "--objects", "all", "--out", str(out), "--layout", layout,
                                    "--drop-extra", "--version", "7", "--baseline",
                                    "baseline"])


def layout_text(out: Path, layout: str, direction: str) -> str:
    """The env's script as the layout's tool runs it (a tool that opens a transaction:
    BEGIN/COMMIT around it)."""
    if layout == "plain":
        return (out / ("env.sql" if direction == "up" else "env.rollback.sql")).read_text()
    files = sorted((out / "env").iterdir())
    if layout == "liquibase":
        text = liquibase_parts(files[0].read_text())[0 if direction == "up" else 1]
    elif layout == "flyway":
        text = next(f for f in files if f.name.startswith(
            "V" if direction == "up" else "U")).read_text()
    else:
        text = next(f for f in files if f.name.endswith(f".{direction}.sql")).read_text()
    return "BEGIN;\n" + text + "\nCOMMIT;\n"


def round_trip(case: Case, tmp_path: Path, layout: str) -> None:
    """The case in ``layout``: up → no drift and the baseline's schema; rollback → the env."""
    base_db, env_db = tmp_path / "baseline.db", tmp_path / "env.db"
    baseline = build(base_db, case.sql("baseline"))
    env = build(env_db, case.sql("env") + case.sql("rows"))
    before, before_shape = raw_schema(env_db), columns(env_db)
    base_shape = columns(base_db)
    # Columns both sides have (a renamed column's values are checked by its case's data:
    # the baseline's name is not the env's, so it is not in this set).
    keep = {t: [c for c in cols if c in base_shape.get(t, [])]
            for t, cols in before_shape.items()}
    keep = {t: cols for t, cols in keep.items() if cols}
    before_rows = kept_rows(env_db, before_shape, keep)
    assert findings(baseline, env), f"{case.name}: no drift before the migration"
    out = tmp_path / layout
    result = migrate(baseline, env, out, layout)
    assert result.exit_code == 0, result.output
    shell(env_db, layout_text(out, layout, "up"))
    left = findings(baseline, env)
    assert left == [], f"{case.name} ({layout}): drift left: {left}"
    assert schema(env_db) == schema(base_db), f"{case.name} ({layout}): schema differs"
    assert fk_violations(env_db) == [], f"{case.name} ({layout}): foreign_key_check"
    assert kept_rows(env_db, columns(env_db), keep) == before_rows, \
        f"{case.name} ({layout}): rows lost"
    shell(env_db, layout_text(out, layout, "down"))
    assert {(t, n, normalise(s)) for t, n, s in raw_schema(env_db)} == \
        {(t, n, normalise(s)) for t, n, s in before}, f"{case.name} ({layout}): rollback"
    assert kept_rows(env_db, columns(env_db), keep) == before_rows, \
        f"{case.name} ({layout}): rows lost in the rollback"
