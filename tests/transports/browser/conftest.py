"""Fixtures for the browser share: a real lanchat runtime (real SQLite, download folder, Qt loop) and a page client."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # pageclient.py

from lanchat.app import Runtime  # noqa: E402
from lanchat.clock import FakeClock  # noqa: E402
from lanchat.core.transfers.policy import AcceptMode  # noqa: E402


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def runtime_with(make_runtime, tmp_path, clock):
    """`runtime_with(accept)`: a started lanchat on loopback whose clock the test moves; stopped after the test."""

    def make(accept: AcceptMode = AcceptMode.ASK) -> Runtime:
        return make_runtime("Alice", clock=clock, profile=tmp_path / "alice", download_dir=tmp_path / "downloads",
                            accept=accept)

    return make


def loopback(url: str) -> str:
    """A share's link on this host (tests run in a namespace with loopback only, so that is its address)."""
    assert "://127.0.0.1:" in url, url
    return url
