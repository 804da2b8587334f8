"""Presence datagrams (docs/protocol.md §2); the table is tested in test_presence_table.py.

A datagram arrives whole or not at all (UDP), so `parse_datagram` is fed
whole; the table and the rate limiter take the time as a plain float.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanchat.transports.lanchat.protocol.presence import (
    MAX_DATAGRAM,
    Datagram,
    Kind,
    Status,
    encode_datagram,
    parse_datagram,
)

OWN = "00" * 32
A = "aa" * 32
B = "bb" * 32
AVATAR = "cd" * 32
SRC = ("192.168.1.20", 48484)
T0 = 5000.0
MISSING: Any = object()


def raw(**changes: Any) -> bytes:
    base = {"app": "lanchat", "v": 1, "kind": "announce", "id": A, "name": "Ann", "seq": 1,
            "port": 51234, "status": "online"}
    merged = {**base, **changes}
    return json.dumps({k: v for k, v in merged.items() if v is not MISSING}, ensure_ascii=False).encode()


def announce(peer: str = A, seq: int = 1, name: str = "Ann", port: int = 51234,
             status: Status = Status.ONLINE, group: str | None = None) -> Datagram:
    return Datagram(Kind.ANNOUNCE, peer, name, seq, port, status, group)


def query(peer: str = A, seq: int = 1, name: str = "Ann") -> Datagram:
    return Datagram(Kind.QUERY, peer, name, seq)


def leave(peer: str = A, seq: int = 1, name: str = "Ann") -> Datagram:
    return Datagram(Kind.LEAVE, peer, name, seq)


# --- datagrams --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(raw(), announce(), id="announce"),
        pytest.param(raw(group="4b", avatar=AVATAR, status="busy"),
                     Datagram(Kind.ANNOUNCE, A, "Ann", 1, 51234, Status.BUSY, "4b", AVATAR),
                     id="announce-full"),
        pytest.param(raw(group=""), announce(group=""), id="group-empty"),
        pytest.param(raw(group="g" * 64, name="n" * 64), announce(name="n" * 64, group="g" * 64),
                     id="64-chars"),
        pytest.param(raw(name="😀" * 64), announce(name="😀" * 64), id="64-emoji"),
        pytest.param(raw(kind="query", port=MISSING, status=MISSING), query(), id="query"),
        pytest.param(raw(kind="leave", port=MISSING, status=MISSING), leave(), id="leave"),
        pytest.param(raw(kind="query"), query(), id="query-ignores-announce-fields"),
        pytest.param(raw(future={"x": 1}, seq=2**53), announce(seq=2**53), id="unknown-field"),
        pytest.param(raw(port=65535), announce(port=65535), id="port-65535"),
        pytest.param(raw(port=1), announce(port=1), id="port-1"),
    ],
)
def test_valid_datagram_parses(data: bytes, expected: Datagram) -> None:
    assert parse_datagram(data) == expected


def test_datagram_of_exactly_1400_bytes_is_fine() -> None:
    data = raw()[:-1] + b" " * (MAX_DATAGRAM - len(raw())) + b"}"
    assert len(data) == MAX_DATAGRAM
    assert parse_datagram(data) == announce()
    assert parse_datagram(data[:-1] + b" }") is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff\xfe", id="not-utf8"),
        pytest.param(b"{", id="not-json"),
        pytest.param(b'"announce"', id="json-string"),
        pytest.param(b"[]", id="json-array"),
        pytest.param(b'{"app":"lanchat","app":"lanchat","v":1}', id="duplicate-key"),
        pytest.param(raw(seq=float("nan")), id="NaN"),
        pytest.param(raw(seq=2**53 + 1), id="seq-over-2^53"),
        pytest.param(raw(name="Ann").replace(b'"Ann"', b'"\\ud800"'), id="surrogate"),
        pytest.param(raw(app=MISSING), id="no-app"),
        pytest.param(raw(app="Lanchat"), id="app-case"),
        pytest.param(raw(v=MISSING), id="no-v"),
        pytest.param(raw(v=2), id="v2"),
        pytest.param(raw(v="1"), id="v-string"),
        pytest.param(raw(v=1.0), id="v-float"),
        pytest.param(raw(v=True), id="v-true"),
        pytest.param(raw(kind=MISSING), id="no-kind"),
        pytest.param(raw(kind="ANNOUNCE"), id="kind-case"),
        pytest.param(raw(kind={"announce": 1}), id="kind-object"),
        pytest.param(raw(id=MISSING), id="no-id"),
        pytest.param(raw(id=A[:63]), id="id-63-hex"),
        pytest.param(raw(id="gg" * 32), id="id-not-hex"),
        pytest.param(raw(name=MISSING), id="no-name"),
        pytest.param(raw(name=""), id="name-empty"),
        pytest.param(raw(name="n" * 65), id="name-65-chars"),
        pytest.param(raw(name=5), id="name-number"),
        pytest.param(raw(seq=MISSING), id="no-seq"),
        pytest.param(raw(seq="1"), id="seq-string"),
        pytest.param(raw(seq=1.5), id="seq-float"),
        pytest.param(raw(port=MISSING), id="announce-no-port"),
        pytest.param(raw(port=0), id="port-0"),
        pytest.param(raw(port=65536), id="port-65536"),
        pytest.param(raw(port="51234"), id="port-string"),
        pytest.param(raw(status=MISSING), id="announce-no-status"),
        pytest.param(raw(status="offline"), id="status-unknown"),
        pytest.param(raw(status=["online"]), id="status-list"),
        pytest.param(raw(group="g" * 65), id="group-65-chars"),
        pytest.param(raw(group=4), id="group-number"),
        pytest.param(raw(avatar="AB" * 32), id="avatar-uppercase"),
        pytest.param(raw(avatar=""), id="avatar-empty"),
        pytest.param(raw(kind="leave", name=""), id="leave-name-empty"),
        pytest.param(raw(kind="query", id="x"), id="query-bad-id"),
        pytest.param(raw(name="n" * 1400), id="over-1400-bytes"),
    ],
)
def test_bad_datagram_is_dropped(data: bytes) -> None:
    assert parse_datagram(data) is None


HEX = "0123456789abcdef"
ids = st.text(HEX, min_size=64, max_size=64)
labels = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=64)
seqs = st.integers(-(2**53), 2**53)
announces = st.builds(
    Datagram, st.just(Kind.ANNOUNCE), ids, labels, seqs, st.integers(1, 65535), st.sampled_from(Status),
    st.none() | st.text(st.characters(exclude_categories=("Cs",)), max_size=64), st.none() | ids,
)
others = st.builds(Datagram, st.sampled_from([Kind.QUERY, Kind.LEAVE]), ids, labels, seqs)


@settings(max_examples=200, deadline=None)
@given(announces | others)
def test_datagram_round_trips(datagram: Datagram) -> None:
    data = encode_datagram(datagram)
    assert len(data) <= MAX_DATAGRAM
    assert parse_datagram(data) == datagram
    if all(c >= " " and c not in '"\\' for c in datagram.name):
        assert datagram.name.encode("utf-8") in data  # raw UTF-8, no \u escapes


@pytest.mark.parametrize(
    "datagram",
    [
        pytest.param(Datagram(Kind.ANNOUNCE, A, "Ann", 1), id="announce-without-port"),
        pytest.param(Datagram(Kind.ANNOUNCE, A, "Ann", 1, 5, None), id="announce-without-status"),
        pytest.param(announce(name=""), id="empty-name"),
        pytest.param(announce(peer="A" * 64), id="uppercase-id"),
        pytest.param(announce(port=70000), id="port-70000"),
        pytest.param(announce(seq=2**60), id="seq-over-2^53"),
    ],
)
def test_encode_refuses_a_bad_datagram(datagram: Datagram) -> None:
    with pytest.raises(ValueError):
        encode_datagram(datagram)
