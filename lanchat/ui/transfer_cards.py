"""Picture and file cards inside a chat: name, size, progress, speed, ETA and their buttons.

Written against the TransferService API (`runtime.transfers`): `transfer_changed(TransferView)`
and `transfers()`. Without a service, cards show what the history knows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QImageReader, QPainter, QPainterPath

from lanchat.core.history.records import EntryKind, MessageRecord
from lanchat.core.transfers_model import per_mille as per_mille_of
from lanchat.ui import theme
from lanchat.ui.untrusted import clean_file_name, human_size

log = logging.getLogger("lanchat.ui.transfer_cards")

PAD = 12.0
THUMB_MAX_W = 260.0
THUMB_MAX_H = 220.0
CARD_W = 330.0
BUTTON_H = 28.0


translate = QCoreApplication.translate


@dataclass(frozen=True)
class CardData:
    """What a card shows: a TransferView when the service knows the tid, else the history entry."""

    tid: str
    direction: str
    kind: str
    files: tuple[tuple[str, int, str | None], ...]
    state: str
    bytes_done: int = 0
    total: int = 0
    speed_bps: float = 0.0
    eta_s: float | None = None
    reason: str | None = None
    thumb: bytes | None = None
    needs_decision: bool = False
    source: str | None = None

    @property
    def per_mille(self) -> int:
        """Progress in 0..1000 (what the progress bar shows)."""
        return per_mille_of(self.bytes_done, self.total)


@dataclass
class CardLayout:
    size: QSize
    thumb: QRectF | None = None
    icon: QRectF | None = None
    name: QRectF | None = None
    detail: QRectF | None = None
    progress: QRectF | None = None
    buttons: list[tuple[str, str, QRectF]] = field(default_factory=list)


def file_tuples(files: Any) -> tuple[tuple[str, int, str | None], ...]:
    """(path, size, saved_as) of each file, whether given as TransferFile objects or as tuples."""
    result = []
    for f in files:
        if isinstance(f, tuple):
            result.append((str(f[0]), int(f[1]), f[2] if len(f) > 2 else None))
        else:
            result.append((str(f.path), int(f.size), getattr(f, "saved_as", None)))
    return tuple(result)


def speed_text(bps: float) -> str:
    return human_size(int(bps)) + "/s"


def eta_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    if s < 60:
        return translate("TransferCards", "{0} s left").format(s)
    if s < 3600:
        return translate("TransferCards", "{0} min left").format(s // 60 + (1 if s % 60 >= 30 else 0))
    return translate("TransferCards", "{0} h {1} min left").format(s // 3600, (s % 3600) // 60)


def state_text(data: CardData) -> str:
    if data.state == "offered":
        if data.direction == "in":
            return (
                translate("TransferCards", "Wants to send you this")
                if data.needs_decision
                else translate("TransferCards", "Offered")
            )
        return translate("TransferCards", "Waiting for them to accept…")
    return {
        "accepted": translate("TransferCards", "Starting…"),
        "rejected": translate("TransferCards", "Declined")
        + (f" ({data.reason})" if data.reason and data.reason != "declined" else ""),
        "done": translate("TransferCards", "Received")
        if data.direction == "in"
        else translate("TransferCards", "Sent"),
        "failed": translate("TransferCards", "Failed") + (f": {data.reason}" if data.reason else ""),
        "cancelled": translate("TransferCards", "Cancelled"),
        "progress": "",
    }.get(data.state, data.state)


class CardPainter(QObject):
    """Measures, paints and hit-tests cards; keeps the latest TransferView per tid."""

    #: A transfer moved on (its tid): chat views repaint that entry.
    changed = Signal(str)

    def __init__(self, transfers: Any | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views: dict[str, Any] = {}
        self.can_retry = transfers is not None and callable(getattr(transfers, "retry", None))
        self._images: dict[tuple[str, str], QImage] = {}
        if transfers is not None:
            listing = getattr(transfers, "transfers", None)
            for view in listing() if callable(listing) else ():
                self._views[view.tid] = view
            transfers.transfer_changed.connect(self.on_transfer_changed)

    @Slot(object)
    def on_transfer_changed(self, view: Any) -> None:
        self._views[view.tid] = view
        self.changed.emit(view.tid)

    def view(self, tid: str) -> Any | None:
        return self._views.get(tid)

    def data(self, record: MessageRecord) -> CardData:
        view = self._views.get(record.mid)
        if view is not None:
            return CardData(
                view.tid,
                view.direction,
                view.kind,
                file_tuples(view.files),
                view.state,
                view.bytes_done,
                view.total,
                view.speed_bps,
                view.eta_s,
                view.reason,
                view.thumb,
                view.needs_decision,
                record.files[0].source if record.files else None,
            )
        files = tuple((f.path, f.size, f.saved_as) for f in record.files)
        done = sum(f.have for f in record.files)
        total = sum(f.size for f in record.files)
        return CardData(
            record.mid,
            record.direction,
            record.kind,
            files,
            record.state,
            done,
            total,
            source=record.files[0].source if record.files else None,
        )

    # --- images -------------------------------------------------------------------------

    def image(self, data: CardData) -> QImage | None:
        """The picture to show: the file itself when we have it, else the offer's thumbnail."""
        local = data.source if data.direction == "out" else (data.files[0][2] if data.files else None)
        key = (data.tid, local or "thumb")
        if key in self._images:
            return self._images[key]
        image = QImage()
        if local:
            reader = QImageReader(local)
            reader.setAutoTransform(True)
            size = reader.size()
            if size.isValid() and size.width() > 0:
                scale = min(1.0, 2 * THUMB_MAX_W / size.width())
                reader.setScaledSize(QSize(int(size.width() * scale), int(size.height() * scale)))
            image = reader.read()
        if image.isNull() and data.thumb:
            image.loadFromData(data.thumb)
        if image.isNull():
            return None
        self._images[key] = image
        return image

    # --- layout ---------------------------------------------------------------------------

    def layout(self, record: MessageRecord, own: bool, font: QFont, max_width: float) -> CardLayout:
        data = self.data(record)
        fm = QFontMetricsF(font)
        small = QFontMetricsF(_small(font))
        width = min(max_width, CARD_W)
        y = PAD
        result = CardLayout(QSize())
        image = self.image(data) if record.kind == EntryKind.IMAGE else None
        if image is not None:
            scale = min(THUMB_MAX_W / image.width(), THUMB_MAX_H / image.height(), 1.0 * max_width / image.width())
            w, h = max(120.0, image.width() * scale), max(60.0, image.height() * scale)
            width = min(max_width, max(w + 2 * 6, 200.0))
            result.thumb = QRectF((width - w) / 2, 6, w, h)
            y = 6 + h + 8
        else:
            result.icon = QRectF(PAD, y, 40, 40)
            result.name = QRectF(PAD + 50, y, width - PAD * 2 - 50, fm.height())
            result.detail = QRectF(PAD + 50, y + fm.height() + 2, width - PAD * 2 - 50, small.height())
            y += 44
        if image is not None:
            result.detail = QRectF(PAD, y, width - 2 * PAD, small.height())
            y += small.height() + 4
        if data.state in ("accepted", "progress"):
            result.progress = QRectF(PAD, y + 4, width - 2 * PAD, 6)
            y += 14 + small.height()
        labels = self.actions(data)
        if labels:
            x = PAD
            y += 6
            for action, label in labels:
                w = fm.horizontalAdvance(label) + 24
                result.buttons.append((action, label, QRectF(x, y, w, BUTTON_H)))
                x += w + 8
            y += BUTTON_H
        if result.buttons or result.progress is not None:
            y += 4 + small.height() + PAD / 2  # a line for the time, drawn by the message delegate
        elif result.detail is not None:
            result.detail.setWidth(result.detail.width() - 56)  # the time goes at the end of this line
            y = max(result.detail.bottom() + 7, result.icon.bottom() + 8 if result.icon is not None else 0)
        result.size = QSize(int(width), int(y + 0.99))
        return result

    def actions(self, data: CardData) -> list[tuple[str, str]]:
        if data.tid not in self._views:
            return []
        if data.direction == "in" and data.state == "offered" and data.needs_decision:
            return [
                ("accept", translate("TransferCards", "Accept")),
                ("decline", translate("TransferCards", "Decline")),
            ]
        if data.state in ("offered", "accepted", "progress"):
            return [("cancel", translate("TransferCards", "Cancel"))]
        if data.state == "failed" and self.can_retry:
            return [("retry", translate("TransferCards", "Retry"))]
        if data.state == "done" and data.direction == "in" and data.kind != EntryKind.IMAGE:
            return [
                ("open", translate("TransferCards", "Open")),
                ("folder", translate("TransferCards", "Show in folder")),
            ]
        return []

    def size(self, record: MessageRecord, own: bool, font: QFont, max_width: float) -> QSize:
        return self.layout(record, own, font, max_width).size

    def action_at(self, record: MessageRecord, own: bool, font: QFont, max_width: float, pos: QPointF) -> str | None:
        """The button (or the picture: "view") under `pos`, relative to the card."""
        layout = self.layout(record, own, font, max_width)
        for action, _label, rect in layout.buttons:
            if rect.contains(pos):
                return action
        if layout.thumb is not None and layout.thumb.contains(pos):
            return "view"
        return None

    # --- painting ---------------------------------------------------------------------------

    def paint(self, painter: QPainter, record: MessageRecord, own: bool, font: QFont, rect: QRectF) -> None:
        data = self.data(record)
        layout = self.layout(record, own, font, rect.width())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QPainterPath()
        card.addRoundedRect(QRectF(0, 0, layout.size.width(), layout.size.height()), 16, 16)
        if not own:
            painter.fillPath(card.translated(0, 1), QColor(0, 0, 0, 14))
        painter.fillPath(card, QColor("#dfe6fd") if own else theme.THEIR_BUBBLE)
        small = _small(font)
        if layout.thumb is not None:
            image = self.image(data)
            clip = QPainterPath()
            clip.addRoundedRect(layout.thumb, 12, 12)
            painter.save()
            painter.setClipPath(clip)
            if image is not None:
                painter.drawImage(layout.thumb, image)
            painter.restore()
        if layout.icon is not None:
            icon = QPainterPath()
            icon.addRoundedRect(layout.icon, 10, 10)
            painter.fillPath(icon, theme.ACCENT_SOFT if not own else QColor("#ffffff"))
            emoji_font = QFont(font)
            emoji_font.setPixelSize(20)
            painter.setFont(emoji_font)
            glyph = "🖼" if data.kind == EntryKind.IMAGE else ("📁" if len(data.files) > 1 else "📄")
            painter.drawText(layout.icon, Qt.AlignmentFlag.AlignCenter, glyph)
        if layout.name is not None:
            bold = QFont(font)
            bold.setWeight(QFont.Weight.DemiBold)
            painter.setFont(bold)
            painter.setPen(theme.TEXT)
            painter.drawText(
                layout.name,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                QFontMetricsF(bold).elidedText(self.title(data), Qt.TextElideMode.ElideMiddle, layout.name.width()),
            )
        if layout.detail is not None:
            painter.setFont(small)
            painter.setPen(theme.FAILED if data.state == "failed" else theme.TEXT_MUTED)
            detail = "  ·  ".join(p for p in (human_size(sum(f[1] for f in data.files)), state_text(data)) if p)
            painter.drawText(
                layout.detail,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                QFontMetricsF(small).elidedText(detail, Qt.TextElideMode.ElideRight, layout.detail.width()),
            )
        if layout.progress is not None:
            self._paint_progress(painter, layout.progress, data, small)
        for action, label, button in layout.buttons:
            path = QPainterPath()
            path.addRoundedRect(button, BUTTON_H / 2, BUTTON_H / 2)
            primary = action in ("accept", "open", "retry")
            painter.fillPath(path, theme.ACCENT if primary else QColor("#eef1f6"))
            painter.setFont(font)
            painter.setPen(QColor("#ffffff") if primary else theme.TEXT)
            painter.drawText(button, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()

    def _paint_progress(self, painter: QPainter, rect: QRectF, data: CardData, small: QFont) -> None:
        per_mille = data.per_mille
        track = QPainterPath()
        track.addRoundedRect(rect, 3, 3)
        painter.fillPath(track, QColor("#e3e6eb"))
        if per_mille:
            done = QPainterPath()
            done.addRoundedRect(QRectF(rect.left(), rect.top(), rect.width() * per_mille / 1000, rect.height()), 3, 3)
            painter.fillPath(done, theme.ACCENT)
        text = f"{per_mille / 10:.0f} %"
        if data.speed_bps:
            text += "  ·  " + speed_text(data.speed_bps)
        if data.eta_s is not None:
            text += "  ·  " + eta_text(data.eta_s)
        painter.setFont(small)
        painter.setPen(theme.TEXT_MUTED)
        painter.drawText(
            QRectF(rect.left(), rect.bottom() + 3, rect.width(), QFontMetricsF(small).height()),
            Qt.AlignmentFlag.AlignLeft,
            text,
        )

    def title(self, data: CardData) -> str:
        if not data.files:
            return translate("TransferCards", "Files")
        first = clean_file_name(data.files[0][0].rsplit("/", 1)[-1])
        if len(data.files) == 1:
            return first
        top = clean_file_name(data.files[0][0].split("/", 1)[0])
        if all(f[0].startswith(top + "/") for f in data.files):
            return translate("TransferCards", "{0} (folder, {1} files)").format(top, len(data.files))
        return translate("TransferCards", "{0} and {1} more").format(first, len(data.files) - 1)


def _small(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() - 2))
    return small
