"""lanchat's own network behind core's seam: presence, the TLS listener, our links and transfer streams.

`LanchatTransport` owns the socket workers of docs/protocol.md and turns
their frames into core's words (messages, offers, answers) and back. Who
a contact is comes from presence; what we say goes over our own link to
it (§3.2); what others say arrives on the connections they opened to us.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import FULL_CAPABILITIES, Contact, ContactBook, Network, Status
from lanchat.core.notices import Level, Notices
from lanchat.core.rooms import Room
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.file_sink import open_sink
from lanchat.core.transfers.offers import Offer, RejectReason
from lanchat.core.transport import (
    Delivery,
    DeliveryFailure,
    IncomingMessage,
    IncomingOffer,
    LinkFailure,
    LocalProfile,
    NetworkUnavailable,
    OfferAnswer,
    OutgoingFile,
    OutgoingMessage,
    ReadReceipt,
    RemoteCancel,
    Transport,
    TypingNotice,
    UnsendableText,
)
from lanchat.identity import Identity
from lanchat.transports.addresses import AddressFilter, Target
from lanchat.transports.lanchat.convert import offer_from_wire, offer_to_wire, room_from_wire, room_to_wire
from lanchat.transports.lanchat.links import PeerLinks
from lanchat.transports.lanchat.net import listener, tls
from lanchat.transports.lanchat.net.connection import Closure, ConnectionWorker, LocalPeer, Problem
from lanchat.transports.lanchat.net.listener import ListenerWorker
from lanchat.transports.lanchat.net.presence import PresenceConfig, PresenceWorker, Profile
from lanchat.transports.lanchat.net.probe import ProbeWorker
from lanchat.transports.lanchat.protocol.codec import encode
from lanchat.transports.lanchat.protocol.errors import ErrorCode, LocalProtocolError
from lanchat.transports.lanchat.protocol.frames import (
    MAX_AVATAR_BYTES,
    Accept,
    Ack,
    Avatar,
    AvatarGet,
    Cancel,
    Error,
    Msg,
    Purpose,
    Read,
    Reject,
    Typing,
)
from lanchat.transports.lanchat.protocol.frames import (
    Offer as OfferFrame,
)
from lanchat.transports.lanchat.protocol.presence import PeerState
from lanchat.transports.lanchat.protocol.presence import Status as PresenceStatus
from lanchat.transports.lanchat.protocol.presence_table import Candidate
from lanchat.transports.lanchat.sending import SendQueue
from lanchat.transports.workers import Worker, WorkerThread

log = logging.getLogger("lanchat.transport")

DEFAULT_PORT = listener.DEFAULT_PORT  # TCP and UDP presence


@dataclass(frozen=True)
class LanchatConfig:
    """The command line's say on lanchat's network (docs/cli.md)."""

    port: int = DEFAULT_PORT  # TCP; 0 = any free port
    presence_port: int = DEFAULT_PORT
    targets: tuple[Target, ...] = ()  # --target and --peer
    only_targets: bool = False


@dataclass(frozen=True)
class _Ack:
    """Acknowledges a stored `msg` on the connection it came on."""

    worker: ConnectionWorker
    mid: str

    def acknowledge(self) -> None:
        self.worker.send(Ack(self.mid))


@dataclass(frozen=True)
class _OfferReply:
    """Answers an `offer` on the connection it came on (if that closed, the sender offers again)."""

    worker: ConnectionWorker
    tid: str

    def accept(self, have: tuple[int, ...]) -> None:
        self.worker.send(Accept(self.tid, have))

    def reject(self, reason: RejectReason) -> None:
        self.worker.send(Reject(self.tid, reason.value))


class LanchatTransport(Transport):
    network = Network.LANCHAT
    capabilities = FULL_CAPABILITIES

    def __init__(
        self,
        identity: Identity,
        profile: LocalProfile,
        config: LanchatConfig,
        downloads: DownloadFolder,
        contacts: ContactBook,
        notices: Notices,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self.identity = identity
        self.port = 0
        self._profile = profile
        self._config = config
        self._downloads = downloads
        self._contacts = contacts
        self._notices = notices
        self._clock = clock
        self._filter = AddressFilter(config.only_targets)
        self._addresses: dict[str, tuple[str, int]] = {}  # online contacts: (IP, TCP port)
        self._pending_cancels: dict[str, set[str]] = {}
        self._pending_reads: dict[str, list[tuple[str, ...]]] = {}  # read receipts waiting for our link
        self._threads: list[WorkerThread[Worker]] = []
        self._probes: dict[Candidate, WorkerThread[ProbeWorker]] = {}
        self._started = False
        self.listener = ListenerWorker(
            self.local_peer, tls.server_context(identity), allow=self._filter.allows,
            open_sink=partial(open_sink, downloads), clock=clock,
        )
        self.presence = PresenceWorker(
            self._presence_profile(),
            PresenceConfig(config.presence_port, config.targets, config.only_targets),
            self._filter, clock,
        )
        self.links = PeerLinks(self.local_peer, self._addresses.get, self._filter.allows, clock)
        self.sends = SendQueue(self.local_peer, self._addresses.get, clock)

    # --- life ---------------------------------------------------------------------

    def start(self) -> None:
        try:
            self.port = self.listener.bind(self._config.port)
        except OSError as e:
            raise NetworkUnavailable(f"Cannot listen for connections: {e.strerror}.") from e
        if self._config.port not in (0, self.port):
            self._notices.post(
                Level.WARNING, "port-fallback",
                f"Port {self._config.port} is used by another program; lanchat is listening on "
                f"{self.port} instead.",
            )
        self.presence.set_profile(self._presence_profile())
        try:
            self.presence.bind()
        except OSError as e:
            self.listener.stop()
            raise NetworkUnavailable(
                f"Cannot use UDP port {self._config.presence_port} for presence: {e.strerror}."
            ) from e
        self.presence.peer_changed.connect(self._on_peer_changed)
        self.presence.candidate_seen.connect(self._on_candidate)
        self.listener.frame_received.connect(self._on_request)
        self.listener.problem.connect(self._on_problem)
        self.links.link_up.connect(self._on_link_up)
        self.links.frame_received.connect(self._on_answer)
        self.links.link_down.connect(self._on_link_down)
        self.sends.progress.connect(self.send_progress)
        self.sends.file_sent.connect(self.file_sent)
        self.sends.ended.connect(self.send_ended)
        for worker, name in ((self.listener, "lanchat-listener"), (self.presence, "lanchat-presence")):
            thread: WorkerThread[Worker] = WorkerThread(worker, name)
            self._threads.append(thread)
            thread.start()
        self._started = True

    def stop(self) -> None:
        """Send `leave`, stop every worker and join its thread (well under a second)."""
        if not self._started:
            return
        self._started = False
        for thread in self._threads:
            thread.worker.stop()
        self.sends.stop_all()
        self.links.stop()
        for probe in self._probes.values():
            probe.worker.stop()
        for thread in self._threads:
            thread.stop()
        for probe in list(self._probes.values()):
            probe.thread.wait(1000)
        self._probes.clear()

    def local_peer(self) -> LocalPeer:
        """What our handshakes say; called from the listener's thread too (reads plain attributes)."""
        return LocalPeer(self.identity, self._profile.name, self.port)

    def set_profile(self, profile: LocalProfile) -> None:
        self._profile = profile
        self.presence.set_profile(self._presence_profile())

    def _presence_profile(self) -> Profile:
        profile = self._profile
        avatar = self._avatar()
        return Profile(
            self.identity.id, profile.name, self.port, PresenceStatus(profile.status.value), profile.group or None,
            hashlib.sha256(avatar).hexdigest() if avatar else None,
        )

    def _avatar(self) -> bytes | None:
        """Our avatar when it fits the 256 KiB limit (§6)."""
        avatar = self._profile.avatar
        return avatar if avatar and len(avatar) <= MAX_AVATAR_BYTES else None

    def remember(self, contacts: list[Contact]) -> None:
        """Contacts of earlier runs: unicast presence goes to those heard within 7 days (at most 256)."""
        for contact in contacts:
            if contact.address:
                state = PeerState(contact.id, contact.name, contact.address, contact.port or 0, None)
                self.presence.remember(state, (contact.address, self._config.presence_port), contact.last_seen)

    def reach(self, peer: str) -> None:
        self.links.ensure(peer)

    # --- messages ---------------------------------------------------------------

    def _msg(self, peer: str, message: OutgoingMessage) -> Msg:
        room = room_to_wire(message.room, peer) if message.room else None
        return Msg(message.mid, message.ts, message.text, room)

    def check_text(self, message: OutgoingMessage) -> None:
        try:
            encode(self._msg(self.identity.id, message))
        except LocalProtocolError as e:
            raise UnsendableText(str(e)) from e

    def send_message(self, peer: str, message: OutgoingMessage) -> None:
        self.links.send(peer, self._msg(peer, message))

    def send_typing(self, peer: str, active: bool, room: Room | None) -> None:
        self.links.send(peer, Typing(active, room_to_wire(room, peer) if room else None))

    def send_read(self, peer: str, mids: tuple[str, ...]) -> None:
        """`read` has no answer: when our link is not up it waits for it (sent before `peer_ready`)."""
        if not self.links.send(peer, Read(mids)):
            self._pending_reads.setdefault(peer, []).append(mids)

    # --- transfers --------------------------------------------------------------

    def offer(self, peer: str, offer: Offer, sources: list[str]) -> None:
        self.links.send(peer, offer_to_wire(offer, peer))

    def start_sending(self, peer: str, tid: str, files: list[OutgoingFile]) -> None:
        self.sends.start(peer, tid, files)

    def cancel(self, peer: str, tid: str) -> None:
        self.sends.stop(peer, tid)
        if not self.links.send(peer, Cancel(tid)):  # told once our link is up
            self._pending_cancels.setdefault(peer, set()).add(tid)

    # --- from the workers -------------------------------------------------------

    @Slot(PeerState, int)
    def _on_peer_changed(self, state: PeerState, source_port: int) -> None:
        if not self._started:
            return  # a late signal from a worker that has stopped
        if state.online and state.port:
            self._addresses[state.id] = (state.address, state.port)
        else:
            self._addresses.pop(state.id, None)
        status = Status(state.status.value) if state.status else None
        self.contact_changed.emit(Contact(
            state.id, state.name, state.address, state.port or None, status, state.group, state.avatar,
        ))
        self.links.on_presence(state.id, state.online)

    @Slot(Candidate)
    def _on_candidate(self, candidate: Candidate) -> None:
        """(1.1) A contact was announced from another address: prove it by TLS before it moves there.

        The presence table hands out at most one candidate per contact per 30 s and 10 per second.
        """
        if not self._started or candidate in self._probes or not self._filter.allows(candidate.address[0]):
            return
        worker = ProbeWorker(candidate)
        worker.finished.connect(self._on_probed)
        thread = WorkerThread(worker, f"lanchat-probe-{candidate.id[:8]}")
        self._probes[candidate] = thread
        thread.start()

    @Slot(Candidate, bool)
    def _on_probed(self, candidate: Candidate, proven: bool) -> None:
        thread = self._probes.pop(candidate, None)
        if thread is not None:
            thread.thread.wait(1000)
        if not self._started:
            return
        if proven:
            self.presence.confirm(candidate)
        else:
            log.info("%s was announced from %s:%d, but its certificate is not there; it stays where it was",
                     candidate.id[:8], *candidate.address)

    @Slot(str)
    def _on_link_up(self, peer: str) -> None:
        if not self._started:
            return
        for tid in self._pending_cancels.pop(peer, set()):
            self.links.send(peer, Cancel(tid))
        for mids in self._pending_reads.pop(peer, []):
            self.links.send(peer, Read(mids))
        self.peer_ready.emit(peer)

    @Slot(str, Closure)
    def _on_link_down(self, peer: str, closure: Closure) -> None:
        if not self._started:
            return
        self.link_failed.emit(LinkFailure(peer, closure.reason, closure.cert_mismatch))
        if closure.cert_mismatch:
            contact = self._contacts.get(peer)
            who = f"{contact.name} ({contact.address})" if contact else peer[:8]
            self._notices.post(
                Level.ERROR, "cert-mismatch",
                f"The contact {who} did not prove its identity; lanchat did not talk to it.", peer,
            )

    @Slot(str, object)
    def _on_answer(self, peer: str, frame: object) -> None:
        """An answer on our own link to `peer`."""
        if not self._started:
            return
        if isinstance(frame, Ack):
            self.delivered.emit(Delivery(peer, frame.mid))
        elif isinstance(frame, Accept):
            self.offer_answered.emit(OfferAnswer(peer, frame.tid, frame.have))
        elif isinstance(frame, Reject):
            self.offer_answered.emit(OfferAnswer(peer, frame.tid, None, frame.reason))
        elif isinstance(frame, Error):
            if frame.mid is not None:
                self.delivery_failed.emit(DeliveryFailure(peer, frame.mid, frame.code))
            if frame.code != ErrorCode.NOT_FOUND.value:
                self._notices.post(
                    Level.WARNING, frame.code,
                    f"A contact reported a problem with what we sent: {frame.message or frame.code}", peer,
                )

    @Slot(object, object)
    def _on_request(self, worker: ConnectionWorker, frame: object) -> None:
        """A request on a connection a peer opened to us (its own link)."""
        if not self._started or worker.purpose is not Purpose.CHAT or worker.remote is None:
            return
        sender = worker.remote.id
        if isinstance(frame, Msg):
            room = room_from_wire(frame.room) if frame.room else None
            self.message_received.emit(
                IncomingMessage(sender, frame.mid, frame.ts, frame.text, room, _Ack(worker, frame.mid))
            )
        elif isinstance(frame, Read):
            self.read_by.emit(ReadReceipt(sender, frame.mids))
        elif isinstance(frame, Typing):
            self.typing_changed.emit(TypingNotice(sender, frame.room.id if frame.room else None, frame.active))
        elif isinstance(frame, OfferFrame):
            self.offer_received.emit(IncomingOffer(sender, offer_from_wire(frame), _OfferReply(worker, frame.tid)))
        elif isinstance(frame, Cancel):
            self.sends.stop(sender, frame.tid)
            self.remote_cancelled.emit(RemoteCancel(sender, frame.tid))
        elif isinstance(frame, AvatarGet):
            avatar = self._avatar()
            if avatar is not None and hashlib.sha256(avatar).hexdigest() == frame.sha256:
                worker.send(Avatar(frame.sha256, len(avatar)), avatar)
            else:  # the connection stays open after not-found
                worker.send(Error(ErrorCode.NOT_FOUND.value, "no such avatar"))

    @Slot(object, Problem)
    def _on_problem(self, worker: ConnectionWorker, problem: Problem) -> None:
        peer = worker.remote.id if worker.remote else None
        self._notices.post(
            Level.WARNING, problem.code,
            f"A peer at {worker.address[0]} broke the protocol ({problem.code}): {problem.message}", peer,
        )
