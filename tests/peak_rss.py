"""Run indexdrift in a child process and learn the child's own peak RSS.

Linux carries ``ru_maxrss`` across exec, so a child forked by a big pytest process reports
the parent's size (what ``wait4`` and ``RUSAGE_CHILDREN`` return too); ``VmHWM`` in
/proc/self/status belongs to the new process image alone. The wrapper reads it when the
command ends, whatever the exit, and writes it to the file named by INDEXDRIFT_TEST_PEAK.
"""

from __future__ import annotations

import sys

WRAPPER = """
import os, sys
def _peak():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.argv = ["indexdrift", *sys.argv[1:]]
try:
    from indexdrift.cli.main import main
    main()
finally:
    with open(os.environ["INDEXDRIFT_TEST_PEAK"], "w") as fh:
        fh.write(str(_peak()))
"""


def command(*args: str) -> list[str]:
    """The argv that runs ``indexdrift ARGS`` under the peak-measuring wrapper."""
    return [sys.executable, "-c", WRAPPER, *args]


def read_peak(path) -> int:
    """The peak RSS in KiB the wrapper wrote (0 when the child died before writing)."""
    try:
        return int(open(path).read() or 0)
    except (OSError, ValueError):
        return 0
