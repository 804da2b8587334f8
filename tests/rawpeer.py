"""Speaking lanchat from raw bytes (struct + JSON literals), not through lanchat's encoder."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import ssl
import struct
import threading

PREFIX = b"lanchat-v1 client-auth\n"


def frame(header: str) -> bytes:
    data = header.encode("utf-8")
    return struct.pack(">I", len(data)) + data


class RawClient:
    """A TLS client speaking lanchat from bytes."""

    def __init__(self, port: int, host: str = "127.0.0.1", source: str | None = None) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        bind = (source, 0) if source else None
        raw = socket.create_connection((host, port), timeout=10, source_address=bind)
        self.sock = context.wrap_socket(raw)
        self.cert = self.sock.getpeercert(binary_form=True)
        self.buffer = b""

    def read_frame(self) -> dict:
        while len(self.buffer) < 4 or len(self.buffer) < 4 + struct.unpack(">I", self.buffer[:4])[0]:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError(f"closed; buffer {self.buffer!r}")
            self.buffer += data
        (length,) = struct.unpack(">I", self.buffer[:4])
        header, self.buffer = self.buffer[4 : 4 + length], self.buffer[4 + length :]
        return json.loads(header)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def closed(self) -> bool:
        """True once the server closed the connection (after discarding for up to 1 s)."""
        self.sock.settimeout(5)
        try:
            while self.sock.recv(65536):
                pass
        except (ConnectionResetError, ssl.SSLError):
            pass
        return True

    def close(self) -> None:
        self.sock.close()


def client_hello(identity, server_hello: dict, *, v: str = "1", sig: bytes | None = None,
                 purpose: str = "chat", claimed_id: str | None = None) -> bytes:
    nonce = bytes.fromhex(server_hello["nonce"])
    payload = PREFIX + nonce + server_hello["id"].encode("ascii")
    signature = sig if sig is not None else identity.sign(payload)
    cert = base64.b64encode(identity.cert_der).decode()
    return frame(
        f'{{"t":"hello","v":{v},"id":"{claimed_id or identity.id}","name":"raw \u00e9",'
        f'"port":40000,"purpose":"{purpose}","cert":"{cert}",'
        f'"sig":"{base64.b64encode(signature).decode()}"}}'
    )


def in_thread(qtbot, function, timeout: float = 60.0):
    """Run a raw client in a thread while this (the GUI) thread runs the Qt event loop."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = function()
        except BaseException as e:  # re-raised below, in the test's thread
            outcome["error"] = e

    thread = threading.Thread(target=target)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=int(timeout * 1000))
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def handshake(server, identity, purpose: str = "chat") -> RawClient:
    client = RawClient(server.port)
    hello = client.read_frame()
    assert hello["t"] == "hello" and hello["v"] == 1
    assert hello["id"] == server.identity.id == hashlib.sha256(client.cert).hexdigest()
    assert len(bytes.fromhex(hello["nonce"])) == 32
    client.send(client_hello(identity, hello, purpose=purpose))
    assert client.read_frame() == {"t": "welcome"}
    return client


