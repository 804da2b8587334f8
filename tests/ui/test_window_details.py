"""Issue 16, items 8, 12 and 14: Everyone's header, groups' previews, the Transfers window and small faults."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont

from lanchat.core.contacts_model import ChatKind
from lanchat.core.history.records import Direction
from lanchat.core.rooms import Room
from lanchat.core.transfers.offers import OfferKind
from lanchat.core.transfers.state import TransferState
from lanchat.core.transfers.transfer import TransferFile, TransferView
from lanchat.ui import theme
from lanchat.ui.avatar import everyone_pixmap
from lanchat.ui.chat_tab import everyone_subtitle
from lanchat.ui.elided_label import line_height
from lanchat.ui.transfers_panel import _small
from lanchat.ui.window import window_title


def test_everyone_header_counts_in_words_and_wears_the_lists_icon(two_windows, qtbot):
    ana, ben, ana_window, _ben_window = two_windows()
    everyone = ana_window.contacts_model.entries()[0]
    assert everyone.kind == ChatKind.EVERYONE
    tab = ana_window.open_chat(everyone.id)
    qtbot.waitUntil(lambda: tab.subtitle.text() == "Reaches the 1 person online now", timeout=5000)
    assert "1 people" not in everyone_subtitle(1) and everyone_subtitle(3) == "Reaches the 3 people online now"
    assert tab.avatar.pixmap().toImage() == everyone_pixmap(38, tab.devicePixelRatioF()).toImage()


def test_a_groups_preview_names_who_wrote_last(two_windows, qtbot):
    ana, ben, ana_window, _ben_window = two_windows()
    room = Room("c" * 32, "Project team", (ana.identity.id, ben.identity.id))
    ben.messaging.send_room_text(room, "I pushed the slides")
    qtbot.waitUntil(lambda: (e := ana_window.contacts_model.entry(room.id)) is not None and bool(e.preview),
                    timeout=10_000)
    assert ana_window.contacts_model.entry(room.id).preview == "ben: I pushed the slides"
    assert ana_window.contacts_model.entry(ben.identity.id).preview == ""  # a 1:1 chat needs no name


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_transfers_window_leaves_the_chat_alone(two_windows, qtbot):
    ana, ben, ana_window, _ben_window = two_windows()
    tab = ana_window.open_chat(ben.identity.id)
    qtbot.waitUntil(lambda: tab.compose.edit.width() > 0)
    width = tab.compose.edit.width()
    ana_window.me.transfers_requested.emit()
    panel = ana_window.dialogs.panel
    qtbot.waitUntil(panel.isVisible)
    assert panel.isWindow()
    assert tab.compose.edit.width() == width


def test_a_transfer_row_holds_its_lines_in_any_script(make_runtime):
    from lanchat.ui.transfers_panel import TransferDelegate

    delegate = TransferDelegate(lambda peer: ("小红", True))
    font = QFont()
    title, detail, row = delegate.rows(font)
    assert title >= line_height(font) and detail >= line_height(_small(font))
    assert row >= title + detail + 5  # both lines and the bar, none clipped
    moving = TransferView("a" * 32, Direction.IN, "b" * 64, OfferKind.FILES, (TransferFile("video.mp4", 300),),
                          TransferState.PROGRESS, 168, 300, 450.0, 0.29)
    assert delegate.detail_text(moving) == "小红  ·  56 %  ·  450 B/s  ·  1 s left"


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard", "This plugin does not support raise")
def test_emoji_picker_opens_inside_the_window(two_windows, qtbot):
    ana, ben, ana_window, _ben_window = two_windows()
    tab = ana_window.open_chat(ben.identity.id)
    qtbot.mouseClick(tab.compose.emoji_button, Qt.MouseButton.LeftButton)
    picker = tab.compose.picker
    qtbot.waitUntil(lambda: picker is not None and picker.isVisible())
    window = ana_window.geometry()
    assert picker.geometry().right() <= window.right() and picker.geometry().left() >= window.left()
    button = tab.compose.emoji_button
    button_right = button.mapToGlobal(QPoint(button.width(), 0)).x()
    assert picker.geometry().right() <= button_right
    picker.hide()


def test_status_menu_dots_are_coloured(two_windows):
    _ana, _ben, ana_window, _ben_window = two_windows()
    for action in ana_window.me.status_menu.actions():
        status = str(action.data())
        image = action.icon().pixmap(12, 12).toImage()
        assert QColor(image.pixel(6, 6)) == theme.STATUS_COLORS[status], status
        assert "●" not in action.text()


def test_no_empty_strip_and_a_title_that_names_the_profile(two_windows, qtbot, tmp_path):
    ana, _ben, ana_window, _ben_window = two_windows()
    assert ana_window.statusBar().isHidden()
    ana_window.show_status("Port 48484 is used by another program.")
    assert not ana_window.statusBar().isHidden()
    ana_window.statusBar().clearMessage()
    assert ana_window.statusBar().isHidden()
    assert ana_window.windowTitle() == "ana"  # shown as "ana — lanchat": Qt adds the display name
    assert window_title(tmp_path / "class 3B") == "class 3B"
