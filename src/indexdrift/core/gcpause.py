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
    the collector is back on (if it was on) when the last one finishes.
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
                gc.enable()
