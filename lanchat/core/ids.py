"""The ids lanchat makes (messages, transfers, rooms) and reads (contacts on every network)."""

from __future__ import annotations

import re
import secrets

from lanchat.core.contacts import Network

_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def new_id() -> str:
    """A fresh 32-hex `mid`, `tid` or room id."""
    return secrets.token_hex(16)


def is_hex32(value: object) -> bool:
    return isinstance(value, str) and _HEX32.fullmatch(value) is not None


def is_lanchat_id(value: object) -> bool:
    """A lanchat contact id: 64 lowercase hex, the SHA-256 of its certificate."""
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def network_of(contact_id: str) -> Network:
    """The network a contact id belongs to: `ipmsg:…` and `localsend:…`, else lanchat."""
    prefix, sep, _ = contact_id.partition(":")
    if sep:
        for network in (Network.IPMSG, Network.LOCALSEND):
            if prefix == network.value:
                return network
    return Network.LANCHAT
