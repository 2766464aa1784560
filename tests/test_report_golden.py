"""Golden reports: the bundled examples (an index-only run) in every format and both
languages, as `indexdrift compare` writes them. A change to the report code must leave
these bytes alone unless it means to change index-only reports.

HTML is compared without its inlined stylesheet and script (code, not report content: the
page, its labels and its data are compared whole); Excel by sheet names, cells, frozen
panes and autofilter (the zip container carries nothing a reader sees).

Regenerate after an intended change with `INDEXDRIFT_UPDATE_GOLDEN=1 scripts/test -k
report_golden` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "reports"
FILES = [f"examples/indexes_{e}.csv" for e in ("prd", "stg", "dev")]
FORMATS = {"table": "txt", "md": "md", "csv": "csv", "json": "json", "html": "html",
           "xlsx": "xlsx.json"}
_CODE = re.compile(r"(<style>\n).*?(\n</style>)|(<script>\n).*?(\n</script>)", re.S)


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """The reports name the sources as given: run from the repository root."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    monkeypatch.setenv("COLUMNS", "200")


def without_code(html: str) -> str:
    """The page without the bodies of its inlined stylesheet and script."""
    return _CODE.sub(lambda m: "".join(g for g in m.groups() if g is not None), html)


def workbook_json(data: bytes) -> str:
    """What a reader of the workbook sees: each sheet's cells, frozen panes, autofilter."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = [{"name": ws.title, "freeze": ws.freeze_panes, "autofilter": ws.auto_filter.ref,
               "rows": [list(row) for row in ws.iter_rows(values_only=True)]}
              for ws in book.worksheets]
    return json.dumps(sheets, ensure_ascii=False, indent=1) + "\n"


def report(fmt: str, lang: str, *extra: str) -> str:
    """The report as compared: text, the HTML without code, the workbook as JSON."""
    # The time zone is the machine's unless --tz says: the Korean reports show KST.
    zone = "Asia/Seoul" if lang == "ko" else "UTC"
    args = ["compare", *FILES, "--format", fmt, "--lang", lang, "--tz", zone, *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output  # the examples drift
    if fmt == "xlsx":
        return workbook_json(result.stdout_bytes)
    return without_code(result.stdout) if fmt == "html" else result.stdout


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_index_only_reports_are_as_before(fmt, lang):
    text = report(fmt, lang)
    golden = GOLDEN / f"examples.{lang}.{FORMATS[fmt]}"
    if os.environ.get("INDEXDRIFT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="")
    with open(golden, encoding="utf-8", newline="") as fh:
        assert text == fh.read()
