"""What the main window opens and owns besides the chats: dialogs, the tray, the transfers panel.

It knows the window only as its parent widget; what it asks of the window
(open a chat, come to the front, quit, a status line) it asks by signal.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QMessageBox

from lanchat.core.contacts import Status
from lanchat.core.contacts_model import ContactsModel
from lanchat.core.history.records import Direction, MessageRecord, RoomRecord
from lanchat.core.ids import new_id
from lanchat.core.media import media_items
from lanchat.core.rooms import Room
from lanchat.core.transfers.state import TransferState
from lanchat.core.transfers.transfer import TransferView
from lanchat.ui.contact_dialog import ContactDialog
from lanchat.ui.file_actions import FileActions
from lanchat.ui.group_dialog import GroupDialog
from lanchat.ui.me_card import MeCard
from lanchat.ui.media_view import MediaView
from lanchat.ui.notifications import Notifier
from lanchat.ui.picture_cache import PictureCache
from lanchat.ui.picture_viewer import PictureViewer, ViewerItem
from lanchat.ui.runtime_api import RuntimeApi
from lanchat.ui.settings_dialog import SettingsDialog, restart_note
from lanchat.ui.share_dialog import open_share_dialog
from lanchat.ui.transfer_cards import CardAction, CardPainter
from lanchat.ui.transfers_panel import TransfersPanel
from lanchat.ui.tray import Tray, window_icon
from lanchat.ui.untrusted import clean_file_name, clean_name, human_size

log = logging.getLogger("lanchat.ui.window_dialogs")


def free_bytes(folder: Path) -> int | None:
    """Free bytes on the disk of `folder` (or of its nearest existing parent); None when unknown."""
    target = folder
    while not target.exists() and target != target.parent:
        target = target.parent
    try:
        return shutil.disk_usage(target).free
    except OSError:
        return None


class WindowDialogs(QObject):
    """Opens the dialogs of the window and keeps the tray icon and the transfers panel."""

    open_chat_requested = Signal(str)
    raise_requested = Signal()
    quit_requested = Signal()
    status_message = Signal(str)
    restart_requested = Signal()

    def __init__(
        self,
        window: QMainWindow,
        runtime: RuntimeApi,
        contacts_model: ContactsModel,
        card_painter: CardPainter,
        me: MeCard,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.runtime = runtime
        self.contacts_model = contacts_model
        self.card_painter = card_painter
        self.me = me
        self.tray = Tray(self)
        self.tray.show_requested.connect(self.raise_requested)
        self.tray.quit_requested.connect(self.quit_requested)
        self.tray.status_requested.connect(self._set_status)
        self.tray.show()
        self.notifier = Notifier(self.tray, parent=self)
        self.notifier.clicked.connect(self._open_from_tray)
        self.tray.message_clicked.connect(self.notifier.balloon_clicked)
        window.setWindowIcon(window_icon())
        self.panel = TransfersPanel(runtime.transfers, self.peer_info, window)
        self.panel.hide()
        card_painter.peer_info = self.peer_info
        self.file_actions = FileActions(runtime, window)
        self.file_actions.status.connect(self.status_message)
        runtime.transfers.transfer_changed.connect(self._on_transfer_changed)

    # --- the tray --------------------------------------------------------------------------

    def set_unread(self, total: int) -> None:
        self.tray.set_state(total, self.runtime.settings.status)

    def refresh_tray(self) -> None:
        self.set_unread(self.contacts_model.total_unread())

    def hide_tray(self) -> None:
        self.tray.hide()

    def notify(self, title: str, text: str, chat: str) -> None:
        self.notifier.notify(title, text, chat)

    def close_to_tray(self) -> bool:
        """Whether closing the window only hides it; says so the first time."""
        settings = self.runtime.settings
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

    @Slot(str)
    def _open_from_tray(self, chat: str) -> None:
        self.raise_requested.emit()
        if chat:
            self.open_chat_requested.emit(chat)

    @Slot(str)
    def _set_status(self, status: str) -> None:
        self.me.set_status(status)

    # --- dialogs -----------------------------------------------------------------------------

    def warn(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("lanchat"), text, QMessageBox.StandardButton.Ok,
                          self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()

    @Slot()
    def open_settings(self) -> None:
        dialog = SettingsDialog(self.runtime, self.window)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.me.refresh()
            if dialog.restart_reasons and restart_note(self.window, dialog.restart_reasons):
                self.restart_requested.emit()

    @Slot()
    def new_group(self) -> None:
        runtime = self.runtime
        others = [c for c in runtime.contacts.all() if c.id != runtime.identity.id]
        if not others:
            self.status_message.emit(
                self.tr("There is no one to add yet: wait until others appear on the left.")
            )
            return
        dialog = GroupDialog(others, self.window)
        if dialog.exec() != GroupDialog.DialogCode.Accepted:
            return
        members = (runtime.identity.id, *dialog.members())
        room = Room(new_id(), dialog.group_name(), members)
        record = RoomRecord(room.id, room.name, room.members)
        runtime.store.save_room(record)
        runtime.messaging.set_rooms([room])
        self.contacts_model.add_room(record)
        self.open_chat_requested.emit(room.id)

    @Slot(str)
    def contact_details(self, peer_id: str) -> None:
        contact = self.runtime.contacts.get(peer_id)
        if contact is not None:
            ContactDialog(self.runtime, contact, self.window).exec()

    # --- transfers ---------------------------------------------------------------------------

    def _name_of(self, peer_id: str) -> str:
        contact = self.runtime.contacts.get(peer_id)
        return contact.name if contact else peer_id[:8]

    def peer_info(self, peer_id: str) -> tuple[str, bool]:
        """A contact's name and whether it is online (for "will send when … is back")."""
        contact = self.runtime.contacts.get(peer_id)
        return (contact.name, contact.online) if contact else (peer_id[:8], False)

    @Slot()
    def show_transfers(self) -> None:
        self.panel.show_beside(self.window)

    @Slot(TransferView)
    def _on_transfer_changed(self, view: TransferView) -> None:
        if view.direction is Direction.IN and view.state is TransferState.OFFERED and view.needs_decision:
            chat = view.room or view.peer
            if not self.window.isActiveWindow():
                names = ", ".join(clean_file_name(f.path) for f in view.files[:3])
                self.notify(self._name_of(view.peer), self.tr("wants to send you: {0}").format(names), chat)

    @Slot(MessageRecord, CardAction)
    def card_action(self, record: MessageRecord, action: CardAction) -> None:
        """A button of a picture/file card in a chat was clicked."""
        transfers = self.runtime.transfers
        data = self.card_painter.data(record)
        view = data.view
        saved = [f.saved_as for f in view.files if f.saved_as]
        if action is CardAction.ACCEPT:
            transfers.accept(record.mid)
            self._explain_refusal(record.mid)
        elif action is CardAction.DECLINE:
            transfers.decline(record.mid)
        elif action is CardAction.CANCEL:
            transfers.cancel(record.mid)
        elif action is CardAction.RETRY:
            transfers.retry(record.mid)
        elif action is CardAction.OPEN and saved:
            self.file_actions.open(Path(saved[0]) if len(saved) == 1 else Path(saved[0]).parent)
        elif action is CardAction.FOLDER and saved:
            self.file_actions.show_in_folder(Path(saved[0]))
        elif action is CardAction.VIEW:
            self.view_picture(record)

    def view_picture(self, record: MessageRecord) -> PictureViewer | None:
        """Open the viewer on a picture of a chat; left and right go through the chat's other pictures."""
        pictures = [m for m in media_items(self.runtime.store.transfer_entries(record.chat)) if m.picture]
        index = next((i for i, m in enumerate(pictures) if m.record.mid == record.mid), None)
        if index is None:
            self.status_message.emit(self.tr("This picture is not on this computer (yet)."))
            return None
        viewer = PictureViewer([ViewerItem(m.path, m.name) for m in pictures], index, self.file_actions,
                               self.window)
        viewer.show()
        viewer.raise_()
        return viewer

    @Slot()
    def open_share(self) -> None:
        """A QR code a phone's browser opens, to send pictures here or fetch what is given."""
        if open_share_dialog(self.runtime, self.window) is None:
            self.status_message.emit(self.tr("Sharing with a browser is not available in this run."))

    @Slot(str)
    def show_media(self, chat: str) -> MediaView:
        """A chat's pictures and files, in a window of their own."""
        entry = self.contacts_model.entry(chat)
        title = clean_name(entry.name) if entry is not None else chat[:8]
        items = media_items(self.runtime.store.transfer_entries(chat))
        cache = self.card_painter.cache or PictureCache(self.runtime.small_copies_folder, parent=self)
        media = MediaView(title, items, cache, self.file_actions, self.window)
        media.view_picture.connect(lambda i: self.view_picture(media.pictures.items[i].record))
        media.show()
        return media

    def _explain_refusal(self, tid: str) -> None:
        """A person clicked Accept and it could not be saved: say where, and how much space is missing."""
        view = self.runtime.transfers.view(tid)
        if view is None or view.state is not TransferState.REJECTED or view.reason not in ("no-space", "io-error"):
            return
        folder = self.runtime.transfers.downloads.path
        free = free_bytes(folder)
        if view.reason == "no-space" and free is not None:
            text = self.tr(
                "“{0}” was not saved: it needs {1}, but the download folder {2} has only {3} free. "
                "Free some space, or choose another folder in Settings, then ask {4} to send it again."
            ).format(self._title(view), human_size(view.total), folder, human_size(free),
                     clean_name(self._name_of(view.peer)))
        else:
            text = self.tr(
                "“{0}” was not saved: lanchat cannot write to the download folder {1}. "
                "Choose another folder in Settings, then ask {2} to send it again."
            ).format(self._title(view), folder, clean_name(self._name_of(view.peer)))
        self.warn(text)

    @staticmethod
    def _title(view: TransferView) -> str:
        names = [clean_file_name(f.path) for f in view.files]
        return names[0] if len(names) == 1 else ", ".join(names[:3]) + ("…" if len(names) > 3 else "")

    @Slot(str)
    def set_status(self, status: str) -> None:
        self.runtime.set_status(Status(status))
