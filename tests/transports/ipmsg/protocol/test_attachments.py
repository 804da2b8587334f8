"""File lists of offers, and the TCP requests that fetch them (hex requests, decimal offers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lanchat.transports.ipmsg.protocol.attachments import (
    MAX_FILES,
    Attachment,
    FileType,
    encode_attachments,
    parse_attachments,
    parse_request,
    request_complete,
    request_extra,
)

IPTUX_OFFER = b"10000:f.txt:a:6b112304:1:\x07:10001:fold:5:6b112304:2:\x07"


def test_iptux_offer_as_captured():
    files = parse_attachments(IPTUX_OFFER)
    assert files == [
        Attachment(10000, b"f.txt", 10, 0x6B112304, FileType.REGULAR),
        Attachment(10001, b"fold", 5, 0x6B112304, FileType.DIR),
    ]
    assert files[1].is_dir and not files[0].is_dir


def test_ip_messenger_extended_attributes_and_flags():
    [file] = parse_attachments(b"3:report.pdf:1f4:5f000000:101:14=5f000000:16=5f000000:\x07")
    assert file.size == 500 and file.attr == 0x101 and file.kind == FileType.REGULAR


def test_colons_in_names():
    [file] = parse_attachments(b"1:a::b:::5:0:1:\x07")
    assert file.name == b"a:b:"


@pytest.mark.parametrize("entry", [
    b"x:name:5:0:1:", b"1::5:0:1:", b"1:name:zz:0:1:", b"1:name:5:0:", b"1:name", b"" , b":::",
    b"1:name:" + b"f" * 20 + b":0:1:", b"1:" + b"n" * 300 + b":5:0:1:", b"1:a\0b:5:0:1:",
], ids=lambda e: repr(e)[:24])
def test_bad_entries_are_left_out_and_the_rest_kept(entry):
    files = parse_attachments(entry + b"\x07" + b"9:good.txt:1:0:1:\x07")
    assert [f.name for f in files] == [b"good.txt"]


def test_at_most_1000_files_are_read():
    entries = b"".join(b"%d:f%d:1:0:1:\x07" % (i, i) for i in range(MAX_FILES + 50))
    assert len(parse_attachments(entries)) == MAX_FILES


def test_our_list_round_trips():
    files = [Attachment(0, "中 文.bin".encode(), 5 * 2**20, 0x6567, FileType.REGULAR),
             Attachment(1, b"folder", 300005, 1, FileType.DIR)]
    assert parse_attachments(encode_attachments(files)) == files


def test_requests_are_hex_and_the_file_id_may_be_decimal():
    request = parse_request(b"9:2710:0\0", with_offset=True)
    assert request is not None and (request.packet, request.file_id, request.offset) == (9, 0x2710, 0)
    assert request.file_id_decimal == 2710
    ip_messenger = parse_request(b"190:8:1f:", with_offset=True)
    assert ip_messenger is not None and (ip_messenger.packet, ip_messenger.file_id, ip_messenger.offset) == (
        0x190, 8, 0x1F)
    assert parse_request(b"zz:1:0", with_offset=True) is None
    assert parse_request(b"1", with_offset=False) is None


def test_our_requests_and_when_a_request_is_whole():
    assert request_extra(400, 8, 0) == b"190:8:0:"
    assert request_extra(9, 0x2710, None) == b"9:2710:0:"
    assert request_complete(b"1:2:u:h:96:190:8:0:")  # IP Messenger: no NUL, a trailing colon
    assert request_complete(b"1_iptux:2:u:h:96:9:2710:0\0")
    assert not request_complete(b"1:2:u:h:96:9:2710")


@given(st.binary(max_size=400))
def test_any_file_list_parses_without_raising(data):
    for file in parse_attachments(data):
        assert file.name and file.size >= 0


@given(st.binary(max_size=100), st.booleans())
def test_any_request_parses_without_raising(data, with_offset):
    parse_request(data, with_offset)
    request_complete(data)
