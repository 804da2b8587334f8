"""Screenshots of pictures in lanchat (issue #15) for docs/screenshots/, in English and Chinese, on a real X server.

Run: `.venv/bin/python tests/x11/picture_screenshots.py [--out docs/screenshots] [--lang en,zh_CN]`

It re-runs itself where it must: as root in a private network namespace with
only loopback up (lanchat broadcasts), under `xvfb-run` when there is no
DISPLAY, with QT_QPA_PLATFORM=xcb, under icewm when it is installed (window
frames and titles, as in the earlier screenshots), once per language. The
Chinese ones need fonts-noto-cjk. Two lanchat peers on loopback, Ana's window
and Ben sending her pictures for real; the screen is read back from the X
server, so menus and frames are in the pictures.

- pictures-viewer-*: a 4000×3000 photo, fitted, with the viewer's toolbar
- pictures-album-*: a chat with an album of 10 pictures and a file card
- pictures-card-menu-*: a picture's right-click menu in the chat
- pictures-media-*: the chat's pictures and files
- pictures-send-preview-*: the preview of picked pictures before they go
- screenshot-markup-*: the capture's markup step, a rectangle, an arrow, text and a mosaic drawn
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE.parents[1]))  # tests/peers.py
SCREEN = "1440x960x24"
LANGUAGES = ("en", "zh_CN")

#: What the people in the pictures say and are called, per language.
WORDS = {
    "en": {
        "me": "Ana", "peer": "Ben", "photo": "Look at the view from the top!",
        "album": "All the photos from the field trip 📷", "file": "field_trip_notes.pdf",
        "reply": "Wow, thank you! The lake one is my favourite.",
        "doc_title": "Physics lab report — group 3",
        "doc_name": "Student: Li Hua, class 2", "doc_head": ("Trial", "Length (cm)", "Period (s)"),
        "doc_text": "The period grows with the square root of the length, as expected. Trial 4 looks wrong.",
        "note": "check this",
    },
    "zh_CN": {
        "me": "小明", "peer": "小红", "photo": "看看山顶的风景！",
        "album": "郊游的照片都在这里 📷", "file": "郊游笔记.pdf",
        "reply": "哇，谢谢！湖边那张我最喜欢。",
        "doc_title": "物理实验报告 — 第3组",
        "doc_name": "学生：李华，二班", "doc_head": ("次数", "摆长 (cm)", "周期 (s)"),
        "doc_text": "周期随摆长的平方根增大，与预期一致。第4次的数据看起来有问题。",
        "note": "检查这里",
    },
}


# --- where it runs --------------------------------------------------------------------------------

def relaunch(args: argparse.Namespace) -> None:
    """Into a network namespace (as root), then under Xvfb; then once per language."""
    script = [sys.executable, str(HERE), "--out", str(args.out), "--lang", args.lang]
    if os.geteuid() == 0 and os.environ.get("LANCHAT_SHOTS_NETNS") != "1" and shutil.which("unshare"):
        command = "ip link set lo up && exec " + " ".join(shlex.quote(a) for a in script)
        env = dict(os.environ, LANCHAT_SHOTS_NETNS="1")
        sys.exit(subprocess.run(["unshare", "-n", "sh", "-c", command], env=env).returncode)
    if not os.environ.get("DISPLAY"):
        if not shutil.which("xvfb-run"):
            sys.exit("needs an X server: install xvfb (xvfb-run)")
        sys.exit(subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN}", *script]).returncode)
    wm = None
    if shutil.which("icewm") and not args.no_wm:
        wm = subprocess.Popen(["icewm"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.5)
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    try:
        for lang in args.lang.split(","):
            code = subprocess.run([*script[:-2], "--lang", lang, "--child"], env=env).returncode
            if code:
                sys.exit(code)
    finally:
        if wm is not None:
            wm.terminate()
            wm.wait(5)


# --- pictures to show -------------------------------------------------------------------------------

PALETTES = (  # sky top, horizon, far hills, near hills, ground, sun
    ("#2f6fd0", "#bfe0ff", "#7d97b8", "#3f7a4a", "#4f8f3a", "#fff6c8"),
    ("#3b1f5e", "#ff9a5a", "#6b3f6e", "#3a2340", "#2a1a2e", "#ffd27a"),
    ("#0d1b3d", "#36507f", "#2a3a5c", "#18233b", "#101828", "#f1f1e6"),
    ("#7fb6e8", "#e9f3fb", "#c9d6e3", "#ffffff", "#eef3f8", "#fffbe0"),
    ("#1d7fb8", "#9fd8f0", "#5f8fa8", "#2d6f8f", "#1b5a7a", "#fff3b0"),
    ("#f07f3c", "#ffd9a0", "#b36a4a", "#7a4a32", "#5a3a28", "#fff0c0"),
    ("#4aa3df", "#d8f0ff", "#8fae7a", "#5a8f3c", "#79b04a", "#ffffe0"),
    ("#264653", "#e9c46a", "#2a9d8f", "#1f6f66", "#184e48", "#f4a261"),
    ("#5b8fd6", "#f2e3c6", "#c2a27a", "#a67c52", "#d9b77e", "#fff8dc"),
    ("#8e7cc3", "#f6d5e5", "#9b7fa6", "#6d5a7a", "#4a3d55", "#ffe6f0"),
    ("#3a7bd5", "#cfe8ff", "#6f8fa0", "#44664f", "#6a9955", "#fffde7"),
)


def scene(path: Path, size: tuple[int, int], palette: int, seed: int, water: bool = False) -> Path:
    """A landscape as a phone would take it: sky, sun, two ridges of hills, a meadow or a lake."""
    from PIL import Image, ImageDraw, ImageFilter, ImageOps

    rng = random.Random(seed)
    sky_top, horizon, far, near, ground, sun = PALETTES[palette % len(PALETTES)]
    w, h = size
    picture = ImageOps.colorize(Image.linear_gradient("L").resize(size), sky_top, horizon).convert("RGB")
    draw = ImageDraw.Draw(picture)
    r = min(w, h) // 12
    cx, cy = rng.randint(w // 5, 4 * w // 5), rng.randint(h // 8, h // 3)
    glow = Image.new("L", size, 0)
    ImageDraw.Draw(glow).ellipse((cx - 3 * r, cy - 3 * r, cx + 3 * r, cy + 3 * r), fill=110)
    picture.paste(Image.new("RGB", size, sun), mask=glow.filter(ImageFilter.GaussianBlur(r)))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=sun)
    for base, colour, rough in ((0.55, far, 0.10), (0.68, near, 0.08)):
        y = h * base
        points = [(0, h)]
        for x in range(0, w + w // 40, w // 40):
            y = min(h * (base + 0.12), max(h * (base - 0.2), y + rng.uniform(-rough, rough) * h * 0.35))
            points.append((x, y))
        points.append((w, h))
        draw.polygon(points, fill=colour)
    top = int(h * 0.78)
    if water:
        lake = ImageOps.colorize(Image.linear_gradient("L").resize((w, h - top)), horizon, sky_top)
        picture.paste(lake, (0, top))
        for _ in range(60):
            x, y = rng.randint(0, w), rng.randint(top, h)
            draw.line((x, y, x + rng.randint(w // 40, w // 12), y), fill=horizon, width=max(2, h // 400))
    else:
        draw.rectangle((0, top, w, h), fill=ground)
        for _ in range(40):  # trees
            x, y = rng.randint(0, w), rng.randint(top - h // 30, h)
            t = rng.randint(h // 40, h // 14)
            draw.polygon([(x, y - 2 * t), (x - t // 2, y), (x + t // 2, y)], fill=near)
    noise = Image.effect_noise(size, 18).convert("RGB")
    Image.blend(picture, noise, 0.06).save(path, "JPEG", quality=90)
    return path


def fake_pdf(path: Path) -> Path:
    """A small real PDF (one page of text), as a classmate's notes."""
    body = b"BT /F1 24 Tf 72 720 Td (Field trip notes) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    out += bytes(range(256)) * 800  # with a few pages' worth of weight
    path.write_bytes(bytes(out))
    return path


