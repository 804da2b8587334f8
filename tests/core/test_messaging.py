"""Peers discover each other and exchange messages over real sockets (in-process)."""

from __future__ import annotations

import os
import threading
import time

from PySide6.QtCore import QObject, Slot

from lanchat.core.contacts import Status
from lanchat.core.messaging import ChatMessage
from lanchat.core.transport import Delivery, DeliveryFailure, ReadReceipt, TypingNotice


class Recorder(QObject):
    """Collects a service's signals on the GUI thread."""

    def __init__(self, runtime) -> None:
        super().__init__()
        self.messages = []
        self.delivered = []
        self.failed = []
        self.threads = set()
        runtime.messaging.message_received.connect(self.on_message)
        runtime.messaging.delivered.connect(self.on_delivered)
        runtime.messaging.failed.connect(self.on_failed)

    @Slot(ChatMessage)
    def on_message(self, message: ChatMessage) -> None:
        self.threads.add(threading.get_ident())
        self.messages.append(message)

    @Slot(Delivery)
    def on_delivered(self, delivery: Delivery) -> None:
        self.delivered.append((delivery.mid, delivery.peer))

    @Slot(DeliveryFailure)
    def on_failed(self, failure: DeliveryFailure) -> None:
        self.failed.append((failure.mid, failure.peer, failure.reason))


def online(runtime, other) -> bool:
    contact = runtime.contacts.get(other.identity.id)
    return contact is not None and contact.online


def test_three_peers_discover_each_other_and_see_a_clean_exit(make_runtime, qtbot):
    peers = [make_runtime(name) for name in ("ana", "ben", "chloé")]
    qtbot.waitUntil(lambda: bool(all(online(a, b) for a in peers for b in peers if a is not b)), timeout=10_000)
    ana, ben, chloe = peers
    assert ana.contacts.get(chloe.identity.id).name == "chloé"
    assert ana.contacts.get(ben.identity.id).port == ben.port

    chloe.set_status(Status.BUSY)
    qtbot.waitUntil(lambda: bool(ana.contacts.get(chloe.identity.id).status is Status.BUSY), timeout=5000)

    chloe.stop()  # sends leave
    qtbot.waitUntil(lambda: bool(not online(ana, chloe) and not online(ben, chloe)), timeout=5000)
    assert online(ana, ben)


