"""The main window with two real peers on loopback."""

from __future__ import annotations

from PySide6.QtCore import Qt

from lanchat.core.contacts_model import ChatKind, ContactsModel
from lanchat.core.messaging import ChatMessage


def entry_of(window, peer_id):
    return window.contacts_model.entry(peer_id)


def test_contact_appears_and_enter_delivers_a_message(make_runtime, make_window, online, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    received: list[ChatMessage] = []
    ben.messaging.message_received.connect(received.append)
    window = make_window(ana)
    qtbot.waitUntil(lambda: online(ana, ben) and entry_of(window, ben.identity.id) is not None, timeout=10_000)
    entry = entry_of(window, ben.identity.id)
    assert entry.kind == ChatKind.CONTACT and entry.online and entry.name == "ben"

    # Select Ben in the list and press Enter: his chat opens.
    view = window.contacts.list
    row = window.contacts.proxy.mapFromSource(window.contacts_model.index(window.contacts_model.row_of(entry.id)))
    view.setCurrentIndex(row)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    tab = window.current_chat()
    assert tab is not None and tab.chat_id == ben.identity.id

    qtbot.keyClicks(tab.compose.edit, "hello ben")
    qtbot.keyClick(tab.compose.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(tab.compose.edit, "second line")
    qtbot.keyClick(tab.compose.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(received), timeout=10_000)
    assert received[0].text == "hello ben\nsecond line"
    assert tab.compose.text() == ""
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: tab.model.record(0).state in ("delivered", "read"), timeout=10_000)


def test_incoming_message_raises_the_badge_and_shows_in_the_tab(make_runtime, make_window, online, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    window = make_window(ana)
    qtbot.waitUntil(lambda: online(ben, ana) and entry_of(window, ben.identity.id) is not None, timeout=10_000)

    ben.messaging.send_text(ana.identity.id, "are you there? <b>bold</b>")
    qtbot.waitUntil(lambda: entry_of(window, ben.identity.id).unread == 1, timeout=10_000)
    entry = entry_of(window, ben.identity.id)
    assert entry.preview == "are you there? <b>bold</b>"
    assert window.contacts_model.total_unread() == 1
    assert window.windowTitle().startswith("(1)")

    tab = window.open_chat(ben.identity.id)
    assert tab is not None
    assert [r.text for r in tab.model.records()] == ["are you there? <b>bold</b>"]
    tab.mark_read()  # what showing the tab to an active window does
    qtbot.waitUntil(lambda: entry_of(window, ben.identity.id).unread == 0, timeout=10_000)


def test_untrusted_name_is_shown_literally(make_runtime, make_window, online, qtbot):
    ana, mallory = make_runtime("ana"), make_runtime("<b>x</b>")
    window = make_window(ana)
    qtbot.waitUntil(lambda: entry_of(window, mallory.identity.id) is not None, timeout=10_000)
    index = window.contacts_model.index(window.contacts_model.row_of(mallory.identity.id))
    assert index.data(Qt.ItemDataRole.DisplayRole) == "<b>x</b>"
    tab = window.open_chat(mallory.identity.id)
    assert tab.title.textFormat() == Qt.TextFormat.PlainText
    assert tab.title.text() == "<b>x</b>"
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "<b>x</b>"


def test_everyone_room_and_tabs(make_runtime, make_window, online, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    received: list[ChatMessage] = []
    ben.messaging.message_received.connect(received.append)
    window = make_window(ana)
    qtbot.waitUntil(lambda: online(ana, ben), timeout=10_000)
    everyone = window.contacts_model.entries()[0]
    assert everyone.kind == ChatKind.EVERYONE
    qtbot.waitUntil(lambda: window.contacts_model.entries()[0].members == (ben.identity.id,), timeout=5000)
    tab = window.open_chat(everyone.id)
    tab.send("hi all")
    qtbot.waitUntil(lambda: bool(received), timeout=10_000)
    assert received[0].room is not None and received[0].room.id == everyone.id

    window.open_chat(ben.identity.id)
    assert window.tabs.count() == 2
    window.next_tab()
    assert window.current_chat() is tab
    window.close_current_tab()
    assert window.tabs.count() == 1


def test_history_search_jumps_to_the_message(make_runtime, make_window, online, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    window = make_window(ana)
    qtbot.waitUntil(lambda: online(ben, ana), timeout=10_000)
    ben.messaging.send_text(ana.identity.id, "the password is swordfish")
    qtbot.waitUntil(lambda: entry_of(window, ben.identity.id).unread == 1, timeout=10_000)
    window.contacts.search.setText("swordfish")
    qtbot.keyClick(window.contacts.search, Qt.Key.Key_Return)
    assert window.contacts.results_model.rowCount() == 1
    record = window.contacts.results_model.item(0).data(Qt.ItemDataRole.UserRole)
    window.jump_to(record)
    assert window.current_chat().chat_id == ben.identity.id
    assert ContactsModel.EntryRole


def test_typing_indicator_and_notices(make_runtime, make_window, online, qtbot):
    from lanchat.core.notices import Level

    ana, ben = make_runtime("ana"), make_runtime("ben")
    window = make_window(ana)
    qtbot.waitUntil(lambda: online(ben, ana) and entry_of(window, ben.identity.id) is not None, timeout=10_000)
    tab = window.open_chat(ben.identity.id)
    ben.messaging.send_text(ana.identity.id, "hi")  # opens Ben's link to Ana
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
    ben.messaging.send_typing(ana.identity.id, True)
    qtbot.waitUntil(lambda: tab.typing_label.text() == "typing…", timeout=10_000)
    ben.messaging.send_typing(ana.identity.id, False)
    qtbot.waitUntil(lambda: tab.typing_label.text() == "", timeout=10_000)

    ana.notices.post(Level.WARNING, "port-fallback", "Port 48484 is used by another program.")
    assert window.statusBar().currentMessage() == "Port 48484 is used by another program."


def test_contacts_list_never_scrolls_sideways(make_runtime, make_window, online, qtbot):
    ana, long_name = make_runtime("ana"), make_runtime("A name far too long to fit in the sidebar " * 3)
    window = make_window(ana)
    qtbot.waitUntil(lambda: entry_of(window, long_name.identity.id) is not None, timeout=10_000)
    view = window.contacts.list
    assert view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    for row in range(view.model().rowCount()):
        assert view.visualRect(view.model().index(row, 0)).width() == view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0
