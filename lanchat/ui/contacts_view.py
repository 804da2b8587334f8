"""The chats list (Everyone, groups, contacts) with its delegate, search box and history search."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from lanchat.core.contacts_model import ChatEntry, ChatKind, ContactsModel
from lanchat.core.history.records import MessageRecord
from lanchat.ui import theme
from lanchat.ui.avatar import paint_avatar, paint_everyone, paint_status_dot
from lanchat.ui.compose import local_files
from lanchat.ui.search_results import SearchResultDelegate, result_item
from lanchat.ui.untrusted import clean_name

log = logging.getLogger("lanchat.ui.contacts_view")

ROW_HEIGHT = 66
#: One line of text, vertically centred and never clipped to its box (a CJK fallback font is taller).
ONE_LINE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip
ONE_LINE_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip
AVATAR = 44
Index = QModelIndex | QPersistentModelIndex


def short_time(ts_ms: int) -> str:
    """"14:05" today, "Mon" this week, else "12/03/25" (the locale's short date)."""
    if not ts_ms:
        return ""
    when = QDateTime.fromMSecsSinceEpoch(ts_ms)
    today = QDateTime.currentDateTime().date()
    if when.date() == today:
        return when.toString("HH:mm")
    if when.date().daysTo(today) < 7:
        return when.toString("ddd")
    return when.date().toString("dd/MM/yy")


class ContactsDelegate(QStyledItemDelegate):
    """Paints one chat: avatar with status dot, name, group, time, preview and unread badge."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        # No width of its own: a row is as wide as the list (never wider, so no horizontal scrolling).
        return QSize(0, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry = index.data(ContactsModel.EntryRole)
        if not isinstance(entry, ChatEntry):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect)
        state = option.state
        if state & QStyle.StateFlag.State_Selected:
            path = QPainterPath()
            path.addRoundedRect(rect.adjusted(6, 2, -6, -2), 10, 10)
            painter.fillPath(path, theme.SELECTION)
        elif state & QStyle.StateFlag.State_MouseOver:
            path = QPainterPath()
            path.addRoundedRect(rect.adjusted(6, 2, -6, -2), 10, 10)
            painter.fillPath(path, theme.HOVER)

        faded = entry.kind == ChatKind.CONTACT and not entry.online
        avatar = QRectF(rect.left() + 16, rect.top() + (rect.height() - AVATAR) / 2, AVATAR, AVATAR)
        if entry.kind == ChatKind.EVERYONE:
            paint_everyone(painter, avatar)
        else:
            paint_avatar(painter, avatar, entry.name, entry.id, faded=faded)
        if entry.kind == ChatKind.CONTACT and entry.contact is not None:
            dot = 13.0
            ring = theme.SELECTION if state & QStyle.StateFlag.State_Selected else QColor("#ffffff")
            paint_status_dot(
                painter, QRectF(avatar.right() - dot + 1, avatar.bottom() - dot + 1, dot, dot),
                entry.contact.status_text, ring,
            )

        left = avatar.right() + 12
        right = rect.right() - 16
        base = QFont(option.font)
        name_font = QFont(base)
        name_font.setWeight(QFont.Weight.DemiBold if entry.unread == 0 else QFont.Weight.Bold)
        small = QFont(base)
        small.setPointSizeF(max(7.5, base.pointSizeF() - 1.5))

        # First line: time at the right, then the name and the group label.
        time_text = short_time(entry.preview_ts)
        painter.setFont(small)
        fm_small = QFontMetrics(small)
        time_width = fm_small.horizontalAdvance(time_text) + 4 if time_text else 0
        top = rect.top() + 12
        line_h = QFontMetrics(name_font).height()
        painter.setPen(theme.ACCENT if entry.unread else theme.TEXT_FAINT)
        painter.drawText(QRectF(right - time_width, top, time_width, line_h),
                         ONE_LINE_RIGHT, time_text)
        name = clean_name(entry.name)
        if entry.kind == ChatKind.ROOM:
            name = "# " + name
        fm_name = QFontMetrics(name_font)
        group = clean_name(entry.group, 64) if entry.group else ""
        space = right - time_width - left - 6
        group_width = min(fm_small.horizontalAdvance(group) + 14, space * 0.45) if group else 0
        name = fm_name.elidedText(name, Qt.TextElideMode.ElideRight, int(space - group_width))
        painter.setFont(name_font)
        painter.setPen(theme.TEXT_MUTED if faded else theme.TEXT)
        painter.drawText(QRectF(left, top, space, line_h), ONE_LINE,
                         name)
        if group:
            x = left + fm_name.horizontalAdvance(name) + 6
            pill = QRectF(x, top + (line_h - fm_small.height() - 2) / 2, group_width, fm_small.height() + 2)
            path = QPainterPath()
            path.addRoundedRect(pill, pill.height() / 2, pill.height() / 2)
            painter.fillPath(path, QColor("#f1f3f6"))
            painter.setFont(small)
            painter.setPen(theme.TEXT_MUTED)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter,
                             fm_small.elidedText(group, Qt.TextElideMode.ElideRight, int(group_width - 10)))

        # Second line: the preview, and the unread badge at the right.
        second = top + line_h + 4
        badge_width = 0.0
        if entry.unread:
            count = str(entry.unread) if entry.unread < 1000 else "999+"
            badge_font = QFont(small)
            badge_font.setBold(True)
            fm_badge = QFontMetrics(badge_font)
            badge_h = fm_badge.height() + 2
            badge_width = max(badge_h, fm_badge.horizontalAdvance(count) + 12)
            badge = QRectF(right - badge_width, second, badge_width, badge_h)
            path = QPainterPath()
            path.addRoundedRect(badge, badge_h / 2, badge_h / 2)
            painter.fillPath(path, theme.ACCENT)
            painter.setFont(badge_font)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, count)
        preview = " ".join(entry.preview.split()) or self._placeholder(entry)
        painter.setFont(base)
        fm = QFontMetrics(base)
        width = right - left - badge_width - (8 if badge_width else 0)
        painter.setPen(theme.TEXT if entry.unread else theme.TEXT_FAINT if faded else theme.TEXT_MUTED)
        painter.drawText(QRectF(left, second, width, fm.height()),
                         ONE_LINE,
                         fm.elidedText(preview, Qt.TextElideMode.ElideRight, int(width)))
        painter.restore()

    def _placeholder(self, entry: ChatEntry) -> str:
        if entry.kind == ChatKind.EVERYONE:
            n = len(entry.members)
            return self.tr("%n online", "", n) if n else self.tr("No one is online")
        if entry.kind == ChatKind.ROOM:
            return self.tr("%n members", "", len(entry.members))
        if entry.contact is not None and not entry.online:
            return self.tr("Offline")
        return self.tr("Say hello 👋")


class ChatsProxy(QSortFilterProxyModel):
    """Filters the chats list by name or group as the person types."""

    def __init__(self, source: ContactsModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.setFilterRole(ContactsModel.FilterRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class SearchBox(QLineEdit):
    """Esc clears; Down moves into the list."""

    escape_pressed = Signal()
    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class ChatList(QListView):
    """Enter opens the current chat, as a double-click does; files dropped on a row go to that chat."""

    open_requested = Signal(QModelIndex)
    files_dropped = Signal(QModelIndex, object)  # the row, list[Path]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_files(event.mimeData()) and self.indexAt(event.position().toPoint()).isValid():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        paths = local_files(event.mimeData())
        if not index.isValid() or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(index, paths)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ContactsPane(QWidget):
    """Search box over the chats list; Enter in the box searches the whole history."""

    chat_activated = Signal(str)
    files_dropped = Signal(str, object)  # chat id, list[Path]
    result_activated = Signal(MessageRecord)
    details_requested = Signal(str)
    history_search = Signal(str)

    def __init__(self, model: ContactsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = ChatsProxy(model)
        self.search = SearchBox()
        self.search.setObjectName("Search")
        self.search.setPlaceholderText(self.tr("Search — Enter finds messages"))  # again on LanguageChange
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_filter)
        self.search.returnPressed.connect(self._on_search_history)
        self.search.escape_pressed.connect(self.clear_search)
        self.list = ChatList()
        self.list.setObjectName("Contacts")
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(ContactsDelegate(self.list))
        self.list.setMouseTracking(True)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.doubleClicked.connect(self._on_open)
        self.list.open_requested.connect(self._on_open)
        self.list.setAcceptDrops(True)
        self.list.setDropIndicatorShown(True)
        self.list.files_dropped.connect(self._on_files_dropped)
        self.search.down_pressed.connect(self._focus_list)

        self.results_model = QStandardItemModel(self)
        self.results = ChatList()
        self.results.setObjectName("SearchResults")
        self.results.setModel(self.results_model)
        self.results.setItemDelegate(SearchResultDelegate(self.results))
        self.results.setMouseTracking(True)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.activated.connect(self._on_result)
        self.results.clicked.connect(self._on_result)
        self.results.open_requested.connect(self._on_result)
        self.results_title = QLabel()
        self.results_title.setObjectName("SectionTitle")
        self.results_title.setContentsMargins(16, 6, 16, 2)
        results_page = QWidget()
        results_layout = QVBoxLayout(results_page)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.results_title)
        results_layout.addWidget(self.results, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(results_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        search_row = QVBoxLayout()
        search_row.setContentsMargins(12, 0, 12, 4)
        search_row.addWidget(self.search)
        layout.addLayout(search_row)
        layout.addWidget(self.stack, 1)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.search.setPlaceholderText(self.tr("Search — Enter finds messages"))

    @Slot(str)
    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if self.stack.currentIndex() != 0:
            self.stack.setCurrentIndex(0)

    @Slot()
    def _focus_list(self) -> None:
        view = self.list if self.stack.currentIndex() == 0 else self.results
        view.setFocus()
        if not view.currentIndex().isValid() and view.model().rowCount() > 0:
            view.setCurrentIndex(view.model().index(0, 0))

    @Slot()
    def clear_search(self) -> None:
        self.search.clear()
        self.stack.setCurrentIndex(0)

    @Slot()
    def _on_search_history(self) -> None:
        text = self.search.text().strip()
        if text:
            self.history_search.emit(text)

    def show_results(self, query: str, records: list[MessageRecord], name_of: dict[str, str]) -> None:
        """Show history search results (newest first); activating one jumps to it."""
        self.results_model.clear()
        for record in records:
            self.results_model.appendRow(result_item(record, query, name_of.get(record.chat, record.chat[:8])))
        self.results_title.setText(
            self.tr("%n message(s) found", "", len(records)) if records
            else self.tr("No messages contain “{0}”").format(query)
        )
        self.stack.setCurrentIndex(1)

    @Slot(QModelIndex)
    def _on_files_dropped(self, index: QModelIndex, paths: list[Path]) -> None:
        chat_id = self.proxy.data(index, ContactsModel.IdRole)
        if chat_id:
            self.files_dropped.emit(str(chat_id), paths)

    def _on_open(self, index: QModelIndex) -> None:
        chat_id = index.data(ContactsModel.IdRole)
        if chat_id:
            self.chat_activated.emit(str(chat_id))

    @Slot(QModelIndex)
    def _on_result(self, index: QModelIndex) -> None:
        record = index.data(Qt.ItemDataRole.UserRole)
        if isinstance(record, MessageRecord):
            self.result_activated.emit(record)

    def select_chat(self, chat_id: str) -> None:
        row = self.model.row_of(chat_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row))
            if index.isValid():
                self.list.setCurrentIndex(index)
