"""SQLite: the reader (PRAGMA index_list/index_xinfo/foreign_key_list) and the DDL writer."""
