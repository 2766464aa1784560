"""Write a Snapshot back as a CSV that ``compare`` reads identically, in its dialect's
format."""

from __future__ import annotations

from indexdrift.core import registry as dialects
from indexdrift.model.tables import Snapshot


def export_csv(snapshot: Snapshot) -> str:
    """The snapshot in its dialect's CSV format (dialects.Dialect.csv_export): PostgreSQL
    and SQLite in the catalog CSV format (sources/catalog_csv.py), MySQL/MariaDB (and a
    snapshot of unknown flavor, registry.FALLBACK_CSV_EXPORT) as a STATISTICS export."""
    found = dialects.of_flavor(snapshot.flavor)
    path = dialects.FALLBACK_CSV_EXPORT if found is None else found.csv_export
    return dialects.load(path)(snapshot)
