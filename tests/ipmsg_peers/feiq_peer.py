"""A Feiq-style IP Messenger peer for tests: GBK everywhere, no UTF8OPT, Feiq's version string.

Written from the protocol, independent of lanchat's code. Run it inside a
network namespace (it binds UDP 2425 and broadcasts):

    ip netns exec NS python feiq_peer.py --nick 小红 --broadcast 10.201.x.255

JSON lines on stdin (commands) and stdout (events):

    {"cmd": "entry"}                            broadcast BR_ENTRY
    {"cmd": "send", "to": IP, "text": "..."}   SENDMSG|SENDCHECKOPT, GBK
    {"cmd": "typing", "to": IP}                Feiq's 0x79 typing notice
    {"cmd": "raw", "to": IP, "hex": "..."}     any bytes (for bad-input tests)
    {"cmd": "quit"}                             BR_EXIT, then exit
    events: ready, entry {ip, mode, nick, command}, message {ip, number, text, command, raw}, recvmsg {ip, number},
            other {ip, mode}
"""

from __future__ import annotations

import argparse
import json
import select
import socket
import sys
import time

PORT = 2425
VERSION = "1_lbt6_0#128#001122334455#0#0#0#4001#9"
BR_ENTRY, BR_EXIT, ANSENTRY, SENDMSG, RECVMSG = 0x01, 0x02, 0x03, 0x20, 0x21
SENDCHECKOPT, FILEATTACHOPT = 0x100, 0x200000


class FeiqPeer:
    def __init__(self, nick: str, broadcast: str) -> None:
        self.nick = nick
        self.broadcast = broadcast
        self.number = int(time.time())
        self.unacked: dict[int, tuple[bytes, str, int, float]] = {}  # number -> data, ip, tries, due
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.sock.bind(("0.0.0.0", PORT))

    def packet(self, command: int, extra: bytes) -> bytes:
        self.number += 1
        return f"{VERSION}:{self.number}:feiq:FEIQ-PC:{command}:".encode("gbk") + extra

    def send(self, address: str, command: int, extra: bytes) -> int:
        data = self.packet(command, extra)
        self.sock.sendto(data, (address, PORT))
        return self.number

    @staticmethod
    def emit(event: dict[str, object]) -> None:
        print(json.dumps(event, ensure_ascii=False), flush=True)

    def on_packet(self, data: bytes, ip: str) -> None:
        parts = data.split(b":", 5)
        if len(parts) < 6 or not parts[4].isdigit():
            return
        number, command, extra = int(parts[1]), int(parts[4]), parts[5]
        mode = command & 0xFF
        if parts[0].decode("latin-1") == VERSION:
            return  # our own broadcast
        if mode in (BR_ENTRY, ANSENTRY, 0x04):
            nick = extra.split(b"\0")[0].decode("gbk", "replace")
            self.emit({"event": "entry", "ip": ip, "mode": mode, "nick": nick, "command": command})
            if mode == BR_ENTRY:
                self.send(ip, ANSENTRY, self.nick.encode("gbk") + b"\0")
        elif mode == SENDMSG:
            text = extra.split(b"\0")[0]
            if command & SENDCHECKOPT:
                self.send(ip, RECVMSG, str(number).encode())
            self.emit({"event": "message", "ip": ip, "number": number, "command": command,
                       "text": text.decode("gbk", "replace"), "raw": text.hex()})
        elif mode == RECVMSG:
            number = int(extra.split(b"\0")[0] or b"0")
            self.unacked.pop(number, None)
            self.emit({"event": "recvmsg", "ip": ip, "number": number})
        else:
            self.emit({"event": "other", "ip": ip, "mode": mode})

    def on_command(self, command: dict[str, object]) -> bool:
        name = command.get("cmd")
        if name == "entry":
            self.send(self.broadcast, BR_ENTRY, self.nick.encode("gbk") + b"\0")
        elif name == "send":  # sent again every second, 4 times at most, until RECVMSG (as Feiq does)
            address = str(command["to"])
            data = self.packet(SENDMSG | SENDCHECKOPT, str(command["text"]).encode("gbk") + b"\0")
            self.sock.sendto(data, (address, PORT))
            self.unacked[self.number] = (data, address, 1, time.monotonic() + 1.0)
            self.emit({"event": "sent", "number": self.number})
        elif name == "typing":
            self.send(str(command["to"]), 0x79, b"")
        elif name == "raw":
            self.sock.sendto(bytes.fromhex(str(command["hex"])), (str(command["to"]), PORT))
        elif name == "quit":
            self.send(self.broadcast, BR_EXIT, b"")
            return False
        return True

    def resend(self) -> None:
        now = time.monotonic()
        for number, (data, address, tries, due) in list(self.unacked.items()):
            if due > now:
                continue
            if tries >= 4:
                del self.unacked[number]
                self.emit({"event": "unanswered", "number": number})
            else:
                self.sock.sendto(data, (address, PORT))
                self.unacked[number] = (data, address, tries + 1, now + 1.0)

    def run(self) -> None:
        self.emit({"event": "ready"})
        stdin = sys.stdin.fileno()
        pending = b""
        while True:
            readable = select.select([self.sock, stdin], [], [], 0.2)[0]
            self.resend()
            if self.sock in readable:
                data, (ip, _port) = self.sock.recvfrom(65535)
                self.on_packet(data, ip)
            if stdin in readable:
                chunk = sys.stdin.buffer.read1(65536)
                if not chunk:
                    return
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    if line.strip() and not self.on_command(json.loads(line)):
                        return


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nick", required=True)
    parser.add_argument("--broadcast", required=True)
    args = parser.parse_args()
    FeiqPeer(args.nick, args.broadcast).run()


if __name__ == "__main__":
    main()
