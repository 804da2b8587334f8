"""(1.1) The optional `album` field of `offer` (docs/protocol.md §3.3, §7.4)."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest

from lanchat.core.transfers.offers import Album, Offer, OfferedFile, OfferKind
from lanchat.transports.lanchat.convert import offer_from_wire, offer_to_wire
from lanchat.transports.lanchat.protocol import frames
from lanchat.transports.lanchat.protocol.codec import Role, encode
from lanchat.transports.lanchat.protocol.errors import ErrorCode, RemoteProtocolError

TID, ALBUM = "fe" * 16, "a1" * 16


def raw_offer(**fields: Any) -> bytes:
    header = {"t": "offer", "tid": TID, "kind": "image", "files": [{"path": "cat.jpg", "size": 10}], **fields}
    data = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack(">I", len(data)) + data


def test_an_album_goes_out_and_comes_back(feeder):
    offer = Offer(TID, OfferKind.IMAGE, (OfferedFile("cat.jpg", 10),), album=Album(ALBUM, 10))
    wire = offer_to_wire(offer, "ab" * 32)
    data = encode(wire)
    assert b'"album":{"id":"' + ALBUM.encode() + b'","n":10}' in data
    [decoded] = feeder.events(Role.SERVER, data)
    assert offer_from_wire(decoded).album == Album(ALBUM, 10)


def test_without_album_there_is_none_and_none_is_written(feeder):
    [decoded] = feeder.events(Role.SERVER, raw_offer())
    assert decoded.album is None and offer_from_wire(decoded).album is None
    assert b"album" not in encode(offer_to_wire(offer_from_wire(decoded), "ab" * 32))


@pytest.mark.parametrize("album", [
    pytest.param("x", id="not-an-object"),
    pytest.param({"id": "A1" * 16, "n": 2}, id="upper-case-id"),
    pytest.param({"id": ALBUM}, id="no-n"),
    pytest.param({"id": ALBUM, "n": 0}, id="n-0"),
    pytest.param({"id": ALBUM, "n": 1001}, id="n-1001"),
    pytest.param({"id": ALBUM, "n": 2.0}, id="n-float"),
    pytest.param({"n": 2}, id="no-id"),
])
def test_a_malformed_album_is_a_bad_frame(feeder, album):
    with pytest.raises(RemoteProtocolError) as caught:
        feeder.events(Role.SERVER, raw_offer(album=album))
    assert caught.value.code is ErrorCode.BAD_FRAME and caught.value.tid == TID


def test_an_album_on_a_files_offer_is_ignored(feeder):
    [decoded] = feeder.events(Role.SERVER, raw_offer(kind="files", album={"id": ALBUM, "n": 2}))
    assert decoded.kind is frames.OfferKind.FILES and offer_from_wire(decoded).album is None
