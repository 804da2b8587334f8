"""Issue 16, item 2: a read receipt that cannot go out yet is kept in history, across a restart."""

from __future__ import annotations

from lanchat.core.history.records import MessageState


def online(runtime, other) -> bool:
    contact = runtime.contacts.get(other.identity.id)
    return contact is not None and contact.online


def state_of(runtime, chat: str, mid: str) -> str | None:
    return next((r.state for r in runtime.store.page(chat) if r.mid == mid), None)


def test_a_receipt_for_an_offline_sender_survives_the_readers_restart(make_runtime, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    qtbot.waitUntil(lambda: online(ana, ben) and online(ben, ana), timeout=10_000)
    mid = ana.messaging.send_text(ben.identity.id, "did you read this?")
    qtbot.waitUntil(lambda: state_of(ana, ben.identity.id, mid) == MessageState.DELIVERED, timeout=10_000)
    ana.stop()  # Ana leaves before Ben reads it
    qtbot.waitUntil(lambda: not online(ben, ana), timeout=10_000)

    ben.messaging.send_read(ana.identity.id, [mid])
    qtbot.waitUntil(lambda: ben.store.unsent_reads() == {ana.identity.id: [mid]}, timeout=10_000)
    ben.stop()

    ben_again = make_runtime("ben")  # the same profile: the receipt is still owed
    assert ben_again.store.unsent_reads() == {ana.identity.id: [mid]}
    ana_again = make_runtime("ana")
    qtbot.waitUntil(lambda: state_of(ana_again, ben.identity.id, mid) == MessageState.READ, timeout=15_000)
    qtbot.waitUntil(lambda: ben_again.store.unsent_reads() == {}, timeout=10_000)


def test_a_network_without_read_receipts_keeps_nothing(make_runtime, qtbot):
    ana = make_runtime("ana")
    ana.messaging.send_read("ipmsg:127.0.0.9", ["0" * 32])  # IP Messenger is off here, and has no receipts
    ana.store.flush()
    assert ana.store.unsent_reads() == {}
