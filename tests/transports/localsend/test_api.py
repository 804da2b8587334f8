"""LocalSend's HTTPS routes on loopback: register, prepare-upload, upload, cancel, and their bad inputs (net/api.py)."""

from __future__ import annotations

import hashlib
import http.client
import json
import threading

import pytest
from PySide6.QtCore import Qt

from lanchat.core.transfers.download_folder import DownloadFolder
from lanchat.core.transfers.offers import OfferedFile
from lanchat.identity import load_or_create
from lanchat.transports.http.client import HttpClient
from lanchat.transports.http.server import HttpServer
from lanchat.transports.http.tls import server_context
from lanchat.transports.localsend.inbox import Inbox
from lanchat.transports.localsend.net.api import LocalsendApi, MessageArrived, OfferArrived
from lanchat.transports.localsend.net.tls import client_context
from lanchat.transports.localsend.protocol.device import API, DeviceInfo

SENDER = {"alias": "phone", "version": "2.2", "fingerprint": "AB" * 32, "port": 53317, "protocol": "https"}


class Receiver:
    """The LocalSend server of a lanchat, without discovery; offers are accepted (or not) at once."""

    def __init__(self, tmp_path, accept: bool = True, pin: str = "") -> None:
        self.identity = load_or_create(tmp_path / "id")
        self.downloads = DownloadFolder(tmp_path / "downloads")
        self.inbox = Inbox(self.downloads)
        self.api = LocalsendApi(DeviceInfo("me", self.identity.id.upper(), device_model="lanchat"), self.inbox,
                                lambda: pin)
        self.accept = accept
        self.messages: list[MessageArrived] = []
        direct = Qt.ConnectionType.DirectConnection  # decide in the request's thread: no event loop needed
        self.api.offer_arrived.connect(self.on_offer, direct)
        self.api.message_arrived.connect(self.on_message, direct)
        self.server = HttpServer(self.api.handle, server_context(self.identity), lambda ip: True, 0)
        self.server.bind("127.0.0.1")
        self.thread = threading.Thread(target=self.server.run)
        self.thread.start()

    def on_offer(self, arrived: OfferArrived) -> None:
        if not self.accept:
            self.inbox.decide(arrived.tid, None, "declined")
            return
        files = tuple(OfferedFile(f.file_name, f.size) for f in arrived.files)
        have = self.downloads.accept(arrived.tid, arrived.sender, files)
        self.inbox.decide(arrived.tid, tuple(have), None)

    def on_message(self, arrived: MessageArrived) -> None:
        self.messages.append(arrived)
        arrived.receipt.acknowledge()

    def client(self) -> HttpClient:
        return HttpClient("127.0.0.1", self.server.port, client_context(self.identity), self.identity.id)

    def post(self, target: str, body: bytes | dict = b"") -> tuple[int, bytes]:
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        client = self.client()
        try:
            response = client.request("POST", target, data)
        finally:
            client.close()
        return response.status, response.body

    def offer(self, files: dict[str, bytes], **entry: object) -> tuple[int, dict]:
        body = {"info": SENDER, "files": {
            name: {"id": name, "fileName": name, "size": len(data), "fileType": "application/octet-stream",
                   "sha256": hashlib.sha256(data).hexdigest(), **entry} for name, data in files.items()}}
        status, answer = self.post(f"{API}/prepare-upload", body)
        return status, json.loads(answer) if answer else {}

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(2)


@pytest.fixture
def receiver(tmp_path, qapp):
    made = []

    def make(**kwargs: object) -> Receiver:
        made.append(Receiver(tmp_path / f"r{len(made)}", **kwargs))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for r in made:
        r.stop()


def chunked_upload(port: int, target: str, blocks: list[bytes]) -> int:
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=client_context_for_tests(), timeout=10)
    try:
        conn.request("POST", target, body=iter(blocks), headers={"Content-Type": "application/octet-stream"})
        return conn.getresponse().status
    finally:
        conn.close()


def client_context_for_tests():
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def upload_url(answer: dict, file_id: str, token: str | None = None) -> str:
    return (f"{API}/upload?sessionId={answer['sessionId']}&fileId={file_id}"
            f"&token={token or answer['files'][file_id]}")


