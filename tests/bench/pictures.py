"""Picture figures: opening a 12 MP photo, receiving one, scrolling a chat of 200 pictures — and the GUI's lateness.

Run: `.venv/bin/python tests/bench/pictures.py [--rounds 7]` (as root it re-runs
itself in a private network namespace with only loopback up). Prints figures
with a same-run baseline; no pass/fail. QT_QPA_PLATFORM as set (offscreen
when there is no display).

Lateness is how late a 4 ms timer on the GUI thread fires: what a person
feels as a stutter. Targets (issue #15): the photo opens fitted within 300 ms
with lateness max < 50 ms; receiving it stalls the GUI < 50 ms; scrolling a
chat of 200 pictures keeps lateness p99 < 16 ms.

- Open: lanchat's viewer (decodes off the GUI thread at screen size) until
  the fitted picture is on screen. Baseline, same run: what v0.1 did, a
  whole-picture QImage decode and a scaled QPixmap on the GUI thread.
- Receive: a window showing the chat while a 12 MP photo arrives from an
  in-process peer over loopback sockets, until its card shows the picture.
  Baseline: the same window idle for as long. (The peer's own work runs on
  the same GUI thread: the figure is pessimistic.)
- Scroll: a chat of 200 pictures (12 MP JPEGs, history of an earlier run)
  scrolled from bottom to top and back in 40 px steps, one step per timer
  tick: in a new window as soon as it is painted, the first time the pictures
  are shown (small copies being made meanwhile); again in that window once
  they are all made; in a new window with the small copies on disk. Baseline:
  the same scroll over 200 text messages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TICK_MS = 4


def in_namespace() -> None:
    if os.geteuid() == 0 and os.environ.get("LANCHAT_BENCH_NETNS") != "1" and shutil.which("unshare"):
        env = dict(os.environ, LANCHAT_BENCH_NETNS="1")
        command = f"ip link set lo up && exec {sys.executable} {' '.join(map(str, sys.argv))}"
        sys.exit(subprocess.run(["unshare", "-n", "sh", "-c", command], env=env).returncode)


class Lateness:
    """How late a TICK_MS timer fires on the GUI thread, while `measure` runs."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.samples: list[float] = []
        self._last = 0.0
        #: Called on each tick after it is measured (the scroll takes one step per tick).
        self.on_tick: Callable[[], None] | None = None
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.samples.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now
        if self.on_tick is not None:
            self.on_tick()

    def start(self) -> None:
        """Start ticking, and return once the timer runs steadily (so a stall right after is measured)."""
        self.samples, self._last = [], 0.0
        self._timer.start()
        spin_until(lambda: len(self.samples) >= 3)
        self.samples.clear()

    def stop(self) -> list[float]:
        self._timer.stop()
        self.on_tick = None
        return self.samples

    def idle(self, seconds: float) -> list[float]:
        """The lateness of an idle event loop for `seconds` (a baseline)."""
        self.start()
        end = time.monotonic() + seconds
        spin_until(lambda: time.monotonic() >= end)
        return list(self.stop())


def spin_until(done: Callable[[], bool], timeout: float = 30.0) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark waited too long")
        loop = QEventLoop()
        QTimer.singleShot(1, loop.quit)
        loop.exec()


def photo(path: Path, size: tuple[int, int] = (4000, 3000)) -> Path:
    """A 12 MP JPEG with detail in it (noise over gradients), as a phone makes."""
    from PIL import Image

    base = Image.linear_gradient("L").resize(size).convert("RGB")
    noise = Image.effect_noise(size, 40).convert("RGB")
    Image.blend(base, noise, 0.35).save(path, "JPEG", quality=90)
    return path


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0


# --- opening a photo ---------------------------------------------------------------------------

def open_with_viewer(path: Path, parent, actions, lateness: Lateness) -> tuple[float, float]:
    from lanchat.ui.picture_viewer import PictureViewer, ViewerItem

    lateness.start()
    started = time.perf_counter()
    viewer = PictureViewer([ViewerItem(path, path.name)], 0, actions, parent)
    viewer.show()
    spin_until(lambda: not viewer.canvas.image.isNull())
    viewer.canvas.repaint()
    elapsed = (time.perf_counter() - started) * 1000
    spin_until(lambda: len(lateness.samples) > 10)
    late = max(lateness.stop())
    viewer.close()
    return elapsed, late


