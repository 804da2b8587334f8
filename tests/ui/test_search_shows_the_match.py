"""Issue 16, item 4: a search result shows the words that matched, marked, and jumping to it marks the message."""

from __future__ import annotations

from PySide6.QtCore import Qt

from lanchat.ui.search_results import HitRole, snippet_of


def test_snippet_keeps_the_match_in_view_and_marks_it():
    text = "word " * 60 + "the Homework is due on Monday " + "filler " * 40
    snippet, start, length = snippet_of(text, "homework")
    assert snippet.startswith("…") and snippet.endswith("…")
    assert snippet[start:start + length] == "Homework"
    assert start < 40  # near the start of the line, so a narrow sidebar still shows it


def test_results_differ_and_a_click_scrolls_to_and_marks_the_message(make_runtime, make_window, online, qtbot):
    ana, ben = make_runtime("ana"), make_runtime("ben")
    window = make_window(ana)
    qtbot.waitUntil(lambda: online(ben, ana), timeout=10_000)
    ben.messaging.send_text(ana.identity.id, "The homework is on page 42.")
    for i in range(60):
        ben.messaging.send_text(ana.identity.id, f"filler message {i}")
    ben.messaging.send_text(ana.identity.id, "Don't forget the homework for Monday!")
    qtbot.waitUntil(lambda: sum(ana.store.unread_counts().values()) == 62, timeout=15_000)

    window.contacts.search.setText("homework")
    qtbot.keyClick(window.contacts.search, Qt.Key.Key_Return)
    results = window.contacts.results_model
    assert results.rowCount() == 2
    hits = [results.item(row).data(HitRole) for row in range(2)]
    assert [h.parts[1] for h in hits] == ["homework", "homework"]
    assert hits[0].snippet != hits[1].snippet
    assert "Monday" in hits[0].snippet and "page 42" in hits[1].snippet

    view = window.contacts.results
    index = results.index(1, 0)  # the older one: far above the newest messages
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    tab = window.current_chat()
    record = results.item(1).data(Qt.ItemDataRole.UserRole)
    assert tab is not None and tab.chat_id == ben.identity.id
    assert tab.view.delegate.highlighted == record.row_id

    def marked_in_view() -> bool:
        rect = tab.view.visualRect(tab.model.index(tab.model.row_of(record.row_id)))
        return tab.view.viewport().rect().intersects(rect) and not tab.view.at_bottom()

    qtbot.waitUntil(marked_in_view, timeout=5000)
    tab.view._first_scroll()  # a new tab's first scroll (queued when it opened) must not undo the jump
    assert marked_in_view()
