"""The profile's control socket: commands in, events out, and a client that stops reading blocks no one."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from PySide6.QtCore import QObject, Slot

from lanchat.control_socket import MAX_QUEUED_BYTES, ControlServer, is_running


class Commands(QObject):
    def __init__(self, server: ControlServer) -> None:
        super().__init__()
        self.server = server
        self.received: list[tuple[int, object]] = []
        server.command_received.connect(self.on_command)

    @Slot(int, object)
    def on_command(self, client: int, command: object) -> None:
        self.received.append((client, command))
        self.server.send(client, b'{"event":"result","ok":true}\n')


@pytest.fixture
def server(tmp_path, qapp):
    server = ControlServer(tmp_path / "lanchat.sock")
    server.bind()
    server.start()
    yield server
    server.stop()


def connect(server: ControlServer) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.connect(str(server.path))
    return sock


def test_a_command_gets_its_answer_and_events(server, qtbot):
    commands = Commands(server)
    with connect(server) as client, client.makefile("rb") as lines:
        client.sendall(b'{"cmd":"peers","id":"1"}\nnot json\n')
        qtbot.waitUntil(lambda: len(commands.received) == 2, timeout=5000)
        assert [c for _, c in commands.received] == [{"cmd": "peers", "id": "1"}, None]
        assert json.loads(lines.readline()) == {"event": "result", "ok": True}
        server.broadcast(b'{"event":"peer"}\n')
        lines.readline()  # the second result
        assert json.loads(lines.readline()) == {"event": "peer"}


def test_the_socket_is_owner_only_and_a_second_server_is_refused(server, tmp_path):
    assert (server.path.stat().st_mode & 0o777) == 0o600
    assert is_running(server.path)
    with pytest.raises(OSError):
        ControlServer(server.path).bind()


def test_a_client_that_stops_reading_never_blocks_the_caller_and_is_dropped(server, qtbot):
    stalled = connect(server)  # connects, never reads
    healthy = connect(server)
    qtbot.waitUntil(lambda: len(server._clients) == 2, timeout=5000)
    line = b'{"event":"transfer","bytes":' + b"1" * 1000 + b"}\n"
    count = 2 * MAX_QUEUED_BYTES // len(line)  # twice what a client may fall behind
    got = {"healthy": 0}

    def read_healthy() -> None:
        with healthy.makefile("rb") as lines:
            for _ in range(count):
                if not lines.readline():
                    return
                got["healthy"] += 1

    reader = threading.Thread(target=read_healthy)
    reader.start()
    slowest = 0.0
    # A reading client is never more than a quarter of the limit behind here (on a loaded machine the
    # reader thread may otherwise lag as far as a stalled client; the wait is not part of the timing).
    window = MAX_QUEUED_BYTES // len(line) // 4
    for sent in range(1, count + 1):
        before = time.monotonic()
        server.broadcast(line)
        slowest = max(slowest, time.monotonic() - before)
        if sent - got["healthy"] > window:
            qtbot.waitUntil(lambda: sent - got["healthy"] <= window // 2, timeout=10_000)  # noqa: B023
    assert slowest < 0.05, f"a broadcast took {slowest * 1000:.0f} ms"
    reader.join(20)
    assert got["healthy"] == count  # the reading client missed nothing
    # The stalled client was dropped: once it drains what the kernel held, its connection is closed.
    stalled.settimeout(10)
    received = 0
    while chunk := stalled.recv(1 << 20):
        received += len(chunk)
    assert received < count * len(line)
    stalled.close()
    healthy.close()
