"""Picture and file cards inside a chat: name, size, progress, speed, ETA and their buttons.

Cards follow `TransferService.transfer_changed`; a transfer of an earlier run shows what history knows.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QImageReader, QPainter, QPainterPath

from lanchat.core.history.records import Direction, MessageRecord
from lanchat.core.transfers.model import per_mille
from lanchat.core.transfers.offers import FileFailure, OfferKind, RejectReason
from lanchat.core.transfers.service import EXPIRED, TransferService
from lanchat.core.transfers.state import TransferState
from lanchat.core.transfers.transfer import TransferFile, TransferView
from lanchat.ui import theme
from lanchat.ui.untrusted import clean_file_name, clean_name, human_size

log = logging.getLogger("lanchat.ui.transfer_cards")

PAD = 12.0
THUMB_MAX_W = 260.0
THUMB_MAX_H = 220.0
CARD_W = 330.0
BUTTON_H = 28.0
#: One line, centred in its box and never clipped to it: a line with Chinese in it is laid out with a
#: taller fallback font, and clipping to the primary font's height cut off underscores.
ONE_LINE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip
#: The reason `TransferService` gives a cancel that came from the other side.
CANCELLED_BY_PEER = "cancelled by the other side"


translate = QCoreApplication.translate


@dataclass(frozen=True)
class CardData:
    """What a card shows: the service's view of the transfer (or one made from history), and its source."""

    view: TransferView
    source: str | None = None  # outgoing: the local file sent
    live: bool = False  # the service knows the transfer: its buttons apply

    @property
    def per_mille(self) -> int:
        """Progress in 0..1000 (what the progress bar shows)."""
        return per_mille(self.view.bytes_done, self.view.total)


def view_of_record(record: MessageRecord) -> TransferView:
    """What history knows of a transfer entry, as a view (for transfers of earlier runs)."""
    files = tuple(TransferFile(f.path, f.size, f.saved_as, f.sha256, f.ok) for f in record.files)
    return TransferView(
        record.mid, Direction(record.direction), record.sender if record.direction == Direction.IN else record.chat,
        OfferKind(record.kind), files,
        TransferState(record.state), sum(f.have for f in record.files), sum(f.size for f in record.files),
        room=record.room,
    )


class CardAction(StrEnum):
    """What a click on a card asks for."""

    ACCEPT = "accept"
    DECLINE = "decline"
    CANCEL = "cancel"
    RETRY = "retry"
    OPEN = "open"
    FOLDER = "folder"
    VIEW = "view"  # the picture itself


@dataclass
class CardLayout:
    size: QSize
    thumb: QRectF | None = None
    icon: QRectF | None = None
    name: QRectF | None = None
    detail: QRectF | None = None
    progress: QRectF | None = None
    buttons: list[tuple[CardAction, str, QRectF]] = field(default_factory=list)


def speed_text(bps: float) -> str:
    return human_size(int(bps)) + "/s"


