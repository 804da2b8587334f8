"""Pictures in chats, as a person uses them: albums as one grid, every action of a card's menu, the media view.

Two real windows over real peers on loopback; real files and SQLite.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QContextMenuEvent, QDesktopServices, QDrag, QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from lanchat.core.chat_model import ChatModel
from lanchat.ui.chat_view import ChatView
from lanchat.ui.forward_dialog import ForwardDialog
from lanchat.ui.media_view import MediaView
from lanchat.ui.picture_viewer import PictureViewer
from lanchat.ui.transfer_cards import CardAction

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")


def photos(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"IMG_{i:04d}.jpg"
        Image.frombytes("RGB", (80, 60), os.urandom(80 * 60 * 3)).save(path, "JPEG", quality=85)
        paths.append(path)
    return paths


def sha(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def album_row(tab) -> int:
    model = tab.model
    for row in range(model.rowCount()):
        if len(model.data(model.index(row), ChatModel.AlbumRole)) > 1:
            return row
    return -1


def card_point(tab, row: int, action: CardAction, entry=None) -> QPoint:
    """A point of the row's card where a click means `action` (for `entry`, when given)."""
    view = tab.view
    index = tab.model.index(row)
    option = view._option_for(index)
    rect = option.rect
    for y in range(rect.top(), rect.bottom(), 2):
        for x in range(rect.left(), rect.right(), 2):
            target = view.delegate.card_action_at(option, index, QPointF(x, y))
            if target is not None and target[0] == action and (entry is None or target[1].mid == entry.mid):
                return QPoint(x, y)
    raise AssertionError(f"row {row} has no {action} point")


@pytest.fixture
def album_sent(two_windows, qtbot, tmp_path):
    """Ana sends Ben (who accepts everything) 10 pictures at once; all of them arrived."""
    ana, ben, ana_window, ben_window = two_windows(accept="auto")
    sources = photos(tmp_path / "trip", 10)
    ana_tab = ana_window.open_chat(ben.identity.id)
    ana_tab.send_pictures(sources, original=True)
    ben_tab = ben_window.open_chat(ana.identity.id)
    qtbot.waitUntil(lambda: album_row(ben_tab) >= 0 and all(
        m.state == "done" for m in ben_tab.model.data(ben_tab.model.index(album_row(ben_tab)), ChatModel.AlbumRole)
    ) and len(ben_tab.model.data(ben_tab.model.index(album_row(ben_tab)), ChatModel.AlbumRole)) == 10,
        timeout=30_000)
    return ana, ben, ana_window, ben_window, ben_tab, sources


def test_an_album_of_10_arrives_as_one_grid_byte_identical(album_sent, qtbot):
    _ana, _ben, _aw, ben_window, ben_tab, sources = album_sent
    row = album_row(ben_tab)
    members = ben_tab.model.data(ben_tab.model.index(row), ChatModel.AlbumRole)
    assert sorted(sha(m.files[0].saved_as) for m in members) == sorted(sha(p) for p in sources)
    assert sum(1 for r in range(ben_tab.model.rowCount())
               if ben_tab.model.record(r).kind == "image") == 1  # one entry, not a stack of ten cards
    layout = ben_window.card_painter.layout(members[0], False, ben_tab.view.font(), 600.0, members)
    assert len(layout.tiles) == 9  # and the last tile says "+2"
    # Each tile opens the viewer on its own picture, among all of the chat's.
    qtbot.mouseClick(ben_tab.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=card_point(ben_tab, row, CardAction.VIEW, members[4]))
    viewers = [w for w in QApplication.topLevelWidgets() if isinstance(w, PictureViewer) and w.isVisible()]
    assert len(viewers) == 1 and viewers[0].index == 4 and len(viewers[0].items) == 10
    viewers[0].close()


class Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url.toLocalFile())