# --- on screen --------------------------------------------------------------------------------------

def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        loop = QEventLoop()
        QTimer.singleShot(10, loop.quit)
        loop.exec()


def settle(seconds: float = 0.6) -> None:
    """Let the window manager map and frame windows, and everything paint."""
    end = time.monotonic() + seconds
    wait_until(lambda: time.monotonic() >= end, "time to pass")


def save_region(rect, path: Path) -> None:
    """The screen under `rect` (global coordinates), as the X server shows it."""
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen()
    area = rect.intersected(screen.geometry())
    shot = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())
    if shot.isNull() or not shot.save(str(path), "PNG"):
        raise SystemExit(f"cannot save {path}")
    print(f"{path.name}: {shot.width()}×{shot.height()}", flush=True)


def save_window(widget, path: Path) -> None:
    settle()
    save_region(widget.frameGeometry(), path)


def runtime(root: Path, name: str, presence_port: int, **extra):
    from lanchat.app import Options, Runtime
    from lanchat.transports.addresses import Target

    started = Runtime(Options(profile=root / name, name=name, port=0, presence_port=presence_port,
                              targets=(Target("127.255.255.255"),), only_targets=True,
                              download_dir=root / name / "downloads", **extra))
    started.start()
    return started


def document(words: dict) -> object:
    """A lab report open on the desktop: what the screenshot is taken of."""
    from PySide6.QtWidgets import QTextBrowser

    head = "".join(f"<th style='padding:6px 18px; background:#e8eef7'>{h}</th>" for h in words["doc_head"])
    rows = "".join(
        f"<tr><td align='center'>{i}</td><td align='center'>{length}</td><td align='center'>{period}</td></tr>"
        for i, (length, period) in enumerate(((20, 0.90), (40, 1.27), (60, 1.55), (80, 2.61), (100, 2.01)), 1)
    )
    page = QTextBrowser()
    page.setWindowTitle(words["doc_title"])
    page.setHtml(
        f"<h2>{words['doc_title']}</h2><p style='color:#444'>{words['doc_name']}</p>"
        f"<table cellspacing='0' border='1' style='border-color:#b8c2d0'><tr>{head}</tr>{rows}</table>"
        f"<p>{words['doc_text']}</p>"
    )
    font = page.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    page.setFont(font)
    page.document().setDocumentMargin(24)
    page.setGeometry(120, 120, 800, 430)
    page.show()
    return page


