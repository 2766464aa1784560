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

Who takes it: the CSV readers (``sources.SHARING_FORMATS``) and the live readers whose
registry entry says ``takes_table_share`` (MySQL/MariaDB: ``dialects/mysql/reuse.py``),
for every env of the run, a fleet's targets and schema files read back from the scratch
server included. Each reader's keys start with what no other reader's do (the CSV
readers' with a layout tuple, the MySQL reader's with a tag of its own), so no key is two
readers' at once.

A run's envs listed one by one hold their tables anyway, so a share of them needs no
bound; a fleet is any number of schemas, each dropped once compared, so a live reader puts
its tables with a ``limit``: the share then keeps no more than that many of them (the
first ones put, the baseline's mostly, as it is read first) and memory stays bounded
whatever the fleet's size.
"""

from __future__ import annotations

from threading import Lock

from indexdrift.model.tables import Table


class TableShare:
    """Tables built in this run, by their key (see the module): dict operations are atomic
    under the GIL, so the run's concurrent readers may use one share."""

    __slots__ = ("_bounded", "_lock", "_tables", "hits")

    def __init__(self) -> None:
        self._tables: dict[tuple, Table] = {}
        self._bounded = 0  # tables put with a limit
        self._lock = Lock()  # the count of those is read and raised at once
        self.hits = 0  # tables handed out again (tests and benchmarks read it)

    def get(self, key: tuple) -> Table | None:
        """The table built earlier in the run from ``key``'s cells, or None."""
        found = self._tables.get(key)
        if found is not None:
            self.hits += 1
        return found

    def put(self, key: tuple, table: Table, limit: int | None = None) -> None:
        """Remember ``table`` as what ``key``'s cells build (the first one built stays).

        ``limit``: keep it only while fewer than ``limit`` tables were put with a limit
        (all readers' together); past that the share keeps what it has and the reader
        builds its tables as without one (see the module: a fleet's bound)."""
        if limit is None:
            self._tables.setdefault(key, table)
            return
        with self._lock:
            if self._bounded < limit and key not in self._tables:
                self._tables[key] = table
                self._bounded += 1

    def __len__(self) -> int:
        return len(self._tables)
