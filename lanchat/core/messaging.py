"""1:1 and room messages on every network: at-least-once delivery, exactly-once display (docs/protocol.md §3.3).

Outgoing: a message is stored as pending with one outbox row per
recipient, handed to each recipient's transport, and handed again (same
`mid`) whenever that transport says the recipient is reachable, until it
is delivered or has failed. Incoming: a message is stored first and
acknowledged only after the commit; a known (sender, mid) is acknowledged
again but not shown twice.

Read receipts must arrive too: they are kept in history until the
sender's transport is reachable (`peer_ready`), so neither a link that is
not up yet nor a restart loses them.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import ContactBook
from lanchat.core.history.records import Direction, IncomingSaved, MessageRecord, MessageState, RoomRecord
from lanchat.core.history.store import HistoryStore
from lanchat.core.ids import new_id
from lanchat.core.rooms import EVERYONE_ROOM_ID, MAX_ROOM_MEMBERS, Room
from lanchat.core.transport import (
    Delivery,
    DeliveryFailure,
    IncomingMessage,
    OutgoingMessage,
    ReadReceipt,
    Receipt,
    Transport,
    Transports,
    TypingNotice,
    UnsendableText,
)

log = logging.getLogger("lanchat.core.messaging")

MAX_TEXT_BYTES = 32768
MAX_READ_MIDS = 1000


@dataclass(frozen=True)
class ChatMessage:
    """A message shown to the person (incoming, new)."""

    sender: str
    mid: str
    ts: int
    text: str
    room: Room | None


class MessagingService(QObject):
    message_received = Signal(ChatMessage)
    delivered = Signal(Delivery)
    failed = Signal(DeliveryFailure)
    typing_changed = Signal(TypingNotice)
    read_by = Signal(ReadReceipt)

    def __init__(
        self,
        own_id: str,
        store: HistoryStore,
        transports: Transports,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self._own_id = own_id
        self._store = store
        self._transports = transports
        self._clock = clock
        # Per recipient, the messages sent but not yet delivered, in order.
        self._unacked: dict[str, OrderedDict[str, OutgoingMessage]] = {}
        # (sender, mid) -> the message and the receipts waiting for its commit.
        self._awaiting_commit: dict[tuple[str, str], tuple[IncomingMessage, list[Receipt]]] = {}
        self._rooms: dict[str, Room] = {}
        # Per sender, the read receipts handed to its transport in this run (it queues them until its
        # link is up, then emits peer_ready): history forgets them at that peer_ready.
        self._reads_handed: dict[str, set[str]] = {}
        #: Who is online, for Everyone (set by the runtime); without it Everyone goes to the members given.
        self.contacts: ContactBook | None = None
        for transport in transports.all():
            transport.peer_ready.connect(self._on_peer_ready)
            transport.message_received.connect(self._on_message)
            transport.delivered.connect(self._on_delivered)
            transport.delivery_failed.connect(self._on_delivery_failed)
            transport.typing_changed.connect(self._on_typing)
            transport.read_by.connect(self._on_read)
        store.incoming_saved.connect(self._on_incoming_saved)
        self._stopped = False

    def stop(self) -> None:
        """Ignore signals that arrive late from workers that have stopped."""
        self._stopped = True

    def load_outbox(self) -> None:
        """Queue again what earlier runs sent but never saw delivered."""
        for peer_id in self._store.pending_peers():
            for record in self._store.outbox(peer_id):
                room = self._rooms.get(record.room) if record.room else None
                message = OutgoingMessage(record.mid, record.ts, record.text, room)
                self._unacked.setdefault(peer_id, OrderedDict())[record.mid] = message
            transport = self._transports.of(peer_id)
            if transport is not None:
                transport.reach(peer_id)
        for sender in self._store.unsent_reads():
            transport = self._transports.of(sender)
            if transport is not None and transport.capabilities.read_receipts:
                transport.reach(sender)  # read receipts of an earlier run still to tell

    def set_rooms(self, rooms: list[Room]) -> None:
        self._rooms.update((room.id, room) for room in rooms)

    def rooms(self) -> dict[str, Room]:
        """The rooms we know, by id; Everyone is always one of them."""
        return {EVERYONE_ROOM_ID: self.everyone(), **self._rooms}

    def everyone(self) -> Room:
        """(1.1) The Everyone room as it is now: us and every contact online, on every network, however many."""
        online = self.contacts.online(self._own_id) if self.contacts is not None else []
        return Room(EVERYONE_ROOM_ID, "Everyone", (self._own_id, *(c.id for c in online)))

    # --- sending ------------------------------------------------------------

    def send_text(self, to: str, text: str) -> str:
        """Send `text` to one contact; returns the `mid`.

        Raises:
            UnsendableText: the text is empty, over 32768 bytes, or more than the contact's network carries.
        """
        message = OutgoingMessage(new_id(), self._clock.now_ms(), text)
        return self._send(message, [to], chat=to)

    def send_room_text(self, room: Room, text: str) -> str:
        """Send `text` to every member of `room` but us; returns the `mid`.

        Everyone goes to every contact online now (its `members` are ignored) once the runtime
        gave us its contacts.

        Raises:
            UnsendableText: as for `send_text`.
        """
        if room.is_everyone and self.contacts is not None:
            room = Room(room.id, room.name, self.everyone().members)
        message = OutgoingMessage(new_id(), self._clock.now_ms(), text, room)
        recipients = [m for m in room.members if m != self._own_id]
        return self._send(message, recipients, chat=room.id)

    def _check(self, message: OutgoingMessage, recipients: list[str]) -> None:
        size = len(message.text.encode("utf-8"))
        if size == 0:
            raise UnsendableText("the message is empty")
        if size > MAX_TEXT_BYTES:
            raise UnsendableText(f"the message is over {MAX_TEXT_BYTES} bytes")
        room = message.room
        if room is not None and not room.is_everyone and len(room.members) > MAX_ROOM_MEMBERS:
            raise UnsendableText(f"a group has at most {MAX_ROOM_MEMBERS} members")
        for transport in self._transports.serving(recipients):
            transport.check_text(message)

    def _send(self, message: OutgoingMessage, recipients: list[str], chat: str) -> str:
        self._check(message, recipients)  # before anything is stored
        if message.room is not None:
            self._rooms[message.room.id] = message.room
            self._store.save_room(RoomRecord(message.room.id, message.room.name, message.room.members))
        self._store.save_outgoing(
            MessageRecord(
                mid=message.mid, chat=chat, sender=self._own_id, direction=Direction.OUT,
                ts=message.ts, text=message.text, state=MessageState.PENDING,
                room=message.room.id if message.room else None,
            ),
            recipients,
        )
        for peer_id in recipients:
            self._unacked.setdefault(peer_id, OrderedDict())[message.mid] = message
            transport = self._transports.of(peer_id)
            if transport is not None:  # its network is off: it waits in the outbox
                transport.send_message(peer_id, message)
        return message.mid

    def send_typing(self, to: str, active: bool, room: Room | None = None) -> None:
        """Tell one contact (or every member of `room`) that we type, where their network can say so.

        Typing is fleeting: it is not queued.
        """
        recipients = [m for m in room.members if m != self._own_id] if room else [to]
        for peer_id in recipients:
            transport = self._transports.of(peer_id)
            if transport is not None and transport.capabilities.typing:
                transport.send_typing(peer_id, active, room)

    def send_read(self, sender: str, mids: list[str]) -> None:
        """Tell `sender` we have read these of its messages, where its network can say so.

        Kept in history until the sender is reachable: a receipt is not lost when no connection
        to the sender is open yet, nor by a restart.
        """
        transport = self._transports.of(sender)
        if not mids or transport is None or not transport.capabilities.read_receipts:
            return
        self._store.queue_reads(sender, mids)
        self._reads_handed.setdefault(sender, set()).update(mids)
        self._hand_reads(transport, sender, mids)

    @staticmethod
    def _hand_reads(transport: Transport, sender: str, mids: list[str]) -> None:
        for start in range(0, len(mids), MAX_READ_MIDS):
            transport.send_read(sender, tuple(mids[start : start + MAX_READ_MIDS]))

    def _flush_reads(self, transport: Transport, peer_id: str) -> None:
        """`peer_id` is reachable: what we handed its transport has gone; send what an earlier run owed."""
        if not transport.capabilities.read_receipts:
            return
        handed = self._reads_handed.pop(peer_id, set())
        owed = [m for m in self._store.unsent_reads().get(peer_id, []) if m not in handed]
        if owed:
            self._hand_reads(transport, peer_id, owed)
        if handed or owed:
            self._store.drop_reads(peer_id, [*handed, *owed])

    def give_up(self, mid: str, peer_id: str, reason: str) -> None:
        """Stop trying to deliver `mid` to `peer_id`; it shows as failed."""
        if self._take_unacked(peer_id, mid):
            self._store.mark_failed(mid, peer_id, reason)
            self.failed.emit(DeliveryFailure(peer_id, mid, reason))

    def _take_unacked(self, peer_id: str, mid: str) -> bool:
        """Forget an unacked message; True if it was waiting."""
        waiting = self._unacked.get(peer_id)
        return waiting is not None and waiting.pop(mid, None) is not None

    @Slot(str)
    def _on_peer_ready(self, peer_id: str) -> None:
        transport = self._transports.of(peer_id)
        if self._stopped or transport is None:
            return
        for message in list(self._unacked.get(peer_id, {}).values()):
            transport.send_message(peer_id, message)
        self._flush_reads(transport, peer_id)

    @Slot(Delivery)
    def _on_delivered(self, delivery: Delivery) -> None:
        if not self._stopped and self._take_unacked(delivery.peer, delivery.mid):
            self._store.mark_delivered(delivery.mid, delivery.peer)
            self.delivered.emit(delivery)

    @Slot(DeliveryFailure)
    def _on_delivery_failed(self, failure: DeliveryFailure) -> None:
        if not self._stopped:
            self.give_up(failure.mid, failure.peer, failure.reason)

    # --- receiving -------------------------------------------------------------

    @Slot(IncomingMessage)
    def _on_message(self, message: IncomingMessage) -> None:
        if self._stopped:
            return
        key = (message.sender, message.mid)
        self._awaiting_commit.setdefault(key, (message, []))[1].append(message.receipt)
        room = message.room
        if room is not None:
            self._rooms.setdefault(room.id, room)
            self._store.save_room(RoomRecord(room.id, room.name, room.members))
        self._store.save_incoming(
            MessageRecord(
                mid=message.mid, chat=room.id if room else message.sender, sender=message.sender,
                direction=Direction.IN, ts=message.ts, text=message.text,
                state=MessageState.RECEIVED, room=room.id if room else None,
            )
        )

    @Slot(ReadReceipt)
    def _on_read(self, receipt: ReadReceipt) -> None:
        if not self._stopped:
            self._store.mark_read(list(receipt.mids), receipt.reader)
            self.read_by.emit(receipt)

    @Slot(TypingNotice)
    def _on_typing(self, notice: TypingNotice) -> None:
        if not self._stopped:
            self.typing_changed.emit(notice)

    @Slot(IncomingSaved)
    def _on_incoming_saved(self, saved: IncomingSaved) -> None:
        if self._stopped:
            return
        waiting = self._awaiting_commit.pop((saved.sender, saved.mid), None)
        if waiting is None:
            return
        message, receipts = waiting
        for receipt in receipts:
            receipt.acknowledge()
        if saved.new:
            self.message_received.emit(
                ChatMessage(saved.sender, message.mid, message.ts, message.text, message.room)
            )
