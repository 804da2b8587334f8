"""The LocalSend device table: 120 s expiry, 4096 at most, unconfirmed address claims (localsend/devices.py)."""

from __future__ import annotations

from lanchat.transports.localsend.devices import OFFLINE_SECONDS, DeviceTable
from lanchat.transports.localsend.protocol.device import DeviceInfo


def info(n: int, alias: str = "dev") -> DeviceInfo:
    return DeviceInfo(alias, f"{n:064X}")


def test_a_device_goes_offline_after_120_s_without_a_word():
    table = DeviceTable()
    device, changed = table.heard("10.0.0.2", info(1), 0.0, confirmed=False)  # type: ignore[misc]
    assert changed and device.online
    assert table.heard("10.0.0.2", info(1), 100.0, confirmed=False)[1] is False  # type: ignore[index]
    assert table.expire(100.0 + OFFLINE_SECONDS - 1) == []
    gone = table.expire(100.0 + OFFLINE_SECONDS)
    assert [d.fingerprint for d in gone] == [info(1).fingerprint] and not gone[0].online
    assert table.expire(1000.0) == []  # reported once
    assert table.heard("10.0.0.2", info(1), 1001.0, confirmed=False)[1] is True  # type: ignore[index]


def test_an_online_device_keeps_its_address_against_an_unconfirmed_claim():
    table = DeviceTable()
    table.heard("10.0.0.2", info(1), 0.0, confirmed=False)
    assert table.heard("10.0.0.66", info(1), 1.0, confirmed=False) is None
    assert table.get(info(1).fingerprint.lower()).address == "10.0.0.2"  # type: ignore[union-attr]
    moved = table.heard("10.0.0.66", info(1), 2.0, confirmed=True)  # our pinned register reached it there
    assert moved is not None and moved[0].address == "10.0.0.66" and moved[1]
    assert table.heard("10.0.0.66", info(1, "new name"), 3.0, confirmed=False)[1]  # type: ignore[index]


def test_at_most_max_devices_and_room_costs_one_step():
    table = DeviceTable(max_devices=3)
    for n in range(3):
        table.heard(f"10.0.0.{n}", info(n), float(n), confirmed=False)
    assert table.heard("10.0.0.9", info(9), 10.0, confirmed=False) is None  # all online: refused
    table.expire(0.0 + OFFLINE_SECONDS)  # device 0 is offline now
    assert table.heard("10.0.0.9", info(9), OFFLINE_SECONDS, confirmed=False) is not None
    assert len(table) == 3 and table.get(info(0).fingerprint) is None  # the oldest offline one went
    assert table.at("10.0.0.9") is not None and table.at("10.0.0.0") is None
