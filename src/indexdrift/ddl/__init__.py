"""DDL per database: one module per dialect, each rendering planned steps as statements."""

# The migration layouts (ddl.layouts writes them), named here so that ``migrate --help``
# lists them without importing the planner (start-up time).
LAYOUTS = ("plain", "flyway", "liquibase", "golang-migrate")
