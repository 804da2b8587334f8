"""Shared test set-up: offscreen Qt, and no unexpected warnings."""

from __future__ import annotations

import logging
import os

# Must happen before any QApplication exists: without a display Qt aborts.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import dataclasses  # noqa: E402
import gc  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))  # the helpers in tests/peers.py


class _FailOnWarning(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_warning_log(request: pytest.FixtureRequest):
    """Fail a test that logs a WARNING (or worse) it did not declare.

    Declare expected ones with `@pytest.mark.allow_warnings`, or use the
    `caplog`-style `expected_warnings` list this fixture yields.
    """
    handler = _FailOnWarning()
    root = logging.getLogger("lanchat")
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
    if request.node.get_closest_marker("allow_warnings"):
        return
    unexpected = [r for r in handler.records if r.levelno >= logging.WARNING]
    if unexpected:
        lines = "\n".join(f"{r.name}: {r.getMessage()}" for r in unexpected)
        pytest.fail(f"unexpected warnings were logged:\n{lines}", pytrace=False)


@pytest.fixture
def presence_port() -> int:
    """A presence port of this test's own, so tests never meet a real lanchat."""
    from peers import free_udp_port

    return free_udp_port()


@pytest.fixture
def make_runtime(qapp, tmp_path, presence_port):
    """Start in-process lanchat peers on loopback; all are stopped after the test."""
    from lanchat.app import Options, Runtime
    from lanchat.transports.addresses import Target

    runtimes = []

    def make(name: str, clock=None, **overrides):
        """`overrides` replace Options fields; `clock` (a FakeClock) drives the runtime's timeouts."""
        options = Options(
            profile=tmp_path / name, name=name, port=0, presence_port=presence_port,
            targets=(Target("127.255.255.255"),), only_targets=True,
            download_dir=tmp_path / name / "downloads",
        )
        for key, value in overrides.items():
            options = dataclasses.replace(options, **{key: value})
        runtime = Runtime(options) if clock is None else Runtime(options, clock)
        runtime.start()
        runtimes.append(runtime)
        return runtime

    yield make
    for runtime in runtimes:
        runtime.stop()
    # Free the runtimes' Qt objects here, on the GUI thread: left to the cycle
    # collector they could be freed on a worker thread, which Qt does not allow.
    runtimes.clear()
    gc.collect()


@pytest.fixture
def raw_identity(tmp_path):
    """An identity for clients that speak the protocol from raw bytes (tests/rawpeer.py)."""
    from lanchat.identity import load_or_create

    return load_or_create(tmp_path / "raw-client")


@pytest.fixture(autouse=True)
def qt_tidy_after(request: pytest.FixtureRequest):
    """After each test that used Qt: free what it left on the GUI thread, and empty the clipboard.

    Left to the cycle collector, a test's Qt objects could be freed on a worker
    thread of a later test (Qt warns: timers cannot be stopped from another
    thread). With the offscreen platform, mime data left on the clipboard
    makes the interpreter crash on exit (a platform plugin quirk, not lanchat's).
    """
    yield
    if "qapp" in request.fixturenames or "qtbot" in request.fixturenames:
        from PySide6.QtGui import QGuiApplication

        gc.collect()
        if QGuiApplication.instance() is not None:
            QGuiApplication.clipboard().clear()
