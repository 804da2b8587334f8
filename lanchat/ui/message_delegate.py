"""Paints chat entries: bubbles (ours right, theirs left), day separators, time and delivery state."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QDateTime, QLocale, QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from lanchat.core.chat_model import ChatModel
from lanchat.core.history.records import EntryKind, MessageRecord, MessageState
from lanchat.ui import theme
from lanchat.ui.transfer_cards import CardAction, CardPainter
from lanchat.ui.untrusted import clean_message, clean_name, only_emoji, split_links

log = logging.getLogger("lanchat.ui.message_delegate")

Index = QModelIndex | QPersistentModelIndex

PAD_X = 12.0
PAD_Y = 7.0
SIDE = 16.0
RADIUS = 16.0
DAY_HEIGHT = 40.0
MAX_BUBBLE = 0.68
CACHE_SIZE = 600


@dataclass
class Geometry:
    """Where the parts of one entry go, relative to the row's top-left corner."""

    height: float
    day: QRectF | None
    name: QRectF | None
    bubble: QRectF
    text: QPointF
    meta: QRectF
    failed: QRectF | None
    doc: QTextDocument | None = None


class MessageDelegate(QStyledItemDelegate):
    """Bubbles for text entries; transfer entries are handed to `card_painter` when one is set."""

    def __init__(self, parent: QWidget | None = None, show_names: bool = False) -> None:
        super().__init__(parent)
        self.show_names = show_names
        self._docs: OrderedDict[tuple[str, bool, int], QTextDocument] = OrderedDict()
        #: Paints and measures picture/file entries (ui.transfer_cards.CardPainter).
        self.card_painter: CardPainter | None = None
        #: The row id of the entry a search jumped to: it is marked for a while.
        self.highlighted: int | None = None

    # --- text documents (built by us from plain text, links found by us) ------------

    def _font(self, base: QFont, record: MessageRecord) -> QFont:
        font = QFont(base)
        if only_emoji(record.text):
            font.setPixelSize(34)
        return font

    def document(self, record: MessageRecord, own: bool, base: QFont, width: int) -> QTextDocument:
        key = (record.mid + record.sender, own, width)
        doc = self._docs.get(key)
        if doc is not None:
            self._docs.move_to_end(key)
            return doc
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(self._font(base, record))
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(option)
        cursor = QTextCursor(doc)
        plain = QTextCharFormat()
        plain.setForeground(theme.OWN_TEXT if own else theme.THEIR_TEXT)
        for span in split_links(clean_message(record.text)):
            if span.href is None:
                cursor.insertText(span.text, plain)
            else:
                link = QTextCharFormat(plain)
                link.setAnchor(True)
                link.setAnchorHref(span.href)
                link.setFontUnderline(True)
                link.setForeground(theme.OWN_LINK if own else theme.LINK)
                cursor.insertText(span.text, link)
        doc.setTextWidth(width)
        ideal = doc.idealWidth()
        doc.setTextWidth(ideal + 1)
        self._docs[key] = doc
        if len(self._docs) > CACHE_SIZE:
            self._docs.popitem(last=False)
        return doc

    def forget(self) -> None:
        self._docs.clear()

    # --- geometry ---------------------------------------------------------------------

    def geometry(self, option: QStyleOptionViewItem, index: Index) -> Geometry:
        record: MessageRecord = index.data(ChatModel.RecordRole)
        own = bool(index.data(ChatModel.OwnRole))
        width = float(option.rect.width())
        base = QFont(option.font)
        small = _small(base)
        fm_small = QFontMetricsF(small)
        y = 0.0
        day = None
        if index.data(ChatModel.DayBreakRole):
            day = QRectF(0, 6, width, DAY_HEIGHT - 12)
            y += DAY_HEIGHT
        group_start = bool(index.data(ChatModel.GroupStartRole))
        y += 6 if group_start and day is None else 2
        name = None
        if self.show_names and not own and group_start:
            name = QRectF(SIDE + 4, y, width - 2 * SIDE, fm_small.height() + 2)
            y += name.height()
        max_width = max(160.0, (width - 2 * SIDE) * MAX_BUBBLE)
        meta_width = fm_small.horizontalAdvance(self.meta_text(record, own)) + 4
        if record.kind != EntryKind.TEXT and self.card_painter is not None:
            size = self.card_painter.size(record, own, base, max_width, _members(index))
            bubble_w, bubble_h = float(size.width()), float(size.height())
            text_pos = QPointF(0, 0)
            doc = None
            meta = QRectF(bubble_w - PAD_X - meta_width, bubble_h - PAD_Y - fm_small.height(),
                          meta_width, fm_small.height())
        else:
            doc = self.document(record, own, base, int(max_width - 2 * PAD_X))
            text_w = doc.idealWidth()
            text_h = doc.size().height()
            last_line = _last_line_width(doc)
            inner = max_width - 2 * PAD_X
            if last_line + meta_width + 10 <= inner:
                content_w = max(text_w, last_line + meta_width + 10)
                content_h = max(text_h, fm_small.height())
                meta = QRectF(PAD_X + content_w - meta_width, PAD_Y + content_h - fm_small.height(),
                              meta_width, fm_small.height())
            else:
                content_w = max(text_w, meta_width)
                content_h = text_h + fm_small.height()
                meta = QRectF(PAD_X + content_w - meta_width, PAD_Y + text_h, meta_width, fm_small.height())
            bubble_w = content_w + 2 * PAD_X
            bubble_h = content_h + 2 * PAD_Y
            text_pos = QPointF(PAD_X, PAD_Y)
        x = width - SIDE - bubble_w if own else SIDE
        bubble = QRectF(x, y, bubble_w, bubble_h)
        meta.translate(x, y)
        text_pos += QPointF(x, y)
        y += bubble_h
        failed = None
        if own and record.state == MessageState.FAILED:
            failed = QRectF(SIDE, y + 2, width - 2 * SIDE, fm_small.height() + 2)
            y += failed.height() + 2
        return Geometry(y + 2, day, name, bubble, text_pos, meta, failed, doc)

    def meta_text(self, record: MessageRecord, own: bool) -> str:
        time = QDateTime.fromMSecsSinceEpoch(record.ts).toString("HH:mm")
        if not own or record.kind != EntryKind.TEXT:
            return time
        mark = {"pending": "  ⏳", "delivered": "  ✓", "read": "  ✓✓", "failed": "  ⚠"}.get(str(record.state), "")
        return time + mark

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        geometry = self.geometry(option, index)
        return QSize(option.rect.width(), int(geometry.height + 0.99))

    # --- painting -----------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        record = index.data(ChatModel.RecordRole)
        if not isinstance(record, MessageRecord):
            return
        own = bool(index.data(ChatModel.OwnRole))
        g = self.geometry(option, index)
        origin = QPointF(option.rect.topLeft())
        base = QFont(option.font)
        small = _small(base)
        painter.save()
        painter.translate(origin)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if g.day is not None:
            self._paint_day(painter, g.day, record.ts, small)
        if g.name is not None:
            painter.setFont(_bold(small))
            painter.setPen(theme.avatar_color(record.sender).darker(125))
            name = clean_name(str(index.data(ChatModel.SenderNameRole) or ""))
            painter.drawText(g.name, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                             | Qt.TextFlag.TextDontClip, name)

        if self.highlighted is not None and record.row_id == self.highlighted:
            mark = QPainterPath()
            mark.addRoundedRect(g.bubble.adjusted(-4, -3, 4, 3), RADIUS + 3, RADIUS + 3)
            painter.fillPath(mark, theme.MATCH)
        if record.kind != EntryKind.TEXT and self.card_painter is not None:
            painter.save()
            painter.translate(g.bubble.topLeft())
            self.card_painter.paint(painter, record, own, base, QRectF(QPointF(0, 0), g.bubble.size()),
                                    _members(index))
            painter.restore()
        else:
            path = QPainterPath()
            path.addRoundedRect(g.bubble, RADIUS, RADIUS)
            if not own:
                painter.fillPath(path.translated(0, 1), QColor(0, 0, 0, 14))
            painter.fillPath(path, theme.OWN_BUBBLE if own else theme.THEIR_BUBBLE)
            doc = g.doc
            assert doc is not None
            painter.save()
            painter.translate(g.text)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette.setColor(QPalette.ColorRole.Text, theme.OWN_TEXT if own else theme.THEIR_TEXT)
            doc.documentLayout().draw(painter, context)
            painter.restore()
        painter.setFont(small)
        meta_color = QColor(255, 255, 255, 200) if own and record.kind == EntryKind.TEXT else theme.TEXT_FAINT
        if own and record.state == MessageState.READ and record.kind == EntryKind.TEXT:
            meta_color = QColor("#d7f5ff")
        painter.setPen(meta_color)
        painter.drawText(g.meta, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         self.meta_text(record, own))
        if g.failed is not None:
            painter.setPen(theme.FAILED)
            painter.drawText(g.failed, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             self.tr("⚠ Not delivered"))
        painter.restore()

    def _paint_day(self, painter: QPainter, rect: QRectF, ts: int, font: QFont) -> None:
        text = day_label(ts, self.tr("Today"), self.tr("Yesterday"))
        bold = _bold(font)
        width = QFontMetricsF(bold).horizontalAdvance(text) + 24
        pill = QRectF(rect.center().x() - width / 2, rect.top() + 4, width, rect.height() - 8)
        path = QPainterPath()
        path.addRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.fillPath(path, QColor("#dde2ea"))
        painter.setFont(bold)
        painter.setPen(QColor("#4b5563"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)

    # --- hit testing -------------------------------------------------------------------------

    def anchor_at(self, option: QStyleOptionViewItem, index: Index, pos: QPointF) -> str | None:
        """The link under `pos` (view coordinates), if any."""
        record = index.data(ChatModel.RecordRole)
        if not isinstance(record, MessageRecord) or record.kind != EntryKind.TEXT:
            return None
        g = self.geometry(option, index)
        local = pos - QPointF(option.rect.topLeft()) - g.text
        if g.doc is None:
            return None
        href = g.doc.documentLayout().anchorAt(local)
        return href or None

    def card_action_at(
        self, option: QStyleOptionViewItem, index: Index, pos: QPointF
    ) -> tuple[CardAction, MessageRecord] | None:
        """The card button (or VIEW for a picture) under `pos` (view coordinates), and the entry it is for."""
        record = index.data(ChatModel.RecordRole)
        if not isinstance(record, MessageRecord) or record.kind == EntryKind.TEXT or self.card_painter is None:
            return None
        g = self.geometry(option, index)
        width = float(option.rect.width())
        max_width = max(160.0, (width - 2 * SIDE) * MAX_BUBBLE)
        local = pos - QPointF(option.rect.topLeft()) - g.bubble.topLeft()
        own = bool(index.data(ChatModel.OwnRole))
        return self.card_painter.action_at(record, own, QFont(option.font), max_width, local, _members(index))

    def entry_at(self, option: QStyleOptionViewItem, index: Index, pos: QPointF) -> MessageRecord | None:
        """The entry under `pos` (view coordinates): an album's picture there, else the row's entry."""
        record = index.data(ChatModel.RecordRole)
        if not isinstance(record, MessageRecord):
            return None
        if record.kind == EntryKind.TEXT or self.card_painter is None:
            return record
        g = self.geometry(option, index)
        max_width = max(160.0, (float(option.rect.width()) - 2 * SIDE) * MAX_BUBBLE)
        local = pos - QPointF(option.rect.topLeft()) - g.bubble.topLeft()
        own = bool(index.data(ChatModel.OwnRole))
        return self.card_painter.entry_at(record, own, QFont(option.font), max_width, local, _members(index))

    def bubble_rect(self, option: QStyleOptionViewItem, index: Index) -> QRectF:
        g = self.geometry(option, index)
        return g.bubble.translated(QPointF(option.rect.topLeft()))


def day_label(ts: int, today: str, yesterday: str) -> str:
    date = QDateTime.fromMSecsSinceEpoch(ts).date()
    now = QDateTime.currentDateTime().date()
    if date == now:
        return today
    if date.daysTo(now) == 1:
        return yesterday
    return QLocale().toString(date, QLocale.FormatType.LongFormat)


def _last_line_width(doc: QTextDocument) -> float:
    block = doc.lastBlock()
    layout = block.layout()
    if layout is None or layout.lineCount() == 0:
        return 0.0
    return float(layout.lineAt(layout.lineCount() - 1).naturalTextWidth())


def _small(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(7.0, base.pointSizeF() - 2))
    return font


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setWeight(QFont.Weight.DemiBold)
    return bold


def _members(index: Index) -> list[MessageRecord]:
    """An album row's entries (the card shows them all); a lone entry's is just itself."""
    members = index.data(ChatModel.AlbumRole)
    return members if isinstance(members, list) else []
