"""The Transfers window: every transfer of this run with its progress and buttons.

A window of its own (not a dock inside the main window), so opening it
never narrows the chat. Shows a TransfersModel (a TransferView at
Qt.UserRole per row); its buttons call the service's accept, decline,
cancel and retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QFont, QFontMetricsF, QPainter, QPainterPath
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from lanchat.ui.elided_label import line_height
from lanchat.ui.transfer_cards import CardAction
from lanchat.ui.transfer_words import eta_text, speed_text, state_text, transfer_title
from lanchat.ui.untrusted import clean_name, human_size

log = logging.getLogger("lanchat.ui.transfers_panel")

Index = QModelIndex | QPersistentModelIndex
PAD = 8.0
BAR = 5.0
ONE_LINE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip


def _small(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
    return small


class TransferDelegate(QStyledItemDelegate):
    """One transfer: direction, name, peer, state, a per-mille progress bar, speed and ETA.

    Its height comes from the real line heights of its two lines (a Chinese
    line is taller than the primary font says), so nothing is clipped.
    """

    def __init__(self, peer_info: Callable[[str], tuple[str, bool]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._peer_info = peer_info

    def rows(self, font: QFont) -> tuple[float, float, float]:
        """(title line, detail line, whole row) heights for `font`."""
        title = float(line_height(font))
        detail = float(line_height(_small(font)))
        return title, detail, PAD + title + 2 + detail + 4 + BAR + PAD + 4

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(0, int(self.rows(option.font)[2] + 0.99))

    def detail_text(self, view: TransferView) -> str:
        who, online = self._peer_info(view.peer)
        peer = clean_name(who, 32)
        if view.state.moving and view.total:
            done = per_mille(view.bytes_done, view.total)
            parts: tuple[str, ...] = (peer, f"{done / 10:.0f} %", speed_text(view.speed_bps) if view.speed_bps else "",
                     eta_text(view.eta_s))
        else:
            parts = (peer, human_size(view.total), state_text(view, peer, online))
        return "  ·  ".join(p for p in parts if p)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        view = index.data(Qt.ItemDataRole.UserRole)
        if not isinstance(view, TransferView):
            return
        rect = QRectF(option.rect).adjusted(6, 2, -6, -2)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & QStyle.StateFlag.State_Selected:
            path = QPainterPath()
            path.addRoundedRect(rect, 8, 8)
            painter.fillPath(path, theme.SELECTION)
        font = QFont(option.font)
        small = _small(font)
        title_h, detail_h, _row = self.rows(font)
        left, width = rect.left() + PAD, rect.width() - 2 * PAD
        arrow = "⬇" if view.direction is Direction.IN else "⬆"
        title = f"{arrow}  {transfer_title(view)}"
        painter.setFont(font)
        painter.setPen(theme.TEXT)
        top = rect.top() + PAD - 2
        painter.drawText(QRectF(left, top, width, title_h), ONE_LINE,
                         QFontMetricsF(font).elidedText(title, Qt.TextElideMode.ElideMiddle, width))
        painter.setFont(small)
        painter.setPen(theme.FAILED if view.state is TransferState.FAILED else theme.TEXT_MUTED)
        painter.drawText(QRectF(left, top + title_h + 2, width, detail_h), ONE_LINE,
                         QFontMetricsF(small).elidedText(self.detail_text(view), Qt.TextElideMode.ElideRight, width))
        if view.state.moving and view.total:
            bar = QRectF(left, top + title_h + 2 + detail_h + 4, width, BAR)
            track = QPainterPath()
            track.addRoundedRect(bar, BAR / 2, BAR / 2)
            painter.fillPath(track, theme.BORDER)
            filled = QPainterPath()
            done = per_mille(view.bytes_done, view.total)
            filled.addRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * done / 1000, bar.height()),
                                  BAR / 2, BAR / 2)
            painter.fillPath(filled, theme.ACCENT)
        painter.restore()


class TransfersPanel(QWidget):
    """A window listing transfers; the buttons act on the selected one."""

    def __init__(
        self, transfers: TransferService, peer_info: Callable[[str], tuple[str, bool]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("TransfersPanel")
        self.resize(520, 440)
        self.setMinimumSize(360, 240)
        self.transfers = transfers
        self.list = QListView()
        self.model = TransfersModel(transfers, self)
        self.list.setModel(self.model)
        self.delegate = TransferDelegate(peer_info, self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.doubleClicked.connect(self._open)
        self.buttons: dict[CardAction, QPushButton] = {}
        row = QHBoxLayout()
        for action, slot in (
            (CardAction.ACCEPT, self.accept),
            (CardAction.DECLINE, self.decline),
            (CardAction.CANCEL, self.cancel),
            (CardAction.RETRY, self.retry),
            (CardAction.FOLDER, self.show_folder),
        ):
            button = QPushButton()
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[action] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.list.selectionModel().currentChanged.connect(self._update_buttons)
        transfers.transfer_changed.connect(self._on_changed)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Transfers — lanchat"))
        for action, label in (
            (CardAction.ACCEPT, self.tr("Accept")), (CardAction.DECLINE, self.tr("Decline")),
            (CardAction.CANCEL, self.tr("Cancel")), (CardAction.RETRY, self.tr("Retry")),
            (CardAction.FOLDER, self.tr("Show in folder")),
        ):
            self.buttons[action].setText(label)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def show_beside(self, window: QWidget) -> None:
        """Show (or bring back) the window next to `window`, on the same screen."""
        if not self.isVisible():
            frame = window.frameGeometry()
            screen = window.screen().availableGeometry() if window.screen() else None
            x, y = frame.right() - self.width() - 24, frame.top() + 60
            if screen is not None:
                x = max(screen.left(), min(x, screen.right() - self.width()))
                y = max(screen.top(), min(y, screen.bottom() - self.height()))
            self.move(x, y)
        self.show()
        self.raise_()
        self.activateWindow()

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