# --- the screenshots --------------------------------------------------------------------------------

def take(lang: str, out: Path) -> None:
    from peers import free_udp_port
    from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMenu

    from lanchat.core.chat_model import ChatModel
    from lanchat.core.transfers.policy import AcceptMode
    from lanchat.core.transfers.state import TransferState
    from lanchat.ui.media_view import MediaView
    from lanchat.ui.picture_send_dialog import PictureSendDialog
    from lanchat.ui.screenshot.markup import Tool
    from lanchat.ui.theme import apply_theme
    from lanchat.ui.transfer_cards import CardAction
    from lanchat.ui.translations import install_translators
    from lanchat.ui.window import MainWindow

    words = WORDS[lang]
    app = QApplication(["lanchat"])
    app.setApplicationDisplayName("lanchat")
    app.setDesktopFileName("lanchat")
    app.setQuitOnLastWindowClosed(False)
    install_translators(app, lang)
    apply_theme(app)
    root = Path(tempfile.mkdtemp(prefix="lanchat-picture-shots-"))
    port = free_udp_port()
    ana = runtime(root, words["me"], port, accept=AcceptMode.AUTO)
    ben = runtime(root, words["peer"], port)
    window = MainWindow(ana)
    try:
        # Ben's pictures, made as a phone would (JPEG, 4:3 or 3:4), and his notes.
        camera = root / "camera"
        camera.mkdir()
        photo = scene(camera / "IMG_2041.jpg", (4000, 3000), 0, 1)
        album = [scene(camera / f"IMG_{2042 + i}.jpg", (1200, 1600) if i in (2, 7) else (1600, 1200), i + 1, i + 2,
                       water=i in (3, 8)) for i in range(10)]
        picked = [scene(camera / f"IMG_{2060 + i}.jpg", (1600, 1200), i + 4, i + 20, water=i == 1) for i in range(3)]
        notes = fake_pdf(camera / words["file"])

        window.start()
        window.resize(1080, 760)
        window.move(30, 20)
        window.show()
        wait_until(lambda: window._painted, "the window to paint")
        wait_until(lambda: (c := ana.contacts.get(ben.identity.id)) is not None and c.online
                   and (d := ben.contacts.get(ana.identity.id)) is not None and d.online
                   and window.contacts_model.entry(ben.identity.id) is not None, "Ana and Ben to see each other")
        to_ana = ana.identity.id

        def arrived(tids: list[str]) -> Callable[[], bool]:
            def check() -> bool:
                views = [ana.transfers.view(t) for t in tids]
                return all(v is not None and v.state is TransferState.DONE for v in views)
            return check

        tab = window.open_chat(ben.identity.id)
        assert tab is not None
        ben.messaging.send_text(to_ana, words["photo"])
        tids = ben.transfers.offer_pictures(to_ana, [photo])
        wait_until(arrived(tids), "the photo")
        ben.messaging.send_text(to_ana, words["album"])
        tids = ben.transfers.offer_pictures(to_ana, album)
        wait_until(arrived(tids), "the album")
        tids = ben.transfers.offer(to_ana, [notes])
        wait_until(arrived(tids), "the notes")
        ana.messaging.send_text(ben.identity.id, words["reply"])
        wait_until(lambda: tab.model.rowCount() >= 6 and tab.view.at_bottom(), "the chat to show everything")
        wait_until(lambda: not window.pictures._loading, "the small copies")

        # 1. The chat: an album of 10 and a file card.
        save_window(window, out / f"pictures-album-{lang}.png")

        # 2. A picture's right-click menu (on the album's fourth picture).
        model = tab.model
        row = next(r for r in range(model.rowCount()) if len(model.data(model.index(r), ChatModel.AlbumRole)) > 1)
        members = model.data(model.index(row), ChatModel.AlbumRole)
        view = tab.view
        option = view._option_for(model.index(row))
        point = next(QPoint(x, y) for y in range(option.rect.top(), option.rect.bottom(), 2)
                     for x in range(option.rect.left(), option.rect.right(), 2)
                     if (t := view.delegate.card_action_at(option, model.index(row), QPointF(x, y))) is not None
                     and t[0] is CardAction.VIEW and t[1].mid == members[4].mid)
        point += QPoint(20, 20)

        def shoot_menu() -> None:
            menu = QApplication.activePopupWidget()
            if not isinstance(menu, QMenu) or not menu.isVisible():
                QTimer.singleShot(50, shoot_menu)
                return
            settle()
            save_region(window.frameGeometry().united(menu.geometry()), out / f"pictures-card-menu-{lang}.png")
            menu.close()

        QTimer.singleShot(300, shoot_menu)
        QTest.mouseMove(view.viewport(), point)
        QApplication.sendEvent(view.viewport(), QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point)))

        # 3. The viewer: the 4000×3000 photo, fitted.
        first = next(r for r in range(model.rowCount()) if model.record(r).kind == "image")
        viewer = window.dialogs.view_picture(model.record(first))
        assert viewer is not None
        viewer.move(40, 30)
        wait_until(lambda: not viewer.canvas.image.isNull(), "the viewer to decode the photo")
        save_window(viewer, out / f"pictures-viewer-{lang}.png")
        viewer.close()

        # 4. The chat's media: its pictures by date (and a Files tab).
        media = window.dialogs.show_media(ben.identity.id)
        assert isinstance(media, MediaView)
        media.move(60, 40)
        wait_until(lambda: all(media.pictures.data(media.pictures.index(i), Qt.ItemDataRole.DecorationRole)
                               is not None for i in range(media.pictures.rowCount())), "the media view's pictures")
        save_window(media, out / f"pictures-media-{lang}.png")
        media.close()

        # 5. Pictures picked to send: the preview first, Original on.
        real_picker = QFileDialog.getOpenFileNames
        QFileDialog.getOpenFileNames = staticmethod(lambda *a, **k: ([str(p) for p in picked], ""))  # type: ignore

        def shoot_preview() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, PictureSendDialog):
                QTimer.singleShot(50, shoot_preview)
                return
            dialog.move(360, 220)
            save_window(dialog, out / f"pictures-send-preview-{lang}.png")
            dialog.reject()

        QTimer.singleShot(300, shoot_preview)
        try:
            tab._pick_picture()
        finally:
            QFileDialog.getOpenFileNames = real_picker  # type: ignore

        # 6. A screenshot of the lab report: select it, then mark it up.
        page = document(words)
        wait_until(lambda: page.windowHandle() is not None and page.windowHandle().isExposed(), "the report")
        settle()
        ana.settings.screenshot_hides_window = True
        tab.take_screenshot()
        flow = tab.flow
        assert flow is not None
        wait_until(lambda: flow.selector is not None and flow.selector.isVisible(), "the region selector")
        selector = flow.selector
        assert selector is not None
        settle(0.3)
        start = selector.mapFromGlobal(page.mapToGlobal(QPoint(4, 4)))
        end = selector.mapFromGlobal(page.mapToGlobal(QPoint(page.width() - 4, page.height() - 4)))
        origin = selector.mapToGlobal(start)  # the capture's top left, on the screen
        spots = report_spots(page, words, origin)
        QTest.mousePress(selector, Qt.MouseButton.LeftButton, pos=start)
        QTest.mouseMove(selector, end)
        QTest.mouseRelease(selector, Qt.MouseButton.LeftButton, pos=end)
        wait_until(lambda: flow.markup is not None and flow.markup.isVisible(), "the markup window")
        markup = flow.markup
        assert markup is not None
        markup.move(60, 40)
        settle()
        canvas = markup.canvas

        def at(point: QPoint) -> QPoint:
            """A pixel of the capture, on the canvas."""
            base = canvas.base
            s = min(1.0, canvas.width() / base.width(), canvas.height() / base.height())
            ox, oy = (canvas.width() - base.width() * s) / 2, (canvas.height() - base.height() * s) / 2
            return QPoint(round(ox + point.x() * s), round(oy + point.y() * s))

        def drag(tool: Tool, a: QPoint, b: QPoint) -> None:
            markup.set_tool(tool)
            a, b = at(a), at(b)
            QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=a)
            for i in range(1, 9):
                QTest.mouseMove(canvas, a + (b - a) * (i / 8))
            QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=b)

        row, name = spots["row"], spots["name"]
        drag(Tool.RECTANGLE, row.topLeft(), row.bottomRight())
        drag(Tool.ARROW, QPoint(row.right() + 110, row.top() - 50), QPoint(row.right() + 8, row.center().y()))
        drag(Tool.MOSAIC, name.topLeft(), name.bottomRight())

        def type_note() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QInputDialog):
                QTimer.singleShot(50, type_note)
                return
            box.setTextValue(words["note"])
            box.accept()

        QTimer.singleShot(200, type_note)
        markup.set_tool(Tool.TEXT)
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=at(QPoint(row.right() + 70, row.top() - 60)))
        wait_until(lambda: len(canvas.marks) == 4, "four marks")
        save_window(markup, out / f"screenshot-markup-{lang}.png")
        markup.close()
        page.close()
    finally:
        window.quit()
        ben.stop()
        ana.stop()
        QApplication.processEvents()
        app.clipboard().clear()
        shutil.rmtree(root, ignore_errors=True)


