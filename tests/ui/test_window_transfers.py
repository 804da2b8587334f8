"""Pictures and files through the window: paste, drop, progress to 100 %, decline from the card."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QApplication

from lanchat.core.contacts_model import ContactsModel
from lanchat.core.history.records import EntryKind
from lanchat.core.transfers.model import TransfersModel
from lanchat.ui.picture_send_dialog import PictureSendDialog


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def a_picture(width: int = 320, height: int = 200) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#4f6bed"))
    painter = QPainter(image)
    painter.fillRect(20, 20, width // 2, height // 2, QColor("#f59e0b"))
    painter.end()
    return image


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the preview dialog, on the offscreen platform
def test_pasting_a_picture_sends_it_and_the_other_side_shows_the_thumbnail(two_windows, qtbot):
    ana, ben, ana_window, ben_window = two_windows()
    ben.messaging.send_text(ana.identity.id, "show me")  # Ana is a known contact of Ben's now
    qtbot.waitUntil(lambda: ben.store.flush() and ben.store.is_known(ana.identity.id), timeout=10_000)
    offers = []
    ben.transfers.transfer_changed.connect(offers.append)
    tab = ana_window.open_chat(ben.identity.id)
    QGuiApplication.clipboard().setImage(a_picture())

    previews = []

    def send_from_the_preview() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PictureSendDialog):
            previews.append(dialog.name)
            dialog.send_button.click()
        else:
            QTimer.singleShot(10, send_from_the_preview)

    QTimer.singleShot(10, send_from_the_preview)
    tab.compose.edit.setFocus()
    qtbot.keyClick(tab.compose.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    # The picture was shown first, under a name people can read.
    assert len(previews) == 1 and previews[0].startswith("Screenshot ") and previews[0].endswith(".png")

    qtbot.waitUntil(lambda: any(v.direction == "in" and v.thumb for v in offers), timeout=10_000)
    offer = next(v for v in offers if v.thumb)
    assert offer.kind == "image" and offer.peer == ana.identity.id
    thumb = QImage.fromData(offer.thumb)
    assert not thumb.isNull() and abs(thumb.width() / thumb.height() - 320 / 200) < 0.05
    assert tab.compose.text() == ""  # the picture went out, not into the text box
    # A small picture from a known contact is accepted at once.
    qtbot.waitUntil(lambda: ben.transfers.view(offer.tid).state == "done", timeout=10_000)
    saved = ben.transfers.view(offer.tid).files[0].saved_as
    assert QImage(saved).size() == a_picture().size()

    # Ben's window shows the picture in his chat with Ana.
    ben_tab = ben_window.open_chat(ana.identity.id)
    qtbot.waitUntil(lambda: ben_tab.model.row_of_mid(offer.tid) >= 0, timeout=10_000)
    record = ben_tab.model.record(ben_tab.model.row_of_mid(offer.tid))
    assert record.kind == EntryKind.IMAGE
    painter = ben_window.card_painter
    assert painter.data(record).view.thumb == offer.thumb
    assert painter.image(painter.data(record)) is not None
    layout = painter.layout(record, False, ben_tab.view.font(), 600.0)
    assert layout.thumb is not None and layout.thumb.width() > 100
    # Ana's own chat shows it too, from the file she sent.
    qtbot.waitUntil(lambda: tab.model.row_of_mid(offer.tid) >= 0, timeout=10_000)
    assert tab.model.record(tab.model.row_of_mid(offer.tid)).kind == EntryKind.IMAGE


def test_dropping_a_file_sends_it_and_progress_reaches_100_percent(two_windows, click_card, qtbot, tmp_path):
    ana, ben, ana_window, ben_window = two_windows()
    source = tmp_path / "lecture notes.bin"
    source.write_bytes(os.urandom(6 << 20))
    tab = ana_window.open_chat(ben.identity.id)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    centre = QPoint(tab.width() // 2, tab.height() // 2)

    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tab, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tab, drop)
    assert drop.isAccepted()

    sent = ana_window.dialogs.panel.model
    qtbot.waitUntil(lambda: sent.rowCount() == 1, timeout=5000)
    tid = sent.index(0).data(Qt.ItemDataRole.UserRole).tid
    received = ben_window.dialogs.panel.model
    progress: list[int] = []

    def record_progress() -> None:
        row = received.row_of(tid)
        if row >= 0:
            progress.append(received.index(row).data(TransfersModel.PerMilleRole))

    received.dataChanged.connect(record_progress)

    # Ben is asked (files are never accepted without a person); he clicks Accept on the card.
    ben_tab = ben_window.open_chat(ana.identity.id)
    qtbot.waitUntil(lambda: received.row_of(tid) >= 0, timeout=10_000)
    click_card(ben_tab, tid, "accept")

    qtbot.waitUntil(lambda: received.index(received.row_of(tid)).data(TransfersModel.StateRole) == "done",
                    timeout=30_000)
    assert received.index(received.row_of(tid)).data(TransfersModel.PerMilleRole) == 1000
    assert progress == sorted(progress) and progress[-1] == 1000
    qtbot.waitUntil(lambda: sent.index(sent.row_of(tid)).data(TransfersModel.StateRole) == "done", timeout=10_000)
    assert sent.index(sent.row_of(tid)).data(TransfersModel.PerMilleRole) == 1000
    # The cards say so too.
    for window, chat_tab in ((ana_window, tab), (ben_window, ben_tab)):
        record = chat_tab.model.record(chat_tab.model.row_of_mid(tid))
        assert window.card_painter.data(record).per_mille == 1000
    view = ben.transfers.view(tid)
    saved = Path(view.files[0].saved_as)
    assert saved.name == "lecture notes.bin" and saved.parent == ben.options.download_dir
    assert view.files[0].sha256 == sha256_of(saved) == sha256_of(source)


def test_declining_from_the_card_rejects_the_offer(two_windows, click_card, qtbot, tmp_path):
    ana, ben, ana_window, ben_window = two_windows()
    source = tmp_path / "holiday.zip"
    source.write_bytes(b"PK" + os.urandom(4096))
    tab = ana_window.open_chat(ben.identity.id)
    tab.offer_paths([source])
    qtbot.waitUntil(lambda: len(ana.transfers.transfers()) == 1, timeout=5000)
    tid = ana.transfers.transfers()[0].tid
    ben_tab = ben_window.open_chat(ana.identity.id)
    qtbot.waitUntil(lambda: (v := ben.transfers.view(tid)) is not None and v.needs_decision, timeout=10_000)

    click_card(ben_tab, tid, "decline")

    qtbot.waitUntil(lambda: ana.transfers.view(tid).state == "rejected", timeout=10_000)
    assert ana.transfers.view(tid).reason == "declined"
    assert ben.transfers.view(tid).state == "rejected"
    assert not any(ben.options.download_dir.glob("holiday*")) if ben.options.download_dir.exists() else True
    # Ana's card says so, with no buttons left.
    record = tab.model.record(tab.model.row_of_mid(tid))
    qtbot.waitUntil(lambda: ana_window.card_painter.data(record).view.state == "rejected", timeout=5000)
    assert ana_window.card_painter.actions(ana_window.card_painter.data(record)) == []


def test_dropping_a_file_on_a_contact_opens_its_chat_and_offers_it(two_windows, qtbot, tmp_path):
    ana, ben, ana_window, ben_window = two_windows()
    source = tmp_path / "slides.pdf"
    source.write_bytes(b"%PDF-1.4 " + os.urandom(2048))
    contacts = ana_window.contacts
    row = next(
        r for r in range(contacts.proxy.rowCount())
        if contacts.proxy.index(r, 0).data(ContactsModel.IdRole) == ben.identity.id
    )
    view = contacts.list
    point = view.visualRect(contacts.proxy.index(row, 0)).center()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (
        QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, buttons, keys),
        QDragMoveEvent(point, Qt.DropAction.CopyAction, mime, buttons, keys),
    ):
        QApplication.sendEvent(view.viewport(), event)
        assert event.isAccepted()
    drop = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), drop)
    assert drop.isAccepted()
    assert ana_window.tab_for(ben.identity.id) is not None
    received = ben_window.dialogs.panel.model
    qtbot.waitUntil(lambda: received.rowCount() == 1, timeout=10_000)
    view_of_offer = received.index(0).data(Qt.ItemDataRole.UserRole)
    assert [f.path for f in view_of_offer.files] == ["slides.pdf"]
    assert view_of_offer.needs_decision
