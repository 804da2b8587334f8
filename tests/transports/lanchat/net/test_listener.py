"""The listener against clients written from raw bytes, well-behaved and not (§3, §5).

Frames here are built by hand (struct + JSON literals), not with lanchat's
encoder, so an encoder bug cannot hide behind a matching decoder bug.
"""

from __future__ import annotations

import json
import socket
import struct
import threading

import pytest
from rawpeer import RawClient, client_hello, frame, handshake, in_thread

from lanchat.transports.lanchat.net import connection


@pytest.fixture
def server(make_runtime, qtbot):
    return make_runtime("ben")



def test_raw_handshake_msg_and_ack(server, raw_identity, qtbot):
    def body() -> None:
        client = handshake(server, raw_identity)
        mid = "0123456789abcdef0123456789abcdef"
        client.send(frame(f'{{"t":"msg","mid":"{mid}","ts":1700000000000,"text":"h\u00e9llo \U0001f600"}}'))
        assert client.read_frame() == {"t": "ack", "mid": mid}
        # The same mid again is acked, not stored twice.
        client.send(frame(f'{{"t":"msg","mid":"{mid}","ts":1700000000000,"text":"h\u00e9llo \U0001f600"}}'))
        assert client.read_frame() == {"t": "ack", "mid": mid}
        client.send(frame('{"t":"ping"}'))
        assert client.read_frame() == {"t": "pong"}
        # An unknown frame type with a body is skipped; the connection goes on.
        client.send(frame('{"t":"sticker","body":3}') + b"abc" + frame('{"t":"ping"}'))
        assert client.read_frame() == {"t": "pong"}
        client.close()

    in_thread(qtbot, body)


@pytest.mark.allow_warnings
@pytest.mark.parametrize(
    ("make_hello", "code"),
    [
        (lambda identity, hello: client_hello(identity, hello, v="2"), "bad-version"),
        (lambda identity, hello: client_hello(identity, hello, sig=b"\x30\x06\x02\x01\x01\x02\x01\x01"),
         "auth-failed"),
        (lambda identity, hello: client_hello(identity, hello, claimed_id="ab" * 32), "auth-failed"),
        (lambda identity, hello: client_hello(identity, hello, purpose="video"), "bad-frame"),
        (lambda identity, hello: frame('{"t":"msg","mid":"' + "a" * 32 + '","ts":1,"text":"x"}'),
         "bad-frame"),
        (lambda identity, hello: struct.pack(">I", 65537), "too-large"),
        (lambda identity, hello: struct.pack(">I", 0), "bad-frame"),
    ],
    ids=["bad-version", "bad-signature", "wrong-id", "bad-purpose", "msg-before-hello",
         "oversize-header", "header-len-0"],
)
def test_bad_handshakes_get_the_right_error(server, raw_identity, make_hello, code, qtbot):
    def body() -> None:
        client = RawClient(server.port)
        hello = client.read_frame()
        client.send(make_hello(raw_identity, hello))
        answer = client.read_frame()
        assert answer["t"] == "error" and answer["code"] == code
        assert client.closed()
        # And the server keeps serving a well-behaved client.
        handshake(server, raw_identity).close()

    in_thread(qtbot, body)


@pytest.mark.allow_warnings
@pytest.mark.parametrize(
    ("data", "code"),
    [
        (frame('{"t":"msg","mid":"' + "b" * 32 + '","ts":1,"text":"x","body":2}') + b"xx", "bad-frame"),
        (frame('{"t":"msg","mid":"' + "c" * 32 + '","ts":1,"text":"' + "x" * 32769 + '"}'), "too-large"),
        (frame('{"t":"hello","v":1}'), "bad-frame"),
        (frame('{"t":"data","tid":"' + "d" * 32 + '","i":0,"offset":0,"body":1}') + b"x", "bad-frame"),
        (frame("[1,2]"), "bad-frame"),
        (frame('{"t":"msg","t":"msg"}'), "bad-frame"),
    ],
    ids=["body-on-msg", "text-too-large", "hello-after-handshake", "data-on-chat", "array", "dup-key"],
)
def test_bad_frames_after_the_handshake(server, raw_identity, data, code, qtbot):
    def body() -> None:
        client = handshake(server, raw_identity)
        client.send(data)
        answer = client.read_frame()
        assert answer["t"] == "error" and answer["code"] == code
        if "mid" in data.decode("utf-8", "replace") and code == "too-large":
            assert answer["mid"] == "c" * 32
        assert client.closed()

    in_thread(qtbot, body)