def report_spots(page, words: dict, origin) -> dict:
    """Where trial 4's row and the student's name are on the capture (its pixels; `origin` is its top left
    on the screen), from the report's own layout."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QTextCursor, QTextTable

    document = page.document()
    table = next(f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable))
    layout = document.documentLayout()

    def on_capture(rect: QRect) -> QRect:
        """From the report's viewport to the capture's pixels."""
        return rect.translated(page.viewport().mapToGlobal(rect.topLeft()) - rect.topLeft() - origin)

    first_cell = layout.blockBoundingRect(table.cellAt(4, 0).firstCursorPosition().block()).toAlignedRect()
    last_cell = layout.blockBoundingRect(table.cellAt(4, 2).firstCursorPosition().block()).toAlignedRect()
    row = QRect(QPoint(first_cell.left() - 8, first_cell.top() - 5), QPoint(last_cell.right() + 8,
                                                                          last_cell.bottom() + 5))
    found = document.find(words["doc_name"])
    first, last = QTextCursor(document), QTextCursor(document)
    first.setPosition(found.selectionStart())
    last.setPosition(found.selectionEnd())
    a, b = page.cursorRect(first), page.cursorRect(last)
    name = QRect(a.left() - 6, a.top() - 3, b.right() - a.left() + 12, a.height() + 6)
    return {"row": on_capture(row), "name": on_capture(name)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", default=",".join(LANGUAGES))
    parser.add_argument("--no-wm", action="store_true", help="no window manager (no frames)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.child:
        relaunch(args)
        return
    take(args.lang, args.out)


if __name__ == "__main__":
    main()
