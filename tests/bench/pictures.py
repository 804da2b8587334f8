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
  in-process peer, until its card shows the picture. Baseline: the same
  window idle for as long.
- Scroll: a chat of 200 pictures (history of an earlier run) scrolled from
  bottom to top and back in 40 px steps, one step per timer tick. Baseline:
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
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.samples.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now

    def start(self) -> None:
        """Start ticking, and return once the timer runs steadily (so a stall right after is measured)."""
        self.samples, self._last = [], 0.0
        self._timer.start()
        spin_until(lambda: len(self.samples) >= 3)
        self.samples.clear()

    def stop(self) -> list[float]:
        self._timer.stop()
        return self.samples


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


def bench_open(rounds: int, folder: Path, runtime) -> dict[str, float]:
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
        "open_ms": statistics.median(t for t, _ in ours),
        "open_lateness_max_ms": max(late for _, late in ours),
        "baseline_open_ms": statistics.median(t for t, _ in old),
        "baseline_lateness_max_ms": max(late for _, late in old),
    }


# --- main -----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    in_namespace()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
    from peers import free_udp_port
    from PySide6.QtWidgets import QApplication

    from lanchat.app import Options, Runtime
    from lanchat.transports.addresses import Target

    app = QApplication(["lanchat-bench-pictures"])
    folder = Path(tempfile.mkdtemp(prefix="lanchat-bench-pictures-"))
    port = free_udp_port()

    def runtime(name: str, **extra) -> Runtime:
        started = Runtime(Options(profile=folder / name, name=name, port=0, presence_port=port,
                                  targets=(Target("127.255.255.255"),), only_targets=True,
                                  download_dir=folder / name / "downloads", **extra))
        started.start()
        return started

    ana = runtime("ana")
    try:
        figures = bench_open(args.rounds, folder, ana)
    finally:
        ana.stop()
        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()[0]
    print(json.dumps({**{k: round(v, 1) for k, v in figures.items()}, "load": round(load, 2)}))
    print(f"open a 12 MP photo: {figures['open_ms']:.0f} ms to fitted (max lateness "
          f"{figures['open_lateness_max_ms']:.0f} ms); v0.1's way {figures['baseline_open_ms']:.0f} ms "
          f"(max lateness {figures['baseline_lateness_max_ms']:.0f} ms); ratio "
          f"{figures['baseline_open_ms'] / figures['open_ms']:.1f}x faster")
    app.quit()


if __name__ == "__main__":
    main()
