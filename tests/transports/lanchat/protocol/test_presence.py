"""Presence (docs/protocol.md §2, §4, §5): datagrams, the presence table, the rate limit.

A datagram arrives whole or not at all (UDP), so `parse_datagram` is fed
whole; the table and the rate limiter take the time as a plain float.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanchat.transports.lanchat.protocol.presence import (
    EXPIRY_SECONDS,
    MAX_CONTACTS,
    MAX_DATAGRAM,
    Datagram,
    Kind,
    PeerState,
    PresenceTable,
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


# --- the presence table -------------------------------------------------------------------


def online(peer: str = A, name: str = "Ann", port: int = 51234, address: str = SRC[0]) -> PeerState:
    return PeerState(peer, name, address, port, Status.ONLINE)


def test_announce_creates_an_online_contact() -> None:
    table = PresenceTable(OWN)
    assert table.receive(announce(), SRC, T0) == online()
    assert table.get(A) == online()
    assert table.peers() == [online()] and len(table) == 1
    assert table.sources() == [SRC]


def test_contact_address_is_source_ip_with_announced_port() -> None:
    table = PresenceTable(OWN)
    state = table.receive(announce(port=40000), ("10.0.0.7", 48484), T0)
    assert state is not None and (state.address, state.port) == ("10.0.0.7", 40000)
    moved = table.receive(announce(seq=2, port=40000), ("10.0.0.8", 55555), T0 + 1)
    assert moved is not None and (moved.address, moved.port) == ("10.0.0.8", 40000)
    assert table.sources() == [("10.0.0.8", 55555)]


def test_own_id_is_dropped() -> None:
    table = PresenceTable(OWN)
    assert table.receive(announce(peer=OWN), SRC, T0) is None
    assert len(table) == 0 and table.get(OWN) is None


@pytest.mark.parametrize("make", [query, leave], ids=["query", "leave"])
def test_query_and_leave_from_unknown_ids_create_no_contact(make: Any) -> None:
    table = PresenceTable(OWN)
    assert table.receive(make(), SRC, T0) is None
    assert len(table) == 0 and table.get(A) is None and table.sources() == []


def test_unchanged_announce_reports_no_change() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=1), SRC, T0)
    assert table.receive(announce(seq=2), SRC, T0 + 5) is None
    assert table.receive(announce(seq=3, name="Annie"), SRC, T0 + 10) == online(name="Annie")


@pytest.mark.parametrize("seq", [10, 9, -5])
def test_stale_seq_is_dropped(seq: int) -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=10), SRC, T0)
    assert table.receive(announce(seq=seq, name="Old"), SRC, T0 + 1) is None
    assert table.receive(leave(seq=seq), SRC, T0 + EXPIRY_SECONDS) is None
    assert table.get(A) == online()


def test_stale_seq_is_taken_when_the_last_accepted_is_over_15_s_old() -> None:
    """A peer whose clock went back restarts with a lower seq: accepted after 15 s."""
    table = PresenceTable(OWN)
    table.receive(announce(seq=1000), SRC, T0)
    assert table.receive(announce(seq=5, name="Restarted"), SRC, T0 + 15.0) is None
    assert table.receive(announce(seq=5, name="Restarted"), SRC, T0 + 15.001) == online(name="Restarted")
    # ... and from then on seq 5 is the one to beat
    assert table.receive(announce(seq=5, name="Again"), SRC, T0 + 16) is None
    assert table.receive(announce(seq=6, name="Again"), SRC, T0 + 16) == online(name="Again")


def test_leave_makes_the_contact_offline() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=1), SRC, T0)
    gone = table.receive(leave(seq=2), SRC, T0 + 1)
    assert gone is not None and not gone.online
    assert table.get(A) == gone and len(table) == 1
    assert table.receive(leave(seq=3), SRC, T0 + 2) is None  # already offline
    assert table.receive(announce(seq=4), SRC, T0 + 3) == online()


def test_query_from_a_known_contact_does_not_make_it_online() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=1), SRC, T0)
    table.receive(leave(seq=2), SRC, T0 + 1)
    state = table.receive(query(seq=3, name="Ann B."), SRC, T0 + 2)
    assert state is not None and state.name == "Ann B." and not state.online


def test_expiry_after_15_s_without_announce() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=1), SRC, T0)
    table.receive(announce(peer=B, seq=1), SRC, T0 + 10)
    assert table.expire(T0 + EXPIRY_SECONDS) == []
    expired = table.expire(T0 + EXPIRY_SECONDS + 0.01)
    assert expired == [replace(online(), status=None)]
    assert table.expire(T0 + EXPIRY_SECONDS + 1) == []  # reported once
    assert table.get(B) == online(peer=B)
    assert [p.id for p in table.expire(T0 + 10 + EXPIRY_SECONDS + 0.01)] == [B]
    assert len(table) == 2  # offline contacts are remembered


def test_announce_postpones_expiry_but_query_does_not() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=1), SRC, T0)
    table.receive(announce(seq=2), SRC, T0 + 10)
    assert table.expire(T0 + 20) == []
    table.receive(query(seq=3), SRC, T0 + 20)
    assert [p.id for p in table.expire(T0 + 25.5)] == [A]


def test_remembered_contact_is_offline_until_it_announces() -> None:
    table = PresenceTable(OWN)
    table.remember(PeerState(A, "Ann", "10.1.1.1", 40000, Status.BUSY), ("10.1.1.1", 48484))
    table.remember(PeerState(OWN, "me", "10.1.1.2", 1, None), ("10.1.1.2", 48484))
    assert table.get(A) == PeerState(A, "Ann", "10.1.1.1", 40000, None)
    assert table.sources() == [("10.1.1.1", 48484)] and table.get(OWN) is None
    assert table.receive(announce(seq=-(2**53)), SRC, T0) == online()


def test_table_holds_at_most_1024_contacts_dropping_the_oldest_offline() -> None:
    table = PresenceTable(OWN)
    peers = [f"{i:064x}" for i in range(1, MAX_CONTACTS + 1)]
    for n, peer in enumerate(peers):
        table.receive(announce(peer=peer), SRC, T0 + n / 1000)
    assert len(table) == MAX_CONTACTS
    newcomer = "ff" * 32
    # all online: nobody is dropped for a newcomer
    assert table.receive(announce(peer=newcomer), SRC, T0 + 2) is None
    assert table.get(newcomer) is None and len(table) == MAX_CONTACTS
    # peers[7] leaves first, then peers[5]: peers[7] is the oldest offline one
    table.receive(leave(peer=peers[7], seq=2), SRC, T0 + 3)
    table.receive(leave(peer=peers[5], seq=2), SRC, T0 + 4)
    assert table.receive(announce(peer=newcomer), SRC, T0 + 5) is not None
    assert table.get(peers[7]) is None and table.get(peers[5]) is not None
    assert len(table) == MAX_CONTACTS
    # expired contacts are offline too
    table.receive(announce(peer=peers[0], seq=2), SRC, T0 + 30)
    table.receive(announce(peer=newcomer, seq=2), SRC, T0 + 30)
    assert len(table.expire(T0 + 30)) == MAX_CONTACTS - 3  # all but peers[0], peers[5] (offline), newcomer
    # "oldest" = heard from longest ago: peers[1] (T0+0.001), peers[2], ..., peers[5] (T0+4) last
    for n, peer in enumerate(["fe" * 32, "fd" * 32, "fc" * 32]):
        assert table.receive(announce(peer=peer), SRC, T0 + 31 + n) is not None
    assert [table.get(p) for p in peers[1:4]] == [None, None, None]
    assert table.get(peers[0]) is not None and table.get(peers[4]) is not None
    assert table.get(peers[5]) is not None
    assert len(table) == MAX_CONTACTS
