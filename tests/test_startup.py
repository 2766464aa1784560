"""Start-up: ``indexdrift --help`` and a small CSV compare import none of the heavy modules
they do not use (sqlglot, rich, the report writers, the database drivers, the planner).

Which modules are loaded is asserted, never how long it takes (docs/performance.md has the
figures; a timed test would fail on a busy machine). Each run is a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

# Third-party packages only some commands and formats need.
HEAVY = ("sqlglot", "rich", "openpyxl", "jinja2", "xlsxwriter", "pymysql", "psycopg")
# indexdrift's own: the planner and DDL (migrate, statement reports), the live readers.
PLANNER = ("indexdrift.plan.planner", "indexdrift.ddl.script",
           "indexdrift.dialects.mysql.catalog", "indexdrift.dialects.postgresql.catalog",
           "indexdrift.dialects.sqlite.catalog")

# The standard library's heavier modules a small compare of files has no use for: the thread
# pool and the logging it imports (files are read on the main thread, no usage counters to
# fetch), zoneinfo (no --tz name), tempfile and shutil (core/atomic.py makes its own
# temporary file).
UNUSED_STDLIB = ("concurrent", "logging", "zoneinfo", "queue", "tempfile", "shutil")
EXAMPLES = SRC.parent / "examples"
# indexdrift's own that a compare of two STATISTICS exports without --target or foreign keys
# has no use for: the catalog CSV reader (its sniffer lives in sources/sniff.py), the
# foreign-key lint and the DDL line check it brings, the --target parser, the parser of
# indexdrift.toml (there is none: sources/configfile.py looks for it), the COLUMNS file reader.
UNUSED_OWN = ("indexdrift.sources.catalog_csv", "indexdrift.report.fk_lint",
              "indexdrift.ddl.linecheck", "indexdrift.core.target", "indexdrift.sources.config",
              "indexdrift.sources.column_files",
              # the other commands: imported when one runs or --help lists them
              "indexdrift.cli.migrate", "indexdrift.cli.export", "indexdrift.cli.check",
              "indexdrift.cli.lint", "indexdrift.cli.plans", "indexdrift.cli.snapshot",
              "indexdrift.cli.explain")

_RUN = """
import json, sys
sys.argv = ["indexdrift", *sys.argv[1:]]
from indexdrift.cli.main import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.__stderr__)
"""

HEADER = ("TABLE_SCHEMA,TABLE_NAME,NON_UNIQUE,INDEX_SCHEMA,INDEX_NAME,SEQ_IN_INDEX,"
          "COLUMN_NAME,COLLATION,CARDINALITY,SUB_PART,PACKED,NULLABLE,INDEX_TYPE,COMMENT,"
          "INDEX_COMMENT,IS_VISIBLE,EXPRESSION")


def _loaded(*args: str) -> tuple[int, set[str]]:
    """Run indexdrift ARGS in a fresh interpreter: (exit code, modules loaded at the end)."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True,
                          text=True, env=env, timeout=120)
    found = json.loads(proc.stderr.strip().splitlines()[-1])
    return found["code"], set(found["modules"])


def _heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m in names or m.split(".")[0] in names)


def _csv(path: Path, schema: str, extra: bool) -> str:
    rows = [HEADER,
            f"{schema},users,0,{schema},PRIMARY,1,id,A,10,NULL,NULL,,BTREE,,,YES,NULL",
            f"{schema},users,1,{schema},ix_email,1,email,A,10,NULL,NULL,YES,BTREE,,,YES,NULL"]
    if extra:
        rows.append(f"{schema},users,1,{schema},ix_name,1,name,A,10,NULL,NULL,YES,BTREE,,,"
                    "YES,NULL")
    path.write_text("\n".join(rows) + "\n")
    return str(path)


def test_help_imports_no_heavy_module():
    code, modules = _loaded("--help")
    assert code == 0
    assert _heavy(modules, HEAVY) == []
    assert _heavy(modules, PLANNER) == []
    assert "indexdrift.sources" not in modules  # no reader either


def test_command_help_imports_no_heavy_module():
    for command in ("compare", "migrate", "check", "export", "lint", "plans", "explain",
                    "snapshot"):
        code, modules = _loaded(command, "--help")
        assert code == 0, command
        assert _heavy(modules, HEAVY) == [], command
        assert _heavy(modules, PLANNER) == [], command


def test_small_csv_compare_imports_no_heavy_module(tmp_path):
    prd = _csv(tmp_path / "prd.csv", "shop_prd", extra=False)
    dev = _csv(tmp_path / "dev.csv", "shop_dev", extra=True)
    out = tmp_path / "report.json"
    code, modules = _loaded("compare", f"prd={prd}", f"dev={dev}", "--format", "json",
                            "-o", str(out))
    assert code == 1  # the extra index is drift: the compare really ran
    assert json.loads(out.read_text())["findings"]
    assert _heavy(modules, HEAVY) == []
    assert _heavy(modules, PLANNER) == []
    assert _heavy(modules, UNUSED_STDLIB) == []
    assert _heavy(modules, UNUSED_OWN) == []


def test_small_csv_compare_as_a_table_loads_rich_only(tmp_path):
    """The terminal table is drawn by rich: it loads then, and nothing else heavy does."""
    prd = _csv(tmp_path / "prd.csv", "shop_prd", extra=False)
    dev = _csv(tmp_path / "dev.csv", "shop_dev", extra=True)
    code, modules = _loaded("compare", f"prd={prd}", f"dev={dev}")
    assert code == 1
    assert {m.split(".")[0] for m in _heavy(modules, HEAVY)} == {"rich"}
    assert _heavy(modules, PLANNER) == []
    assert _heavy(modules, UNUSED_STDLIB) == []
    assert _heavy(modules, UNUSED_OWN) == []
    # Its summary lines are report/render/lines.py's: the Markdown writer stays unloaded.
    assert "indexdrift.report.render.markdown" not in modules


def test_examples_compare_imports_no_parser_pool_or_zone(tmp_path):
    """examples/ has a functional index (EXPRESSION ``lower(`sku`)``): a plain function
    call over quoted names is checked without sqlglot (sources/sqlcells.py)."""
    out = tmp_path / "report.json"
    code, modules = _loaded("compare", f"prd={EXAMPLES / 'indexes_prd.csv'}",
                            f"dev={EXAMPLES / 'indexes_dev.csv'}", "--format", "json",
                            "-o", str(out))
    assert code == 1
    assert json.loads(out.read_text())["findings"]
    assert _heavy(modules, HEAVY) == []
    assert _heavy(modules, PLANNER) == []
    assert _heavy(modules, UNUSED_STDLIB) == []
    assert _heavy(modules, UNUSED_OWN) == []


def test_every_lazy_command_is_listed_and_named_as_listed():
    """cli/main.py's command table: --help lists every command (click sorts them), and each
    module's command carries the name it is listed under."""
    import click

    from indexdrift.cli.main import cli

    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert names == sorted(["check", "compare", "explain", "export", "lint", "migrate",
                            "plans", "snapshot"])
    for name in names:
        assert cli.get_command(ctx, name).name == name
