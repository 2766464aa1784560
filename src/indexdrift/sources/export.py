"""Write a Snapshot back as a CSV that ``compare`` reads identically, in its dialect's
format."""

from __future__ import annotations

from indexdrift.core import registry as dialects
from indexdrift.dialects.mysql.statistics_export import export_statistics_csv
from indexdrift.model.tables import Snapshot


def export_csv(snapshot: Snapshot) -> str:
    """The snapshot in its dialect's CSV format (dialects.Dialect.csv_export): PostgreSQL
    and SQLite in the catalog CSV format (sources/pgcsv.py), MySQL/MariaDB (and a snapshot
    of unknown flavor) as a STATISTICS export."""
    found = dialects.of_flavor(snapshot.flavor)
    if found is None:
        return export_statistics_csv(snapshot)
    return found.module("csv_export")(snapshot)
