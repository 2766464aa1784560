"""Finding kinds: the one definition every stage (compare, plan, reports) names them by.

The order of ``KINDS`` is the report order of findings of one table and object.
"""

MISSING = "missing"
EXTRA = "extra"
CHANGED = "changed"
RENAMED = "renamed"
TABLE_MISSING = "table_missing"
TABLE_EXTRA = "table_extra"
COLUMN_MISSING = "column_missing"
COLUMN_EXTRA = "column_extra"
COLUMN_CHANGED = "column_changed"
COLUMN_MOVED = "column_moved"
COLUMN_KINDS = (COLUMN_MISSING, COLUMN_EXTRA, COLUMN_CHANGED, COLUMN_MOVED)
KINDS = (MISSING, EXTRA, CHANGED, RENAMED, TABLE_MISSING, TABLE_EXTRA, *COLUMN_KINDS)
