"""A minimal, independent lanchat peer for the transfer benchmark: the baseline both ends are measured against.

    wirepeer.py receive --dir D --presence-port P --block N   # announces itself; takes every offer
    wirepeer.py send --block N                                 # sends what stdin commands ask

Written from docs/protocol.md alone (stdlib ssl + cryptography; no lanchat
code), as plainly as a person would: one thread per connection, the body
read with `recv_into` a reused buffer of `block` bytes, hashed with SHA-256
and written to disk in those same blocks, the file linked to its final name
only after its hash matched. The sender reads, hashes and sends `block`
bytes at a time. It prints JSON lines (`ready`, `received`, `sent`, `error`)
and takes `{"cmd":"send","id":ID,"port":N,"path":P,"tid":T}` on stdin.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import json
import os
import secrets
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

AUTH_PREFIX = b"lanchat-v1 client-auth\n"
LENGTH = struct.Struct(">I")
TIMEOUT = 60.0
_print_lock = threading.Lock()


def say(**event: Any) -> None:
    with _print_lock:
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()


def frame(header: dict[str, Any]) -> bytes:
    data = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    return LENGTH.pack(len(data)) + data


class Identity:
    """An ECDSA P-256 key and a self-signed certificate; the id is SHA-256 of its DER (§1)."""

    def __init__(self, folder: Path) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "wirepeer")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
            .sign(self.key, hashes.SHA256())
        )
        self.cert_der = cert.public_bytes(serialization.Encoding.DER)
        self.id = hashlib.sha256(self.cert_der).hexdigest()
        self.cert_path, self.key_path = folder / "cert.pem", folder / "key.pem"
        self.cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        self.key_path.write_bytes(self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))


class Wire:
    """Frames over one TLS socket: headers through a small buffer, bodies straight into the caller's buffer."""

    def __init__(self, sock: ssl.SSLSocket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.pending: tuple[Path, Any, str] | None = None  # the file whose `end` comes next: partial, hash, path

    def header(self) -> dict[str, Any]:
        while len(self.buffer) < 4 or len(self.buffer) < 4 + LENGTH.unpack_from(self.buffer)[0]:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("the peer closed the connection")
            self.buffer += data
        (length,) = LENGTH.unpack_from(self.buffer)
        header = json.loads(bytes(self.buffer[4 : 4 + length]))
        del self.buffer[: 4 + length]
        if not isinstance(header, dict):
            raise ValueError("a header that is not an object")
        return header

    def recv_into(self, view: memoryview) -> int:
        if self.buffer:  # body bytes that came with the header
            n = min(len(view), len(self.buffer))
            view[:n] = self.buffer[:n]
            del self.buffer[:n]
            return n
        return self.sock.recv_into(view)

    def send(self, header: dict[str, Any]) -> None:
        self.sock.sendall(frame(header))


# --- receiving ---------------------------------------------------------------


class Receiver:
    def __init__(self, identity: Identity, folder: Path, block: int) -> None:
        self.identity = identity
        self.folder = folder
        self.block = block
        self.offers: dict[str, tuple[str, list[dict[str, Any]]]] = {}  # tid -> (sender, files)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_3
        self.context.load_cert_chain(identity.cert_path, identity.key_path)

    def serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(TIMEOUT)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # a request/answer protocol
            wire = Wire(self.context.wrap_socket(conn, server_side=True))
            sender, purpose = self.handshake(wire)
            while True:
                try:
                    header = wire.header()
                except EOFError:
                    return
                self.handle(wire, sender, purpose, header)
        except (OSError, ValueError, EOFError) as e:
            say(event="error", message=str(e))
        finally:
            conn.close()

    def handshake(self, wire: Wire) -> tuple[str, str]:
        nonce = secrets.token_bytes(32)
        wire.send({"t": "hello", "v": 1, "id": self.identity.id, "name": "wirepeer", "nonce": nonce.hex()})
        hello = wire.header()
        cert_der = base64.b64decode(hello["cert"])
        if hello.get("v") != 1 or hashlib.sha256(cert_der).hexdigest() != hello["id"]:
            raise ValueError("bad hello")
        public = x509.load_der_x509_certificate(cert_der).public_key()
        if not isinstance(public, ec.EllipticCurvePublicKey) or not isinstance(public.curve, ec.SECP256R1):
            raise ValueError("not a P-256 certificate")
        payload = AUTH_PREFIX + nonce + self.identity.id.encode()
        public.verify(base64.b64decode(hello["sig"]), payload, ec.ECDSA(hashes.SHA256()))  # raises when bad
        wire.send({"t": "welcome"})
        return str(hello["id"]), str(hello["purpose"])

    def handle(self, wire: Wire, sender: str, purpose: str, header: dict[str, Any]) -> None:
        kind = header["t"]
        if kind == "ping":
            wire.send({"t": "pong"})
        elif purpose == "chat" and kind == "offer":
            self.offers[header["tid"]] = (sender, header["files"])
            wire.send({"t": "accept", "tid": header["tid"], "have": [0] * len(header["files"])})
        elif purpose == "transfer" and kind == "data":
            known = self.offers.get(header["tid"])
            if known is None or known[0] != sender or header["offset"] != 0:
                raise ValueError("data for no accepted transfer")
            self.receive_file(wire, header["tid"], header["i"], known[1][header["i"]], header["body"])
        elif purpose == "transfer" and kind == "end":
            self.finish_file(wire, header)
        elif "body" in header:
            self.skip(wire, header["body"])

    def receive_file(self, wire: Wire, tid: str, index: int, entry: dict[str, Any], size: int) -> None:
        """The body of one `data` frame: recv_into one reused buffer, then hash and write each block."""
        if size != entry["size"]:
            raise ValueError("a partial file")
        buffer = memoryview(bytearray(self.block))
        digest = hashlib.sha256()
        partial = self.folder / f".{tid}.{index}.part"
        with open(partial, "wb", buffering=0) as out:
            left = size
            while left:
                want = min(self.block, left)
                filled = 0
                while filled < want:
                    n = wire.recv_into(buffer[filled:want])
                    if not n:
                        raise EOFError("the connection ended inside a body")
                    filled += n
                digest.update(buffer[:filled])
                written = 0
                while written < filled:
                    written += out.write(buffer[written:filled]) or 0
                left -= filled
        wire.pending = (partial, digest, entry["path"])

    def finish_file(self, wire: Wire, header: dict[str, Any]) -> None:
        if wire.pending is None:
            raise ValueError("an end without data")
        partial, digest, path = wire.pending
        wire.pending = None
        ok = digest.hexdigest() == header["sha256"]
        if ok:
            final = self.folder / path
            os.link(partial, final)
        partial.unlink()
        wire.send({"t": "done", "tid": header["tid"], "i": header["i"], "ok": ok,
                   **({} if ok else {"reason": "hash-mismatch"})})
        say(event="received", tid=header["tid"], ok=ok, sha256=digest.hexdigest(),
            saved_as=str(self.folder / path) if ok else None)

    def skip(self, wire: Wire, size: int) -> None:
        buffer = memoryview(bytearray(65536))
        while size:
            n = wire.recv_into(buffer[: min(size, len(buffer))])
            if not n:
                raise EOFError("the connection ended inside a body")
            size -= n


def announce(identity: Identity, tcp_port: int, presence_port: int, target: str) -> None:
    """`announce` every second (§2), so lanchat peers list this one as a contact."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    seq = int(time.time() * 1000)
    while True:
        seq += 1
        datagram = {"app": "lanchat", "v": 1, "kind": "announce", "id": identity.id, "name": "wirepeer",
                    "seq": seq, "port": tcp_port, "status": "online"}
        try:
            sock.sendto(json.dumps(datagram).encode(), (target, presence_port))
        except OSError:
            pass
        time.sleep(1.0)


def run_receiver(args: argparse.Namespace, identity: Identity) -> None:
    receiver = Receiver(identity, Path(args.dir), args.block)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    threading.Thread(target=announce, args=(identity, port, args.presence_port, args.target), daemon=True).start()
    say(event="ready", id=identity.id, port=port)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=receiver.serve, args=(conn,), daemon=True).start()


# --- sending -----------------------------------------------------------------


def connect(identity: Identity, port: int, expected_id: str, purpose: str) -> Wire:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # a request/answer protocol
    sock = context.wrap_socket(raw)
    cert = sock.getpeercert(binary_form=True)
    if cert is None or hashlib.sha256(cert).hexdigest() != expected_id:
        raise ValueError("the server is not who we meant to reach")
    wire = Wire(sock)
    hello = wire.header()
    if hello.get("t") != "hello" or hello.get("id") != expected_id:
        raise ValueError(f"unexpected server hello {hello}")
    payload = AUTH_PREFIX + bytes.fromhex(hello["nonce"]) + expected_id.encode()
    wire.send({"t": "hello", "v": 1, "id": identity.id, "name": "wirepeer", "port": 1, "purpose": purpose,
               "cert": base64.b64encode(identity.cert_der).decode(),
               "sig": base64.b64encode(identity.sign(payload)).decode()})
    answer = wire.header()
    if answer.get("t") != "welcome":
        raise ValueError(f"refused: {answer}")
    return wire


def send_file(identity: Identity, command: dict[str, Any], block: int) -> None:
    """Offer one file on a chat connection, then stream it on a transfer connection and wait for `done`."""
    path, tid = Path(command["path"]), command["tid"]
    size = path.stat().st_size
    chat = connect(identity, command["port"], command["id"], "chat")
    chat.send({"t": "offer", "tid": tid, "kind": "files", "files": [{"path": path.name, "size": size}]})
    answer = chat.header()
    if answer.get("t") != "accept" or answer["have"] != [0]:
        raise ValueError(f"offer answered with {answer}")
    transfer = connect(identity, command["port"], command["id"], "transfer")
    buffer = memoryview(bytearray(block))
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as source:
        transfer.send({"t": "data", "tid": tid, "i": 0, "offset": 0, "body": size})
        left = size
        while left:
            n = source.readinto(buffer[: min(block, left)])
            if not n:
                raise ValueError(f"{path} became shorter")
            digest.update(buffer[:n])
            transfer.sock.sendall(buffer[:n])
            left -= n
    transfer.send({"t": "end", "tid": tid, "i": 0, "sha256": digest.hexdigest()})
    done = transfer.header()
    transfer.sock.close()
    chat.sock.close()
    say(event="sent", tid=tid, ok=bool(done.get("ok")), sha256=digest.hexdigest())


def run_sender(args: argparse.Namespace, identity: Identity) -> None:
    say(event="ready", id=identity.id)
    for line in sys.stdin:
        command = json.loads(line)
        try:
            send_file(identity, command, args.block)
        except (OSError, ValueError, EOFError) as e:
            say(event="error", tid=command.get("tid"), message=str(e))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["send", "receive"])
    parser.add_argument("--block", type=int, required=True, help="bytes read, hashed and written at a time")
    parser.add_argument("--dir", help="receive: where files go")
    parser.add_argument("--presence-port", type=int, default=48484)
    parser.add_argument("--target", default="127.255.255.255", help="receive: where announces go")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        identity = Identity(Path(folder))
        if args.role == "receive":
            run_receiver(args, identity)
        else:
            run_sender(args, identity)


if __name__ == "__main__":
    main()
