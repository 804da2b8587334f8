"""`lanchat --headless` and `lanchat send` as a script sees them: subprocesses, JSON lines, exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from peers import HeadlessPeer, peer_args


@pytest.fixture
def headless(tmp_path, presence_port):
    peers = []

    def start(name: str, *extra: str) -> HeadlessPeer:
        peer = HeadlessPeer(tmp_path / name, name, presence_port, *extra)
        peers.append(peer)
        return peer

    yield start
    for peer in peers:
        peer.stop()


def run_send(tmp_path, presence_port, name: str, *args: str, timeout: float = 60):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "lanchat", "send", *peer_args(tmp_path / name, name, presence_port), *args],
        capture_output=True, text=True, timeout=timeout, env=env,
    )


def test_two_headless_peers_chat_and_quit_cleanly(headless):
    ana, ben = headless("ana"), headless("ben")
    seen = ana.wait_for(lambda e: e["event"] == "peer" and e["id"] == ben.id and e["status"] == "online")
    assert seen["name"] == "ben" and seen["port"] == ben.port and seen["address"] == "127.0.0.1"
    ben.wait_for(lambda e: e["event"] == "peer" and e["id"] == ana.id)

    ana.command(cmd="send", id="c1", to="ben", text="héllo 中文")
    result = ana.wait_for(lambda e: e["event"] == "result" and e["id"] == "c1")
    assert result["ok"] is True
    message = ben.wait_for(lambda e: e["event"] == "message")
    assert message["from"] == ana.id and message["text"] == "héllo 中文" and message["room"] is None
    assert message["mid"] == result["mid"]
    ana.wait_for(lambda e: e["event"] == "delivered" and e["mid"] == result["mid"] and e["to"] == ben.id)

    ana.command(cmd="send", id="c2", to="nobody", text="x")
    failed = ana.wait_for(lambda e: e["event"] == "result" and e["id"] == "c2")
    assert failed["ok"] is False and failed["error"] == "not-found"

    ana.command(cmd="peers", id="c3")
    peers = ana.wait_for(lambda e: e["event"] == "result" and e["id"] == "c3")["peers"]
    assert [p["id"] for p in peers] == [ben.id]

    ben.command(cmd="quit", id="q")
    assert ben.process.wait(5) == 0, "".join(ben.stderr[-20:])
    ana.wait_for(lambda e: e["event"] == "peer" and e["id"] == ben.id and e["status"] == "offline")


def test_sigterm_sends_leave_and_exits_0_within_a_second(headless):
    ana, ben = headless("ana"), headless("ben")
    ana.wait_for(lambda e: e["event"] == "peer" and e["id"] == ben.id)
    started = time.monotonic()
    ben.process.terminate()
    assert ben.process.wait(5) == 0
    assert time.monotonic() - started < 1.0
    ana.wait_for(lambda e: e["event"] == "peer" and e["id"] == ben.id and e["status"] == "offline")


def test_send_delivers_and_exits_0(headless, tmp_path, presence_port):
    ben = headless("ben")
    done = run_send(tmp_path, presence_port, "ana", "--to", "ben", "--text", "from a script", "--timeout", "20")
    assert done.returncode == 0, done.stderr
    message = ben.wait_for(lambda e: e["event"] == "message")
    assert message["text"] == "from a script"


def test_send_hands_off_to_the_running_profile(headless, tmp_path, presence_port):
    ana, ben = headless("ana"), headless("ben")
    ana.wait_for(lambda e: e["event"] == "peer" and e["id"] == ben.id)
    done = run_send(tmp_path, presence_port, "ana", "--to", ben.id, "--text", "via ana", "--timeout", "20")
    assert done.returncode == 0, done.stderr
    message = ben.wait_for(lambda e: e["event"] == "message")
    assert message["from"] == ana.id and message["text"] == "via ana"
    ana.wait_for(lambda e: e["event"] == "delivered" and e["mid"] == message["mid"])


def test_send_to_nobody_exits_3(tmp_path, presence_port):
    done = run_send(tmp_path, presence_port, "ana", "--to", "nobody", "--text", "x", "--timeout", "2")
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and "nobody" in done.stderr


def test_send_to_an_ambiguous_name_exits_3(headless, tmp_path, presence_port):
    headless("twin-a", "--name", "twin")
    headless("twin-b", "--name", "twin")
    done = run_send(tmp_path, presence_port, "ana", "--to", "twin", "--text", "x", "--timeout", "10")
    assert done.returncode == 3
    assert "2 contacts" in done.stderr


def test_bad_arguments_exit_2(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "lanchat", "send", "--to", "x"], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2
    too_long = subprocess.run(
        [sys.executable, "-m", "lanchat", "--headless", "--profile", str(tmp_path / "p"), "--name", "x" * 65],
        capture_output=True, text=True, timeout=30,
    )
    assert too_long.returncode == 2 and "1 to 64 characters" in too_long.stderr


def test_a_name_set_while_running_is_kept_to_64_characters(make_runtime):
    ana = make_runtime("ana")
    ana.set_name("小" * 200)
    assert ana.name == "小" * 64 and ana.settings.name == "小" * 64


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_send_files_and_a_folder_exits_0_when_all_arrived(headless, tmp_path, presence_port):
    ana = headless("ana", "--accept", "auto")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(300_000))
    folder = tmp_path / "homework"
    (folder / "maths").mkdir(parents=True)
    (folder / "maths" / "ex1.txt").write_text("2 + 2 = 4")
    (folder / "readme.md").write_text("# homework")
    done = run_send(tmp_path, presence_port, "ben", "--to", "ana", "--file", str(photo), "--timeout", "20")
    assert done.returncode == 0, done.stderr
    done = run_send(tmp_path, presence_port, "ben", "--to", "ana", "--dir", str(folder), "--timeout", "20")
    assert done.returncode == 0, done.stderr
    downloads = tmp_path / "ana" / "downloads"
    assert sha256_of(downloads / "photo.jpg") == sha256_of(photo)
    assert (downloads / "homework" / "maths" / "ex1.txt").read_text() == "2 + 2 = 4"
    finished = ana.wait_for(lambda e: e["event"] == "transfer" and e["state"] == "done" and e["direction"] == "in")
    assert finished["files"][0]["sha256"] == sha256_of(photo)
    assert finished["files"][0]["saved_as"] == str(downloads / "photo.jpg")


def test_send_file_declined_exits_1(headless, tmp_path, presence_port):
    headless("ana", "--accept", "never")
    note = tmp_path / "note.txt"
    note.write_text("hi")
    done = run_send(tmp_path, presence_port, "ben", "--to", "ana", "--file", str(note), "--timeout", "20")
    assert done.returncode == 1
    assert "rejected" in done.stderr


def test_headless_offer_accept_command(headless, tmp_path):
    ana, ben = headless("ana"), headless("ben")  # ana asks
    ben.wait_for(lambda e: e["event"] == "peer" and e["id"] == ana.id)
    doc = tmp_path / "essay.odt"
    doc.write_bytes(b"x" * 5000)
    ben.command(cmd="offer", id="o1", to="ana", paths=[str(doc)], kind="files")
    tid = ben.wait_for(lambda e: e["event"] == "result" and e["id"] == "o1")["tid"]
    offered = ana.wait_for(lambda e: e["event"] == "transfer" and e["tid"] == tid)
    assert offered["state"] == "offered" and offered["direction"] == "in" and offered["peer"] == ben.id
    assert offered["files"] == [{"path": "essay.odt", "size": 5000, "saved_as": None, "sha256": None, "ok": None}]
    ana.command(cmd="accept", id="a1", tid=tid)
    assert ana.wait_for(lambda e: e["event"] == "result" and e["id"] == "a1")["ok"] is True
    ben.wait_for(lambda e: e["event"] == "transfer" and e["tid"] == tid and e["state"] == "done")
    done = ana.wait_for(lambda e: e["event"] == "transfer" and e["tid"] == tid and e["state"] == "done")
    assert done["bytes"] == done["total"] == 5000


def test_receiver_killed_mid_transfer_resumes_after_restart(headless, tmp_path, presence_port):
    ana = headless("ana", "--accept", "auto")
    ben = headless("ben")
    ben.wait_for(lambda e: e["event"] == "peer" and e["id"] == ana.id)
    big = tmp_path / "video.bin"
    with open(big, "wb") as f:
        for _ in range(400):
            f.write(os.urandom(1 << 20))
    ben.command(cmd="offer", id="o", to="ana", paths=[str(big)])
    tid = ben.wait_for(lambda e: e["event"] == "result" and e["id"] == "o")["tid"]
    # On loopback 300-400 MiB take well under a second: kill at the first progress
    # report (a few percent in), the only moment a script can reliably catch.
    ana.wait_for(lambda e: e["event"] == "transfer" and e["tid"] == tid and e["state"] == "progress"
                 and e["bytes"] > 0)
    ana.process.kill()  # kill -9 in the middle
    ana.process.wait()
    partial = next((tmp_path / "ana" / "downloads" / ".lanchat-partial").rglob("*.part"))
    assert 0 < partial.stat().st_size < big.stat().st_size

    again = headless("ana", "--accept", "auto")
    resumed = again.wait_for(lambda e: e["event"] == "transfer" and e["tid"] == tid and e["state"] == "accepted",
                             timeout=30)
    assert resumed["bytes"] > 0  # resumed from the partial file, not from zero
    done = again.wait_for(lambda e: e["event"] == "transfer" and e["tid"] == tid and e["state"] == "done", timeout=60)
    assert done["files"][0]["sha256"] == sha256_of(big)
    assert sha256_of(Path(done["files"][0]["saved_as"])) == sha256_of(big)


def test_sender_restarted_mid_transfer_resumes_with_the_same_tid(headless, tmp_path):
    ana = headless("ana", "--accept", "auto")
    ben = headless("ben")
    ben.wait_for(lambda e: e["event"] == "peer" and e["id"] == ana.id)
    big = tmp_path / "album.bin"
    with open(big, "wb") as f:
        for _ in range(300):
            f.write(os.urandom(1 << 20))
    ben.command(cmd="offer", id="o", to="ana", paths=[str(big)])
    tid = ben.wait_for(lambda e: e["event"] == "result" and e["id"] == "o")["tid"]
    # On loopback 300-400 MiB take well under a second: kill at the first progress
    # report (a few percent in), the only moment a script can reliably catch.
    ana.wait_for(lambda e: e["event"] == "transfer" and e["tid"] == tid and e["state"] == "progress"
                 and e["bytes"] > 0)
    ben.process.kill()  # the sender's machine goes away
    ben.process.wait()

    headless("ben")  # same profile: the unfinished transfer is in its history
    done = ana.wait_for(lambda e: e["event"] == "transfer" and e["tid"] == tid and e["state"] == "done", timeout=60)
    assert done["files"][0]["sha256"] == sha256_of(big)
    resumed = [e for e in ana.seen if e["event"] == "transfer" and e["tid"] == tid and e["state"] == "accepted"]
    assert len(resumed) >= 2 and resumed[-1]["bytes"] > 0  # accepted again with bytes held


def history_of(profile: Path) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "lanchat", "history", "--profile", str(profile), "--format", "json"],
        capture_output=True, text=True, timeout=60, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_receiver_killed_in_a_burst_keeps_every_acked_message_once(headless, tmp_path):
    ana = headless("ana")
    ben = headless("ben")
    ben.wait_for(lambda e: e["event"] == "peer" and e["id"] == ana.id)
    assert ben.process.stdin is not None
    ben.process.stdin.write(b"".join(
        json.dumps({"cmd": "send", "id": f"m{i}", "to": ana.id, "text": f"burst {i}"}).encode() + b"\n"
        for i in range(1000)
    ))
    ben.process.stdin.flush()
    delivered: set[str] = set()
    while len(delivered) < 200:
        event = ben.wait_for(lambda e: e["event"] == "delivered" and e["mid"] not in delivered)
        delivered.add(event["mid"])
    ana.process.kill()  # kill -9 in the middle of the burst
    ana.process.wait()
    acked_before = {e["mid"] for e in ben.seen if e["event"] == "delivered"}
    assert 200 <= len(acked_before) < 1000

    headless("ana")  # restart: ben resends what was not acked
    def all_acked(_event: dict) -> bool:
        return len({e["mid"] for e in ben.seen if e["event"] == "delivered"}) == 1000

    ben.wait_for(all_acked, timeout=90)
    stored = [m for m in history_of(tmp_path / "ana") if m["direction"] == "in"]
    mids = [m["mid"] for m in stored]
    assert acked_before <= set(mids)
    assert len(mids) == len(set(mids)) == 1000


def test_everyone_as_an_object_ignores_the_members_given(headless):
    ana, ben = headless("ana"), headless("ben")
    ana.wait_for(lambda e: e["event"] == "peer" and e["id"] == ben.id and e["status"] == "online")
    everyone = "a436a0f070bf5aa6ab419cde4ad28674"
    ana.command(cmd="send", id="e1", room={"id": everyone, "name": "x", "members": ["nobody at all"]}, text="hi all")
    result = ana.wait_for(lambda e: e["event"] == "result" and e["id"] == "e1")
    assert result["ok"] is True
    message = ben.wait_for(lambda e: e["event"] == "message" and e["mid"] == result["mid"])
    assert message["room"] == everyone and message["text"] == "hi all"


def test_an_event_line_is_written_whole_by_a_raw_stdout_that_takes_a_little_at_a_time():
    import io

    from lanchat.cli.headless import write_all

    class Stingy(io.RawIOBase):  # a raw stdout (PYTHONUNBUFFERED) interrupted by signals
        def __init__(self) -> None:
            self.taken = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            piece = bytes(data[:5])
            self.taken += piece
            return len(piece)

    out = Stingy()
    line = b'{"event":"transfer","files":[' + b'{"path":"a"},' * 1000 + b"]}\n"
    write_all(out, line)
    assert bytes(out.taken) == line
