"""What the main window opens and owns besides the chats: dialogs, the tray, the transfers panel."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QMessageBox

from lanchat.core.history.records import MessageRecord, RoomRecord
from lanchat.core.messaging import new_id
from lanchat.transports.lanchat.protocol.frames import Room
from lanchat.transports.lanchat.protocol.presence import Status
from lanchat.ui.contact_dialog import ContactDialog
from lanchat.ui.group_dialog import GroupDialog
from lanchat.ui.image_viewer import ImageViewer
from lanchat.ui.settings_dialog import SettingsDialog, restart_note
from lanchat.ui.transfer_cards import file_tuples
from lanchat.ui.tray import Tray, window_icon
from lanchat.ui.untrusted import clean_file_name

if TYPE_CHECKING:
    from lanchat.ui.window import MainWindow

log = logging.getLogger("lanchat.ui.window_dialogs")


class WindowDialogs(QObject):
    """Opens the dialogs of the window and keeps the tray icon and the transfers panel."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.tray = Tray(self)
        self.tray.show_requested.connect(self._show_window)
        self.tray.quit_requested.connect(window.quit)
        self.tray.status_requested.connect(self._set_status)
        self.tray.message_clicked.connect(self._open_from_tray)
        self.tray.show()
        self.transfers: Any | None = None
        self.panel: Any | None = None
        window.setWindowIcon(window_icon())

    # --- the tray --------------------------------------------------------------------------

    def set_unread(self, total: int) -> None:
        self.tray.set_state(total, self.window.runtime.settings.status)

    def refresh_tray(self) -> None:
        self.set_unread(self.window.contacts_model.total_unread())

    def hide_tray(self) -> None:
        self.tray.hide()

    def notify(self, title: str, text: str, chat: str) -> None:
        self.tray.notify(title, text, chat)

    def close_to_tray(self) -> bool:
        """Whether closing the window only hides it; says so the first time."""
        settings = self.window.runtime.settings
        if not settings.minimise_to_tray or not self.tray.is_visible():
            return False
        if not settings.tray_hint_shown:
            settings.tray_hint_shown = True
            QMessageBox.information(
                self.window, self.tr("lanchat keeps running"),
                self.tr("lanchat is still running in the tray, so you keep receiving messages. "
                        "To quit, use Quit in the tray menu. You can change this in Settings."),
            )
        return True

    @Slot()
    def _show_window(self) -> None:
        self.window.raise_window()

    @Slot(str)
    def _open_from_tray(self, chat: str) -> None:
        self.window.raise_window()
        if chat:
            self.window.open_chat(chat)

    @Slot(str)
    def _set_status(self, status: str) -> None:
        self.window.me.set_status(status)

    # --- dialogs -----------------------------------------------------------------------------

    def warn(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("lanchat"), text, QMessageBox.StandardButton.Ok,
                          self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()

    @Slot()
    def open_settings(self) -> None:
        dialog = SettingsDialog(self.window.runtime, self.window)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.window.me.refresh()
            if dialog.restart_needed:
                restart_note(self.window)

    @Slot()
    def new_group(self) -> None:
        runtime = self.window.runtime
        others = [c for c in runtime.contacts.all() if c.id != runtime.identity.id]
        if not others:
            self.window.show_status(self.tr("There is no one to add yet: wait until others appear on the left."))
            return
        dialog = GroupDialog(others, self.window)
        if dialog.exec() != GroupDialog.DialogCode.Accepted:
            return
        members = (runtime.identity.id, *dialog.members())
        room = Room(new_id(), dialog.group_name(), members)
        record = RoomRecord(room.id, room.name, room.members)
        runtime.store.save_room(record)
        runtime.messaging.set_rooms([room])
        self.window.contacts_model.add_room(record)
        self.window.open_chat(room.id)

    @Slot(str)
    def contact_details(self, peer_id: str) -> None:
        contact = self.window.runtime.contacts.get(peer_id)
        if contact is not None:
            ContactDialog(self.window.runtime, contact, self.window).exec()

    # --- transfers ---------------------------------------------------------------------------

    def setup_transfers(self, transfers: Any | None) -> None:
        self.transfers = transfers
        self.window.card_painter.changed.connect(self._on_card_changed)
        if transfers is None:
            return
        from lanchat.ui.transfers_panel import TransfersPanel

        self.panel = TransfersPanel(transfers, self._name_of, self.window)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
        self.panel.hide()
        transfers.transfer_changed.connect(self._on_transfer_changed)

    def _name_of(self, peer_id: str) -> str:
        contact = self.window.runtime.contacts.get(peer_id)
        return contact.name if contact else peer_id[:8]

    @Slot()
    def show_transfers(self) -> None:
        if self.panel is None:
            self.window.show_status(self.tr("File transfer is not available in this version."))
            return
        self.panel.show()
        self.panel.raise_()

    @Slot(str)
    def _on_card_changed(self, tid: str) -> None:
        for tab in self.window.chat_tabs():
            tab.model.refresh_entry(tid)

    @Slot(object)
    def _on_transfer_changed(self, view: Any) -> None:
        if view.direction == "in" and view.state == "offered" and view.needs_decision:
            room = getattr(view, "room", None)
            chat = str(getattr(room, "id", room)) if room else view.peer
            if not self.window.isActiveWindow():
                names = ", ".join(clean_file_name(f[0]) for f in file_tuples(view.files)[:3])
                self.notify(self._name_of(view.peer), self.tr("wants to send you: {0}").format(names), chat)

    @Slot(object, str)
    def card_action(self, record: MessageRecord, action: str) -> None:
        """A button of a picture/file card in a chat was clicked."""
        data = self.window.card_painter.data(record)
        if action in ("accept", "decline", "cancel", "retry"):
            if self.transfers is not None:
                getattr(self.transfers, action)(record.mid)
            return
        saved = [f[2] for f in data.files if f[2]]
        if action == "open" and saved:
            target = Path(saved[0]) if len(saved) == 1 else Path(saved[0]).parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        elif action == "folder" and saved:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(saved[0]).parent)))
        elif action == "view":
            path = data.source if data.direction == "out" else (saved[0] if saved else None)
            image = QImage(path) if path else QImage()
            if image.isNull() and data.thumb:
                image.loadFromData(data.thumb)
            if not image.isNull():
                title = clean_file_name(data.files[0][0]) if data.files else self.tr("Picture")
                ImageViewer(image, title, self.window).exec()

    @Slot(str)
    def set_status(self, status: str) -> None:
        self.window.runtime.set_status(Status(status))
