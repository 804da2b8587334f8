"""Issue 16, item 9: the language switches at once; a change that needs a restart is named, with a Restart button."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lanchat.resources import resource_path
from lanchat.ui.settings_dialog import SettingsDialog


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_chinese_at_once_and_a_named_restart(make_runtime, make_window, answer_dialog, qtbot):
    assert resource_path("translations", "lanchat_zh_CN.qm").is_file(), "run: python -m lanchat.ui.translations build"
    ana, ben = make_runtime("ana"), make_runtime("ben")
    window = make_window(ana)
    qtbot.waitUntil(lambda: window.contacts_model.entry(ben.identity.id) is not None, timeout=10_000)
    tab = window.open_chat(ben.identity.id)
    assert tab.compose.edit.placeholderText() == "Write a message…"

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(10, fill_in)
            return
        dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
        dialog.port.setValue(0)
        dialog.save()

    QTimer.singleShot(0, fill_in)
    asked = answer_dialog("立即重启")  # the note comes in the new language
    with qtbot.waitSignal(window.restart_requested, timeout=10_000):
        window.dialogs.open_settings()
    assert asked and "连接端口 (TCP)" in asked[0]

    # No restart was needed for the language: what is on screen is Chinese already.
    assert tab.compose.edit.placeholderText() == "输入消息…"
    assert window.contacts_model.entries()[0].name == "所有人"
    assert window.me.settings_action.text() == "设置…"
    assert window.empty_title.text() != "Welcome to lanchat"
