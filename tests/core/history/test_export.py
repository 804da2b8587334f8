"""`lanchat history --format json|html|txt` through lanchat.__main__.main."""

from __future__ import annotations

import json
import sys

import pytest

from lanchat.cli.main import main
from lanchat.core.history import ContactRecord, FileRecord, RoomRecord, TransferRecord, TransferState
from lanchat.core.profile import default_profile_dir


@pytest.fixture
def profile(make_store, db_path, h):
    store = make_store()
    store.upsert_contact(ContactRecord(h.ANA, "Ana"))
    store.upsert_contact(ContactRecord(h.BEN, "Sam"))
    store.upsert_contact(ContactRecord(h.CHLOE, "sam"))
    store.save_room(RoomRecord(h.ROOM, "Project <x>", (h.ME, h.ANA, h.BEN)))
    store.save_incoming(h.incoming(h.ANA, "<b>bold</b> & 中文", mid="1" * 32, ts=1_700_000_000_000))
    store.save_outgoing(h.outgoing(h.ANA, "reply\nsecond line", mid="2" * 32, ts=1_700_000_001_000), [h.ANA])
    store.mark_delivered("2" * 32, h.ANA)
    store.save_incoming(h.incoming(h.BEN, "to the room", mid="3" * 32, room=h.ROOM, ts=1_700_000_002_000))
    files = (FileRecord("<cat>.jpg", 3, 3, "/dl/<cat>.jpg", "ab" * 32, True),)
    store.save_transfer(TransferRecord("4" * 32, h.ANA, "in", "image", files, TransferState.DONE,
                                       created_at=1_700_000_003_000))
    store.save_incoming(h.incoming(h.ANA, "evil \x1b[31mred\x07", mid="5" * 32, ts=1_700_000_004_000))
    store.close()
    return db_path.parent


def run(capsys, *args):
    code = main(["history", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_one_array_oldest_first(profile, capsys, h):
    code, out, err = run(capsys, "--profile", str(profile), "--format", "json")
    assert code == 0 and err == ""
    entries = json.loads(out)
    assert [e["mid"] for e in entries] == ["1" * 32, "2" * 32, "3" * 32, "4" * 32, "5" * 32]
    first, reply, room, picture, _ = entries
    assert first == {
        "mid": "1" * 32, "peer": h.ANA, "peer_name": "Ana", "direction": "in", "room": None,
        "ts": 1_700_000_000_000, "text": "<b>bold</b> & 中文", "state": "received", "kind": "text",
    }
    assert (reply["direction"], reply["peer"], reply["state"]) == ("out", h.ANA, "delivered")
    assert (room["room"], room["peer_name"]) == (h.ROOM, "Sam")
    assert picture["files"] == [
        {"path": "<cat>.jpg", "size": 3, "saved_as": "/dl/<cat>.jpg", "sha256": "ab" * 32}
    ]
    assert (picture["kind"], picture["state"]) == ("image", "done")
    assert "中文" in out  # UTF-8 as is, not \u escapes


def test_json_with_one_contact_by_name_or_id(profile, capsys, h):
    code, out, _ = run(capsys, "--profile", str(profile), "--with", "ana", "--format", "json")
    assert code == 0
    assert [e["mid"] for e in json.loads(out)] == ["1" * 32, "2" * 32, "4" * 32, "5" * 32]
    code, out, _ = run(capsys, "--profile", str(profile), "--with", h.ROOM, "--format", "json")
    assert [e["mid"] for e in json.loads(out)] == ["3" * 32]


def test_html_escapes_everything(profile, capsys):
    code, out, _ = run(capsys, "--profile", str(profile), "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert "<b>bold" not in out and "&lt;b&gt;bold&lt;/b&gt; &amp; 中文" in out
    assert "<cat>" not in out and "&lt;cat&gt;.jpg" in out
    assert "Project <x>" not in out and "Project &lt;x&gt;" in out


def test_txt_is_readable_and_safe_for_a_terminal(profile, capsys):
    code, out, _ = run(capsys, "--profile", str(profile), "--format", "txt")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("Ana → me: <b>bold</b> & 中文")
    assert "me → Ana (delivered): reply" in lines[1] and lines[2] == "    second line"
    assert "[Project <x>] Sam → me: to the room" in lines[3]
    assert "[image] <cat>.jpg (3 bytes) → /dl/<cat>.jpg" in out
    assert "\x1b" not in out and "\x07" not in out and "evil \ufffd[31mred\ufffd" in out


def test_unknown_or_ambiguous_with_exits_3(profile, capsys):
    code, out, err = run(capsys, "--profile", str(profile), "--with", "nobody", "--format", "json")
    assert (code, out) == (3, "") and "nobody" in err and len(err.splitlines()) == 1
    code, out, err = run(capsys, "--profile", str(profile), "--with", "SAM", "--format", "txt")
    assert (code, out) == (3, "") and "ambiguous" in err and len(err.splitlines()) == 1


def test_missing_or_corrupt_history_exits_1_with_one_line(tmp_path, capsys):
    code, out, err = run(capsys, "--profile", str(tmp_path), "--format", "json")
    assert (code, out) == (1, "") and str(tmp_path / "history.sqlite3") in err and len(err.splitlines()) == 1
    (tmp_path / "history.sqlite3").write_bytes(b"not a database at all" * 100)
    code, out, err = run(capsys, "--profile", str(tmp_path), "--format", "html")
    assert (code, out) == (1, "") and "damaged" in err and len(err.splitlines()) == 1
    assert (tmp_path / "history.sqlite3").read_bytes() == b"not a database at all" * 100


def test_export_reads_while_lanchat_is_writing(make_store, db_path, capsys, h):
    store = make_store()
    store.save_incoming(h.incoming(h.ANA, "live", mid="6" * 32))
    store.flush()
    code, out, _ = run(capsys, "--profile", str(db_path.parent), "--format", "json")
    assert code == 0 and [e["text"] for e in json.loads(out)] == ["live"]
    store.save_incoming(h.incoming(h.ANA, "still writing"))
    assert store.flush()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is how Linux places it")
def test_the_default_profile_is_the_platform_data_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_profile_dir() == tmp_path / "data" / "lanchat"
    code, _, err = run(capsys, "--format", "json")
    assert code == 1 and str(tmp_path / "data" / "lanchat" / "history.sqlite3") in err
