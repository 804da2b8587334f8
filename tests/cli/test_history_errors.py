"""A history that cannot be written (a full disk) or was emptied is said where scripts look, and loses nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from peers import HeadlessPeer

FULL_AT = 512 * 1024  # bytes any one file of the receiver may reach before "the disk is full"


def test_a_full_disk_gives_history_error_events_and_unsaved_messages_are_not_acked(tmp_path, presence_port):
    ben = HeadlessPeer(tmp_path / "ben", "ben", presence_port)
    # Ana's files stop growing at FULL_AT bytes (RLIMIT_FSIZE: writes fail like on a full disk).
    ana = HeadlessPeer(tmp_path / "ana", "ana", presence_port, prefix=("prlimit", f"--fsize={FULL_AT}:unlimited", "--"))
    try:
        ben.wait_for(lambda e: e["event"] == "peer" and e["id"] == ana.id and e["status"] == "online")
        sent: list[str] = []
        for i in range(60):
            ben.command(cmd="send", id=f"c{i}", to=ana.id, text=f"{i:02d} " + "x" * 30_000)
            sent.append(ben.wait_for(lambda e, i=i: e["event"] == "result" and e["id"] == f"c{i}")["mid"])
            if any(e["event"] == "error" and e["code"] == "history-error" for e in ana.drain()):
                break
        error = ana.wait_for(lambda e: e["event"] == "error" and e["code"] == "history-error")
        assert error["peer"] is None and "history" in error["message"]
        events = ana.drain()
        assert sum(e["event"] == "error" and e["code"] == "history-error" for e in events) == 1  # not a flood

        # What Ana acknowledged she has saved; what she did not, Ben still holds.
        ben.drain()
        delivered = {e["mid"] for e in ben.seen if e["event"] == "delivered"}
        assert sent[-1] not in delivered
        assert delivered <= {e["mid"] for e in events if e["event"] == "message"}

        # Space is freed and Ana starts again: every message arrives, none twice.
        subprocess.run(["prlimit", "--pid", str(ana.process.pid), "--fsize=unlimited:unlimited"], check=True)
        ana.command(cmd="quit", id="q")
        assert ana.process.wait(10) == 0
        ana = HeadlessPeer(tmp_path / "ana", "ana", presence_port)
        for mid in sent:
            ben.wait_for(lambda e, mid=mid: e["event"] == "delivered" and e["mid"] == mid, timeout=30)
        exported = subprocess.run(
            [sys.executable, "-m", "lanchat", "history", "--profile", str(tmp_path / "ana"), "--with", ben.id,
             "--format", "json"], capture_output=True, text=True, check=True, env=dict(os.environ),
        )
        assert sorted(entry["mid"] for entry in json.loads(exported.stdout)) == sorted(sent)
    finally:
        ana.stop()
        ben.stop()


def test_an_empty_history_file_is_said_not_silently_started_anew(tmp_path, presence_port):
    (tmp_path / "ana").mkdir()
    (tmp_path / "ana" / "history.sqlite3").touch()
    ana = HeadlessPeer(tmp_path / "ana", "ana", presence_port)
    try:
        error = ana.wait_for(lambda e: e["event"] == "error" and e["code"] == "history-error")
        assert "empty file" in error["message"]
    finally:
        ana.stop()
