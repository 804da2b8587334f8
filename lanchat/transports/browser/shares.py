"""The open shares (any thread): their tokens, PINs and the keys a right PIN earns, what they give, and idling.

A share is found by its token in constant time per share; a PIN is asked
with limits (`PinGuard`); every request that reaches a share counts as
activity, so a share idle for an hour can be closed by the transport.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lanchat.clock import SYSTEM_CLOCK, Clock
from lanchat.transports.http.connection import ServerConnection

TOKEN_BYTES = 16  # 128 bits, 22 characters in the link
IDLE_SECONDS = 3600.0
PIN_WINDOW_SECONDS = 60.0
PIN_TRIES_PER_ADDRESS = 5  # wrong PINs from one address within a minute; then 429 until the minute passes
PIN_TRIES_PER_SHARE = 30  # wrong PINs in all: the share stops taking PINs (0.3 % of 4-digit PINs guessed)
MAX_KEYS = 256  # devices that gave the right PIN
MAX_PIN_ADDRESSES = 1024


@dataclass(frozen=True)
class GivenFile:
    """A file a share gives: `name` is what the page shows and the browser saves it as."""

    index: int
    name: str
    path: Path
    size: int
    picture: bool


@dataclass
class Share:
    id: str
    token: str
    receive: bool
    given: tuple[GivenFile, ...]
    pin: str  # "" when none is asked
    accept_all: bool
    https: bool
    last_activity: float
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    keys: set[str] = field(default_factory=set)
    pin_failures: collections.OrderedDict[str, collections.deque[float]] = field(
        default_factory=collections.OrderedDict)
    wrong_pins: int = 0
    live: set[ServerConnection] = field(default_factory=set)  # requests being answered, cut on close
    closed: bool = False

    def contact_id(self, device_key: str) -> str:
        """`browser:<32 hex>`: the same for one device (its page's random key) within this share only."""
        digest = hmac.new(self.secret, device_key.encode("ascii"), hashlib.sha256).hexdigest()
        return f"browser:{digest[:32]}"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@dataclass(frozen=True)
class PinAnswer:
    """`key` when the PIN was right; else the status to answer (401 wrong, 429 too many tries)."""

    key: str | None
    status: int


class ShareTable:
    """The open shares and what their requests may do; every method is safe from any thread."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._shares: dict[str, Share] = {}

    def add(self, share: Share) -> None:
        with self._lock:
            self._shares[share.id] = share

    def get(self, share_id: str) -> Share | None:
        with self._lock:
            return self._shares.get(share_id)

    def all(self) -> list[Share]:
        with self._lock:
            return list(self._shares.values())

    def find(self, token: str) -> Share | None:
        """The open share with this token (each compared in constant time), counted as activity."""
        found = None
        with self._lock:
            for share in self._shares.values():
                if hmac.compare_digest(share.token.encode("ascii"), token.encode("ascii", "replace")):
                    found = share
            if found is not None:
                found.last_activity = self._clock.monotonic()
        return found

    def remove(self, share_id: str) -> Share | None:
        """Close a share: it is found no more, and the requests it is answering are cut."""
        with self._lock:
            share = self._shares.pop(share_id, None)
            if share is None:
                return None
            share.closed = True
            live = list(share.live)
        for conn in live:
            conn.abort()
        return share

    def idle(self, seconds: float = IDLE_SECONDS) -> list[Share]:
        """Shares no request reached for `seconds`, none being answered."""
        now = self._clock.monotonic()
        with self._lock:
            return [s for s in self._shares.values() if not s.live and now - s.last_activity >= seconds]

    # --- requests ------------------------------------------------------------------------

    def enter(self, share: Share, conn: ServerConnection) -> bool:
        """A request of `share` is being answered on `conn`; False when the share closed meanwhile."""
        with self._lock:
            if share.closed:
                return False
            share.live.add(conn)
            return True

    def leave(self, share: Share, conn: ServerConnection) -> None:
        with self._lock:
            share.live.discard(conn)
            share.last_activity = self._clock.monotonic()

    def authorised(self, share: Share, key: str | None) -> bool:
        """Whether a request may see the share's files and send to it: no PIN, or a key the PIN earned."""
        if not share.pin:
            return True
        with self._lock:
            return key is not None and any(hmac.compare_digest(key, k) for k in share.keys)

    def check_pin(self, share: Share, ip: str, given: str) -> PinAnswer:
        """A key for a right PIN; 401 for a wrong one; 429 after 5 wrong ones from `ip` within a minute,
        and for everyone once the share has had 30 wrong ones."""
        now = self._clock.monotonic()
        with self._lock:
            failures = share.pin_failures.get(ip)
            if failures is not None:
                while failures and now - failures[0] >= PIN_WINDOW_SECONDS:
                    failures.popleft()
            if share.wrong_pins >= PIN_TRIES_PER_SHARE or (failures and len(failures) >= PIN_TRIES_PER_ADDRESS):
                return PinAnswer(None, 429)
            if hmac.compare_digest(given.encode("ascii", "replace"), share.pin.encode("ascii")):
                key = secrets.token_urlsafe(16)
                share.keys.add(key)
                if len(share.keys) > MAX_KEYS:
                    share.keys.pop()
                return PinAnswer(key, 200)
            share.wrong_pins += 1
            if failures is None:
                failures = share.pin_failures[ip] = collections.deque()
                while len(share.pin_failures) > MAX_PIN_ADDRESSES:
                    share.pin_failures.popitem(last=False)
            failures.append(now)
            return PinAnswer(None, 401)
