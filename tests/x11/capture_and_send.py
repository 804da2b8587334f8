"""Run under a real X server (xvfb-run, QT_QPA_PLATFORM=xcb): capture a region of the screen, mark it up, send it.

Prints one JSON line with what arrived. tests/ui/test_screenshot_x11.py runs it
and checks the figures; it needs no other lanchat than the two it starts here,
both on loopback.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from lanchat.app import Options, Runtime
from lanchat.core.transfers.policy import AcceptMode
from lanchat.transports.addresses import Target
from lanchat.ui.file_actions import FileActions
from lanchat.ui.screenshot.flow import ScreenshotFlow

BOX = (200, 150, 320, 180)  # x, y, width, height of the green box on the "desktop"


def wait_until(predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(json.dumps({"ok": False, "error": f"timed out waiting for {predicate.__doc__}"}))
        loop = QEventLoop()
        QTimer.singleShot(10, loop.quit)
        loop.exec()


def desktop() -> QLabel:
    picture = QPixmap(1280, 800)
    picture.fill(QColor("#808080"))
    painter = QPainter(picture)
    painter.fillRect(*BOX, QColor("#00c000"))
    painter.end()
    label = QLabel()
    label.setWindowFlags(Qt.WindowType.FramelessWindowHint)
    label.setPixmap(picture)
    label.setGeometry(0, 0, 1280, 800)
    label.show()
    return label


def runtime(root: Path, name: str, presence_port: int, **extra) -> Runtime:
    options = Options(profile=root / name, name=name, port=0, presence_port=presence_port,
                      targets=(Target("127.255.255.255"),), only_targets=True,
                      download_dir=root / name / "downloads", **extra)
    started = Runtime(options)
    started.start()
    return started


def main() -> None:
    root, presence_port = Path(sys.argv[1]), int(sys.argv[2])
    app = QApplication(["lanchat-x11-check"])
    backdrop = desktop()
    wait_until(lambda: backdrop.windowHandle() is not None and backdrop.windowHandle().isExposed())
    # lanchat's own window sits over part of the box: "hide lanchat first" must keep it out of the picture.
    window = QWidget()
    window.setWindowFlags(Qt.WindowType.FramelessWindowHint)
    window.setStyleSheet("background: #ff00ff;")
    window.setGeometry(BOX[0] + 200, BOX[1] + 100, 300, 200)
    window.show()
    wait_until(lambda: window.windowHandle() is not None and window.windowHandle().isExposed())

    ana = runtime(root, "ana", presence_port, accept=AcceptMode.AUTO)
    ben = runtime(root, "ben", presence_port)
    wait_until(lambda: (c := ben.contacts.get(ana.identity.id)) is not None and c.online)

    actions = FileActions(ben, window)
    flow = ScreenshotFlow(window, actions, send_to="ana", hide_window=True)
    sent: list[str] = []

    def send(image: QImage, name: str) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        sent.append(ben.transfers.offer_image_data(ana.identity.id, bytes(data.data()), ben.pasted_folder, name=name))

    flow.send.connect(send)
    flow.start()
    wait_until(lambda: flow.selector is not None and flow.selector.isVisible())
    selector = flow.selector
    assert selector is not None
    start, end = QPoint(BOX[0], BOX[1]), QPoint(BOX[0] + BOX[2], BOX[1] + BOX[3])
    QTest.mousePress(selector, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(selector, end)
    QTest.mouseRelease(selector, Qt.MouseButton.LeftButton, pos=end)
    wait_until(lambda: flow.markup is not None and flow.markup.isVisible())
    markup = flow.markup
    assert markup is not None
    markup.canvas.resize(BOX[2], BOX[3])
    QTest.mousePress(markup.canvas, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    QTest.mouseMove(markup.canvas, QPoint(60, 40))
    QTest.mouseRelease(markup.canvas, Qt.MouseButton.LeftButton, pos=QPoint(60, 40))
    markup.send_button.click()
    wait_until(lambda: bool(sent))
    tid = sent[0]

    views = {}
    ana.transfers.transfer_changed.connect(lambda view: views.__setitem__(view.tid, view))
    wait_until(lambda: tid in views and views[tid].state == "done")
    view = views[tid]
    saved = Path(view.files[0].saved_as)
    image = QImage(str(saved))
    pixel = lambda x, y: QColor(image.pixel(x, y)).name()  # noqa: E731
    print(json.dumps({
        "ok": True, "name": saved.name, "width": image.width(), "height": image.height(),
        "inside": pixel(150, 120), "mark": pixel(35, 10), "window_was_visible": window.isVisible(),
        "magenta": any(pixel(x, y) == "#ff00ff" for x in range(0, image.width(), 4)
                       for y in range(0, image.height(), 4)),
    }), flush=True)
    ben.stop()
    ana.stop()
    QCoreApplication.processEvents()
    app.clipboard().clear()


if __name__ == "__main__":
    main()