def eta_text(seconds: float | None) -> str:
    """Time left in words; rounded up, so a transfer that is not done never says "0 s"."""
    if seconds is None:
        return ""
    s = max(1, math.ceil(seconds))
    if s < 60:
        return translate("TransferCards", "{0} s left").format(s)
    if s < 3600:
        return translate("TransferCards", "{0} min left").format(s // 60 + (1 if s % 60 >= 30 else 0))
    return translate("TransferCards", "{0} h {1} min left").format(s // 3600, (s % 3600) // 60)


def state_text(view: TransferView, who: str = "", online: bool = True) -> str:
    """The state of a transfer in words (never a raw code); `who` is the other side's name."""
    state, incoming = view.state, view.direction is Direction.IN
    who = who or translate("TransferCards", "they")
    if state is TransferState.OFFERED:
        if incoming:
            return (
                translate("TransferCards", "Wants to send you this")
                if view.needs_decision
                else translate("TransferCards", "Offered")
            )
        if not online:
            return translate("TransferCards", "{0} is offline: will send when {0} is back").format(who)
        return translate("TransferCards", "Waiting for {0} to accept…").format(who)
    if state is TransferState.REJECTED:
        return _rejected_text(view.reason, incoming, who)
    if state is TransferState.FAILED:
        return _failed_text(view.reason)
    if state is TransferState.CANCELLED:
        if view.reason == CANCELLED_BY_PEER:
            return translate("TransferCards", "{0} cancelled").format(who)
        if view.reason == EXPIRED:
            return translate("TransferCards", "Cancelled: nothing happened to it for 7 days")
        return translate("TransferCards", "You cancelled")
    return {
        TransferState.ACCEPTED: translate("TransferCards", "Starting…"),
        TransferState.DONE: translate("TransferCards", "Received") if incoming else translate("TransferCards", "Sent"),
        TransferState.PROGRESS: "",
    }[state]


def _rejected_text(reason: str | None, incoming: bool, who: str) -> str:
    if incoming:
        if reason == RejectReason.NO_SPACE:
            return translate("TransferCards", "Not saved: there is not enough free space")
        if reason == "io-error":
            return translate("TransferCards", "Not saved: the download folder cannot be used")
        return translate("TransferCards", "Declined")
    sentences: dict[str, str] = {
        RejectReason.NO_SPACE: translate("TransferCards", "{0} has no room for it: their disk is full"),
        RejectReason.BUSY: translate("TransferCards", "{0} is busy with other transfers; try again later"),
        RejectReason.TOO_LARGE: translate("TransferCards", "Too large for {0} to accept"),
        RejectReason.BAD_PATH: translate("TransferCards", "{0}'s lanchat refused a file name in it"),
        RejectReason.BAD_OFFER: translate("TransferCards", "{0}'s lanchat refused it as not valid"),
    }
    return sentences.get(reason or "", translate("TransferCards", "{0} declined")).format(who)


def _failed_text(reason: str | None) -> str:
    sentences: dict[str, str] = {
        FileFailure.HASH_MISMATCH: translate("TransferCards", "Failed: it arrived damaged"),
        FileFailure.NO_SPACE: translate("TransferCards", "Failed: the disk is full"),
        FileFailure.IO_ERROR: translate("TransferCards", "Failed: it could not be written to disk"),
        FileFailure.NOT_A_PICTURE: translate("TransferCards", "Deleted: it was not a real picture"),
    }
    return sentences.get(reason or "", translate("TransferCards", "Failed"))


def shown_name(file: TransferFile) -> str:
    """A file's name as saved (a second `a.png` is saved as `a (1).png`), else as offered."""
    name = file.path.rsplit("/", 1)[-1]
    if file.saved_as:
        name = PurePath(file.saved_as).name
    return clean_file_name(name)


def shown_top(file: TransferFile) -> str:
    """The top folder of a file of a folder offer, as saved (`project_folder (1)`), else as offered."""
    parts = file.path.split("/")
    if file.saved_as and len(PurePath(file.saved_as).parts) >= len(parts):
        return clean_file_name(PurePath(file.saved_as).parts[-len(parts)])
    return clean_file_name(parts[0])


class CardPainter(QObject):
    """Measures, paints and hit-tests cards; keeps the latest TransferView per tid."""

    #: A transfer moved on (its tid): chat views repaint that entry.
    changed = Signal(str)

    def __init__(self, transfers: TransferService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views = {view.tid: view for view in transfers.transfers()}
        self._images: dict[tuple[str, str], QImage] = {}
        #: peer id -> (name, online), for sentences such as "will send when Ben is back".
        self.peer_info: Callable[[str], tuple[str, bool]] = lambda peer: (peer[:8], True)
        transfers.transfer_changed.connect(self.on_transfer_changed)

    @Slot(TransferView)
    def on_transfer_changed(self, view: TransferView) -> None:
        self._views[view.tid] = view
        self.changed.emit(view.tid)

    def view(self, tid: str) -> TransferView | None:
        return self._views.get(tid)

    def data(self, record: MessageRecord) -> CardData:
        source = record.files[0].source if record.files else None
        view = self._views.get(record.mid)
        if view is not None:
            return CardData(view, source, live=True)
        return CardData(view_of_record(record), source)

    # --- images -------------------------------------------------------------------------

    def image(self, data: CardData) -> QImage | None:
        """The picture to show: the file itself when we have it, else the offer's thumbnail."""
        view = data.view
        local = data.source if view.direction is Direction.OUT else (view.files[0].saved_as if view.files else None)
        key = (view.tid, local or "thumb")
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
        if image.isNull() and view.thumb:
            image.loadFromData(view.thumb)
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
        image = self.image(data) if record.kind == OfferKind.IMAGE else None
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
        if data.view.state.moving:
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

    def actions(self, data: CardData) -> list[tuple[CardAction, str]]:
        """The buttons of a card: what can be done with the transfer now."""
        view = data.view
        if not data.live:
            return []
        incoming = view.direction is Direction.IN
        if incoming and view.state is TransferState.OFFERED and view.needs_decision:
            return [
                (CardAction.ACCEPT, translate("TransferCards", "Accept")),
                (CardAction.DECLINE, translate("TransferCards", "Decline")),
            ]
        if view.state is TransferState.OFFERED or view.state.moving:
            return [(CardAction.CANCEL, translate("TransferCards", "Cancel"))]
        if view.state is TransferState.FAILED and not incoming:
            return [(CardAction.RETRY, translate("TransferCards", "Retry"))]
        if view.state is TransferState.DONE and incoming and view.kind is not OfferKind.IMAGE:
            return [
                (CardAction.OPEN, translate("TransferCards", "Open")),
                (CardAction.FOLDER, translate("TransferCards", "Show in folder")),
            ]
        return []

    def size(self, record: MessageRecord, own: bool, font: QFont, max_width: float) -> QSize:
        return self.layout(record, own, font, max_width).size

    def action_at(
        self, record: MessageRecord, own: bool, font: QFont, max_width: float, pos: QPointF
    ) -> CardAction | None:
        """The button (or the picture: VIEW) under `pos`, relative to the card."""
        layout = self.layout(record, own, font, max_width)
        for action, _label, rect in layout.buttons:
            if rect.contains(pos):
                return action
        if layout.thumb is not None and layout.thumb.contains(pos):
            return CardAction.VIEW
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
            glyph = "🖼" if data.view.kind is OfferKind.IMAGE else ("📁" if len(data.view.files) > 1 else "📄")
            painter.drawText(layout.icon, Qt.AlignmentFlag.AlignCenter, glyph)
        if layout.name is not None:
            bold = QFont(font)
            bold.setWeight(QFont.Weight.DemiBold)
            painter.setFont(bold)
            painter.setPen(theme.TEXT)
            painter.drawText(
                layout.name,
                ONE_LINE,
                QFontMetricsF(bold).elidedText(self.title(data), Qt.TextElideMode.ElideMiddle, layout.name.width()),
            )
        if layout.detail is not None:
            painter.setFont(small)
            painter.setPen(theme.FAILED if data.view.state is TransferState.FAILED else theme.TEXT_MUTED)
            detail = "  ·  ".join(p for p in self.detail_parts(data) if p)
            painter.drawText(
                layout.detail,
                ONE_LINE,
                QFontMetricsF(small).elidedText(detail, Qt.TextElideMode.ElideRight, layout.detail.width()),
            )
        if layout.progress is not None:
            self._paint_progress(painter, layout.progress, data, small)
        for action, label, button in layout.buttons:
            path = QPainterPath()
            path.addRoundedRect(button, BUTTON_H / 2, BUTTON_H / 2)
            primary = action in (CardAction.ACCEPT, CardAction.OPEN, CardAction.RETRY)
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
        if data.view.speed_bps:
            text += "  ·  " + speed_text(data.view.speed_bps)
        if data.view.eta_s is not None:
            text += "  ·  " + eta_text(data.view.eta_s)
        painter.setFont(small)
        painter.setPen(theme.TEXT_MUTED)
        painter.drawText(
            QRectF(rect.left(), rect.bottom() + 3, rect.width(), QFontMetricsF(small).height()),
            Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextDontClip,
            text,
        )

    def detail_parts(self, data: CardData) -> tuple[str, ...]:
        """The small line of a card: a received picture's name and size, else size and state."""
        view = data.view
        if view.kind is OfferKind.IMAGE and view.state is TransferState.DONE and view.files:
            return shown_name(view.files[0]), human_size(view.total)
        who, online = self.peer_info(view.peer)
        return human_size(view.total), state_text(view, clean_name(who, 32), online)

    def title(self, data: CardData) -> str:
        return transfer_title(data.view)


def transfer_title(view: TransferView) -> str:
    """A transfer's name as saved: the file, the folder with its count, or the first file and how many more."""
    files = view.files
    if not files:
        return translate("TransferCards", "Files")
    first = shown_name(files[0])
    if len(files) == 1:
        return first
    offered_top = files[0].path.split("/", 1)[0]
    if all(f.path.startswith(offered_top + "/") for f in files):
        return translate("TransferCards", "{0} (folder, {1} files)").format(shown_top(files[0]), len(files))
    return translate("TransferCards", "{0} and {1} more").format(first, len(files) - 1)


def _small(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() - 2))
    return small