def test_every_action_of_a_cards_menu(album_sent, qtbot, monkeypatch, tmp_path):
    ana, _ben, _ana_window, _ben_window, ben_tab, _sources = album_sent
    monkeypatch.setattr(ChatView, "show_menu", lambda self, menu, pos: None)  # looked at, not shown
    row = album_row(ben_tab)
    members = ben_tab.model.data(ben_tab.model.index(row), ChatModel.AlbumRole)
    picture = members[2]
    saved = Path(picture.files[0].saved_as)

    def menu_for(entry):
        pos = card_point(ben_tab, album_row(ben_tab), CardAction.VIEW, entry)
        QApplication.sendEvent(ben_tab.view.viewport(), QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, pos, ben_tab.view.viewport().mapToGlobal(pos)))
        return {a.objectName(): a for a in ben_tab.view.last_menu.actions() if a.objectName()}

    actions = menu_for(picture)
    assert set(actions) == {"view", "open", "save", "copy", "folder", "forward", "delete"}

    actions["view"].trigger()
    viewers = [w for w in QApplication.topLevelWidgets() if isinstance(w, PictureViewer) and w.isVisible()]
    assert viewers and viewers[-1].path == saved
    viewers[-1].close()

    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "handle")
    try:
        actions["open"].trigger()
        actions["folder"].trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert opened.urls == [str(saved), str(saved.parent)]

    target = tmp_path / "mine.jpg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    actions["save"].trigger()
    assert sha(target) == sha(saved)

    actions["copy"].trigger()
    assert [u.toLocalFile() for u in QGuiApplication.clipboard().mimeData().urls()] == [str(saved)]

    def back_to_ana(dialog: ForwardDialog) -> int:
        for i in range(dialog.list.count()):
            if dialog.list.item(i).text() == "ana":
                dialog.list.setCurrentRow(i)
        dialog.accept()
        return ForwardDialog.DialogCode.Accepted

    monkeypatch.setattr(ForwardDialog, "exec", back_to_ana)
    views = []
    ana.transfers.transfer_changed.connect(views.append)
    actions["forward"].trigger()
    qtbot.waitUntil(lambda: any(v.direction == "in" and v.state == "offered" for v in views), timeout=10_000)
    assert ana.transfers.accept(views[-1].tid)  # Ana never wrote to Ben: she is asked
    qtbot.waitUntil(lambda: any(v.direction == "in" and v.state == "done" for v in views), timeout=10_000)
    forwarded = next(v for v in views if v.direction == "in" and v.state == "done")
    assert sha(forwarded.files[0].saved_as) == sha(saved)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    actions["delete"].trigger()
    qtbot.waitUntil(lambda: len(ben_tab.model.data(ben_tab.model.index(album_row(ben_tab)), ChatModel.AlbumRole))
                    == 9, timeout=10_000)
    assert saved.exists()  # the file itself stays


def test_a_card_is_dragged_out_as_its_file(album_sent, qtbot, monkeypatch):
    *_, ben_tab, _sources = album_sent
    dragged = []
    monkeypatch.setattr(QDrag, "exec",
                        lambda self, *a: dragged.append(self.mimeData().urls()) or Qt.DropAction.CopyAction)
    members = ben_tab.model.data(ben_tab.model.index(album_row(ben_tab)), ChatModel.AlbumRole)
    start = card_point(ben_tab, album_row(ben_tab), CardAction.VIEW, members[0])
    viewport = ben_tab.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    end = QPointF(start + QPoint(30, 30))
    QApplication.sendEvent(viewport, QMouseEvent(QEvent.Type.MouseMove, end, viewport.mapToGlobal(end),
                                                 Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                                                 Qt.KeyboardModifier.NoModifier))
    assert dragged and [u.toLocalFile() for u in dragged[0]] == [members[0].files[0].saved_as]


def test_the_media_view_lists_a_chats_pictures_and_files(album_sent, qtbot, tmp_path):
    _ana, ben, ana_window, _ben_window, ben_tab, _sources = album_sent
    notes = tmp_path / "notes.txt"
    notes.write_text("week 1")
    ana_window.open_chat(ben.identity.id).offer_paths([notes])
    qtbot.waitUntil(lambda: any(r.kind == "files" and r.state == "done" for r in ben_tab.model.entries()),
                    timeout=10_000)
    ben_tab.media_action.trigger()
    media = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MediaView) and w.isVisible())
    assert media.pictures.rowCount() == 10 and media.files.rowCount() == 1
    media.search.setText("img_0003")
    assert media.picture_list.model().rowCount() == 1 and media.file_list.model().rowCount() == 0
    media.close()


