"""LocalSend's HTTPS routes, answered in the server's connection threads.

register and info answer with our info; prepare-upload checks the PIN,
turns a message into `MessageArrived` (answered 204 once stored) and files
into `OfferArrived` (answered when core decides, or 403 after
`DECISION_SECONDS`); upload streams into the download folder through the
`Inbox`; cancel ends the sender's session. Every signal goes to the main
thread; nothing here blocks it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from lanchat.core.ids import new_id
from lanchat.transports.http.connection import BodyError, HttpRequest, ServerConnection
from lanchat.transports.localsend.inbox import Inbox
from lanchat.transports.localsend.protocol.device import (
    API,
    BadMessage,
    DeviceInfo,
    encode_device,
    loads_object,
    parse_device,
)
from lanchat.transports.localsend.protocol.upload import (
    FileEntry,
    UploadAnswer,
    encode_upload_answer,
    parse_prepare_upload,
)

log = logging.getLogger("lanchat.localsend.api")

MAX_INFO_BODY = 64 * 1024
MAX_PREPARE_BODY = 4 * 1024 * 1024  # 10,000 entries, or a long text in a preview
MAX_TEXT_BYTES = 32768  # longer texts come as a .txt file to accept
DECISION_SECONDS = 120.0
STORE_SECONDS = 15.0
REASON_STATUS = {"declined": 403, "busy": 409, "bad-path": 400, "bad-offer": 400, "too-large": 413,
                 "no-space": 507, "cancelled": 403}


@dataclass(frozen=True)
class DeviceSeen:
    """A device told us its info (register, or the sender of prepare-upload)."""

    address: str
    info: DeviceInfo


@dataclass(frozen=True)
class OfferArrived:
    tid: str
    sender: str  # localsend:<FINGERPRINT>
    files: tuple[FileEntry, ...]


@dataclass(frozen=True)
class OfferGone:
    """The sender stopped waiting for our decision (it left, cancelled, or we took too long)."""

    tid: str
    sender: str


@dataclass(frozen=True)
class StoredReceipt:
    """Acknowledged once the message is stored (any thread): its request is answered 204."""

    event: threading.Event

    def acknowledge(self) -> None:
        self.event.set()


@dataclass(frozen=True)
class MessageArrived:
    sender: str
    text: str
    receipt: StoredReceipt


@dataclass(frozen=True)
class CancelArrived:
    """`POST /cancel` from `address` for `session_id` (one we receive, handled already, or one we send)."""

    address: str
    session_id: str
    tid: str | None  # the incoming transfer it cancelled
    sender: str | None


def contact_id(fingerprint: str) -> str:
    return "localsend:" + fingerprint.upper()


class LocalsendApi(QObject):
    """The request handler of the LocalSend HTTPS server. `info` and `pin` may be replaced at any time."""

    device_seen = Signal(DeviceSeen)
    offer_arrived = Signal(OfferArrived)
    offer_gone = Signal(OfferGone)
    message_arrived = Signal(MessageArrived)
    cancel_arrived = Signal(CancelArrived)

    def __init__(self, info: DeviceInfo, inbox: Inbox, pin: Callable[[], str]) -> None:
        super().__init__()
        self.info = info
        self._inbox = inbox
        self._pin = pin

    def handle(self, conn: ServerConnection, request: HttpRequest) -> None:
        routes = {
            f"{API}/register": ("POST", self._register),
            f"{API}/info": ("GET", self._info),
            f"{API}/prepare-upload": ("POST", self._prepare_upload),
            f"{API}/upload": ("POST", self._upload),
            f"{API}/cancel": ("POST", self._cancel),
        }
        route = routes.get(request.path)
        if route is None:
            conn.respond(404)
        elif request.method != route[0]:
            conn.respond(405)
        else:
            route[1](conn, request)

    def _info(self, conn: ServerConnection, request: HttpRequest) -> None:
        conn.respond(200, encode_device(self.info))

    def _register(self, conn: ServerConnection, request: HttpRequest) -> None:
        try:
            info = parse_device(loads_object(conn.read_body(MAX_INFO_BODY)))
        except BodyError:
            conn.respond(413, close=True)
            return
        except BadMessage as e:
            log.debug("a bad register from %s: %s", request.peer_ip, e)
            conn.respond(400)
            return
        if info.fingerprint != self.info.fingerprint:
            self.device_seen.emit(DeviceSeen(request.peer_ip, info))
        conn.respond(200, encode_device(self.info))

    def _prepare_upload(self, conn: ServerConnection, request: HttpRequest) -> None:
        ip = request.peer_ip
        try:
            prepare = parse_prepare_upload(conn.read_body(MAX_PREPARE_BODY))
        except BodyError:
            conn.respond(413, close=True)
            return
        except BadMessage as e:
            log.info("a bad prepare-upload from %s: %s", ip, e)
            conn.respond(400)
            return
        pin = self._pin()
        if pin:
            refused = self._inbox.check_pin(ip, request.query.get("pin"), pin)
            if refused is not None:
                conn.respond(refused)
                return
        sender = contact_id(prepare.info.fingerprint)
        self.device_seen.emit(DeviceSeen(ip, prepare.info))
        text = prepare.message
        if text is not None and text and len(text.encode("utf-8", "replace")) <= MAX_TEXT_BYTES:
            receipt = StoredReceipt(threading.Event())
            self.message_arrived.emit(MessageArrived(sender, text, receipt))
            conn.respond(204 if conn.wait_for(receipt.event, STORE_SECONDS) else 500)
            return
        pending = self._inbox.add_pending(new_id(), sender, ip)
        if pending is None:
            conn.respond(409)
            return
        self.offer_arrived.emit(OfferArrived(pending.tid, sender, prepare.files))
        conn.wait_for(pending.event, DECISION_SECONDS)
        if not self._inbox.settle(pending) or pending.reason == "cancelled":
            self.offer_gone.emit(OfferGone(pending.tid, sender))
            conn.respond(403)
            return
        if pending.have is None:
            conn.respond(REASON_STATUS.get(pending.reason or "", 403))
            return
        session = self._inbox.open_session(pending, [(f.id, f.size, f.sha256) for f in prepare.files])
        answer = UploadAnswer(session.id, tuple((f.id, f.token) for f in session.files.values()))
        conn.respond(200, encode_upload_answer(answer))

    def _upload(self, conn: ServerConnection, request: HttpRequest) -> None:
        query = request.query
        session_id, file_id, token = query.get("sessionId"), query.get("fileId"), query.get("token")
        if not session_id or not file_id or not token:
            conn.respond(400)
            return
        session = self._inbox.session(session_id)
        file = session.files.get(file_id) if session is not None else None
        if session is None or file is None or session.ip != request.peer_ip or file.token != token or (
                file.ended and not file.saved):
            conn.respond(403)
            return
        status = self._inbox.receive(session, file, conn, request.content_length)
        if status is not None:
            conn.respond(status, close=status != 200)

    def _cancel(self, conn: ServerConnection, request: HttpRequest) -> None:
        session_id = request.query.get("sessionId", "")
        ip = request.peer_ip
        session = self._inbox.cancel(session_id, ip) if session_id else None
        if session is None:
            pending = self._inbox.pending_of(ip)  # the app cancels a waiting offer this way too
            if pending is not None:
                self._inbox.decide(pending.tid, None, "cancelled")
        conn.respond(200)
        self.cancel_arrived.emit(CancelArrived(ip, session_id, session.tid if session else None,
                                               session.sender if session else None))
