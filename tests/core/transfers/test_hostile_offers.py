"""Offers from peers that mean harm (issue 14): pictures that are not, strangers, planted and linked partials.

Real peers over real sockets, real files, real SQLite.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QColor, QImage
from transfer_views import Views

from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.offers import Offer, OfferedFile, OfferKind
from lanchat.core.transfers.policy import DAILY_PICTURE_BYTES, AcceptMode, AcceptPolicy, Decision, SenderFacts


def online(runtime, other) -> bool:
    found = runtime.contacts.find(other.options.name)
    return bool(found) and found[0].online


@pytest.fixture
def ben_and_ana(make_runtime, qtbot):
    """Ben sends; Ana asks (the default)."""
    ben, ana = make_runtime("ben"), make_runtime("ana")
    qtbot.waitUntil(lambda: online(ben, ana) and online(ana, ben), timeout=10_000)
    return ben, ana


def make_known(qtbot, ana, ben) -> None:
    ana.messaging.send_text(ben.identity.id, "send me the pictures")
    qtbot.waitUntil(lambda: ana.store.flush() and ana.store.is_known(ben.identity.id), timeout=10_000)


def picture(path: Path, colour: str = "orange") -> Path:
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


class Notes(QObject):
    def __init__(self, runtime) -> None:
        super().__init__()
        self.codes: list[str] = []
        runtime.notices.listen()
        runtime.notices.posted.connect(self.on_notice)

    @Slot(object)
    def on_notice(self, notice) -> None:
        self.codes.append(notice.code)


def offer(ben, ana, path: Path, kind: OfferKind | None = OfferKind.IMAGE) -> str:
    return ben.transfers.offer(ana.identity.id, [path], kind)[0]


def test_a_picture_from_a_stranger_waits(ben_and_ana, qtbot, tmp_path):
    ben, ana = ben_and_ana  # Ben only announced himself: not a known contact
    views = Views(ana)
    tid = offer(ben, ana, picture(tmp_path / "cat.png"))
    qtbot.waitUntil(lambda: views.state(tid) == "offered", timeout=10_000)
    assert views.latest[tid].needs_decision
    assert not (ana.downloads.path / "cat.png").exists()


@pytest.mark.parametrize("name", ["run-me.sh", "setup.exe", "cat.png.exe", "notes.txt"])
def test_an_image_offer_without_a_picture_name_waits_even_from_a_known_contact(ben_and_ana, qtbot, tmp_path, name):
    ben, ana = ben_and_ana
    make_known(qtbot, ana, ben)
    source = tmp_path / name
    source.write_bytes(picture(tmp_path / "real.png").read_bytes())  # picture bytes, the wrong name
    views = Views(ana)
    tid = offer(ben, ana, source)
    qtbot.waitUntil(lambda: views.state(tid) == "offered", timeout=10_000)
    assert views.latest[tid].kind == "image" and views.latest[tid].needs_decision
    assert not (ana.downloads.path / name).exists()


@pytest.mark.allow_warnings
def test_a_fake_picture_is_deleted_and_that_contacts_pictures_wait_from_then_on(ben_and_ana, qtbot, tmp_path):
    ben, ana = ben_and_ana
    make_known(qtbot, ana, ben)
    notes = Notes(ana)
    fake = tmp_path / "holiday.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4 << 20))  # a PNG signature, then noise
    ben_views, ana_views = Views(ben), Views(ana)
    tid = offer(ben, ana, fake)
    qtbot.waitUntil(lambda: ana_views.state(tid) == "failed" and ben_views.state(tid) == "failed", timeout=20_000)
    assert not ana_views.latest[tid].needs_decision  # it was auto-accepted, then its bytes were checked
    assert ana_views.latest[tid].reason == "not-a-picture"
    assert ben_views.latest[tid].files[0].ok is False
    assert "not-a-picture" in notes.codes
    assert [p.name for p in ana.downloads.path.iterdir() if p.name != ".lanchat-partial"] == []
    assert not any(ana.downloads.partial_root.rglob("*.part"))

    real = offer(ben, ana, picture(tmp_path / "real.png"))  # a real one now waits for Ana
    qtbot.waitUntil(lambda: ana_views.state(real) == "offered", timeout=10_000)
    assert ana_views.latest[real].needs_decision
    assert ben.identity.id in ana.settings.picture_suspects


def test_a_real_picture_from_a_known_contact_is_taken_at_once(ben_and_ana, qtbot, tmp_path):
    ben, ana = ben_and_ana
    make_known(qtbot, ana, ben)
    views = Views(ana)
    tid = offer(ben, ana, picture(tmp_path / "Cat.JPG"))
    qtbot.waitUntil(lambda: views.state(tid) == "done", timeout=10_000)
    assert not views.latest[tid].needs_decision
    assert QImage(str(ana.downloads.path / "Cat.JPG")).width() == 320


def test_accept_decline_and_retry_after_the_sender_cancelled_are_no_ops(ben_and_ana, qtbot, tmp_path):
    ben, ana = ben_and_ana
    source = tmp_path / "report.pdf"
    source.write_bytes(b"%PDF-1.4 " + os.urandom(1000))
    ana_views = Views(ana)
    tid = offer(ben, ana, source, kind=None)
    qtbot.waitUntil(lambda: ana_views.state(tid) == "offered", timeout=10_000)
    assert ben.transfers.cancel(tid)
    qtbot.waitUntil(lambda: ana_views.state(tid) == "cancelled", timeout=10_000)
    # A click that races the cancel: nothing happens, nothing raises.
    assert ana.transfers.accept(tid) is False
    assert ana.transfers.decline(tid) is False
    assert ana.transfers.cancel(tid) is False
    assert ana.transfers.retry(tid) is False
    assert ana.transfers.accept("0" * 32) is False  # never known at all
    assert ana_views.state(tid) == "cancelled" and not (ana.downloads.path / "report.pdf").exists()


# --- the rule itself ---------------------------------------------------------------------------

KNOWN = SenderFacts(known=True, recent_bytes=0, suspect=False)


def image_offer(*files: OfferedFile) -> Offer:
    return Offer("1" * 32, OfferKind.IMAGE, files)


@pytest.mark.parametrize(
    ("offer_", "sender", "decision"),
    [
        pytest.param(image_offer(OfferedFile("a.png", 10)), KNOWN, Decision.ACCEPT_PICTURE, id="known-png"),
        pytest.param(image_offer(OfferedFile("A.WEBP", 10)), KNOWN, Decision.ACCEPT_PICTURE, id="any-case"),
        pytest.param(image_offer(OfferedFile("a.png", 10)), SenderFacts(False, 0, False), Decision.ASK,
                     id="stranger"),
        pytest.param(image_offer(OfferedFile("a.png", 10)), SenderFacts(True, 0, True), Decision.ASK, id="suspect"),
        pytest.param(image_offer(OfferedFile("a.png", 10), OfferedFile("b.png", 10)), KNOWN, Decision.ASK,
                     id="two-files"),
        pytest.param(image_offer(OfferedFile("a.heic", 10)), KNOWN, Decision.ASK, id="other-extension"),
        pytest.param(image_offer(OfferedFile("a.png", 25_000_001)), KNOWN, Decision.ASK, id="over-the-limit"),
        pytest.param(image_offer(OfferedFile("a.png", 25_000_000)), KNOWN, Decision.ACCEPT_PICTURE,
                     id="at-the-limit"),
        pytest.param(image_offer(OfferedFile("a.png", 10)), SenderFacts(True, DAILY_PICTURE_BYTES - 10, False),
                     Decision.ACCEPT_PICTURE, id="up-to-64-MiB-a-day"),
        pytest.param(image_offer(OfferedFile("a.png", 11)), SenderFacts(True, DAILY_PICTURE_BYTES - 10, False),
                     Decision.ASK, id="beyond-64-MiB-a-day"),
        pytest.param(Offer("1" * 32, OfferKind.FILES, (OfferedFile("a.png", 10),)), KNOWN, Decision.ASK,
                     id="files-kind"),
        pytest.param(image_offer(OfferedFile("a.png", 0, folder=True)), KNOWN, Decision.ASK, id="folder"),
    ],
)
def test_ask_takes_one_named_picture_from_a_known_contact_within_the_limits(offer_, sender, decision):
    assert AcceptPolicy(AcceptMode.ASK).decide(offer_, sender) is decision
    assert AcceptPolicy(AcceptMode.AUTO).decide(offer_, sender) is Decision.ACCEPT
    assert AcceptPolicy(AcceptMode.NEVER).decide(offer_, sender) is Decision.DECLINE


# --- the partial folder ------------------------------------------------------------------------

TID = "7" * 32
ENTRY = (OfferedFile("movie.bin", 100),)


def test_a_planted_partial_file_is_not_taken_for_the_start_of_a_new_transfer(tmp_path):
    downloads = DownloadFolder(tmp_path / "downloads")
    planted = downloads.partial_root / TID / "0.part"
    planted.parent.mkdir(parents=True)
    planted.write_bytes(b"evil!!")
    assert downloads.accept(TID, "b" * 64, ENTRY) == [0]
    assert not planted.exists()


def test_a_partial_file_lanchat_recorded_resumes(tmp_path):
    downloads = DownloadFolder(tmp_path / "downloads")
    partial = downloads.partial_root / TID / "0.part"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"first!")
    assert downloads.accept(TID, "b" * 64, ENTRY, resume=True) == [6]


def test_a_linked_partial_file_is_never_followed(tmp_path):
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"secret" * 10)
    downloads = DownloadFolder(tmp_path / "downloads")
    (downloads.partial_root / TID).mkdir(parents=True)
    (downloads.partial_root / TID / "0.part").symlink_to(outside)
    assert downloads.accept(TID, "b" * 64, ENTRY, resume=True) == [0]  # a link is no partial of ours
    with pytest.raises(OSError):
        downloads.open_partial(downloads.partial_root / TID / "0.part")
    assert outside.read_bytes() == b"secret" * 10


def test_a_linked_partial_folder_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    downloads = DownloadFolder(tmp_path / "downloads")
    downloads.path.mkdir()
    downloads.partial_root.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OSError, match="does not follow links"):
        downloads.accept(TID, "b" * 64, ENTRY)
    assert list(elsewhere.iterdir()) == []


def test_the_download_folder_itself_may_be_a_link(tmp_path):
    real = tmp_path / "real downloads"
    real.mkdir()
    (tmp_path / "downloads").symlink_to(real, target_is_directory=True)
    downloads = DownloadFolder(tmp_path / "downloads")
    assert downloads.accept(TID, "b" * 64, ENTRY) == [0]
    assert (real / ".lanchat-partial" / TID).is_dir()


@pytest.mark.allow_warnings
def test_a_linked_partial_folder_refuses_the_offer_over_the_network(make_runtime, qtbot, tmp_path):
    ben, ana = make_runtime("ben"), make_runtime("ana", accept="auto")
    qtbot.waitUntil(lambda: online(ben, ana), timeout=10_000)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ana.downloads.path.mkdir(parents=True, exist_ok=True)
    ana.downloads.partial_root.symlink_to(elsewhere, target_is_directory=True)
    notes = Notes(ana)
    source = tmp_path / "notes.txt"
    source.write_text("week 1")
    ben_views = Views(ben)
    tid = offer(ben, ana, source, kind=None)
    qtbot.waitUntil(lambda: ben_views.state(tid) == "rejected", timeout=10_000)
    assert "io-error" in notes.codes
    assert list(elsewhere.iterdir()) == []
