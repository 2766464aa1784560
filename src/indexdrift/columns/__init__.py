"""Column drift: column definitions read from the catalogs, normalised, compared and
migrated (``--objects columns``)."""

from indexdrift.model import Column

__all__ = ["Column"]
