"""Fixtures for the browser share: a real lanchat runtime (real SQLite, download folder, Qt loop) and a page client."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # pageclient.py

from lanchat.app import Options, Runtime  # noqa: E402
from lanchat.clock import FakeClock  # noqa: E402
from lanchat.core.transfers.policy import AcceptMode  # noqa: E402
from lanchat.transports.addresses import Target  # noqa: E402


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def runtime_with(qapp, tmp_path, presence_port, clock):
    """`runtime_with(accept)`: a started lanchat on loopback whose clock the test moves; stopped after the test."""
    runtimes: list[Runtime] = []

    def make(accept: AcceptMode = AcceptMode.ASK) -> Runtime:
        options = Options(profile=tmp_path / "alice", name="Alice", port=0, presence_port=presence_port,
                          targets=(Target("127.255.255.255"),), only_targets=True,
                          download_dir=tmp_path / "downloads", accept=accept)
        runtime = Runtime(options, clock)
        runtime.start()
        runtimes.append(runtime)
        return runtime

    yield make
    for runtime in runtimes:
        runtime.stop()
    runtimes.clear()
    gc.collect()


def loopback(url: str) -> str:
    """A share's link on this host (tests run in a namespace with loopback only, so that is its address)."""
    assert "://127.0.0.1:" in url, url
    return url
