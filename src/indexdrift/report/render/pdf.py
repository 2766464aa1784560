"""The report as PDF: the HTML report printed by a headless Chromium (its print CSS).

WeasyPrint needs Pango and other system libraries that no wheel carries; Chromium, when the
machine has it (Debian's /usr/bin/chromium, chromium on PATH, or playwright's download), prints
the very page a browser shows. Without one, ``--format pdf`` is refused in one line (exit 2),
never a text table in a file named .pdf. The page as it opens holds every row (its script
only re-renders a filtered view), and the print stylesheet hides the controls.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from indexdrift.compare.tables import Comparison
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Catalog
from indexdrift.report.render.html import render_html
from indexdrift.report.render.statements import EnvStatements

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_PLAYWRIGHT = "~/.cache/ms-playwright/chromium*/chrome-linux*/chrome"
_TIMEOUT = 600  # seconds: 11,000 rows take well under a minute


def find_chromium() -> str | None:
    """A Chromium to print with: /usr/bin/chromium, one on PATH, or playwright's."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    downloaded = sorted(glob.glob(os.path.expanduser(_PLAYWRIGHT)))
    return downloaded[-1] if downloaded else None


def print_to_pdf(html: str, browser: str, catalog: Catalog) -> bytes:
    """``html`` printed to PDF by ``browser`` (headless, from a private profile; the page's
    own Content-Security-Policy lets it fetch nothing)."""
    with tempfile.TemporaryDirectory(prefix="indexdrift-pdf-") as folder:
        page, out = Path(folder, "report.html"), Path(folder, "report.pdf")
        page.write_text(html, encoding="utf-8")
        args = [browser, "--headless", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-extensions",
                f"--user-data-dir={Path(folder, 'profile')}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}", page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=_TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise IndexDriftError(catalog.t("pdf.failed", detail=str(exc))) from exc
        if not out.exists() or out.stat().st_size == 0:
            lines = [ln for ln in (done.stderr or "").splitlines() if ln.strip()]
            detail = lines[-1] if lines else f"exit {done.returncode}"
            raise IndexDriftError(catalog.t("pdf.failed", detail=detail))
        return out.read_bytes()


def render_pdf(comparison: Comparison, catalog: Catalog, *,
               statements: dict[str, EnvStatements] | None = None) -> bytes:
    """The HTML report (statements included) as a PDF document."""
    browser = find_chromium()
    if browser is None:
        raise IndexDriftError(catalog.t("pdf.no_chromium"))
    return print_to_pdf(render_html(comparison, catalog, statements=statements), browser,
                        catalog)
