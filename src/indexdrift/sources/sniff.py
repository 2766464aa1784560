"""What kind of file source a path is, told cheaply: the registry asks these of every file
given as a source, so they live apart from the readers (which are imported only for the
kind found: start-up time)."""

from __future__ import annotations

import os

# The file an export directory (``export --objects ... -o DIR``) always holds.
INDEX_FILE = "indexes.csv"
# Columns of the catalog CSV (sources/catalog_csv.py) no STATISTICS export has.
CATALOG_CSV_MARKERS = ("ACCESS_METHOD", "PART_KIND")


def is_snapshot_path(spec: str) -> bool:
    """True for ``*.json`` and ``*.json.gz`` sources."""
    lower = spec.lower()
    return lower.endswith(".json") or lower.endswith(".json.gz")


def is_export_dir(spec: str) -> bool:
    """True for a directory holding an ``indexes.csv``."""
    # os.path: False for any OSError (a name too long to be a path, a FIFO...).
    return os.path.isdir(spec) and os.path.isfile(os.path.join(spec, INDEX_FILE))


def is_catalog_csv(spec: str) -> bool:
    """True when the file's header is the catalog CSV's (not a STATISTICS export)."""
    from indexdrift.sources.csvtext import header_mentions  # lazy: CSV sources only

    return header_mentions(spec, CATALOG_CSV_MARKERS)
