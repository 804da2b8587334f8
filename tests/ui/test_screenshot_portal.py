"""Screenshots through the desktop's screenshot portal (Wayland), against a real private D-Bus session bus."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from lanchat.ui.file_actions import FileActions
from lanchat.ui.screenshot import flow as flow_module
from lanchat.ui.screenshot.flow import ScreenshotFlow
from lanchat.ui.screenshot.portal import PortalScreenshot

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")

BUS_NAME = "lanchat-portal-test-bus"

#: A session bus that starts no service by itself: a real xdg-desktop-portal installed here stays out of it.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@pytest.fixture
def private_bus(tmp_path):
    """The address of a private session bus, and lanchat's connection to it."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed")
    config = tmp_path / "bus.conf"
    config.write_text(BUS_CONFIG)
    daemon = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    try:
        address = daemon.stdout.readline().strip()
        bus = QDBusConnection.connectToBus(address, BUS_NAME)
        assert bus.isConnected(), bus.lastError().message()
        yield address, bus
    finally:
        QDBusConnection.disconnectFromBus(BUS_NAME)
        daemon.terminate()
        daemon.wait(5)
        daemon.stdout.close()


@pytest.fixture
def start_portal(private_bus, tmp_path, qtbot):
    """Start the fake portal on the private bus: `start_portal(code, *flags)` → its output file."""
    address, _bus = private_bus
    fakes: list[subprocess.Popen] = []

    def start(code: int, *flags: str) -> Path:
        out = tmp_path / f"portal-{len(fakes)}.txt"
        env = {"PATH": "/usr/bin:/bin", "DBUS_SESSION_BUS_ADDRESS": address, "QT_QPA_PLATFORM": "offscreen"}
        with out.open("w") as sink:
            fakes.append(subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("fake_screenshot_portal.py")), str(code),
                 str(desktop_picture(tmp_path)), *flags], stdout=sink, env=env))
        qtbot.waitUntil(lambda: "READY" in out.read_text() or fakes[-1].poll() is not None, timeout=10_000)
        assert "READY" in out.read_text(), out.read_text()
        return out

    yield start
    for fake in fakes:
        fake.terminate()
        fake.wait(5)


def desktop_picture(folder: Path) -> Path:
    """The picture the portal hands over: 64×48 blue, one red pixel at (5, 7); a name with spaces, as a real one."""
    path = folder / "Screenshot from the portal.png"
    if not path.exists():
        image = QImage(64, 48, QImage.Format.Format_RGB32)
        image.fill(QColor("blue"))
        image.setPixelColor(5, 7, QColor("red"))
        assert image.save(str(path))
    return path


def calls(out: Path) -> list[dict]:
    return [json.loads(line[11:]) for line in out.read_text().splitlines() if line.startswith("SCREENSHOT ")]


def assert_is_the_desktop_picture(image: QImage) -> None:
    assert image.width() == 64 and image.height() == 48
    assert image.pixelColor(5, 7) == QColor("red")
    assert image.pixelColor(6, 7) == QColor("blue") and image.pixelColor(63, 47) == QColor("blue")


@pytest.mark.parametrize("flags", [(), ("--early",), ("--own-path",)],
                         ids=["after the reply", "before the reply", "on the portal's own request path"])
def test_the_portals_picture_arrives(private_bus, start_portal, qtbot, flags):
    """An interactive request with a token; the picture at results["uri"] comes as it was, however quick the
    portal is and whichever request path it chose."""
    _address, bus = private_bus
    out = start_portal(0, *flags)
    portal = PortalScreenshot(bus=bus)
    failed: list[str] = []
    portal.failed.connect(failed.append)
    with qtbot.waitSignal(portal.taken, timeout=5_000) as taken:
        assert portal.request()
    assert_is_the_desktop_picture(taken.args[0])
    assert not failed
    (call,) = calls(out)
    assert call["parent_window"] == "" and call["options"]["interactive"] is True
    token = call["options"]["handle_token"]
    assert token.startswith("lanchat") and token.isalnum()  # a token must be a valid D-Bus path element
    assert call["sender"] == bus.baseService()
    if not flags or flags == ("--early",):  # the path lanchat listened on is the one the portal made
        assert call["path"] == f"/org/freedesktop/portal/desktop/request/{bus.baseService()[1:].replace('.', '_')}" \
                               f"/{token}"


def test_the_person_cancels(private_bus, start_portal, qtbot):
    _address, bus = private_bus
    start_portal(1)
    portal = PortalScreenshot(bus=bus)
    portal.taken.connect(lambda _image: pytest.fail("a cancelled screenshot gave a picture"))
    with qtbot.waitSignal(portal.failed, timeout=5_000) as failed:
        assert portal.request()
    assert failed.args == [""]  # nothing to tell the person: they chose to


def test_the_portal_fails(private_bus, start_portal, qtbot):
    _address, bus = private_bus
    start_portal(2)
    portal = PortalScreenshot(bus=bus)
    with qtbot.waitSignal(portal.failed, timeout=5_000) as failed:
        assert portal.request()
    assert failed.args[0] == "The desktop's screenshot portal gave no picture."


def test_a_bus_without_a_portal_says_so(private_bus, qtbot):
    _address, bus = private_bus
    portal = PortalScreenshot(bus=bus)
    assert not portal.available()
    with qtbot.waitSignal(portal.failed, timeout=1_000) as failed:
        assert not portal.request()
    assert "no screenshot portal" in failed.args[0]


@pytest.mark.parametrize("hide_window", [False, True])
def test_where_no_program_may_grab_the_screen_the_portals_picture_is_marked_up(
        private_bus, start_portal, qtbot, monkeypatch, hide_window):
    """The offscreen platform may not grab the screen, so the flow asks the portal, and the markup window
    opens on the portal's picture (with lanchat's window back if it was hidden for the shot)."""
    _address, bus = private_bus
    start_portal(0)
    monkeypatch.setattr(flow_module, "PortalScreenshot", functools.partial(PortalScreenshot, bus=bus))
    monkeypatch.setattr(flow_module, "HIDE_MS", 10)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    flow = ScreenshotFlow(window, FileActions(None, window), "Ana", hide_window)
    problems: list[str] = []
    flow.problem.connect(problems.append)
    flow.start()
    assert window.isVisible() != hide_window
    qtbot.waitUntil(lambda: flow.markup is not None and flow.markup.isVisible(), timeout=5_000)
    assert_is_the_desktop_picture(flow.markup.canvas.image())
    assert flow.markup.send_button.text() == "Send to Ana"
    assert window.isVisible() and not problems
    with qtbot.waitSignal(flow.finished, timeout=5_000):
        flow.markup.cancel_button.click()


def test_when_the_person_cancels_the_portal_the_flow_ends_quietly(private_bus, start_portal, qtbot, monkeypatch):
    _address, bus = private_bus
    start_portal(1)
    monkeypatch.setattr(flow_module, "PortalScreenshot", functools.partial(PortalScreenshot, bus=bus))
    window = QWidget()
    qtbot.addWidget(window)
    flow = ScreenshotFlow(window, FileActions(None, window), None, False)
    problems: list[str] = []
    flow.problem.connect(problems.append)
    with qtbot.waitSignal(flow.finished, timeout=5_000):
        flow.start()
    assert flow.markup is None and not problems

