"""``TableShare``: one run's tables, by the raw cells they were built from, so that a table
whose rows are the same in several envs is built once and is the very same object in
each of their snapshots.

Most tables are identical in every env of a run. A reader that keys a table's raw cells
(all that decides the table: its name, each row's cells in order, and the file's layout)
hands out the table built for an earlier env with the same key instead of building an
equal one again; ``compare_tables`` then sees the same object on both sides (no findings,
nothing compared) and lint checks it once (``report/lint.py``).

Sharing is safe because nothing changes a table once its reader has returned it, except
where a run changes one env on purpose, and those places replace the env's table with a
copy instead (``compare.ignore.apply_ignore``, ``Snapshot.set_columns``); readers that
change tables after building them (export directories merging object files) never get a
share. A share lives for one run (``cli.runs.read_selection``), never across runs.
"""

from __future__ import annotations

from indexdrift.model.tables import Table


class TableShare:
    """Tables built in this run, by their key (see the module): dict operations are atomic
    under the GIL, so the run's concurrent readers may use one share."""

    __slots__ = ("_tables", "hits")

    def __init__(self) -> None:
        self._tables: dict[tuple, Table] = {}
        self.hits = 0  # tables handed out again (tests and benchmarks read it)

    def get(self, key: tuple) -> Table | None:
        """The table built earlier in the run from ``key``'s cells, or None."""
        found = self._tables.get(key)
        if found is not None:
            self.hits += 1
        return found

    def put(self, key: tuple, table: Table) -> None:
        """Remember ``table`` as what ``key``'s cells build (the first one built stays)."""
        self._tables.setdefault(key, table)

    def __len__(self) -> int:
        return len(self._tables)
