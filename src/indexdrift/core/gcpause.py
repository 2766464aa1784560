"""``gc_paused``: the cyclic garbage collector off while a snapshot is read, built or
walked (every reader and ``sources.checks`` use it; no database owns it)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a snapshot is read and built.

    Reading a large schema allocates hundreds of thousands of small objects, none of them
    in cycles; every few hundred allocations the collector would walk the growing heap
    again, which costs about as much as the reading itself. Safe with concurrent readers:
    the collector is back on (if it was on) when the last one finishes, and what exists
    then is left out of its later walks (``gc.freeze``).
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                # What was built is kept (a snapshot is acyclic, freed by reference
                # counting when dropped; a read leaves no cyclic garbage): the collector
                # need not walk it again and again while the run compares, lints and
                # renders, which cost as much as the reading itself.
                gc.freeze()
                gc.enable()
