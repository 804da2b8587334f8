"""Forgetting contacts (docs/protocol.md §4): at most 4096 remembered without history, none unheard for 30 days.

*History* is a 1:1 message or a transfer, either direction (room and
Everyone messages do not count). Contacts with history are kept and not
counted. A contact without history that is offline and was not heard for
30 days is forgotten, in memory and in the history file; past 4096 such
contacts, the one heard from longest ago goes first. Online contacts are
never forgotten. Time is the runtime's clock (tests pass a FakeClock).
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from PySide6.QtCore import QObject, QTimer, Slot

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.core.contacts import Contact, ContactBook
from lanchat.core.history.records import ContactRecord, Direction, EntryKind, MessageRecord
from lanchat.core.history.store import HistoryStore

log = logging.getLogger("lanchat.core.history.retention")

#: (1.1) Remembered contacts without history, at most.
MAX_WITHOUT_HISTORY = 4096
#: (1.1) A contact without history not heard for this long is forgotten.
FORGET_AFTER_SECONDS = 30 * 24 * 3600.0
#: How often the 30-day rule runs while lanchat runs.
CHECK_INTERVAL_MS = 3600 * 1000


class ContactRetention(QObject):
    """Keeps the contacts without history within the 30-day rule and the 4096 cap."""

    def __init__(
        self, contacts: ContactBook, store: HistoryStore, clock: Clock = SYSTEM_CLOCK,
        limit: int = MAX_WITHOUT_HISTORY, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._contacts = contacts
        self._store = store
        self._clock = clock
        self._limit = limit
        self._heard: OrderedDict[str, float] = OrderedDict()  # contacts without history, heard longest ago first
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.forget_stale)
        contacts.changed.connect(self._on_changed)
        contacts.removed.connect(self._on_removed)
        store.message_added.connect(self._on_message_added)

    def load(self) -> list[ContactRecord]:
        """At start: the contacts of earlier runs to keep; the rest are forgotten in the history file too."""
        records = self._store.contacts()
        with_history = self._store.contacts_with_history()
        cutoff_ms = (self._clock.now() - FORGET_AFTER_SECONDS) * 1000
        without = sorted((r for r in records if r.id not in with_history), key=lambda r: (r.last_seen, r.id))
        stale = [r for r in without if r.last_seen < cutoff_ms]
        fresh = [r for r in without if r.last_seen >= cutoff_ms]
        crowded = fresh[: max(0, len(fresh) - self._limit)]
        forget = [r.id for r in (*stale, *crowded)]
        if forget:
            log.info("forgetting %d contacts without history (%d not heard for 30 days)", len(forget), len(stale))
            self._store.forget_contacts(forget)
        kept_without = fresh[len(crowded):]
        self._contacts.mark_history(with_history)
        for record in kept_without:
            self._heard[record.id] = record.last_seen / 1000
        self._timer.start()
        gone = set(forget)
        return [r for r in records if r.id not in gone]

    def stop(self) -> None:
        self._timer.stop()

    def count_without_history(self) -> int:
        return len(self._heard)

    @Slot()
    def forget_stale(self) -> None:
        """Forget the offline contacts without history not heard for 30 days."""
        cutoff = self._clock.now() - FORGET_AFTER_SECONDS
        stale: list[str] = []
        for contact_id, heard in self._heard.items():
            if heard >= cutoff:
                break
            contact = self._contacts.get(contact_id)
            if contact is None or not contact.online:
                stale.append(contact_id)
        self._forget(stale)

    def _forget(self, ids: list[str]) -> None:
        if not ids:
            return
        for contact_id in ids:
            self._heard.pop(contact_id, None)
            self._contacts.remove(contact_id)
        if self._store.is_open:
            self._store.forget_contacts(ids)

    @Slot(Contact)
    def _on_changed(self, contact: Contact) -> None:
        if self._contacts.has_history(contact.id):
            self._heard.pop(contact.id, None)
            return
        self._heard[contact.id] = self._clock.now()
        self._heard.move_to_end(contact.id)
        if len(self._heard) > self._limit:
            self._forget_oldest(len(self._heard) - self._limit)

    def _forget_oldest(self, count: int) -> None:
        """Forget `count` offline contacts without history, heard longest ago first."""
        oldest: list[str] = []
        for contact_id in self._heard:
            if len(oldest) >= count:
                break
            contact = self._contacts.get(contact_id)
            if contact is None or not contact.online:
                oldest.append(contact_id)
        self._forget(oldest)

    @Slot(str)
    def _on_removed(self, contact_id: str) -> None:
        self._heard.pop(contact_id, None)

    @Slot(MessageRecord)
    def _on_message_added(self, record: MessageRecord) -> None:
        """A 1:1 message or a transfer gives its contact history."""
        if record.kind == EntryKind.TEXT:
            if record.room is None:
                self._contacts.mark_history([record.chat])
            return
        if record.room is None:
            peer: str | None = record.chat
        elif record.direction == Direction.IN:
            peer = record.sender
        else:
            transfer = self._store.transfer(record.mid) if self._store.is_open else None
            peer = transfer.peer if transfer else None
        if peer is not None:
            self._contacts.mark_history([peer])
