"""The presence table (docs/protocol.md §2, §4): seq per source, candidates, expiry, the 4096 cap, unicast targets.

The table is pure: it takes the time as a plain float.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from lanchat.transports.lanchat.protocol.presence import EXPIRY_SECONDS, Datagram, Kind, PeerState, Status
from lanchat.transports.lanchat.protocol.presence_table import (
    MAX_CONTACTS,
    MAX_UNICAST_TARGETS,
    PROBE_INTERVAL_SECONDS,
    PROBES_PER_SECOND,
    UNICAST_WITHIN_SECONDS,
    Candidate,
    PresenceTable,
)

OWN = "00" * 32
A = "aa" * 32
B = "bb" * 32
SRC = ("192.168.1.20", 48484)
FORGED = ("192.168.1.66", 40000)
T0 = 5000.0


def announce(peer: str = A, seq: int = 1, name: str = "Ann", port: int = 51234,
             status: Status = Status.ONLINE, group: str | None = None) -> Datagram:
    return Datagram(Kind.ANNOUNCE, peer, name, seq, port, status, group)


def query(peer: str = A, seq: int = 1, name: str = "Ann") -> Datagram:
    return Datagram(Kind.QUERY, peer, name, seq)


def leave(peer: str = A, seq: int = 1, name: str = "Ann") -> Datagram:
    return Datagram(Kind.LEAVE, peer, name, seq)


def online(peer: str = A, name: str = "Ann", port: int = 51234, address: str = SRC[0]) -> PeerState:
    return PeerState(peer, name, address, port, Status.ONLINE)


def peer_ids(count: int, start: int = 1) -> list[str]:
    return [f"{i:064x}" for i in range(start, start + count)]


# --- contacts, seq, expiry (1.0 rules that stay) ------------------------------------------


def test_announce_creates_an_online_contact() -> None:
    table = PresenceTable(OWN)
    assert table.receive(announce(), SRC, T0) == online()
    assert table.get(A) == online()
    assert table.peers() == [online()] and len(table) == 1
    assert table.sources(T0) == [SRC]


def test_own_id_is_dropped() -> None:
    table = PresenceTable(OWN)
    assert table.receive(announce(peer=OWN), SRC, T0) is None
    assert len(table) == 0 and table.get(OWN) is None


@pytest.mark.parametrize("make", [query, leave], ids=["query", "leave"])
def test_query_and_leave_from_unknown_ids_create_no_contact(make: object) -> None:
    table = PresenceTable(OWN)
    assert table.receive(make(), SRC, T0) is None  # type: ignore[operator]
    assert len(table) == 0 and table.get(A) is None and table.sources(T0) == []


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
    assert table.expire(T0 + EXPIRY_SECONDS + 0.01) == [replace(online(), status=None)]
    assert table.expire(T0 + EXPIRY_SECONDS + 1) == []  # reported once
    assert table.get(B) == online(peer=B)
    assert [p.id for p in table.expire(T0 + 10 + EXPIRY_SECONDS + 0.01)] == [B]
    assert len(table) == 2 and table.online_count() == 0  # offline contacts are remembered


def test_announce_postpones_expiry_but_query_does_not() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=1), SRC, T0)
    table.receive(announce(seq=2), SRC, T0 + 10)
    assert table.expire(T0 + 20) == []
    table.receive(query(seq=3), SRC, T0 + 20)
    assert [p.id for p in table.expire(T0 + 25.5)] == [A]


def test_remembered_contact_is_offline_until_it_announces() -> None:
    table = PresenceTable(OWN)
    table.remember(PeerState(A, "Ann", "10.1.1.1", 40000, Status.BUSY), ("10.1.1.1", 48484), T0 - 60)
    table.remember(PeerState(OWN, "me", "10.1.1.2", 1, None), ("10.1.1.2", 48484), T0 - 60)
    assert table.get(A) == PeerState(A, "Ann", "10.1.1.1", 40000, None)
    assert table.sources(T0) == [("10.1.1.1", 48484)] and table.get(OWN) is None
    # offline, it moves to wherever it announces from
    assert table.receive(announce(seq=-(2**53)), SRC, T0) == online()
    assert table.sources(T0) == [SRC]


def test_an_offline_contact_moves_at_once() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(port=40000), ("10.0.0.7", 48484), T0)
    table.receive(leave(seq=2), ("10.0.0.7", 48484), T0 + 1)
    moved = table.receive(announce(seq=3, port=40001), ("10.0.0.8", 55555), T0 + 2)
    assert moved is not None and (moved.address, moved.port, moved.online) == ("10.0.0.8", 40001, True)
    assert table.sources(T0 + 2) == [("10.0.0.8", 55555)]


# --- (1.1) candidate addresses ------------------------------------------------------------


def test_a_forged_announce_with_a_huge_seq_moves_nothing() -> None:
    """The forged-announce case of issue 13: another address, a huge seq, every 5 s."""
    table = PresenceTable(OWN)
    table.receive(announce(seq=100), SRC, T0)
    for n in range(20):
        at = T0 + 1 + 5 * n
        assert table.receive(announce(seq=2**53, name="Mallory", port=40000), FORGED, at) is None
        # the real address goes on being heard: its seq is kept apart from the forger's
        assert table.receive(announce(seq=101 + n), SRC, at + 0.5) is None
        assert table.expire(at + 1) == []
        assert table.get(A) == online()
    assert table.sources(T0 + 200) == [SRC]


@pytest.mark.parametrize("kind", [leave, query], ids=["leave", "query"])
def test_only_the_current_address_changes_what_is_shown(kind: object) -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=1), SRC, T0)
    assert table.receive(kind(seq=2**53, name="Mallory"), FORGED, T0 + 1) is None  # type: ignore[operator]
    assert table.get(A) == online()
    assert table.expire(T0 + EXPIRY_SECONDS) == []


def test_a_candidate_is_handed_out_for_a_probe_and_moves_the_contact_once_proven() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=1), SRC, T0)
    assert table.receive(announce(seq=5, port=40000), FORGED, T0 + 1) is None
    candidate = Candidate(A, FORGED, 40000)
    assert candidate.address == (FORGED[0], 40000)
    assert table.take_candidates(T0 + 1) == [candidate]
    assert table.take_candidates(T0 + 1) == []  # handed out once
    moved = table.confirm(candidate, T0 + 2)
    assert moved == online(address=FORGED[0], port=40000)
    assert table.sources(T0 + 2) == [FORGED]
    # the old address is now the one that is only a claim
    assert table.receive(announce(seq=2), SRC, T0 + 3) is None
    assert table.get(A) == moved


def test_a_new_tcp_port_from_the_current_address_is_a_candidate_too() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=1), SRC, T0)
    assert table.receive(announce(seq=2, port=40000), SRC, T0 + 1) is None
    assert table.get(A) == online()
    assert table.take_candidates(T0 + 1) == [Candidate(A, SRC, 40000)]


def test_a_confirmation_for_a_replaced_candidate_moves_nothing() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=1), SRC, T0)
    table.receive(announce(seq=5, port=40000), FORGED, T0 + 1)
    table.receive(announce(seq=6, port=40000), ("192.168.1.67", 40000), T0 + 2)
    assert table.confirm(Candidate(A, FORGED, 40000), T0 + 3) is None
    assert table.confirm(Candidate(A, ("192.168.1.67", 40000), 40001), T0 + 3) is None  # another TCP port
    assert table.get(A) == online()


def test_probes_are_bounded_per_contact_and_in_all() -> None:
    table = PresenceTable(OWN)
    peers = peer_ids(25)
    for peer in peers:
        table.receive(announce(peer=peer, seq=1), SRC, T0)
        table.receive(announce(peer=peer, seq=2, port=40000), FORGED, T0 + 0.1)
    first = table.take_candidates(T0 + 0.2)
    assert len(first) == PROBES_PER_SECOND
    assert table.take_candidates(T0 + 0.9) == []  # 10 per second in all
    second = table.take_candidates(T0 + 1.2)
    assert len(second) == PROBES_PER_SECOND and not {c.id for c in first} & {c.id for c in second}
    # a contact probed is not probed again within 30 s, however often the candidate announces
    for n in range(5):
        at = T0 + 5 + 5 * n
        table.receive(announce(peer=peers[0], seq=1 + n), SRC, at)
        table.receive(announce(peer=peers[0], seq=3 + n, port=40000), FORGED, at)
    left = table.take_candidates(T0 + 29)
    assert peers[0] not in {c.id for c in left}
    table.receive(announce(peer=peers[0], seq=100), SRC, T0 + 0.2 + PROBE_INTERVAL_SECONDS)
    table.receive(announce(peer=peers[0], seq=100, port=40000), FORGED, T0 + 0.2 + PROBE_INTERVAL_SECONDS)
    assert [c.id for c in table.take_candidates(T0 + 0.2 + PROBE_INTERVAL_SECONDS)] == [peers[0]]


def test_when_the_current_address_is_silent_for_15_s_a_fresh_candidate_takes_over() -> None:
    """Reading (§7.6): at expiry, a candidate heard within 15 s becomes the address; the contact stays online."""
    table = PresenceTable(OWN)
    new = ("192.168.1.21", 48484)
    table.receive(announce(seq=1), SRC, T0)
    table.receive(announce(seq=2, port=40000), new, T0 + 10)
    moved = table.expire(T0 + EXPIRY_SECONDS + 0.5)
    assert moved == [online(address=new[0], port=40000)]
    assert table.sources(T0 + 16) == [new]
    # without a fresh candidate the contact goes offline
    assert table.expire(T0 + 10 + EXPIRY_SECONDS + 0.5) == [replace(online(address=new[0], port=40000), status=None)]


def test_an_announce_from_a_new_address_after_15_s_of_silence_moves_at_once() -> None:
    table = PresenceTable(OWN)
    new = ("192.168.1.21", 48484)
    table.receive(announce(seq=1), SRC, T0)
    assert table.receive(announce(seq=2, port=40000), new, T0 + EXPIRY_SECONDS + 0.1) == online(
        address=new[0], port=40000
    )


# --- (1.1) the cap, room-finding and unicast targets ----------------------------------------


def test_table_holds_at_most_4096_contacts_dropping_the_oldest_offline() -> None:
    table = PresenceTable(OWN)
    peers = peer_ids(MAX_CONTACTS)
    for n, peer in enumerate(peers):
        table.receive(announce(peer=peer), SRC, T0 + n / 10000)
    assert len(table) == MAX_CONTACTS == 4096
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
    # "oldest" = heard from longest ago: peers[1] (T0+0.0001), peers[2], ..., peers[5] (T0+4) last
    for n, peer in enumerate(["fe" * 32, "fd" * 32, "fc" * 32]):
        assert table.receive(announce(peer=peer), SRC, T0 + 31 + n) is not None
    assert [table.get(p) for p in peers[1:4]] == [None, None, None]
    assert table.get(peers[0]) is not None and table.get(peers[4]) is not None
    assert table.get(peers[5]) is not None
    assert len(table) == MAX_CONTACTS


def test_finding_room_does_not_walk_the_table() -> None:
    """A flood of forged ids into a full table: each newcomer costs O(log n), not a walk of 4096 entries."""
    def flood(table: PresenceTable, newcomers: list[str]) -> float:
        started = time.perf_counter()
        for n, peer in enumerate(newcomers):
            table.receive(announce(peer=peer), SRC, T0 + 100 + n / 1000)
            table.receive(leave(peer=peer, seq=2), SRC, T0 + 100 + n / 1000)
        return time.perf_counter() - started

    full = PresenceTable(OWN)
    for n, peer in enumerate(peer_ids(MAX_CONTACTS)):
        full.receive(announce(peer=peer), SRC, T0 + n / 10000)
        full.receive(leave(peer=peer, seq=2), SRC, T0 + n / 10000)
    roomy = PresenceTable(OWN, max_contacts=10**9)
    newcomers = peer_ids(20_000, start=10**6)
    baseline = flood(roomy, newcomers)
    at_cap = flood(full, newcomers)
    assert len(full) == MAX_CONTACTS
    # Walking 4096 entries per newcomer would make the full table ~100x slower; allow noise.
    assert at_cap < 5 * baseline + 0.05


def test_unicast_goes_to_at_most_256_contacts_heard_most_recently_within_7_days() -> None:
    table = PresenceTable(OWN)
    old = [(f"10.9.0.{i}", 48484) for i in range(1, 11)]
    for i, source in enumerate(old):  # from history: heard 8 days ago
        table.remember(PeerState(f"{i + 1:064x}", "old", source[0], 1, None), source, T0 - 8 * 24 * 3600)
    sources = [(f"10.1.{i // 250}.{i % 250 + 1}", 48484) for i in range(300)]
    for i, source in enumerate(sources):
        table.receive(announce(peer=f"{10**6 + i:064x}"), source, T0 + i / 100)
    targets = table.sources(T0 + 10)
    assert len(targets) == MAX_UNICAST_TARGETS == 256
    assert targets == list(reversed(sources))[:256]  # most recently heard first
    # later, only those heard within 7 days count: none of the 8-day-old ones, ever
    assert table.sources(T0 + UNICAST_WITHIN_SECONDS - 10, limit=10_000) == list(reversed(sources))
    assert table.sources(T0 + UNICAST_WITHIN_SECONDS + 10, limit=10_000) == []


def test_seq_is_kept_per_source_and_bounded() -> None:
    table = PresenceTable(OWN)
    table.receive(announce(seq=50), SRC, T0)
    for n in range(20):  # twenty forged sources, each with a huge seq
        table.receive(announce(seq=2**53, port=40000), (f"10.66.0.{n + 1}", 40000), T0 + n / 10)
    assert table.receive(announce(seq=51, name="Ann again"), SRC, T0 + 3) == online(name="Ann again")
