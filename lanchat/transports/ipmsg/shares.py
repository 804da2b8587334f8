"""What we offered to IP Messenger peers, and which request may fetch what (any thread).

An IP Messenger receiver fetches offered files whenever it likes, by TCP,
naming the offer's packet number and a file id. The transport adds each offer
here on the main thread; the TCP server's connection threads look requests
up. A request is served only to the address the offer went to.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from lanchat.transports.ipmsg.protocol.attachments import FileRequest


@dataclass(frozen=True)
class SharedMember:
    """One local file of an offered file or folder.

    `index` is the file's index in core's offer; `parts` its path inside the
    offered item as the peer reads it (for a folder, its name comes first).
    """

    index: int
    parts: tuple[bytes, ...]
    source: str
    size: int
    mtime: int


@dataclass(frozen=True)
class SharedFile:
    """One offered item: a file, or a folder and the files under it."""

    tid: str
    peer_ip: str
    packet: int
    file_id: int
    folder: bool
    members: tuple[SharedMember, ...]

    @property
    def size(self) -> int:
        return sum(m.size for m in self.members)


class Shares:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[tuple[str, int, int], SharedFile] = {}
        self._sent: dict[str, int] = {}  # tid -> bytes served so far

    def add(self, items: list[SharedFile]) -> None:
        with self._lock:
            for item in items:
                self._items[(item.peer_ip, item.packet, item.file_id)] = item

    def remove(self, tid: str) -> None:
        """Stop serving an offer (cancelled)."""
        with self._lock:
            for key in [k for k, item in self._items.items() if item.tid == tid]:
                del self._items[key]
            self._sent.pop(tid, None)

    def offered(self, tid: str) -> bool:
        with self._lock:
            return any(item.tid == tid for item in self._items.values())

    def find(self, peer_ip: str, request: FileRequest, folder: bool) -> SharedFile | None:
        """The item a request names: file id read as hex, then as decimal (iptux does both)."""
        ids = [request.file_id] + ([request.file_id_decimal] if request.file_id_decimal is not None else [])
        with self._lock:
            for file_id in ids:
                item = self._items.get((peer_ip, request.packet, file_id))
                if item is not None and item.folder == folder:
                    return item
        return None

    def count_sent(self, tid: str, count: int) -> int:
        """Add `count` bytes served for `tid`; returns the total so far."""
        with self._lock:
            total = self._sent.get(tid, 0) + count
            self._sent[tid] = total
            return total
