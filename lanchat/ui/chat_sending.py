"""What a chat sends besides text: files, folders, pictures (one album when several), pictures made here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal, Slot
from PySide6.QtGui import QImage

from lanchat.core.rooms import Room
from lanchat.core.transfers.offers import OfferKind
from lanchat.core.transfers.outgoing_pictures import picture_to_send
from lanchat.core.transfers.pictures import is_heif, is_picture_name
from lanchat.ui.background import Background
from lanchat.ui.runtime_api import RuntimeApi


class ChatSending(QObject):
    """Offers things to a chat's recipients; says in `problem` why something cannot be sent."""

    problem = Signal(str)

    def __init__(self, runtime: RuntimeApi, recipients: Callable[[], tuple[list[str], Room | None]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self._recipients = recipients
        self._converting = Background(self._on_converted)

    def _nobody(self) -> bool:
        if self._recipients()[0]:
            return False
        self.problem.emit(self.tr("No one is online to receive this."))
        return True

    def _each_recipient(self, offer: Callable[[str, Room | None], object]) -> None:
        recipients, room = self._recipients()
        try:
            for peer in recipients:
                offer(peer, room)
        except (OSError, ValueError) as e:
            self.problem.emit(self.tr("Cannot send: {0}").format(str(e)))

    def offer(self, paths: list[Path], kind: OfferKind = OfferKind.FILES) -> None:
        """Offer files or folders as they are."""
        if not self._nobody():
            self._each_recipient(lambda peer, room: self.runtime.transfers.offer(peer, paths, kind, room=room))

    def offer_paths(self, paths: list[Path]) -> None:
        """Dropped or pasted files: pictures go as pictures (several as one album), anything else as files."""
        if paths and all(p.is_file() and is_picture_name(p.name) for p in paths):
            self.send_pictures(paths, original=True)
        elif paths:
            self.offer(paths)

    def send_pictures(self, paths: list[Path], original: bool) -> None:
        """Offer pictures (as one album when several); lighter copies are made off the GUI thread first."""
        if self._nobody():
            return
        if original and not any(is_heif(p.name) for p in paths):
            self._offer_pictures(paths)
            return
        folder = self.runtime.pasted_folder
        self._converting.run(None, lambda: _prepared(paths, folder, original))

    @Slot(object, object)
    def _on_converted(self, _key: object, result: object) -> None:
        if isinstance(result, str):
            self.problem.emit(self.tr("Cannot send: {0}").format(result))
        elif isinstance(result, list):
            self._offer_pictures(result)

    def _offer_pictures(self, paths: list[Path]) -> None:
        self._each_recipient(lambda peer, room: self.runtime.transfers.offer_pictures(peer, paths, room=room))

    def send_image(self, image: QImage, name: str) -> None:
        """Send a picture made here (pasted, captured) as PNG under `name`."""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        buffer.close()
        if self._nobody():
            return
        png, folder = bytes(data.data()), self.runtime.pasted_folder
        self._each_recipient(lambda peer, room: self.runtime.transfers.offer_image_data(peer, png, folder,
                                                                                        room=room, name=name))


def _prepared(paths: list[Path], folder: Path, original: bool) -> list[Path] | str:
    """What to send for each picture (any thread), or why it cannot be."""
    try:
        return [picture_to_send(p, folder, original) for p in paths]
    except (OSError, ValueError) as e:
        return str(e)
