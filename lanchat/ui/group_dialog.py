"""New group chat: a name and the contacts to include."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lanchat.core.contacts import Contact
from lanchat.ui.untrusted import clean_name

log = logging.getLogger("lanchat.ui.group_dialog")


class GroupDialog(QDialog):
    """Pick a name and members; `members()` are the ticked contact ids."""

    def __init__(self, contacts: list[Contact], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New group chat"))
        self.setMinimumSize(380, 440)
        self.name = QLineEdit()
        self.name.setMaxLength(64)
        self.name.setPlaceholderText(self.tr("Group name, e.g. Project team"))
        self.list = QListWidget()
        for contact in sorted(contacts, key=lambda c: (not c.online, c.name.casefold())):
            state = self.tr("online") if contact.online else self.tr("offline")
            item = QListWidgetItem(f"{clean_name(contact.name)}   ({state})")
            item.setData(Qt.ItemDataRole.UserRole, contact.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create group"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._update)
        self.list.itemChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Name")))
        layout.addWidget(self.name)
        layout.addWidget(QLabel(self.tr("Members")))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self._update()

    def members(self) -> list[str]:
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def group_name(self) -> str:
        return " ".join(self.name.text().split())

    @Slot()
    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.group_name()) and bool(self.members()))
