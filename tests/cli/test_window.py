"""The window's control socket: one instance per profile, `raise`, and `--smoke-test`."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from lanchat.cli.window import DesktopControl, ask_running_to_raise


def test_a_second_start_raises_the_running_window(make_runtime, qtbot):
    ana = make_runtime("ana")
    control = DesktopControl(ana)
    raised: list[bool] = []
    control.raise_requested.connect(lambda: raised.append(True))
    control.start()
    try:
        result: list[bool] = []
        thread = threading.Thread(target=lambda: result.append(ask_running_to_raise(ana.options.profile)))
        thread.start()
        qtbot.waitUntil(lambda: bool(raised) and bool(result), timeout=5000)
        thread.join(5)
        assert result == [True]
    finally:
        control.stop()
    assert not ask_running_to_raise(ana.options.profile)


def test_smoke_test_exits_0(tmp_path, presence_port):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "lanchat", "--smoke-test", "--profile", str(tmp_path / "p"), "--name", "smoke",
         "--port", "0", "--presence-port", str(presence_port), "--only-targets", "--target", "127.255.255.255"],
        env=env, capture_output=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
