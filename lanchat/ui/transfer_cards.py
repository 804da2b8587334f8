"""Picture and file cards inside a chat: name, size, progress, speed, ETA and their buttons.

Cards follow `TransferService.transfer_changed`; a transfer of an earlier run shows what history knows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath

from lanchat.core.history.records import Direction, MessageRecord
from lanchat.core.transfers.model import per_mille
from lanchat.core.transfers.offers import OfferKind
from lanchat.core.transfers.pictures import read_picture
from lanchat.core.transfers.service import TransferService
from lanchat.core.transfers.state import TransferState
from lanchat.core.transfers.transfer import TransferFile, TransferView
from lanchat.ui import album_grid, theme
from lanchat.ui.picture_cache import PictureCache
from lanchat.ui.transfer_words import eta_text, shown_name, speed_text, state_text, transfer_title
from lanchat.ui.untrusted import clean_name, human_size

log = logging.getLogger("lanchat.ui.transfer_cards")

PAD = 12.0
THUMB_MAX_W = 260.0
THUMB_MAX_H = 220.0
CARD_W = 330.0
BUTTON_H = 28.0
#: One line, centred in its box and never clipped to it: a line with Chinese in it is laid out with a
#: taller fallback font, and clipping to the primary font's height cut off underscores.
ONE_LINE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip


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
    #: (1.1) An album: each shown picture and its square.
    tiles: list[tuple[MessageRecord, QRectF]] = field(default_factory=list)


class CardPainter(QObject):
    """Measures, paints and hit-tests cards; keeps the latest TransferView per tid."""

    #: A transfer moved on (its tid): chat views repaint that entry.
    changed = Signal(str)

    def __init__(self, transfers: TransferService, cache: PictureCache | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views = {view.tid: view for view in transfers.transfers()}
        self._images: dict[tuple[str, str], QImage] = {}
        #: Small copies of local pictures, made off the GUI thread (None: read here, for tests).
        self.cache = cache
        self._waiting: dict[str, set[str]] = {}  # a local picture -> tids to repaint once its copy is ready
        if cache is not None:
            cache.ready.connect(self._on_picture_ready)
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

    def local_path(self, data: CardData) -> str | None:
        """The picture on this computer: the file sent, or the one saved."""
        view = data.view
        return data.source if view.direction is Direction.OUT else (view.files[0].saved_as if view.files else None)

    def image(self, data: CardData, load: bool = True) -> QImage | None:
        """The picture to show: a small copy of the file when it is ready, else the offer's thumbnail.

        The file is never decoded here when there is a cache: a 12 MP photo must not stall the window.
        `load` False (measuring a card) starts no load: a chat of 200 pictures opened asks for the small
        copies of the cards painted, not of all 200.
        """
        view = data.view
        local = self.local_path(data)
        if local and self.cache is not None and not load:
            image = self.cache.peek(local)
            if image is not None and not image.isNull():
                return image
        elif local and self.cache is not None:
            image = self.cache.get(local)
            if image is None:
                self._waiting.setdefault(local, set()).add(view.tid)
            elif not image.isNull():
                return image
        elif local:
            key = (view.tid, local)
            if key not in self._images:
                self._images[key] = read_picture(Path(local), QSize(int(2 * THUMB_MAX_W), int(2 * THUMB_MAX_H)))
            if not self._images[key].isNull():
                return self._images[key]
        if not view.thumb:
            return None
        key = (view.tid, "thumb")
        if key not in self._images:
            self._images[key] = QImage.fromData(view.thumb)  # at most 24 KiB
        return self._images[key] if not self._images[key].isNull() else None

    @Slot(str)
    def _on_picture_ready(self, path: str) -> None:
        for tid in self._waiting.pop(path, ()):
            self.changed.emit(tid)

    # --- layout ---------------------------------------------------------------------------

    def layout(self, record: MessageRecord, own: bool, font: QFont, max_width: float,
               members: Sequence[MessageRecord] = ()) -> CardLayout:
        """Where everything of a card goes; `members` are an album's entries (the card shows them all)."""
        if len(members) > 1:
            return self._album_layout(members, font, max_width)
        data = self.data(record)
        fm = QFontMetricsF(font)
        small = QFontMetricsF(_small(font))
        width = min(max_width, CARD_W)
        y = PAD
        result = CardLayout(QSize())
        image = self.image(data, load=False) if record.kind == OfferKind.IMAGE else None
        size = (image.width(), image.height()) if image is not None else None
        if size is None and record.kind == OfferKind.IMAGE and self._is_here(data):
            size = (4, 3)  # its small copy is on the way: a grey picture of the usual shape until then
        if size is not None:
            scale = min(THUMB_MAX_W / size[0], THUMB_MAX_H / size[1], 1.0 * max_width / size[0])
            w, h = max(120.0, size[0] * scale), max(60.0, size[1] * scale)
            width = min(max_width, max(w + 2 * 6, 200.0))
            result.thumb = QRectF((width - w) / 2, 6, w, h)
            y = 6 + h + 8
        else:
            result.icon = QRectF(PAD, y, 40, 40)
            result.name = QRectF(PAD + 50, y, width - PAD * 2 - 50, fm.height())
            result.detail = QRectF(PAD + 50, y + fm.height() + 2, width - PAD * 2 - 50, small.height())
            y += 44
        if result.thumb is not None:
            result.detail = QRectF(PAD, y, width - 2 * PAD, small.height())
            y += small.height() + 4
        if data.view.state.moving:
            result.progress = QRectF(PAD, y + 4, width - 2 * PAD, 6)
            y += 14 + small.height()
        y = _lay_buttons(result, self.actions(data), fm, y)
        if result.buttons or result.progress is not None:
            y += 4 + small.height() + PAD / 2  # a line for the time, drawn by the message delegate
        elif result.detail is not None:
            result.detail.setWidth(result.detail.width() - 56)  # the time goes at the end of this line
            y = max(result.detail.bottom() + 7, result.icon.bottom() + 8 if result.icon is not None else 0)
        result.size = QSize(int(width), int(y + 0.99))
        return result

    def _is_here(self, data: CardData) -> bool:
        local = self.local_path(data)
        return bool(local) and (data.view.direction is Direction.OUT or data.view.state is TransferState.DONE)

    def _album_layout(self, members: Sequence[MessageRecord], font: QFont, max_width: float) -> CardLayout:
        """An album: a grid of its pictures, one line of words, and buttons that apply to them all."""
        small = QFontMetricsF(_small(font))
        fm = QFontMetricsF(font)
        width = min(max_width, CARD_W)
        shown = list(members[:album_grid.MAX_TILES])
        result = CardLayout(QSize())
        rects = album_grid.tile_rects(len(shown), width - 12, 6)
        result.tiles = [(m, r.translated(6, 0)) for m, r in zip(shown, rects, strict=True)]
        y = rects[-1].bottom() + 8
        result.detail = QRectF(PAD, y, width - 2 * PAD, small.height())
        y += small.height() + 4
        datas = [self.data(m) for m in members]
        if any(d.view.state.moving for d in datas):
            result.progress = QRectF(PAD, y + 4, width - 2 * PAD, 6)
            y += 14 + small.height()
        y = _lay_buttons(result, self.album_actions(datas), fm, y)
        y += 4 + small.height() + PAD / 2  # a line for the time, drawn by the message delegate
        result.size = QSize(int(width), int(y + 0.99))
        return result

    def album_actions(self, datas: list[CardData]) -> list[tuple[CardAction, str]]:
        """An album's buttons apply to every picture that can take them."""
        live = [d for d in datas if d.live]
        if any(d.view.direction is Direction.IN and d.view.state is TransferState.OFFERED and d.view.needs_decision
               for d in live):
            return [(CardAction.ACCEPT, translate("TransferCards", "Accept all")),
                    (CardAction.DECLINE, translate("TransferCards", "Decline all"))]
        if any(d.view.state is TransferState.OFFERED or d.view.state.moving for d in live):
            return [(CardAction.CANCEL, translate("TransferCards", "Cancel"))]
        if any(d.view.state is TransferState.FAILED and d.view.direction is Direction.OUT for d in live):
            return [(CardAction.RETRY, translate("TransferCards", "Retry"))]
        return []

    def album_detail(self, members: Sequence[MessageRecord]) -> str:
        datas = [self.data(m) for m in members]
        done = sum(d.view.state is TransferState.DONE for d in datas)
        count = len(datas)
        size = human_size(sum(d.view.total for d in datas))
        if done == count:
            return translate("TransferCards", "%n pictures", "", count) + "  ·  " + size
        return translate("TransferCards", "{0} of {1} pictures here").format(done, count) + "  ·  " + size

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

    def size(self, record: MessageRecord, own: bool, font: QFont, max_width: float,
             members: Sequence[MessageRecord] = ()) -> QSize:
        return self.layout(record, own, font, max_width, members).size

    def action_at(
        self, record: MessageRecord, own: bool, font: QFont, max_width: float, pos: QPointF,
        members: Sequence[MessageRecord] = (),
    ) -> tuple[CardAction, MessageRecord] | None:
        """The button (or a picture: VIEW) under `pos`, relative to the card, and the entry it is for.

        An album's buttons name its first entry: they apply to all of `members`.
        """
        layout = self.layout(record, own, font, max_width, members)
        for action, _label, rect in layout.buttons:
            if rect.contains(pos):
                return action, record
        if layout.thumb is not None and layout.thumb.contains(pos):
            return CardAction.VIEW, record
        for member, rect in layout.tiles:
            if rect.contains(pos):
                return CardAction.VIEW, member
        return None

    def entry_at(self, record: MessageRecord, own: bool, font: QFont, max_width: float, pos: QPointF,
                 members: Sequence[MessageRecord] = ()) -> MessageRecord:
        """Which entry of a card is under `pos`: an album's picture there, else the card's own."""
        for member, rect in self.layout(record, own, font, max_width, members).tiles:
            if rect.contains(pos):
                return member
        return record

    # --- painting ---------------------------------------------------------------------------

    def paint(self, painter: QPainter, record: MessageRecord, own: bool, font: QFont, rect: QRectF,
              members: Sequence[MessageRecord] = ()) -> None:
        data = self.data(record)
        layout = self.layout(record, own, font, rect.width(), members)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QPainterPath()
        card.addRoundedRect(QRectF(0, 0, layout.size.width(), layout.size.height()), 16, 16)
        if not own:  # a shadow a pixel lower; only its strip under the bottom edge shows, so only that is filled
            painter.save()  # (blending the whole card's area cost more than the rest of the card together)
            painter.setClipRect(QRectF(0, layout.size.height() - 18, layout.size.width(), 20),
                                Qt.ClipOperation.IntersectClip)
            painter.fillPath(card.translated(0, 1), QColor(0, 0, 0, 14))
            painter.restore()
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
            else:
                painter.fillRect(layout.thumb, QColor("#d9dde3"))
            painter.restore()
        for i, (member, tile) in enumerate(layout.tiles):
            member_data = self.data(member)
            album_grid.paint_tile(painter, tile, self.image(member_data),
                                  dim=member_data.view.state is not TransferState.DONE)
            if i == len(layout.tiles) - 1 and len(members) > len(layout.tiles):
                album_grid.more_label(painter, tile, len(members) - len(layout.tiles) + 1)
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
            detail = (self.album_detail(members) if layout.tiles
                      else "  ·  ".join(p for p in self.detail_parts(data) if p))
            painter.drawText(
                layout.detail,
                ONE_LINE,
                QFontMetricsF(small).elidedText(detail, Qt.TextElideMode.ElideRight, layout.detail.width()),
            )
        if layout.progress is not None:
            self._paint_progress(painter, layout.progress, self._album_data(members) if layout.tiles else data, small)
        for action, label, button in layout.buttons:
            path = QPainterPath()
            path.addRoundedRect(button, BUTTON_H / 2, BUTTON_H / 2)
            primary = action in (CardAction.ACCEPT, CardAction.OPEN, CardAction.RETRY)
            painter.fillPath(path, theme.ACCENT if primary else QColor("#eef1f6"))
            painter.setFont(font)
            painter.setPen(QColor("#ffffff") if primary else theme.TEXT)
            painter.drawText(button, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()

    def _album_data(self, members: Sequence[MessageRecord]) -> CardData:
        """An album's progress as one transfer's: bytes and speed summed, the longest time left."""
        views = [self.data(m).view for m in members]
        etas = [v.eta_s for v in views if v.eta_s is not None]
        first = views[0]
        return CardData(replace(first, bytes_done=sum(v.bytes_done for v in views), total=sum(v.total for v in views),
                                speed_bps=sum(v.speed_bps for v in views), eta_s=max(etas) if etas else None))

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


def _lay_buttons(layout: CardLayout, labels: list[tuple[CardAction, str]], fm: QFontMetricsF, y: float) -> float:
    """Put a row of buttons at `y` (none when no labels); returns where the card goes on below them."""
    if not labels:
        return y
    x, y = PAD, y + 6
    for action, label in labels:
        w = fm.horizontalAdvance(label) + 24
        layout.buttons.append((action, label, QRectF(x, y, w, BUTTON_H)))
        x += w + 8
    return y + BUTTON_H


def _small(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() - 2))
    return small
