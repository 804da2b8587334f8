"""The message list of a chat: bubbles through the delegate, older pages when scrolled to the top."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QContextMenuEvent, QDesktopServices, QDrag, QGuiApplication, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListView, QMenu, QStyleOptionViewItem, QWidget

from lanchat.core.chat_model import ChatModel
from lanchat.core.history.records import EntryKind, MessageRecord
from lanchat.core.media import entry_path, media_items
from lanchat.ui.file_actions import FileActions, can_delete
from lanchat.ui.media_view import media_menu
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
        #: Open, Save as, Copy, Show in folder, Forward, Delete for the files of cards (set by the window).
        self.file_actions: FileActions | None = None
        self.last_menu: QMenu | None = None  # the last context menu shown (tests look at it)
        self._press: QPoint | None = None
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

    def dataChanged(self, topLeft: QModelIndex | QPersistentModelIndex,  # noqa: N803 (Qt's names)
                    bottomRight: QModelIndex | QPersistentModelIndex, /, roles: Sequence[int] = ()) -> None:
        """An entry's look changed (its picture's small copy came, a tick): repaint it, and lay the chat out
        again only when its height changed. QListView lays out every row on any change: in a chat of 200
        pictures that measured every card again for each small copy that came (tens of ms a time)."""
        if topLeft == bottomRight and topLeft.isValid():
            index = self.chat_model.index(topLeft.row())
            laid_out = self._laid_out_height(topLeft.row())
            if laid_out is not None and self.delegate.sizeHint(self._option_for(index), index).height() == laid_out:
                QAbstractItemView.dataChanged(self, topLeft, bottomRight, roles)  # repaints that entry only
                return
        super().dataChanged(topLeft, bottomRight, roles)

    def _laid_out_height(self, row: int) -> int | None:
        """The height the last layout gave `row`, or None when there is none (visualRect's own height is
        measured anew at each call: only the rows' positions are the layout's)."""
        top = self.visualRect(self.chat_model.index(row))
        if not top.isValid():
            return None
        if row + 1 < self.chat_model.rowCount():
            below = self.visualRect(self.chat_model.index(row + 1))
            return below.top() - top.top() if below.isValid() else None
        return self.contentsSize().height() - (top.top() + self.verticalOffset())

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

    def _card_target(self, pos: QPoint) -> tuple[CardAction, MessageRecord] | None:
        index = self.indexAt(pos)
        record = index.data(ChatModel.RecordRole) if index.isValid() else None
        if not isinstance(record, MessageRecord) or record.kind == EntryKind.TEXT:
            return None
        return self.delegate.card_action_at(self._option_for(index), index, QPointF(pos))

    def entry_at(self, pos: QPoint) -> MessageRecord | None:
        """The entry under `pos`: a picture of an album, or the row's own entry."""
        index = self.indexAt(pos)
        return self.delegate.entry_at(self._option_for(index), index, QPointF(pos)) if index.isValid() else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if (self._press is not None and event.buttons() & Qt.MouseButton.LeftButton
                and (pos - self._press).manhattanLength() >= QApplication.startDragDistance()):
            start, self._press = self._press, None
            if self._drag_out(start):
                return
        hand = self.anchor_at(pos) is not None or self._card_target(pos) is not None
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if hand else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def _drag_out(self, pos: QPoint) -> bool:
        """Drag a card's file out of lanchat, into a file manager or another program."""
        entry = self.entry_at(pos)
        path = entry_path(entry) if entry is not None and entry.files else None
        if path is None:
            return False
        drag = QDrag(self)
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)
        return True

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        if event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            href = self.anchor_at(pos)
            if href:
                self.link_activated.emit(href)
                return
            target = self._card_target(pos)
            if target is not None:
                self._act(pos, *target)
                return
        super().mouseReleaseEvent(event)

    def _act(self, pos: QPoint, action: CardAction, entry: MessageRecord) -> None:
        """A card's button or picture was clicked; an album's buttons apply to each of its pictures."""
        if action is CardAction.VIEW:
            self.card_action.emit(entry, action)
            return
        index = self.indexAt(pos)
        members = index.data(ChatModel.AlbumRole) if index.isValid() else None
        for member in members if isinstance(members, list) and len(members) > 1 else [entry]:
            self.card_action.emit(member, action)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        entry = self.entry_at(event.pos())
        if entry is None:
            return
        menu = QMenu(self)
        href = self.anchor_at(event.pos())
        if href:
            menu.addAction(self.tr("Open link"), lambda: self.link_activated.emit(href))
            menu.addAction(self.tr("Copy link"), lambda: QGuiApplication.clipboard().setText(href))
        if entry.text:
            menu.addAction(self.tr("Copy text"), lambda: QGuiApplication.clipboard().setText(entry.text))
        if self.file_actions is not None:
            self._add_file_actions(menu, entry)
        if not menu.isEmpty():
            self.last_menu = menu
            self.show_menu(menu, event.globalPos())

    def show_menu(self, menu: QMenu, pos: QPoint) -> None:
        """Shows a context menu until it closes (tests replace this to look at the menu instead)."""
        menu.exec(pos)

    def _add_file_actions(self, menu: QMenu, entry: MessageRecord) -> None:
        actions = self.file_actions
        assert actions is not None
        items = media_items([entry]) if entry.files else []
        if items:
            item = items[0]
            view = (lambda: self.card_action.emit(entry, CardAction.VIEW)) if item.picture else None
            file_menu = media_menu(actions, item, self, view_picture=view)
            for action in file_menu.actions():
                action.setParent(menu)
                menu.addAction(action)
            return
        if not menu.isEmpty():
            menu.addSeparator()
        delete = menu.addAction(self.tr("Delete from this chat"), lambda: actions.delete_entry(entry))
        delete.setObjectName("delete")
        delete.setEnabled(can_delete(entry))

    @Slot(str)
    def _open_link(self, href: str) -> None:
        url = QUrl(href)
        if url.scheme().lower() in ("http", "https", "ftp"):
            QDesktopServices.openUrl(url)
        else:
            log.info("not opening a link with scheme %r", url.scheme())
