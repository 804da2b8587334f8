"""Issue 16, item 15: notices go to the desktop's notification service when there is one, and always expire."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection

from lanchat.ui import notifications
from lanchat.ui.notifications import Notifier


class FakeBalloon:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str, int]] = []
        self.hidden = 0

    def show_message(self, title: str, text: str, ms: int) -> bool:
        self.shown.append((title, text, ms))
        return True

    def hide_message(self) -> None:
        self.hidden += 1


def no_bus() -> QDBusConnection:
    return QDBusConnection.connectToBus("unix:path=/nonexistent/lanchat-test-bus", "lanchat-no-bus")


def test_without_a_notification_service_the_balloon_is_taken_down(qtbot, monkeypatch):
    monkeypatch.setattr(notifications, "NOTICE_MS", 50)
    balloon = FakeBalloon()
    notifier = Notifier(balloon, no_bus())
    assert not notifier.uses_desktop
    for text in ("one", "two", "three"):  # three offline messages at once
        notifier.notify("ben", text, "chat")
    assert balloon.shown[-1] == ("3 new messages", "The newest: three", 50)
    qtbot.waitUntil(lambda: balloon.hidden >= 1, timeout=2000)


@pytest.fixture
def session_bus(tmp_path):
    """A private session bus with the fake notification service on it."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    address = daemon.stdout.readline().strip()
    out = tmp_path / "notices.txt"
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address)
    with out.open("w") as sink:
        fake = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fake_notifications.py"))],
                                stdout=sink, env=env)
    try:
        yield address, out
    finally:
        fake.terminate()
        fake.wait(5)
        daemon.terminate()
        daemon.wait(5)
        QDBusConnection.disconnectFromBus("lanchat-test-bus")


def notices(out: Path) -> list[dict]:
    return [json.loads(line[7:]) for line in out.read_text().splitlines() if line.startswith("NOTIFY ")]


def test_the_desktop_service_gets_one_expiring_notice_that_replaces_the_last(session_bus, qtbot):
    address, out = session_bus
    qtbot.waitUntil(lambda: "READY" in out.read_text(), timeout=10_000)
    bus = QDBusConnection.connectToBus(address, "lanchat-test-bus")
    balloon = FakeBalloon()
    notifier = Notifier(balloon, bus)
    assert notifier.uses_desktop
    notifier.notify("小红", "你好", "chat-1")
    notifier.notify("小红", "在吗？", "chat-1")
    qtbot.waitUntil(lambda: len(notices(out)) == 2, timeout=5000)
    first, second = notices(out)
    assert first["app"] == "lanchat" and first["summary"] == "小红" and first["body"] == "你好"
    assert first["timeout"] == notifications.NOTICE_MS > 0  # never "until dismissed"
    assert second["replaces"] == first["id"] and second["summary"] == "2 new messages"
    assert not balloon.shown
