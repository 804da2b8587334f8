"""A LocalSend device's info: the multicast announce, the register body and answer, `/info` (pure).

One JSON object with camelCase keys: alias, version, deviceModel, deviceType,
fingerprint, port, protocol ("http" | "https"), download, and in multicast
datagrams `announce` (true: please answer; false: an answer). Unknown keys
are ignored; a missing or mistyped required field is `BadMessage`.
"""

from __future__ import annotations

import ipaddress
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from lanchat.transports import json_object

MULTICAST_GROUP = "224.0.0.167"
PORT = 53317
VERSION = "2.2"
API = "/api/localsend/v2"
MAX_DATAGRAM = 8192  # an announce is a few hundred bytes
MAX_ALIAS_CHARS = 64  # what lanchat shows (longer ones are cut)
_FINGERPRINT = re.compile(r"[0-9A-Za-z_\-]{1,128}")
_DEVICE_TYPES = ("mobile", "desktop", "web", "headless", "server")


class BadMessage(ValueError):
    """The peer sent something that is not a valid LocalSend message (a RemoteProtocolError)."""


@dataclass(frozen=True)
class DeviceInfo:
    """What a device says about itself. `fingerprint` is upper case (compare case-insensitively)."""

    alias: str
    fingerprint: str
    port: int = PORT
    protocol: str = "https"
    version: str = VERSION
    device_model: str | None = None
    device_type: str | None = None
    download: bool = False

    @property
    def https(self) -> bool:
        return self.protocol == "https"


@dataclass(frozen=True)
class Announcement:
    """A multicast datagram: the sender's info, and whether it asks to be answered."""

    info: DeviceInfo
    announce: bool


def loads_object(data: bytes) -> dict[str, Any]:
    """One JSON object from UTF-8 bytes (no NaN/Infinity).

    Raises:
        BadMessage: not UTF-8, not JSON, or not an object.
    """
    try:
        return json_object.loads_object(data)
    except json_object.NotAnObject as e:
        raise BadMessage(str(e)) from None


def clean_text(text: str, limit: int) -> str:
    """`text` without control or format characters (bidi overrides), at most `limit` chars, stripped."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    return kept.strip()[:limit].strip()


def _str(obj: dict[str, Any], key: str, default: str | None, limit: int) -> str | None:
    value = obj.get(key, default)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise BadMessage(f"{key} must be a string of at most {limit} characters")
    return value


def parse_device(obj: dict[str, Any]) -> DeviceInfo:
    """A device's info from a decoded JSON object.

    Raises:
        BadMessage: a required field is missing or mistyped.
    """
    alias = _str(obj, "alias", None, 256)
    if alias is None:
        raise BadMessage("no alias")
    fingerprint = obj.get("fingerprint")
    if not isinstance(fingerprint, str) or _FINGERPRINT.fullmatch(fingerprint) is None:
        raise BadMessage("fingerprint must be 1..128 letters, digits, - or _")
    port = obj.get("port", PORT)
    if type(port) is not int or not 1 <= port <= 65535:
        raise BadMessage("port must be an integer 1..65535")
    protocol = obj.get("protocol", "https")
    if protocol not in ("http", "https"):
        raise BadMessage("protocol must be http or https")
    download = obj.get("download", False)
    if download is None:
        download = False
    if not isinstance(download, bool):
        raise BadMessage("download must be a boolean")
    device_type = _str(obj, "deviceType", None, 32)
    if device_type is not None and device_type not in _DEVICE_TYPES:
        device_type = "desktop"  # unknown types are shown as desktops
    return DeviceInfo(
        alias=clean_text(alias, MAX_ALIAS_CHARS) or "LocalSend",
        fingerprint=fingerprint.upper(),
        port=port,
        protocol=protocol,
        version=_str(obj, "version", "1.0", 16) or "1.0",
        device_model=_str(obj, "deviceModel", None, 128),
        device_type=device_type,
        download=download,
    )


def parse_announcement(data: bytes) -> Announcement:
    """A multicast datagram. `announce` missing counts as true (v1 called it `announcement`).

    Raises:
        BadMessage: too large, not JSON, or not a device's info.
    """
    if len(data) > MAX_DATAGRAM:
        raise BadMessage(f"a datagram over {MAX_DATAGRAM} bytes")
    obj = loads_object(data)
    announce = obj.get("announce", obj.get("announcement", True))
    if not isinstance(announce, bool):
        raise BadMessage("announce must be a boolean")
    return Announcement(parse_device(obj), announce)


def device_json(info: DeviceInfo, announce: bool | None = None) -> dict[str, Any]:
    """The JSON object of `info` (with `announce` for multicast datagrams)."""
    obj: dict[str, Any] = {
        "alias": info.alias, "version": info.version, "deviceModel": info.device_model,
        "deviceType": info.device_type, "fingerprint": info.fingerprint, "port": info.port,
        "protocol": info.protocol, "download": info.download,
    }
    if announce is not None:
        obj["announce"] = announce
    return obj


def encode_device(info: DeviceInfo, announce: bool | None = None) -> bytes:
    return json.dumps(device_json(info, announce), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def normalise_address(address: str) -> str:
    """An IP address as lanchat keeps it: IPv4-mapped IPv6 (`::ffff:10.0.0.5`) becomes plain IPv4."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def same_fingerprint(a: str, b: str) -> bool:
    """Fingerprints compare case-insensitively (localsend-cli announces lower case, others upper)."""
    return a.upper() == b.upper()
