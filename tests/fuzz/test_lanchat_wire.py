"""Fuzz targets for lanchat's own wire: the frame stream of both roles, presence datagrams, strict JSON."""

from __future__ import annotations

from fuzzing import chunked, fuzz, inputs
from hypothesis import given
from hypothesis import strategies as st

from lanchat.transports.lanchat.protocol import strictjson
from lanchat.transports.lanchat.protocol.codec import (
    MAX_HEADER,
    NEED_DATA,
    BodyChunk,
    BodyEnd,
    ConnectionClosed,
    FrameDecoder,
    Role,
    UnknownFrame,
    encode,
)
from lanchat.transports.lanchat.protocol.errors import ErrorCode, RemoteProtocolError
from lanchat.transports.lanchat.protocol.frames import (
    Accept,
    Ack,
    Cancel,
    ClientHello,
    Data,
    Done,
    End,
    FileEntry,
    Frame,
    Msg,
    Offer,
    OfferKind,
    Ping,
    Purpose,
    Read,
    Reject,
    Room,
    ServerHello,
    Typing,
)
from lanchat.transports.lanchat.protocol.presence import (
    MAX_DATAGRAM,
    Datagram,
    Kind,
    Status,
    encode_datagram,
    parse_datagram,
)

TID, MID, ID = "fe" * 16, "01" * 16, "ab" * 32
ROOM = Room("cd" * 16, "class 3b", (ID, "ef" * 32))

TO_SERVER = [
    encode(ClientHello(ID, "Ana", 53317, Purpose.CHAT, b"\x30\x82cert", b"\x30\x45sig")),
    encode(Msg(MID, 1_700_000_000_000, "hello 中文 😀", ROOM)),
    encode(Offer(TID, OfferKind.FILES, (FileEntry("notes/week 1.txt", 12), FileEntry("a.png", 0)), b"\xff\xd8", ROOM)),
    encode(Data(TID, 0, 0, 5)) + b"hello" + encode(End(TID, 0, "cd" * 32)),
    encode(Cancel(TID)) + encode(Read((MID,))) + encode(Typing(True, None)) + encode(Ping()),
]
TO_CLIENT = [
    encode(ServerHello(ID, "Ben", "12" * 32)),
    encode(Ack(MID)) + encode(Accept(TID, (0, 7))) + encode(Reject(TID, "declined")),
    encode(Done(TID, 0, False, "io-error")),
]


def drain(decoder: FrameDecoder) -> list[object]:
    events = []
    while (event := decoder.next_event()) is not NEED_DATA:
        events.append(event)
        if isinstance(event, ConnectionClosed):
            break
    return events


@fuzz
@given(role=st.sampled_from(Role), data=inputs(TO_SERVER + TO_CLIENT, max_size=2000),
       cuts=st.lists(st.integers(1, 300), max_size=4))
def test_the_frame_decoder_gives_events_or_a_protocol_error(role: Role, data: bytes, cuts: list[int]) -> None:
    decoder = FrameDecoder(role)
    events: list[object] = []
    try:
        for piece in chunked(data, cuts):
            decoder.feed(piece)
            events += drain(decoder)
            assert decoder.buffered <= 4 + MAX_HEADER + len(piece)  # nothing piles up past one header
        decoder.feed(b"")
        events += drain(decoder)
        assert isinstance(events[-1], ConnectionClosed)
    except RemoteProtocolError as e:
        assert isinstance(e.code, ErrorCode)
        try:
            decoder.next_event()
        except RemoteProtocolError as again:
            assert again is e  # the error sticks
        else:
            raise AssertionError("a decoder that failed went on") from None
    assert all(isinstance(e, Frame | UnknownFrame | BodyChunk | BodyEnd | ConnectionClosed) for e in events)


@fuzz
@given(data=inputs([encode_datagram(Datagram(Kind.ANNOUNCE, ID, "Ana", 7, 53317, Status.AWAY, "3b", "ab" * 32)),
                    encode_datagram(Datagram(Kind.LEAVE, ID, "Ana", 8))], max_size=MAX_DATAGRAM + 10))
def test_a_presence_datagram_is_dropped_or_parsed_into_something_that_encodes_again(data: bytes) -> None:
    datagram = parse_datagram(data)
    if datagram is not None:
        assert len(datagram.id) == 64 and 1 <= len(datagram.name) <= 64
        assert parse_datagram(encode_datagram(datagram)) == datagram


@fuzz
@given(data=inputs([b'{"a":[1,2.5,"x\\u00e9",null,true,{"b":{}}]}', b'"\\ud83d\\ude00"', b"[[[[[[[[]]]]]]]]"]))
def test_strict_json_parses_or_says_which_rule_broke(data: bytes) -> None:
    try:
        strictjson.loads(data)
    except strictjson.JSONRuleError:
        pass
