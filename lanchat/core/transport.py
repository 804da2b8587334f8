"""The seam between core and the networks: what a transport does, and what crosses over.

Core speaks of contacts, messages, rooms and transfers; a transport turns
them into one network's wire (lanchat's own, IP Messenger, LocalSend) and
back. Core keeps everything written once for all networks: the outbox and
its resends, de-duplication, history, the accept policy, transfer
bookkeeping and the download folder. A transport reports what happened
through the signals below, always on the GUI/main thread.

A contact id names its network (`lanchat.core.ids.network_of`); `Transports`
finds the transport of a contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from lanchat.core.contacts import Capabilities, Contact, Network, Status
from lanchat.core.ids import network_of
from lanchat.core.rooms import Room
from lanchat.core.transfers.offers import FileFailure, Offer, RejectReason

# --- what we are ------------------------------------------------------------


@dataclass(frozen=True)
class LocalProfile:
    """What we tell others about us; `avatar` is the image itself (PNG or JPEG)."""

    name: str
    status: Status = Status.ONLINE
    group: str | None = None
    avatar: bytes | None = None


class NetworkUnavailable(Exception):
    """A transport cannot start (its port is taken, its socket refused); the message says why."""


# --- messages ----------------------------------------------------------------


class UnsendableText(ValueError):
    """A text this network cannot carry (too long once encoded); nothing was stored."""


@dataclass(frozen=True)
class OutgoingMessage:
    mid: str
    ts: int  # ms since the epoch
    text: str
    room: Room | None = None


class Receipt(Protocol):
    """Tells the sender that a message is stored (the ack, RECVMSG or HTTP answer). Any thread."""

    def acknowledge(self) -> None: ...


@dataclass(frozen=True)
class IncomingMessage:
    """A message as it came; `receipt` is acknowledged once it is stored."""

    sender: str
    mid: str
    ts: int
    text: str
    room: Room | None
    receipt: Receipt


@dataclass(frozen=True)
class Delivery:
    """The recipient stored message `mid`."""

    peer: str
    mid: str


@dataclass(frozen=True)
class DeliveryFailure:
    """Message `mid` will never reach `peer`; `reason` is a code such as `no-answer`."""

    peer: str
    mid: str
    reason: str


@dataclass(frozen=True)
class TypingNotice:
    sender: str
    room: str | None  # a room id, or None in a 1:1 chat
    active: bool


@dataclass(frozen=True)
class ReadReceipt:
    reader: str
    mids: tuple[str, ...]


@dataclass(frozen=True)
class LinkFailure:
    """A connection to `peer` failed; `cert_mismatch` when it was not who it claimed to be."""

    peer: str
    reason: str
    cert_mismatch: bool = False


# --- transfers -----------------------------------------------------------------


class OfferReply(Protocol):
    """Answers one incoming offer (where it came from). Main thread."""

    def accept(self, have: tuple[int, ...]) -> None: ...

    def reject(self, reason: RejectReason) -> None: ...


@dataclass(frozen=True)
class IncomingOffer:
    sender: str
    offer: Offer
    reply: OfferReply


@dataclass(frozen=True)
class OfferAnswer:
    """The receiver's answer to our offer: `have` when accepted, else `reason`.

    `failed`: not the receiver's decision but a failure to ask it (a network
    without resume, whose request broke); the transfer fails instead of being rejected.
    """

    peer: str
    tid: str
    have: tuple[int, ...] | None
    reason: str | None = None
    failed: bool = False


@dataclass(frozen=True)
class OutgoingFile:
    """File `index` of an accepted offer, as the sender streams it."""

    index: int
    source: str
    size: int
    have: int  # bytes the receiver holds already


@dataclass(frozen=True)
class SendProgress:
    """`sent` bytes streamed since `start_sending` (0 when streaming begins)."""

    tid: str
    sent: int


@dataclass(frozen=True)
class FileSent:
    """The receiver's verdict on one file we sent."""

    tid: str
    index: int
    ok: bool
    reason: FileFailure | str | None = None


class SendEnd(StrEnum):
    """How streaming the files of an offer ended."""

    ANSWERED = "answered"  # every file got its verdict
    CUT = "cut"  # the connection ended early, or could not start: offer again to resume
    STOPPED = "stopped"  # we stopped it (cancel)


