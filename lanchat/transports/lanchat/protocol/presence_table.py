"""The presence table (docs/protocol.md §2, §4): who is online, where, and which addresses are only claims.

Pure: the caller passes the time in (seconds on one clock) and gets back
the peers whose visible state changed (appeared, renamed, moved, changed
status, left). Every operation costs O(1) or O(log n), never a walk of the
table per datagram:

- `_entries` is ordered by when a contact was last heard from its current
  address (newest last): the unicast targets are its tail.
- `_online` is ordered by the last announce from the current address
  (oldest first): expiry pops from its head.
- `_offline` is a heap of (last heard, token, id) with lazy deletion: room
  for a newcomer is made by dropping the offline contact heard from
  longest ago.

(1.1) An announce that gives a known, online contact another source
address (IP and UDP port) or TCP port is a *candidate*: the contact stays
where it is until a TLS probe proves the candidate (`confirm`), or until
the current address has been silent for 15 s. `seq` is kept per id and
source address, so a forged huge `seq` never makes the real announces
look old.
"""

from __future__ import annotations

import heapq
import itertools
from collections import OrderedDict, deque
from dataclasses import dataclass, field, replace

from lanchat.transports.lanchat.protocol.presence import EXPIRY_SECONDS, Datagram, Kind, PeerState

Source = tuple[str, int]  # a datagram's source IP and UDP port

#: (1.1) The most contacts the table holds (1.0: 1024).
MAX_CONTACTS = 4096
#: (1.1) Unicast presence goes to at most this many remembered contacts ...
MAX_UNICAST_TARGETS = 256
#: ... heard within this long.
UNICAST_WITHIN_SECONDS = 7 * 24 * 3600.0
#: (1.1) A candidate address is probed at most once per contact in this long ...
PROBE_INTERVAL_SECONDS = 30.0
#: ... and at most this many times a second over all contacts.
PROBES_PER_SECOND = 10
#: Per contact, the sources whose last `seq` is remembered (the current one always among them).
MAX_SOURCES_PER_PEER = 4


@dataclass(frozen=True)
class Candidate:
    """An address a known online contact's id was announced from, to be proven before the contact moves."""

    id: str
    source: Source
    port: int  # the TCP port the candidate announced

    @property
    def address(self) -> tuple[str, int]:
        """Where to probe it: (IP, TCP port)."""
        return self.source[0], self.port


@dataclass
class _Claim:
    """The last announce heard from a candidate address."""

    source: Source
    datagram: Datagram
    heard: float


@dataclass
class _Entry:
    state: PeerState
    source: Source  # the current address
    last_heard: float  # the last datagram accepted from the current address
    last_announce: float  # the last announce from the current address
    seqs: dict[Source, tuple[int, float]] = field(default_factory=dict)  # source -> (last seq, accepted at)
    claim: _Claim | None = None
    probed: float = float("-inf")  # when its candidate was last handed out for a probe
    offline_token: int | None = None  # its item in the offline heap, while offline


