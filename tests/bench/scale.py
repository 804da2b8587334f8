"""A whole school on one LAN (issue 13): 2,000 simulated peers, the window with 500, Everyone, churn, forgeries.

Run: `unshare -n sh -c 'ip link set lo up; .venv/bin/python tests/bench/scale.py'` (as root it re-runs
itself in a private network namespace with only loopback up; it never sends anything outside
loopback). Prints figures, with a same-run baseline and the machine load; no pass/fail.

Simulated peers each have their own loopback address (127.1.x.y) and send real presence
datagrams (one UDP socket picks each datagram's source address with IP_PKTINFO); they announce
every 5 s (+0-20 %), answer queries within 0-300 ms and leave on command. Their TCP port has no
listener, so a connection to one is refused, as to a peer that just died. Real peers are
`lanchat --headless` processes; the window runs in a process of its own (QT_QPA_PLATFORM as set,
offscreen without a display).
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import queue
import random
import select
import shlex
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peers import LOOPBACK_BROADCAST, free_udp_port, peer_args  # noqa: E402

EVERYONE = "a436a0f070bf5aa6ab419cde4ad28674"
IP_PKTINFO = 8
SIM_TCP_PORT = 9  # nothing listens: refused at once


# --- helpers ----------------------------------------------------------------------------------


def reexec_in_namespace() -> None:
    if os.environ.get("LANCHAT_BENCH_NETNS") or os.geteuid() != 0:
        return
    command = " ".join(shlex.quote(a) for a in (sys.executable, *sys.argv))
    env = dict(os.environ, LANCHAT_BENCH_NETNS="1")
    sys.exit(subprocess.call(["unshare", "-n", "sh", "-c", f"ip link set lo up; exec {command}"], env=env))


def env() -> dict[str, str]:
    result = dict(os.environ, PYTHONUNBUFFERED="1")
    if "QT_QPA_PLATFORM" not in result and not result.get("DISPLAY"):
        result["QT_QPA_PLATFORM"] = "offscreen"
    return result


def sim_id(i: int) -> str:
    return f"51{i:062x}"


def sim_address(i: int) -> str:
    return f"127.{1 + i // 62500}.{(i // 250) % 250}.{i % 250 + 1}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {k: v.strip() for k, _, v in (line.partition(":") for line in lines)}


def rss_mib(pid: int) -> float:
    return int(status(pid)["VmRSS"].split()[0]) / 1024


def cpu_seconds(pid: int, thread_name: str | None = None) -> float:
    """utime+stime of a process, or of its threads called `thread_name` (truncated to 15 chars by Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    if thread_name is None:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            if (task / "comm").read_text().strip() == thread_name[:15]:
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            continue
    return total


def udp_out_datagrams() -> int:
    """UDP datagrams sent in this network namespace so far."""
    lines = [line.split() for line in Path("/proc/net/snmp").read_text().splitlines() if line.startswith("Udp:")]
    return int(lines[1][lines[0].index("OutDatagrams")])


def udp_drops(pid: int, port: int) -> int:
    """Datagrams the kernel dropped on `pid`'s UDP sockets bound to `port` (the receive buffer was full)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    drops = 0
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        parts = line.split()
        if int(parts[1].split(":")[1], 16) == port and parts[9] in inodes:
            drops += int(parts[-1])
    return drops


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} on {os.cpu_count()} CPUs"


class Headless:
    """`lanchat --headless` in a subprocess; every event is timestamped as it is read."""

    def __init__(self, profile: Path, name: str, port: int, *extra: str, loopback_only: bool = True) -> None:
        args = (peer_args(profile, name, port) if loopback_only else [
            "--profile", str(profile), "--name", name, "--port", "0", "--presence-port", str(port),
            "--target", LOOPBACK_BROADCAST, "--download-dir", str(profile / "downloads"),
        ])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lanchat", "--headless", *args, *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env(),
        )
        self.events: list[tuple[float, dict[str, Any]]] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        self.ready_at, ready = self.wait_for(lambda e: e["event"] == "ready", 30)
        self.id: str = ready["id"]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            event = json.loads(line)
            with self._lock:
                self.events.append((time.monotonic(), event))

    def snapshot(self) -> list[tuple[float, dict[str, Any]]]:
        with self._lock:
            return list(self.events)

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float) -> tuple[float, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            events = self.snapshot()
            for at, event in events[seen:]:
                if predicate(event):
                    return at, event
            seen = len(events)
            time.sleep(0.01)
        raise SystemExit(f"timed out after {timeout} s waiting for an event; last: {self.snapshot()[-3:]}")

    def command(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command).encode() + b"\n")
        self.process.stdin.flush()

    def online_sims(self) -> dict[str, tuple[float, bool]]:
        """Per simulated peer id: the time of its last `peer` event and whether it said online."""
        state: dict[str, tuple[float, bool]] = {}
        for at, event in self.snapshot():
            if event["event"] == "peer" and event["id"].startswith("51"):
                state[event["id"]] = (at, event["status"] != "offline")
        return state

    def stop(self) -> None:
        if self.process.poll() is None:
            self.command(cmd="quit", id="q")
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


# --- the simulator (a process of its own) ---------------------------------------------------------


def run_simulator(port: int) -> None:
    """Simulated peers; commands on stdin, one `done` line on stdout after each."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.bind(("0.0.0.0", port))
    lock = threading.Lock()
    present: set[int] = set()
    schedule: list[tuple[float, int]] = []  # (when, peer) its next announce
    seq = [int(time.time() * 1000)]
    sent = [0]

    def send(i: int, kind: str) -> None:
        seq[0] += 1
        datagram: dict[str, Any] = {"app": "lanchat", "v": 1, "kind": kind, "id": sim_id(i), "name": f"sim {i}",
                                    "seq": seq[0]}
        if kind == "announce":
            datagram.update(port=SIM_TCP_PORT, status="online")
        info = struct.pack("=I4s4s", 0, socket.inet_aton(sim_address(i)), bytes(4))
        sock.sendmsg([json.dumps(datagram).encode()], [(socket.IPPROTO_IP, IP_PKTINFO, info)], 0,
                       (LOOPBACK_BROADCAST, port))
        sent[0] += 1

    def spread(indices: list[int], seconds: float, kind: str) -> None:
        started = time.monotonic()
        for n, i in enumerate(indices):
            due = started + seconds * n / max(1, len(indices))
            while time.monotonic() < due:
                time.sleep(max(0.0, min(0.002, due - time.monotonic())))
            with lock:
                send(i, kind)
                if kind == "announce":
                    present.add(i)
                    heapq.heappush(schedule, (time.monotonic() + 5 * (1 + random.uniform(0, 0.2)), i))
                else:
                    present.discard(i)

    def loop() -> None:
        while True:
            timeout = 0.05
            with lock:
                now = time.monotonic()
                while schedule and schedule[0][0] <= now:
                    _, i = heapq.heappop(schedule)
                    if i in present:
                        send(i, "announce")
                        heapq.heappush(schedule, (now + 5 * (1 + random.uniform(0, 0.2)), i))
                if schedule:
                    timeout = max(0.0, min(timeout, schedule[0][0] - now))
            if select.select([sock], [], [], timeout)[0]:
                data, _source = sock.recvfrom(2048)
                try:
                    value = json.loads(data)
                except ValueError:
                    continue
                if value.get("kind") == "query" and not str(value.get("id", "")).startswith("51"):
                    with lock:  # everyone present answers within 0-300 ms
                        for i in present:
                            heapq.heappush(schedule, (time.monotonic() + random.uniform(0, 0.3), i))

    threading.Thread(target=loop, daemon=True).start()
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "present":  # present before anyone listens: they answer the first query
            with lock:
                for i in range(int(words[1]), int(words[2])):
                    present.add(i)
                    heapq.heappush(schedule, (time.monotonic() + random.uniform(0, 6), i))
        elif words[0] in ("arrive", "leave"):
            indices = list(range(int(words[1]), int(words[2])))
            spread(indices, float(words[3]), "announce" if words[0] == "arrive" else "leave")
        elif words[0] == "sent":
            pass
        print(f"done {words[0]} {sent[0]}", flush=True)


class Simulator:
    def __init__(self, port: int) -> None:
        self.process = subprocess.Popen([sys.executable, __file__, "--phase", "sim", "--port", str(port)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env())
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def done(self, block: bool = True, timeout: float = 120) -> int | None:
        """The simulator's datagram count once the last command is done (None when not yet, unblocked)."""
        try:
            return int(self.lines.get(block, timeout).split()[-1])
        except queue.Empty:
            return None

    def run(self, command: str) -> int:
        self.send(command)
        sent = self.done()
        assert sent is not None
        return sent

    def stop(self) -> None:
        self.send("quit")
        self.process.wait(10)


# --- phase 1: 2,000 simulated peers against a headless lanchat ------------------------------------


def phase_presence(root: Path, count: int) -> dict[str, Any]:
    port = free_udp_port()
    sim = Simulator(port)
    sim.run(f"present 0 {count}")
    time.sleep(6)  # every simulated peer has announced once into the void
    peer = Headless(root / "school", "school", port)
    pid = peer.process.pid
    rss_ready = rss_mib(pid)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = peer.online_sims()
        if sum(1 for _, up in state.values() if up) >= count:
            break
        time.sleep(0.02)
    state = peer.online_sims()
    listed = sum(1 for _, up in state.values() if up)
    listed_after = max(at for at, _ in state.values()) - peer.ready_at if state else float("nan")
    time.sleep(3)
    cpu0, presence0, wall0 = cpu_seconds(pid), cpu_seconds(pid, "lanchat-presence"), time.monotonic()
    time.sleep(20)
    cpu1, presence1, wall1 = cpu_seconds(pid), cpu_seconds(pid, "lanchat-presence"), time.monotonic()
    rss_listed = rss_mib(pid)
    drops0 = udp_drops(pid, port)
    still = sum(1 for _, up in peer.online_sims().values() if up)
    burst_started = time.monotonic()
    sim.run(f"leave 0 {count} 0")
    burst_sent = time.monotonic() - burst_started
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not any(up for _, up in peer.online_sims().values()):
            break
        time.sleep(0.01)
    state = peer.online_sims()
    left_online = sum(1 for _, up in state.values() if up)
    offline_after = max(at for at, _ in state.values()) - burst_started
    drops = udp_drops(pid, port) - drops0
    time.sleep(2)
    idle0, idle_wall0 = cpu_seconds(pid), time.monotonic()
    time.sleep(10)
    idle1, idle_wall1 = cpu_seconds(pid), time.monotonic()
    peer.stop()
    sim.stop()
    return {
        "count": count, "listed": listed, "listed_after_s": listed_after, "online_before_leave": still,
        "presence_cpu": (presence1 - presence0) / (wall1 - wall0), "process_cpu": (cpu1 - cpu0) / (wall1 - wall0),
        "idle_cpu": (idle1 - idle0) / (idle_wall1 - idle_wall0), "rss_ready": rss_ready, "rss_listed": rss_listed,
        "left_online": left_online, "offline_after_s": offline_after, "burst_send_s": burst_sent, "drops": drops,
        "baseline_drops": default_buffer_drops(count),
    }


def default_buffer_drops(count: int) -> int:
    """Baseline: the same burst of `count` leave-sized datagrams into a socket with the default buffer."""
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    data = json.dumps({"app": "lanchat", "v": 1, "kind": "leave", "id": sim_id(0), "name": "sim 0",
                       "seq": 1}).encode()
    for _ in range(count):
        sender.sendto(data, receiver.getsockname())
    receiver.setblocking(False)
    got = 0
    while True:
        try:
            receiver.recv(2048)
        except BlockingIOError:
            break
        got += 1
    receiver.close()
    sender.close()
    return count - got


# --- phase 2: the window with 500 arriving and leaving ------------------------------------------


def phase_window(root: Path, count: int) -> dict[str, Any]:
    from PySide6.QtCore import QEventLoop, QItemSelectionModel, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from lanchat.app import Options, Runtime
    from lanchat.core.contacts_model import ContactsModel
    from lanchat.transports.addresses import Target
    from lanchat.ui.theme import apply_theme
    from lanchat.ui.window import MainWindow

    app = QApplication.instance() or QApplication(["lanchat-scale"])
    apply_theme(app)  # type: ignore[arg-type]
    port = free_udp_port()
    runtime = Runtime(Options(profile=root / "window", name="window", port=0, presence_port=port,
                              targets=(Target(LOOPBACK_BROADCAST),), only_targets=True,
                              download_dir=root / "window" / "downloads"))
    runtime.start()
    window = MainWindow(runtime)
    window.start()
    window.resize(1080, 720)
    window.show()
    sim = Simulator(port)
    model = window.contacts_model

    def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(loop.quit)
        timer.start()
        while not predicate():
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}")
            loop.exec()
        timer.stop()

    samples: list[float] = []
    recording = [False]
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        if recording[0]:
            samples.append(max(0.0, (now - last[0]) * 1000 - 10))
        last[0] = now

    meter = QTimer()
    meter.setTimerType(Qt.TimerType.PreciseTimer)
    meter.setInterval(10)
    meter.timeout.connect(tick)
    meter.start()

    def listed() -> int:
        return sum(1 for e in model.entries() if e.id.startswith("51"))

    wait_until(lambda: window._painted, 10, "the window to paint")
    recording[0] = True
    end = time.monotonic() + 3
    wait_until(lambda: time.monotonic() > end, 10, "the idle baseline")
    idle, samples[:] = list(samples), []
    recording[0] = False

    sim.send("arrive 0 1 0")
    wait_until(lambda: listed() == 1, 10, "the first peer")
    sim.done()
    view = window.contacts.list
    proxy = window.contacts.proxy
    index = proxy.mapFromSource(model.index(model.row_of(sim_id(0))))
    view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    scroll_before = view.verticalScrollBar().value()

    recording[0] = True
    started = time.monotonic()
    sim.send(f"arrive 1 {count} 1.0")
    wait_until(lambda: listed() == count, 30, "every peer to be listed")
    arrived_s = time.monotonic() - started
    sim.done()
    arrive_samples, samples[:] = list(samples), []
    recording[0] = False
    current = view.selectionModel().currentIndex().data(ContactsModel.IdRole)
    selected = [i.data(ContactsModel.IdRole) for i in view.selectionModel().selectedIndexes()]
    selection_kept = current == sim_id(0) and selected == [sim_id(0)]
    scroll_after = view.verticalScrollBar().value()

    keys: list[float] = []
    window.contacts.search.setFocus()
    for text in ("sim 12", ):
        for char in text:
            t0 = time.perf_counter()
            QTest.keyClick(window.contacts.search, char)
            app.processEvents()
            keys.append((time.perf_counter() - t0) * 1000)
        shown = proxy.rowCount()
        for _ in text:
            t0 = time.perf_counter()
            QTest.keyClick(window.contacts.search, Qt.Key.Key_Backspace)
            app.processEvents()
            keys.append((time.perf_counter() - t0) * 1000)
    filtered_rows = shown

    recording[0] = True
    started = time.monotonic()
    sim.send(f"leave 0 {count} 1.0")
    wait_until(lambda: listed() == 0, 30, "every peer to leave")
    left_s = time.monotonic() - started
    sim.done()
    leave_samples = list(samples)
    recording[0] = False
    sim.stop()
    runtime.stop()
    return {
        "count": count, "idle": idle, "arrive": arrive_samples, "leave": leave_samples, "arrived_s": arrived_s,
        "left_s": left_s, "selection_kept": selection_kept, "scroll": [scroll_before, scroll_after],
        "keys": keys, "filtered_rows": filtered_rows, "rss": rss_mib(os.getpid()),
    }


# --- phase 3: Everyone with 500 simulated + 5 real peers ------------------------------------------


def phase_everyone(root: Path, count: int, real: int) -> dict[str, Any]:
    port = free_udp_port()
    sim = Simulator(port)
    sim.run(f"arrive 0 {count} 1.0")
    sender = Headless(root / "teacher", "teacher", port)
    peers = [Headless(root / f"pupil{i}", f"pupil{i}", port) for i in range(real)]
    ids = {p.id for p in peers}

    def online_at_sender() -> int:
        state: dict[str, bool] = {}
        for _, event in sender.snapshot():
            if event["event"] == "peer":
                state[event["id"]] = event["status"] != "offline"
        return sum(state.values())

    deadline = time.monotonic() + 30
    while online_at_sender() < count + real and time.monotonic() < deadline:
        time.sleep(0.05)
    online = online_at_sender()
    threads = [int(status(sender.process.pid)["Threads"])]
    text = "Everyone: the bus leaves at 3"
    started = time.monotonic()
    sender.command(cmd="send", id="e1", room=EVERYONE, text=text)
    _, result = sender.wait_for(lambda e: e["event"] == "result" and e["id"] == "e1", 10)
    got: dict[str, float] = {}
    while len(got) < real and time.monotonic() - started < 60:
        for peer in peers:
            if peer.id not in got and any(e["event"] == "message" and e["text"] == text for _, e in peer.snapshot()):
                got[peer.id] = time.monotonic() - started
        threads.append(int(status(sender.process.pid)["Threads"]))
        time.sleep(0.02)
    settle = time.monotonic() + 5
    while time.monotonic() < settle:
        threads.append(int(status(sender.process.pid)["Threads"]))
        time.sleep(0.05)
    copies = [sum(1 for _, e in p.snapshot() if e["event"] == "message" and e["text"] == text) for p in peers]
    delivered = {e["to"] for _, e in sender.snapshot() if e["event"] == "delivered" and e["to"] in ids}
    # baseline: one 1:1 message to one real peer, same run
    t0 = time.monotonic()
    sender.command(cmd="send", id="b1", to=peers[0].id, text="just you")
    peers[0].wait_for(lambda e: e["event"] == "message" and e["text"] == "just you", 30)
    one = time.monotonic() - t0
    for peer in [sender, *peers]:
        peer.stop()
    sim.stop()
    return {"count": count, "real": real, "online": online, "ok": result.get("ok"), "got": got, "copies": copies,
            "delivered": len(delivered), "one_s": one, "threads": [min(threads), max(threads)]}


# --- phase 4: 9 x 500 churning peers, forged queries and a forged announce ------------------------


def count_contacts(profile: Path) -> int:
    conn = sqlite3.connect(f"file:{profile / 'history.sqlite3'}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM contacts").fetchone()[0])
    finally:
        conn.close()