def open_the_old_way(path: Path, lateness: Lateness) -> tuple[float, float]:
    """v0.1's viewer: decode the whole picture on the GUI thread, then scale it to fit."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPixmap
    from PySide6.QtWidgets import QLabel

    lateness.start()
    started = time.perf_counter()
    image = QImage(str(path))
    label = QLabel()
    label.setPixmap(QPixmap.fromImage(image).scaled(1536, 864, Qt.AspectRatioMode.KeepAspectRatio,
                                                    Qt.TransformationMode.SmoothTransformation))
    label.show()
    label.repaint()
    elapsed = (time.perf_counter() - started) * 1000
    spin_until(lambda: len(lateness.samples) > 10)
    late = max(lateness.stop())
    label.close()
    return elapsed, late


def bench_open(rounds: int, folder: Path, runtime) -> dict[str, list[float]]:
    from PySide6.QtWidgets import QWidget

    from lanchat.ui.file_actions import FileActions

    path = photo(folder / "phone photo.jpg")
    parent = QWidget()
    actions = FileActions(runtime, parent)
    lateness = Lateness()
    ours, old = [], []
    for _ in range(rounds):
        old.append(open_the_old_way(path, lateness))
        ours.append(open_with_viewer(path, parent, actions, lateness))
    return {
        "open_ms": [t for t, _ in ours], "open_max": [late for _, late in ours],
        "old_ms": [t for t, _ in old], "old_max": [late for _, late in old],
    }


# --- a window over real peers -------------------------------------------------------------------

class Paints:
    """Counts the paint events of a widget (a chat's viewport)."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        outer = self
        self.count = 0

        class Filter(QObject):
            def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
                if event.type() == QEvent.Type.Paint:
                    outer.count += 1
                return False

        self._filter = Filter()
        widget.installEventFilter(self._filter)


def open_window(runtime):
    """lanchat's main window over `runtime`, shown and painted once."""
    from lanchat.ui.window import MainWindow

    window = MainWindow(runtime)
    window.start()
    window.show()
    spin_until(lambda: window._painted)
    return window


def close_window(window) -> None:
    from PySide6.QtCore import QCoreApplication

    window.pictures.wait()
    window.quit()
    window.deleteLater()
    QCoreApplication.processEvents()


# --- receiving a photo ---------------------------------------------------------------------------

def bench_receive(rounds: int, folder: Path, runtime) -> dict[str, list[float]]:
    """Ana's window shows her chat with Ben while Ben (in-process, over loopback sockets) sends her a photo."""
    from lanchat.core.transfers.policy import AcceptMode
    from lanchat.core.transfers.state import TransferState

    ana, ben = runtime("receiver", accept=AcceptMode.AUTO), runtime("sender")
    window = open_window(ana)
    try:
        def sees(a, b) -> bool:
            contact = a.contacts.get(b.identity.id)
            return contact is not None and contact.online

        spin_until(lambda: sees(ana, ben) and sees(ben, ana)
                   and window.contacts_model.entry(ben.identity.id) is not None)
        tab = window.open_chat(ben.identity.id)
        paints = Paints(tab.view.viewport())
        ready: dict[str, int] = {}  # a small copy that is ready -> the viewport's paints by then
        window.pictures.ready.connect(lambda path: ready.setdefault(path, paints.count))
        lateness = Lateness()
        figures: dict[str, list[float]] = {"ms": [], "max": [], "p99": [], "idle_max": [], "idle_p99": []}
        for i in range(rounds):
            path = photo(folder / f"from ben {i}.jpg")
            lateness.start()
            started = time.perf_counter()
            tid = ben.transfers.offer_pictures(ana.identity.id, [path])[0]

            def shown(tid: str = tid) -> bool:
                """Done, its small copy made, and the chat painted since: the card shows the picture."""
                view = ana.transfers.view(tid)
                if view is None or view.state is not TransferState.DONE or not view.files[0].saved_as:
                    return False
                saved = view.files[0].saved_as
                return saved in ready and paints.count > ready[saved]

            spin_until(shown, 60)
            elapsed = time.perf_counter() - started
            busy = lateness.stop()
            idle = lateness.idle(elapsed)
            figures["ms"].append(elapsed * 1000)
            figures["max"].append(max(busy))
            figures["p99"].append(p99(busy))
            figures["idle_max"].append(max(idle))
            figures["idle_p99"].append(p99(idle))
        return figures
    finally:
        close_window(window)
        ben.stop()
        ana.stop()


# --- scrolling a chat of 200 pictures ------------------------------------------------------------

STEP_PX = 40


def photos(folder: Path, count: int, size: tuple[int, int]) -> list[Path]:
    """`count` different JPEGs of `size` (one noisy photo, a numbered patch on each)."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    base = Image.blend(Image.linear_gradient("L").resize(size).convert("RGB"),
                       Image.effect_noise(size, 40).convert("RGB"), 0.35)
    paths = []
    for i in range(count):
        picture = base.copy()
        draw = ImageDraw.Draw(picture)
        w, h = size
        draw.rectangle((w // 8, h // 8, w // 2, h // 2), fill=((i * 53) % 256, (i * 97) % 256, (i * 29) % 256))
        draw.text((w // 8 + 20, h // 8 + 20), f"IMG_{i:04d}", fill="white")
        path = folder / f"IMG_{i:04d}.jpg"
        picture.save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def fill_history(profile: Path, count: int, size: tuple[int, int]) -> tuple[str, str]:
    """An earlier run's history: `count` pictures from Zoe (real files, saved as received, with the
    offers' thumbnails) and `count` text messages from Yan. Returns (Zoe's id, Yan's id)."""
    import hashlib
    import uuid

    from lanchat.core.history import ContactRecord, HistoryStore, MessageRecord
    from lanchat.core.history.records import FileRecord, TransferRecord
    from lanchat.core.transfers.offer_files import make_thumbnail
    from lanchat.identity import load_or_create

    profile.mkdir(parents=True, exist_ok=True)
    identity = load_or_create(profile)
    store = HistoryStore(profile / "history.sqlite3", own_id=identity.id)
    store.open()
    zoe, yan = (uuid.uuid4().hex + uuid.uuid4().hex for _ in range(2))
    store.upsert_contact(ContactRecord(zoe, "Zoe", "127.0.0.1", 9))
    store.upsert_contact(ContactRecord(yan, "Yan", "127.0.0.1", 9))
    start = int(time.time() * 1000) - count * 60_000
    for i, path in enumerate(photos(profile / "downloads", count, size)):
        data = path.read_bytes()
        files = (FileRecord(path.name, len(data), len(data), str(path), hashlib.sha256(data).hexdigest(), True),)
        store.save_transfer(TransferRecord(uuid.uuid4().hex, zoe, "in", "image", files, "done",
                                           created_at=start + i * 60_000, thumb=make_thumbnail(path)))
    texts = ("see you at the library at ten", "did you finish the homework? https://example.org/chapter-7",
             "作业做完了吗", "ok 👍", "the presentation slides are in the shared folder, page 12 has the chart "
             "we talked about yesterday and the one after that still needs numbers", "谢谢你的帮助！明天见")
    for i in range(count):
        store.save_incoming(MessageRecord(uuid.uuid4().hex, yan, yan, "in", start + i * 60_000,
                                          f"{texts[i % len(texts)]} #{i}", "received"))
    store.mark_seen_read(zoe)
    store.mark_seen_read(yan)
    store.flush(600)
    store.close()
    return zoe, yan


def scroll(view, lateness: Lateness) -> list[float]:
    """Bottom to top and back to the bottom, STEP_PX per tick; the lateness of every tick."""
    bar = view.verticalScrollBar()
    going_up = [True]
    finished = [False]

    def step() -> None:
        if going_up[0]:
            if bar.value() <= bar.minimum():
                going_up[0] = False  # (at the top the view asks for an older page, as it does for people)
            else:
                bar.setValue(bar.value() - STEP_PX)
        elif bar.value() >= bar.maximum():
            finished[0] = True
        else:
            bar.setValue(bar.value() + STEP_PX)

    lateness.start()
    lateness.on_tick = step
    spin_until(lambda: finished[0], 300)
    return list(lateness.stop())


def at_bottom(tab) -> None:
    """The chat has painted at its newest entry (small copies may still be on their way)."""
    paints = Paints(tab.view.viewport())
    tab.view.viewport().update()
    spin_until(lambda: tab.view.at_bottom() and paints.count > 0)
    end = time.monotonic() + 0.2
    spin_until(lambda: time.monotonic() >= end)


def all_loaded(window) -> None:
    """Every small copy asked for is made (the chat opened asks for all of them: it measures every card)."""
    spin_until(lambda: not window.pictures._loading, 600)


def bench_scroll(rounds: int, folder: Path, runtime, count: int, size: tuple[int, int]) -> dict[str, list[float]]:
    """Each round: a new window on pictures never shown before (no small copies yet), scrolled as soon as it is
    painted, then again once every small copy is made; a new window on the same pictures (small copies on
    disk), scrolled as soon as painted; a new window on the text messages, then again."""
    profile = folder / "reader"
    started = time.perf_counter()
    zoe, yan = fill_history(profile, count, size)
    print(f"(history of {count} pictures of {size[0]}x{size[1]} and {count} texts written in "
          f"{time.perf_counter() - started:.0f} s)", file=sys.stderr)
    reader = runtime("reader")
    lateness = Lateness()
    figures: dict[str, list[float]] = {}
    ticks: dict[str, int] = {}

    def measure(name: str, chat: str, again: str | None = None) -> None:
        window = open_window(reader)
        try:
            tab = window.open_chat(chat)
            at_bottom(tab)
            passes = [(name, lambda: None)] + ([(again, lambda: all_loaded(window))] if again else [])
            for label, ready in passes:
                ready()
                at_bottom(tab)
                samples = scroll(tab.view, lateness)
                figures.setdefault(label + "_p50", []).append(statistics.median(samples))
                figures.setdefault(label + "_p99", []).append(p99(samples))
                figures.setdefault(label + "_max", []).append(max(samples))
                ticks[label] = len(samples)
        finally:
            close_window(window)

    try:
        for _ in range(rounds):
            shutil.rmtree(reader.small_copies_folder, ignore_errors=True)
            measure("first", zoe, again="again")
            measure("reopened", zoe)
            measure("text", yan, again="text_again")
    finally:
        reader.stop()
    figures["ticks"] = [float(ticks["reopened"]), float(ticks["text"])]
    return figures


# --- main -----------------------------------------------------------------------------------------

def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.1f}x" if baseline > 0 else "n/a"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(figures: dict[str, dict[str, list[float]]], args: argparse.Namespace) -> None:
    """What was measured, with the same-run baselines (median of the rounds; worst round in brackets)."""
    if "open" in figures:
        f = figures["open"]
        later = f"; later opens max {max(f['open_max'][1:]):.1f} ms" if len(f["open_max"]) > 1 else ""
        print(f"  open a 12 MP photo in the viewer: {median(f['open_ms']):.0f} ms to fitted (slowest "
              f"{max(f['open_ms']):.0f} ms), lateness max {max(f['open_max']):.1f} ms (the process's first viewer "
              f"{f['open_max'][0]:.1f} ms{later}) (target: 300 ms, max < 50 ms)")
        print(f"    baseline, v0.1's way (whole decode on the GUI thread): {median(f['old_ms']):.0f} ms, lateness max "
              f"{max(f['old_max']):.1f} ms; lanchat is {ratio(median(f['old_ms']), median(f['open_ms']))} faster, "
              f"its worst stall {ratio(max(f['open_max']), max(f['old_max']))} of v0.1's")
    if "receive" in figures:
        f = figures["receive"]
        print(f"  receive a 12 MP photo with its chat open, until its card shows it: {median(f['ms']):.0f} ms; "
              f"lateness max {median(f['max']):.1f} ms [{max(f['max']):.1f}], p99 {median(f['p99']):.1f} ms "
              f"[{max(f['p99']):.1f}] (target: stall < 50 ms)")
        print(f"    baseline, the same window idle as long: max {median(f['idle_max']):.1f} ms "
              f"[{max(f['idle_max']):.1f}], p99 {median(f['idle_p99']):.1f} ms [{max(f['idle_p99']):.1f}]; "
              f"ratio max {ratio(median(f['max']), median(f['idle_max']))}, "
              f"p99 {ratio(median(f['p99']), median(f['idle_p99']))}")
    if "scroll" in figures:
        f = figures["scroll"]
        count = args.scroll_count
        text = median(f["text_p99"])
        print(f"  scroll a chat of {count} pictures bottom→top→bottom, {STEP_PX} px a tick "
              f"({f['ticks'][0]:.0f} ticks; target p99 < 16 ms), lateness p99 (max):")
        for name, words in (("first", "a new window, pictures never shown before (small copies being made)"),
                            ("again", "again, same window (every small copy made, in memory)"),
                            ("reopened", "a new window (small copies on disk, read while scrolling)")):
            print(f"    {words}: p99 {median(f[name + '_p99']):.1f} ms [{max(f[name + '_p99']):.1f}] "
                  f"(p50 {median(f[name + '_p50']):.1f}, max {median(f[name + '_max']):.1f} ms); "
                  f"{ratio(median(f[name + '_p99']), text)} of text's")
        print(f"    baseline, the same scroll over {count} text messages ({f['ticks'][1]:.0f} ticks): p99 "
              f"{text:.1f} ms [{max(f['text_p99']):.1f}] (p50 {median(f['text_p50']):.1f}, max "
              f"{median(f['text_max']):.1f} ms); again: p99 {median(f['text_again_p99']):.1f} ms "
              f"(p50 {median(f['text_again_p50']):.1f}, max {median(f['text_again_max']):.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--scroll-rounds", type=int, default=3, help="rounds of the scroll part (each takes a while)")
    parser.add_argument("--parts", default="open,receive,scroll")
    parser.add_argument("--scroll-count", type=int, default=200)
    parser.add_argument("--scroll-size", default="4000x3000", help="the pictures of the scrolled chat, WxH")
    parser.add_argument("--json", action="store_true", help="also print every figure as one JSON line")
    args = parser.parse_args()
    in_namespace()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
    from peers import free_udp_port
    from PySide6.QtWidgets import QApplication

    from lanchat.app import Options, Runtime
    from lanchat.transports.addresses import Target
    from lanchat.ui.theme import apply_theme

    app = QApplication(["lanchat-bench-pictures"])
    apply_theme(app)
    folder = Path(tempfile.mkdtemp(prefix="lanchat-bench-pictures-", dir=os.environ.get("LANCHAT_BENCH_DIR")))
    port = free_udp_port()
    parts = set(args.parts.split(","))

    def runtime(name: str, **extra) -> Runtime:
        started = Runtime(Options(profile=folder / name, name=name, port=0, presence_port=port,
                                  targets=(Target("127.255.255.255"),), only_targets=True,
                                  download_dir=folder / name / "downloads", **extra))
        started.start()
        return started

    print(f"lanchat pictures benchmark (QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}, loopback only, "
          f"{os.cpu_count()} CPUs, {args.rounds} rounds ({args.scroll_rounds} of scrolling), load at start "
          f"{os.getloadavg()[0]:.2f})", flush=True)

    def done(part: str, figures: dict[str, list[float]]) -> None:
        if args.json:
            print(json.dumps({part: {k: [round(v, 1) for v in values] for k, values in figures.items()}}))
        report({part: figures}, args)
        sys.stdout.flush()

    try:
        if "open" in parts:
            ana = runtime("ana")
            try:
                done("open", bench_open(args.rounds, folder, ana))
            finally:
                ana.stop()
        if "receive" in parts:
            done("receive", bench_receive(args.rounds, folder, runtime))
        if "scroll" in parts:
            width, height = (int(v) for v in args.scroll_size.lower().split("x"))
            done("scroll", bench_scroll(args.scroll_rounds, folder, runtime, args.scroll_count, (width, height)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"(load at the end {os.getloadavg()[0]:.2f})")
    app.quit()


if __name__ == "__main__":
    main()
