"""Progress maths of one transfer: bytes, total, speed over a sliding window, ETA (pure)."""

from __future__ import annotations

from collections import deque

WINDOW_SECONDS = 3.0


class TransferStats:
    """Feed it (time, bytes done) samples; read speed and ETA."""

    def __init__(self, total: int, done: int = 0, window: float = WINDOW_SECONDS) -> None:
        self.total = total
        self.done = done
        self._window = window
        self._samples: deque[tuple[float, int]] = deque()

    def update(self, now: float, done: int) -> None:
        """Bytes done so far at time `now` (seconds, any monotonic clock)."""
        if done < self.done:  # a file started again: the window starts over
            self._samples.clear()
        self.done = done
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self._window:
            self._samples.popleft()

    @property
    def fraction(self) -> float:
        return 1.0 if self.total == 0 else min(1.0, self.done / self.total)

    @property
    def per_mille(self) -> int:
        """For QProgressBar (an int range that never overflows)."""
        return int(self.fraction * 1000)

    @property
    def speed(self) -> float:
        """Bytes per second over the last few seconds (0 until two samples)."""
        if len(self._samples) < 2:
            return 0.0
        (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current speed, None when unknown."""
        speed = self.speed
        if speed <= 0:
            return None if self.done < self.total else 0.0
        return max(0.0, (self.total - self.done) / speed)
