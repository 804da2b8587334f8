"""`lanchat --headless` and `lanchat send` as a script sees them: subprocesses, JSON lines, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import time

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