def test_register_and_info_answer_with_our_info(receiver):
    r = receiver()
    status, body = r.post(f"{API}/register", SENDER)
    assert status == 200 and json.loads(body)["fingerprint"] == r.identity.id.upper()
    assert json.loads(body)["deviceModel"] == "lanchat"
    assert r.post(f"{API}/register", b"{")[0] == 400
    assert r.post(f"{API}/nothing")[0] == 404
    assert r.post(f"{API}/info")[0] == 405


@pytest.mark.parametrize("body", [
    b"", b"[]", b'{"info": {}, "files": {}}', json.dumps({"info": SENDER, "files": {}}).encode(),
    json.dumps({"info": SENDER, "files": {"a": {"id": "a", "fileName": "x", "size": -1}}}).encode(),
    json.dumps({"info": {**SENDER, "port": "x"}, "files": {"a": {"id": "a", "fileName": "x", "size": 1}}}).encode(),
])
def test_bad_prepare_uploads_get_400(receiver, body):
    assert receiver().post(f"{API}/prepare-upload", body)[0] == 400


def test_files_arrive_by_length_and_chunked_and_each_rule_holds(receiver):
    r = receiver()
    files = {"a.bin": b"a" * 100_000, "b.bin": b"b" * 1000, "empty.txt": b""}
    status, answer = r.offer(files)
    assert status == 200 and set(answer["files"]) == set(files)
    port = r.server.port
    assert chunked_upload(port, upload_url(answer, "a.bin", "wrong"), [b"x"]) == 403
    assert chunked_upload(port, upload_url(answer, "nope.bin", "t"), [b"x"]) == 403
    assert chunked_upload(port, f"{API}/upload?sessionId={answer['sessionId']}", [b"x"]) == 400
    assert chunked_upload(port, upload_url(answer, "b.bin"), [b"b" * 600, b"b" * 600]) == 413  # over its size
    assert chunked_upload(port, upload_url(answer, "b.bin"), [b"c" * 1000]) == 422  # not its sha256
    assert not (r.downloads.path / "b.bin").exists()
    client = r.client()
    assert client.request("POST", upload_url(answer, "a.bin"), files["a.bin"]).status == 200
    assert client.request("POST", upload_url(answer, "b.bin"), b"b" * 999).status == 400  # length is not the size
    client.close()
    assert chunked_upload(port, upload_url(answer, "b.bin"), [b"b" * 500, b"b" * 500]) == 200
    assert chunked_upload(port, upload_url(answer, "empty.txt"), []) == 200  # made at accept, skipped now
    assert (r.downloads.path / "a.bin").read_bytes() == files["a.bin"]
    assert (r.downloads.path / "b.bin").read_bytes() == files["b.bin"]
    assert (r.downloads.path / "empty.txt").read_bytes() == b""
    assert chunked_upload(port, upload_url(answer, "a.bin"), [files["a.bin"]]) == 200  # again: ignored


def test_one_session_per_address_a_declined_offer_and_a_cancel(receiver):
    r = receiver(accept=False)
    assert r.offer({"x.bin": b"x"})[0] == 403
    r.accept = True
    status, answer = r.offer({"x.bin": b"x"})
    assert status == 200
    assert r.offer({"y.bin": b"y"})[0] == 409  # busy: this address has a session
    assert r.post(f"{API}/cancel?sessionId={answer['sessionId']}")[0] == 200
    assert chunked_upload(r.server.port, upload_url(answer, "x.bin"), [b"x"]) == 403  # cancelled
    assert r.offer({"y.bin": b"y"})[0] == 200


def test_a_message_is_answered_204_once_stored_and_a_pin_is_asked(receiver):
    r = receiver(pin="1234")
    message = {"info": SENDER, "files": {"m": {"id": "m", "fileName": "m.txt", "size": 2, "fileType": "text/plain",
                                               "preview": "hi"}}}
    assert r.post(f"{API}/prepare-upload", message)[0] == 401
    assert r.post(f"{API}/prepare-upload?pin=1234", message)[0] == 204
    assert [(m.sender, m.text) for m in r.messages] == [("localsend:" + "AB" * 32, "hi")]
