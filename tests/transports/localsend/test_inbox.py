"""PINs for senders to us: 401, and 429 after 3 wrong ones from one address within a minute (localsend/inbox.py)."""

from __future__ import annotations

from lanchat.clock import FakeClock
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.transports.localsend.inbox import Inbox


def test_wrong_pins_lock_an_address_for_a_minute(tmp_path, qapp):
    clock = FakeClock()
    inbox = Inbox(DownloadFolder(tmp_path, clock), clock)
    assert inbox.check_pin("10.0.0.2", None, "1234") == 401  # missing: how a sender learns, not counted
    assert inbox.check_pin("10.0.0.2", "1234", "1234") is None
    assert [inbox.check_pin("10.0.0.2", "0000", "1234") for _ in range(3)] == [401, 401, 401]
    assert inbox.check_pin("10.0.0.2", "1234", "1234") == 429  # even the right one, for a while
    assert inbox.check_pin("10.0.0.3", "1234", "1234") is None  # others are not locked out
    clock.advance(59)
    assert inbox.check_pin("10.0.0.2", "1234", "1234") == 429
    clock.advance(1)
    assert inbox.check_pin("10.0.0.2", "1234", "1234") is None  # a sliding minute


def test_one_offer_at_a_time_per_address(tmp_path, qapp):
    inbox = Inbox(DownloadFolder(tmp_path))
    assert inbox.add_pending("a" * 32, "localsend:X", "10.0.0.2") is not None
    assert inbox.add_pending("b" * 32, "localsend:X", "10.0.0.2") is None  # 409
    assert inbox.add_pending("c" * 32, "localsend:Y", "10.0.0.3") is not None
