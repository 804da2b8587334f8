"""The IP Messenger family (IP Messenger, iptux, Feiq) behind core's seam (docs/protocol.md §8.1).

Presence: BR_ENTRY at start and every 5 minutes to the broadcast targets,
ANSENTRY to each BR_ENTRY, BR_ABSENCE on a change, BR_EXIT on stop; a peer
is its IPv4 address (`ipmsg:<IPv4>`). Messages: SENDMSG with SENDCHECKOPT,
sent up to 4 times 1 s apart until the peer's RECVMSG; a peer's SENDMSG is
answered with RECVMSG once it is stored, and de-duplicated on (address,
packet number). Files: `files.IpmsgFiles`. Nothing here is encrypted or
verified, and the window says so.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QTimer, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import Capabilities, Contact, ContactBook, Network, Status
from lanchat.core.ids import new_id
from lanchat.core.messaging import MAX_TEXT_BYTES
from lanchat.core.notices import Level, Notices
from lanchat.core.rooms import Room
from lanchat.core.settings import os_user_name
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.offers import Offer
from lanchat.core.transport import (
    Delivery,
    DeliveryFailure,
    IncomingMessage,
    LocalProfile,
    NetworkUnavailable,
    OutgoingFile,
    OutgoingMessage,
    Transport,
    UnsendableText,
)
from lanchat.transports.addresses import LIMITED_BROADCAST, AddressFilter, Target, interface_broadcasts
from lanchat.transports.ipmsg.files import IpmsgFiles
from lanchat.transports.ipmsg.net.listener import TcpListener
from lanchat.transports.ipmsg.net.udp import Received, UdpWorker
from lanchat.transports.ipmsg.peers import Peer, PeerTable
from lanchat.transports.ipmsg.protocol import text
from lanchat.transports.ipmsg.protocol.attachments import parse_attachments
from lanchat.transports.ipmsg.protocol.entry import entry_extra, lanchat_version, parse_entry
from lanchat.transports.ipmsg.protocol.packet import PORT, Mode, Opt, Packet, encode_packet, header_safe
from lanchat.transports.ipmsg.shares import Shares
from lanchat.transports.workers import Worker, WorkerThread

log = logging.getLogger("lanchat.ipmsg")

CAPABILITIES = Capabilities(rooms=False, typing=False, read_receipts=False, resume=False,
                            verified_identity=False, encryption=False)
TRIES = 4
TRY_SECONDS = 1.0
REANNOUNCE_SECONDS = 5 * 60.0
EXPIRY_CHECK_SECONDS = 30.0
MAX_MESSAGE_PACKET = 8192  # what iptux reads of a datagram
MAX_REMEMBERED_PACKETS = 4096
PREFIX = "ipmsg:"


@dataclass(frozen=True)
class IpmsgConfig:
    targets: tuple[Target, ...] = ()  # --target and --peer (their port is lanchat's alone)
    only_targets: bool = False
    legacy: text.Legacy = text.Legacy.GB18030
    max_picture: int = 25_000_000  # the largest picture a peer may push into a chat
    port: int = PORT


@dataclass
class _Unacked:
    peer: str
    mid: str
    data: bytes
    tries: int
    due: float


@dataclass(frozen=True)
class _Recvmsg:
    """Answers a stored SENDMSG with RECVMSG (its packet number)."""

    transport: IpmsgTransport
    ip: str
    number: int

    def acknowledge(self) -> None:
        self.transport.send_to(self.ip, Mode.RECVMSG, b"%d" % self.number)


@dataclass(frozen=True)
class _NoAnswer:
    """A message that asked for no answer."""

    def acknowledge(self) -> None:
        pass


def contact_id(ip: str) -> str:
    return PREFIX + ip


class IpmsgTransport(Transport):
    network = Network.IPMSG
    capabilities = CAPABILITIES

    def __init__(
        self,
        own_id: str,
        profile: LocalProfile,
        config: IpmsgConfig,
        downloads: DownloadFolder,
        contacts: ContactBook,
        notices: Notices,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self._own_id = own_id
        self._version = lanchat_version(own_id)
        self._profile = profile
        self._config = config
        self._contacts = contacts
        self._notices = notices
        self._clock = clock
        self._user = header_safe(os_user_name()).encode("utf-8", "replace")[:64]
        self._host = header_safe(socket.gethostname()).encode("utf-8", "replace")[:64]
        self._filter = AddressFilter(config.only_targets)
        self._targets: list[str] = []
        self._peers = PeerTable()
        self._number = 0
        self._number_lock = threading.Lock()
        self._unacked: dict[int, _Unacked] = {}  # our packet number -> waiting for RECVMSG
        self._seen: OrderedDict[tuple[str, int], str] = OrderedDict()  # (ip, their number) -> mid
        self._legacy_names_sent: set[str] = set()
        self._threads: list[WorkerThread[Worker]] = []
        self._started = False
        self.udp = UdpWorker(self._filter.allows, clock, port=config.port)
        self.shares = Shares()
        self.listener = TcpListener(
            self.shares, self._filter.allows, downloads.partial_root, config.max_picture, clock, port=config.port,
        )
        self.files = IpmsgFiles(
            self.listener, self.shares, downloads, notices, self._send_files_packet, self._request_packet,
            self._decoder_for, self._encode_name, clock,
        )
        self.files.offer_received.connect(self.offer_received)
        self.files.offer_answered.connect(self.offer_answered)
        self.files.send_progress.connect(self.send_progress)
        self.files.file_sent.connect(self.file_sent)
        self.files.send_ended.connect(self.send_ended)
        self._timer = QTimer(self)
        self._timer.setInterval(int(TRY_SECONDS * 1000))
        self._timer.timeout.connect(self._tick)
        self._next_announce = 0.0
        self._next_expiry = 0.0
        contacts.changed.connect(self._on_contact_changed)

    # --- life -------------------------------------------------------------------

    def start(self) -> None:
        try:
            self.udp.bind()
            self.listener.bind()
        except OSError as e:
            self.udp.close()
            raise NetworkUnavailable(
                f"IP Messenger's port {self._config.port} is used by another program ({e.strerror}); "
                "lanchat does not join the IP Messenger network."
            ) from e
        self._refresh_targets()
        self.udp.received.connect(self._on_received)
        for worker, name in ((self.udp, "lanchat-ipmsg-udp"), (self.listener, "lanchat-ipmsg-tcp")):
            thread: WorkerThread[Worker] = WorkerThread(worker, name)
            self._threads.append(thread)
            thread.start()
        self._started = True
        self._announce(Mode.BR_ENTRY)
        now = self._clock.monotonic()
        self._next_announce = now + REANNOUNCE_SECONDS
        self._next_expiry = now + EXPIRY_CHECK_SECONDS
        self._timer.start()

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        self._timer.stop()
        self._announce(Mode.BR_EXIT)
        for peer in self._peers.online():  # those the broadcast may not reach (--peer, another subnet)
            self.send_to(peer.address, Mode.BR_EXIT, b"")
        self.files.stop()
        for thread in self._threads:
            thread.worker.stop()
        for thread in self._threads:
            thread.stop()

    def set_profile(self, profile: LocalProfile) -> None:
        self._profile = profile
        if self._started:
            self._announce(Mode.BR_ABSENCE)
            for peer in self._peers.online():
                if not peer.reads_utf8:
                    self._send_entry(peer.address, Mode.BR_ABSENCE, utf8=False)

    def reach(self, peer: str) -> None:
        known = self._peers.get(peer.removeprefix(PREFIX))
        if known is not None and known.online:
            self.peer_ready.emit(peer)

    # --- packets out --------------------------------------------------------------

    def _next_number(self) -> int:
        """IP Messenger's numbering: the time, or one more than the last (iptux drops a number not above the last)."""
        with self._number_lock:
            self._number = max(int(self._clock.now()), self._number + 1) & 0xFFFFFFFF
            return self._number

    def _packet(self, mode: int, extra: bytes, options: int = 0) -> tuple[int, bytes]:
        number = self._next_number()
        return number, encode_packet(Packet(self._version, number, self._user, self._host, mode | options, extra))

    def send_to(self, ip: str, mode: int, extra: bytes, options: int = 0) -> int:
        """Send one packet to `ip`:2425 (any thread); returns its number."""
        number, data = self._packet(mode, extra, options)
        self.udp.send(data, (ip, self._config.port))
        return number

    def _request_packet(self, mode: Mode, extra: bytes) -> bytes:
        """A TCP request (GETFILEDATA, GETDIRFILES), for the fetch threads."""
        return self._packet(mode, extra)[1]

    def _send_files_packet(self, ip: str, mode: Mode, extra: bytes, file_attach: bool) -> int:
        options = Opt.FILEATTACH if file_attach else 0
        peer = self._peers.get(ip)
        if peer is not None and peer.reads_utf8:
            options |= Opt.UTF8
        return self.send_to(ip, mode, extra, options)

    def _announce(self, mode: Mode) -> None:
        """An entry (or BR_EXIT) to every broadcast target, in UTF-8: legacy peers get their own after."""
        extra = b"" if mode == Mode.BR_EXIT else self._entry_extra(utf8=True)
        options = 0 if mode == Mode.BR_EXIT else Opt.CAPUTF8 | Opt.FILEATTACH | self._absence()
        number, data = self._packet(mode, extra, options)
        for target in self._targets:
            self.udp.send(data, (target, self._config.port))

    def _send_entry(self, ip: str, mode: Mode, utf8: bool) -> None:
        self.send_to(ip, mode, self._entry_extra(utf8), Opt.CAPUTF8 | Opt.FILEATTACH | self._absence())

    def _entry_extra(self, utf8: bool) -> bytes:
        profile = self._profile
        return entry_extra(profile.name, profile.group or "", utf8, self._config.legacy)

    def _absence(self) -> int:
        return Opt.ABSENCE if self._profile.status is not Status.ONLINE else 0

    def _refresh_targets(self) -> None:
        hosts: list[str] = []
        if not self._config.only_targets:
            hosts.append(LIMITED_BROADCAST)
            hosts += interface_broadcasts()
        for target in self._config.targets:
            resolved = target.resolve(self._config.port)
            if resolved is not None:
                hosts.append(resolved[0])
                self._filter.add(resolved[0])
        self._targets = list(dict.fromkeys(hosts))

    # --- messages -------------------------------------------------------------------

    def check_text(self, message: OutgoingMessage) -> None:
        size = len(message.text.encode("utf-8")) + 200  # the header and the encoding's worst case
        if size > MAX_MESSAGE_PACKET:
            raise UnsendableText("IP Messenger carries at most about 8 KB in one message")

    def send_message(self, peer: str, message: OutgoingMessage) -> None:
        ip = peer.removeprefix(PREFIX)
        known = self._peers.get(ip)
        if known is None or not known.online:
            return  # it waits in the outbox until the peer is back (peer_ready)
        if any(u.peer == peer and u.mid == message.mid for u in self._unacked.values()):
            return  # being sent already
        options = Opt.SENDCHECK | (Opt.UTF8 if known.reads_utf8 else 0)
        body = text.encode(message.text, known.reads_utf8, self._config.legacy) + b"\0"
        number, data = self._packet(Mode.SENDMSG, body, options)
        self.udp.send(data, (ip, self._config.port))
        self._unacked[number] = _Unacked(peer, message.mid, data, 1, self._clock.monotonic() + TRY_SECONDS)

    @Slot()
    def _tick(self) -> None:
        now = self._clock.monotonic()
        for number, waiting in list(self._unacked.items()):
            if waiting.due > now:
                continue
            if waiting.tries >= TRIES:
                del self._unacked[number]
                self.delivery_failed.emit(DeliveryFailure(waiting.peer, waiting.mid, "no-answer"))
                continue
            waiting.tries += 1
            waiting.due = now + TRY_SECONDS
            self.udp.send(waiting.data, (waiting.peer.removeprefix(PREFIX), self._config.port))
        if now >= self._next_expiry:
            self._next_expiry = now + EXPIRY_CHECK_SECONDS
            for peer in self._peers.expire(now):
                self._show(peer)
        if now >= self._next_announce:
            self._next_announce = now + REANNOUNCE_SECONDS
            self._refresh_targets()
            self._announce(Mode.BR_ENTRY)

    # --- transfers ---------------------------------------------------------------------

    def offer(self, peer: str, offer: Offer, sources: list[str]) -> None:
        ip = peer.removeprefix(PREFIX)
        known = self._peers.get(ip)
        if known is not None and known.online:
            self.files.offer(peer, ip, offer, sources)

    def start_sending(self, peer: str, tid: str, files: list[OutgoingFile]) -> None:
        self.files.start_sending(tid)

    def cancel(self, peer: str, tid: str) -> None:
        self.files.cancel(peer.removeprefix(PREFIX), tid)

    def _decoder_for(self, peer: str) -> _NameDecoder:
        known = self._peers.get(peer.removeprefix(PREFIX))
        return _NameDecoder(known.writes_utf8 if known else False, self._config.legacy)

    def _encode_name(self, peer: str, name: str) -> bytes:
        known = self._peers.get(peer.removeprefix(PREFIX))
        return text.encode(name, known.reads_utf8 if known else True, self._config.legacy)

    # --- packets in ----------------------------------------------------------------------

    @Slot(Received)
    def _on_received(self, received: Received) -> None:
        packet, ip = received.packet, received.address
        if not self._started or packet.version == self._version:
            return  # our own broadcast, heard back
        mode = packet.mode
        now = self._clock.monotonic()
        if mode in (Mode.BR_ENTRY, Mode.ANSENTRY, Mode.BR_ABSENCE):
            entry = parse_entry(packet, self._config.legacy)
            result = self._peers.entry(ip, entry, packet.version, now)
            if mode == Mode.BR_ENTRY:
                self._forget_packets_of(ip)  # the peer (re)started: its numbers start again
                self._send_entry(ip, Mode.ANSENTRY, entry.reads_utf8)
            elif not entry.reads_utf8 and ip not in self._legacy_names_sent:
                self._send_entry(ip, Mode.BR_ABSENCE, utf8=False)  # our names, readable to it
            if not entry.reads_utf8:
                self._legacy_names_sent.add(ip)
            if result is not None:
                self._heard(result)
            return
        if mode == Mode.BR_EXIT:
            peer = self._peers.left(ip)
            if peer is not None:
                self._show(peer)
            return
        fallback = text.clean(text.decode(packet.user, packet.has(Opt.UTF8), self._config.legacy)) or ip
        result = self._peers.heard(ip, packet.version, now, fallback)
        if result is not None:
            self._heard(result)
        if mode in (Mode.SENDMSG, Mode.IPTUX_SENDMSG):
            self._on_message(ip, packet)
        elif mode == Mode.RECVMSG:
            self._on_recvmsg(packet)
        elif mode == Mode.RELEASEFILES:
            number = packet.fields[0] if packet.fields else b""
            if number.isdigit() and len(number) <= 20:
                self.files.released(contact_id(ip), int(number))
        elif mode == Mode.GETINFO:
            self.send_to(ip, Mode.SENDINFO, b"lanchat")
        elif mode == Mode.GETABSENCEINFO:
            self.send_to(ip, Mode.SENDABSENCEINFO, b"Not absence mode")
        # Anything else (Feiq's typing notices 0x79/0x7a, READMSG, icons, ...) is ignored.

    def _heard(self, result: tuple[Peer, bool]) -> None:
        peer, changed = result
        if changed:
            self._show(peer)
            if peer.online:
                self.peer_ready.emit(contact_id(peer.address))

    @Slot(Contact)
    def _on_contact_changed(self, contact: Contact) -> None:
        """A lanchat contact we also know on this network: listed once, by its own network."""
        if contact.network is not Network.LANCHAT:
            return
        for peer in self._peers.online():
            if peer.lanchat_id == contact.id:
                self.contact_removed.emit(contact_id(peer.address))

    def _show(self, peer: Peer) -> None:
        """Tell core, unless the peer is a lanchat that core knows by its own network (listed once)."""
        if peer.lanchat_id is not None:
            twin = self._contacts.get(peer.lanchat_id)
            if twin is not None and twin.network is Network.LANCHAT:
                return
        status = (Status.AWAY if peer.away else Status.ONLINE) if peer.online else None
        self.contact_changed.emit(Contact(
            contact_id(peer.address), peer.nickname or peer.address, peer.address, self._config.port, status,
            peer.group or None, network=Network.IPMSG, capabilities=CAPABILITIES,
        ))

    def _on_message(self, ip: str, packet: Packet) -> None:
        peer = self._peers.get(ip)
        fields = packet.fields
        utf8 = packet.has(Opt.UTF8) or (peer is not None and peer.writes_utf8)
        body = text.decode(fields[0], utf8, self._config.legacy) if fields else ""
        body = _clean_message(body, packet.version)
        wants_answer = (
            packet.mode == Mode.SENDMSG and packet.has(Opt.SENDCHECK)
            and not packet.has(Opt.BROADCAST) and not packet.has(Opt.AUTORET)
        )
        key = (ip, packet.number)
        first = key not in self._seen
        if len(body.encode("utf-8")) > MAX_TEXT_BYTES:
            if first:
                self._notices.post(Level.WARNING, "too-large",
                                   "A message over 32 KB came; lanchat did not take it.", contact_id(ip))
            self._seen[key] = ""
            return  # not acknowledged: the sender sees it fail
        mid = self._seen.setdefault(key, new_id())
        self._seen.move_to_end(key)
        while len(self._seen) > MAX_REMEMBERED_PACKETS:
            self._seen.popitem(last=False)
        sender = contact_id(ip)
        receipt = _Recvmsg(self, ip, packet.number) if wants_answer else _NoAnswer()
        if body:
            ts = self._clock.now_ms()
            self.message_received.emit(IncomingMessage(sender, mid, ts, body, None, receipt))
        elif wants_answer:
            receipt.acknowledge()
        if first and packet.has(Opt.FILEATTACH) and len(fields) > 1:
            self.files.received(sender, ip, packet.number, parse_attachments(fields[1]))

    def _on_recvmsg(self, packet: Packet) -> None:
        number = packet.fields[0] if packet.fields else b""
        if not number.isdigit() or len(number) > 20:
            return
        waiting = self._unacked.pop(int(number), None)
        if waiting is not None:
            self.delivered.emit(Delivery(waiting.peer, waiting.mid))

    def _forget_packets_of(self, ip: str) -> None:
        for key in [k for k in self._seen if k[0] == ip]:
            del self._seen[key]

    # --- rooms (none: core sends group messages 1:1) ---------------------------------

    def send_typing(self, peer: str, active: bool, room: Room | None) -> None:
        """IP Messenger has no typing notice (core does not ask)."""


@dataclass(frozen=True)
class _NameDecoder:
    """Reads names from one peer: pure, so the fetch threads may use it."""

    utf8: bool
    legacy: text.Legacy

    def __call__(self, raw: bytes) -> str:
        return text.decode(raw, self.utf8, self.legacy)


def _clean_message(body: str, version: str) -> str:
    """The text to show: without iptux's picture marks (U+0001), Feiq's font suffix or its hidden messages."""
    body = body.replace("\x01", "")
    if version.startswith("1_lbt"):
        if body.startswith("/~#>") and body.endswith("<B~"):
            return ""
        if body.endswith("}") and "{/" in body:
            body = body[: body.rindex("{/")]
    return body.strip("\0")
