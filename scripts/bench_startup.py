#!/usr/bin/env python3
"""Start-up benchmark: ``indexdrift --help`` and a compare of two small CSV files.

Each command is a fresh interpreter, run --runs times, taking turns with the other source
trees given (``--src DIR``, repeatable: e.g. another checkout's src/ for before/after);
prints the median and the fastest wall time of each and the median CPU time (user + sys of
the child, which load from other work inflates less than wall time). The commands: --help,
two generated 20-table CSVs as JSON and as the terminal table, and examples/ (whose
functional index is a ``lower(`sku`)`` EXPRESSION cell) as JSON. A plain script, not a test:
it measures, it does not assert.

Source trees without compiled bytecode (``PYTHONDONTWRITEBYTECODE=1``, a fresh checkout)
compile every module on every run: ``python -m compileall -q DIR`` first to time what an
installed package does.

    scripts/bench_startup.py [--runs 21] [--src DIR]...
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_bytecode import use_bytecode

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("TABLE_SCHEMA,TABLE_NAME,NON_UNIQUE,INDEX_SCHEMA,INDEX_NAME,SEQ_IN_INDEX,"
          "COLUMN_NAME,COLLATION,CARDINALITY,SUB_PART,PACKED,NULLABLE,INDEX_TYPE,COMMENT,"
          "INDEX_COMMENT,IS_VISIBLE,EXPRESSION")


def small_csv(path: Path, schema: str, tables: int, extra: bool) -> str:
    """A STATISTICS export of ``tables`` tables with a primary key and one index each."""
    rows = [HEADER]
    for n in range(tables):
        rows.append(f"{schema},t{n},0,{schema},PRIMARY,1,id,A,10,NULL,NULL,,BTREE,,,YES,NULL")
        rows.append(f"{schema},t{n},1,{schema},ix_code,1,code,A,10,NULL,NULL,YES,BTREE,,,YES,"
                    "NULL")
    if extra:
        rows.append(f"{schema},t0,1,{schema},ix_name,1,name,A,10,NULL,NULL,YES,BTREE,,,YES,"
                    "NULL")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--src", action="append", default=None,
                        help="source tree(s) to time (default: this checkout's src/)")
    parser.add_argument("--source-only", dest="bytecode", action="store_false",
                        help="children compile every module from source on every run "
                             "(default: compiled bytecode in a throw-away cache, as installed)")
    args = parser.parse_args()
    print(use_bytecode(args.bytecode), flush=True)
    trees = args.src or [str(ROOT / "src")]
    work = Path(tempfile.mkdtemp())
    prd = small_csv(work / "prd.csv", "shop_prd", 20, extra=False)
    dev = small_csv(work / "dev.csv", "shop_dev", 20, extra=True)
    commands = {
        "indexdrift --help": ["--help"],
        "compare 2 small CSVs --format json -o F": [
            "compare", f"prd={prd}", f"dev={dev}", "--format", "json", "-o",
            str(work / "out.json")],
        "compare 2 small CSVs (terminal table)": ["compare", f"prd={prd}", f"dev={dev}"],
        "compare examples/ prd dev --format json -o F": [
            "compare", f"prd={ROOT / 'examples' / 'indexes_prd.csv'}",
            f"dev={ROOT / 'examples' / 'indexes_dev.csv'}", "--format", "json", "-o",
            str(work / "examples.json")],
    }
    times: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    for tree in trees:  # a warm-up run of each: the bytecode cache, the OS page cache
        for argv in commands.values():
            subprocess.run([sys.executable, "-m", "indexdrift", *argv],
                           env={**os.environ, "PYTHONPATH": tree},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(args.runs):
        for tree in trees:  # taking turns: load from other work weighs on every tree alike
            env = {**os.environ, "PYTHONPATH": tree}
            for name, argv in commands.items():
                start = time.perf_counter()
                child = subprocess.Popen([sys.executable, "-m", "indexdrift", *argv], env=env,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, _, usage = os.wait4(child.pid, 0)
                child.returncode = 0  # reaped by wait4: Popen must not wait for it again
                times.setdefault((name, tree), []).append(time.perf_counter() - start)
                cpu.setdefault((name, tree), []).append(usage.ru_utime + usage.ru_stime)
    for (name, tree), found in times.items():
        print(f"{name:46s} median {statistics.median(found) * 1000:6.1f} ms  fastest "
              f"{min(found) * 1000:6.1f} ms  cpu {statistics.median(cpu[name, tree]) * 1000:6.1f}"
              f" ms  ({len(found)} runs, {tree})")


if __name__ == "__main__":
    main()
