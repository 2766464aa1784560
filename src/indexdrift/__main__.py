"""``python -m indexdrift`` works like the console script."""

import sys

from indexdrift.interrupts import EXIT_INTERRUPTED, Interrupted, install

# Before the (slow) imports: a Ctrl-C or SIGTERM then is one line, not a traceback.
install()
try:
    from indexdrift.cli import main
except Interrupted:
    print("interrupted", file=sys.stderr)
    sys.exit(EXIT_INTERRUPTED)

main()
