"""Selecting a region of frozen screens and marking it up (the widgets, driven by mouse and keys)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog

from lanchat.ui.screenshot.grab import Frozen
from lanchat.ui.screenshot.markup import MOSAIC_BLOCK, MarkupWindow, Tool
from lanchat.ui.screenshot.selector import RegionSelector

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")


def screens(width: int = 800, height: int = 600) -> QImage:
    """A desktop: grey, a green box at (100, 100)–(299, 199), one white pixel per 10 px in it."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#808080"))
    painter = QPainter(image)
    painter.fillRect(QRect(100, 100, 200, 100), QColor("#00c000"))
    painter.end()
    for x in range(100, 300, 10):
        image.setPixelColor(x, 150, QColor("white"))
    return image


def drag(widget, start: QPoint, end: QPoint) -> None:
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(widget, (start + end) / 2)
    QTest.mouseMove(widget, end)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def test_dragging_selects_the_region_at_full_resolution(qtbot):
    frozen = Frozen(screens(1600, 1200), QRect(0, 0, 800, 600), 2.0)  # a 2× screen
    selector = RegionSelector(frozen)  # it deletes itself once closed
    got: list[QImage] = []
    selector.selected.connect(got.append)
    selector.start()
    selector.resize(800, 600)
    drag(selector, QPoint(50, 50), QPoint(150, 100))
    assert got and got[0].size() == QRect(0, 0, 200, 100).size()


def test_a_click_selects_nothing_and_esc_cancels(qtbot):
    selector = RegionSelector(Frozen(screens(), QRect(0, 0, 800, 600), 1.0))
    got, cancelled = [], []
    selector.selected.connect(got.append)
    selector.cancelled.connect(lambda: cancelled.append(True))
    selector.start()
    selector.resize(800, 600)
    drag(selector, QPoint(10, 10), QPoint(12, 11))
    assert got == [] and selector.isVisible()
    QTest.keyClick(selector, Qt.Key.Key_Escape)
    assert cancelled == [True]


def markup(qtbot, capture: QImage, send_to: str | None = "Ana") -> MarkupWindow:
    window = MarkupWindow(capture, send_to)
    qtbot.addWidget(window)
    window.show()
    window.canvas.resize(capture.size())  # 1:1, so widget and picture coordinates agree
    return window


def test_rectangle_arrow_pen_text_and_mosaic_are_drawn_into_the_picture(qtbot, monkeypatch):
    capture = screens().copy(100, 100, 200, 100)  # the green box
    window = markup(qtbot, capture)
    canvas = window.canvas
    assert canvas.tool is Tool.RECTANGLE
    drag(canvas, QPoint(10, 10), QPoint(60, 40))
    window.tool_actions[Tool.ARROW].trigger()
    drag(canvas, QPoint(100, 80), QPoint(180, 20))
    window.tool_actions[Tool.PEN].trigger()
    drag(canvas, QPoint(20, 80), QPoint(70, 90))
    window.tool_actions[Tool.TEXT].trigger()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("小明", True))
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(120, 60))
    window.tool_actions[Tool.MOSAIC].trigger()
    drag(canvas, QPoint(100, 45), QPoint(200, 55))
    assert [m.tool for m in canvas.marks] == [Tool.RECTANGLE, Tool.ARROW, Tool.PEN, Tool.TEXT, Tool.MOSAIC]

    sent: list[QImage] = []
    window.send_requested.connect(sent.append)
    assert window.send_button.text() == "Send to Ana"
    window.send_button.click()
    assert not window.isVisible()
    (image,) = sent
    assert image.size() == capture.size()
    red = QColor(image.pixel(35, 10))  # on the rectangle's top edge
    assert red.red() > 180 and red.green() < 90
    assert QColor(image.pixel(35, 25)).green() > 150  # inside it, the picture is untouched
    # The mosaic hid the white dots of row 50: its squares are even blends, no white pixel is left.
    row = [QColor(image.pixel(x, 50)) for x in range(100, 200)]
    assert all(c.lightness() < 200 for c in row)
    assert len({c.rgb() for c in row[:MOSAIC_BLOCK]}) == 1


def test_undo_removes_the_last_mark_and_copy_and_save_hand_the_picture_on(qtbot):
    capture = screens().copy(100, 100, 200, 100)
    window = markup(qtbot, capture, send_to=None)
    assert not window.send_button.isVisible()
    drag(window.canvas, QPoint(10, 10), QPoint(60, 40))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    QTest.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.canvas.marks == []
    copied: list[QImage] = []
    window.copy_requested.connect(copied.append)
    window.copy_button.click()
    assert copied and copied[0].convertToFormat(QImage.Format.Format_RGB32) == capture
