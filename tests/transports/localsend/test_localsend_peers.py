"""lanchat and the real LocalSend tools (localsendd 0.1.1, localsend-cli 0.1.1) on a LAN of namespaces.

Each test builds its own bridge and hosts (tests/netlab.py, subnets 160-179):
the tools multicast to 224.0.0.167 and must never run outside them. Needs
root, openssl and the tools (`make test` installs them).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from netlab import LAN, can_make_namespaces
from peers import HeadlessPeer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "localsend_peers"))
import localsend as ls  # noqa: E402

pytestmark = pytest.mark.namespaces
MIB = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(MIB):
            digest.update(block)
    return digest.hexdigest()


@pytest.fixture(scope="module", autouse=True)
def tools() -> None:
    reason = can_make_namespaces() or ls.missing_tools()
    if reason:
        pytest.skip(reason)


def start_lanchat(lan: LAN, profile: Path, *extra: str, host: int = 0) -> HeadlessPeer:
    return HeadlessPeer(profile, "小明", 0, "--protocols", "lanchat,localsend", *extra,
                        prefix=lan.prefix(host), loopback_only=False)


def device(peer: HeadlessPeer, address: str, timeout: float = 20) -> dict:
    return peer.wait_for(lambda e: e["event"] == "peer" and e.get("protocol") == "localsend"
                         and e["address"] == address and e["status"] == "online", timeout=timeout)


def transfer_end(lanchat: HeadlessPeer, direction: str, timeout: float = 60, **match: object) -> dict:
    final = ("done", "failed", "rejected", "cancelled")
    return lanchat.wait_for(lambda e: e["event"] == "transfer" and e["direction"] == direction
                         and e["state"] in final and all(e.get(k) == v for k, v in match.items()), timeout=timeout)


def ctl(daemon: ls.LocalsendDaemon, *args: str, timeout: float = 60) -> ls.Finished:
    """localsendctl against this daemon's control socket (inside its namespace)."""
    return ls.run_measured([*daemon.prefix, ls.tool("localsendctl"), "--socket", str(daemon.socket_path), *args],
                           timeout=timeout)


def one_shot(lan: LAN, profile: Path, *args: str, host: int = 0) -> subprocess.CompletedProcess[str]:
    """`lanchat send ...` in host `host`: delivers once and exits (docs/cli.md exit codes)."""
    return subprocess.run([*lan.prefix(host), sys.executable, "-m", "lanchat", "send", "--profile", str(profile),
                           *args, "--timeout", "20"], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))


def random_file(path: Path, size: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(size))
    return path


def test_they_find_each_other(tmp_path):
    lan = LAN(3, subnet=162)
    try:
        with ls.LocalsendDaemon(lan.prefix(1), "daemon", tmp_path / "dl", tmp_path / "d") as daemon:
            lanchat = start_lanchat(lan, tmp_path / "lc")
            try:
                contact = device(lanchat, lan.addresses[1])
                assert contact["id"] == f"localsend:{daemon.fingerprint}" and contact["name"] == "daemon"
                found = {d["ip"]: d for d in ls.cli_scan(lan.prefix(2), timeout=3)}
                assert found[lan.addresses[0]]["alias"] == "小明" and found[lan.addresses[0]]["model"] == "lanchat"
                assert lan.addresses[1] in found
                listed = json.loads(ctl(daemon, "devices", "--json").stdout)
                # It keys a device it learnt from our register call by its dual-stack form, ::ffff:10.x.
                ours = [d for d in listed if d["ip"].removeprefix("::ffff:") == lan.addresses[0]]
                assert ours and ours[0]["fingerprint"] == lanchat.id.upper()  # upper case: localsendd pins it so
                assert ours[0]["deviceModel"] == "lanchat" and ours[0]["protocol"] == "https"
                info = ls.probe_info(lan.addresses[0], fingerprint=lanchat.id, prefix=lan.prefix(1))
                assert info["fingerprint"] == lanchat.id.upper() and info["info"]["alias"] == "小明"
            finally:
                lanchat.stop()
    finally:
        lan.remove()


