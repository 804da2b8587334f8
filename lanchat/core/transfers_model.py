"""The Transfers list: every transfer the TransferService reports, newest first."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Slot

log = logging.getLogger("lanchat.core.transfers_model")

Index = QModelIndex | QPersistentModelIndex


class TransfersModel(QAbstractListModel):
    """Rows of TransferView (at Qt.UserRole), fed by `transfer_changed`; the newest on top."""

    def __init__(self, transfers: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views: list[Any] = []
        self._rows: dict[str, int] = {}
        listing = getattr(transfers, "transfers", None)
        if callable(listing):
            for view in listing():
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
            return ", ".join(str(getattr(f, "path", f)) for f in view.files)
        return None

    def view(self, tid: str) -> Any | None:
        row = self._rows.get(tid)
        return None if row is None else self._views[row]

    @Slot(object)
    def on_transfer_changed(self, view: Any) -> None:
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
