"""The ids lanchat makes (messages, transfers, rooms) and reads (contacts on every network)."""

from __future__ import annotations

import ipaddress
import re
import secrets

from lanchat.core.contacts import Network

_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FINGERPRINT = re.compile(r"[0-9A-Fa-f]{64}")


def new_id() -> str:
    """A fresh 32-hex `mid`, `tid` or room id."""
    return secrets.token_hex(16)


def is_hex32(value: object) -> bool:
    return isinstance(value, str) and _HEX32.fullmatch(value) is not None


def is_lanchat_id(value: object) -> bool:
    """A lanchat contact id: 64 lowercase hex, the SHA-256 of its certificate."""
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def network_of(contact_id: str) -> Network:
    """The network a contact id belongs to: `ipmsg:…`, `localsend:…` and `browser:…`, else lanchat."""
    prefix, sep, _ = contact_id.partition(":")
    if sep:
        for network in (Network.IPMSG, Network.LOCALSEND, Network.BROWSER):
            if prefix == network.value:
                return network
    return Network.LANCHAT


def canonical_id(contact_id: str) -> str:
    """A contact id as lanchat keeps it, whatever case it was typed in.

    A lanchat id is lower case, a LocalSend fingerprint upper case
    (`localsend:<FINGERPRINT>`); anything else is returned stripped.
    """
    text = contact_id.strip()
    prefix, sep, rest = text.partition(":")
    if sep and prefix.lower() == Network.LOCALSEND.value and _FINGERPRINT.fullmatch(rest):
        return f"{Network.LOCALSEND.value}:{rest.upper()}"
    if _FINGERPRINT.fullmatch(text):
        return text.lower()
    return text


def localsend_address(contact_id: str) -> str | None:
    """The IPv4 address of a `localsend:<IPv4>` id (a device asked for by its address), else None."""
    prefix, sep, rest = contact_id.strip().partition(":")
    if not sep or prefix.lower() != Network.LOCALSEND.value:
        return None
    try:
        return str(ipaddress.IPv4Address(rest))
    except ValueError:
        return None
