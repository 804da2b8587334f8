"""The IPv4 addresses a phone on the same network can reach this computer at (one link and QR code each)."""

from __future__ import annotations

import fcntl
import ipaddress
import socket
import struct
import sys

_SIOCGIFFLAGS = 0x8913
_SIOCGIFADDR = 0x8915
_IFF_UP = 0x1


def lan_addresses() -> list[str]:
    """Every IPv4 address of an interface that is up, loopback and link-local left out; private ones first.

    Falls back to 127.0.0.1 when there is none (the link then works on this computer only).
    """
    found: list[str] = []
    if sys.platform.startswith("linux"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for _index, name in socket.if_nameindex():
                request = struct.pack("256s", name.encode()[:15])
                try:
                    flags = struct.unpack_from("H", fcntl.ioctl(sock.fileno(), _SIOCGIFFLAGS, request), 16)[0]
                    if not flags & _IFF_UP:
                        continue
                    answer = fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, request)
                except OSError:
                    continue  # down, or no IPv4 address
                found.append(socket.inet_ntoa(answer[20:24]))
    else:  # elsewhere: the addresses the host name resolves to
        try:
            found = [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
        except OSError:
            found = []
    usable = []
    for text in dict.fromkeys(found):
        address = ipaddress.IPv4Address(text)
        if not (address.is_loopback or address.is_link_local or address.is_unspecified):
            usable.append(address)
    usable.sort(key=lambda a: (not a.is_private, a))
    return [str(a) for a in usable] or ["127.0.0.1"]
