"""Start-up of a live PostgreSQL compare (tests/test_startup.py's way, on the real server):
what is loaded when the first catalog query goes out. Everything before it is time every
run waits for; the compare, the lint and the report writers load afterwards, while the
servers work on the queries (docs/performance.md).

Which modules are loaded is asserted, never how long anything takes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres

SRC = Path(__file__).resolve().parent.parent / "src"

# The modules a compare needs only once an env has been read.
AFTER_THE_READS = ("indexdrift.compare.tables", "indexdrift.compare.stream",
                   "indexdrift.compare.ignore", "indexdrift.compare.waivers",
                   "indexdrift.report.lint", "indexdrift.report.render.jsonout",
                   "indexdrift.evidence.attach",
                   # the PostgreSQL reader's parts a compare of indexes does not ask for
                   "indexdrift.dialects.postgresql.catalog_objects",
                   "indexdrift.dialects.postgresql.columns")

# Records sys.modules when the first catalog query is sent (psycopg's Cursor.execute),
# then runs the command as indexdrift's entry point does.
_RUN = """
import json, sys, threading
import psycopg
seen = []
real = psycopg.Cursor.execute
lock = threading.Lock()
def execute(self, query, *args, **kwargs):
    with lock:
        if not seen and "WITH ix AS" in str(query):
            seen.append(sorted(sys.modules))
    return real(self, query, *args, **kwargs)
psycopg.Cursor.execute = execute
sys.argv = ["indexdrift", *sys.argv[1:]]
from indexdrift.cli.main import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({"code": code, "at_query": seen[0] if seen else None,
                  "end": sorted(sys.modules)}), file=sys.__stderr__)
"""

TABLES = ("CREATE TABLE t (id int PRIMARY KEY, a int, b int);"
          "CREATE INDEX idx_a ON t (a); CREATE INDEX idx_ab ON t (a, b)")


def test_live_compare_sends_its_queries_before_loading_the_compare(postgres, tmp_path):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, TABLES)
    postgres.run(dev, TABLES + "; CREATE INDEX idx_b ON t (b)")
    out = tmp_path / "report.json"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run([sys.executable, "-c", _RUN, "compare", f"prd={postgres.url(prd)}",
                           f"dev={postgres.url(dev)}", "--format", "json", "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)
    found = json.loads(proc.stderr.strip().splitlines()[-1])
    assert found["code"] == 1, proc.stderr  # idx_b is drift: the compare really ran
    report = json.loads(out.read_text())
    assert [f["index"] for f in report["findings"]] == ["idx_b"]
    assert report["advisories"]  # idx_a is covered by idx_ab: the lint ran too
    at_query = set(found["at_query"])
    assert sorted(m for m in AFTER_THE_READS if m in at_query) == []
    # ... and they did load, afterwards.
    assert {"indexdrift.compare.tables", "indexdrift.report.lint"} <= set(found["end"])
