"""Forward files or pictures: pick a contact or a group (typing filters the list)."""

from __future__ import annotations

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

from lanchat.core.rooms import EVERYONE_ROOM_ID, Room
from lanchat.ui.runtime_api import RuntimeApi
from lanchat.ui.untrusted import clean_name

_TARGET = Qt.ItemDataRole.UserRole


class ForwardDialog(QDialog):
    """`chosen` is ([contact id], None) or (the other members, the room) once accepted."""

    def __init__(self, runtime: RuntimeApi, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Forward"))
        self.chosen: tuple[list[str], Room | None] | None = None
        self.chosen_name = ""
        self._runtime = runtime
        own = runtime.identity.id
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Search contacts and groups"))
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        for room in sorted(runtime.messaging.rooms().values(), key=lambda r: r.name.casefold()):
            if room.id == EVERYONE_ROOM_ID:
                continue
            members = [m for m in room.members if m != own]
            if members:
                self._add(self.tr("Group: {0}").format(clean_name(room.name)), (members, room))
        contacts = [c for c in runtime.contacts.all() if c.id != own]
        for contact in sorted(contacts, key=lambda c: (not c.online, c.name.casefold())):
            label = clean_name(contact.name) + ("" if contact.online else self.tr(" (offline)"))
            self._add(label, ([contact.id], None))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Forward"))
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Send %n file(s) to:", "", count)))
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._on_filter)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemDoubleClicked.connect(self._on_double_clicked)
        self.resize(360, 420)

    def _add(self, label: str, target: tuple[list[str], Room | None]) -> None:
        item = QListWidgetItem(label)
        item.setData(_TARGET, target)
        item.setToolTip(label)
        self.list.addItem(item)

    @Slot(str)
    def _on_filter(self, text: str) -> None:
        wanted = text.casefold().strip()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(wanted) and wanted not in item.text().casefold())

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self.ok.setEnabled(current is not None and not current.isHidden())

    @Slot(QListWidgetItem)
    def _on_double_clicked(self, item: QListWidgetItem) -> None:
        self.list.setCurrentItem(item)
        self.accept()

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = item.data(_TARGET)
        self.chosen_name = item.text()
        super().accept()
