"""IP Messenger packets: `Ver:PacketNo:User:Host:Command:Extra` (docs/protocol.md §8.1).

The first five `:` split the header; the extra may hold more `:` and, after
its first NUL, further NUL-separated fields. The version is a label, never a
number (Feiq writes `1_lbt6_0#128#<MAC>#0#0#0#4001#9`). The command's low 8
bits are the mode; the rest are option bits, read apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, IntFlag

PORT = 2425
MAX_PACKET = 65507  # a UDP payload; iptux reads at most 8192
MAX_HEADER_FIELD = 512  # version, user and host are short labels
MAX_PACKET_NUMBER = 2**64 - 1


class Mode(IntEnum):
    """The low 8 bits of the command."""

    NOOPERATION = 0x00
    BR_ENTRY = 0x01
    BR_EXIT = 0x02
    ANSENTRY = 0x03
    BR_ABSENCE = 0x04
    SENDMSG = 0x20
    RECVMSG = 0x21
    READMSG = 0x30
    DELMSG = 0x31
    ANSREADMSG = 0x32
    GETINFO = 0x40
    SENDINFO = 0x41
    GETABSENCEINFO = 0x50
    SENDABSENCEINFO = 0x51
    GETFILEDATA = 0x60
    RELEASEFILES = 0x61
    GETDIRFILES = 0x62
    # iptux's own modes
    IPTUX_SENDMSG = 0xFB  # a group message, never acknowledged
    IPTUX_SEND_SIGN = 0xFC
    IPTUX_SENDSUBLAYER = 0xFD  # TCP: a picture (option 0x200) or the sender's photo (0x100)
    IPTUX_SENDICON = 0xFE


class Opt(IntFlag):
    """Option bits. Some bits mean different things on entry packets and on SENDMSG."""

    ABSENCE = 0x00000100  # entry: away (iptux sets it on every entry: ignore it from iptux)
    SENDCHECK = 0x00000100  # SENDMSG: answer RECVMSG
    SECRET = 0x00000200
    BROADCAST = 0x00000400  # SENDMSG: no answer wanted
    MULTICAST = 0x00000800
    AUTORET = 0x00002000  # an automatic answer: never answer it
    DIALUP = 0x00010000
    FILEATTACH = 0x00200000
    ENCRYPT = 0x00400000
    UTF8 = 0x00800000  # this packet's text is UTF-8
    CAPUTF8 = 0x01000000  # the sender can read UTF-8
    SUBLAYER_PHOTO = 0x00000100  # IPTUX_SENDSUBLAYER: the sender's photo
    SUBLAYER_PICTURE = 0x00000200  # IPTUX_SENDSUBLAYER: a picture in a chat


def mode_of(command: int) -> int:
    return command & 0xFF


@dataclass(frozen=True)
class Packet:
    """One packet as it came. `user`, `host` and `extra` are raw bytes (their encoding is the sender's)."""

    version: str
    number: int
    user: bytes
    host: bytes
    command: int
    extra: bytes = b""

    @property
    def mode(self) -> int:
        return mode_of(self.command)

    def has(self, option: Opt) -> bool:
        return bool(self.command & option)

    @property
    def fields(self) -> list[bytes]:
        """The extra split on NUL: the main field first (a trailing empty field dropped)."""
        parts = self.extra.split(b"\0")
        if len(parts) > 1 and parts[-1] == b"":
            parts.pop()
        return parts


def parse_packet(data: bytes) -> Packet | None:
    """The packet in `data`, or None when it is not one (dropped silently)."""
    if not data or len(data) > MAX_PACKET:
        return None
    parts = data.split(b":", 5)
    if len(parts) < 5:
        return None
    if len(parts) == 5:
        parts.append(b"")
    version, number, user, host, command, extra = parts
    if any(len(field) > MAX_HEADER_FIELD for field in (version, user, host)) or b"\0" in version:
        return None
    if not (number.isdigit() and command.isdigit()) or len(number) > 20 or len(command) > 10:
        return None
    packet_number, command_value = int(number), int(command)
    if packet_number > MAX_PACKET_NUMBER or command_value > 0xFFFFFFFF:
        return None
    return Packet(version.decode("latin-1"), packet_number, user, host, command_value, extra)


def encode_packet(packet: Packet) -> bytes:
    """The bytes of a packet; a NUL ends the extra (as every IP Messenger peer writes it).

    Raises:
        ValueError: a header field holds ':' or NUL, or the packet is too large.
    """
    for field in (packet.version.encode("latin-1"), packet.user, packet.host):
        if b":" in field or b"\0" in field:
            raise ValueError("':' and NUL cannot appear in the header")
    header = b":".join([
        packet.version.encode("latin-1"), str(packet.number).encode(), packet.user, packet.host,
        str(packet.command).encode(),
    ])
    extra = packet.extra if packet.extra.endswith(b"\0") else packet.extra + b"\0"
    data = header + b":" + extra
    if len(data) > MAX_PACKET:
        raise ValueError(f"a packet of {len(data)} bytes is over {MAX_PACKET}")
    return data


def header_safe(label: str) -> str:
    """A user or host name fit for the header: ':' becomes ';' (as the spec says), NUL goes."""
    return label.replace(":", ";").replace("\0", "")
