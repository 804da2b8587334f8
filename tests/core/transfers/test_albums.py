"""(1.1) Several pictures sent at once travel as an album: one offer each, one album id, byte-identical."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PIL import Image
from transfer_views import Views


def photo(path: Path, seed: int) -> Path:
    Image.frombytes("RGB", (64, 48), os.urandom(64 * 48 * 3)).save(path, "JPEG", quality=90 - seed)
    return path


def sha(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_ten_pictures_arrive_as_one_album_byte_identical(make_runtime, qtbot, tmp_path):
    ben, ana = make_runtime("ben"), make_runtime("ana", accept="auto")
    qtbot.waitUntil(lambda: bool(ben.contacts.find("ana")) and ben.contacts.find("ana")[0].online, timeout=10_000)
    (tmp_path / "trip").mkdir()
    pictures = [photo(tmp_path / "trip" / f"IMG_{i:04d}.jpg", i) for i in range(10)]
    ana_views = Views(ana)
    tids = ben.transfers.offer_pictures(ana.identity.id, pictures)
    assert len(tids) == 10
    qtbot.waitUntil(lambda: all(ana_views.state(t) == "done" for t in tids), timeout=30_000)

    albums = {ana_views.latest[t].album for t in tids}
    assert len(albums) == 1 and None not in albums
    for tid, source in zip(tids, pictures, strict=True):
        view = ana_views.latest[tid]
        assert view.kind == "image" and sha(view.files[0].saved_as) == sha(source)

    assert ana.store.flush()
    entries = [e for e in ana.store.page(ben.identity.id) if e.mid in tids]
    assert len(entries) == 10 and {e.album for e in entries} == albums
    assert ben.store.flush()
    assert {e.album for e in ben.store.page(ana.identity.id) if e.mid in tids} == albums


def test_one_picture_is_no_album(make_runtime, qtbot, tmp_path):
    ben, ana = make_runtime("ben"), make_runtime("ana", accept="auto")
    qtbot.waitUntil(lambda: bool(ben.contacts.find("ana")) and ben.contacts.find("ana")[0].online, timeout=10_000)
    views = Views(ana)
    (tid,) = ben.transfers.offer_pictures(ana.identity.id, [photo(tmp_path / "one.jpg", 1)])
    qtbot.waitUntil(lambda: views.state(tid) == "done", timeout=10_000)
    assert views.latest[tid].album is None