@dataclass(frozen=True)
class SendEnded:
    tid: str
    end: SendEnd
    reason: str = ""


@dataclass(frozen=True)
class RemoteCancel:
    """`peer` cancelled transfer `tid` (either direction)."""

    peer: str
    tid: str


# --- the transport ---------------------------------------------------------------


class Transport(QObject):
    """One network. Methods are called on the main thread; signals arrive there.

    A subclass sets `network` and `capabilities`, and implements every method
    below that raises NotImplementedError.
    """

    network: Network
    capabilities: Capabilities

    #: A contact appeared, changed or went offline.
    contact_changed = Signal(Contact)
    #: A contact is no longer listed on this network (e.g. it is a lanchat known by its own network).
    contact_removed = Signal(str)
    #: We can reach this contact now: core resends what waits for it.
    peer_ready = Signal(str)
    link_failed = Signal(LinkFailure)

    message_received = Signal(IncomingMessage)
    delivered = Signal(Delivery)
    delivery_failed = Signal(DeliveryFailure)
    typing_changed = Signal(TypingNotice)
    read_by = Signal(ReadReceipt)

    offer_received = Signal(IncomingOffer)
    offer_answered = Signal(OfferAnswer)
    send_progress = Signal(SendProgress)
    file_sent = Signal(FileSent)
    send_ended = Signal(SendEnded)
    remote_cancelled = Signal(RemoteCancel)

    def owns(self, contact_id: str) -> bool:
        """Whether `contact_id` is a contact on this network."""
        return network_of(contact_id) is self.network

    # --- life ---------------------------------------------------------------------

    def start(self) -> None:
        """Bind sockets and start the workers.

        Raises:
            NetworkUnavailable: the network cannot be used (e.g. its port is taken).
        """
        raise NotImplementedError

    def stop(self) -> None:
        """Say goodbye where the network has a way to, stop the workers and join them."""
        raise NotImplementedError

    def set_profile(self, profile: LocalProfile) -> None:
        """Tell others our new name, status, group or avatar."""
        raise NotImplementedError

    def remember(self, contacts: list[Contact]) -> None:
        """Contacts of earlier runs (from history), offline until heard from."""

    def reach(self, peer: str) -> None:
        """We have something for `peer`: emit `peer_ready` once it can be reached."""
        raise NotImplementedError

    # --- messages ---------------------------------------------------------------

    def check_text(self, message: OutgoingMessage) -> None:
        """Raise UnsendableText when this network cannot carry `message`."""

    def send_message(self, peer: str, message: OutgoingMessage) -> None:
        """Deliver once `peer` is reachable (core sends again on `peer_ready` until `delivered`)."""
        raise NotImplementedError

    def send_typing(self, peer: str, active: bool, room: Room | None) -> None:
        """Only called when `capabilities.typing`."""

    def send_read(self, peer: str, mids: tuple[str, ...]) -> None:
        """Only called when `capabilities.read_receipts`."""

    # --- transfers --------------------------------------------------------------

    def offer(self, peer: str, offer: Offer, sources: list[str]) -> None:
        """Offer files (again, with the same tid, to resume); the answer comes as `offer_answered`.

        `sources` are the local files, in the offer's order.
        """
        raise NotImplementedError

    def start_sending(self, peer: str, tid: str, files: list[OutgoingFile]) -> None:
        """Stream the files the receiver still lacks; ends with `send_ended`."""
        raise NotImplementedError

    def cancel(self, peer: str, tid: str) -> None:
        """Tell `peer` we cancelled `tid` and stop streaming it."""
        raise NotImplementedError


class Transports:
    """The transports of a running lanchat, found by a contact's network."""

    def __init__(self, transports: list[Transport]) -> None:
        self._by_network = {t.network: t for t in transports}

    def all(self) -> list[Transport]:
        return list(self._by_network.values())

    def serving(self, contact_ids: list[str]) -> list[Transport]:
        """The transports (that are on) of these contacts' networks, each once."""
        networks = {network_of(c) for c in contact_ids}
        return [t for network, t in self._by_network.items() if network in networks]

    def of(self, contact_id: str) -> Transport | None:
        """The transport of `contact_id`'s network, None when that network is off."""
        return self._by_network.get(network_of(contact_id))
