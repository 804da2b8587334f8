"""Fuzz targets for the IP Messenger wire: UDP packets, entries, file lists, TCP requests and folder streams."""

from __future__ import annotations

from fuzzing import chunked, fuzz, inputs
from hypothesis import given
from hypothesis import strategies as st

from lanchat.core.transfers.offers import Offer, OfferedFile, OfferKind, offer_problem
from lanchat.core.transfers.paths import path_problem
from lanchat.transports.ipmsg.protocol import text
from lanchat.transports.ipmsg.protocol.attachments import (
    MAX_FILES,
    Attachment,
    encode_attachments,
    parse_attachments,
    parse_request,
)
from lanchat.transports.ipmsg.protocol.dirstream import (
    MAX_DEPTH,
    NEED_DATA,
    DirStreamDecoder,
    StreamEnd,
    StreamError,
    dir_header,
)
from lanchat.transports.ipmsg.protocol.entry import parse_entry
from lanchat.transports.ipmsg.protocol.packet import MAX_PACKET, parse_packet

PACKETS = [
    b"1_iptux 0.8.3:1700000001:ana:ana-pc:6291457:Ana\0class 3b\0\0utf-8\0",
    b"1_lbt6_0#128#00E04C000000#0#0#0#4001#9:1700000002:ben:BEN-PC:4194593:\xb1\xbe\0\xd7\xe9\0",
    b"1:42:chloe:laptop:2097440:hello \xe4\xb8\xad\0" + b"0:photo.png:1a2b:65f0c2a1:1:\a1:notes::v2:0:65f0c2a1:2:\a",
    b"1_lanchat#" + b"ab" * 32 + b":7:dan:pc:3:\n\nUN:dan\nNN:Dan\nGN:3b\n",
]
FILE_LISTS = [
    encode_attachments([Attachment(0, b"photo.png", 0x1A2B, 0x65F0C2A1, 1),
                        Attachment(1, "笔记:第一周".encode(), 0, 0x65F0C2A1, 2)]),
    b"0:..:10:0:1:\a1:/etc/passwd:10:0:1:\a2:a\\b:1:0:1:\a",
]
STREAMS = [
    dir_header(b"notes", 0, 2, 0x65F0C2A1) + dir_header(b"week 1.txt", 5, 1, 0) + b"hello"
    + dir_header(b"..", 0, 3, 0),
]


@fuzz
@given(data=inputs(PACKETS, max_size=1500), legacy=st.sampled_from(text.Legacy))
def test_a_packet_is_dropped_or_parsed_and_its_entry_always_reads(data: bytes, legacy: text.Legacy) -> None:
    packet = parse_packet(data)
    if packet is None:
        return
    assert len(data) <= MAX_PACKET
    entry = parse_entry(packet, legacy)
    assert all(ord(c) >= 0x20 for c in entry.nickname + entry.group)  # no control characters shown


@fuzz
@given(field=inputs(FILE_LISTS, max_size=2000), utf8=st.booleans(), legacy=st.sampled_from(text.Legacy))
def test_a_file_list_becomes_an_offer_that_is_refused_or_has_only_safe_paths(
    field: bytes, utf8: bool, legacy: text.Legacy
) -> None:
    attachments = parse_attachments(field)
    assert len(attachments) <= MAX_FILES
    files = tuple(OfferedFile(text.decode(a.name, utf8, legacy), a.size, a.is_dir) for a in attachments)
    if not files:
        return
    problem = offer_problem(Offer("0" * 32, OfferKind.FILES, files))
    if problem is None:
        assert all(path_problem(f.path) is None for f in files)


@fuzz
@given(extra=inputs([b"65f0c2a1:0:0:", b"1a:2:1000:\0", b"ff:ff"], max_size=200), with_offset=st.booleans())
def test_a_file_request_is_none_or_in_range(extra: bytes, with_offset: bool) -> None:
    request = parse_request(extra, with_offset)
    if request is not None:
        assert request.packet >= 0 and request.file_id >= 0 and request.offset >= 0


@fuzz
@given(data=inputs(STREAMS, max_size=1500), cuts=st.lists(st.integers(1, 200), max_size=4))
def test_a_folder_stream_gives_events_or_a_stream_error(data: bytes, cuts: list[int]) -> None:
    decoder = DirStreamDecoder()
    try:
        for piece in chunked(data, cuts):
            decoder.feed(piece)
            while (event := decoder.next_event()) is not NEED_DATA:
                if isinstance(event, StreamEnd):
                    return
                assert 0 <= decoder.depth <= MAX_DEPTH
    except StreamError:
        pass
