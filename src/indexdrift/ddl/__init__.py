"""DDL per database: one module per dialect, each rendering planned steps as statements."""
