"""Child interpreters of the benchmarks run with compiled bytecode, as an installed package does.

pip compiles a package's modules when it installs them and an editable install writes
``__pycache__`` on its first run, but a checkout run with ``PYTHONDONTWRITEBYTECODE=1``
(as some CI and sandbox environments set) compiles every imported module again in every
process: ~100 indexdrift modules, 50-60 ms of CPU before a compare's first query. The
benchmarks time what users run, so their children write and read bytecode in a throw-away
cache (``PYTHONPYCACHEPREFIX``), filled by each script's warm-up run, and never in the
source tree; ``--source-only`` times the compile-every-time case instead.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile


def use_bytecode(enabled: bool) -> str:
    """Set this process's environment (inherited by every child) for bytecode or none;
    return a one-line description for the results."""
    if not enabled:
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        os.environ.pop("PYTHONPYCACHEPREFIX", None)
        return "children compile from source every run (--source-only)"
    cache = tempfile.mkdtemp(prefix="indexdrift-bench-pycache-")
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = cache
    return "children use compiled bytecode (a throw-away PYTHONPYCACHEPREFIX, as installed)"