def test_files_from_localsend_cli_and_localsendd_arrive_whole(tmp_path):
    lan = LAN(3, subnet=163)
    big = random_file(tmp_path / "src" / "twenty.bin", 20 * MIB)
    try:
        with ls.LocalsendDaemon(lan.prefix(2), "daemon", tmp_path / "dl", tmp_path / "d") as daemon:
            lanchat = start_lanchat(lan, tmp_path / "lc", "--accept", "auto")
            try:
                device(lanchat, lan.addresses[2])
                sent = ls.cli_send(lan.prefix(1), lan.addresses[0], [big], timeout=60)
                assert sent.ok, sent.describe()
                done = transfer_end(lanchat, "in")
                assert done["state"] == "done" and done["files"][0]["sha256"] == sha256_of(big)
                assert sha256_of(Path(done["files"][0]["saved_as"])) == sha256_of(big)

                result = ctl(daemon, "send", str(big), "--to", lan.addresses[0], "--wait", "--quiet")
                assert result.returncode == 0 and "sent" in result.stdout, result.stdout + result.stderr
                done = transfer_end(lanchat, "in", peer=f"localsend:{daemon.fingerprint}")
                saved = Path(done["files"][0]["saved_as"])
                assert done["state"] == "done" and saved.name == "twenty (1).bin"  # never overwritten
                assert sha256_of(saved) == sha256_of(big)
            finally:
                lanchat.stop()
    finally:
        lan.remove()


def test_a_chinese_name_and_text_go_out_and_the_apps_text_comes_in(tmp_path):
    lan = LAN(3, subnet=164)
    source = random_file(tmp_path / "src" / "中文文件名 照片.bin", 3 * MIB)
    try:
        with ls.LocalsendDaemon(lan.prefix(1), "daemon", tmp_path / "dl", tmp_path / "d") as daemon, \
                ls.cli_receive(lan.prefix(2), tmp_path / "cli-in") as receiver:
            lanchat = start_lanchat(lan, tmp_path / "lc")
            try:
                daemon_id = device(lanchat, lan.addresses[1])["id"]
                lanchat.command(cmd="offer", id="o", to=daemon_id.lower(), paths=[str(source)])  # any case
                assert lanchat.wait_for(lambda e: e["event"] == "result" and e["id"] == "o")["ok"]
                done = transfer_end(lanchat, "out")
                assert done["state"] == "done", done
                arrived = daemon.wait_for_file(source.name, source.stat().st_size)
                assert sha256_of(arrived) == sha256_of(source)
                album = tmp_path / "src" / "相册"
                inner = [random_file(album / "一.bin", 1000), random_file(album / "子" / "二.bin", 2000)]
                lanchat.command(cmd="offer", id="f", to=daemon_id, paths=[str(album)])
                folder = lanchat.wait_for(lambda e: e["event"] == "result" and e["id"] == "f")
                sent_paths = [f["path"] for f in transfer_end(lanchat, "out", tid=folder["tid"])["files"]]
                assert sorted(sent_paths) == ["相册/一.bin", "相册/子/二.bin"]  # fileName carries the folders
                for source_file in inner:  # localsendd keeps only the last component
                    assert sha256_of(daemon.wait_for_file(source_file.name)) == sha256_of(source_file)

                cli_id = device(lanchat, lan.addresses[2])["id"]
                lanchat.command(cmd="send", id="t", to=cli_id, text="你好 LocalSend ✓")
                delivered = lanchat.wait_for(lambda e: e["event"] in ("delivered", "failed"), timeout=20)
                assert delivered["event"] == "delivered" and delivered["to"] == cli_id
                assert receiver.wait_for("text", 10)["text"] == "你好 LocalSend ✓"  # shown as text, not a file

                status = ls.send_text_like_the_app(lan.addresses[0], 53317, lanchat.id, "from the phone 📱",
                                                   "phone", chunked=True, prefix=lan.prefix(2))
                assert status == 204  # a message: stored and answered, never waiting for a decision
                message = lanchat.wait_for(lambda e: e["event"] == "message", timeout=10)
                assert message["text"] == "from the phone 📱" and message["from"].startswith("localsend:")
                assert not any(e["event"] == "transfer" and e["direction"] == "in" for e in lanchat.drain())
            finally:
                lanchat.stop()
    finally:
        lan.remove()


