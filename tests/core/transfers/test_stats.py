"""TransferStats: the progress maths, with a clock the test controls."""

from __future__ import annotations

import pytest

from lanchat.core.transfers.stats import TransferStats


def test_speed_over_a_sliding_window_and_eta():
    stats = TransferStats(total=100_000_000, window=3.0)
    assert stats.speed == 0.0 and stats.eta is None
    for second in range(10):
        stats.update(float(second), second * 10_000_000)
    assert stats.speed == pytest.approx(10_000_000)
    assert stats.eta == pytest.approx(1.0)
    assert stats.per_mille == 900


def test_the_window_forgets_old_speed():
    stats = TransferStats(total=10**9, window=2.0)
    for second in range(5):
        stats.update(float(second), second * 50_000_000)  # fast at first
    for second in range(5, 12):
        stats.update(float(second), 200_000_000 + (second - 4) * 1_000_000)  # then slow
    assert stats.speed == pytest.approx(1_000_000)


def test_per_mille_never_overflows_for_huge_files():
    stats = TransferStats(total=5 * 2**40)
    stats.update(0.0, 4 * 2**40)
    assert stats.per_mille == 800
    assert TransferStats(total=0).per_mille == 1000


def test_a_restarted_file_starts_the_window_again():
    stats = TransferStats(total=1000)
    stats.update(0.0, 0)
    stats.update(1.0, 500)
    stats.update(2.0, 100)  # failed and sent again from offset 0
    assert stats.speed == 0.0
    stats.update(3.0, 300)
    assert stats.speed == pytest.approx(200)