class PresenceTable:
    """Contacts seen by presence: seq filtering per source, candidates, expiry, the 4096 cap."""

    def __init__(self, own_id: str, max_contacts: int = MAX_CONTACTS) -> None:
        self._own_id = own_id
        self._max = max_contacts
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._online: OrderedDict[str, None] = OrderedDict()
        self._offline: list[tuple[float, int, str]] = []
        self._tokens = itertools.count()
        self._due: OrderedDict[str, None] = OrderedDict()  # contacts whose candidate waits for a probe
        self._probes: deque[float] = deque()  # when the last probes were handed out

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, peer_id: str) -> PeerState | None:
        entry = self._entries.get(peer_id)
        return entry.state if entry else None

    def peers(self) -> list[PeerState]:
        return [e.state for e in self._entries.values()]

    def online_count(self) -> int:
        return len(self._online)

    def sources(
        self, now: float, limit: int = MAX_UNICAST_TARGETS, within: float = UNICAST_WITHIN_SECONDS
    ) -> list[Source]:
        """The current source of the `limit` contacts heard most recently, heard within `within` seconds."""
        found: list[Source] = []
        for entry in reversed(self._entries.values()):
            if len(found) >= limit or now - entry.last_heard > within:
                break
            found.append(entry.source)
        return found

    # --- taking datagrams in -----------------------------------------------------------

    def remember(self, state: PeerState, source: Source, heard: float = float("-inf")) -> None:
        """Add a contact known from earlier runs (offline), last heard at `heard`, to unicast to it.

        Remember older contacts first: each goes before those heard later.
        """
        if state.id == self._own_id or state.id in self._entries or not self._make_room():
            return
        entry = _Entry(replace(state, status=None), source, heard, float("-inf"))
        self._entries[state.id] = entry
        self._entries.move_to_end(state.id, last=False)
        self._push_offline(state.id, entry)

    def receive(self, datagram: Datagram, source: Source, now: float) -> PeerState | None:
        """Take in one datagram; return the peer's new state if what is shown changed."""
        if datagram.id == self._own_id:
            return None
        entry = self._entries.get(datagram.id)
        if entry is None:
            if datagram.kind is not Kind.ANNOUNCE or not self._make_room():
                return None  # query and leave from unknown ids create no contact
            entry = _Entry(
                PeerState(datagram.id, datagram.name, source[0], 0, None), source, now, now
            )
            self._entries[datagram.id] = entry
            entry.offline_token = None
        if not self._take_seq(entry, source, datagram.seq, now):
            return None
        moves = source != entry.source or (
            datagram.kind is Kind.ANNOUNCE and datagram.port != entry.state.port
        )
        if moves:
            if entry.state.online and now - entry.last_announce <= EXPIRY_SECONDS:
                if datagram.kind is Kind.ANNOUNCE:
                    self._claim(entry, source, datagram, now)
                return None  # only the current address changes what is shown
            if datagram.kind is not Kind.ANNOUNCE:
                return None  # an offline contact moves by announce only
            entry.source = source
        return self._apply(entry, datagram, now)

    def confirm(self, candidate: Candidate, now: float) -> PeerState | None:
        """A TLS probe proved that `candidate` is the contact: move it there if that is still its candidate."""
        entry = self._entries.get(candidate.id)
        claim = entry.claim if entry else None
        if entry is None or claim is None or claim.source != candidate.source:
            return None
        if claim.datagram.port != candidate.port:
            return None
        return self._move_to_claim(entry, claim, now)

    def expire(self, now: float) -> list[PeerState]:
        """Contacts whose current address was silent for 15 s: moved to a fresh candidate, else offline."""
        changed = []
        while self._online:
            peer_id = next(iter(self._online))
            entry = self._entries[peer_id]
            if now - entry.last_announce <= EXPIRY_SECONDS:
                break
            claim = entry.claim
            if claim is not None and now - claim.heard <= EXPIRY_SECONDS:
                moved = self._move_to_claim(entry, claim, now)
                if moved is not None:
                    changed.append(moved)
                    continue
            del self._online[peer_id]
            entry.state = replace(entry.state, status=None)
            self._push_offline(peer_id, entry)
            changed.append(entry.state)
        return changed

    def take_candidates(self, now: float) -> list[Candidate]:
        """Candidates to probe now: at most one per contact per 30 s, at most 10 per second in all."""
        while self._probes and now - self._probes[0] >= 1.0:
            self._probes.popleft()
        taken = []
        while self._due and len(self._probes) < PROBES_PER_SECOND:
            peer_id, _ = self._due.popitem(last=False)
            entry = self._entries.get(peer_id)
            claim = entry.claim if entry else None
            if entry is None or claim is None or not entry.state.online:
                continue
            entry.probed = now
            self._probes.append(now)
            taken.append(Candidate(peer_id, claim.source, claim.datagram.port or 0))
        return taken

    # --- inside -------------------------------------------------------------------------

    def _take_seq(self, entry: _Entry, source: Source, seq: int, now: float) -> bool:
        """The seq rule, per id and source address; records an accepted seq."""
        last = entry.seqs.get(source)
        if last is not None and seq <= last[0] and now - last[1] <= EXPIRY_SECONDS:
            return False
        entry.seqs[source] = (seq, now)
        if len(entry.seqs) > MAX_SOURCES_PER_PEER:
            # Older than 15 s, a source's seq no longer counts; else the oldest other than the current goes.
            for other, (_seq, at) in list(entry.seqs.items()):
                if other not in (source, entry.source) and now - at > EXPIRY_SECONDS:
                    del entry.seqs[other]
            while len(entry.seqs) > MAX_SOURCES_PER_PEER:
                oldest = min(
                    (s for s in entry.seqs if s not in (source, entry.source)), key=lambda s: entry.seqs[s][1]
                )
                del entry.seqs[oldest]
        return True

    def _claim(self, entry: _Entry, source: Source, datagram: Datagram, now: float) -> None:
        entry.claim = _Claim(source, datagram, now)
        if now - entry.probed >= PROBE_INTERVAL_SECONDS:
            self._due[datagram.id] = None

    def _move_to_claim(self, entry: _Entry, claim: _Claim, now: float) -> PeerState | None:
        entry.claim = None
        self._due.pop(entry.state.id, None)
        entry.source = claim.source
        entry.seqs[claim.source] = (claim.datagram.seq, claim.heard)
        changed = self._apply(entry, claim.datagram, claim.heard)
        return changed if changed is not None else entry.state

    def _apply(self, entry: _Entry, datagram: Datagram, now: float) -> PeerState | None:
        """A datagram from the current address: what it changes."""
        peer_id = datagram.id
        entry.last_heard = max(entry.last_heard, now)
        self._entries.move_to_end(peer_id)
        old = entry.state
        if datagram.kind is Kind.ANNOUNCE:
            assert datagram.port is not None
            entry.last_announce = max(entry.last_announce, now)
            if entry.claim is not None and entry.claim.source == entry.source:
                entry.claim = None  # the current address itself is no candidate
            new = PeerState(
                peer_id, datagram.name, entry.source[0], datagram.port,
                datagram.status, datagram.group, datagram.avatar,
            )
            entry.offline_token = None
            self._online[peer_id] = None
            self._online.move_to_end(peer_id)
        elif datagram.kind is Kind.LEAVE:
            new = replace(old, name=datagram.name, status=None)
            if old.online:
                self._online.pop(peer_id, None)
                entry.state = new
                self._push_offline(peer_id, entry)
        else:
            new = replace(old, name=datagram.name)
        entry.state = new
        return new if new != old else None

    def _push_offline(self, peer_id: str, entry: _Entry) -> None:
        token = next(self._tokens)
        entry.offline_token = token
        heapq.heappush(self._offline, (entry.last_heard, token, peer_id))
        if len(self._offline) > 2 * len(self._entries) + 64:
            self._offline = [
                (e.last_heard, e.offline_token, pid) for pid, e in self._entries.items()
                if e.offline_token is not None
            ]
            heapq.heapify(self._offline)

    def _make_room(self) -> bool:
        """Drop the offline contact heard from longest ago if the table is full; False if none is offline."""
        if len(self._entries) < self._max:
            return True
        while self._offline:
            _heard, token, peer_id = heapq.heappop(self._offline)
            entry = self._entries.get(peer_id)
            if entry is not None and entry.offline_token == token and not entry.state.online:
                del self._entries[peer_id]
                self._due.pop(peer_id, None)
                return True
        return False
