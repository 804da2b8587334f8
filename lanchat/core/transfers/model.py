"""The Transfers list: every transfer the TransferService reports, newest first."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Slot

from lanchat.core.transfers.service import TransferService
from lanchat.core.transfers.transfer import TransferView

log = logging.getLogger("lanchat.core.transfers.model")

Index = QModelIndex | QPersistentModelIndex


def per_mille(done: int, total: int) -> int:
    """Progress in 0..1000 for QProgressBar-like ranges (ints that never overflow); 1000 for nothing to send."""
    if total <= 0:
        return 1000
    return max(0, min(1000, done * 1000 // total))


class TransfersModel(QAbstractListModel):
    """Rows of TransferView (at Qt.UserRole), fed by `transfer_changed`; the newest on top."""

    #: Progress of the row in per-mille (0..1000).
    PerMilleRole = Qt.ItemDataRole.UserRole + 1
    #: The row's TransferState.
    StateRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, transfers: TransferService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views: list[TransferView] = []
        self._rows: dict[str, int] = {}
        for view in transfers.transfers():
            self.on_transfer_changed(view)
        transfers.transfer_changed.connect(self.on_transfer_changed)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._views)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._views):
            return None
        view = self._views[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return view
        if role == Qt.ItemDataRole.DisplayRole:
            return ", ".join(f.path for f in view.files)
        if role == self.PerMilleRole:
            return per_mille(view.bytes_done, view.total)
        if role == self.StateRole:
            return view.state
        return None

    def row_of(self, tid: str) -> int:
        return self._rows.get(tid, -1)

    def view(self, tid: str) -> TransferView | None:
        row = self._rows.get(tid)
        return None if row is None else self._views[row]

    @Slot(TransferView)
    def on_transfer_changed(self, view: TransferView) -> None:
        row = self._rows.get(view.tid)
        if row is not None:
            self._views[row] = view
            index = self.index(row)
            self.dataChanged.emit(index, index)
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._views.insert(0, view)
        self._rows = {v.tid: i for i, v in enumerate(self._views)}
        self.endInsertRows()
