"""Who we know, on every network: contacts, their status and what their network can do."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger("lanchat.core.contacts")


class Status(StrEnum):
    """What a contact (or we) say about being reachable; offline is no status at all."""

    ONLINE = "online"
    AWAY = "away"
    BUSY = "busy"


class Network(StrEnum):
    """The networks a contact can be on; each has a transport."""

    LANCHAT = "lanchat"
    IPMSG = "ipmsg"
    LOCALSEND = "localsend"
    BROWSER = "browser"  # a phone's browser on a share's page (transports/browser)


#: The networks `--protocols` and Settings join; a browser is reached only while a share is open.
JOINABLE_NETWORKS = (Network.LANCHAT, Network.IPMSG, Network.LOCALSEND)


@dataclass(frozen=True)
class Capabilities:
    """What a network can carry; the window says what a contact's network lacks."""

    rooms: bool = False  # group messages as such (else 1:1 copies)
    typing: bool = False
    read_receipts: bool = False
    resume: bool = False  # a cut transfer goes on where it stopped
    verified_identity: bool = False  # the contact proves its id with a key
    encryption: bool = False

    def lacking(self) -> list[str]:
        """The names of the capabilities this network does not have, in declaration order."""
        return [f.name for f in fields(self) if not getattr(self, f.name)]


#: lanchat's own network has every capability.
FULL_CAPABILITIES = Capabilities(True, True, True, True, True, True)


@dataclass(frozen=True)
class Contact:
    """A person on some network.

    `id` is the contact id: a lanchat id (64 hex), `ipmsg:<IPv4>`,
    `localsend:<FINGERPRINT>` or `browser:<32 hex>`. `status` is None while offline. `last_seen`
    (seconds since the epoch) is when history last heard of it, for contacts
    remembered from earlier runs; it is not part of what is shown (nor of `==`).
    """

    id: str
    name: str
    address: str | None
    port: int | None
    status: Status | None
    group: str | None = None
    avatar: str | None = None
    verified: bool = False
    network: Network = Network.LANCHAT
    capabilities: Capabilities = FULL_CAPABILITIES
    last_seen: float | None = field(default=None, compare=False)

    @property
    def online(self) -> bool:
        return self.status is not None

    @property
    def status_text(self) -> str:
        return self.status.value if self.status else "offline"


class ContactBook(QObject):
    """The contacts table every service shares; emits `changed` for every visible change.

    It also knows which contacts have *history* (docs/protocol.md §4: a 1:1
    message or a transfer, either direction): those are kept and listed while
    offline; the others are listed only while online and may be forgotten.
    """

    changed = Signal(Contact)
    #: The contact id: it is no longer listed.
    removed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._contacts: dict[str, Contact] = {}
        self._with_history: set[str] = set()

    def __len__(self) -> int:
        return len(self._contacts)

    def get(self, contact_id: str) -> Contact | None:
        return self._contacts.get(contact_id)

    def all(self) -> list[Contact]:
        return list(self._contacts.values())

    def online(self, own_id: str = "") -> list[Contact]:
        """Every contact online now, on every network (but `own_id`)."""
        return [c for c in self._contacts.values() if c.status is not None and c.id != own_id]

    def has_history(self, contact_id: str) -> bool:
        return contact_id in self._with_history

    def mark_history(self, contact_ids: Iterable[str]) -> None:
        """These contacts have history now; a listed one is announced again through `changed`."""
        for contact_id in contact_ids:
            if contact_id not in self._with_history:
                self._with_history.add(contact_id)
                contact = self._contacts.get(contact_id)
                if contact is not None:
                    self.changed.emit(contact)

    def add_remembered(self, contact: Contact) -> None:
        """A contact from history, offline until its network says otherwise."""
        if contact.id not in self._contacts:
            self._contacts[contact.id] = replace(contact, status=None)

    def set_verified(self, contact_id: str, verified: bool) -> None:
        contact = self._contacts.get(contact_id)
        if contact is not None and contact.verified != verified:
            self._contacts[contact_id] = replace(contact, verified=verified)
            self.changed.emit(self._contacts[contact_id])

    def find(self, name_or_id: str) -> list[Contact]:
        """Contacts whose id, or whose name (case-insensitively), is `name_or_id`.

        An id prefix of 8+ hex characters also matches; online ones come first.
        """
        key = name_or_id.strip()
        if key.lower() in self._contacts:
            return [self._contacts[key.lower()]]
        folded = key.casefold()
        found = [c for c in self._contacts.values() if c.name.casefold() == folded]
        if not found and len(key) >= 8:
            found = [c for c in self._contacts.values() if c.id.startswith(key.lower())]
        return sorted(found, key=lambda c: not c.online)

    @Slot(str)
    def remove(self, contact_id: str) -> None:
        if self._contacts.pop(contact_id, None) is not None:
            self.removed.emit(contact_id)

    @Slot(Contact)
    def update(self, contact: Contact) -> None:
        """What a network says about a contact now; keeps what only we know (verified, a port it forgot)."""
        old = self._contacts.get(contact.id)
        if old is not None:
            contact = replace(contact, verified=old.verified, port=contact.port or old.port)
        self._contacts[contact.id] = contact
        if old != contact:
            self.changed.emit(contact)
