"""One open chat: header, messages, typing indicator and the compose bar."""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lanchat.core.chat_model import ChatModel
from lanchat.core.contacts import Contact, Network
from lanchat.core.contacts_model import ChatEntry, ChatKind
from lanchat.core.history.records import Direction, EntryKind, MessageRecord
from lanchat.core.rooms import EVERYONE_ROOM_ID, Room
from lanchat.core.transfers.outgoing_pictures import readable_name
from lanchat.core.transfers.pictures import PICTURE_SUFFIXES
from lanchat.core.transport import UnsendableText
from lanchat.ui.avatar import avatar_pixmap, everyone_pixmap
from lanchat.ui.chat_sending import ChatSending
from lanchat.ui.chat_view import ChatView
from lanchat.ui.compose import ComposeBar, local_files
from lanchat.ui.elided_label import ElidedLabel
from lanchat.ui.file_actions import FileActions
from lanchat.ui.networks import network_name, network_parts
from lanchat.ui.picture_send_dialog import ORIGINAL_SETTING, PictureSendDialog
from lanchat.ui.runtime_api import RuntimeApi
from lanchat.ui.screenshot.flow import ScreenshotFlow
from lanchat.ui.transfer_cards import CardAction, CardPainter
from lanchat.ui.untrusted import clean_name

log = logging.getLogger("lanchat.ui.chat_tab")

#: A typing indicator not refreshed for this long disappears.
TYPING_TIMEOUT_MS = 6000


class PeerNames:
    """Who a peer id is: our own name, a contact's, or the start of the id."""

    def __init__(self, runtime: RuntimeApi) -> None:
        self.runtime = runtime

    def __call__(self, peer_id: str) -> str:
        if peer_id == self.runtime.identity.id:
            return self.runtime.name
        contact = self.runtime.contacts.get(peer_id)
        return contact.name if contact else peer_id[:8]


def everyone_subtitle(online: int) -> str:
    """Who Everyone reaches now, in words that fit one person too."""
    translate = QCoreApplication.translate
    if online == 0:
        return translate("ChatTab", "No one is online right now")
    if online == 1:
        return translate("ChatTab", "Reaches the 1 person online now")
    return translate("ChatTab", "Reaches the %n people online now", "", online)


