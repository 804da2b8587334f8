"""A screenshot under a real X server (Xvfb): the screen is grabbed, a region selected and marked up, and sent."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "x11" / "capture_and_send.py"


def test_a_region_of_the_real_screen_is_captured_marked_up_and_arrives(tmp_path, presence_port):
    if shutil.which("xvfb-run") is None:
        raise AssertionError("xvfb-run is missing: `make test` installs it (packaging/system-deps.sh test)")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="xcb", PYTHONPATH=str(Path(__file__).parents[2]))
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, str(SCRIPT), str(tmp_path),
         str(presence_port)], capture_output=True, text=True, timeout=120, env=env,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no result; stderr: {done.stderr[-2000:]}"
    result = json.loads(lines[-1])
    assert result["ok"], result
    assert (result["width"], result["height"]) == (320, 180)  # exactly the region dragged over
    assert result["name"].startswith("Screenshot ") and result["name"].endswith(".png")
    assert result["inside"] == "#00c000"  # the green box of the screen
    assert result["mark"] == "#e53935"  # the rectangle drawn on it
    assert not result["magenta"]  # lanchat's own window was out of the way
    assert result["window_was_visible"]  # and came back
