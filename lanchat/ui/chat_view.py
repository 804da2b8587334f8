"""The message list of a chat: bubbles through the delegate, older pages when scrolled to the top."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QPoint, QPointF, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QContextMenuEvent, QDesktopServices, QGuiApplication, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QMenu, QStyleOptionViewItem, QWidget

from lanchat.core.chat_model import ChatModel
from lanchat.core.history.records import EntryKind, MessageRecord
from lanchat.ui.message_delegate import MessageDelegate
from lanchat.ui.transfer_cards import CardAction

log = logging.getLogger("lanchat.ui.chat_view")

#: Within this many pixels of the bottom, new entries keep the view scrolled down.
STICK_TO_BOTTOM_PX = 40
#: How long the message a search jumped to stays marked.
MARK_MS = 4000


class ChatView(QListView):
    """Shows a ChatModel; links open in the browser; cards get their clicks."""

    link_activated = Signal(str)
    card_action = Signal(MessageRecord, CardAction)

    def __init__(self, model: ChatModel, show_names: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Messages")
        self.chat_model = model
        self.setModel(model)
        self.delegate = MessageDelegate(self, show_names=show_names)
        self.setItemDelegate(self.delegate)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSpacing(0)
        self.setUniformItemSizes(False)
        self._loading_older = False
        self._stick = True
        self._unmark = QTimer(self)
        self._unmark.setSingleShot(True)
        self._unmark.setInterval(MARK_MS)
        self._unmark.timeout.connect(self._clear_mark)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.verticalScrollBar().rangeChanged.connect(self._on_range_changed)
        model.rowsAboutToBeInserted.connect(self._remember_bottom)
        model.appended.connect(self._on_appended)
        self.link_activated.connect(self._open_link)
        QTimer.singleShot(0, self._first_scroll)

    # --- scrolling -----------------------------------------------------------------------

    def at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.maximum() - bar.value() <= STICK_TO_BOTTOM_PX

    @Slot()
    def _first_scroll(self) -> None:
        """A new chat opens at its newest entry, or at the entry a search jumped to."""
        if self.delegate.highlighted is not None:
            self._center_mark()
        elif self._stick:
            self.scrollToBottom()

    @Slot()
    def _center_mark(self) -> None:
        row = -1 if self.delegate.highlighted is None else self.chat_model.row_of(self.delegate.highlighted)
        if row >= 0:
            self.doItemsLayout()
            self.scrollTo(self.chat_model.index(row), QAbstractItemView.ScrollHint.PositionAtCenter)

    @Slot()
    def _remember_bottom(self) -> None:
        self._stick = self.at_bottom()

    @Slot(MessageRecord)
    def _on_appended(self, record: MessageRecord) -> None:
        if self._stick or record.direction == "out":
            self._stick = True
            QTimer.singleShot(0, self.scrollToBottom)

    @Slot(int, int)
    def _on_range_changed(self, minimum: int, maximum: int) -> None:
        if self._stick:
            self.verticalScrollBar().setValue(maximum)

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        self._stick = self.at_bottom()
        if value == self.verticalScrollBar().minimum() and self.chat_model.has_older and not self._loading_older:
            QTimer.singleShot(0, self.load_older)

    @Slot()
    def load_older(self) -> None:
        """Prepend the previous page and keep the entry that was at the top where it was."""
        if self._loading_older or self.chat_model.rowCount() == 0:
            return
        self._loading_older = True
        try:
            first = self.chat_model.index(0)
            offset = self.visualRect(first).top()
            added = self.chat_model.load_older()
            if added:
                self.doItemsLayout()
                anchor = self.chat_model.index(added)
                self.scrollTo(anchor, QAbstractItemView.ScrollHint.PositionAtTop)
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() - offset)
        finally:
            self._loading_older = False

    def jump_to(self, row_id: int) -> bool:
        """Load as far back as needed, centre the entry `row_id` and mark it a while; False if it is not here."""
        row = self.chat_model.load_until(row_id)
        if row < 0:
            return False
        self._stick = False
        self.doItemsLayout()
        self.scrollTo(self.chat_model.index(row), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.delegate.highlighted = row_id
        self._unmark.start()
        self.viewport().update()
        QTimer.singleShot(0, self._center_mark)  # again once a new tab has its final size
        return True

    @Slot()
    def _clear_mark(self) -> None:
        self.delegate.highlighted = None
        self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        stick = self._stick
        super().resizeEvent(event)
        if stick:
            QTimer.singleShot(0, self.scrollToBottom)

    # --- mouse --------------------------------------------------------------------------

    def _option_for(self, index: QModelIndex) -> QStyleOptionViewItem:
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = self.visualRect(index)
        return option

    def anchor_at(self, pos: QPoint) -> str | None:
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        return self.delegate.anchor_at(self._option_for(index), index, QPointF(pos))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        index = self.indexAt(pos)
        hand = self.anchor_at(pos) is not None
        if not hand and index.isValid():
            hand = self.delegate.card_action_at(self._option_for(index), index, QPointF(pos)) is not None
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if hand else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            href = self.anchor_at(pos)
            if href:
                self.link_activated.emit(href)
                return
            index = self.indexAt(pos)
            if index.isValid():
                record = index.data(ChatModel.RecordRole)
                if isinstance(record, MessageRecord) and record.kind != EntryKind.TEXT:
                    action = self.delegate.card_action_at(self._option_for(index), index, QPointF(pos))
                    if action is not None:
                        self.card_action.emit(record, action)
                        return
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        record = index.data(ChatModel.RecordRole)
        if not isinstance(record, MessageRecord):
            return
        menu = QMenu(self)
        href = self.anchor_at(event.pos())
        if href:
            menu.addAction(self.tr("Open link"), lambda: self.link_activated.emit(href))
            menu.addAction(self.tr("Copy link"), lambda: QGuiApplication.clipboard().setText(href))
        if record.text:
            menu.addAction(self.tr("Copy text"), lambda: QGuiApplication.clipboard().setText(record.text))
        if not menu.isEmpty():
            menu.exec(event.globalPos())

    @Slot(str)
    def _open_link(self, href: str) -> None:
        url = QUrl(href)
        if url.scheme().lower() in ("http", "https", "ftp"):
            QDesktopServices.openUrl(url)
        else:
            log.info("not opening a link with scheme %r", url.scheme())
