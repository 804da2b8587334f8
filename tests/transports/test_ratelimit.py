"""At most 50 datagrams a second from one source, a sliding window, bounded memory."""

from __future__ import annotations

from lanchat.transports.ratelimit import RateLimiter

T0 = 1000.0


def test_rate_limit_is_50_per_second_per_ip() -> None:
    limiter = RateLimiter()
    assert all(limiter.allow("10.0.0.1", T0 + i / 100) for i in range(50))
    assert not limiter.allow("10.0.0.1", T0 + 0.5)
    assert limiter.allow("10.0.0.2", T0 + 0.5)  # another source
    assert not limiter.allow("10.0.0.1", T0 + 0.99)
    assert limiter.allow("10.0.0.1", T0 + 1.0)  # the first one is a second old
    assert not limiter.allow("10.0.0.1", T0 + 1.0)


def test_rate_limit_holds_in_any_one_second_window() -> None:
    """50 just before a second boundary and 50 just after would be 100 within 0.2 s."""
    limiter = RateLimiter()
    assert all(limiter.allow("10.0.0.1", T0 + 0.9) for _ in range(50))
    assert not limiter.allow("10.0.0.1", T0 + 1.1)
    assert limiter.allow("10.0.0.1", T0 + 1.95)


def test_refused_datagrams_do_not_count() -> None:
    limiter = RateLimiter(limit=2)
    assert limiter.allow("h", T0) and limiter.allow("h", T0 + 0.1)
    assert not any(limiter.allow("h", T0 + 0.2 + i / 1000) for i in range(500))
    assert limiter.allow("h", T0 + 1.05)


def test_rate_limiter_memory_is_bounded() -> None:
    limiter = RateLimiter()
    cap = RateLimiter.MAX_TRACKED_IPS
    assert all(limiter.allow(f"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}", T0) for i in range(cap))
    assert not limiter.allow("192.168.0.1", T0 + 0.5)  # a flood of sources: newcomers wait
    assert limiter.allow("10.0.0.0", T0 + 0.5)  # known sources still get their share
    assert limiter.allow("192.168.0.1", T0 + 1.5)  # the quiet ones were forgotten
