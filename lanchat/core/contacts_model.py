"""The chats list: Everyone, group chats and contacts, with unread counts and a last-message preview.

Built for a school on one LAN (issue 13): contact changes are coalesced for
up to ~50 ms and applied row by row (`beginInsertRows`, `beginMoveRows`,
`beginRemoveRows`, `dataChanged`), never by a reset after the first load,
so a view keeps its selection and scroll position while hundreds of people
arrive or leave. Rows are kept sorted; a row is found by bisecting the sort
keys, not by walking the list.

Listed: Everyone, the group chats, every contact online, and contacts with
*history* (a 1:1 message or a transfer, docs/protocol.md §4) while offline,
under the online ones. Offline contacts without history are not listed.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass
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


def counts_as_unread(record: MessageRecord) -> bool:
    """What history counts as unread (queries.unread_counts): an incoming text not yet read.

    A picture or file is an entry whose state is its transfer's; it never waits to be read,
    so counting it here would raise a badge that nothing clears.
    """
    return record.direction == Direction.IN and record.kind == EntryKind.TEXT and record.state == MessageState.RECEIVED


def preview_of(record: MessageRecord, sender_name: str | None = None) -> str:
    """A one-line summary of an entry for the chats list; in a group, `sender_name` says who wrote it."""
    if record.kind == EntryKind.IMAGE:
        text = "🖼 " + translate("ContactsModel", "Picture")
    elif record.kind == EntryKind.FILES:
        names = [f.path.rsplit("/", 1)[-1] for f in record.files]
        text = "📎 " + (", ".join(names) if names else translate("ContactsModel", "Files"))
    else:
        text = " ".join(record.text.split())
    if record.direction == Direction.OUT:
        text = translate("ContactsModel", "You: ") + text
    elif sender_name:
        text = translate("ContactsModel", "{0}: ").format(" ".join(sender_name.split())[:64]) + text
    return text[:200]


#: Contact changes arriving within this long are applied together.
COALESCE_MS = 50

SortKey = tuple[int, int, str, str]


class ContactsModel(QAbstractListModel):
    """Everyone first, then group chats, then contacts online first (by name), then offline ones with history."""

    EntryRole = Qt.ItemDataRole.UserRole + 1
    FilterRole = Qt.ItemDataRole.UserRole + 2
    IdRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, contacts: ContactBook, store: HistoryStore, own_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._contacts = contacts
        self._store = store
        self._own_id = own_id
        self._entries: list[ChatEntry] = []
        self._keys: list[SortKey] = []  # the sort key of each row, in row order
        self._key_of: dict[str, SortKey] = {}  # chat id -> its row's key
        self._total_unread = 0
        self._unread: dict[str, int] = {}
        self._previews: dict[str, tuple[str, int]] = {}
        self._rooms: list[RoomRecord] = []
        self._history: set[str] = set()  # contacts with history, as the store said at load (and since)
        self._pending: set[str] = set()  # chat ids to look at again
        self._loaded = False
        self._unread_timer = QTimer(self)
        self._unread_timer.setSingleShot(True)
        self._unread_timer.setInterval(0)
        self._unread_timer.timeout.connect(self.refresh_unread)
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(COALESCE_MS)
        self._coalesce.timeout.connect(self.apply_pending)
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
        row = self.row_of(chat_id)
        return self._entries[row] if row >= 0 else None

    def row_of(self, chat_id: str) -> int:
        key = self._key_of.get(chat_id)
        return -1 if key is None else bisect.bisect_left(self._keys, key)

    def total_unread(self) -> int:
        return self._total_unread

    def online_ids(self) -> tuple[str, ...]:
        return tuple(sorted(c.id for c in self._contacts.online(self._own_id)))

    def has_history(self, contact_id: str) -> bool:
        return contact_id in self._history or self._contacts.has_history(contact_id)

    # --- building -------------------------------------------------------------------

    def reload(self) -> None:
        """Read contacts, rooms, unread counts and previews again (a reset only the first time)."""
        self._unread = self._store.unread_counts()
        self._history = self._store.contacts_with_history()
        self._rooms = [r for r in self._store.rooms() if r.id != EVERYONE_ROOM_ID]
        self._previews = {}
        for chat in self._wanted_ids():
            last = self._store.page(chat, limit=1)
            if last:
                self._previews[chat] = (self._preview(last[-1]), last[-1].ts)
        if self._loaded:
            self._sync(self._wanted_ids() | set(self._key_of))
            return
        self._loaded = True
        entries = sorted((e for c in self._wanted_ids() if (e := self._entry_for(c)) is not None), key=_sort_key)
        self.beginResetModel()
        self._entries = entries
        self._keys = [_sort_key(e) for e in entries]
        self._key_of = {e.id: k for e, k in zip(entries, self._keys, strict=True)}
        self._total_unread = sum(e.unread for e in entries)
        self.endResetModel()

    def _wanted_ids(self) -> set[str]:
        ids = {EVERYONE_ROOM_ID, *(r.id for r in self._rooms)}
        ids.update(c.id for c in self._contacts.all() if c.id != self._own_id)
        return ids

    def _entry_for(self, chat_id: str, online: tuple[str, ...] | None = None) -> ChatEntry | None:
        """The row a chat should have now, or None when it is not listed."""
        unread = self._unread.get(chat_id, 0)
        preview, ts = self._previews.get(chat_id, ("", 0))
        if chat_id == EVERYONE_ROOM_ID:
            members = self.online_ids() if online is None else online
            return ChatEntry(ChatKind.EVERYONE, chat_id, translate("ContactsModel", "Everyone"), None, members,
                             unread, preview, ts, bool(members))
        room = next((r for r in self._rooms if r.id == chat_id), None)
        if room is not None:
            others = [m for m in room.members if m != self._own_id]
            up = any((c := self._contacts.get(m)) is not None and c.online for m in others)
            return ChatEntry(ChatKind.ROOM, chat_id, room.name, None, room.members, unread, preview, ts, up)
        contact = self._contacts.get(chat_id)
        if contact is None or contact.id == self._own_id:
            return None
        if not contact.online and not self.has_history(contact.id):
            return None
        return ChatEntry(ChatKind.CONTACT, chat_id, contact.name, contact, (), unread, preview, ts, contact.online)

    def _sync(self, chat_ids: set[str]) -> None:
        """Bring the rows of these chats up to date: insert, move, remove or change each in place."""
        online = self.online_ids()
        changed: list[str] = []
        for chat_id in chat_ids:
            new = self._entry_for(chat_id, online)
            old_key = self._key_of.get(chat_id)
            if new is None:
                if old_key is not None:
                    self._remove(chat_id, old_key)
                continue
            key = _sort_key(new)
            if old_key is None:
                self._insert(new, key)
                continue
            row = bisect.bisect_left(self._keys, old_key)
            if self._entries[row] == new:
                continue
            if key != old_key:
                self._move(row, new, key)
            else:
                self._total_unread += new.unread - self._entries[row].unread
                self._entries[row] = new
            changed.append(chat_id)
        rows = [self.row_of(c) for c in changed]
        if rows:
            self.dataChanged.emit(self.index(min(rows)), self.index(max(rows)))

    def _insert(self, entry: ChatEntry, key: SortKey) -> None:
        row = bisect.bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._entries.insert(row, entry)
        self._keys.insert(row, key)
        self._key_of[entry.id] = key
        self._total_unread += entry.unread
        self.endInsertRows()

    def _remove(self, chat_id: str, key: SortKey) -> None:
        row = bisect.bisect_left(self._keys, key)
        self.beginRemoveRows(QModelIndex(), row, row)
        self._total_unread -= self._entries[row].unread
        del self._entries[row], self._keys[row], self._key_of[chat_id]
        self.endRemoveRows()

    def _move(self, row: int, entry: ChatEntry, key: SortKey) -> None:
        """Move row `row` to where `key` sorts (Qt's destination counts rows before the move)."""
        old = self._entries[row]
        del self._entries[row], self._keys[row]
        target = bisect.bisect_left(self._keys, key)
        self._entries.insert(row, old)
        self._keys.insert(row, self._key_of[entry.id])
        destination = target if target < row else target + 1
        moving = destination not in (row, row + 1)
        if moving:
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        del self._entries[row], self._keys[row]
        self._entries.insert(target, entry)
        self._keys.insert(target, key)
        self._key_of[entry.id] = key
        self._total_unread += entry.unread - old.unread
        if moving:
            self.endMoveRows()

    def _schedule(self, chat_ids: set[str] | list[str]) -> None:
        self._pending.update(chat_ids)
        if not self._coalesce.isActive():
            self._coalesce.start()

    @Slot()
    def apply_pending(self) -> None:
        """Apply the changes gathered since the last call (the coalescing timer calls this)."""
        self._coalesce.stop()
        pending, self._pending = self._pending, set()
        if pending:
            self._sync(pending | {EVERYONE_ROOM_ID, *(r.id for r in self._rooms)})

    # --- updates --------------------------------------------------------------------

    @Slot()
    def refresh_unread(self) -> None:
        counts = self._store.unread_counts() if self._store.is_open else {}
        if counts != self._unread:
            touched = {c for c in set(counts) | set(self._unread) if counts.get(c, 0) != self._unread.get(c, 0)}
            self._unread = counts
            self._sync(touched)

    @Slot(Contact)
    def _on_contact_changed(self, contact: Contact) -> None:
        self._schedule([contact.id])

    @Slot(str)
    def _on_contact_removed(self, contact_id: str) -> None:
        self._schedule([contact_id])

    def _preview(self, record: MessageRecord) -> str:
        """The list's preview of an entry; in a group it names who wrote it."""
        if record.room is None or record.direction != Direction.IN:
            return preview_of(record)
        contact = self._contacts.get(record.sender)
        return preview_of(record, contact.name if contact else record.sender[:8])

    @Slot(MessageRecord)
    def _on_message_added(self, record: MessageRecord) -> None:
        self._previews[record.chat] = (self._preview(record), record.ts)
        if counts_as_unread(record):
            self._unread[record.chat] = self._unread.get(record.chat, 0) + 1
        if record.room is None:
            self._history.add(record.chat)  # a 1:1 message or transfer: the contact has history now
        elif record.kind != EntryKind.TEXT and record.direction == Direction.IN:
            self._history.add(record.sender)
            self._pending.add(record.sender)
        if record.room and record.chat != EVERYONE_ROOM_ID and all(r.id != record.chat for r in self._rooms):
            self._rooms = [r for r in self._store.rooms() if r.id != EVERYONE_ROOM_ID]
        self._pending.add(record.chat)
        self.apply_pending()

    @Slot(MessageChanged)
    def _on_message_changed(self, change: MessageChanged) -> None:
        if change.state == MessageState.READ and self._unread.get(change.chat):
            self._unread_timer.start()

    @Slot()
    def _on_rooms_changed(self) -> None:
        if self._store.is_open:
            self._rooms = [r for r in self._store.rooms() if r.id != EVERYONE_ROOM_ID]
            self._schedule({r.id for r in self._rooms} | {k for k in self._key_of if _is_room_row(self, k)})

    @Slot(object)
    def _on_history_deleted(self, chat: object) -> None:
        if self._store.is_open:
            self.reload()

    def add_room(self, room: RoomRecord) -> None:
        """Show a room at once, before the store has committed it."""
        if room.id != EVERYONE_ROOM_ID and all(r.id != room.id for r in self._rooms):
            self._rooms = [*self._rooms, room]
            self._pending.add(room.id)
            self.apply_pending()


def _is_room_row(model: ContactsModel, chat_id: str) -> bool:
    entry = model.entry(chat_id)
    return entry is not None and entry.kind == ChatKind.ROOM


def _sort_key(entry: ChatEntry) -> SortKey:
    rank = {ChatKind.EVERYONE: 0, ChatKind.ROOM: 1, ChatKind.CONTACT: 2}[entry.kind]
    return (rank, 0 if entry.online or entry.kind != ChatKind.CONTACT else 1, entry.name.casefold(), entry.id)
