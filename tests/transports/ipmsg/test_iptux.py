"""lanchat and the real iptux (libiptux-core 0.8.3 through tests/ipmsg_peers' driver), on a LAN of namespaces.

Each test builds its own bridge and hosts (tests/netlab.py): one IP
Messenger peer per host, since port 2425 is fixed. Needs root; `make test`
installs iptux and what the driver is built from.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from netlab import LAN, can_make_namespaces
from peers import HeadlessPeer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "ipmsg_peers"))
from iptux import IptuxPeer, build_driver  # noqa: E402

pytestmark = pytest.mark.namespaces


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def driver() -> Path:
    reason = can_make_namespaces()
    if reason:
        pytest.skip(reason)
    return build_driver()


@pytest.fixture
def lan(driver):
    network = LAN(2)
    yield network
    network.remove()


def start_lanchat(lan: LAN, tmp_path: Path, *extra: str) -> HeadlessPeer:
    return HeadlessPeer(tmp_path / "lanchat", "小明", 0, "--protocols", "lanchat,ipmsg", *extra,
                        prefix=lan.prefix(0), loopback_only=False)


def iptux_contact(peer: HeadlessPeer, lan: LAN) -> dict:
    return peer.wait_for(lambda e: e["event"] == "peer" and e["id"] == f"ipmsg:{lan.addresses[1]}"
                         and e["status"] == "online", timeout=20)


def test_they_list_each_other_and_chat_in_chinese_both_ways(lan, tmp_path, driver):
    iptux = IptuxPeer(lan.prefix(1), "小红 iptux", tmp_path / "iptux", binary=driver)
    lanchat = start_lanchat(lan, tmp_path, "--accept", "auto")
    try:
        contact = iptux_contact(lanchat, lan)
        assert contact["protocol"] == "ipmsg" and contact["name"] == "小红 iptux"
        seen = iptux.wait_for(lambda e: e["event"] in ("peer_appeared", "peer_changed")
                              and e["ip"] == lan.addresses[0] and e["name"] == "小明", 20)
        assert seen["version"] == f"1_lanchat#{lanchat.id}"

        lanchat.command(cmd="send", id="1", to=contact["id"], text="你好，世界 🌏 第二行\n第三行")
        got = iptux.wait_event("message", 10)
        assert got["text"] == "你好，世界 🌏 第二行\n第三行" and got["from"] == lan.addresses[0]
        delivered = lanchat.wait_for(lambda e: e["event"] in ("delivered", "failed"), timeout=10)
        assert delivered["event"] == "delivered" and delivered["to"] == contact["id"]

        iptux.command(cmd="send_text", to=lan.addresses[0], text="收到 ✅ 🎉")
        message = lanchat.wait_for(lambda e: e["event"] == "message", timeout=10)
        assert message["text"] == "收到 ✅ 🎉" and message["from"] == contact["id"]
        assert iptux.wait_event("send_result", 10)["acked"]  # our RECVMSG reached it
        lanchat.drain()
        assert [e["text"] for e in lanchat.seen if e["event"] == "message"] == ["收到 ✅ 🎉"]  # shown once
    finally:
        lanchat.stop()
        iptux.stop()
    assert any(e["event"] == "peer_left" and e["ip"] == lan.addresses[0] for e in iptux.events())  # BR_EXIT


def test_a_file_with_a_chinese_name_and_a_folder_both_ways(lan, tmp_path, driver):
    iptux = IptuxPeer(lan.prefix(1), "iptux", tmp_path / "iptux", binary=driver)
    lanchat = start_lanchat(lan, tmp_path, "--accept", "auto")
    try:
        contact = iptux_contact(lanchat, lan)
        iptux.wait_for(lambda e: e["event"] in ("peer_appeared", "peer_changed") and e["ip"] == lan.addresses[0], 20)
        src = tmp_path / "src"
        folder = src / "资料夹"
        (folder / "子目录").mkdir(parents=True)
        (folder / "空目录").mkdir()
        (folder / "a b.txt").write_text("hello")
        (folder / "子目录" / "照片.bin").write_bytes(os.urandom(300_000))
        (folder / "empty.txt").write_bytes(b"")
        big = src / "中文文件名 测试.bin"
        big.write_bytes(os.urandom(5 * 2**20))

        # lanchat → iptux
        lanchat.command(cmd="offer", id="1", to=contact["id"], paths=[str(big)])
        received = iptux.wait_for(lambda e: e["event"] == "file_received" and e["name"] == big.name, 30)
        assert received["ok"] and sha256_of(Path(received["path"])) == sha256_of(big)
        lanchat.command(cmd="offer", id="2", to=contact["id"], paths=[str(folder)])
        received = iptux.wait_for(lambda e: e["event"] == "file_received" and e["name"] == "资料夹", 30)
        for source in folder.rglob("*"):
            copy = Path(received["path"]) / source.relative_to(folder)
            assert copy.is_dir() if source.is_dir() and any(source.iterdir()) else True
            if source.is_file():
                assert sha256_of(copy) == sha256_of(source)
        for tid in ("1", "2"):
            result = lanchat.wait_for(lambda e, t=tid: e["event"] == "result" and e["id"] == t)
            done = lanchat.wait_for(lambda e, r=result: e["event"] == "transfer" and e["tid"] == r["tid"]
                                    and e["state"] in ("done", "failed"), timeout=30)
            assert done["state"] == "done"

        # iptux → lanchat
        iptux.command(cmd="send_files", to=lan.addresses[0], paths=[str(big)])
        file_in = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["direction"] == "in"
                                   and e["state"] in ("done", "failed"), timeout=30)
        assert file_in["state"] == "done" and file_in["files"][0]["sha256"] == sha256_of(big)
        assert Path(file_in["files"][0]["saved_as"]).name == big.name
        iptux.command(cmd="send_files", to=lan.addresses[0], paths=[str(folder)])
        folder_in = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["direction"] == "in"
                                     and e["tid"] != file_in["tid"] and e["state"] in ("done", "failed"),
                                     timeout=30)
        assert folder_in["state"] == "done"
        saved = Path(folder_in["files"][0]["saved_as"])
        assert saved == tmp_path / "lanchat" / "downloads" / "资料夹"
        for source in folder.rglob("*"):
            copy = saved / source.relative_to(folder)
            assert copy.is_dir() if source.is_dir() else sha256_of(copy) == sha256_of(source)
        assert not any((saved.parent / ".lanchat-partial").rglob("*.part"))
    finally:
        lanchat.stop()
        iptux.stop()


def test_an_in_chat_picture_from_iptux_arrives_as_a_picture(lan, tmp_path, driver):
    iptux = IptuxPeer(lan.prefix(1), "iptux", tmp_path / "iptux", binary=driver)
    lanchat = start_lanchat(lan, tmp_path, "--accept", "auto")
    try:
        iptux_contact(lanchat, lan)
        iptux.wait_for(lambda e: e["event"] in ("peer_appeared", "peer_changed") and e["ip"] == lan.addresses[0], 20)
        picture = tmp_path / "pic.png"
        picture.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(20_000))
        iptux.command(cmd="send_picture", to=lan.addresses[0], path=str(picture))
        offer = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["direction"] == "in", timeout=15)
        assert offer["kind"] == "image" and offer["files"][0]["path"].endswith(".png")
        done = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["tid"] == offer["tid"]
                                and e["state"] in ("done", "failed"), timeout=15)
        assert done["state"] == "done"
        assert sha256_of(Path(done["files"][0]["saved_as"])) == sha256_of(picture)
    finally:
        lanchat.stop()
        iptux.stop()


def run_send(lan: LAN, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([*lan.prefix(0), sys.executable, "-m", "lanchat", "send", "--profile", str(profile), *args],
                          capture_output=True, text=True, timeout=60, env=env)


def test_send_to_an_ipmsg_id_turns_that_network_on_for_the_run(lan, tmp_path, driver):
    iptux = IptuxPeer(lan.prefix(1), "iptux", tmp_path / "iptux", binary=driver)
    try:
        result = run_send(lan, tmp_path / "sender", "--name", "小明", "--to", f"ipmsg:{lan.addresses[1]}",
                          "--text", "一次性的消息", "--timeout", "20")
        assert result.returncode == 0, result.stderr
        assert iptux.wait_event("message", 10)["text"] == "一次性的消息"
    finally:
        iptux.stop()


def test_send_through_a_running_profile_without_ipmsg_says_so_and_exits_1(lan, tmp_path):
    profile = tmp_path / "running"
    running = HeadlessPeer(profile, "小明", 0, prefix=lan.prefix(0), loopback_only=False)  # lanchat only
    try:
        result = run_send(lan, profile, "--to", f"ipmsg:{lan.addresses[1]}", "--text", "hi", "--timeout", "10")
        assert result.returncode == 1
        assert "ipmsg network is off" in result.stderr
    finally:
        running.stop()
