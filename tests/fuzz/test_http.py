"""Fuzz targets for HTTP as browsers and LocalSend speak it: the h11-based server connection (heads, bodies,
chunking, over a real socket pair), and what the browser share reads (routes, ranges, JSON, names, languages)."""

from __future__ import annotations

import socket

from fuzzing import fuzz, inputs
from hypothesis import given
from hypothesis import strategies as st

from lanchat.core.transfers.paths import fold, path_problem
from lanchat.transports.browser.protocol.messages import MAX_FILES, BadMessage, parse_new_upload, parse_pin
from lanchat.transports.browser.protocol.pages import wants_chinese
from lanchat.transports.browser.protocol.routes import BadRange, Route, parse_offset, parse_range, parse_target
from lanchat.transports.http.connection import BodyError, Limits, ServerConnection

TOKEN = "Zm9vYmFyYmF6cXV4MTIzNDU2"
REQUESTS = [
    f"GET /s/{TOKEN}/ HTTP/1.1\r\nHost: 10.0.0.2:40000\r\nAccept-Language: zh-CN,zh;q=0.9\r\n\r\n".encode(),
    f"PUT /s/{TOKEN}/api/uploads/{'ab' * 16}/0?offset=5&k=x HTTP/1.1\r\nHost: a\r\n"
    "Content-Length: 5\r\n\r\nhello".encode(),
    b"POST /s/x/api/uploads HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"GET / HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n",
]
UPLOADS = [
    b'{"device":"0123456789abcdef0123456789abcdef","name":"iPhone","files":[{"name":"IMG_1.JPG","size":5},'
    b'{"name":"../a\\u202e.txt","size":0},{"name":"img_1.jpg","size":1}]}',
    b'{"device":"0123456789abcdef0123456789abcdef","files":[{"name":".lanchat-partial/x","size":9007199254740991}]}',
]
SMALL = Limits(max_head=4096, head_seconds=0.2, idle_seconds=0.2, body_seconds=0.2)


@fuzz
@given(data=inputs(REQUESTS, max_size=2000))
def test_the_server_connection_gives_requests_or_none_and_bodies_or_body_errors(data: bytes) -> None:
    ours, theirs = socket.socketpair()
    try:
        theirs.sendall(data)
        theirs.shutdown(socket.SHUT_WR)
        conn = ServerConnection(ours, "10.0.0.2", SMALL)
        for _ in range(4):
            request = conn.next_request()
            if request is None:
                break
            assert request.method and request.path is not None
            try:
                body = conn.read_body(64 * 1024)
            except BodyError:
                break
            assert len(body) <= 64 * 1024
            conn.respond(200)
            if not conn.finish_exchange():
                break
    finally:
        ours.close()
        theirs.close()


@fuzz
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "G\x00T"]),
       path=st.one_of(st.text(max_size=120), st.sampled_from([f"/s/{TOKEN}/", f"/s/{TOKEN}/files/0/a",
                                                             f"/s/{TOKEN}/api/uploads/{'ab' * 16}/00"])))
def test_a_path_is_one_route_of_one_share(method: str, path: str) -> None:
    target = parse_target(method, path)
    if target.route is Route.UNKNOWN and target.token is None:
        return
    assert target.token is not None and path.startswith(f"/s/{target.token}")
    assert target.index is None or 0 <= target.index < 1_000_000


@fuzz
@given(header=st.one_of(st.none(), st.text(max_size=40), st.from_regex(r"bytes=[0-9]{0,4}-[0-9]{0,4}")),
       size=st.integers(0, 10_000))
def test_a_range_is_inside_the_file_or_refused(header: str | None, size: int) -> None:
    try:
        wanted = parse_range(header, size)
    except BadRange:
        return
    if wanted is not None:
        assert 0 <= wanted.start <= wanted.end < size


@fuzz
@given(text=st.one_of(st.none(), st.text(max_size=20)))
def test_an_offset_is_a_whole_number_or_refused(text: str | None) -> None:
    offset = parse_offset(text)
    assert offset is None or offset >= 0


@fuzz
@given(body=inputs(UPLOADS, max_size=3000))
def test_an_upload_is_refused_or_has_only_safe_unique_names(body: bytes) -> None:
    try:
        upload = parse_new_upload(body)
    except BadMessage:
        return
    assert 1 <= len(upload.files) <= MAX_FILES and len(upload.device) == 32
    names = [f.name for f in upload.files]
    assert all(path_problem(name) is None and "/" not in name for name in names)
    assert len({fold(n) for n in names}) == len(names)


@fuzz
@given(body=inputs([b'{"pin":"1234"}', b'{"pin":1234}'], max_size=100), header=st.text(max_size=80))
def test_a_pin_and_a_language_are_read_or_refused(body: bytes, header: str) -> None:
    try:
        pin = parse_pin(body)
    except BadMessage:
        pin = None
    assert pin is None or (len(pin) == 4 and pin.isdigit())
    assert wants_chinese(header) in (True, False)
