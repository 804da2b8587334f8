"""The HTTP layer on h11 (lanchat/transports/http): bounded heads and bodies, slow peers, chunked bodies, pinning."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from lanchat.identity import load_or_create
from lanchat.transports.http.client import FingerprintMismatch, HttpClient, HttpError
from lanchat.transports.http.connection import BodyError, HttpRequest, Limits, ServerConnection
from lanchat.transports.http.server import MAX_PER_IP, HttpServer
from lanchat.transports.http.tls import server_context
from lanchat.transports.localsend.net.tls import client_context


class Echo:
    """Answers the body's size and SHA-less length; records what it was asked."""

    def __init__(self) -> None:
        self.requests: list[HttpRequest] = []

    def __call__(self, conn: ServerConnection, request: HttpRequest) -> None:
        self.requests.append(request)
        try:
            body = conn.read_body(1024 * 1024)
        except BodyError:
            conn.respond(413, close=True)
            return
        conn.respond(200, str(len(body)).encode(), "text/plain")


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(limits: Limits | None = None, tls: bool = False):
        handler = Echo()
        identity = load_or_create(tmp_path / "id")
        server = HttpServer(handler, server_context(identity) if tls else None, lambda ip: True, 0, limits)
        server.bind("127.0.0.1")
        thread = threading.Thread(target=server.run)
        thread.start()
        servers.append((server, thread))
        return server, handler, identity

    yield start
    for server, thread in servers:
        server.stop()
        thread.join(2)


def raw_exchange(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


def test_content_length_and_chunked_bodies_on_one_kept_connection(serve):
    server, handler, _ = serve()
    answer = raw_exchange(server.port, (
        b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
        b"POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
        b"POST /c?x=1&x=2 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
        b"POST /d HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
    assert answer.count(b"HTTP/1.1 200") == 4 and b"\r\n\r\n5" in answer and b"\r\n\r\n5HTTP" in answer
    assert [r.path for r in handler.requests] == ["/a", "/b", "/c", "/d"] and handler.requests[2].query == {"x": "1"}


@pytest.mark.parametrize("head, status", [
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n", b"431"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", b"400"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", b"400"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", b"501"),
    (b"\x16\x03\x01 not http at all\r\n\r\n", b"400"),
])
def test_bad_heads_get_an_error_and_a_close(serve, head, status):
    server, handler, _ = serve()
    answer = raw_exchange(server.port, head)
    assert answer.startswith(b"HTTP/1.1 " + status) and handler.requests == []


def test_a_body_over_the_limit_is_refused(serve):
    server, _, _ = serve()
    declared = raw_exchange(server.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
    assert declared.startswith(b"HTTP/1.1 413")
    chunk = b"%x\r\n" % 65536 + b"z" * 65536 + b"\r\n"
    head = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunked = raw_exchange(server.port, head + chunk * 17)
    assert chunked.startswith(b"HTTP/1.1 413")


def test_slow_and_idle_peers_are_let_go(serve):
    server, handler, _ = serve(Limits(head_seconds=0.3, idle_seconds=0.3, body_seconds=0.3))
    start = time.monotonic()
    assert raw_exchange(server.port, b"GET / HTTP/1.1\r\nHo") .startswith(b"HTTP/1.1 408")  # head too slow
    assert raw_exchange(server.port, b"") == b""  # idle: closed
    stalled = raw_exchange(server.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
    assert stalled.startswith(b"HTTP/1.1 413")  # the handler saw the body stall
    assert time.monotonic() - start < 4


def test_connections_per_address_are_capped(serve):
    server, _, _ = serve(Limits(idle_seconds=5))
    held = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(MAX_PER_IP)]
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as extra:
            assert extra.recv(1) == b""  # closed at once
    finally:
        for sock in held:
            sock.close()


def test_a_body_read_past_h11_keeps_the_connection(serve):
    server, handler, _ = serve()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        # A head is read at most 16 KiB at a time: most of this body is read straight from the socket.
        sock.sendall(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n" + b"b" * 300000)
        first = sock.recv(65536)
        sock.sendall(b"POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok")
        second = sock.recv(65536)
    assert first.endswith(b"\r\n\r\n300000") and second.startswith(b"HTTP/1.1 200") and second.endswith(b"2")


def test_the_client_pins_the_certificate_before_sending_a_byte(serve):
    server, handler, identity = serve(tls=True)
    good = HttpClient("127.0.0.1", server.port, client_context(identity), identity.id.lower())
    assert good.request("POST", "/ok", b"12345").body == b"5"
    assert good.request("POST", "/again", b"1").body == b"1"  # kept alive
    good.close()
    bad = HttpClient("127.0.0.1", server.port, client_context(identity), "AB" * 32)
    with pytest.raises(FingerprintMismatch):
        bad.request("POST", "/never", b"x")
    assert [r.path for r in handler.requests] == ["/ok", "/again"]


def test_a_streamed_body_must_match_its_length(serve):
    server, _, _ = serve()
    client = HttpClient("127.0.0.1", server.port, None, None)
    assert client.request("POST", "/s", iter([b"ab", b"cd"]), length=4).body == b"4"
    with pytest.raises(HttpError):
        client.request("POST", "/s", iter([b"ab"]), length=4)
    with pytest.raises(HttpError):
        HttpClient("127.0.0.1", 1, None, None).request("GET", "/")
