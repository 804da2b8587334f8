"""The main window: the chats sidebar on the left, chat tabs on the right."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lanchat.core.contacts import Contact
from lanchat.core.contacts_model import ContactsModel
from lanchat.core.history.records import MessageRecord
from lanchat.core.messaging import ChatMessage
from lanchat.core.notices import Level, Notice
from lanchat.core.profile import default_profile_dir
from lanchat.core.transport import TypingNotice
from lanchat.ui import errors
from lanchat.ui.chat_tab import ChatTab
from lanchat.ui.contacts_view import ContactsPane
from lanchat.ui.history_actions import HistoryActions
from lanchat.ui.me_card import MeCard
from lanchat.ui.picture_cache import PictureCache
from lanchat.ui.runtime_api import RuntimeApi
from lanchat.ui.transfer_cards import CardPainter
from lanchat.ui.untrusted import clean_name
from lanchat.ui.window_dialogs import WindowDialogs

log = logging.getLogger("lanchat.ui.window")

STATUS_MESSAGE_MS = 12_000


def window_title(profile: Path) -> str:
    """"lanchat", or the profile's name when it is not the default one (two profiles, two windows); the
    desktop shows it as "ana — lanchat" (Qt adds the application's display name)."""
    try:
        default = profile.resolve() == default_profile_dir().resolve()
    except OSError:
        default = False
    return "lanchat" if default else clean_name(profile.name or str(profile), 40)


class MainWindow(QMainWindow):
    """The lanchat window. `quit_requested` asks the application to stop."""

    quit_requested = Signal()
    #: Settings that apply at start changed and the person chose to restart now.
    restart_requested = Signal()

    def __init__(self, runtime: RuntimeApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self._title = window_title(runtime.options.profile)
        self.setWindowTitle(self._title)
        self.resize(1080, 720)
        self.setMinimumSize(720, 480)
        self._quitting = False
        self._painted = False
        self._warned_names: set[str] = set()
        #: id -> case-folded name of each contact you verified, for the impersonation warning.
        self._verified_names = {c.id: c.name.casefold() for c in runtime.contacts.all() if c.verified}
        self.contacts_model = ContactsModel(runtime.contacts, runtime.store, runtime.identity.id, self)
        self.pictures = PictureCache(runtime.small_copies_folder, parent=self)
        self.card_painter = CardPainter(runtime.transfers, self.pictures)
        self.card_painter.changed.connect(self._on_card_changed)
        self.history_actions = HistoryActions(self, runtime, self.contacts_model)
        self.history_actions.status_message.connect(self.show_status)
        self.history_actions.chat_deleted.connect(self._on_chat_deleted)

        # Left: who we are, search, chats.
        self.me = MeCard(runtime)
        self.dialogs = WindowDialogs(self, runtime, self.contacts_model, self.card_painter, self.me)
        self.dialogs.open_chat_requested.connect(self.open_chat)
        self.dialogs.raise_requested.connect(self.raise_window)
        self.dialogs.quit_requested.connect(self.quit)
        self.dialogs.status_message.connect(self.show_status)
        self.dialogs.restart_requested.connect(self.restart_requested)
        self.history_actions.warning.connect(self.dialogs.warn)
        self.me.settings_requested.connect(self.dialogs.open_settings)
        self.me.new_group_requested.connect(self.dialogs.new_group)
        self.me.share_requested.connect(self.dialogs.open_share)
        self.me.transfers_requested.connect(self.dialogs.show_transfers)
        self.me.quit_requested.connect(self.quit)
        self.me.status_changed.connect(self._on_own_status)
        self.me.export_chat_requested.connect(self.export_current_chat)
        self.me.delete_chat_requested.connect(self.delete_current_chat)
        self.me.clear_history_requested.connect(self.history_actions.clear_history)
        self.contacts = ContactsPane(self.contacts_model)
        self.contacts.chat_activated.connect(self.open_chat)
        self.contacts.files_dropped.connect(self.send_files_to_chat)
        self.contacts.history_search.connect(self.search_history)
        self.contacts.result_activated.connect(self.jump_to)
        sidebar = QWidget()
        sidebar.setObjectName("Sidebar")
        sidebar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        side_layout = QVBoxLayout(sidebar)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(4)
        side_layout.addWidget(self.me)
        side_layout.addWidget(self.contacts, 1)
        sidebar.setMinimumWidth(260)

        # Right: the chat tabs, or a welcome when none is open.
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.tabBar().setDrawBase(False)  # no grey line beside the tabs
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.empty = self._empty_state()
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(self.tabs)

        splitter = QSplitter()
        splitter.addWidget(sidebar)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 760])
        splitter.setHandleWidth(1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        # Shown only while it says something: an empty status bar was a blank strip under the window.
        self.statusBar().setSizeGripEnabled(False)
        self.statusBar().messageChanged.connect(self._on_status_changed)
        self.statusBar().hide()

        for keys, slot in (
            (QKeySequence("Ctrl+Tab"), self.next_tab),
            (QKeySequence("Ctrl+Shift+Tab"), self.previous_tab),
            (QKeySequence("Ctrl+PgDown"), self.next_tab),
            (QKeySequence("Ctrl+PgUp"), self.previous_tab),
            (QKeySequence(QKeySequence.StandardKey.Close), self.close_current_tab),
            (QKeySequence(QKeySequence.StandardKey.Find), self.focus_search),
            (QKeySequence("Ctrl+N"), self.dialogs.new_group),
            (QKeySequence("Ctrl+,"), self.dialogs.open_settings),
            (QKeySequence(QKeySequence.StandardKey.Quit), self.quit),
        ):
            QShortcut(keys, self, slot, Qt.ShortcutContext.WindowShortcut)

        self.contacts_model.dataChanged.connect(self._on_chats_changed)
        self.contacts_model.layoutChanged.connect(self._on_chats_changed)
        self.contacts_model.modelReset.connect(self._on_chats_changed)
        runtime.contacts.changed.connect(self._on_contact_changed)
        runtime.messaging.message_received.connect(self._on_message_received)
        runtime.messaging.typing_changed.connect(self._on_typing)
        self.retranslate()
        self._update_unread()

    def _empty_state(self) -> QWidget:
        page = QWidget()
        page.setObjectName("EmptyState")
        page.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        icon = QLabel("💬")
        icon.setStyleSheet("font-size: 48pt;")
        self.empty_title = title = QLabel()
        title.setObjectName("EmptyTitle")
        self.empty_text = text = QLabel()
        text.setObjectName("EmptyText")
        for label in (icon, title, text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(icon)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addStretch(2)
        return page

    def retranslate(self) -> None:
        """The window's own texts in the current language (its widgets retranslate themselves)."""
        self.empty_title.setText(self.tr("Welcome to lanchat"))
        self.empty_text.setText(self.tr(
            "People on your network appear on the left as they start lanchat.\n"
            "Double-click someone to chat, or write to Everyone at once.\n"
            "Drop files or pictures on a chat to send them."
        ))

    # --- starting -------------------------------------------------------------------------

    def start(self) -> None:
        """Show the notices kept until now and listen for new ones."""
        for notice in self.runtime.notices.listen():
            self.show_notice(notice)
        self.runtime.notices.posted.connect(self.show_notice)

    # --- tabs ------------------------------------------------------------------------------

    def chat_tabs(self) -> list[ChatTab]:
        return [w for i in range(self.tabs.count()) if isinstance(w := self.tabs.widget(i), ChatTab)]

    def tab_for(self, chat_id: str) -> ChatTab | None:
        for tab in self.chat_tabs():
            if tab.chat_id == chat_id:
                return tab
        return None

    @Slot(str)
    @Slot(str, object)
    def send_files_to_chat(self, chat_id: str, paths: list[Path]) -> None:
        """Files dropped onto a contact (or group) in the list: open its chat and send them."""
        tab = self.open_chat(chat_id)
        if tab is not None:
            tab.offer_paths(paths)

    def open_chat(self, chat_id: str) -> ChatTab | None:
        """Open (or switch to) the chat's tab and put the cursor in its compose box."""
        tab = self.tab_for(chat_id)
        if tab is None:
            entry = self.contacts_model.entry(chat_id)
            if entry is None:
                return None
            tab = ChatTab(self.runtime, entry, self.card_painter)
            tab.details_requested.connect(self.dialogs.contact_details)
            tab.problem.connect(self.show_status)
            tab.card_action.connect(self.dialogs.card_action)
            tab.set_file_actions(self.dialogs.file_actions)
            tab.media_requested.connect(self.dialogs.show_media)
            tab.export_requested.connect(self.history_actions.export_chat)
            tab.delete_requested.connect(self.history_actions.delete_chat)
            index = self.tabs.addTab(tab, tab.tab_title())
            self.tabs.setTabToolTip(index, clean_name(entry.name))
        self.right.setCurrentWidget(self.tabs)
        self.tabs.setCurrentWidget(tab)
        self.contacts.select_chat(chat_id)
        tab.compose.edit.setFocus()
        return tab

    @Slot(int)
    def close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        self.tabs.removeTab(index)
        if widget is not None:
            widget.deleteLater()
        if self.tabs.count() == 0:
            self.right.setCurrentWidget(self.empty)
            self.me.set_chat_open(False)

    @Slot(str)
    def _on_chat_deleted(self, chat_id: str) -> None:
        tab = self.tab_for(chat_id)
        if tab is not None:
            self.close_tab(self.tabs.indexOf(tab))

    @Slot(str)
    def _on_card_changed(self, tid: str) -> None:
        view = self.card_painter.view(tid)
        for tab in self.chat_tabs():
            tab.model.refresh_entry(tid, view)

    @Slot()
    def close_current_tab(self) -> None:
        if self.tabs.count():
            self.close_tab(self.tabs.currentIndex())

    @Slot()
    def next_tab(self) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + 1) % self.tabs.count())

    @Slot()
    def previous_tab(self) -> None:
        if self.tabs.count():
            self.tabs.setCurrentIndex((self.tabs.currentIndex() - 1) % self.tabs.count())

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        tab = self.tabs.widget(index)
        self.me.set_chat_open(isinstance(tab, ChatTab))
        if isinstance(tab, ChatTab):
            self.contacts.select_chat(tab.chat_id)
            QTimer.singleShot(0, tab.mark_read)

    @Slot()
    def focus_search(self) -> None:
        self.contacts.search.setFocus()
        self.contacts.search.selectAll()

    @Slot()
    def export_current_chat(self) -> None:
        tab = self.current_chat()
        if tab is not None:
            self.history_actions.export_chat(tab.chat_id)

    @Slot()
    def delete_current_chat(self) -> None:
        tab = self.current_chat()
        if tab is not None:
            self.history_actions.delete_chat(tab.chat_id)

    # --- search ------------------------------------------------------------------------------

    @Slot(str)
    def search_history(self, query: str) -> None:
        records = self.runtime.store.search(query, limit=100)
        names = {e.id: e.name for e in self.contacts_model.entries()}
        self.contacts.show_results(query, records, names)

    @Slot(MessageRecord)
    def jump_to(self, record: MessageRecord) -> None:
        tab = self.open_chat(record.chat)
        if tab is not None and record.row_id is not None:
            tab.view.jump_to(record.row_id)

    # --- updates ------------------------------------------------------------------------------

    @Slot()
    def _on_chats_changed(self) -> None:
        for tab in self.chat_tabs():
            entry = self.contacts_model.entry(tab.chat_id)
            if entry is not None and entry != tab.entry:
                tab.update_entry(entry)
                self.tabs.setTabText(self.tabs.indexOf(tab), tab.tab_title())
        current = self.current_chat()
        if current is not None:
            self.contacts.select_chat(current.chat_id)
        self._update_unread()

    def _update_unread(self) -> None:
        total = self.contacts_model.total_unread()
        self.setWindowTitle(f"({total}) {self._title}" if total else self._title)
        self.dialogs.set_unread(total)

    @Slot(Contact)
    def _on_contact_changed(self, contact: Contact) -> None:
        self._check_impersonation(contact)
        for tab in self.chat_tabs():  # cards say "will send when … is back" while a contact is away
            tab.view.viewport().update()
        if self.dialogs.panel.isVisible():
            self.dialogs.panel.list.viewport().update()

    def _check_impersonation(self, contact: Contact) -> None:
        """Warn once when a new key uses the name of a verified contact (costs the number of verified ones)."""
        if contact.verified:
            self._verified_names[contact.id] = contact.name.casefold()
            return
        self._verified_names.pop(contact.id, None)
        if contact.id in self._warned_names or contact.name.casefold() not in self._verified_names.values():
            return
        self._warned_names.add(contact.id)
        self.runtime.notices.post(
            Level.ERROR, "name-impersonation",
            self.tr("Someone new uses the name “{0}” of a contact you verified. It is a different "
                    "key: it may not be the same person. Compare fingerprints before you trust them.")
            .format(clean_name(contact.name)),
            contact.id,
        )

    @Slot(ChatMessage)
    def _on_message_received(self, message: ChatMessage) -> None:
        chat = message.room.id if message.room else message.sender
        tab = self.tab_for(chat)
        visible = tab is not None and self.tabs.currentWidget() is tab and self.isActiveWindow()
        if visible:
            return
        contact = self.runtime.contacts.get(message.sender)
        who = clean_name(contact.name if contact else message.sender[:8])
        title = who if message.room is None else f"{who} · {clean_name(message.room.name)}"
        self.dialogs.notify(title, message.text, chat)
        QApplication.alert(self)

    @Slot(TypingNotice)
    def _on_typing(self, notice: TypingNotice) -> None:
        tab = self.tab_for(notice.room or notice.sender)
        if tab is not None:
            tab.set_typing(notice.sender, notice.active)

    @Slot(str)
    def _on_own_status(self, status: str) -> None:
        self.dialogs.refresh_tray()

    # --- notices ------------------------------------------------------------------------------

    @Slot(Notice)
    def show_notice(self, notice: Notice) -> None:
        contact = self.runtime.contacts.get(notice.peer) if notice.peer else None
        text = errors.notice_text(notice, clean_name(contact.name) if contact else None)
        if errors.wants_dialog(notice):
            self.dialogs.warn(text)
        else:
            self.show_status(text)

    @Slot(str)
    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    @Slot(str)
    def _on_status_changed(self, text: str) -> None:
        self.statusBar().setVisible(bool(text))

    # --- window life ---------------------------------------------------------------------------

    @Slot()
    def raise_window(self) -> None:
        """Bring the window to the front (a second `lanchat` asked for it, or the tray)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            log.info("window shown")  # once: tests/bench/window.py times the start up to here

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.dialogs.tray.retranslate()
            if self.runtime.store.is_open:
                self.contacts_model.reload()  # "Everyone" and "You: " are the model's words
            self.contacts.list.viewport().update()
            for chat in self.chat_tabs():
                self.tabs.setTabText(self.tabs.indexOf(chat), chat.tab_title())
        if event.type() in (QEvent.Type.ActivationChange, QEvent.Type.WindowStateChange):
            tab = self.tabs.currentWidget()
            if isinstance(tab, ChatTab) and self.isActiveWindow():
                QTimer.singleShot(0, tab.mark_read)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._quitting and self.dialogs.close_to_tray():
            event.ignore()
            self.hide()
            return
        event.accept()
        self.quit_requested.emit()

    @Slot()
    def quit(self) -> None:
        self._quitting = True
        self.dialogs.hide_tray()
        self.close()

    def current_chat(self) -> ChatTab | None:
        tab = self.tabs.currentWidget()
        return tab if isinstance(tab, ChatTab) else None
