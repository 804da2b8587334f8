"""The share server over real sockets: the page and its headers, tokens, PINs, the accept policy, uploads that
resume, cancel from either side, names, limits, downloads with ranges (a real runtime: SQLite, download folder)."""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

import pytest
from conftest import loopback
from pageclient import PageClient

from lanchat.core.contacts import Network
from lanchat.core.transfers.policy import AcceptMode
from lanchat.core.transfers.state import TransferState
from lanchat.transports.browser import shares as shares_module
from lanchat.transports.browser.uploads import MAX_RUNNING

DEVICE = "0123456789abcdef0123456789abcdef"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def only_transfer(runtime):
    (view,) = runtime.transfers.transfers()
    return view


def open_share(runtime, **kwargs) -> tuple[object, PageClient]:
    kwargs.setdefault("receive", True)
    info = runtime.browser.open_share(**kwargs)
    return info, PageClient(loopback(info.urls[0]))


def test_the_page_comes_with_a_strict_policy_and_says_what_the_share_does(runtime_with, tmp_path):
    runtime = runtime_with()
    given = tmp_path / "notes.txt"
    given.write_text("notes")
    info, page = open_share(runtime, give=[given])
    answer = page.request("GET", "")
    assert answer.status == 200 and answer.headers["content-type"] == "text/html; charset=utf-8"
    assert b"<title>lanchat</title>" in answer.body
    policy = answer.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; script-src 'sha256-") and "unsafe" not in policy
    assert "frame-ancestors 'none'" in policy and "connect-src 'self'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"  # the token in the link never leaks
    assert answer.headers["cache-control"] == "no-store"
    assert "set-cookie" not in answer.headers
    assert page.call("GET", "api/info").json() == {"owner": "Alice", "receive": True, "give": True, "pin": False,
                                                   "https": False, "fingerprint": None, "max_files": 1000}
    assert page.call("GET", "api/files").json()["files"] == [
        {"index": 0, "name": "notes.txt", "size": 5, "picture": False, "url": "files/0/notes.txt"}]
    bare = page.request("GET", "", raw_target=page.base.rstrip("/"))
    assert bare.status == 308 and bare.headers["location"] == page.base
    assert len(info.token) >= 22  # 128 bits in base64url


@pytest.mark.parametrize("path", ["", "api/info", "api/files", "files/0/notes.txt", "api/uploads"])
def test_a_wrong_or_ended_link_gets_one_clear_page_and_nothing_else(runtime_with, path):
    runtime = runtime_with()
    ended, page = open_share(runtime)
    open_share(runtime)  # another share keeps the server up
    runtime.browser.close_share(ended.id)
    wrong = PageClient(f"http://127.0.0.1:{page.port}/s/{'A' * 22}/")
    for client in (wrong, page):
        answer = client.request("GET", path, headers={"accept-language": "zh-CN,zh;q=0.9"})
        assert answer.status == 404
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        assert "此链接无效".encode() in answer.body and b"The share has ended" in answer.body
        assert b"Traceback" not in answer.body and b"<script" not in answer.body
        assert answer.headers["content-security-policy"].startswith("default-src 'none'")


def test_a_closed_share_stops_listening_when_it_was_the_last(runtime_with):
    runtime = runtime_with()
    info, page = open_share(runtime)
    runtime.browser.close_share(info.id)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", page.port), timeout=2).close()


def test_a_pin_is_asked_and_wrong_ones_are_rate_limited(runtime_with):
    runtime = runtime_with()
    info, page = open_share(runtime, pin="4821")
    assert page.call("GET", "api/info").json()["pin"] is True
    assert page.call("GET", "api/files").status == 401
    assert page.new_upload(DEVICE, "Phone", [("a.jpg", 1)]).json()["error"] == "pin-required"
    statuses = [page.call("POST", "api/pin", {"pin": f"{n:04d}"}).status for n in range(6)]
    assert statuses == [401] * 5 + [429]
    assert page.call("POST", "api/pin", {"pin": "4821"}).status == 429  # even the right one, for a minute
    runtime.clock.advance(61)
    key = page.call("POST", "api/pin", {"pin": "4821"}).json()["key"]
    assert page.call("GET", "api/files").status == 401
    assert PageClient(page.scheme + f"://127.0.0.1:{page.port}" + page.base, key).call("GET", "api/files").status == 200


def test_thirty_wrong_pins_close_the_share_to_pins(runtime_with, monkeypatch):
    monkeypatch.setattr(shares_module, "PIN_TRIES_PER_ADDRESS", 1000)
    runtime = runtime_with()
    info, page = open_share(runtime, pin="4821")
    statuses = [page.call("POST", "api/pin", {"pin": f"{n:04d}"}).status for n in range(31)]
    assert statuses == [401] * 30 + [429]
    assert page.call("POST", "api/pin", {"pin": "4821"}).status == 429


