"""The top of the sidebar: our avatar, name and status, and the settings button."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QIcon, QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget

from lanchat.core.contacts import Status
from lanchat.core.fingerprints import short_fingerprint
from lanchat.ui.avatar import avatar_pixmap, status_icon
from lanchat.ui.elided_label import ElidedLabel
from lanchat.ui.runtime_api import RuntimeApi
from lanchat.ui.untrusted import clean_name

log = logging.getLogger("lanchat.ui.me_card")

AVATAR_SIZE = 40


class MeCard(QWidget):
    """Who we are; the status menu sets runtime status (online/away/busy)."""

    settings_requested = Signal()
    new_group_requested = Signal()
    transfers_requested = Signal()
    share_requested = Signal()
    quit_requested = Signal()
    export_chat_requested = Signal()
    delete_chat_requested = Signal()
    clear_history_requested = Signal()
    status_changed = Signal(str)

    def __init__(self, runtime: RuntimeApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self.avatar = QLabel()
        self.avatar.setFixedSize(AVATAR_SIZE, AVATAR_SIZE)
        self.name_label = ElidedLabel()  # a long name ends in "…", whole in its tooltip
        self.name_label.setObjectName("MeName")
        self.status_button = QToolButton()
        self.status_button.setObjectName("MeButton")
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.status_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.status_button.setStyleSheet("font-size: 9pt; padding: 0 4px; color: #6b7280;")
        self.status_menu = QMenu(self)
        self._status_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for status in Status:
            # A coloured icon: the menu draws its text in one colour, so "●" in the text was black.
            action = QAction(QIcon(status_icon(status.value)), self._status_text(status.value), self, checkable=True)
            action.setData(status.value)
            action.triggered.connect(self._on_status_action)
            group.addAction(action)
            self.status_menu.addAction(action)
            self._status_actions[status.value] = action
        self.status_button.setMenu(self.status_menu)

        self.menu_button = QToolButton()
        self.menu_button.setObjectName("MeButton")
        self.menu_button.setText("⋮")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setIconSize(QSize(20, 20))
        self.menu = menu = QMenu(self)
        self.group_action = menu.addAction("", self.new_group_requested.emit)
        self.transfers_action = menu.addAction("", self.transfers_requested.emit)
        self.share_action = menu.addAction("", self.share_requested.emit)
        self.settings_action = menu.addAction("", self.settings_requested.emit)
        menu.addSeparator()
        self.export_action = menu.addAction("", self.export_chat_requested.emit)
        self.delete_action = menu.addAction("", self.delete_chat_requested.emit)
        self.clear_action = menu.addAction("", self.clear_history_requested.emit)
        self.set_chat_open(False)
        menu.addSeparator()
        self.quit_action = menu.addAction("", self.quit_requested.emit)
        self.menu_button.setMenu(menu)

        self.settings_button = QToolButton()
        self.settings_button.setObjectName("MeButton")
        self.settings_button.setText("⚙")
        self.settings_button.clicked.connect(self.settings_requested.emit)

        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.name_label)
        text.addWidget(self.status_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 12, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(self.avatar)
        layout.addLayout(text, 1)
        layout.addWidget(self.settings_button)
        layout.addWidget(self.menu_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.menu_button.setToolTip(self.tr("Menu"))
        self.settings_button.setToolTip(self.tr("Settings"))
        for action, text in (
            (self.group_action, self.tr("New group chat…")), (self.transfers_action, self.tr("Transfers")),
            (self.share_action, self.tr("Phone / browser…")),
            (self.settings_action, self.tr("Settings…")), (self.export_action, self.tr("Export chat…")),
            (self.delete_action, self.tr("Delete chat…")), (self.clear_action, self.tr("Clear all history…")),
            (self.quit_action, self.tr("Quit lanchat")),
        ):
            action.setText(text)
        for status, action in self._status_actions.items():
            action.setText(self._status_text(status))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def _status_text(self, status: str) -> str:
        return {
            "online": self.tr("Online"), "away": self.tr("Away"), "busy": self.tr("Busy"),
        }.get(status, status)

    def refresh(self) -> None:
        runtime = self._runtime
        status = runtime.settings.status
        image: QImage | None = None
        path = runtime.settings.avatar_path
        if path is not None and path.is_file():
            image = QImage(str(path))
        self.avatar.setPixmap(avatar_pixmap(
            runtime.name, runtime.identity.id, AVATAR_SIZE, image, status, self.devicePixelRatioF()
        ))
        self.name_label.setText(clean_name(runtime.name))
        self.status_button.setText("● " + self._status_text(status) + " ▾")
        color = {"online": "#16a34a", "away": "#d97706", "busy": "#dc2626"}.get(status, "#6b7280")
        self.status_button.setStyleSheet(f"font-size: 9pt; padding: 0 4px; color: {color}; border: none;")
        self._status_actions[status].setChecked(True)
        tip = self.tr("Your fingerprint: {0}\nOthers can compare it with what their lanchat shows.")
        self.setToolTip(tip.format(short_fingerprint(runtime.identity.id)))

    def set_chat_open(self, open_: bool) -> None:
        """Export chat and Delete chat act on the open chat; without one they are greyed out."""
        self.export_action.setEnabled(open_)
        self.delete_action.setEnabled(open_)

    @Slot()
    def _on_status_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.set_status(str(action.data()))

    def set_status(self, status: str) -> None:
        self._runtime.set_status(Status(status))
        self.refresh()
        self.status_changed.emit(status)