def test_pins_both_ways(tmp_path, qapp):
    from lanchat.core.settings import Settings

    lan = LAN(2, subnet=165)
    source = random_file(tmp_path / "src" / "secret.bin", 200_000)
    profile = tmp_path / "lc"
    profile.mkdir()
    Settings(profile).localsend_pin = "1234"
    try:
        with ls.LocalsendDaemon(lan.prefix(1), "daemon", tmp_path / "dl", tmp_path / "d", pin="4321") as daemon:
            lanchat = start_lanchat(lan, profile, "--accept", "auto")
            try:
                daemon_id = device(lanchat, lan.addresses[1])["id"]
                lanchat.command(cmd="offer", id="wrong", to=daemon_id, paths=[str(source)], pin="0000")
                rejected = transfer_end(lanchat, "out")
                assert rejected["state"] == "rejected" and rejected["reason"] == "pin-required"
                assert daemon.received_files() == []  # nothing saved
                lanchat.command(cmd="offer", id="right", to=daemon_id, paths=[str(source)], pin="4321")
                tid = lanchat.wait_for(lambda e: e["event"] == "result" and e["id"] == "right")["tid"]
                assert transfer_end(lanchat, "out", tid=tid)["state"] == "done"
                assert sha256_of(daemon.wait_for_file("secret.bin", 200_000)) == sha256_of(source)

                files = {"note.txt": b"pinned"}
                send = ls.send_files_raw
                fp, address = lanchat.id, lan.addresses[0]
                assert send(address, 53317, fp, files, "phone", prefix=lan.prefix(1))["status"] == 401
                answer = send(address, 53317, fp, files, "phone", pin="1234", prefix=lan.prefix(1))
                assert answer["status"] == 200 and answer["uploads"] == [200]
                assert transfer_end(lanchat, "in")["state"] == "done"
                statuses = [send(address, 53317, fp, files, "phone", pin="9999", prefix=lan.prefix(1))["status"]
                            for _ in range(4)]
                assert statuses == [401, 401, 401, 429]  # 3 wrong PINs a minute from one address
                assert send(address, 53317, fp, files, "phone", pin="1234", prefix=lan.prefix(1))["status"] == 429
            finally:
                lanchat.stop()
            to = ("--to", f"localsend:{daemon.fingerprint.lower()}", "--file", str(source))  # any case
            wrong = one_shot(lan, tmp_path / "one", *to, "--pin", "0000")
            assert wrong.returncode == 1 and "pin-required" in wrong.stderr
            right = one_shot(lan, tmp_path / "one", *to, "--pin", "4321")  # --pin turns LocalSend on
            assert right.returncode == 0, right.stderr[-2000:]
    finally:
        lan.remove()


def test_a_senders_cancel_mid_upload_leaves_no_file(tmp_path):
    lan = LAN(2, subnet=166)
    try:
        lanchat = start_lanchat(lan, tmp_path / "lc", "--accept", "auto")
        try:
            data = os.urandom(8 * MIB)
            answer = ls.send_files_raw(lan.addresses[0], 53317, lanchat.id, {"album/cut.bin": data}, "phone",
                                       cut_after=2 * MIB, prefix=lan.prefix(1))
            assert answer["status"] == 200 and answer["cancel"] == 200
            ended = transfer_end(lanchat, "in")
            assert ended["state"] == "cancelled" and ended["files"][0]["saved_as"] is None
            downloads = tmp_path / "lc" / "downloads"
            visible = [p for p in downloads.rglob("*") if p.is_file() and ".lanchat-partial" not in p.parts]
            assert visible == []
            assert not [p for p in (downloads / ".lanchat-partial").rglob("*") if p.is_file()]

            answer = ls.send_files_raw(lan.addresses[0], 53317, lanchat.id, {"album/whole.bin": data}, "phone",
                                       prefix=lan.prefix(1))
            assert answer["uploads"] == [200]  # the address is free for the next session
            done = transfer_end(lanchat, "in", state="done")
            assert Path(done["files"][0]["saved_as"]) == downloads / "album" / "whole.bin"  # folders kept
        finally:
            lanchat.stop()
    finally:
        lan.remove()


