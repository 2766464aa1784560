"""One package per database (mysql covers MySQL and MariaDB, postgresql, sqlite), each
holding its catalog reader, connection, CSV formats, DDL writers, usage evidence and plans.
``core/registry.py`` names their modules by dotted path for every other stage (no other
package imports them; import-linter checks it), ``core/target.py`` answers version
questions."""
