"""Presence targets: parsing `ADDR[:PORT]`, interface broadcasts, and the --only-targets filter."""

from __future__ import annotations

import fcntl
import ipaddress
import logging
import socket
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass

log = logging.getLogger("lanchat.transports.addresses")

LIMITED_BROADCAST = "255.255.255.255"

_SIOCGIFFLAGS = 0x8913
_SIOCGIFBRDADDR = 0x8919
_IFF_UP = 0x1
_IFF_BROADCAST = 0x2
_IFF_LOOPBACK = 0x8


@dataclass(frozen=True)
class Target:
    """A presence target as the user wrote it: a host and an optional port."""

    host: str
    port: int | None = None

    @classmethod
    def parse(cls, text: str) -> Target:
        """`ADDR`, `ADDR:PORT` or `HOST:PORT`.

        Raises:
            ValueError: the port is not 1..65535 or the host is empty.
        """
        host, sep, port_text = text.strip().rpartition(":")
        if not sep:
            host, port_text = text.strip(), ""
        if not host:
            raise ValueError(f"no host in {text!r}")
        if not port_text:
            return cls(host)
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise ValueError(f"bad port in {text!r}")
        return cls(host, int(port_text))

    def resolve(self, default_port: int) -> tuple[str, int] | None:
        """(IPv4 address, port), or None when the name does not resolve."""
        try:
            infos = socket.getaddrinfo(self.host, None, socket.AF_INET, socket.SOCK_DGRAM)
        except (socket.gaierror, UnicodeError) as e:
            log.info("cannot resolve presence target %s: %s", self.host, e)
            return None
        return str(infos[0][4][0]), self.port or default_port


def interface_broadcasts() -> list[str]:
    """The directed broadcast address of every IPv4 interface that is up and has one."""
    if not sys.platform.startswith("linux"):
        return []  # elsewhere the limited broadcast and the user's targets remain
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _index, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode()[:15])
            try:
                flags = struct.unpack_from("H", fcntl.ioctl(sock.fileno(), _SIOCGIFFLAGS, request), 16)[0]
                if not flags & _IFF_UP or not flags & _IFF_BROADCAST or flags & _IFF_LOOPBACK:
                    continue
                answer = fcntl.ioctl(sock.fileno(), _SIOCGIFBRDADDR, request)
            except OSError:
                continue  # no IPv4 address on this interface
            found.append(socket.inet_ntoa(answer[20:24]))
    return found


class AddressFilter:
    """Which addresses presence and connections accept and use.

    Without --only-targets every address is allowed; with it, loopback and
    the configured targets and peers only.
    """

    def __init__(self, only_targets: bool, allowed: Iterable[str] = ()) -> None:
        self.only_targets = only_targets
        self._allowed = set(allowed)

    def add(self, address: str) -> None:
        self._allowed.add(address)

    def allows(self, address: str) -> bool:
        if not self.only_targets or address in self._allowed:
            return True
        try:
            return ipaddress.ip_address(address).is_loopback
        except ValueError:
            return False