def test_a_taken_port_turns_the_network_off_and_only_targets_keeps_to_them(tmp_path):
    lan = LAN(3, subnet=167)
    try:
        holder = lan.popen(0, [sys.executable, "-c", (
            "import socket,sys,time;s=socket.socket();s.bind(('0.0.0.0',53317));s.listen();"
            "print('held',flush=True);time.sleep(60)")], stdout=subprocess.PIPE)
        try:
            assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
            lanchat = start_lanchat(lan, tmp_path / "busy")
            try:
                off = lanchat.wait_for(lambda e: e["event"] == "error" and e["code"] == "network-off", timeout=10)
                assert "53317" in off["message"] and off["peer"] is None
            finally:
                lanchat.stop()
        finally:
            holder.kill()
            holder.wait()

        with ls.LocalsendDaemon(lan.prefix(1), "chosen", tmp_path / "dl1", tmp_path / "d1"), \
                ls.LocalsendDaemon(lan.prefix(2), "other", tmp_path / "dl2", tmp_path / "d2") as other:
            lanchat = start_lanchat(lan, tmp_path / "lc", "--only-targets", "--peer", lan.addresses[1])
            try:
                assert device(lanchat, lan.addresses[1])["name"] == "chosen"
                found = {d["ip"] for d in ls.cli_scan(lan.prefix(2), timeout=3)}
                assert lan.addresses[0] not in found  # it answers nobody else
                listed = json.loads(ctl(other, "devices", "--json").stdout)
                assert lan.addresses[0] not in {d["ip"].removeprefix("::ffff:") for d in listed}  # never multicast
                assert not [e for e in lanchat.drain() if e["event"] == "peer" and e["address"] == lan.addresses[2]]
            finally:
                lanchat.stop()
    finally:
        lan.remove()


def test_a_certificate_that_is_not_the_announced_one_fails(tmp_path):
    lan = LAN(2, subnet=168)
    try:
        with ls.LocalsendDaemon(lan.prefix(1), "real", tmp_path / "dl", tmp_path / "d"):
            lanchat = start_lanchat(lan, tmp_path / "lc", "--only-targets", "--peer", lan.addresses[1])
            try:
                device(lanchat, lan.addresses[1])
                fake = "AB" * 32
                claim = json.dumps({"alias": "impostor", "version": "2.2", "fingerprint": fake, "port": 53317,
                                    "protocol": "https", "announce": False})
                subprocess.run([*lan.prefix(1), sys.executable, "-c",
                                "import socket,sys;socket.socket(socket.AF_INET,socket.SOCK_DGRAM).sendto("
                                f"sys.argv[1].encode(),({lan.addresses[0]!r},53317))", claim], check=True)
                impostor = lanchat.wait_for(lambda e: e["event"] == "peer" and e["id"] == f"localsend:{fake}")
                lanchat.command(cmd="send", id="t", to=impostor["id"], text="who are you?")
                failed = lanchat.wait_for(lambda e: e["event"] in ("delivered", "failed"), timeout=20)
                assert failed["event"] == "failed" and failed["reason"] == "cert-mismatch"
            finally:
                lanchat.stop()
            source = random_file(tmp_path / "src" / "x.bin", 1000)
            sent = one_shot(lan, tmp_path / "one", "--protocols", "localsend", "--only-targets", "--peer",
                            lan.addresses[1], "--to", f"localsend:{lan.addresses[1]}", "--file", str(source))
            assert sent.returncode == 0, sent.stderr[-2000:]  # `localsend:<IPv4>`: a device not seen yet
    finally:
        lan.remove()


