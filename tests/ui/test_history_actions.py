"""Export chat, Delete chat and Clear all history from the window's menus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from lanchat.core.rooms import EVERYONE_ROOM_ID
from lanchat.ui.history_actions import default_file_name, export_format


@pytest.fixture
def save_as(monkeypatch):
    """Answer the next "Export chat" file dialogs with these paths; records what they suggested."""
    asked: list[str] = []
    answers: list[Path] = []

    def get_save_file_name(parent, caption="", directory="", filter="", *args, **kwargs):  # noqa: A002
        asked.append(directory)
        return (str(answers.pop(0)), "") if answers else ("", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))

    def answer(*paths: Path) -> list[str]:
        answers.extend(paths)
        return asked

    return answer


def chat_with_messages(two_windows, qtbot):
    """Ana's window with Ben's tab open and two messages in it (one from each)."""
    ana, ben, ana_window, ben_window = two_windows()
    tab = ana_window.open_chat(ben.identity.id)
    ben.messaging.send_text(ana.identity.id, "see <b>bold</b> & <script>x</script>")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
    tab.send("first line\nsecond line")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=10_000)
    return ana, ben, ana_window, tab


def test_export_chat_writes_html_txt_and_json(two_windows, save_as, qtbot, tmp_path):
    ana, ben, window, tab = chat_with_messages(two_windows, qtbot)
    asked = save_as(tmp_path / "ben.html", tmp_path / "ben.txt", tmp_path / "ben.json", tmp_path / "no-suffix")

    window.me.export_action.trigger()  # the window menu
    assert Path(asked[0]).name == "ben.html"
    page = (tmp_path / "ben.html").read_text(encoding="utf-8")
    assert "see &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page and "<script>" not in page
    assert "first line\nsecond line" in page and "ben → me" in page
    assert window.statusBar().currentMessage().startswith("Exported 2 message")

    tab.export_action.trigger()  # the chat header's menu
    text = (tmp_path / "ben.txt").read_text(encoding="utf-8")
    assert "ben → me: see <b>bold</b> & <script>x</script>" in text
    assert "me → ben (" in text and "    second line" in text

    tab.export_action.trigger()
    entries = json.loads((tmp_path / "ben.json").read_text(encoding="utf-8"))
    assert [e["text"] for e in entries] == ["see <b>bold</b> & <script>x</script>", "first line\nsecond line"]
    assert [e["direction"] for e in entries] == ["in", "out"]
    assert entries[0]["peer"] == ben.identity.id and entries[0]["peer_name"] == "ben"

    tab.export_action.trigger()
    assert (tmp_path / "no-suffix.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    tab.export_action.trigger()  # cancelled: nothing written, nothing said
    assert len(list(tmp_path.glob("*.*"))) == 4


def test_export_to_a_folder_that_cannot_be_written_says_so(two_windows, save_as, qtbot, tmp_path):
    ana, ben, window, tab = chat_with_messages(two_windows, qtbot)
    save_as(tmp_path / "missing" / "ben.html")
    shown: list[str] = []
    window.history_actions.warning.disconnect(window.dialogs.warn)
    window.history_actions.warning.connect(shown.append)
    tab.export_action.trigger()
    assert shown and "Could not write" in shown[0] and "ben.html" in shown[0]


#: The offscreen platform says this when a message box is shown.
OFFSCREEN_DIALOG = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@OFFSCREEN_DIALOG
def test_delete_chat_asks_removes_the_history_and_keeps_the_contact(two_windows, answer_dialog, qtbot):
    ana, ben, window, tab = chat_with_messages(two_windows, qtbot)
    everyone = window.open_chat(EVERYONE_ROOM_ID)
    everyone.send("hello everyone")
    qtbot.waitUntil(lambda: everyone.model.rowCount() == 1, timeout=10_000)
    window.open_chat(ben.identity.id)

    asked = answer_dialog("Cancel")
    tab.delete_action.trigger()
    assert asked and "ben" in asked[0]
    assert len(ana.store.page(ben.identity.id)) == 2 and window.tab_for(ben.identity.id) is tab

    asked = answer_dialog("Delete chat")
    window.me.delete_action.trigger()  # the window menu acts on the open chat
    assert asked
    qtbot.waitUntil(lambda: ana.store.page(ben.identity.id) == [], timeout=5000)
    assert window.tab_for(ben.identity.id) is None
    # The list hears of the deletion from the history's writer thread, a moment later.
    qtbot.waitUntil(lambda: (e := window.contacts_model.entry(ben.identity.id)) is not None
                    and e.preview == "" and e.unread == 0, timeout=5000)
    assert [r.text for r in ana.store.page(EVERYONE_ROOM_ID)] == ["hello everyone"]
    assert window.statusBar().currentMessage() == "Deleted the chat “ben”."
    assert ben.store.page(ana.identity.id) != []  # Ben keeps his copy


@OFFSCREEN_DIALOG
def test_clear_all_history_asks_and_empties_every_chat(two_windows, answer_dialog, qtbot):
    ana, ben, window, tab = chat_with_messages(two_windows, qtbot)
    window.close_current_tab()
    assert not window.me.export_action.isEnabled() and not window.me.delete_action.isEnabled()
    assert window.me.clear_action.isEnabled()

    asked = answer_dialog("Clear all history")
    window.me.clear_action.trigger()
    assert asked and "every message" in asked[0]
    qtbot.waitUntil(lambda: ana.store.page(ben.identity.id) == [], timeout=5000)
    assert window.contacts_model.entry(ben.identity.id) is not None


def test_file_names_and_formats():
    assert default_file_name("Ana / Ben: notes?") == "Ana _ Ben_ notes_.html"
    assert default_file_name("...") == "chat.html"
    assert default_file_name("中文组") == "中文组.html"
    assert [export_format(Path(n)) for n in ("a.HTML", "a.htm", "a.txt", "a.json", "a.md")] == [
        "html", "html", "txt", "json", "html",
    ]
