"""1:1 and room messages: at-least-once delivery, exactly-once display (PROTOCOL.md §3.3).

Outgoing: a message is stored as pending with one outbox row per
recipient, sent on our link to each, and resent (same `mid`) whenever the
link comes back, until that recipient acks it. Incoming: a `msg` is
stored first and acked only after the commit; a known (sender, mid) is
acked again but not shown twice.
"""

from __future__ import annotations

import logging
import secrets
from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.history.records import Direction, IncomingSaved, MessageRecord, MessageState, RoomRecord
from lanchat.core.history.store import HistoryStore
from lanchat.core.links import PeerLinks
from lanchat.core.notices import Level, Notices
from lanchat.transports.lanchat.net.connection import ConnectionWorker
from lanchat.transports.lanchat.protocol.codec import encode
from lanchat.transports.lanchat.protocol.frames import Ack, Error, Frame, Msg, Read, Room, Typing

log = logging.getLogger("lanchat.core.messaging")


@dataclass(frozen=True)
class ChatMessage:
    """A message shown to the person (incoming, new)."""

    sender: str
    mid: str
    ts: int
    text: str
    room: Room | None


def new_id() -> str:
    """A fresh 32-hex `mid`/`tid`/room id."""
    return secrets.token_hex(16)


class MessagingService(QObject):
    message_received = Signal(object)  # ChatMessage
    delivered = Signal(str, str)  # mid, recipient
    failed = Signal(str, str, str)  # mid, recipient, reason code
    typing_changed = Signal(str, object, bool)  # sender, room id or None, active
    read_by = Signal(str, object)  # reader, tuple of mids

    def __init__(
        self,
        own_id: str,
        store: HistoryStore,
        links: PeerLinks,
        notices: Notices,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self._own_id = own_id
        self._store = store
        self._links = links
        self._notices = notices
        self._clock = clock
        # Per recipient, the messages sent but not yet acked, in order.
        self._unacked: dict[str, OrderedDict[str, Msg]] = {}
        # (sender, mid) -> the message and the connections waiting for its commit.
        self._awaiting_commit: dict[tuple[str, str], tuple[Msg, list[ConnectionWorker]]] = {}
        self._rooms: dict[str, Room] = {}
        links.link_up.connect(self._on_link_up)
        links.frame_received.connect(self._on_answer)
        store.incoming_saved.connect(self._on_incoming_saved)
        self._stopped = False

    def stop(self) -> None:
        """Ignore signals that arrive late from workers that have stopped."""
        self._stopped = True

    def load_outbox(self) -> None:
        """Queue again what earlier runs sent but never saw acked."""
        for peer_id in self._store.pending_peers():
            for record in self._store.outbox(peer_id):
                room = self._rooms.get(record.room) if record.room else None
                msg = Msg(record.mid, record.ts, record.text, room)
                self._unacked.setdefault(peer_id, OrderedDict())[record.mid] = msg
            self._links.ensure(peer_id)

    def set_rooms(self, rooms: list[Room]) -> None:
        self._rooms.update((room.id, room) for room in rooms)

    def rooms(self) -> dict[str, Room]:
        """The rooms we know, by id."""
        return dict(self._rooms)

    # --- sending ------------------------------------------------------------

    def send_text(self, to: str, text: str) -> str:
        """Send `text` to one contact; returns the `mid`.

        Raises:
            LocalProtocolError: the text is empty or over 32768 bytes.
        """
        msg = Msg(new_id(), self._clock.now_ms(), text)
        return self._send(msg, [to], chat=to)

    def send_room_text(self, room: Room, text: str) -> str:
        """Send `text` to every member of `room` but us; returns the `mid`."""
        self._rooms[room.id] = room
        self._store.save_room(RoomRecord(room.id, room.name, room.members))
        msg = Msg(new_id(), self._clock.now_ms(), text, room)
        recipients = [m for m in room.members if m != self._own_id]
        return self._send(msg, recipients, chat=room.id)

    def _send(self, msg: Msg, recipients: list[str], chat: str) -> str:
        encode(msg)  # raises LocalProtocolError before anything is stored
        self._store.save_outgoing(
            MessageRecord(
                mid=msg.mid, chat=chat, sender=self._own_id, direction=Direction.OUT,
                ts=msg.ts, text=msg.text, state=MessageState.PENDING,
                room=msg.room.id if msg.room else None,
            ),
            recipients,
        )
        for peer_id in recipients:
            self._unacked.setdefault(peer_id, OrderedDict())[msg.mid] = msg
            self._links.send(peer_id, msg)
        return msg.mid

    def send_typing(self, to: str, active: bool, room: Room | None = None) -> None:
        """Tell one contact (or every member of `room`) that we type.

        Typing is fleeting: it goes over links that are up and is not queued;
        a link that is down is opened for the next keystroke.
        """
        recipients = [m for m in room.members if m != self._own_id] if room else [to]
        for peer_id in recipients:
            self._links.send(peer_id, Typing(active, room))

    def send_read(self, sender: str, mids: list[str]) -> None:
        """Tell `sender` we have read these of its messages."""
        for start in range(0, len(mids), 1000):
            self._links.send(sender, Read(tuple(mids[start : start + 1000])))

    def give_up(self, mid: str, peer_id: str, reason: str) -> None:
        """Stop trying to deliver `mid` to `peer_id`; it shows as failed."""
        if self._take_unacked(peer_id, mid):
            self._store.mark_failed(mid, peer_id, reason)
            self.failed.emit(mid, peer_id, reason)

    def _take_unacked(self, peer_id: str, mid: str) -> bool:
        """Forget an unacked message; True if it was waiting."""
        waiting = self._unacked.get(peer_id)
        return waiting is not None and waiting.pop(mid, None) is not None

    @Slot(str)
    def _on_link_up(self, peer_id: str) -> None:
        if self._stopped:
            return
        for msg in list(self._unacked.get(peer_id, {}).values()):
            self._links.send(peer_id, msg)

    @Slot(str, object)
    def _on_answer(self, peer_id: str, frame: Frame) -> None:
        if self._stopped:
            return
        if isinstance(frame, Ack):
            if self._take_unacked(peer_id, frame.mid):
                self._store.mark_delivered(frame.mid, peer_id)
                self.delivered.emit(frame.mid, peer_id)
        elif isinstance(frame, Error):
            if frame.mid is not None and self._take_unacked(peer_id, frame.mid):
                self._store.mark_failed(frame.mid, peer_id, frame.code)
                self.failed.emit(frame.mid, peer_id, frame.code)
            if frame.code != "not-found":
                self._notices.post(
                    Level.WARNING, frame.code,
                    f"A contact reported a problem with what we sent: {frame.message or frame.code}",
                    peer_id,
                )

    # --- receiving (on connections the peers opened to us) -------------------

    @Slot(object, object)
    def on_request(self, worker: ConnectionWorker, frame: Frame) -> None:
        """A chat request on a connection a peer opened to us."""
        if self._stopped:
            return
        sender = worker.remote.id if worker.remote else None
        if sender is None:
            return
        if isinstance(frame, Msg):
            self._awaiting_commit.setdefault((sender, frame.mid), (frame, []))[1].append(worker)
            if frame.room is not None:
                self._rooms.setdefault(frame.room.id, frame.room)
                self._store.save_room(RoomRecord(frame.room.id, frame.room.name, frame.room.members))
            self._store.save_incoming(
                MessageRecord(
                    mid=frame.mid, chat=frame.room.id if frame.room else sender, sender=sender,
                    direction=Direction.IN, ts=frame.ts, text=frame.text,
                    state=MessageState.RECEIVED, room=frame.room.id if frame.room else None,
                )
            )
        elif isinstance(frame, Read):
            self._store.mark_read(list(frame.mids), sender)
            self.read_by.emit(sender, frame.mids)
        elif isinstance(frame, Typing):
            self.typing_changed.emit(sender, frame.room.id if frame.room else None, frame.active)

    @Slot(object)
    def _on_incoming_saved(self, saved: IncomingSaved) -> None:
        if self._stopped:
            return
        waiting = self._awaiting_commit.pop((saved.sender, saved.mid), None)
        if waiting is None:
            return
        msg, workers = waiting
        for worker in workers:
            worker.send(Ack(saved.mid))
        if saved.new:
            self.message_received.emit(ChatMessage(saved.sender, msg.mid, msg.ts, msg.text, msg.room))