def phase_churn(root: Path, batches: int, size: int) -> dict[str, Any]:
    port = free_udp_port()
    sim = Simulator(port)
    profile = root / "churn"
    # Not --only-targets: here presence also goes to remembered contacts (all inside this namespace).
    peer = Headless(profile, "churn", port, loopback_only=False)
    for batch in range(batches):
        sim.run(f"arrive {batch * size} {(batch + 1) * size} 1.0")
        time.sleep(1)
        sim.run(f"leave {batch * size} {(batch + 1) * size} 1.0")
    time.sleep(2)
    peer.command(cmd="peers", id="p")
    _, listed = peer.wait_for(lambda e: e["event"] == "result" and e["id"] == "p", 10)
    in_memory = len(listed["peers"])
    # announces now: the simulator is silent, so every datagram is lanchat's
    out0 = udp_out_datagrams()
    time.sleep(10.5)
    per_second = (udp_out_datagrams() - out0) / 10.5
    # 100 forged queries from 100 addresses, each with the id of a real-looking peer
    forgers = []
    for n in range(100):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        sock.bind((f"127.99.{n // 250}.{n % 250 + 1}", 0))
        forgers.append(sock)
    out0 = udp_out_datagrams()
    for n, sock in enumerate(forgers):
        query = {"app": "lanchat", "v": 1, "kind": "query", "id": f"66{n:062x}", "name": "forger", "seq": 1}
        # broadcast: a unicast to a port shared with SO_REUSEPORT reaches only one socket (the simulator's maybe)
        sock.sendto(json.dumps(query).encode(), (LOOPBACK_BROADCAST, port))
    time.sleep(10.5)
    with_queries = (udp_out_datagrams() - out0 - len(forgers)) / 10.5
    answers = []
    for sock in forgers:
        sock.setblocking(False)
        got = 0
        while True:
            try:
                sock.recv(2048)
            except BlockingIOError:
                break
            got += 1
        answers.append(got)
        sock.close()
    peer.stop()
    stored = count_contacts(profile)
    again = Headless(profile, "churn", port, loopback_only=False)
    again.command(cmd="peers", id="p")
    _, listed = again.wait_for(lambda e: e["event"] == "result" and e["id"] == "p", 10)
    after_restart = len(listed["peers"])
    again.stop()
    sim.stop()
    return {"seen": batches * size, "in_memory": in_memory, "stored": stored, "after_restart": after_restart,
            "stored_after_restart": count_contacts(profile), "announce_per_s": per_second,
            "with_queries_per_s": with_queries, "answers": answers}


