"""ignore_signals finishes switching SIGINT/SIGTERM off even when one of them arrives while
it does (signal.signal runs a pending handler, which raises Interrupted): the full suite
once saw a traceback from a SIGTERM landing there at the end of a run."""

from __future__ import annotations

import signal

from indexdrift.core import interrupts


def test_a_signal_arriving_while_switching_off_is_swallowed(monkeypatch):
    real = signal.signal
    calls: list[int] = []

    def signal_with_a_pending_one(signum, handler):
        calls.append(signum)
        if len(calls) == 1:  # the pending SIGTERM's handler runs inside the first call
            raise interrupts.Interrupted(signal.SIGTERM)
        return real(signum, handler)

    saved = {s: signal.getsignal(s) for s in interrupts.SIGNALS}
    monkeypatch.setattr(interrupts.signal, "signal", signal_with_a_pending_one)
    try:
        interrupts.ignore_signals()  # must not raise
        assert all(signal.getsignal(s) == signal.SIG_IGN for s in interrupts.SIGNALS)
    finally:
        for signum, handler in saved.items():
            real(signum, handler)
