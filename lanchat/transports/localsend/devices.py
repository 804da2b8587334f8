"""The LocalSend devices we know (main thread): online until 120 s without an announce or register, at most 4096.

Ordered by when each was last heard, so the oldest is first: making room
drops it in O(1) when it is offline, and refuses a new device when even the
oldest is online. A device keeps its address against an unconfirmed claim
from another one while it is online: an announce is not signed, and only a
pinned connection (our register answer to it) confirms where it is.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, replace

from lanchat.transports.localsend.protocol.device import DeviceInfo

MAX_DEVICES = 4096
OFFLINE_SECONDS = 120.0


@dataclass(frozen=True)
class Device:
    info: DeviceInfo
    address: str
    last_heard: float
    online: bool = True

    @property
    def fingerprint(self) -> str:
        return self.info.fingerprint


class DeviceTable:
    def __init__(self, max_devices: int = MAX_DEVICES) -> None:
        self._max = max_devices
        self._devices: OrderedDict[str, Device] = OrderedDict()  # fingerprint -> device, least recently heard first

    def __len__(self) -> int:
        return len(self._devices)

    def get(self, fingerprint: str) -> Device | None:
        return self._devices.get(fingerprint.upper())

    def at(self, address: str) -> Device | None:
        """The online device at `address` (the most recently heard)."""
        found = [d for d in self._devices.values() if d.address == address and d.online]
        return found[-1] if found else None

    def online(self) -> Iterator[Device]:
        return (d for d in self._devices.values() if d.online)

    def heard(self, address: str, info: DeviceInfo, now: float, confirmed: bool) -> tuple[Device, bool] | None:
        """A device spoke (`confirmed`: over a connection pinned to its fingerprint).

        Returns the device and whether anything shown changed, or None when
        the claim is not taken (another address of an online device, unconfirmed;
        or the table is full of online devices).
        """
        key = info.fingerprint
        old = self._devices.get(key)
        if old is not None and old.online and old.address != address and not confirmed:
            return None
        if old is None and len(self._devices) >= self._max:
            oldest = next(iter(self._devices.values()))
            if oldest.online:
                return None
            del self._devices[oldest.fingerprint]
        device = Device(info, address, now)
        self._devices[key] = device
        self._devices.move_to_end(key)
        changed = old is None or not old.online or old.address != address or _shown(old.info) != _shown(info)
        return device, changed

    def expire(self, now: float) -> list[Device]:
        """The devices silent for 120 s, now offline (each reported once)."""
        silent = []
        for device in self._devices.values():
            if now - device.last_heard < OFFLINE_SECONDS:
                break
            if device.online:
                silent.append(replace(device, online=False))
        for device in silent:
            self._devices[device.fingerprint] = device
        return silent


def _shown(info: DeviceInfo) -> tuple[str, int, str]:
    return info.alias, info.port, info.protocol
