"""lanchat with a Feiq-style peer (GBK, no UTF8OPT), a taken port 2425, --only-targets and hostile packets.

The Feiq-style peer is tests/ipmsg_peers/feiq_peer.py, written from the
protocol alone. Every host is a network namespace of the test's own LAN.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from netlab import LAN, can_make_namespaces
from peers import HeadlessPeer, JsonLinesProcess

pytestmark = pytest.mark.namespaces

FEIQ = Path(__file__).resolve().parents[2] / "ipmsg_peers" / "feiq_peer.py"


@pytest.fixture
def lan():
    reason = can_make_namespaces()
    if reason:
        pytest.skip(reason)
    network = LAN(3)
    yield network
    network.remove()


def start_lanchat(lan: LAN, tmp_path: Path, *extra: str, host: int = 0) -> HeadlessPeer:
    return HeadlessPeer(tmp_path / f"lanchat{host}", "小明", 0, "--protocols", "lanchat,ipmsg", *extra,
                        prefix=lan.prefix(host), loopback_only=False)


def start_feiq(lan: LAN, host: int, nick: str = "小红") -> JsonLinesProcess:
    peer = JsonLinesProcess([*lan.prefix(host), sys.executable, str(FEIQ), "--nick", nick,
                             "--broadcast", lan.broadcast])
    peer.wait_for(lambda e: e["event"] == "ready", timeout=10)
    return peer


def test_a_gbk_message_reads_right_and_the_answer_goes_back_in_gbk(lan, tmp_path):
    feiq = start_feiq(lan, 1)
    lanchat = start_lanchat(lan, tmp_path)
    try:
        # Our BR_ENTRY reached it (in UTF-8); it answered in GBK; we then sent our names in GBK too.
        fixed = feiq.wait_for(lambda e: e["event"] == "entry" and e["nick"] == "小明" and e["mode"] == 4, timeout=15)
        assert fixed["ip"] == lan.addresses[0]
        contact = lanchat.wait_for(lambda e: e["event"] == "peer" and e["id"] == f"ipmsg:{lan.addresses[1]}")
        assert contact["name"] == "小红"
        feiq.command(cmd="typing", to=lan.addresses[0])  # 0x79: ignored, never shown
        feiq.command(cmd="send", to=lan.addresses[0], text="你好，我用飞秋")
        sent = feiq.wait_for(lambda e: e["event"] == "sent")
        message = lanchat.wait_for(lambda e: e["event"] == "message")
        assert message["text"] == "你好，我用飞秋" and message["from"] == contact["id"]
        assert feiq.wait_for(lambda e: e["event"] == "recvmsg")["number"] == sent["number"]

        lanchat.command(cmd="send", id="1", to=contact["id"], text="收到，谢谢")
        reply = feiq.wait_for(lambda e: e["event"] == "message")
        assert reply["text"] == "收到，谢谢" and bytes.fromhex(reply["raw"]) == "收到，谢谢".encode("gbk")
        assert not reply["command"] & 0x800000  # no UTF8OPT to a peer that never announced UTF-8
        assert lanchat.wait_for(lambda e: e["event"] in ("delivered", "failed"))["event"] == "delivered"
    finally:
        lanchat.stop()
        feiq.stop()


def test_a_message_nobody_acks_fails_after_four_tries(lan, tmp_path):
    feiq = start_feiq(lan, 1)
    lanchat = start_lanchat(lan, tmp_path)
    try:
        contact = lanchat.wait_for(lambda e: e["event"] == "peer" and e["id"] == f"ipmsg:{lan.addresses[1]}")
        feiq.stop()  # gone without BR_EXIT: still listed, but nobody answers
        lanchat.command(cmd="send", id="1", to=contact["id"], text="hello?")
        failed = lanchat.wait_for(lambda e: e["event"] in ("delivered", "failed"), timeout=15)
        assert failed["event"] == "failed" and failed["reason"] == "no-answer"
    finally:
        lanchat.stop()


def test_port_2425_held_by_another_program_turns_ip_messenger_off(lan, tmp_path):
    holder = JsonLinesProcess([*lan.prefix(0), sys.executable, "-c", (
        "import socket,sys,json;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(('0.0.0.0',2425));"
        "print(json.dumps({'event':'ready'}),flush=True);sys.stdin.read()")])
    holder.wait_for(lambda e: e["event"] == "ready")
    try:
        lanchat = start_lanchat(lan, tmp_path)
        try:
            error = lanchat.wait_for(lambda e: e["event"] == "error")
            assert error["code"] == "network-off" and error["peer"] is None and "2425" in error["message"]
            lanchat.command(cmd="peers", id="p")  # lanchat's own network keeps working
            assert lanchat.wait_for(lambda e: e["event"] == "result" and e["id"] == "p")["ok"]
        finally:
            assert lanchat.stop() == 0
    finally:
        holder.stop()


def test_only_targets_keeps_ip_messenger_to_the_targets(lan, tmp_path):
    target, bystander = start_feiq(lan, 1, "目标"), start_feiq(lan, 2, "旁观")
    lanchat = start_lanchat(lan, tmp_path, "--only-targets", "--target", lan.addresses[1])
    try:
        target.wait_for(lambda e: e["event"] == "entry" and e["ip"] == lan.addresses[0], timeout=15)
        bystander.command(cmd="entry")  # its broadcast reaches lanchat, which accepts only its targets
        target.command(cmd="entry")
        lanchat.wait_for(lambda e: e["event"] == "peer" and e["id"] == f"ipmsg:{lan.addresses[1]}")
        lanchat.command(cmd="peers", id="p")
        peers = lanchat.wait_for(lambda e: e["event"] == "result" and e["id"] == "p")["peers"]
        assert [p["id"] for p in peers if p["protocol"] == "ipmsg"] == [f"ipmsg:{lan.addresses[1]}"]
        assert not [e for e in bystander.drain() if e["event"] == "entry"]  # never broadcast to
    finally:
        lanchat.stop()
        target.stop()
        bystander.stop()


BAD_PACKETS = [
    b"", b"\xff" * 100, b"1:2:3", b"1:x:u:h:32:hi\0", b"1:1:u:h:32:" + b"A" * 60000,
    b"1:2:u:h:288:\xff\xfe\xfd\0", b"1:3:u:h:2097440:hi\0\x07\x07:::\0", b"1:4:u:h:33:notanumber\0",
    b"1:5:u:h:97:" + b"9" * 30 + b"\0", bytes(range(256)) * 4, b"1_lanchat#" + b"0" * 64 + b":1:u:h:1:x\0",
]


def test_bad_packets_are_dropped_and_nothing_stalls(lan, tmp_path):
    feiq = start_feiq(lan, 1)
    lanchat = start_lanchat(lan, tmp_path)
    try:
        contact = lanchat.wait_for(lambda e: e["event"] == "peer" and e["id"] == f"ipmsg:{lan.addresses[1]}")
        for packet in BAD_PACKETS:
            feiq.command(cmd="raw", to=lan.addresses[0], hex=packet.hex())
        for _ in range(500):  # a flood: the rate limit drops most of it
            feiq.command(cmd="raw", to=lan.addresses[0], hex=b"1:1:u:h:32:flood\0".hex())
        feiq.command(cmd="send", to=lan.addresses[0], text="still there?")
        assert lanchat.wait_for(lambda e: e["event"] == "message" and e["text"] == "still there?", timeout=20)
        lanchat.command(cmd="send", id="1", to=contact["id"], text="yes")
        assert feiq.wait_for(lambda e: e["event"] == "message" and e["text"] == "yes", timeout=20)
        assert lanchat.process.poll() is None
    finally:
        lanchat.stop()
        feiq.stop()

