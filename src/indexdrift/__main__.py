"""``python -m indexdrift`` works like the console script."""

from indexdrift.cli import main

main()
