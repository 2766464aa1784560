"""Finding kinds: the one definition every stage (compare, plan, reports) names them by.

The order of ``KINDS`` is the report order of findings of one table and object.
``OBJECT_OF`` names the object kind a finding is about (the report's kind column, the
``--objects`` word that asks for it).
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
FOREIGN_KEY_MISSING = "foreign_key_missing"
FOREIGN_KEY_EXTRA = "foreign_key_extra"
FOREIGN_KEY_CHANGED = "foreign_key_changed"
FOREIGN_KEY_RENAMED = "foreign_key_renamed"
FOREIGN_KEY_KINDS = (FOREIGN_KEY_MISSING, FOREIGN_KEY_EXTRA, FOREIGN_KEY_CHANGED,
                     FOREIGN_KEY_RENAMED)
CHECK_MISSING = "check_missing"
CHECK_EXTRA = "check_extra"
CHECK_CHANGED = "check_changed"
CHECK_RENAMED = "check_renamed"
CHECK_KINDS = (CHECK_MISSING, CHECK_EXTRA, CHECK_CHANGED, CHECK_RENAMED)
OPTIONS_CHANGED = "table_options_changed"
KINDS = (MISSING, EXTRA, CHANGED, RENAMED, TABLE_MISSING, TABLE_EXTRA, *COLUMN_KINDS,
         *FOREIGN_KEY_KINDS, *CHECK_KINDS, OPTIONS_CHANGED)

# Object kinds, as --objects names them.
INDEXES = "indexes"
COLUMNS = "columns"
FOREIGN_KEYS = "foreign_keys"
CHECKS = "checks"
TABLES = "tables"
OBJECTS = (INDEXES, COLUMNS, FOREIGN_KEYS, CHECKS, TABLES)

OBJECT_OF = {
    **dict.fromkeys((MISSING, EXTRA, CHANGED, RENAMED), INDEXES),
    **dict.fromkeys(COLUMN_KINDS, COLUMNS),
    **dict.fromkeys(FOREIGN_KEY_KINDS, FOREIGN_KEYS),
    **dict.fromkeys(CHECK_KINDS, CHECKS),
    **dict.fromkeys((TABLE_MISSING, TABLE_EXTRA, OPTIONS_CHANGED), TABLES),
}
