"""PostgreSQL: the catalog reader (pg_index/pg_constraint), columns, the column CSV, the
DDL writers (CONCURRENTLY, build-then-swap), usage evidence, plans."""
