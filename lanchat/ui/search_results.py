"""History search results: who and when, then the words around the match with the match marked."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDateTime, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPainterPath, QStandardItem
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from lanchat.core.history.records import MessageRecord
from lanchat.ui import theme
from lanchat.ui.elided_label import line_height
from lanchat.ui.untrusted import clean_message, clean_name

Index = QModelIndex | QPersistentModelIndex

#: Characters shown before the match, so that it stays in view in a narrow sidebar.
BEFORE = 24
SNIPPET_CHARS = 160
RecordRole = Qt.ItemDataRole.UserRole
HitRole = Qt.ItemDataRole.UserRole + 1
ONE_LINE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip


@dataclass(frozen=True)
class Hit:
    """One result as shown: `title` (chat · time), the `snippet`, and where the match is in it."""

    title: str
    snippet: str
    start: int
    length: int

    @property
    def parts(self) -> tuple[str, str, str]:
        """The snippet before, at and after the match."""
        end = self.start + self.length
        return self.snippet[: self.start], self.snippet[self.start : end], self.snippet[end:]


def snippet_of(text: str, query: str) -> tuple[str, int, int]:
    """The words around the first match of `query` in `text` (one line), and the match's place in them."""
    flat = " ".join(clean_message(text).split())
    at = flat.casefold().find(query.casefold())
    if at < 0:  # the index matched what casefold() cannot find again: show the start
        return flat[:SNIPPET_CHARS], 0, 0
    first = max(0, at - BEFORE)
    prefix = "…" if first else ""
    shown = flat[first : first + SNIPPET_CHARS]
    suffix = "…" if first + SNIPPET_CHARS < len(flat) else ""
    return prefix + shown + suffix, len(prefix) + at - first, len(query)


def result_item(record: MessageRecord, query: str, chat_name: str) -> QStandardItem:
    when = QDateTime.fromMSecsSinceEpoch(record.ts).toString("yyyy-MM-dd HH:mm")
    snippet, start, length = snippet_of(record.text, query)
    hit = Hit(f"{clean_name(chat_name)}  ·  {when}", snippet, start, length)
    item = QStandardItem(f"{hit.title}\n{snippet}")
    item.setData(record, RecordRole)
    item.setData(hit, HitRole)
    item.setToolTip(clean_message(record.text)[:1000])
    return item


class SearchResultDelegate(QStyledItemDelegate):
    """Two lines: the chat and time, then the snippet with the match in bold on the accent's soft colour."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        small = _small(option.font)
        return QSize(0, line_height(small) + line_height(option.font) + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit = index.data(HitRole)
        if not isinstance(hit, Hit):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect).adjusted(6, 1, -6, -1)
        if option.state & (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_MouseOver):
            path = QPainterPath()
            path.addRoundedRect(rect, 8, 8)
            selected = option.state & QStyle.StateFlag.State_Selected
            painter.fillPath(path, theme.SELECTION if selected else theme.HOVER)
        left, width = rect.left() + 10, rect.width() - 20
        small = _small(option.font)
        top_h = line_height(small)
        painter.setFont(small)
        painter.setPen(theme.TEXT_MUTED)
        painter.drawText(QRectF(left, rect.top() + 5, width, top_h), ONE_LINE,
                         QFontMetricsF(small).elidedText(hit.title, Qt.TextElideMode.ElideRight, width))
        self._paint_snippet(painter, QFont(option.font), hit, QRectF(left, rect.top() + 7 + top_h, width,
                                                                      line_height(option.font)))
        painter.restore()

    def _paint_snippet(self, painter: QPainter, font: QFont, hit: Hit, rect: QRectF) -> None:
        """Before, match (bold, marked) and after, cut with "…" where the line ends."""
        bold = QFont(font)
        bold.setBold(True)
        x, right = rect.left(), rect.right()
        for text, is_match in zip(hit.parts, (False, True, False), strict=True):
            if not text or x >= right:
                continue
            metrics = QFontMetricsF(bold if is_match else font)
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, right - x)
            advance = metrics.horizontalAdvance(shown)
            if is_match:
                mark = QPainterPath()
                mark.addRoundedRect(QRectF(x - 1, rect.top() + 1, advance + 2, rect.height() - 2), 3, 3)
                painter.fillPath(mark, theme.MATCH)
            painter.setFont(bold if is_match else font)
            painter.setPen(theme.TEXT)
            painter.drawText(QRectF(x, rect.top(), advance + 1, rect.height()), ONE_LINE, shown)
            x += advance


def _small(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.5, font.pointSizeF() - 1.5))
    return small