def upload_when_accepted(runtime, qtbot, page, files: list[tuple[str, bytes]]):
    started = page.new_upload(DEVICE, "小红的 iPhone", [(n, len(d)) for n, d in files])
    assert started.status == 201
    upload = started.json()
    qtbot.waitUntil(lambda: len(runtime.transfers.transfers()) == 1)
    return upload


def test_the_ask_policy_holds_an_upload_until_a_person_accepts_it(runtime_with, qtbot, tmp_path):
    runtime = runtime_with(AcceptMode.ASK)
    info, page = open_share(runtime)
    photo = os.urandom(300_000)
    upload = upload_when_accepted(runtime, qtbot, page, [("IMG_1.jpg", photo)])
    view = only_transfer(runtime)
    assert view.needs_decision and view.state is TransferState.OFFERED
    assert view.peer.startswith("browser:") and len(view.peer) == len("browser:") + 32
    contact = runtime.contacts.get(view.peer)
    assert contact.name == "小红的 iPhone" and contact.network is Network.BROWSER and contact.online
    assert not contact.capabilities.encryption and not contact.capabilities.verified_identity
    early = page.put(upload["id"], 0, photo)
    assert early.status == 409 and early.json()["state"] == "waiting"
    assert not (tmp_path / "downloads" / "IMG_1.jpg").exists()
    assert runtime.transfers.accept(view.tid)
    assert page.call("GET", f"api/uploads/{upload['id']}").json()["state"] == "accepted"
    done = page.put(upload["id"], 0, photo)
    assert done.status == 200 and done.json()["state"] == "done"
    qtbot.waitUntil(lambda: only_transfer(runtime).state is TransferState.DONE)
    saved = Path(only_transfer(runtime).files[0].saved_as)
    assert saved == tmp_path / "downloads" / "IMG_1.jpg" and sha(saved.read_bytes()) == sha(photo)
    assert runtime.store.flush()  # the history's writer thread has committed what it was given
    record = runtime.store.transfer(view.tid)
    assert record.peer == view.peer and record.state == TransferState.DONE  # in the chat history
    mine = page.call("GET", "api/uploads", d=DEVICE).json()["uploads"]
    assert [f["ok"] for f in mine[0]["files"]] == [True]  # what arrived, for the page


def test_a_declined_upload_is_said_to_the_page(runtime_with, qtbot):
    runtime = runtime_with()
    info, page = open_share(runtime)
    upload = upload_when_accepted(runtime, qtbot, page, [("a.txt", b"abc")])
    assert runtime.transfers.decline(only_transfer(runtime).tid)
    state = page.call("GET", f"api/uploads/{upload['id']}", wait="1").json()
    assert state["state"] == "rejected" and state["reason"] == "declined"


def test_accept_everything_from_this_link_takes_a_batch_without_asking(runtime_with, qtbot):
    runtime = runtime_with(AcceptMode.ASK)
    info, page = open_share(runtime, accept_all=True)
    upload = upload_when_accepted(runtime, qtbot, page, [("a.txt", b"abc"), ("b.txt", b"")])
    qtbot.waitUntil(lambda: page.call("GET", f"api/uploads/{upload['id']}").json()["state"] == "accepted")
    view = only_transfer(runtime)
    assert not view.needs_decision
    assert page.put(upload["id"], 0, b"abc").json()["state"] == "done"  # the empty file exists already


def raw_put(page: PageClient, upload: str, index: int, size: int, offset: int = 0) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", page.port), timeout=10)
    sock.sendall(f"PUT {page.target(f'api/uploads/{upload}/{index}', offset=str(offset))} HTTP/1.1\r\n"
                 f"Host: 127.0.0.1\r\nContent-Length: {size}\r\n\r\n".encode())
    return sock


def test_a_broken_upload_goes_on_where_it_stopped(runtime_with, qtbot, tmp_path):
    runtime = runtime_with(AcceptMode.AUTO)
    info, page = open_share(runtime)
    data = os.urandom(2_000_000)
    upload = upload_when_accepted(runtime, qtbot, page, [("video.mp4", data)])
    sock = raw_put(page, upload["id"], 0, len(data))
    sock.sendall(data[:700_000])
    uploads = runtime.browser.uploads
    qtbot.waitUntil(lambda: uploads.get(info.id, upload["id"]).files[0].have == 700_000)
    sock.close()  # the phone's Wi-Fi dropped
    qtbot.waitUntil(lambda: uploads.get(info.id, upload["id"]).current is None)
    state = page.call("GET", f"api/uploads/{upload['id']}").json()
    assert state["state"] == "accepted" and state["files"][0]["have"] == 700_000
    assert page.put(upload["id"], 0, data).status == 409  # not from the start: from where we are
    assert page.put(upload["id"], 0, data[700_000:], offset=700_000).json()["state"] == "done"
    qtbot.waitUntil(lambda: only_transfer(runtime).state is TransferState.DONE)
    assert sha((tmp_path / "downloads" / "video.mp4").read_bytes()) == sha(data)


