"""The new-group dialog: a named group holds at most 256 people, and the dialog says so when it is full."""

from __future__ import annotations

from PySide6.QtCore import Qt

from lanchat.core.contacts import Contact, Status
from lanchat.core.rooms import MAX_ROOM_MEMBERS
from lanchat.ui.group_dialog import MAX_OTHERS, GroupDialog


def test_a_group_is_full_at_256_and_the_dialog_says_so(qtbot):
    contacts = [Contact(f"{i:064x}", f"peer {i:03d}", "127.0.0.1", 1, Status.ONLINE) for i in range(300)]
    dialog = GroupDialog(contacts)
    qtbot.addWidget(dialog)
    dialog.name.setText("Year 9")
    assert MAX_OTHERS == MAX_ROOM_MEMBERS - 1 == 255
    for i in range(MAX_OTHERS):
        dialog.list.item(i).setCheckState(Qt.CheckState.Checked)
    assert dialog.is_full() and len(dialog.members()) == 255
    assert not dialog.full_note.isHidden()
    assert "256" in dialog.full_note.text()
    assert not dialog.list.item(MAX_OTHERS).flags() & Qt.ItemFlag.ItemIsEnabled  # no 257th
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.is_full() and dialog.full_note.isHidden()
    assert dialog.list.item(MAX_OTHERS).flags() & Qt.ItemFlag.ItemIsEnabled
