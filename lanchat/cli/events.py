"""The event lines of docs/cli.md, made from the runtime's signals (headless stdout, the control socket)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Slot

from lanchat.app import Runtime
from lanchat.cli.share import ShareEvents
from lanchat.core.contacts import Contact
from lanchat.core.messaging import ChatMessage
from lanchat.core.notices import Notice
from lanchat.core.transfers.state import TransferState
from lanchat.core.transfers.transfer import TransferView
from lanchat.core.transport import Delivery, DeliveryFailure

#: `transfer` `progress` events go out at most twice a second per transfer.
PROGRESS_INTERVAL = 0.5


def event_line(event: dict[str, Any]) -> bytes:
    """One event or result as the JSON line docs/cli.md prints."""
    return (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def transfer_event(view: TransferView) -> dict[str, Any]:
    return {
        "event": "transfer", "tid": view.tid, "direction": view.direction.value, "peer": view.peer,
        "state": view.state.value, "kind": view.kind.value,
        "files": [
            {"path": f.path, "size": f.size, "saved_as": f.saved_as, "sha256": f.sha256, "ok": f.ok}
            for f in view.files
        ],
        "bytes": view.bytes_done, "total": view.total, "reason": view.reason,
        "room": view.room, "needs_decision": view.needs_decision,
    }


def peer_event(contact: Contact) -> dict[str, Any]:
    return {
        "event": "peer", "id": contact.id, "name": contact.name, "address": contact.address,
        "port": contact.port, "status": contact.status_text, "group": contact.group,
        "protocol": contact.network.value,
    }


class EventStream(QObject):
    """Turns the runtime's signals into event lines and hands them to `write`.

    Headless mode writes them to stdout and the control socket, the window to
    the control socket only.
    """

    def __init__(self, runtime: Runtime, write: Callable[[bytes], None]) -> None:
        super().__init__()
        self._write = write
        self._last_progress: dict[str, float] = {}
        runtime.contacts.changed.connect(self.on_contact_changed)
        runtime.messaging.message_received.connect(self.on_message)
        runtime.messaging.delivered.connect(self.on_delivered)
        runtime.messaging.failed.connect(self.on_failed)
        runtime.notices.posted.connect(self.on_notice)
        runtime.transfers.transfer_changed.connect(self.on_transfer)
        self.shares = ShareEvents(runtime, self.emit_event)  # `share` and `download` events (docs/cli.md)

    def emit_event(self, event: dict[str, Any]) -> None:
        self._write(event_line(event))

    @Slot(Contact)
    def on_contact_changed(self, contact: Contact) -> None:
        self.emit_event(peer_event(contact))

    @Slot(ChatMessage)
    def on_message(self, message: ChatMessage) -> None:
        self.emit_event({
            "event": "message", "from": message.sender, "mid": message.mid, "text": message.text,
            "room": message.room.id if message.room else None, "ts": message.ts,
            "room_name": message.room.name if message.room else None,
        })

    @Slot(Delivery)
    def on_delivered(self, delivery: Delivery) -> None:
        self.emit_event({"event": "delivered", "mid": delivery.mid, "to": delivery.peer})

    @Slot(DeliveryFailure)
    def on_failed(self, failure: DeliveryFailure) -> None:
        self.emit_event({"event": "failed", "mid": failure.mid, "to": failure.peer, "reason": failure.reason})

    @Slot(TransferView)
    def on_transfer(self, view: TransferView) -> None:
        if view.state is TransferState.PROGRESS:
            now = time.monotonic()
            if now - self._last_progress.get(view.tid, 0.0) < PROGRESS_INTERVAL:
                return
            self._last_progress[view.tid] = now
        self.emit_event(transfer_event(view))

    @Slot(Notice)
    def on_notice(self, notice: Notice) -> None:
        self.emit_event({"event": "error", "code": notice.code, "message": notice.text, "peer": notice.peer})
