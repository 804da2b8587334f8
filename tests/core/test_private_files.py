"""Every file lanchat keeps in a profile is its owner's alone, whatever the umask (issue 14)."""

from __future__ import annotations

import os
import stat

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage

from lanchat.core.history.records import MessageRecord


@pytest.fixture
def open_umask():
    """The most careless umask there is: files would be created 0666."""
    old = os.umask(0)
    yield
    os.umask(old)


def modes(folder):
    return {str(p.relative_to(folder)): stat.S_IMODE(p.lstat().st_mode) for p in [folder, *folder.rglob("*")]}


def test_a_profile_in_use_is_owner_only(open_umask, make_runtime, qtbot, tmp_path):
    ana = make_runtime("ana", download_dir=tmp_path / "downloads")
    ben = make_runtime("ben", download_dir=tmp_path / "ben downloads")
    qtbot.waitUntil(lambda: bool(ana.contacts.find("ben")) and ana.contacts.find("ben")[0].online, timeout=10_000)
    ana.settings.name = "Ana"
    ana.messaging.send_text(ben.identity.id, "hello")
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    # A pasted picture is kept in the profile to be sent from.
    ana.transfers.offer_image_data(ben.identity.id, bytes(buffer.data().data()), ana.options.profile / "pasted")
    qtbot.waitUntil(lambda: ana.store.flush() and (ana.options.profile / "history.sqlite3-wal").exists(),
                    timeout=10_000)

    found = modes(ana.options.profile)
    assert {"history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm", "settings.ini", "pasted"} <= set(found)
    assert any(name.startswith("pasted/") for name in found)
    loose = {name: oct(mode) for name, mode in found.items() if mode & 0o077}
    assert loose == {}


def test_an_older_profile_is_made_owner_only_on_start(make_runtime, tmp_path):
    profile = tmp_path / "ana"
    profile.mkdir(mode=0o755)
    for name in ("history.sqlite3", "settings.ini"):
        (profile / name).touch()
        os.chmod(profile / name, 0o644)
    ana = make_runtime("ana")
    ana.store.save_incoming(MessageRecord("1" * 32, "b" * 64, "b" * 64, "in", 1, "hi", "received"))
    assert ana.store.flush()
    assert {name: oct(mode) for name, mode in modes(profile).items() if mode & 0o077} == {}