def test_a_screenshot_where_no_program_may_grab_the_screen_says_so(two_windows, qtbot):
    _ana, ben, ana_window, _ben_window = two_windows()
    tab = ana_window.open_chat(ben.identity.id)
    said = []
    tab.problem.connect(said.append)
    assert tab.compose.screenshot_button.isVisible()
    tab.compose.screenshot_button.click()  # offscreen: no grab, and no screenshot portal on this bus
    qtbot.waitUntil(lambda: bool(said), timeout=5_000)
    assert "screenshot" in said[0].lower()
    assert ana_window.isVisible() and tab.flow is None


def earlier_pictures(profile: Path, folder: Path, count: int, size: tuple[int, int] = (80, 60)) -> str:
    """The history of an earlier run in `profile`: `count` pictures received from Zoe (real files); her id."""
    import uuid

    from lanchat.core.history import HistoryStore
    from lanchat.core.history.records import ContactRecord, FileRecord, TransferRecord
    from lanchat.identity import load_or_create

    profile.mkdir()
    store = HistoryStore(profile / "history.sqlite3", own_id=load_or_create(profile).id)
    store.open()
    zoe = uuid.uuid4().hex + uuid.uuid4().hex
    store.upsert_contact(ContactRecord(zoe, "Zoe", "127.0.0.1", 9))
    folder.mkdir()
    for i in range(count):
        path = folder / f"IMG_{i:04d}.jpg"
        Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(path, "JPEG", quality=85)
        length = path.stat().st_size
        store.save_transfer(TransferRecord(uuid.uuid4().hex, zoe, "in", "image",
                                           (FileRecord(path.name, length, length, str(path), sha(path), True),),
                                           "done"))
    store.close()
    return zoe


def test_a_chat_of_many_pictures_reads_the_ones_shown_and_repaints_without_laying_out_again(
        make_runtime, make_window, qtbot, tmp_path, monkeypatch):
    """Opening a chat of 100 pictures of an earlier run makes small copies of the cards painted, not of all 100;
    one that comes repaints its card, without measuring every card of the chat again."""
    from lanchat.ui.message_delegate import MessageDelegate

    zoe = earlier_pictures(tmp_path / "ana", tmp_path / "from zoe", 100)
    measured: list[int] = []  # rows measured (set before the window: Qt's calls into Python look it up once)
    size_hint = MessageDelegate.sizeHint
    monkeypatch.setattr(MessageDelegate, "sizeHint",
                        lambda self, o, i: measured.append(i.row()) or size_hint(self, o, i))
    window = make_window(make_runtime("ana"))
    tab = window.open_chat(zoe)
    assert tab is not None
    qtbot.waitUntil(lambda: tab.view.at_bottom() and len(window.pictures._memory) > 0 and not window.pictures._loading,
                    timeout=10_000)
    assert len(window.pictures._memory) < 10  # the cards in sight (100 cards are 25,000 px; the chat is 500)

    measured.clear()
    bar = tab.view.verticalScrollBar()
    bar.setValue(bar.value() - 2 * tab.view.viewport().height())  # older cards come into sight: their copies are made
    before = len(window.pictures._memory)
    qtbot.waitUntil(lambda: len(window.pictures._memory) > before and not window.pictures._loading, timeout=10_000)
    assert len(measured) < 100  # the cards in sight are measured (painting asks too), not all 100 again


def test_a_picture_taller_than_its_placeholder_lays_the_chat_out_again(make_runtime, make_window, qtbot, tmp_path):
    """Upright photos (3:4) are shown 4:3 until their small copies come; then the chat makes room for them."""
    zoe = earlier_pictures(tmp_path / "ana", tmp_path / "from zoe", 8, (60, 80))
    window = make_window(make_runtime("ana"))
    tab = window.open_chat(zoe)
    assert tab is not None
    qtbot.waitUntil(lambda: len(window.pictures._memory) > 0 and not window.pictures._loading, timeout=10_000)
    view, model = tab.view, tab.model

    def overlaps() -> list[int]:
        rects = [view.visualRect(model.index(row)) for row in range(model.rowCount())]
        return [row for row in range(len(rects) - 1) if rects[row + 1].top() != rects[row].bottom() + 1]

    qtbot.waitUntil(lambda: not overlaps(), timeout=5_000)
    shown = [row for row in range(model.rowCount()) if window.pictures.peek(model.record(row).files[0].saved_as)]
    assert shown and all(view.visualRect(model.index(row)).height() > 250 for row in shown)  # taller than 4:3
