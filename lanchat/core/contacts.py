"""Who we know: contacts from presence and from history, found by name or id."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal, Slot

from lanchat.transports.lanchat.protocol.presence import PeerState, Status

log = logging.getLogger("lanchat.core.contacts")


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    address: str | None
    port: int | None  # TCP port
    status: Status | None  # None when offline
    group: str | None = None
    avatar: str | None = None
    presence_port: int | None = None  # source port of its last datagram
    verified: bool = False

    @property
    def online(self) -> bool:
        return self.status is not None

    @property
    def status_text(self) -> str:
        return self.status.value if self.status else "offline"


class ContactBook(QObject):
    """The contacts table the services share; emits `changed` for every visible change."""

    changed = Signal(object)  # Contact

    def __init__(self) -> None:
        super().__init__()
        self._contacts: dict[str, Contact] = {}

    def get(self, peer_id: str) -> Contact | None:
        return self._contacts.get(peer_id)

    def all(self) -> list[Contact]:
        return list(self._contacts.values())

    def add_remembered(self, contact: Contact) -> None:
        """A contact from history, offline until presence says otherwise."""
        if contact.id not in self._contacts:
            self._contacts[contact.id] = replace(contact, status=None)

    def set_verified(self, peer_id: str, verified: bool) -> None:
        contact = self._contacts.get(peer_id)
        if contact is not None and contact.verified != verified:
            self._contacts[peer_id] = replace(contact, verified=verified)
            self.changed.emit(self._contacts[peer_id])

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

    @Slot(object, int)
    def on_peer_changed(self, state: PeerState, presence_port: int) -> None:
        old = self._contacts.get(state.id)
        contact = Contact(
            state.id, state.name, state.address, state.port or (old.port if old else None),
            state.status, state.group, state.avatar,
            presence_port or (old.presence_port if old else None),
            old.verified if old else False,
        )
        self._contacts[state.id] = contact
        if old != contact:
            self.changed.emit(contact)
