"""Answers of the share server: a head with the page's security headers, then a body or a file's bytes.

The HTTP layer's `ServerConnection.respond` writes a status, a length and a
type; a browser also needs a Content-Security-Policy, nosniff, a download's
name and range headers, and files streamed from disk. So answers are
written here straight to the connection's socket, always with
`connection: close` (the layer then closes the connection gently): one
request per connection, which a phone on a LAN does not notice.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable
from pathlib import Path

from lanchat.transports.browser.protocol.pages import COMMON_HEADERS
from lanchat.transports.http.connection import REASONS, ServerConnection

log = logging.getLogger("lanchat.browser.responses")

SEND_SECONDS = 30.0  # a browser that takes no byte of a block for this long is dropped
BLOCK = 1024 * 1024

Headers = Iterable[tuple[str, str]]


def head(status: int, length: int, headers: Headers) -> bytes:
    reason = REASONS.get(status, {206: b"Partial Content", 308: b"Permanent Redirect",
                                  416: b"Range Not Satisfiable"}.get(status, b"")).decode("latin-1")
    lines = [f"HTTP/1.1 {status} {reason}", f"content-length: {length}", "connection: close"]
    lines += [f"{name}: {value}" for name, value in (*COMMON_HEADERS, *headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def send(conn: ServerConnection, status: int, body: bytes = b"", content_type: str = "application/json",
         headers: Headers = ()) -> bool:
    """One whole answer; False when the browser is gone."""
    extra = [("content-type", content_type), *headers] if body else list(headers)
    try:
        conn.sock.settimeout(SEND_SECONDS)
        conn.sock.sendall(head(status, len(body), extra) + body)
        return True
    except (OSError, ValueError) as e:
        log.debug("cannot answer %s: %s", conn.peer_ip, e)
        return False


def send_file(conn: ServerConnection, status: int, path: Path, start: int, length: int, headers: Headers,
              progress: Callable[[int], None]) -> bool:
    """`length` bytes of `path` from `start`; `progress(sent)` after each block. False when cut short.

    A file that shrank under us ends the answer early (the browser sees a
    short body and says the download failed).
    """
    try:
        source = open(path, "rb", buffering=0)  # noqa: SIM115 (closed below, after the loop)
    except OSError as e:
        log.info("cannot read %s: %s", path, e.strerror)
        return False
    sent = 0
    try:
        sock = conn.sock
        sock.settimeout(SEND_SECONDS)
        sock.sendall(head(status, length, headers))
        plain = type(sock) is socket.socket  # no TLS: the kernel copies file to socket
        while sent < length and not conn.aborted:
            count = min(BLOCK, length - sent)
            if plain:
                moved = sock.sendfile(source, start + sent, count)
            else:
                block = os.pread(source.fileno(), count, start + sent)
                sock.sendall(block)
                moved = len(block)
            if moved == 0:
                return False
            sent += moved
            progress(sent)
        return sent == length
    except (OSError, ValueError) as e:
        log.debug("download to %s cut after %d bytes: %s", conn.peer_ip, sent, e)
        return False
    finally:
        source.close()
