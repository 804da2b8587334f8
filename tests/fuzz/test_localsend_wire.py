"""Fuzz targets for what LocalSend devices send lanchat: multicast announcements, prepare-upload bodies, the
answers to our own prepare-upload, and request targets. Each gives its value or BadMessage, nothing else, and
what it gives keeps the rules (sizes, ids, fingerprints)."""

from __future__ import annotations

from fuzzing import fuzz, inputs
from hypothesis import given

from lanchat.transports.localsend.protocol.device import (
    BadMessage,
    encode_device,
    parse_announcement,
    same_fingerprint,
)
from lanchat.transports.localsend.protocol.upload import (
    MAX_FILES,
    encode_prepare_upload,
    encode_upload_answer,
    parse_prepare_upload,
    parse_upload_answer,
    split_target,
)

FINGERPRINT = "3F" * 32
ANNOUNCEMENTS = [
    b'{"alias":"Nice Orange","version":"2.1","deviceModel":"Samsung","deviceType":"mobile",'
    b'"fingerprint":"' + FINGERPRINT.encode() + b'","port":53317,"protocol":"https","download":true,"announce":true}',
    b'{"alias":"\xe5\xb0\x8f\xe6\x98\x8e","version":"2.0","fingerprint":"abc","port":1,"protocol":"http",'
    b'"announcement":false}',
]
PREPARES = [
    b'{"info":{"alias":"Phone","version":"2.1","fingerprint":"' + FINGERPRINT.encode() + b'","port":53317,'
    b'"protocol":"https","download":false},"files":{"a1":{"id":"a1","fileName":"IMG_0001.JPG","size":1234,'
    b'"fileType":"image/jpeg","sha256":null,"preview":null},"t":{"id":"t","fileName":"m.txt","size":5,'
    b'"fileType":"text/plain","preview":"hello"}}}',
    b'{"info":{"alias":"x","fingerprint":"y"},"files":{"../a":{"id":"../a","fileName":"../../etc/x","size":'
    b'9007199254740991,"fileType":"text"}}}',
]
ANSWERS = [
    b'{"sessionId":"s-1","files":{"a1":"tok1","zz":"tok2"}}',
    b'{"sessionId":"","files":{}}',
]
TARGETS = [
    b"/api/localsend/v2/upload?sessionId=s-1&fileId=a1&token=tok1",
    b"/api/localsend/v2/prepare-upload?pin=1234&pin=9",
]


@fuzz
@given(data=inputs(ANNOUNCEMENTS, max_size=4096))
def test_an_announcement_is_read_or_refused(data: bytes) -> None:
    try:
        announcement = parse_announcement(data)
    except BadMessage:
        return
    info = announcement.info
    assert 1 <= info.port <= 65535 and info.protocol in ("http", "https")
    again = parse_announcement(encode_device(info, announcement.announce)).info
    assert again.alias == info.alias and same_fingerprint(again.fingerprint, info.fingerprint)


@fuzz
@given(data=inputs(PREPARES, max_size=4096))
def test_a_prepare_upload_is_read_or_refused(data: bytes) -> None:
    try:
        prepare = parse_prepare_upload(data)
    except BadMessage:
        return
    assert 1 <= len(prepare.files) <= MAX_FILES
    for entry in prepare.files:
        assert 0 <= entry.size < 2**53 and entry.file_name
        assert entry.sha256 is None or len(entry.sha256) == 64
    again = parse_prepare_upload(encode_prepare_upload(prepare.info, list(prepare.files)))
    assert again.files == prepare.files


@fuzz
@given(data=inputs(ANSWERS, max_size=2048))
def test_an_answer_to_our_offer_keeps_only_what_we_offered(data: bytes) -> None:
    try:
        answer = parse_upload_answer(data, {"a1"})
    except BadMessage:
        return
    assert {file_id for file_id, _token in answer.tokens} <= {"a1"}
    assert parse_upload_answer(encode_upload_answer(answer), {"a1"}) == answer


@fuzz
@given(data=inputs(TARGETS, max_size=512))
def test_a_request_target_splits_into_a_path_and_parameters(data: bytes) -> None:
    path, query = split_target(data.decode("latin-1"))
    assert isinstance(path, str) and all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
