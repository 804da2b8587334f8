"""Issue 16, items 5, 7, 11 and 14 (ETA): a transfer's state in words, with who, never a raw code."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage

from lanchat.core.history.records import Direction
from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.offers import FileFailure, OfferKind, RejectReason
from lanchat.core.transfers.state import TransferState
from lanchat.core.transfers.transfer import TransferFile, TransferView
from lanchat.ui.transfer_words import eta_text, state_text


def view(state, direction=Direction.OUT, reason=None):
    return TransferView("a" * 32, direction, "b" * 64, OfferKind.FILES, (TransferFile("notes.txt", 10),), state,
                        0, 10, reason=reason)


CODES = [r.value for r in RejectReason] + [f.value for f in FileFailure] + ["io-error", "expired", "timed-out"]


@pytest.mark.parametrize("direction", [Direction.IN, Direction.OUT])
@pytest.mark.parametrize("state", [TransferState.REJECTED, TransferState.FAILED, TransferState.CANCELLED])
@pytest.mark.parametrize("reason", CODES)
def test_no_reason_code_reaches_the_words(state, direction, reason):
    text = state_text(view(state, direction, reason), "小红")
    assert text and f"({reason})" not in text and f": {reason}" not in text
    if "-" in reason:  # a code, not a word
        assert reason not in text


def test_who_declined_who_cancelled_and_the_full_disk():
    assert state_text(view(TransferState.REJECTED, reason="no-space"), "小红") == \
        "小红 has no room for it: their disk is full"
    assert state_text(view(TransferState.REJECTED, Direction.IN, "no-space"), "小红") == \
        "Not saved: there is not enough free space"
    assert state_text(view(TransferState.CANCELLED, reason="cancelled by the other side"), "小红") == "小红 cancelled"
    assert state_text(view(TransferState.CANCELLED, reason="cancelled"), "小红") == "You cancelled"


def test_an_offer_to_an_offline_contact_says_so():
    assert state_text(view(TransferState.OFFERED), "小红", online=False) == \
        "小红 is offline: will send when 小红 is back"
    assert state_text(view(TransferState.OFFERED), "小红", online=True) == "Waiting for 小红 to accept…"


def test_a_transfer_that_is_not_done_never_says_zero_seconds():
    assert eta_text(0.29) == "1 s left"
    assert eta_text(59.2) == "1 min left"
    assert eta_text(None) == ""


def test_a_full_disk_after_accept_says_where_and_how_much(two_windows, click_card, qtbot, tmp_path, monkeypatch):
    ana, ben, ana_window, ben_window = two_windows()
    monkeypatch.setattr(DownloadFolder, "free_space_ok", lambda self, needed: False)
    (tmp_path / "video.mp4").write_bytes(b"x" * 50_000)
    tid = ben.transfers.offer(ana.identity.id, [tmp_path / "video.mp4"])[0]
    qtbot.waitUntil(lambda: (v := ana.transfers.view(tid)) is not None and v.needs_decision, timeout=10_000)
    ana_tab = ana_window.open_chat(ben.identity.id)
    warned: list[str] = []
    monkeypatch.setattr(ana_window.dialogs, "warn", warned.append)
    click_card(ana_tab, tid, "accept")
    assert len(warned) == 1
    folder = str(ana.transfers.downloads.path)
    assert folder in warned[0] and "50.0 KB" in warned[0] and "no-space" not in warned[0]
    ana_card = ana_window.card_painter.detail_parts(ana_window.card_painter.data(
        ana_tab.model.record(ana_tab.model.row_of_mid(tid))))
    assert ana_card[-1] == "Not saved: there is not enough free space"
    qtbot.waitUntil(lambda: ben.transfers.view(tid).state is TransferState.REJECTED, timeout=10_000)
    ben_tab = ben_window.open_chat(ana.identity.id)
    ben_card = ben_window.card_painter.detail_parts(ben_window.card_painter.data(
        ben_tab.model.record(ben_tab.model.row_of_mid(tid))))
    assert ben_card[-1] == "ana has no room for it: their disk is full"


def test_a_picture_to_an_offline_contact_says_it_waits_for_them(two_windows, qtbot, tmp_path):
    ana, ben, ana_window, _ben_window = two_windows()
    ben_id = ben.identity.id
    ben.stop()
    qtbot.waitUntil(lambda: not ana.contacts.get(ben_id).online, timeout=10_000)
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#cc3366"))
    image.save(str(tmp_path / "poster.png"))
    tid = ana.transfers.offer(ben_id, [tmp_path / "poster.png"])[0]
    tab = ana_window.open_chat(ben_id)
    qtbot.waitUntil(lambda: tab.model.row_of_mid(tid) >= 0, timeout=10_000)
    cards = ana_window.card_painter
    parts = cards.detail_parts(cards.data(tab.model.record(tab.model.row_of_mid(tid))))
    assert parts[-1] == "ben is offline: will send when ben is back"
