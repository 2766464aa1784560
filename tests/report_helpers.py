"""Shared by the report tests: the bundled examples, a large generated comparison, a browser."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from indexdrift.compare.tables import Comparison, compare
from indexdrift.model.tables import Index, KeyPart, Snapshot
from indexdrift.sources import open_source

EXAMPLES = Path(__file__).parent.parent / "examples"
FILES = [str(EXAMPLES / f"indexes_{e}.csv") for e in ("prd", "stg", "dev")]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def example_comparison() -> Comparison:
    """prd (baseline), stg and dev of examples/: every kind of finding, MySQL 8 flavored."""
    return compare({env: open_source(path, env) for env, path in zip(("prd", "stg", "dev"),
                                                                      FILES, strict=True)},
                   "prd")


def without_flavor_columns(source: str, target: Path) -> str:
    """A copy of a STATISTICS export without the columns that tell the server flavor."""
    with open(source, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    keep = [c for c in rows[0] if c not in ("IS_VISIBLE", "EXPRESSION", "IGNORED")]
    with open(target, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, keep, extrasaction="ignore")
        writer.writeheader()
        # Functional key parts (no COLUMN_NAME) need EXPRESSION: leave them out.
        writer.writerows(r for r in rows if r["COLUMN_NAME"] not in ("", "NULL"))
    return str(target)


def big_comparison(rows: int) -> Comparison:
    """A prd/dev comparison with ``rows`` matrix rows: per table one missing, one changed,
    one renamed and one extra index."""
    base = Snapshot("prd.csv", "shop_prd", flavor="mysql", version="8.0.36")
    env = Snapshot("dev.csv", "shop_dev", flavor="mysql", version="8.0.36")
    for t in range(rows // 4):
        name = f"table_{t:05d}"
        bt, et = base.table(name), env.table(name)
        for table in (bt, et):
            table.add(Index(name, "PRIMARY", (KeyPart("id"),), unique=True, primary=True))
        bt.add(Index(name, f"idx_{t}_a", (KeyPart("a"), KeyPart("b"))))
        bt.add(Index(name, f"idx_{t}_c", (KeyPart("c", sub_part=20),)))
        et.add(Index(name, f"idx_{t}_c", (KeyPart("c", sub_part=10),)))
        bt.add(Index(name, f"idx_{t}_d", (KeyPart("d"),), unique=True))
        et.add(Index(name, f"uq_{t}_d", (KeyPart("d"),), unique=True))
        et.add(Index(name, f"idx_{t}_tmp", (KeyPart("e"),)))
    return compare({"prd": base, "dev": env}, "prd")


def _unavailable(message: str):
    """Skip on a developer machine without the browser; fail under CI."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true and {message}")
    pytest.skip(message)


def launch_chromium(playwright):
    """The system Chromium (Debian package) headless; never a downloaded browser."""
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def sync_playwright():
    """playwright.sync_api.sync_playwright, or a skip (a failure under CI) without it."""
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError as exc:
        _unavailable(f"playwright is not installed ({exc})")
    return start()


# Lint advisories for the report tests: stg has an index redundant to a wider one, dev an
# exact duplicate (tests/csvtools.py rows; both are also drift against prd).
_REDUNDANT = [("orders", "idx_user", 1, 1, "user_id", "A", None, "BTREE", "")]
_DUPLICATE = [("users", "idx_tenant_code_dup", 1, 1, "tenant_id", "A", None, "BTREE", ""),
              ("users", "idx_tenant_code_dup", 1, 2, "code", "A", None, "BTREE", "")]


def advisory_files(directory: Path, *, drift: bool = True) -> list[str]:
    """prd/stg/dev STATISTICS CSVs with one advisory in stg and one in dev.

    ``drift=False``: prd and stg both carry the redundant index, so there is no drift but
    an advisory in each.
    """
    from csvtools import BASE, stats_csv

    if drift:
        envs = {"prd": BASE, "stg": BASE + _REDUNDANT, "dev": BASE + _DUPLICATE}
    else:
        envs = {"prd": BASE + _REDUNDANT, "stg": BASE + _REDUNDANT}
    paths = []
    for env, rows in envs.items():
        path = directory / f"{env}.csv"
        path.write_text(stats_csv(rows), encoding="utf-8")
        paths.append(str(path))
    return paths


def terminal_advisories(files: list[str], lang: str) -> list[tuple[str, str]]:
    """``(env, text)`` of each advisory line ``indexdrift compare`` prints to the terminal."""
    from click.testing import CliRunner

    from indexdrift.cli.main import cli
    from indexdrift.core.i18n import Catalog

    result = CliRunner().invoke(cli, ["compare", *files, "--lang", lang])
    lines = result.stdout.splitlines()
    start = lines.index(Catalog(lang).t("lint.heading"))
    found = []
    for line in lines[start + 1:]:
        env, text = line.strip().split(": ", 1)
        found.append((env, text))
    return found
