"""MySQL and MariaDB: the catalog reader (one STATISTICS/TABLES query), STATISTICS and
COLUMNS CSV formats, the DDL writers, the InnoDB online-DDL rules, usage evidence, plans."""