def test_the_page_coming_back_with_the_same_files_resumes_its_upload(runtime_with, qtbot):
    runtime = runtime_with(AcceptMode.AUTO)
    info, page = open_share(runtime)
    first = upload_when_accepted(runtime, qtbot, page, [("a.jpg", b"x" * 10)])
    again = page.new_upload(DEVICE, "Phone", [("a.jpg", 10)])
    assert again.status == 200 and again.json()["id"] == first["id"]
    assert len(runtime.transfers.transfers()) == 1


def test_cancel_from_the_page_and_from_lanchat(runtime_with, qtbot, tmp_path):
    runtime = runtime_with(AcceptMode.AUTO)
    info, page = open_share(runtime)
    upload = upload_when_accepted(runtime, qtbot, page, [("a.bin", b"x" * 100)])
    assert page.call("DELETE", f"api/uploads/{upload['id']}").json()["state"] == "cancelled"
    qtbot.waitUntil(lambda: only_transfer(runtime).state is TransferState.CANCELLED)

    other = page.new_upload(DEVICE, "Phone", [("b.bin", 1_000_000)]).json()
    qtbot.waitUntil(lambda: len(runtime.transfers.transfers()) == 2)
    tid = next(v.tid for v in runtime.transfers.transfers() if v.files[0].path == "b.bin")
    qtbot.waitUntil(lambda: page.call("GET", f"api/uploads/{other['id']}").json()["state"] == "accepted")
    sock = raw_put(page, other["id"], 0, 1_000_000)
    sock.sendall(b"y" * 100_000)
    qtbot.waitUntil(lambda: runtime.browser.uploads.get(info.id, other["id"]).files[0].have == 100_000)
    assert runtime.transfers.cancel(tid)
    sock.settimeout(5)
    try:
        cut = sock.recv(100)
    except ConnectionResetError:
        cut = b""
    assert cut == b""  # the upload's connection is cut, no answer
    sock.close()
    assert page.call("GET", f"api/uploads/{other['id']}").json()["state"] == "cancelled"
    qtbot.waitUntil(lambda: not (tmp_path / "downloads" / ".lanchat-partial" / tid).exists())


def test_names_from_a_browser_stay_inside_the_download_folder_and_never_overwrite(runtime_with, qtbot, tmp_path):
    runtime = runtime_with(AcceptMode.AUTO)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "photo.jpg").write_bytes(b"mine")
    info, page = open_share(runtime)
    names = ["photo.jpg", "../../etc/passwd", ".lanchat-partial", "gpj.\u202eexe", "con:txt", "PHOTO.jpg"]
    upload = upload_when_accepted(runtime, qtbot, page, [(n, b"z") for n in names])
    qtbot.waitUntil(lambda: page.call("GET", f"api/uploads/{upload['id']}").json()["state"] == "accepted")
    for index in range(len(names)):
        assert page.put(upload["id"], index, b"z").status == 200
    qtbot.waitUntil(lambda: only_transfer(runtime).state is TransferState.DONE)
    saved = sorted(Path(f.saved_as).relative_to(downloads).as_posix() for f in only_transfer(runtime).files)
    assert saved == ["PHOTO (1).jpg", "con_txt", "gpj.exe", "lanchat-partial", "passwd", "photo (1).jpg"]
    assert (downloads / "photo.jpg").read_bytes() == b"mine"
    assert not Path("/etc/passwd").read_bytes().startswith(b"z")


def test_bad_requests_get_clear_answers(runtime_with, qtbot):
    runtime = runtime_with(AcceptMode.AUTO)
    info, page = open_share(runtime)
    assert page.request("POST", "api/uploads", b"{not json", {"content-type": "application/json"}).status == 400
    assert page.request("POST", "api/uploads", b"[" * 300_000).status == 413
    assert page.call("POST", "api/uploads", {"device": "x", "files": []}).json()["error"] == "bad-request"
    assert page.request("DELETE", "api/files").status == 405
    assert page.request("GET", "../../etc/passwd").status == 404
    assert page.request("GET", "files/7/x").status == 404
    cross = page.request("POST", "api/uploads", b"{}", {"origin": "http://evil.example", "content-type": "x"})
    assert cross.status == 403 and cross.json()["error"] == "cross-origin"
    upload = upload_when_accepted(runtime, qtbot, page, [("a.bin", b"12345")])
    qtbot.waitUntil(lambda: page.call("GET", f"api/uploads/{upload['id']}").json()["state"] == "accepted")
    assert page.put(upload["id"], 0, b"123456").status == 400  # more than the file
    assert page.put(upload["id"], 3, b"1").status == 409  # no such file
    assert page.request("PUT", f"api/uploads/{upload['id']}/0", b"1", offset="-1").status == 400


