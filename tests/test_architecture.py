"""The layout is the pipeline: the import-linter contracts of pyproject.toml hold."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_import_contracts_are_kept():
    """Stages import only the stages below them; readers and database packages never reach
    the reports or the command line; no database package imports another, and no other
    package imports one (the registry names them); no package has an import cycle among
    its children."""
    lint = Path(sys.executable).with_name("lint-imports")
    # The contracts are about this tree's sources, whichever copy is installed.
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    proc = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": path})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "BROKEN" not in proc.stdout and "5 kept, 0 broken" in proc.stdout, proc.stdout
