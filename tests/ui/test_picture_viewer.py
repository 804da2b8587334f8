"""The picture viewer and what can be done with a picture: real widgets, real files, real peers."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QObject, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QWidget
from transfer_views import Views

from lanchat.ui.file_actions import FileActions
from lanchat.ui.forward_dialog import ForwardDialog
from lanchat.ui.picture_viewer import PictureViewer, ViewerItem

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

ORIENTATION = 0x0112


def big_photo(path: Path, size=(4000, 3000)) -> Path:
    image = Image.new("RGB", size, (40, 90, 160))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 2, size[1] // 2), fill=(230, 200, 40))
    image.save(path, "JPEG", quality=85)
    return path


def sideways_photo(path: Path) -> Path:
    image = Image.new("RGB", (400, 300), (0, 0, 255))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    image.save(path, "JPEG", exif=exif)
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Opened(QObject):
    """Receives what QDesktopServices.openUrl would hand to the desktop (a real Qt hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened():
    recorder = Opened()
    QDesktopServices.setUrlHandler("file", recorder, "handle")
    yield recorder
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def viewer_for(make_runtime, qtbot):
    runtime = make_runtime("ana")
    window = QWidget()
    qtbot.addWidget(window)
    actions = FileActions(runtime, window)

    def make(paths: list[Path], index: int = 0) -> PictureViewer:
        viewer = PictureViewer([ViewerItem(p, p.name) for p in paths], index, actions, window)
        qtbot.addWidget(viewer)
        viewer.show()
        qtbot.waitUntil(lambda: not viewer.canvas.image.isNull(), timeout=10_000)
        return viewer

    make.runtime = runtime
    make.actions = actions
    return make


def test_a_12_mp_photo_opens_fitted_and_zooms_to_full_size(viewer_for, qtbot, tmp_path):
    viewer = viewer_for([big_photo(tmp_path / "class photo.jpg")])
    canvas = viewer.canvas
    assert canvas.zoom is None and canvas.percent() < 100
    assert canvas.natural.width() == 4000
    assert canvas.image.width() < 4000  # decoded at the size the screen needs, not whole
    assert "4000 × 3000" in viewer.info.text()

    QTest.keyClick(viewer, Qt.Key.Key_1)
    assert canvas.percent() == 100
    qtbot.waitUntil(lambda: canvas.image.width() == 4000, timeout=10_000)  # now decoded whole
    QTest.keyClick(viewer, Qt.Key.Key_Plus)
    assert canvas.percent() == 125
    QTest.keyClick(viewer, Qt.Key.Key_Minus)
    QTest.keyClick(viewer, Qt.Key.Key_Minus)
    assert canvas.percent() == 80
    QTest.keyClick(viewer, Qt.Key.Key_0)
    assert canvas.zoom is None and canvas.pan == QPointF()

    QTest.mouseDClick(canvas, Qt.MouseButton.LeftButton)
    assert canvas.percent() == 100
    start = QPointF(canvas.pan)
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=canvas.rect().center())
    QTest.mouseMove(canvas, canvas.rect().center() + QPointF(40, 25).toPoint())
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=canvas.rect().center() + QPointF(40, 25).toPoint())
    assert canvas.pan - start == QPointF(40, 25)

    QTest.keyClick(viewer, Qt.Key.Key_R)
    assert canvas.rotation == 1
    QTest.keyClick(viewer, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    assert canvas.rotation == 0
    QTest.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


def test_left_and_right_go_through_the_chats_pictures_and_sideways_photos_stand_up(viewer_for, qtbot, tmp_path):
    first = big_photo(tmp_path / "a.jpg", (800, 600))
    second = sideways_photo(tmp_path / "b.jpg")
    viewer = viewer_for([first, second])
    assert not viewer.actions_by_name["previous"].isEnabled()
    QTest.keyClick(viewer, Qt.Key.Key_Right)
    assert viewer.index == 1 and viewer.windowTitle() == "b.jpg"
    qtbot.waitUntil(lambda: viewer.canvas.image.height() == 400, timeout=10_000)
    assert (viewer.canvas.natural.width(), viewer.canvas.natural.height()) == (300, 400)
    assert not viewer.actions_by_name["next"].isEnabled()
    QTest.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.index == 0


def test_an_animated_gif_plays(viewer_for, qtbot, tmp_path):
    frames = [Image.new("RGB", (60, 40), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    gif = tmp_path / "dance.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=40, loop=0)
    viewer = viewer_for([gif])
    seen = set()
    qtbot.waitUntil(lambda: seen.add(viewer.canvas.image.pixel(5, 5)) or len(seen) >= 2, timeout=5_000)


@pytest.mark.qt_log_ignore("Unsupported marker type", "Premature end of JPEG", "propagateSizeHints")
def test_a_file_that_is_no_picture_says_so(viewer_for, qtbot, tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff not really")
    runtime_window = QWidget()
    qtbot.addWidget(runtime_window)
    viewer = PictureViewer([ViewerItem(bad, bad.name)], 0, viewer_for.actions, runtime_window)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitUntil(lambda: "cannot be shown" in viewer.info.text(), timeout=5_000)


def test_save_as_copy_show_in_folder_and_open(viewer_for, qtbot, tmp_path, monkeypatch, opened):
    photo = big_photo(tmp_path / "photo.jpg", (640, 480))
    viewer = viewer_for([photo])
    target = tmp_path / "kept" / "mine.jpg"
    target.parent.mkdir()
    asked = []

    def save_dialog(parent, caption, start, *rest):
        asked.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    viewer.actions_by_name["save"].trigger()
    assert sha(target) == sha(photo)
    assert Path(asked[0]).name == "photo.jpg" and Path(asked[0]).parent != Path.cwd()
    viewer.actions_by_name["save"].trigger()
    assert Path(asked[1]).parent == target.parent  # the last folder used

    viewer.actions_by_name["copy"].trigger()
    mime = QGuiApplication.clipboard().mimeData()
    assert [u.toLocalFile() for u in mime.urls()] == [str(photo)]
    assert mime.hasImage()

    viewer.actions_by_name["folder"].trigger()
    viewer.actions_by_name["open"].trigger()
    assert [u.toLocalFile() for u in opened.urls] == [str(photo.parent), str(photo)]


def test_forward_sends_the_picture_to_the_chosen_contact(viewer_for, make_runtime, qtbot, tmp_path, monkeypatch):
    ana = viewer_for.runtime
    ben = make_runtime("ben", accept="auto")
    qtbot.waitUntil(lambda: ana.contacts.get(ben.identity.id) is not None
                    and ana.contacts.get(ben.identity.id).online, timeout=10_000)
    photo = big_photo(tmp_path / "to forward.jpg", (320, 240))
    viewer = viewer_for([photo])

    def choose_ben(dialog: ForwardDialog) -> int:
        dialog.filter.setText("be")
        items = [dialog.list.item(i) for i in range(dialog.list.count()) if not dialog.list.item(i).isHidden()]
        assert [i.text() for i in items] == ["ben"]
        dialog.list.setCurrentItem(items[0])
        dialog.accept()
        return ForwardDialog.DialogCode.Accepted

    monkeypatch.setattr(ForwardDialog, "exec", choose_ben)
    views = Views(ben)
    viewer.actions_by_name["forward"].trigger()
    qtbot.waitUntil(lambda: any(v.state == "done" for v in views.latest.values()), timeout=10_000)
    (view,) = views.latest.values()
    assert view.kind == "image" and sha(Path(view.files[0].saved_as)) == sha(photo)


def test_a_screenshot_is_saved_as_png_and_copied_as_a_picture(viewer_for, tmp_path, monkeypatch):
    from PySide6.QtGui import QImage

    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    suggested = []

    def save_dialog(parent, caption, start, *rest):
        suggested.append(Path(start).name)
        return str(tmp_path / "shot.png"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    saved = viewer_for.actions.save_image(image, "Screenshot 2026-12-03 10.00.00.png")
    assert saved == tmp_path / "shot.png" and suggested == ["Screenshot 2026-12-03 10.00.00.png"]
    assert QImage(str(saved)).convertToFormat(QImage.Format.Format_RGB32) == image
    viewer_for.actions.copy_image(image)
    assert QGuiApplication.clipboard().image().convertToFormat(QImage.Format.Format_RGB32) == image