def test_ask_holds_the_request_until_a_person_decides(tmp_path):
    lan = LAN(2, subnet=169)
    try:
        lanchat = start_lanchat(lan, tmp_path / "lc", "--accept", "ask")
        try:
            answers: list[dict] = []

            def offer(name: str) -> threading.Thread:
                thread = threading.Thread(target=lambda: answers.append(ls.send_files_raw(
                    lan.addresses[0], 53317, lanchat.id, {name: b"decide me"}, "phone", prefix=lan.prefix(1))))
                thread.start()
                return thread

            sender = offer("first.txt")
            waiting = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["needs_decision"])
            lanchat.command(cmd="decline", id="d", tid=waiting["tid"])
            sender.join(30)
            assert answers[0]["status"] == 403
            assert transfer_end(lanchat, "in", tid=waiting["tid"])["state"] == "rejected"

            sender = offer("second.txt")
            waiting = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["needs_decision"]
                                       and e["tid"] != answers[0].get("tid") and e["files"][0]["path"] == "second.txt")
            lanchat.command(cmd="accept", id="a", tid=waiting["tid"])
            sender.join(30)
            assert answers[1]["status"] == 200 and answers[1]["uploads"] == [200]
            done = transfer_end(lanchat, "in", tid=waiting["tid"])
            assert done["state"] == "done" and Path(done["files"][0]["saved_as"]).read_bytes() == b"decide me"
        finally:
            lanchat.stop()
    finally:
        lan.remove()


def test_another_lanchat_is_listed_once(tmp_path):
    lan = LAN(3, subnet=172)
    try:
        first = start_lanchat(lan, tmp_path / "a")
        second = start_lanchat(lan, tmp_path / "b", host=1)
        try:
            twin = first.wait_for(lambda e: e["event"] == "peer" and e["id"] == second.id and e["status"] == "online")
            assert twin["protocol"] == "lanchat"
            found = {d["ip"]: d for d in ls.cli_scan(lan.prefix(2), timeout=3)}  # both serve LocalSend meanwhile
            assert found[lan.addresses[0]]["model"] == found[lan.addresses[1]]["model"] == "lanchat"
            first.command(cmd="peers", id="p")
            listed = first.wait_for(lambda e: e["event"] == "result" and e["id"] == "p")["peers"]
            assert [p["id"] for p in listed if p["status"] == "online" and p["address"] == lan.addresses[1]] == [
                second.id]  # not also as localsend:<its id in upper case>
        finally:
            first.stop()
            second.stop()
    finally:
        lan.remove()


def test_our_cancel_either_way_leaves_no_file(tmp_path):
    lan = LAN(3, subnet=175)
    big = random_file(tmp_path / "src" / "big.bin", 400 * MIB)
    try:
        with ls.LocalsendDaemon(lan.prefix(1), "daemon", tmp_path / "dl", tmp_path / "d") as daemon:
            lanchat = start_lanchat(lan, tmp_path / "lc", "--accept", "auto")
            try:
                daemon_id = device(lanchat, lan.addresses[1])["id"]
                lanchat.command(cmd="offer", id="o", to=daemon_id, paths=[str(big)])
                moving = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["state"] == "progress")
                lanchat.command(cmd="cancel", id="c", tid=moving["tid"])
                assert transfer_end(lanchat, "out", tid=moving["tid"])["state"] == "cancelled"
                assert not [p for p in daemon.received_files() if p.stat().st_size == big.stat().st_size]

                outcome: list[ls.SendResult] = []
                sender = threading.Thread(target=lambda: outcome.append(
                    ls.cli_send(lan.prefix(2), lan.addresses[0], [big], timeout=120)))
                sender.start()
                moving = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["direction"] == "in"
                                          and e["state"] == "progress", timeout=60)
                lanchat.command(cmd="cancel", id="c2", tid=moving["tid"])
                assert transfer_end(lanchat, "in", tid=moving["tid"])["state"] == "cancelled"
                sender.join(120)
                assert not outcome[0].ok  # the sender saw its upload cut
                assert not [p for p in (tmp_path / "lc" / "downloads").rglob("*") if p.is_file()]
            finally:
                lanchat.stop()
    finally:
        lan.remove()
