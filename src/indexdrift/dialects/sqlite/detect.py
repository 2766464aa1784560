"""Whether a file source is a SQLite database: asked of every file given as a source, so
it lives apart from the reader (which imports sqlite3 and compiles its CREATE TABLE parser
on import: start-up time)."""

from __future__ import annotations

from pathlib import Path

from indexdrift.core.errors import InputError
from indexdrift.core.inputfile import open_input

SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
MAGIC = b"SQLite format 3\x00"


def is_sqlite_file(path: str) -> bool:
    """True for a *.db/*.sqlite/*.sqlite3 name, or any file with the SQLite header."""
    if Path(path).suffix.lower() in SQLITE_SUFFIXES:
        return True
    try:
        with open_input(path, path) as fh:  # a FIFO is refused, never waited on
            return fh.read(len(MAGIC)) == MAGIC
    except (InputError, OSError):
        return False