def test_message_both_ways_with_ack(make_runtime, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    ana_seen, ben_seen = Recorder(ana), Recorder(ben)
    qtbot.waitUntil(lambda: bool(online(ana, ben) and online(ben, ana)), timeout=10_000)

    mid = ana.messaging.send_text(ben.identity.id, "hi ben 👋")
    qtbot.waitUntil(lambda: bool(ben_seen.messages and ana_seen.delivered), timeout=10_000)
    assert ben_seen.messages[0].text == "hi ben 👋"
    assert ben_seen.messages[0].sender == ana.identity.id
    assert ben_seen.messages[0].mid == mid
    assert ana_seen.delivered == [(mid, ben.identity.id)]
    assert ben_seen.threads == {threading.get_ident()}

    reply = ben.messaging.send_text(ana.identity.id, "hello ana")
    qtbot.waitUntil(lambda: bool(ana_seen.messages and ben_seen.delivered), timeout=10_000)
    assert ana_seen.messages[0].text == "hello ana"
    assert ben_seen.delivered == [(reply, ana.identity.id)]


def test_burst_of_1000_arrives_complete_and_in_order(make_runtime, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    ana_seen, ben_seen = Recorder(ana), Recorder(ben)
    qtbot.waitUntil(lambda: bool(online(ana, ben)), timeout=10_000)
    mids = [ana.messaging.send_text(ben.identity.id, f"message {i}") for i in range(1000)]
    qtbot.waitUntil(lambda: bool(len(ana_seen.delivered) == 1000), timeout=60_000)
    assert [m.text for m in ben_seen.messages] == [f"message {i}" for i in range(1000)]
    assert [m.mid for m in ben_seen.messages] == mids
    assert ana.store.flush() and ben.store.flush()


def test_resend_after_a_forced_disconnect_is_shown_once(make_runtime, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    ana_seen, ben_seen = Recorder(ana), Recorder(ben)
    qtbot.waitUntil(lambda: bool(online(ana, ben)), timeout=10_000)
    first = ana.messaging.send_text(ben.identity.id, "first")
    qtbot.waitUntil(lambda: bool(ana_seen.delivered), timeout=10_000)

    # Ben receives and stores the next message but its ack never reaches Ana:
    # the connection dies first. Ana must resend; Ben must show it once.
    original = ben.messaging._on_incoming_saved

    def store_then_cut(saved):
        waiting = ben.messaging._awaiting_commit.pop((saved.sender, saved.mid), None)
        for receipt in waiting[1] if waiting else []:
            receipt.worker.stop()  # cut the connection instead of acking
        if waiting:
            ben.messaging._awaiting_commit[(saved.sender, saved.mid)] = (waiting[0], [])
        original(saved)

    ben.store.incoming_saved.disconnect(ben.messaging._on_incoming_saved)
    ben.store.incoming_saved.connect(store_then_cut_slot := _SlotWrapper(store_then_cut).call)
    second = ana.messaging.send_text(ben.identity.id, "second")
    qtbot.waitUntil(lambda: bool(len(ben_seen.messages) == 2), timeout=10_000)
    ben.store.incoming_saved.disconnect(store_then_cut_slot)
    ben.store.incoming_saved.connect(ben.messaging._on_incoming_saved)

    qtbot.waitUntil(lambda: bool((second, ben.identity.id) in ana_seen.delivered), timeout=20_000)
    assert [m.mid for m in ben_seen.messages] == [first, second]


class _SlotWrapper(QObject):
    def __init__(self, function) -> None:
        super().__init__()
        self._function = function

    @Slot(object)
    def call(self, value) -> None:
        self._function(value)


def os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_stop_joins_every_thread_within_a_second(make_runtime, qtbot):
    before = os_threads()
    ana, ben = make_runtime("ana"), make_runtime("ben")
    Recorder(ana)
    qtbot.waitUntil(lambda: online(ana, ben) and online(ben, ana), timeout=10_000)
    ana.messaging.send_text(ben.identity.id, "one")
    ben.messaging.send_text(ana.identity.id, "two")
    both_up = lambda: ana.lanchat.links.is_up(ben.identity.id) and ben.lanchat.links.is_up(ana.identity.id)  # noqa: E731
    qtbot.waitUntil(both_up, timeout=10_000)
    assert os_threads() > before + 4
    started = time.monotonic()
    ana.stop()
    ben.stop()
    assert time.monotonic() - started < 1.0
    qtbot.waitUntil(lambda: os_threads() <= before, timeout=5000)


class Signals(QObject):
    def __init__(self, runtime) -> None:
        super().__init__()
        self.typing = []
        self.read = []
        runtime.messaging.typing_changed.connect(self.on_typing)
        runtime.messaging.read_by.connect(self.on_read)

    @Slot(TypingNotice)
    def on_typing(self, notice: TypingNotice) -> None:
        self.typing.append((notice.sender, notice.room, notice.active))

    @Slot(ReadReceipt)
    def on_read(self, receipt: ReadReceipt) -> None:
        self.read.append((receipt.reader, receipt.mids))


def test_typing_and_read_receipts(make_runtime, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    ana_seen, ben_seen = Recorder(ana), Recorder(ben)
    ana_signals = Signals(ana)
    qtbot.waitUntil(lambda: online(ana, ben) and online(ben, ana), timeout=10_000)
    mid = ana.messaging.send_text(ben.identity.id, "are you there?")
    qtbot.waitUntil(lambda: bool(ana_seen.delivered and ben_seen.messages), timeout=10_000)

    ben.messaging.send_typing(ana.identity.id, True)  # opens ben's link; this one is dropped
    qtbot.waitUntil(lambda: ben.lanchat.links.is_up(ana.identity.id), timeout=10_000)
    assert not ana_signals.typing
    ben.messaging.send_typing(ana.identity.id, True)
    qtbot.waitUntil(lambda: bool(ana_signals.typing), timeout=10_000)
    assert ana_signals.typing == [(ben.identity.id, None, True)]

    ben.messaging.send_read(ana.identity.id, [mid])
    qtbot.waitUntil(lambda: bool(ana_signals.read), timeout=10_000)
    assert ana_signals.read == [(ben.identity.id, (mid,))]
    assert ana.store.flush()
    (record,) = [m for m in ana.store.page(ben.identity.id) if m.mid == mid]
    assert record.state == "read"


def test_messages_to_an_offline_contact_wait_in_the_outbox_across_a_restart(make_runtime, qtbot, tmp_path):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    qtbot.waitUntil(lambda: online(ana, ben), timeout=10_000)
    ben_id = ben.identity.id
    ben.stop()
    qtbot.waitUntil(lambda: not online(ana, ben), timeout=10_000)
    ana.messaging.send_text(ben_id, "while you were away")
    assert ana.store.flush()
    ana.stop()

    ana_again = make_runtime("ana")  # same profile: the outbox is in its history
    assert [m.text for m in ana_again.store.outbox(ben_id)] == ["while you were away"]
    ben_again = make_runtime("ben")
    ben_seen, ana_seen = Recorder(ben_again), Recorder(ana_again)
    qtbot.waitUntil(lambda: bool(ben_seen.messages), timeout=20_000)
    assert [m.text for m in ben_seen.messages] == ["while you were away"]
    qtbot.waitUntil(lambda: bool(ana_seen.delivered), timeout=10_000)
    assert ana_again.store.flush() and ana_again.store.outbox(ben_id) == []