class ChatTab(QWidget):
    """A chat with a contact, a group or Everyone."""

    details_requested = Signal(str)
    export_requested = Signal(str)  # chat id
    delete_requested = Signal(str)  # chat id
    media_requested = Signal(str)  # chat id: show its pictures and files
    card_action = Signal(MessageRecord, CardAction)
    problem = Signal(str)  # a sentence for the status bar

    def __init__(self, runtime: RuntimeApi, entry: ChatEntry, card_painter: CardPainter | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ChatArea")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.runtime = runtime
        self.entry = entry
        self.chat_id = entry.id
        # Not a bound method of the tab: the model must not hold the tab, or a closed tab (with the
        # delegate's cached documents) would wait for Python's cycle collector to be freed.
        self._names = PeerNames(runtime)
        self.model = ChatModel(runtime.store, entry.id, self._names, parent=self)
        self.view = ChatView(self.model, show_names=entry.kind != ChatKind.CONTACT)
        if card_painter is not None:
            self.view.delegate.card_painter = card_painter
        self.model.appended.connect(self._on_appended)
        self.view.card_action.connect(self.card_action)
        self._typing: dict[str, QTimer] = {}

        self.avatar = QLabel()
        self.avatar.setFixedSize(38, 38)
        # Elided labels: a long name ends in "…" (whole in the tooltip) instead of widening the window.
        self.title = ElidedLabel()
        self.title.setObjectName("ChatTitle")
        self.subtitle = ElidedLabel()
        self.subtitle.setObjectName("ChatSubtitle")
        self.info_button = QToolButton()
        self.info_button.setObjectName("HeaderButton")
        self.info_button.setText("ⓘ")
        self.info_button.clicked.connect(lambda: self.details_requested.emit(self.chat_id))
        self.info_button.setVisible(entry.kind == ChatKind.CONTACT)
        self.menu_button = QToolButton()
        self.menu_button.setObjectName("HeaderButton")
        self.menu_button.setText("⋮")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self)
        self.export_action = self.menu.addAction("")
        self.export_action.triggered.connect(self._request_export)
        self.media_action = self.menu.addAction("")
        self.media_action.triggered.connect(lambda: self.media_requested.emit(self.chat_id))
        self.delete_action = self.menu.addAction("")
        self.delete_action.triggered.connect(self._request_delete)
        self.menu_button.setMenu(self.menu)
        header = QWidget()
        header.setObjectName("ChatHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(16, 10, 12, 10)
        header_layout.setSpacing(10)
        header_layout.addWidget(self.avatar)
        header_layout.addLayout(titles, 1)
        header_layout.addWidget(self.info_button)
        header_layout.addWidget(self.menu_button)

        self.typing_label = QLabel()
        self.typing_label.setObjectName("Typing")
        self.typing_label.setTextFormat(Qt.TextFormat.PlainText)
        self.typing_label.setFixedHeight(20)
        # What this contact's network cannot protect, said where the message is written.
        self.network_note = QLabel()
        self.network_note.setObjectName("NetworkNote")
        self.network_note.setTextFormat(Qt.TextFormat.PlainText)
        self.network_note.setWordWrap(True)
        self.network_note.hide()

        self.compose = ComposeBar()
        self.compose.send_text.connect(self.send)
        self.compose.typing.connect(self._on_own_typing)
        self.compose.attach_files.connect(self._pick_files)
        self.compose.attach_folder.connect(self._pick_folder)
        self.compose.attach_picture.connect(self._pick_picture)
        self.compose.image_pasted.connect(self.send_image_data)
        self.compose.screenshot.connect(self.take_screenshot)
        QShortcut(QKeySequence("Ctrl+Alt+A"), self, self.take_screenshot,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        #: Open, Save as, Copy… for files; the dialogs' folders (set by the window with `set_file_actions`).
        self.file_actions: FileActions | None = None
        self.flow: ScreenshotFlow | None = None
        self.sending = ChatSending(runtime, self._recipients, self)
        self.sending.problem.connect(self.problem)
        self.compose.files_pasted.connect(self.offer_paths)
        self.setAcceptDrops(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.typing_label)
        layout.addWidget(self.network_note)
        layout.addWidget(self.compose)
        self.retranslate()
        self.setFocusProxy(self.compose.edit)

    def retranslate(self) -> None:
        """Every text of the tab in the current language (at start and on a live language switch)."""
        self.info_button.setToolTip(self.tr("Contact details and fingerprint"))
        self.menu_button.setToolTip(self.tr("More"))
        self.export_action.setText(self.tr("Export chat…"))
        self.delete_action.setText(self.tr("Delete chat…"))
        self.media_action.setText(self.tr("Pictures and files…"))
        self.update_entry(self.entry)
        self.view.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    @Slot()
    def _request_export(self) -> None:
        self.export_requested.emit(self.chat_id)

    @Slot()
    def _request_delete(self) -> None:
        self.delete_requested.emit(self.chat_id)

    # --- who we talk to ---------------------------------------------------------------

    def _name_of(self, peer_id: str) -> str:
        return self._names(peer_id)

    def tab_title(self) -> str:
        title = clean_name(self.entry.name, 24)
        return ("# " + title) if self.entry.kind == ChatKind.ROOM else title

    def update_entry(self, entry: ChatEntry) -> None:
        self.entry = entry
        self.title.setText(clean_name(entry.name))
        if entry.kind == ChatKind.CONTACT and entry.contact is not None:
            contact = entry.contact
            status = {
                "online": self.tr("online"), "away": self.tr("away"), "busy": self.tr("busy"),
                "offline": self.tr("offline — messages wait until they are back"),
            }[contact.status_text]
            parts = [status]
            if contact.group:
                parts.append(clean_name(contact.group))
            if contact.verified:
                parts.append(self.tr("✔ verified"))
            parts += network_parts(contact)
            self.subtitle.setText("  ·  ".join(parts))
            self._show_network_note(contact)
            self.avatar.setPixmap(avatar_pixmap(entry.name, entry.id, 38, None, contact.status_text,
                                                self.devicePixelRatioF()))
        else:
            if entry.kind == ChatKind.EVERYONE:
                self.subtitle.setText(everyone_subtitle(len(entry.members)))
                self.avatar.setPixmap(everyone_pixmap(38, self.devicePixelRatioF()))
            else:
                names = [clean_name(self._name_of(m), 20) for m in entry.members]
                self.subtitle.setText(", ".join(names))
                self.avatar.setPixmap(avatar_pixmap(entry.name, entry.id, 38, None, None, self.devicePixelRatioF()))
            self._show_group_note(entry.members)

    def _show_network_note(self, contact: Contact) -> None:
        caps = contact.capabilities
        if not caps.encryption:
            self.network_note.setText(self.tr(
                "🔓 {0} is not encrypted: others on this network can read what you send here."
            ).format(network_name(contact.network)))
        elif not caps.verified_identity:
            self.network_note.setText(self.tr(
                "🔒 {0}: encrypted, but lanchat cannot verify who is at the other end."
            ).format(network_name(contact.network)))
        self.network_note.setVisible(not (caps.encryption and caps.verified_identity))

    def _show_group_note(self, members: tuple[str, ...]) -> None:
        """Members on other networks get this chat's messages from us alone, one by one."""
        others = [c for m in members if (c := self.runtime.contacts.get(m)) is not None
                  and c.network is not Network.LANCHAT]
        if others:
            names = ", ".join(clean_name(c.name, 20) for c in others[:3]) + ("…" if len(others) > 3 else "")
            self.network_note.setText(self.tr(
                "{0} (other networks) get what you write here one by one, not what others write; "
                "not all of it is encrypted."
            ).format(names))
        self.network_note.setVisible(bool(others))

    def room(self) -> Room | None:
        """The room of a group chat; (1.1) Everyone is every contact online now, on every network, however many."""
        own = self.runtime.identity.id
        if self.entry.kind == ChatKind.EVERYONE:
            online = [c.id for c in self.runtime.contacts.online(own)]
            return Room(EVERYONE_ROOM_ID, "Everyone", (own, *online))
        if self.entry.kind == ChatKind.ROOM:
            members = tuple(dict.fromkeys((own, *self.entry.members)))
            return Room(self.entry.id, self.entry.name, members)
        return None

    # --- sending ------------------------------------------------------------------------

    @Slot(str)
    def send(self, text: str) -> None:
        messaging = self.runtime.messaging
        room = self.room()
        if room is not None and len(room.members) < 2:
            self.problem.emit(self.tr("No one is online to receive this message."))
            return
        try:
            if room is not None:
                messaging.send_room_text(room, text)
            else:
                messaging.send_text(self.chat_id, text)
        except UnsendableText:
            QMessageBox.warning(self, self.tr("Message too long"),
                                self.tr("This message is too long to send. Split it into shorter messages."))
            return
        self.compose.clear()

    @Slot(bool)
    def _on_own_typing(self, active: bool) -> None:
        room = self.room()
        if room is not None and self.entry.kind == ChatKind.EVERYONE:
            return  # no typing noise for everybody
        self.runtime.messaging.send_typing(self.chat_id, active, room)

    def set_typing(self, sender: str, active: bool) -> None:
        timer = self._typing.pop(sender, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        if active:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda s=sender: self.set_typing(s, False))
            timer.start(TYPING_TIMEOUT_MS)
            self._typing[sender] = timer
        names = [clean_name(self._name_of(s), 24) for s in self._typing]
        if not names:
            self.typing_label.setText("")
        elif self.entry.kind == ChatKind.CONTACT:
            self.typing_label.setText(self.tr("typing…"))
        else:
            self.typing_label.setText(self.tr("{0} is typing…").format(", ".join(names)))

    # --- read receipts ---------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.mark_read)

    @Slot(MessageRecord)
    def _on_appended(self, record: MessageRecord) -> None:
        if record.direction == Direction.IN:
            self.set_typing(record.sender, False)
            QTimer.singleShot(0, self.mark_read)

    @Slot()
    def mark_read(self) -> None:
        """If the person can see this chat, mark its incoming entries read and tell their senders."""
        window = self.window()
        if not self.isVisible() or window is None or not window.isActiveWindow() or window.isMinimized():
            return
        unread = self.model.unread_incoming()
        if not unread:
            return
        up_to = max(r.row_id or 0 for r in unread)
        self.runtime.store.mark_seen_read(self.chat_id, up_to)
        by_sender: dict[str, list[str]] = {}
        for record in unread:
            if record.kind == EntryKind.TEXT:
                by_sender.setdefault(record.sender, []).append(record.mid)
        for sender, mids in by_sender.items():
            self.runtime.messaging.send_read(sender, mids)

    # --- files and pictures -----------------------------------------------------------------

    def _recipients(self) -> tuple[list[str], Room | None]:
        """Who gets an offer: the contact, or every other member of the room."""
        room = self.room()
        if room is None:
            return [self.chat_id], None
        return [m for m in room.members if m != self.runtime.identity.id], room

    def set_file_actions(self, actions: FileActions) -> None:
        self.file_actions = actions
        self.view.file_actions = actions

    def _start_folder(self, pictures: bool) -> str:
        return self.file_actions.start_folder(pictures) if self.file_actions is not None else str(Path.home())

    def _remember_folder(self, folder: Path) -> None:
        if self.file_actions is not None:
            self.file_actions.remember_folder(folder)

    @Slot(list)
    def offer_paths(self, paths: list[Path]) -> None:
        """Dropped or pasted files: pictures go as pictures (several as one album), anything else as files."""
        self.sending.offer_paths(paths)

    def send_pictures(self, paths: list[Path], original: bool) -> None:
        self.sending.send_pictures(paths, original)

    @Slot(QImage)
    def send_image_data(self, image: QImage) -> None:
        """A pasted picture: shown first, with a readable name, then sent (or not)."""
        name = readable_name(self.tr("Screenshot"), datetime.datetime.now())
        dialog = PictureSendDialog(clean_name(self.entry.name, 40), images=[image], name=name, parent=self)
        dialog.original_box.hide()  # a pasted picture is sent as it is (PNG)
        if dialog.exec() == PictureSendDialog.DialogCode.Accepted:
            self.send_image(image, dialog.name or name)

    @Slot(QImage, str)
    def send_image(self, image: QImage, name: str) -> None:
        """Send a picture made here (pasted, captured) as PNG under `name`."""
        self.sending.send_image(image, name)

    @Slot()
    def take_screenshot(self) -> None:
        """Capture a region of the screen, mark it up, and send it here (or copy or save it)."""
        if self.file_actions is None or self.flow is not None:
            return  # one capture at a time
        self.flow = ScreenshotFlow(self.window(), self.file_actions, clean_name(self.entry.name, 40),
                                   self.runtime.settings.screenshot_hides_window)
        self.flow.send.connect(self.send_image)
        self.flow.problem.connect(self.problem)
        self.flow.finished.connect(self._on_flow_finished)
        self.flow.start()

    @Slot()
    def _on_flow_finished(self) -> None:
        self.flow = None

    @Slot()
    def _pick_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Send files"), self._start_folder(False))
        if names:
            self._remember_folder(Path(names[0]).parent)
            self.sending.offer([Path(n) for n in names])

    @Slot()
    def _pick_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Send a folder"), self._start_folder(False))
        if name:
            self._remember_folder(Path(name).parent)
            self.sending.offer([Path(name)])

    @Slot()
    def _pick_picture(self) -> None:
        patterns = " ".join(f"*{s}" for s in PICTURE_SUFFIXES)
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Send pictures"), self._start_folder(True), self.tr("Pictures ({0})").format(patterns)
        )
        if not names:
            return
        paths = [Path(n) for n in names]
        self._remember_folder(paths[0].parent)
        original = self.runtime.settings.value(ORIGINAL_SETTING, True) not in (False, "false")
        dialog = PictureSendDialog(clean_name(self.entry.name, 40), paths=paths, original=original, parent=self)
        if dialog.exec() == PictureSendDialog.DialogCode.Accepted:
            self.runtime.settings.set_value(ORIGINAL_SETTING, dialog.original)
            self.send_pictures(paths, dialog.original)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.offer_paths(paths)