def test_at_most_four_bodies_stream_at_once(runtime_with, qtbot):
    runtime = runtime_with(AcceptMode.AUTO)
    info, page = open_share(runtime)
    uploads = []
    for n in range(MAX_RUNNING + 1):
        device = f"{n:032x}"
        answer = page.new_upload(device, "Phone", [("a.bin", 1000)]).json()
        uploads.append(answer["id"])
    qtbot.waitUntil(lambda: all(page.call("GET", f"api/uploads/{u}").json()["state"] == "accepted" for u in uploads))
    socks = [raw_put(page, u, 0, 1000) for u in uploads[:MAX_RUNNING]]
    for sock in socks:
        sock.sendall(b"x")
    table = runtime.browser.uploads
    qtbot.waitUntil(lambda: all(table.get(info.id, u).files[0].have == 1 for u in uploads[:MAX_RUNNING]))
    busy = page.put(uploads[-1], 0, b"x" * 1000)
    assert busy.status == 503 and busy.headers["retry-after"] == "2"
    for sock in socks:
        sock.close()


def test_downloads_take_ranges_and_report_progress(runtime_with, qtbot, tmp_path):
    runtime = runtime_with()
    given = tmp_path / "movie.bin"
    data = os.urandom(3_000_000)
    given.write_bytes(data)
    info, page = open_share(runtime, receive=False, give=[given])
    seen = []
    runtime.browser.download_progress.connect(seen.append)
    whole = page.request("GET", "files/0/movie.bin")
    assert whole.status == 200 and whole.body == data
    assert whole.headers["content-disposition"] == "attachment; filename*=UTF-8''movie.bin"
    assert whole.headers["content-type"] == "application/octet-stream"
    part = page.request("GET", "files/0/movie.bin", headers={"range": "bytes=1000000-"})
    assert part.status == 206 and part.body == data[1_000_000:]
    assert part.headers["content-range"] == f"bytes 1000000-2999999/{len(data)}"
    assert page.request("GET", "files/0/x", headers={"range": "bytes=5000000-"}).status == 416
    qtbot.waitUntil(lambda: sum(1 for p in seen if p.ended) == 2)
    ended = [p for p in seen if p.ended]
    assert ended[0].complete and ended[0].sent == len(data) and ended[1].complete
    assert page.new_upload(DEVICE, "Phone", [("a", 1)]).json()["error"] == "not-receiving"


def test_a_share_idle_for_an_hour_ends(runtime_with, qtbot):
    runtime = runtime_with()
    info, page = open_share(runtime)
    closed = []
    runtime.browser.share_closed.connect(lambda share_id, reason: closed.append((share_id, reason)))
    runtime.clock.advance(3599)
    runtime.browser._tick()
    assert page.call("GET", "api/info").status == 200  # a request: another hour
    qtbot.waitUntil(lambda: not runtime.browser.table.get(info.id).live, timeout=5_000)  # its answer is over
    runtime.clock.advance(3599)
    runtime.browser._tick()
    assert not closed
    runtime.clock.advance(2)
    runtime.browser._tick()
    assert closed == [(info.id, "expired")]
    with pytest.raises(OSError):  # it was the only share: nothing listens any more
        page.request("GET", "")


def test_https_serves_the_profile_certificate_and_says_its_fingerprint(runtime_with):
    import ssl

    runtime = runtime_with()
    info, page = open_share(runtime, https=True)
    assert info.urls[0].startswith("https://")
    der = ssl.get_server_certificate(("127.0.0.1", page.port))
    fingerprint = hashlib.sha256(ssl.PEM_cert_to_DER_cert(der)).hexdigest().upper()
    shown = page.call("GET", "api/info").json()
    assert shown["https"] and shown["fingerprint"].replace(":", "") == fingerprint == runtime.identity.id.upper()


def test_a_slow_request_head_is_cut(runtime_with, monkeypatch):
    from lanchat.transports.browser import transport

    monkeypatch.setattr(transport, "LIMITS", transport.Limits(head_seconds=0.5, idle_seconds=0.5))
    runtime = runtime_with()
    info, page = open_share(runtime)
    sock = socket.create_connection(("127.0.0.1", page.port), timeout=5)
    sock.sendall(b"GET / HT")
    answer = sock.recv(1000)
    assert answer.startswith(b"HTTP/1.1 408")
    sock.close()
    assert page.call("GET", "api/info").status == 200  # the server goes on