def phase_forged_announce(root: Path, seconds: int) -> dict[str, Any]:
    port = free_udp_port()
    ana = Headless(root / "ana", "ana", port)
    ben = Headless(root / "ben", "ben", port)
    ana.wait_for(lambda e: e["event"] == "peer" and e["id"] == ben.id, 15)

    def exchange(tag: str, count: int, forge: socket.socket | None) -> list[float]:
        latencies = []
        for n in range(count):
            if forge is not None:
                announce = {"app": "lanchat", "v": 1, "kind": "announce", "id": ben.id, "name": "ben",
                            "seq": 2**53, "port": 9, "status": "online"}
                forge.sendto(json.dumps(announce).encode(), (LOOPBACK_BROADCAST, port))
            t0 = time.monotonic()
            ana.command(cmd="send", id=f"{tag}{n}", to=ben.id, text=f"{tag} {n}")
            _, result = ana.wait_for(lambda e, i=f"{tag}{n}": e["event"] == "result" and e["id"] == i, 10)
            ana.wait_for(lambda e, m=result["mid"]: e["event"] == "delivered" and e["mid"] == m, 30)
            latencies.append((time.monotonic() - t0) * 1000)
            time.sleep(max(0.0, 1.0 - (time.monotonic() - t0)))
        return latencies

    baseline = exchange("plain", 5, None)
    forge = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    forge.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    forge.bind(("127.66.0.1", 0))
    forged = exchange("forged", seconds, forge)
    forge.close()
    moved = [e for _, e in ana.snapshot() if e["event"] == "peer" and e["id"] == ben.id and e["address"] != "127.0.0.1"]
    ana.stop()
    ben.stop()
    return {"baseline": baseline, "forged": forged, "moved": len(moved)}


