"""One chat's entries from the history, a page at a time: the newest 200, older ones on demand."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QDateTime,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from lanchat.core.history.records import Direction, MessageChanged, MessageRecord, MessageState
from lanchat.core.history.store import HistoryStore
from lanchat.core.transfers.state import TransferState
from lanchat.core.transfers.transfer import TransferView

log = logging.getLogger("lanchat.core.chat_model")

PAGE_SIZE = 200
#: Entries of one sender closer than this are drawn as one group (no repeated name).
GROUP_GAP_MS = 5 * 60 * 1000

Index = QModelIndex | QPersistentModelIndex


def local_day(ts_ms: int) -> int:
    """The local calendar day of a timestamp, as a Julian day number."""
    return int(QDateTime.fromMSecsSinceEpoch(ts_ms).date().toJulianDay())


class ChatModel(QAbstractListModel):
    """The entries of one chat (a contact's id or a room id), oldest first."""

    RecordRole = Qt.ItemDataRole.UserRole + 1
    DayBreakRole = Qt.ItemDataRole.UserRole + 2
    GroupStartRole = Qt.ItemDataRole.UserRole + 3
    SenderNameRole = Qt.ItemDataRole.UserRole + 4
    OwnRole = Qt.ItemDataRole.UserRole + 5
    #: (1.1) The pictures of an album row (its first entry leads; the others are not rows of their own).
    AlbumRole = Qt.ItemDataRole.UserRole + 6

    #: An entry arrived at the end (the view may scroll down), with its record.
    appended = Signal(MessageRecord)

    def __init__(
        self,
        store: HistoryStore,
        chat_id: str,
        names: Callable[[str], str] | None = None,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self.chat_id = chat_id
        self._names = names or (lambda peer_id: peer_id[:8])
        self._page_size = page_size
        self._records: list[MessageRecord] = []
        self._rows_by_id: dict[int, int] = {}  # an album's every entry maps to the album's row
        self._albums: dict[str, list[MessageRecord]] = {}  # album id -> its loaded entries, in order
        self._has_older = True
        store.message_added.connect(self._on_message_added)
        store.message_changed.connect(self._on_message_changed)
        store.history_deleted.connect(self._on_history_deleted)
        self.load_newest()

    # --- the Qt model -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._records):
            return None
        record = self._records[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return record.text
        if role == self.RecordRole:
            return record
        if role == self.OwnRole:
            return record.direction == Direction.OUT
        if role == self.AlbumRole:
            return list(self._albums.get(record.album or "", [record]))
        if role == self.SenderNameRole:
            return self._names(record.sender)
        if role == self.DayBreakRole:
            return row == 0 or local_day(self._records[row - 1].ts) != local_day(record.ts)
        if role == self.GroupStartRole:
            if row == 0:
                return True
            previous = self._records[row - 1]
            return (
                previous.sender != record.sender
                or record.ts - previous.ts > GROUP_GAP_MS
                or local_day(previous.ts) != local_day(record.ts)
            )
        return None

    # --- reading --------------------------------------------------------------------

    def records(self) -> list[MessageRecord]:
        return list(self._records)

    def record(self, row: int) -> MessageRecord:
        return self._records[row]

    @property
    def has_older(self) -> bool:
        return self._has_older

    def row_of(self, row_id: int) -> int:
        return self._rows_by_id.get(row_id, -1)

    def row_of_mid(self, mid: str) -> int:
        """The row showing the entry `mid` (an album member's is its album's row)."""
        for row in range(len(self._records) - 1, -1, -1):
            record = self._records[row]
            if record.mid == mid or any(m.mid == mid for m in self._albums.get(record.album or "", ())):
                return row
        return -1

    def entries(self) -> list[MessageRecord]:
        """Every loaded entry, album members included, in row order."""
        found = []
        for record in self._records:
            found += self._albums.get(record.album or "", [record])
        return found

    def unread_incoming(self) -> list[MessageRecord]:
        """Incoming entries not yet marked read, oldest first."""
        return [r for r in self.entries() if r.direction == Direction.IN and r.state == MessageState.RECEIVED]

    # --- loading ----------------------------------------------------------------------

    def load_newest(self) -> None:
        records = self._store.page(self.chat_id, limit=self._page_size)
        self.beginResetModel()
        self._albums = {}
        self._records = self._rows_of(records)
        self._has_older = len(records) == self._page_size
        self._reindex()
        self.endResetModel()

    def load_older(self) -> int:
        """Prepend the page before the first loaded entry; returns how many entries came."""
        if not self._has_older or not self._records:
            self._has_older = False
            return 0
        first = min(r.row_id for r in self.entries() if r.row_id is not None)
        older = self._store.page(self.chat_id, before=first, limit=self._page_size)
        self._has_older = len(older) == self._page_size
        joined = {r.album for r in older if r.album in self._albums}  # albums that began on the older page
        rows = self._rows_of(older, prepend=True)
        if rows:
            self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
            self._records[0:0] = rows
            self._reindex()
            self.endInsertRows()
            # The first old row's day break / grouping may have changed.
            index = self.index(len(rows))
            self.dataChanged.emit(index, index)
        else:
            self._reindex()
        for album in joined:
            row = self.row_of_mid(self._albums[album][-1].mid)
            self._records[row] = self._albums[album][0]  # the album's first picture leads its row
            self._reindex()
            self._album_changed(album)
        return len(older)

    def load_until(self, row_id: int) -> int:
        """Load older pages until the entry with `row_id` is loaded; its row, or -1."""
        while self.row_of(row_id) < 0 and self._has_older:
            if not self.load_older():
                break
        return self.row_of(row_id)

    def _rows_of(self, records: list[MessageRecord], prepend: bool = False) -> list[MessageRecord]:
        """The rows `records` make: an album's first entry stands for it, its others join `_albums`."""
        rows = []
        for record in records:
            if record.album is None:
                rows.append(record)
                continue
            members = self._albums.get(record.album)
            if members is None:
                self._albums[record.album] = [record]
                rows.append(record)
            elif prepend:
                members.insert(sum(1 for m in members if (m.row_id or 0) < (record.row_id or 0)), record)
            else:
                members.append(record)
        return rows

    def _reindex(self) -> None:
        self._rows_by_id = {}
        for i, record in enumerate(self._records):
            for member in self._albums.get(record.album or "", [record]):
                if member.row_id is not None:
                    self._rows_by_id[member.row_id] = i

    def _album_changed(self, album: str) -> None:
        row = self.row_of_mid(self._albums[album][0].mid)
        if row >= 0:
            index = self.index(row)
            self.dataChanged.emit(index, index)

    # --- updates from the store ----------------------------------------------------

    @Slot(MessageRecord)
    def _on_message_added(self, record: MessageRecord) -> None:
        if record.chat != self.chat_id or (record.row_id is not None and record.row_id in self._rows_by_id):
            return
        if record.album is not None and record.album in self._albums:
            self._albums[record.album].append(record)
            self._reindex()
            self._album_changed(record.album)
            self.appended.emit(record)
            return
        if record.album is not None:
            self._albums[record.album] = [record]
        row = len(self._records)
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.append(record)
        if record.row_id is not None:
            self._rows_by_id[record.row_id] = row
        self.endInsertRows()
        self.appended.emit(record)

    @Slot(MessageChanged)
    def _on_message_changed(self, change: MessageChanged) -> None:
        if change.chat != self.chat_id:
            return
        row = self._rows_by_id.get(change.row_id, -1)
        if row < 0:
            return
        self._replace(row, change.row_id, lambda old: replace(old, state=change.state))

    def update_record(self, record: MessageRecord) -> None:
        """Replace a loaded entry (e.g. a transfer entry whose files changed)."""
        row = self._rows_by_id.get(record.row_id or -1, -1)
        if row >= 0 and record.row_id is not None:
            self._replace(row, record.row_id, lambda _old: record)

    def _replace(self, row: int, row_id: int, change: Callable[[MessageRecord], MessageRecord]) -> None:
        lead = self._records[row]
        members = self._albums.get(lead.album or "")
        if members is not None:
            for i, member in enumerate(members):
                if member.row_id == row_id:
                    members[i] = change(member)
            self._records[row] = members[0]
        elif lead.row_id == row_id:
            self._records[row] = change(lead)
        index = self.index(row)
        self.dataChanged.emit(index, index)

    @Slot(object)
    def _on_history_deleted(self, chat: object) -> None:
        if chat is None or chat == self.chat_id:
            self.load_newest()

    def refresh_entry(self, mid: str, view: TransferView | None = None) -> None:
        """Tell views an entry's look changed (its transfer moved on); `view` brings its files up to date."""
        row = self.row_of_mid(mid)
        if row < 0:
            return
        entry = next((e for e in self._albums.get(self._records[row].album or "", [self._records[row]])
                      if e.mid == mid), None)
        if view is not None and entry is not None and entry.row_id is not None and len(view.files) == len(entry.files):
            files = tuple(
                replace(f, saved_as=v.saved_as or f.saved_as, sha256=v.sha256 or f.sha256,
                        ok=f.ok if v.ok is None else v.ok)
                for f, v in zip(entry.files, view.files, strict=True)
            )
            state = entry.state if view.state is TransferState.PROGRESS else view.state.value  # history keeps accepted
            self._replace(row, entry.row_id, lambda old: replace(old, files=files, state=state))
            return
        index = self.index(row)
        self.dataChanged.emit(index, index)
