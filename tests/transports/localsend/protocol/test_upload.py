"""prepare-upload bodies and answers (lanchat/transports/localsend/protocol/upload.py)."""

from __future__ import annotations

import json

import pytest

from lanchat.transports.localsend.protocol.device import DeviceInfo
from lanchat.transports.localsend.protocol.upload import (
    BadMessage,
    FileEntry,
    UploadAnswer,
    encode_prepare_upload,
    encode_upload_answer,
    parse_prepare_upload,
    parse_upload_answer,
    split_target,
    upload_target,
)

INFO = {"alias": "phone", "version": "2.2", "fingerprint": "AB" * 32, "port": 53317, "protocol": "https"}
SHA = "0f" * 32


def body(files: object = ..., info: object = ..., **entry: object) -> bytes:
    one = {"id": "f1", "fileName": "a.txt", "size": 5, "fileType": "text/plain", "sha256": SHA, "preview": None}
    one.update(entry)
    return json.dumps({"info": INFO if info is ... else info,
                       "files": {"f1": {k: v for k, v in one.items() if v is not ...}} if files is ... else files}
                      ).encode()


def test_the_apps_text_message_is_a_message():
    got = parse_prepare_upload(body(preview="hello", fileName="0b7e.txt"))
    assert got.message == "hello" and got.files[0].sha256 == SHA
    assert got.info.fingerprint == "AB" * 32


@pytest.mark.parametrize("entry, message", [
    ({"preview": None}, None),  # a text file without preview: a file to accept
    ({"fileType": "image/png", "preview": "x"}, None),
    ({"fileType": "text", "preview": "old clients"}, "old clients"),  # enum names of old clients
    ({"fileType": "TEXT/HTML", "preview": ""}, ""),
])
def test_what_counts_as_a_message(entry, message):
    assert parse_prepare_upload(body(**entry)).message == message


def test_two_files_are_never_a_message_and_folders_keep_their_paths():
    files = {f"f{i}": {"id": f"f{i}", "fileName": f"album/sub/{i}.txt", "size": i, "fileType": "text/plain",
                       "preview": "x"} for i in range(2)}
    got = parse_prepare_upload(body(files=files))
    assert got.message is None and [f.file_name for f in got.files] == ["album/sub/0.txt", "album/sub/1.txt"]


@pytest.mark.parametrize("data", [
    b"", b"{", b"[]", b'{"info": {}, "files": {}}',
    body(info=...) .replace(b'"info"', b'"infox"'), body(info=[]), body(info={"alias": "x"}),
    body(files=[]), body(files={}), body(files={"f1": "x"}),
    body(id="other"), body(id=...) .replace(b'"f1"', b'"f 1"'),
    body(fileName=""), body(fileName=None), body(fileName=5), body(fileName="x" * 5000),
    body(size=-1), body(size=2**53), body(size="5"), body(size=1.0), body(size=True), body(size=...),
    body(sha256="xyz"), body(sha256=5), body(sha256="0" * 63),
    body(preview=5), body(fileType=7),
    body(files={f"f{i}": {"id": f"f{i}", "fileName": "a", "size": 1} for i in range(10_001)}),
])
def test_bad_prepare_uploads_are_refused(data):
    with pytest.raises(BadMessage):
        parse_prepare_upload(data)


def test_our_offer_leaves_out_null_fields_and_round_trips():
    info = DeviceInfo("me", "CD" * 32, device_model="lanchat")
    files = [FileEntry("id1", "中文/名字.bin", 10, "application/octet-stream", SHA),
             FileEntry("id2", "t.txt", 2, "text/plain", None, "hi")]
    wire = json.loads(encode_prepare_upload(info, files))
    assert "sha256" not in wire["files"]["id2"] and "preview" not in wire["files"]["id1"]
    assert parse_prepare_upload(encode_prepare_upload(info, files)).files == tuple(files)


def test_answers_keep_only_tokens_of_offered_files():
    answer = parse_upload_answer(b'{"sessionId": "s1", "files": {"a": "t1", "zz": "t9"}}', {"a", "b"})
    assert answer == UploadAnswer("s1", (("a", "t1"),)) and answer.token("b") is None
    assert parse_upload_answer(encode_upload_answer(answer), {"a"}) == answer


@pytest.mark.parametrize("data", [b"{}", b'{"sessionId": 5, "files": {}}', b'{"sessionId": "s", "files": []}',
                                  b'{"sessionId": "s", "files": {"a": 5}}', b'{"sessionId": "s s", "files": {}}'])
def test_bad_answers_are_refused(data):
    with pytest.raises(BadMessage):
        parse_upload_answer(data, {"a"})


def test_query_strings():
    path, query = split_target(upload_target("s 1", "f&1", "t=1"))
    assert path == "/api/localsend/v2/upload" and query == {"sessionId": "s 1", "fileId": "f&1", "token": "t=1"}
    assert split_target("/x?pin=1&pin=2&empty=")[1] == {"pin": "1", "empty": ""}
