"""What can be done with a file or picture of a chat, wherever it shows: cards, the viewer, the media view."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, QStandardPaths, QUrl, Signal
from PySide6.QtDBus import QDBusConnection, QDBusInterface
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from lanchat.core.history.records import MessageRecord
from lanchat.core.transfers.pictures import is_picture_name
from lanchat.core.transfers.state import TransferState
from lanchat.ui.forward_dialog import ForwardDialog
from lanchat.ui.runtime_api import RuntimeApi

log = logging.getLogger("lanchat.ui.file_actions")

LAST_FOLDER = "last_folder"


def can_delete(record: MessageRecord) -> bool:
    """A transfer under way is cancelled first; everything else may leave its chat."""
    return not record.files or TransferState(record.state).finished


class FileActions(QObject):
    """Open, Save as…, Copy, Show in folder, Forward and Delete (GUI thread)."""

    #: A sentence for the status bar.
    status = Signal(str)

    def __init__(self, runtime: RuntimeApi, window: QWidget) -> None:
        super().__init__(window)
        self.runtime = runtime
        self.window = window

    # --- folders the dialogs start in --------------------------------------------------

    def start_folder(self, pictures: bool) -> str:
        """The last folder used, else Pictures (for pictures) or the home folder; never the working folder."""
        last = self.runtime.settings.value(LAST_FOLDER)
        if isinstance(last, str) and last and Path(last).is_dir():
            return last
        kind = (QStandardPaths.StandardLocation.PicturesLocation if pictures
                else QStandardPaths.StandardLocation.HomeLocation)
        folder = QStandardPaths.writableLocation(kind)
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def remember_folder(self, folder: Path) -> None:
        self.runtime.settings.set_value(LAST_FOLDER, str(folder))

    # --- the actions -------------------------------------------------------------------

    def open(self, path: Path) -> bool:
        """Open with the program the desktop uses for it."""
        ok = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        if not ok:
            self.status.emit(self.tr("No program opens {0}.").format(path.name))
        return ok

    def save_as(self, path: Path) -> Path | None:
        """Copy the file where the person says; returns where it went."""
        start = str(Path(self.start_folder(is_picture_name(path.name))) / path.name)
        chosen, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save as"), start)
        if not chosen:
            return None
        target = Path(chosen)
        try:
            shutil.copyfile(path, target)
        except OSError as e:
            QMessageBox.warning(self.window, self.tr("lanchat"),
                                self.tr("Could not save {0}: {1}").format(target.name, e.strerror or str(e)))
            return None
        self.remember_folder(target.parent)
        self.status.emit(self.tr("Saved as {0}.").format(target))
        return target

    def save_image(self, image: QImage, name: str) -> Path | None:
        """Save a picture made here (a screenshot) as PNG where the person says."""
        start = str(Path(self.start_folder(pictures=True)) / name)
        chosen, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save as"), start, self.tr("PNG pictures (*.png)"))
        if not chosen:
            return None
        target = Path(chosen)
        if not image.save(str(target), "PNG"):  # type: ignore[call-overload]
            QMessageBox.warning(self.window, self.tr("lanchat"), self.tr("Could not save {0}.").format(target.name))
            return None
        self.remember_folder(target.parent)
        self.status.emit(self.tr("Saved as {0}.").format(target))
        return target

    def copy_image(self, image: QImage) -> None:
        QGuiApplication.clipboard().setImage(image)
        self.status.emit(self.tr("Copied the picture."))

    def copy(self, path: Path) -> None:
        """Put the file on the clipboard (and the picture itself, for a picture), ready to paste anywhere."""
        mime = QMimeData()
        url = QUrl.fromLocalFile(str(path))
        mime.setUrls([url])
        mime.setText(str(path))
        mime.setData("x-special/gnome-copied-files", b"copy\n" + url.toEncoded().data())
        if is_picture_name(path.name):
            image = QImage(str(path))
            if not image.isNull():
                mime.setImageData(image)
        QGuiApplication.clipboard().setMimeData(mime)
        self.status.emit(self.tr("Copied {0}.").format(path.name))

    def show_in_folder(self, path: Path) -> None:
        """Show the file selected in the file manager (freedesktop FileManager1), else open its folder."""
        bus = QDBusConnection.sessionBus()
        if bus.isConnected():
            manager = QDBusInterface("org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                                     "org.freedesktop.FileManager1", bus)
            if manager.isValid():
                reply = manager.call("ShowItems", [QUrl.fromLocalFile(str(path)).toString()], "")
                if not reply.errorName():
                    return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def forward(self, paths: list[Path]) -> list[str]:
        """Ask to whom, then offer the files there (pictures as pictures); returns the tids."""
        if not paths:
            return []
        dialog = ForwardDialog(self.runtime, len(paths), self.window)
        if dialog.exec() != ForwardDialog.DialogCode.Accepted or dialog.chosen is None:
            return []
        recipients, room = dialog.chosen
        transfers = self.runtime.transfers
        pictures = all(is_picture_name(p.name) for p in paths)
        tids: list[str] = []
        try:
            for to in recipients:
                tids += transfers.offer_pictures(to, paths, room) if pictures else transfers.offer(to, paths, room=room)
        except ValueError as e:
            QMessageBox.warning(self.window, self.tr("lanchat"), str(e))
            return []
        self.status.emit(self.tr("Forwarded to {0}.").format(dialog.chosen_name))
        return tids

    def delete_entry(self, record: MessageRecord) -> bool:
        """Remove an entry from its chat after asking (the file itself stays where it is)."""
        if record.row_id is None or not can_delete(record):
            return False
        asked = QMessageBox.question(
            self.window, self.tr("Delete from this chat"),
            self.tr("Remove this entry from the chat? A file that was saved stays in its folder."),
        )
        if asked != QMessageBox.StandardButton.Yes:
            return False
        self.runtime.store.delete_entry(record.row_id)
        return True
