"""Helpers for the hostile-input tests: a watchdog so a hang fails the test instead of the run."""

from __future__ import annotations

import signal
import tracemalloc
from contextlib import contextmanager


class TookTooLong(AssertionError):
    pass


@contextmanager
def within(seconds: float):
    """Fail (rather than hang) when the block runs longer than `seconds` of wall-clock time.

    A generous bound, for catching hangs (minutes), not for measuring speed.
    """

    def expired(signum, frame):
        raise TookTooLong(f"still running after {seconds} s: treated as a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def peak_memory():
    """Yields a dict whose "peak" is the most Python memory the block allocated, in bytes."""
    result = {"peak": 0}
    tracemalloc.start()
    try:
        yield result
    finally:
        result["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
