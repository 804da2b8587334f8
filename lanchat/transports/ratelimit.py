"""A per-source rate limit for datagrams from the network (every transport's UDP worker)."""

from __future__ import annotations

from collections import deque

RATE_LIMIT_PER_SECOND = 50


class RateLimiter:
    """At most `limit` datagrams from one source IP in any one-second window.

    A sliding window (the times of the last `limit` accepted datagrams per IP),
    so a burst across a second boundary cannot double the rate. At most
    `MAX_TRACKED_IPS` sources are tracked at once; while that many are active
    within one second, datagrams from new sources are refused.
    """

    WINDOW_SECONDS = 1.0
    MAX_TRACKED_IPS = 4096

    def __init__(self, limit: int = RATE_LIMIT_PER_SECOND) -> None:
        self._limit = limit
        self._times: dict[str, deque[float]] = {}  # ip -> times of accepted datagrams
        self._last_forget = float("-inf")

    def allow(self, ip: str, now: float) -> bool:
        """Whether to process a datagram from `ip` arriving at `now` (seconds)."""
        times = self._times.get(ip)
        if times is None:
            if len(self._times) >= self.MAX_TRACKED_IPS and not self._forget_quiet(now):
                return False
            times = self._times[ip] = deque()
        while times and now - times[0] >= self.WINDOW_SECONDS:
            times.popleft()
        if len(times) >= self._limit:
            return False
        times.append(now)
        return True

    def _forget_quiet(self, now: float) -> bool:
        """Drop the sources silent for a whole window; True if room was made.

        Scans at most once per window, so a flood of new sources costs little.
        """
        if now - self._last_forget < self.WINDOW_SECONDS:
            return False
        self._last_forget = now
        self._times = {
            ip: times for ip, times in self._times.items()
            if times and now - times[-1] < self.WINDOW_SECONDS
        }
        return len(self._times) < self.MAX_TRACKED_IPS
