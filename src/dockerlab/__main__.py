"""Allow ``python -m dockerlab``."""

from .cli import main

main()
