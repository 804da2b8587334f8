"""The Transfers panel (a dock): every transfer of this run with its progress and buttons.

Shows a TransfersModel (a TransferView at Qt.UserRole per row) and calls
`accept/decline/cancel/retry(tid)` on the service.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QFont, QFontMetricsF, QPainter, QPainterPath
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from lanchat.core.transfers_model import TransfersModel
from lanchat.ui import theme
from lanchat.ui.transfer_cards import CardData, eta_text, file_tuples, speed_text, state_text
from lanchat.ui.untrusted import clean_file_name, clean_name, human_size

log = logging.getLogger("lanchat.ui.transfers_panel")

Index = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 62


def card_data(view: Any) -> CardData:
    return CardData(view.tid, view.direction, view.kind, file_tuples(view.files), view.state, view.bytes_done,
                    view.total, view.speed_bps, view.eta_s, view.reason, view.thumb, view.needs_decision)


class TransferDelegate(QStyledItemDelegate):
    """One transfer: direction, name, peer, state, a per-mille progress bar, speed and ETA."""

    def __init__(self, name_of: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name_of = name_of

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        view = index.data(Qt.ItemDataRole.UserRole)
        if view is None:
            return
        data = card_data(view)
        rect = QRectF(option.rect).adjusted(8, 4, -8, -4)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & QStyle.StateFlag.State_Selected:
            path = QPainterPath()
            path.addRoundedRect(rect, 8, 8)
            painter.fillPath(path, theme.SELECTION)
        font = QFont(option.font)
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        arrow = "⬇" if data.direction == "in" else "⬆"
        names = [clean_file_name(f[0]) for f in data.files]
        title = f"{arrow}  {names[0] if names else ''}" + (f"  (+{len(names) - 1})" if len(names) > 1 else "")
        painter.setFont(font)
        painter.setPen(theme.TEXT)
        fm = QFontMetricsF(font)
        painter.drawText(QRectF(rect.left() + 8, rect.top() + 4, rect.width() - 16, fm.height()),
                         Qt.AlignmentFlag.AlignLeft, fm.elidedText(title, Qt.TextElideMode.ElideMiddle,
                                                                    rect.width() - 16))
        peer = clean_name(self._name_of(view.peer))
        detail = "  ·  ".join(p for p in (peer, human_size(data.total), state_text(data)) if p)
        if data.state in ("progress", "accepted") and data.total:
            per_mille = data.per_mille
            detail = "  ·  ".join(p for p in (peer, f"{per_mille / 10:.0f} %", speed_text(data.speed_bps),
                                              eta_text(data.eta_s)) if p)
            bar = QRectF(rect.left() + 8, rect.bottom() - 10, rect.width() - 16, 5)
            track = QPainterPath()
            track.addRoundedRect(bar, 2.5, 2.5)
            painter.fillPath(track, theme.BORDER)
            done = QPainterPath()
            done.addRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * per_mille / 1000, bar.height()), 2.5, 2.5)
            painter.fillPath(done, theme.ACCENT)
        painter.setFont(small)
        painter.setPen(theme.FAILED if data.state == "failed" else theme.TEXT_MUTED)
        fms = QFontMetricsF(small)
        painter.drawText(QRectF(rect.left() + 8, rect.top() + 6 + fm.height(), rect.width() - 16, fms.height()),
                         Qt.AlignmentFlag.AlignLeft, fms.elidedText(detail, Qt.TextElideMode.ElideRight,
                                                                     rect.width() - 16))
        painter.restore()


class TransfersPanel(QDockWidget):
    """Lists transfers; the buttons act on the selected one."""

    def __init__(self, transfers: Any, name_of: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TransfersPanel")
        self.setWindowTitle(self.tr("Transfers"))
        self.transfers = transfers
        self.list = QListView()
        self.model = TransfersModel(transfers, self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(TransferDelegate(name_of, self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.doubleClicked.connect(self._open)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for action, label in (("accept", self.tr("Accept")), ("decline", self.tr("Decline")),
                              ("cancel", self.tr("Cancel")), ("retry", self.tr("Retry")),
                              ("folder", self.tr("Show in folder"))):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, a=action: self.act(a))
            row.addWidget(button)
            self.buttons[action] = button
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.setWidget(body)
        self.list.selectionModel().currentChanged.connect(self._update_buttons)
        transfers.transfer_changed.connect(self._on_changed)
        self._update_buttons()

    def selected(self) -> Any | None:
        index = self.list.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    @Slot(object)
    def _on_changed(self, view: object) -> None:
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        view = self.selected()
        state = view.state if view is not None else None
        self.buttons["accept"].setEnabled(bool(view is not None and view.needs_decision))
        self.buttons["decline"].setEnabled(bool(view is not None and view.needs_decision))
        self.buttons["cancel"].setEnabled(state in ("offered", "accepted", "progress"))
        self.buttons["retry"].setEnabled(state == "failed" and callable(getattr(self.transfers, "retry", None)))
        self.buttons["folder"].setEnabled(bool(view is not None and view.state == "done" and view.direction == "in"))

    def act(self, action: str) -> None:
        view = self.selected()
        if view is None:
            return
        if action == "folder":
            self._open(self.list.currentIndex())
            return
        getattr(self.transfers, action)(view.tid)
        self._update_buttons()

    @Slot(QModelIndex)
    def _open(self, index: QModelIndex) -> None:
        view = index.data(Qt.ItemDataRole.UserRole)
        if view is None or view.state != "done":
            return
        saved = [f[2] for f in file_tuples(view.files) if f[2]]
        if saved:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(saved[0]).parent)))
