"""The Transfers panel (a dock): every transfer of this run with its progress and buttons.

Shows a TransfersModel (a TransferView at Qt.UserRole per row); its
buttons call the service's accept, decline, cancel and retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

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

from lanchat.core.history.records import Direction
from lanchat.core.transfers.model import TransfersModel, per_mille
from lanchat.core.transfers.service import TransferService
from lanchat.core.transfers.state import TransferState
from lanchat.core.transfers.transfer import TransferView
from lanchat.ui import theme
from lanchat.ui.transfer_cards import CardAction, eta_text, speed_text, state_text
from lanchat.ui.untrusted import clean_file_name, clean_name, human_size

log = logging.getLogger("lanchat.ui.transfers_panel")

Index = QModelIndex | QPersistentModelIndex
ROW_HEIGHT = 62


class TransferDelegate(QStyledItemDelegate):
    """One transfer: direction, name, peer, state, a per-mille progress bar, speed and ETA."""

    def __init__(self, name_of: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name_of = name_of

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        view = index.data(Qt.ItemDataRole.UserRole)
        if not isinstance(view, TransferView):
            return
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
        arrow = "⬇" if view.direction is Direction.IN else "⬆"
        names = [clean_file_name(f.path) for f in view.files]
        title = f"{arrow}  {names[0] if names else ''}" + (f"  (+{len(names) - 1})" if len(names) > 1 else "")
        painter.setFont(font)
        painter.setPen(theme.TEXT)
        fm = QFontMetricsF(font)
        painter.drawText(QRectF(rect.left() + 8, rect.top() + 4, rect.width() - 16, fm.height()),
                         Qt.AlignmentFlag.AlignLeft, fm.elidedText(title, Qt.TextElideMode.ElideMiddle,
                                                                    rect.width() - 16))
        peer = clean_name(self._name_of(view.peer))
        detail = "  ·  ".join(p for p in (peer, human_size(view.total), state_text(view)) if p)
        if view.state.moving and view.total:
            done = per_mille(view.bytes_done, view.total)
            detail = "  ·  ".join(p for p in (peer, f"{done / 10:.0f} %", speed_text(view.speed_bps),
                                              eta_text(view.eta_s)) if p)
            bar = QRectF(rect.left() + 8, rect.bottom() - 10, rect.width() - 16, 5)
            track = QPainterPath()
            track.addRoundedRect(bar, 2.5, 2.5)
            painter.fillPath(track, theme.BORDER)
            filled = QPainterPath()
            filled.addRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * done / 1000, bar.height()), 2.5, 2.5)
            painter.fillPath(filled, theme.ACCENT)
        painter.setFont(small)
        painter.setPen(theme.FAILED if view.state is TransferState.FAILED else theme.TEXT_MUTED)
        fms = QFontMetricsF(small)
        painter.drawText(QRectF(rect.left() + 8, rect.top() + 6 + fm.height(), rect.width() - 16, fms.height()),
                         Qt.AlignmentFlag.AlignLeft, fms.elidedText(detail, Qt.TextElideMode.ElideRight,
                                                                     rect.width() - 16))
        painter.restore()


class TransfersPanel(QDockWidget):
    """Lists transfers; the buttons act on the selected one."""

    def __init__(
        self, transfers: TransferService, name_of: Callable[[str], str], parent: QWidget | None = None
    ) -> None:
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
        self.buttons: dict[CardAction, QPushButton] = {}
        row = QHBoxLayout()
        for action, label, slot in (
            (CardAction.ACCEPT, self.tr("Accept"), self.accept),
            (CardAction.DECLINE, self.tr("Decline"), self.decline),
            (CardAction.CANCEL, self.tr("Cancel"), self.cancel),
            (CardAction.RETRY, self.tr("Retry"), self.retry),
            (CardAction.FOLDER, self.tr("Show in folder"), self.show_folder),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
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

    def selected(self) -> TransferView | None:
        index = self.list.currentIndex()
        view = index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None
        return view if isinstance(view, TransferView) else None

    @Slot(TransferView)
    def _on_changed(self, view: TransferView) -> None:
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        view = self.selected()
        deciding = view is not None and view.needs_decision
        self.buttons[CardAction.ACCEPT].setEnabled(deciding)
        self.buttons[CardAction.DECLINE].setEnabled(deciding)
        self.buttons[CardAction.CANCEL].setEnabled(
            view is not None and (view.state is TransferState.OFFERED or view.state.moving)
        )
        self.buttons[CardAction.RETRY].setEnabled(
            view is not None and view.state is TransferState.FAILED and view.direction is Direction.OUT
        )
        self.buttons[CardAction.FOLDER].setEnabled(
            view is not None and view.state is TransferState.DONE and view.direction is Direction.IN
        )

    @Slot()
    def accept(self) -> None:
        if (view := self.selected()) is not None:
            self.transfers.accept(view.tid)
        self._update_buttons()

    @Slot()
    def decline(self) -> None:
        if (view := self.selected()) is not None:
            self.transfers.decline(view.tid)
        self._update_buttons()

    @Slot()
    def cancel(self) -> None:
        if (view := self.selected()) is not None:
            self.transfers.cancel(view.tid)
        self._update_buttons()

    @Slot()
    def retry(self) -> None:
        if (view := self.selected()) is not None:
            self.transfers.retry(view.tid)
        self._update_buttons()

    @Slot()
    def show_folder(self) -> None:
        self._open(self.list.currentIndex())

    @Slot(QModelIndex)
    def _open(self, index: QModelIndex) -> None:
        view = index.data(Qt.ItemDataRole.UserRole)
        if not isinstance(view, TransferView) or view.state is not TransferState.DONE:
            return
        saved = [f.saved_as for f in view.files if f.saved_as]
        if saved:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(saved[0]).parent)))
