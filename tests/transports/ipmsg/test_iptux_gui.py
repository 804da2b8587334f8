"""lanchat and the real iptux GUI (0.8.3, under Xvfb), each in a namespace of the test's own LAN.

The GUI opens a chat window titled after the pal a message came from: its
title shows that iptux lists lanchat under lanchat's name and address.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from netlab import LAN, can_make_namespaces
from peers import HeadlessPeer, JsonLinesProcess

pytestmark = pytest.mark.namespaces


@pytest.fixture
def lan():
    reason = can_make_namespaces()
    if reason:
        pytest.skip(reason)
    for tool in ("iptux", "xvfb-run", "xwininfo"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: `make test` installs it (packaging/system-deps.sh test)")
    network = LAN(2)
    yield network
    network.remove()


def start_gui(lan: LAN, home: Path) -> tuple[JsonLinesProcess, Path]:
    (home / ".iptux").mkdir(parents=True)
    (home / ".iptux" / "config.json").write_text(json.dumps({
        "nick_name": "班长 GUI", "belong_group": "三班", "archive_path": str(home / "Downloads"), "open_chat": True,
    }), encoding="utf-8")
    display = home / "display"
    script = ('printf \'{"event":"ready","display":"%s","xauthority":"%s"}\\n\' "$DISPLAY" "$XAUTHORITY"; '
              'exec iptux')
    gui = JsonLinesProcess([*lan.prefix(1), "env", f"HOME={home}", "NO_AT_BRIDGE=1",  # no at-spi D-Bus daemon
                            "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "sh", "-c", script])
    ready = gui.wait_for(lambda e: e["event"] == "ready", timeout=20)
    display.write_text(json.dumps(ready))
    return gui, display


def window_titles(lan: LAN, display: Path) -> str:
    screen = json.loads(display.read_text())
    result = subprocess.run(
        [*lan.prefix(1), "env", f"DISPLAY={screen['display']}", f"XAUTHORITY={screen['xauthority']}",
         "xwininfo", "-root", "-tree"], capture_output=True, text=True, timeout=10,
    )
    return result.stdout


def test_the_iptux_gui_and_lanchat_list_each_other(lan, tmp_path):
    gui, display = start_gui(lan, tmp_path / "home")
    lanchat = HeadlessPeer(tmp_path / "lanchat", "小明", 0, "--protocols", "lanchat,ipmsg",
                           prefix=lan.prefix(0), loopback_only=False)
    try:
        contact = lanchat.wait_for(lambda e: e["event"] == "peer" and e["id"] == f"ipmsg:{lan.addresses[1]}",
                                   timeout=30)
        assert (contact["name"], contact["group"]) == ("班长 GUI", "三班")
        lanchat.command(cmd="send", id="1", to=contact["id"], text="你好，班长")
        assert lanchat.wait_for(lambda e: e["event"] in ("delivered", "failed"), timeout=15)["event"] == "delivered"
        title = f"Talk with 小明(vm) IP:{lan.addresses[0]}"
        titles = ""
        for _ in range(50):
            titles = window_titles(lan, display)
            if "Talk with 小明(" in titles:
                break
        assert "Talk with 小明(" in titles and f"IP:{lan.addresses[0]}" in titles, title
    finally:
        lanchat.stop()
        gui.stop()
