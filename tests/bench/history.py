"""Benchmark of the history store (a script, not a test): prints figures and targets.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/history.py [--messages 100000] [--dir DIR]

Figures: the insert rate through `save_incoming` until its `incoming_saved`
signal has reached a GUI-thread slot (the store half of the receive path),
against a same-run baseline (raw `executemany` into a bare table with the
same pragmas); the time to open a chat page, and to search (English and
Chinese), with N messages in the database; the file size per 100,000
messages. Targets: >= 2,000 msgs/s, page <= 300 ms, search <= 100 ms.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Slot

from lanchat.core.history import HistoryStore, MessageRecord

WORDS = tuple(
    " ".join((
        "the meeting is at ten tomorrow please bring your laptop homework project deadline library",
        "lunch football presentation slides teacher exam chapter question answer thanks see you later",
        "photo printer password network coffee train bus weekend holiday music film",
    )).split(" ")
)
CHINESE = ("这是一个中文测试消息", "明天见", "我们在图书馆", "作业做完了吗", "谢谢你的帮助", "会议改到下午")


class Counter(QObject):
    """Counts incoming_saved on the GUI thread; ends `loop` at `target`."""

    def __init__(self, loop: QEventLoop, target: int) -> None:
        super().__init__()
        self.count = 0
        self.loop = loop
        self.target = target

    @Slot(object)
    def on_saved(self, _event: object) -> None:
        self.count += 1
        if self.count == self.target:
            self.loop.quit()


def peer_ids(n: int) -> list[str]:
    return [f"{i:064x}" for i in range(1, n + 1)]


def text_for(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(3, 18))
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words) + 1), rng.choice(CHINESE))
    return " ".join(words)


def make_messages(n: int, peers: list[str], rng: random.Random, start_ts: int) -> list[MessageRecord]:
    # A third of the traffic is with one busy contact, the rest spread out.
    weights = [len(peers)] + [1] * (len(peers) - 1)
    chosen = rng.choices(peers, weights=weights, k=n)
    return [
        MessageRecord(uuid.uuid4().hex, peer, peer, "in", start_ts + i, text_for(rng), "received")
        for i, peer in enumerate(chosen)
    ]


def save_and_wait(app: QCoreApplication, store: HistoryStore, records: list[MessageRecord]) -> float:
    """Seconds from the first save_incoming to the last incoming_saved slot call."""
    loop = QEventLoop()
    counter = Counter(loop, len(records))
    store.incoming_saved.connect(counter.on_saved)
    started = time.perf_counter()
    for record in records:
        store.save_incoming(record)
    if counter.count < len(records):
        loop.exec()  # the GUI thread sleeps in its event loop, as in the app
    elapsed = time.perf_counter() - started
    store.incoming_saved.disconnect(counter.on_saved)
    return elapsed


def baseline_rate(path: Path, records: list[MessageRecord]) -> float:
    """Raw executemany into a bare table, WAL + synchronous=FULL, in batches of 500."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE m (id INTEGER PRIMARY KEY, mid TEXT, sender TEXT, ts INTEGER, text TEXT)")
    rows = [(r.mid, r.sender, r.ts, r.text) for r in records]
    started = time.perf_counter()
    for i in range(0, len(rows), 500):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO m (mid, sender, ts, text) VALUES (?, ?, ?, ?)", rows[i:i + 500])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return len(rows) / elapsed


def schema_baseline_rate(path: Path, records: list[MessageRecord]) -> float:
    """Raw executemany into the store's own schema (indexes, FTS triggers), batches of 500."""
    store = HistoryStore(path)
    store.open()
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    rows = [(r.mid, r.sender, r.chat, "in", r.ts, r.ts, r.text, "received") for r in records]
    started = time.perf_counter()
    for i in range(0, len(rows), 500):
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO messages (mid, sender, chat, direction, ts, stored_at, text, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows[i:i + 500],
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return len(rows) / elapsed


def timed(work: Callable[[], object], repeat: int = 7) -> tuple[float, float]:
    """(first, median of the rest) in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return times[0], statistics.median(times[1:])


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rate-messages", type=int, default=20_000)
    parser.add_argument("--dir", type=Path, help="where to put the databases (default: a temp folder)")
    args = parser.parse_args(argv)
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    assert isinstance(app, QCoreApplication)
    rng = random.Random(42)
    peers = peer_ids(30)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, folder {folder}")

        rate_records = make_messages(args.rate_messages, peers, rng, 1_700_000_000_000)
        base = baseline_rate(folder / "baseline.sqlite3", rate_records)
        schema_base = schema_baseline_rate(folder / "schema-baseline.sqlite3", rate_records)
        store = HistoryStore(folder / "history.sqlite3")
        store.open()
        elapsed = save_and_wait(app, store, rate_records)
        rate = len(rate_records) / elapsed
        print(f"insert, save_incoming -> commit -> incoming_saved slot: {rate:,.0f} msgs/s "
              f"({len(rate_records):,} in {elapsed:.2f} s)  target >= 2,000: {verdict(rate >= 2000)}")
        print(f"baseline, raw executemany into a bare table:          {base:,.0f} msgs/s  "
              f"ratio store/baseline = {rate / base:.3f}")
        print(f"baseline, raw executemany into the store's schema:     {schema_base:,.0f} msgs/s  "
              f"ratio store/baseline = {rate / schema_base:.2f}")

        rest = make_messages(args.messages - len(rate_records), peers, rng, 1_700_000_100_000)
        fill = save_and_wait(app, store, rest)
        print(f"filled to {args.messages:,} messages ({len(rest) / fill:,.0f} msgs/s)")
        store.close()
        size = (folder / "history.sqlite3").stat().st_size
        per_100k = size * 100_000 / args.messages
        print(f"database size: {size / 2**20:.1f} MiB, {per_100k / 2**20:.1f} MiB per 100,000 messages "
              f"({size / args.messages:.0f} bytes/message)")

        started = time.perf_counter()
        store = HistoryStore(folder / "history.sqlite3")
        store.open()
        opened = (time.perf_counter() - started) * 1000
        busy, quiet = peers[0], peers[-1]
        first, warm = timed(lambda: store.page(busy))
        print(f"open the store: {opened:.1f} ms")
        print(f"open a chat page (200 newest of the busiest chat): first {first:.1f} ms, then {warm:.2f} ms  "
              f"target <= 300: {verdict(first <= 300)}")
        oldest = store.page(busy)[0].row_id
        first, warm = timed(lambda: store.page(quiet, before=oldest))
        print(f"scroll back a page (a quiet chat, older rows): first {first:.2f} ms, then {warm:.2f} ms")
        for label, query, chat in (
            ("English, common word", "meeting", None),
            ("English, phrase", "see you later", None),
            ("English, rare (no hit)", "zebra crossing", None),
            ("Chinese", "文测试", None),
            ("Chinese, one chat", "图书馆", quiet),
            ("English, common word, a chat without it (worst case)", "the", "0" * 64),
            ("short (LIKE)", "ok", None),
        ):
            hits = len(store.search(query, chat))
            first, warm = timed(lambda q=query, c=chat: store.search(q, c))
            print(f"search {label!r} ({query}): {hits} hits, first {first:.1f} ms, then {warm:.1f} ms  "
                  f"target <= 100: {verdict(warm <= 100)}")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
