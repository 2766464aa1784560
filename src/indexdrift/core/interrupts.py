"""SIGINT and SIGTERM: one way to stop a run, and short stretches that must not be cut.

``install()`` makes both signals raise ``Interrupted`` in the main thread. It is not a
KeyboardInterrupt on purpose: click turns that into a bare Abort (printing a blank line),
and a BaseException passes through every ``except Exception``, so each ``finally`` and
``except BaseException`` on the way out still cleans up (temporary files, half-moved sets).

``deferred()`` holds both signals back while a few renames run (atomic.write_file_set puts a
set of files into place, or takes them back): a signal that arrives meanwhile is acted on
when the block ends.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


class Interrupted(BaseException):
    """The run was stopped by SIGINT or SIGTERM."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def interrupt_in(exc: BaseException | None) -> bool:
    """True when ``exc`` is an interrupt or was caused by one. Python 3.11 wraps an
    exception raised while a class is being created (``__set_name__``, as in a dataclass
    definition being imported) in a RuntimeError: a Ctrl-C that lands there is still a
    Ctrl-C, not a bug."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, Interrupted | KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


# Set by the handler: worker threads, which signals never reach, stop at their next safe
# point (sources/scratch.py loads a schema file statement by statement).
_STOPPING = threading.Event()


def stop_requested() -> bool:
    """True once SIGINT or SIGTERM has arrived in this run (install() clears it)."""
    return _STOPPING.is_set()


# What must still happen when an interrupt ends the run while worker threads hold
# something (a throw-away schema on a scratch server): the CLI exits without waiting for
# those threads, so it runs these first (run_cleanups).
_CLEANUPS: dict[int, Callable[[], None]] = {}
_CLEANUPS_LOCK = threading.Lock()


@contextmanager
def cleanup_on_interrupt(action: Callable[[], None]) -> Iterator[None]:
    """Within the block, ``run_cleanups()`` runs ``action`` (it must be safe to run twice
    and from another thread: the block's own ``finally`` may run it as well)."""
    with _CLEANUPS_LOCK:
        _CLEANUPS[id(action)] = action
    try:
        yield
    finally:
        with _CLEANUPS_LOCK:
            _CLEANUPS.pop(id(action), None)


def run_cleanups() -> None:
    """Run every registered cleanup (an interrupted run, before it exits)."""
    with _CLEANUPS_LOCK:
        actions = list(_CLEANUPS.values())
    for action in actions:
        try:
            action()
        except Exception:  # noqa: BLE001, S110 - the run is ending; the others still run
            pass


def _raise(signum: int, frame: object) -> None:
    _STOPPING.set()
    raise Interrupted(signum)


def install() -> Callable[[], None]:
    """SIGINT and SIGTERM raise ``Interrupted`` (from the main thread only; else a no-op).
    Returns what puts the previous handlers back (for a caller that is not the process)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    _STOPPING.clear()
    previous = {signum: signal.signal(signum, _raise) for signum in SIGNALS}

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
    return restore


def ignore_signals() -> None:
    """SIGINT and SIGTERM do nothing from now on (the run's work is over)."""
    if threading.current_thread() is not threading.main_thread():
        return
    while True:
        try:
            for signum in SIGNALS:
                signal.signal(signum, signal.SIG_IGN)
            return
        except Interrupted:
            # A signal that came while the handlers were being switched off (signal.signal
            # runs a pending handler): the run is ending anyway, so finish switching off.
            continue


@contextmanager
def deferred() -> Iterator[None]:
    """Run the block with SIGINT/SIGTERM held back; one that came meanwhile is then
    delivered to the handler that was in place. Outside the main thread signals cannot
    reach the block's thread anyway, so it runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous: dict[int, object] = {}
    try:
        for signum in SIGNALS:
            previous[signum] = signal.signal(signum, lambda s, f: pending.append(s))
        yield
    finally:
        for signum, handler in previous.items():
            # None: a handler set outside Python, which cannot be put back as it was.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        if pending:
            # Delivered again, now that the handler in place can act on it.
            signal.raise_signal(pending[0])
