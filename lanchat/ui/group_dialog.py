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
from lanchat.core.rooms import MAX_ROOM_MEMBERS
from lanchat.ui.untrusted import clean_name

log = logging.getLogger("lanchat.ui.group_dialog")


#: Others a named group can hold: 256 members, we are one of them (docs/protocol.md §5).
MAX_OTHERS = MAX_ROOM_MEMBERS - 1


class GroupDialog(QDialog):
    """Pick a name and members; `members()` are the ticked contact ids (at most 255: the group is full at 256)."""

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
        self.full_note = QLabel(self.tr(
            "This group is full: a group holds at most {0} people, you included. "
            "Untick someone to add another, or write to Everyone."
        ).format(MAX_ROOM_MEMBERS))
        self.full_note.setObjectName("GroupFull")
        self.full_note.setWordWrap(True)
        self.full_note.hide()
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
        layout.addWidget(self.full_note)
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

    def is_full(self) -> bool:
        return len(self.members()) >= MAX_OTHERS

    @Slot()
    def _update(self) -> None:
        members = self.members()
        full = len(members) >= MAX_OTHERS
        # A full group: the unticked contacts cannot be ticked, and the dialog says why.
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() != Qt.CheckState.Checked:
                flags = item.flags()
                enabled = flags | Qt.ItemFlag.ItemIsEnabled if not full else flags & ~Qt.ItemFlag.ItemIsEnabled
                item.setFlags(enabled)
        self.list.blockSignals(False)
        self.full_note.setVisible(full)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.group_name()) and 0 < len(members) <= MAX_OTHERS)