def test_garbage_before_tls_is_dropped_and_serving_goes_on(server, raw_identity, qtbot):
    def body() -> None:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(b"GET / HTTP/1.0\r\n\r\n" + bytes(range(256)))
            sock.settimeout(10)
            try:
                while sock.recv(4096):
                    pass
            except ConnectionResetError:
                pass
        handshake(server, raw_identity).close()

    in_thread(qtbot, body)


def test_a_handshake_that_never_finishes_is_closed(server, raw_identity, monkeypatch, qtbot):
    def body() -> None:
        monkeypatch.setattr(connection, "HANDSHAKE_SECONDS", 1.0)
        client = RawClient(server.port)
        client.read_frame()  # the server's hello; we never answer
        client.sock.settimeout(5)
        assert client.sock.recv(4096) == b""  # closed by the server after the deadline
        handshake(server, raw_identity).close()

    in_thread(qtbot, body)


def test_wrong_certificate_is_refused_by_the_client(make_runtime, qtbot, presence_port):
    """A forged announce says an id that is not Ben's lives at Ben's port: Ana's link refuses it."""
    from PySide6.QtCore import QObject, Slot

    from lanchat.core.transport import LinkFailure

    ana, ben = make_runtime("ana"), make_runtime("ben")
    downs: list[LinkFailure] = []

    class Watch(QObject):
        @Slot(LinkFailure)
        def on_failed(self, failure: LinkFailure) -> None:
            downs.append(failure)

    watch = Watch()
    ana.lanchat.link_failed.connect(watch.on_failed)
    fake_id = "ef" * 32
    announce = json.dumps({"app": "lanchat", "v": 1, "kind": "announce", "id": fake_id, "name": "mallory",
                           "seq": 1, "port": ben.port, "status": "online"}).encode()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as forger:
        forger.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        forger.sendto(announce, ("127.255.255.255", presence_port))
    qtbot.waitUntil(lambda: (c := ana.contacts.get(fake_id)) is not None and c.online, timeout=10_000)
    ana.lanchat.reach(fake_id)
    qtbot.waitUntil(lambda: bool(downs), timeout=10_000)
    assert [(d.peer, d.cert_mismatch) for d in downs] == [(fake_id, True)]


def test_300_connections_from_one_ip_and_a_good_client_from_another(server, raw_identity, qtbot):
    def body() -> None:
        hogs = []
        try:
            for _ in range(300):
                hogs.append(socket.create_connection(("127.0.0.1", server.port), timeout=10))
            results = {}

            def good_client() -> None:
                client = RawClient(server.port, host="127.0.0.2", source="127.0.0.2")
                hello = client.read_frame()
                client.send(client_hello(raw_identity, hello))
                results["welcome"] = client.read_frame()
                client.send(frame('{"t":"ping"}'))
                results["pong"] = client.read_frame()
                client.close()

            thread = threading.Thread(target=good_client)
            thread.start()
            thread.join(30)
            assert results == {"welcome": {"t": "welcome"}, "pong": {"t": "pong"}}
            # At most 16 of the 300 were kept; the rest were closed at once, before TLS.
            closed = 0
            for sock in hogs:
                sock.settimeout(0.2)
                try:
                    if sock.recv(1) == b"":
                        closed += 1
                except TimeoutError:
                    pass
                except ConnectionResetError:
                    closed += 1
            assert closed >= 300 - 16
        finally:
            for sock in hogs:
                sock.close()

    in_thread(qtbot, body)


