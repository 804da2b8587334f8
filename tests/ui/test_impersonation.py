"""A new key that takes the name of a contact you verified is flagged once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Slot

from lanchat.core.contacts import Status


class Codes(QObject):
    def __init__(self, runtime) -> None:
        super().__init__()
        self.seen: list[tuple[str, str | None]] = []
        runtime.notices.posted.connect(self.on_notice)

    @Slot(object)
    def on_notice(self, notice) -> None:
        self.seen.append((notice.code, notice.peer))


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_second_key_with_a_verified_name_is_flagged_once(make_runtime, make_window, online, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("Ben")
    window = make_window(ana)
    codes = Codes(ana)
    qtbot.waitUntil(lambda: online(ana, ben), timeout=10_000)
    ana.store.set_verified(ben.identity.id, True)  # as the contact dialog's Verified box does
    ana.contacts.set_verified(ben.identity.id, True)

    impostor = make_runtime("ben")  # another install, another key, the same name in another case
    qtbot.waitUntil(lambda: online(ana, impostor), timeout=10_000)
    qtbot.waitUntil(lambda: ("name-impersonation", impostor.identity.id) in codes.seen, timeout=10_000)
    impostor.set_status(Status.AWAY)  # it changes again: no second warning
    qtbot.waitUntil(lambda: ana.contacts.get(impostor.identity.id).status is Status.AWAY, timeout=10_000)
    assert codes.seen.count(("name-impersonation", impostor.identity.id)) == 1
    assert ("name-impersonation", ben.identity.id) not in codes.seen
    assert window.isVisible()
