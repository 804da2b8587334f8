"""The one clock every timeout and retention rule reads, replaceable in tests."""

from __future__ import annotations

import time


class Clock:
    """Wall time for timestamps, monotonic time for timeouts."""

    def now(self) -> float:
        """Seconds since the epoch (for `ts`, retention of mids and partials)."""
        return time.time()

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (for timeouts and expiry)."""
        return time.monotonic()

    def now_ms(self) -> int:
        return int(self.now() * 1000)


class FakeClock(Clock):
    """A clock that moves only when told to."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start
        self._mono = 1000.0

    def now(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += seconds
        self._mono += seconds


SYSTEM_CLOCK = Clock()
