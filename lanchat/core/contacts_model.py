"""The chats list: Everyone, group chats and contacts, with unread counts and a last-message preview."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Slot,
)

from lanchat.core.contacts import Contact, ContactBook
from lanchat.core.history.records import (
    Direction,
    EntryKind,
    MessageChanged,
    MessageRecord,
    MessageState,
    RoomRecord,
)
from lanchat.core.history.store import HistoryStore
from lanchat.core.rooms import EVERYONE_ROOM_ID

log = logging.getLogger("lanchat.core.contacts_model")

Index = QModelIndex | QPersistentModelIndex


class ChatKind(StrEnum):
    EVERYONE = "everyone"
    ROOM = "room"
    CONTACT = "contact"


@dataclass(frozen=True)
class ChatEntry:
    """One row of the chats list.

    `id` is the chat id (the peer id of a contact, or the room id);
    `members` the ids in a room (for Everyone: the contacts online now).
    """

    kind: ChatKind
    id: str
    name: str
    contact: Contact | None = None
    members: tuple[str, ...] = ()
    unread: int = 0
    preview: str = ""
    preview_ts: int = 0
    online: bool = False

    @property
    def group(self) -> str:
        return (self.contact.group or "") if self.contact else ""


translate = QCoreApplication.translate


def preview_of(record: MessageRecord) -> str:
    """A one-line summary of an entry for the chats list."""
    if record.kind == EntryKind.IMAGE:
        text = "🖼 " + translate("ContactsModel", "Picture")
    elif record.kind == EntryKind.FILES:
        names = [f.path.rsplit("/", 1)[-1] for f in record.files]
        text = "📎 " + (", ".join(names) if names else translate("ContactsModel", "Files"))
    else:
        text = " ".join(record.text.split())
    if record.direction == Direction.OUT:
        text = translate("ContactsModel", "You: ") + text
    return text[:200]


class ContactsModel(QAbstractListModel):
    """Everyone first, then group chats, then contacts online first (by name)."""

    EntryRole = Qt.ItemDataRole.UserRole + 1
    FilterRole = Qt.ItemDataRole.UserRole + 2
    IdRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, contacts: ContactBook, store: HistoryStore, own_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._contacts = contacts
        self._store = store
        self._own_id = own_id
        self._entries: list[ChatEntry] = []
        self._unread: dict[str, int] = {}
        self._previews: dict[str, tuple[str, int]] = {}
        self._rooms: list[RoomRecord] = []
        self._unread_timer = QTimer(self)
        self._unread_timer.setSingleShot(True)
        self._unread_timer.setInterval(0)
        self._unread_timer.timeout.connect(self.refresh_unread)
        contacts.changed.connect(self._on_contact_changed)
        contacts.removed.connect(self._on_contact_removed)
        store.message_added.connect(self._on_message_added)
        store.message_changed.connect(self._on_message_changed)
        store.rooms_changed.connect(self._on_rooms_changed)
        store.history_deleted.connect(self._on_history_deleted)
        self.reload()

    # --- the Qt model -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return entry.name
        if role == self.EntryRole:
            return entry
        if role == self.IdRole:
            return entry.id
        if role == self.FilterRole:
            return f"{entry.name}\n{entry.group}"
        return None

    # --- reading --------------------------------------------------------------------

    def entries(self) -> list[ChatEntry]:
        return list(self._entries)

    def entry(self, chat_id: str) -> ChatEntry | None:
        for entry in self._entries:
            if entry.id == chat_id:
                return entry
        return None

    def row_of(self, chat_id: str) -> int:
        for row, entry in enumerate(self._entries):
            if entry.id == chat_id:
                return row
        return -1

    def total_unread(self) -> int:
        return sum(e.unread for e in self._entries)

    def online_ids(self) -> tuple[str, ...]:
        return tuple(sorted(c.id for c in self._contacts.all() if c.online and c.id != self._own_id))

    # --- building -------------------------------------------------------------------

    def reload(self) -> None:
        """Read contacts, rooms, unread counts and previews again."""
        self._unread = self._store.unread_counts()
        rooms = [r for r in self._store.rooms() if r.id != EVERYONE_ROOM_ID]
        chats = [EVERYONE_ROOM_ID] + [r.id for r in rooms] + [c.id for c in self._contacts.all()]
        self._previews = {}
        for chat in chats:
            last = self._store.page(chat, limit=1)
            if last:
                self._previews[chat] = (preview_of(last[-1]), last[-1].ts)
        self.beginResetModel()
        self._rooms = rooms
        self._entries = self._build()
        self.endResetModel()

    def _build(self) -> list[ChatEntry]:
        online = self.online_ids()
        entries = [
            self._with_chat_state(
                ChatEntry(
                    ChatKind.EVERYONE,
                    EVERYONE_ROOM_ID,
                    translate("ContactsModel", "Everyone"),
                    members=online,
                    online=bool(online),
                )
            )
        ]
        for room in self._rooms:
            others = [m for m in room.members if m != self._own_id]
            entries.append(
                self._with_chat_state(
                    ChatEntry(
                        ChatKind.ROOM,
                        room.id,
                        room.name,
                        members=room.members,
                        online=any((c := self._contacts.get(m)) is not None and c.online for m in others),
                    )
                )
            )
        for contact in self._contacts.all():
            if contact.id == self._own_id:
                continue
            entries.append(
                self._with_chat_state(
                    ChatEntry(
                        ChatKind.CONTACT,
                        contact.id,
                        contact.name,
                        contact=contact,
                        online=contact.online,
                    )
                )
            )
        entries.sort(key=_sort_key)
        return entries

    def _with_chat_state(self, entry: ChatEntry) -> ChatEntry:
        preview, ts = self._previews.get(entry.id, ("", 0))
        return replace(entry, unread=self._unread.get(entry.id, 0), preview=preview, preview_ts=ts)

    def _rebuild(self) -> None:
        """Recompute every row, keeping selections and current items (by chat id)."""
        new = self._build()
        old_ids = [e.id for e in self._entries]
        new_ids = [e.id for e in new]
        if old_ids == new_ids:
            changed = [row for row, (a, b) in enumerate(zip(self._entries, new, strict=True)) if a != b]
            self._entries = new
            for row in changed:
                index = self.index(row)
                self.dataChanged.emit(index, index)
            return
        if set(old_ids) != set(new_ids):
            self.beginResetModel()
            self._entries = new
            self.endResetModel()
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        position = {chat: row for row, chat in enumerate(new_ids)}
        targets = [self.index(position[old_ids[p.row()]]) for p in persistent]
        self._entries = new
        self.changePersistentIndexList(persistent, targets)
        self.layoutChanged.emit()

    # --- updates --------------------------------------------------------------------

    @Slot()
    def refresh_unread(self) -> None:
        counts = self._store.unread_counts() if self._store.is_open else {}
        if counts != self._unread:
            self._unread = counts
            self._rebuild()

    @Slot(Contact)
    def _on_contact_changed(self, contact: Contact) -> None:
        self._rebuild()

    @Slot(str)
    def _on_contact_removed(self, contact_id: str) -> None:
        self._rebuild()

    @Slot(MessageRecord)
    def _on_message_added(self, record: MessageRecord) -> None:
        self._previews[record.chat] = (preview_of(record), record.ts)
        if record.direction == Direction.IN:
            self._unread[record.chat] = self._unread.get(record.chat, 0) + 1
        if record.room and record.chat != EVERYONE_ROOM_ID and all(r.id != record.chat for r in self._rooms):
            self._rooms = [r for r in self._store.rooms() if r.id != EVERYONE_ROOM_ID]
        self._rebuild()

    @Slot(MessageChanged)
    def _on_message_changed(self, change: MessageChanged) -> None:
        if change.state == MessageState.READ and self._unread.get(change.chat):
            self._unread_timer.start()

    @Slot()
    def _on_rooms_changed(self) -> None:
        if self._store.is_open:
            self._rooms = [r for r in self._store.rooms() if r.id != EVERYONE_ROOM_ID]
            self._rebuild()

    @Slot(object)
    def _on_history_deleted(self, chat: object) -> None:
        if self._store.is_open:
            self.reload()

    def add_room(self, room: RoomRecord) -> None:
        """Show a room at once, before the store has committed it."""
        if room.id != EVERYONE_ROOM_ID and all(r.id != room.id for r in self._rooms):
            self._rooms = [*self._rooms, room]
            self._rebuild()


def _sort_key(entry: ChatEntry) -> tuple[int, int, str, str]:
    rank = {ChatKind.EVERYONE: 0, ChatKind.ROOM: 1, ChatKind.CONTACT: 2}[entry.kind]
    return (rank, 0 if entry.online or entry.kind != ChatKind.CONTACT else 1, entry.name.casefold(), entry.id)
