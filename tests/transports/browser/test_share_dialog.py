"""The window's share dialog: what to allow, a QR code that decodes to a link that works, the warning for plain
HTTP, the fingerprint for HTTPS, downloads as they happen, and closing it ends the share."""

from __future__ import annotations

import os

import pytest
from pageclient import PageClient
from PySide6.QtGui import QImage

from lanchat.ui.qr_image import qr_image
from lanchat.ui.share_dialog import open_share_dialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, showing a dialog


def decoded(image: QImage, tmp_path) -> str:
    pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="needs pyzbar with libzbar0")
    from PIL import Image

    path = tmp_path / "qr.png"
    assert image.save(str(path))
    with Image.open(path) as picture:
        (found,) = pyzbar.decode(picture)
    return found.data.decode()


def test_the_qr_image_decodes_to_its_text(tmp_path):
    url = "http://192.168.1.20:40123/s/Zm9vYmFyYmF6cXV4MTIzNDU2/"
    assert decoded(qr_image(url), tmp_path) == url


def test_the_dialog_shows_a_working_link_and_closing_it_ends_the_share(runtime_with, qtbot, tmp_path):
    runtime = runtime_with()
    given = tmp_path / "slides.pdf"
    given.write_bytes(os.urandom(50_000))
    dialog = open_share_dialog(runtime, None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.add_files([given])
    dialog.ask_pin.setChecked(True)
    dialog.open_button.click()
    share = dialog.share
    assert share is not None and share.receive and share.given == ("slides.pdf",) and len(share.pin) == 4
    assert dialog.pages.currentIndex() == 1
    link = decoded(dialog.qr.pixmap().toImage(), tmp_path)
    assert link == share.urls[0] == dialog.link.text()
    assert "Not encrypted" in dialog.security.text()
    assert share.pin in dialog.pin.text()

    page = PageClient(link)
    key = page.call("POST", "api/pin", {"pin": share.pin}).json()["key"]
    page.key = key
    assert page.request("GET", "files/0/slides.pdf").body == given.read_bytes()
    qtbot.waitUntil(lambda: dialog.downloads.count() == 1 and "downloaded" in dialog.downloads.item(0).text())

    dialog.close()
    assert not runtime.browser.shares()


def test_https_explains_the_browser_warning_with_the_fingerprint(runtime_with, qtbot):
    runtime = runtime_with()
    dialog = open_share_dialog(runtime, None)
    qtbot.addWidget(dialog)
    dialog.https.setChecked(True)
    dialog.open_button.click()
    assert dialog.share is not None and dialog.share.urls[0].startswith("https://")
    text = dialog.security.text()
    assert "warn" in text and dialog.share.fingerprint in text
    assert runtime.settings.browser_https
    dialog.reject()
    assert not runtime.browser.shares()


def test_nothing_to_share_is_said_in_the_dialog(runtime_with, qtbot):
    runtime = runtime_with()
    dialog = open_share_dialog(runtime, None)
    qtbot.addWidget(dialog)
    dialog.receive.setChecked(False)
    dialog.open_button.click()
    assert dialog.share is None and dialog.pages.currentIndex() == 0
    assert "must take files" in dialog.problem.text()
