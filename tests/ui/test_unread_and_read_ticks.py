"""Issue 16, items 1 and 2: unread counts clear, and read ticks reach the sender even without an open link."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from lanchat.core.history.records import MessageState


def picture(path, color="#3366cc"):
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    image.save(str(path))
    return path


def test_pictures_and_files_in_the_open_chat_raise_no_badge(two_windows, qtbot, tmp_path):
    ana, ben, ana_window, _ben_window = two_windows()
    tab = ana_window.open_chat(ben.identity.id)
    ana_window.activateWindow()
    (tmp_path / "notes.txt").write_text("x" * 1000)
    tids = [ben.transfers.offer(ana.identity.id, [picture(tmp_path / f"p{i}.png")])[0] for i in range(2)]
    tids += ben.transfers.offer(ana.identity.id, [tmp_path / "notes.txt"])
    qtbot.waitUntil(lambda: all(tab.model.row_of_mid(t) >= 0 for t in tids), timeout=10_000)
    ben.messaging.send_text(ana.identity.id, "and a text")  # read at once: the chat is open
    qtbot.waitUntil(lambda: tab.model.rowCount() == 4, timeout=10_000)
    qtbot.waitUntil(lambda: ana.store.unread_counts() == {}, timeout=10_000)
    qtbot.waitUntil(lambda: ana_window.contacts_model.entry(ben.identity.id).unread == 0, timeout=10_000)
    assert ana_window.contacts_model.total_unread() == 0
    assert not ana_window.windowTitle().startswith("(")
    assert ana_window.dialogs.tray._unread == 0


def test_a_picture_in_a_closed_chat_counts_as_history_does(two_windows, qtbot, tmp_path):
    """History counts incoming texts not yet read; the list says the same before and after a restart."""
    ana, ben, ana_window, _ben_window = two_windows()
    tid = ben.transfers.offer(ana.identity.id, [picture(tmp_path / "p.png")])[0]
    ben.messaging.send_text(ana.identity.id, "look")
    qtbot.waitUntil(lambda: ana_window.contacts_model.entry(ben.identity.id).unread == 1, timeout=10_000)
    assert ana.transfers.view(tid) is not None
    assert ana_window.contacts_model.total_unread() == sum(ana.store.unread_counts().values()) == 1
    tab = ana_window.open_chat(ben.identity.id)
    ana_window.activateWindow()
    tab.mark_read()
    qtbot.waitUntil(lambda: ana_window.contacts_model.total_unread() == 0, timeout=10_000)
    assert ana_window.windowTitle() == ana_window._title


def test_the_first_message_read_shows_two_ticks_to_its_sender(two_windows, qtbot):
    """Ben reads Ana's first message before he has any link to Ana: the receipt waits for one."""
    ana, ben, ana_window, ben_window = two_windows()
    assert not ben.lanchat.links.is_up(ana.identity.id)
    ana_tab = ana_window.open_chat(ben.identity.id)
    ana_tab.send("first words")
    qtbot.waitUntil(lambda: ana_tab.model.rowCount() == 1
                    and ana_tab.model.record(0).state == MessageState.DELIVERED, timeout=10_000)
    ben_tab = ben_window.open_chat(ana.identity.id)
    ben_window.activateWindow()
    ben_tab.mark_read()
    qtbot.waitUntil(lambda: ana_tab.model.record(0).state == MessageState.READ, timeout=10_000)
    assert ana_tab.view.delegate.meta_text(ana_tab.model.record(0), True).endswith("✓✓")
    qtbot.waitUntil(lambda: ben.store.unsent_reads() == {}, timeout=10_000)
