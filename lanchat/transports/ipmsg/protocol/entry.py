"""Entry packets (BR_ENTRY, ANSENTRY, BR_ABSENCE): who a peer says it is.

The extra is `nickname NUL group NUL ...`. iptux adds an icon name and its
encoding (`nick NUL group NUL icon NUL utf-8 NUL`); IP Messenger 3+ may add
`NUL \\n UN:user \\n HN:host \\n NN:nick \\n GN:group \\n` in UTF-8. lanchat's own
entries carry the version `1_lanchat#<64-hex id>` so another lanchat lists it once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lanchat.transports.ipmsg.protocol import text
from lanchat.transports.ipmsg.protocol.packet import Opt, Packet

LANCHAT_VERSION_PREFIX = "1_lanchat#"
_LANCHAT_VERSION = re.compile(r"1_lanchat#([0-9a-f]{64})")


@dataclass(frozen=True)
class Entry:
    """What an entry packet says: names already decoded.

    `reads_utf8`: the peer announced UTF-8 (UTF8OPT, CAPUTF8OPT, or iptux's
    `utf-8` field), so we write UTF-8 to it. `writes_utf8`: it said its own
    text is UTF-8 even without UTF8OPT on each packet (iptux's field).
    """

    nickname: str
    group: str
    reads_utf8: bool
    writes_utf8: bool
    away: bool
    lanchat_id: str | None  # set when the peer is a lanchat (its version says so)
    iptux: bool


def lanchat_version(own_id: str) -> str:
    return LANCHAT_VERSION_PREFIX + own_id


def lanchat_id_of(version: str) -> str | None:
    match = _LANCHAT_VERSION.fullmatch(version)
    return match.group(1) if match else None


def encoding_field_says_utf8(packet: Packet) -> bool:
    """iptux announces its encoding only as the 4th field of its entries."""
    fields = packet.fields
    return len(fields) >= 4 and fields[3].strip().lower() in (b"utf-8", b"utf8")


def parse_entry(packet: Packet, legacy: text.Legacy) -> Entry:
    """The names and flags of an entry packet (any mode); never raises."""
    fields = packet.fields
    writes_utf8 = encoding_field_says_utf8(packet)
    utf8 = packet.has(Opt.UTF8) or writes_utf8
    nickname = text.clean(text.decode(fields[0], utf8, legacy)) if fields else ""
    group = text.clean(text.decode(fields[1], utf8, legacy)) if len(fields) > 1 else ""
    for field in fields[2:]:  # IP Messenger 3+: the UTF-8 names after the legacy ones
        if field.startswith(b"\n"):
            names = dict(line.split(b":", 1) for line in field.split(b"\n") if b":" in line)
            nickname = text.clean(names[b"NN"].decode("utf-8", "replace")) if b"NN" in names else nickname
            group = text.clean(names[b"GN"].decode("utf-8", "replace")) if b"GN" in names else group
    iptux = "iptux" in packet.version
    if not nickname:
        nickname = text.clean(text.decode(packet.user, utf8, legacy)) or text.clean(
            text.decode(packet.host, utf8, legacy))
    return Entry(
        nickname, group, reads_utf8=utf8 or packet.has(Opt.CAPUTF8), writes_utf8=writes_utf8,
        away=packet.has(Opt.ABSENCE) and not iptux, lanchat_id=lanchat_id_of(packet.version), iptux=iptux,
    )


def entry_extra(nickname: str, group: str, utf8: bool, legacy: text.Legacy) -> bytes:
    """Our entry's extra: names in the peer's encoding, and iptux's `utf-8` field when we write UTF-8."""
    fields = [text.encode(nickname, utf8, legacy), text.encode(group, utf8, legacy)]
    if utf8:
        fields += [b"", b"utf-8"]
    return b"\0".join(fields) + b"\0"
