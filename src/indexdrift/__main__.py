"""``python -m indexdrift`` works like the console script."""

import sys

from indexdrift.core.interrupts import EXIT_INTERRUPTED, install, interrupt_in

# Before the (slow) imports: a Ctrl-C or SIGTERM then is one line, not a traceback.
install()
try:
    from indexdrift.cli.main import main
except BaseException as exc:
    if not interrupt_in(exc):
        raise
    print("interrupted", file=sys.stderr)
    sys.exit(EXIT_INTERRUPTED)

main()