# --- main ---------------------------------------------------------------------------------------


def run_phase(name: str, root: Path, *extra: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, __file__, "--phase", name, "--dir", str(root), *extra],
                            capture_output=True, text=True, env=env(), check=False)
    if result.returncode:
        raise SystemExit(f"phase {name} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--peers", type=int, default=2000)
    parser.add_argument("--window-peers", type=int, default=500)
    parser.add_argument("--only", default="presence,window,everyone,churn,forged")
    parser.add_argument("--phase")
    parser.add_argument("--dir")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    if args.phase == "sim":
        run_simulator(args.port)
        return
    if args.phase == "window":
        print(json.dumps(phase_window(Path(args.dir), args.window_peers)))
        return
    reexec_in_namespace()
    wanted = set(args.only.split(","))
    print(f"lanchat scale benchmark (issue 13), loopback only; at start: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if "presence" in wanted:
            p = phase_presence(root, args.peers)
            print(f"  {p['count']:,} simulated peers: {p['listed']:,} listed {p['listed_after_s']:.2f} s after `ready` "
                  f"(target: all within 2 s)")
            print(f"    steady presence CPU: {p['presence_cpu'] * 100:.1f} % of a core (presence "
                  f"thread), whole process "
                  f"{p['process_cpu'] * 100:.1f} % (target < 5 %); baseline, the same process with nobody online "
                  f"{p['idle_cpu'] * 100:.1f} %")
            print(f"    RSS {p['rss_listed']:.0f} MiB with {p['listed']:,} listed (at `ready`: "
                  f"{p['rss_ready']:.0f} MiB)")
            print(f"    simultaneous leave ({p['online_before_leave']:,} online, sent in "
                  f"{p['burst_send_s'] * 1000:.0f} ms): "
                  f"all offline {p['offline_after_s']:.2f} s after the burst began, {p['left_online']} still online, "
                  f"{p['drops']} dropped by the kernel (target: all within 1 s); baseline, a socket with the default "
                  f"buffer: {p['baseline_drops']:,} of {p['count']:,} dropped")
            print(f"    ({load()})")
        if "window" in wanted:
            w = run_phase("window", root, "--window-peers", str(args.window_peers))
            busy = w["arrive"] + w["leave"]
            print(f"  window, {w['count']} simulated peers arriving within 1 s (listed after {w['arrived_s']:.2f} s), "
                  f"then leaving within 1 s (gone after {w['left_s']:.2f} s):")
            print(f"    GUI event-loop lateness (10 ms timer): p50 {percentile(busy, 50):.1f} ms, p99 "
                  f"{percentile(busy, 99):.1f} ms, max {max(busy):.1f} ms (targets p99 < 16, max < 100); arriving "
                  f"p99 {percentile(w['arrive'], 99):.1f} / max {max(w['arrive']):.1f}, leaving p99 "
                  f"{percentile(w['leave'], 99):.1f} / max {max(w['leave']):.1f}")
            print(f"    baseline, the same window idle: p99 {percentile(w['idle'], 99):.1f} ms, max "
                  f"{max(w['idle']):.1f} ms")
            print(f"    filtering {w['count']} by typing: median {statistics.median(w['keys']):.1f} ms, max "
                  f"{max(w['keys']):.1f} ms per key (target < 16 ms; 'sim 12' shows {w['filtered_rows']} rows)")
            print(f"    the selection survives the arrivals: {'yes' if w['selection_kept'] else 'NO'} "
                  f"(scroll position {w['scroll'][0]} -> {w['scroll'][1]}); window process RSS {w['rss']:.0f} MiB")
            print(f"    ({load()})")
        if "everyone" in wanted:
            e = phase_everyone(root, args.window_peers, 5)
            times = sorted(e["got"].values())
            print(f"  Everyone with {e['count']} simulated + {e['real']} real peers online "
                  f"({e['online']} listed at the "
                  f"sender): {len(e['got'])}/{e['real']} real peers got it, copies each {e['copies']} (target: all 5, "
                  f"once), last after {times[-1] if times else float('nan'):.2f} s; {e['delivered']} acks; sender "
                  f"threads {e['threads'][0]} -> at most {e['threads'][1]}")
            print(f"    baseline, one 1:1 message to one real peer: {e['one_s'] * 1000:.0f} ms  ({load()})")
        if "churn" in wanted:
            c = phase_churn(root, 9, args.window_peers)
            print(f"  9 x {args.window_peers} churning peers ({c['seen']:,} ids seen): {c['in_memory']:,} contacts in "
                  f"memory, {c['stored']:,} in history; after a restart {c['after_restart']:,} listed, "
                  f"{c['stored_after_restart']:,} in history (target <= 4,096)")
            print(f"    presence datagrams sent with everyone gone: {c['announce_per_s']:.1f}/s "
                  f"(announces to at most 256 "
                  f"remembered contacts heard within 7 days)")
            answers = c["answers"]
            print(f"    100 forged queries from 100 addresses: each asker got {min(answers)}..{max(answers)} answers "
                  f"(target: one); lanchat sent {c['with_queries_per_s']:.1f} datagrams/s over the next 10 s "
                  f"(baseline without queries: {c['announce_per_s']:.1f}/s)")
        if "forged" in wanted:
            f = phase_forged_announce(root, 20)
            print(f"  forged announce (ben's id, another address, seq 2^53, every second for {len(f['forged'])} s): "
                  f"{len(f['forged'])}/{len(f['forged'])} messages delivered, p50 "
                  f"{statistics.median(f['forged']):.0f} ms, "
                  f"max {max(f['forged']):.0f} ms; ben shown at another address {f['moved']} times; baseline without "
                  f"forgery p50 {statistics.median(f['baseline']):.0f} ms")
    print(f"  at the end: {load()}")


if __name__ == "__main__":
    main()
