"""Who may send pictures without asking: known contacts on networks that prove who they are."""

from __future__ import annotations

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import ContactBook
from lanchat.core.history.store import HistoryStore
from lanchat.core.settings import Settings
from lanchat.core.transfers.policy import SenderFacts

DAY_MS = 24 * 3600 * 1000


class Trust:
    """Facts about a sender, read from history, the contacts and the settings (main thread)."""

    def __init__(self, store: HistoryStore, contacts: ContactBook, settings: Settings,
                 clock: Clock = SYSTEM_CLOCK) -> None:
        self._store = store
        self._contacts = contacts
        self._settings = settings
        self._clock = clock

    def facts(self, peer: str) -> SenderFacts:
        contact = self._contacts.get(peer)
        verifiable = contact is not None and contact.capabilities.verified_identity
        known = verifiable and self._store.is_known(peer)
        recent = self._store.accepted_bytes_since(peer, self._clock.now_ms() - DAY_MS) if known else 0
        return SenderFacts(known, recent, peer in self._settings.picture_suspects)

    def mark_suspect(self, peer: str) -> None:
        """`peer` sent a "picture" that was not one: its pictures wait for a decision from now on."""
        suspects = self._settings.picture_suspects
        if peer not in suspects:
            self._settings.picture_suspects = [*suspects, peer]
