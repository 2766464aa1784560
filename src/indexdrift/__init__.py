"""indexdrift: find and fix index drift between the environments of one database."""

__version__ = "0.1.0"
