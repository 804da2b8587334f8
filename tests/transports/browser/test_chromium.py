"""A phone with nothing installed: headless Chromium on another host of a test LAN opens the link of lanchat's own QR
code, sends pictures through the page's file input and downloads what is shared (tests/netlab.py namespaces).

lanchat runs as `lanchat share` (host 0); Chromium and ChromeDriver run inside host 1, whose uplink is slowed
to 40 Mbit/s so progress has time to show. Screenshots of the page at phone size go to the folder LANCHAT_SCREENSHOTS
names, when set (docs/screenshots/ holds the last ones taken).
Needs root, Debian's chromium, chromium-driver and libzbar0, and selenium and pyzbar from PyPI.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

import pytest
from netlab import LAN, can_make_namespaces
from peers import JsonLinesProcess

pytestmark = pytest.mark.namespaces

HERE = Path(__file__).resolve().parent
SCREENSHOTS = os.environ.get("LANCHAT_SCREENSHOTS")  # a folder for the page's screenshots, when set
SHARE = HERE / "lanchat_share.py"
DRIVER = HERE / "chromium_page.py"


def missing() -> str | None:
    for tool in ("/usr/bin/chromium", "/usr/bin/chromedriver", "tc"):
        if shutil.which(tool) is None:
            return f"needs {tool}"
    try:
        import selenium  # noqa: F401
        from pyzbar import pyzbar  # noqa: F401
    except ImportError as e:  # pyzbar also fails without libzbar0
        return f"needs selenium and pyzbar (with libzbar0): {e}"
    return can_make_namespaces()


@pytest.fixture
def lan():
    why = missing()
    if why:
        pytest.skip(why)
    network = LAN(2)
    LAN.exec_in(network.hosts[1], "tc", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", "40mbit",
                "burst", "32kb", "latency", "400ms")
    yield network
    network.remove()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def picture(path: Path, width: int, height: int) -> Path:
    """A JPEG of noise (it compresses badly, as photos do): a 4000×3000 one is a 12 MP photo of about 9 MB."""
    from PIL import Image

    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(path, quality=85)
    return path


def qr_link(png: Path) -> str:
    from PIL import Image
    from pyzbar.pyzbar import decode

    with Image.open(png) as image:
        found = decode(image)
    assert len(found) == 1, "lanchat's QR code does not decode"
    return found[0].data.decode("utf-8")


def start_share(lan: LAN, tmp_path: Path, *extra: str) -> tuple[JsonLinesProcess, dict, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    qr = tmp_path / "qr.png"
    lanchat = JsonLinesProcess([*lan.prefix(0), sys.executable, str(SHARE), "--profile", str(tmp_path / "alice"),
                                "--name", "Alice", "--download-dir", str(tmp_path / "in"), "--qr-png", str(qr),
                                *extra], env)
    share = lanchat.wait_for(lambda e: e["event"] == "share", timeout=20)
    link = qr_link(qr)
    return lanchat, share, link


def keep_screenshot(taken: Path, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(taken, Path(SCREENSHOTS) / name)


def chromium(lan: LAN, *args: str) -> JsonLinesProcess:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return JsonLinesProcess([*lan.prefix(1), sys.executable, str(DRIVER), *args], env)


def step(driver: JsonLinesProcess, name: str, timeout: float) -> dict:
    event = driver.wait_for(lambda e: e["step"] in (name, "error"), timeout)
    assert event["step"] == name, event
    return event


def test_a_phone_sends_three_pictures_when_accepted_and_downloads_two_files(lan, tmp_path):
    photos = [picture(tmp_path / "IMG_0001.jpg", 4000, 3000), picture(tmp_path / "IMG_0002.jpg", 1200, 900),
              picture(tmp_path / "IMG_0003.jpg", 800, 600)]
    given = [tmp_path / "homework.pdf", picture(tmp_path / "class photo.jpg", 640, 480)]
    given[0].write_bytes(os.urandom(300_000))
    lanchat, share, link = start_share(lan, tmp_path, "--receive", "--give", str(given[0]), "--give", str(given[1]),
                                       "--accept", "ask")
    saved_to = tmp_path / "phone-downloads"
    saved_to.mkdir()
    driver = None
    try:
        assert link in share["urls"] and link.startswith(f"http://{lan.addresses[0]}:")
        driver = chromium(lan, "--url", link, "--lang", "en", "--upload", *map(str, photos),
                          "--download-dir", str(saved_to), "--screenshot", str(tmp_path / "en.png"))
        assert step(driver, "opened", 30)["lang"] == "en"
        assert "Waiting for Alice" in step(driver, "waiting", 30)["text"]

        offered = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["needs_decision"], timeout=20)
        phone = lanchat.wait_for(lambda e: e["event"] == "peer" and e["id"] == offered["peer"], timeout=5)
        assert offered["peer"].startswith("browser:") and offered["state"] == "offered"
        assert phone["protocol"] == "browser" and phone["name"] == "iPhone" and phone["address"] == lan.addresses[1]
        assert [f["path"] for f in offered["files"]] == [p.name for p in photos]
        assert not (tmp_path / "in").exists() or not any((tmp_path / "in").glob("*.jpg"))  # held until accepted

        lanchat.command(cmd="accept", id="1", tid=offered["tid"])
        done = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["tid"] == offered["tid"]
                                and e["state"] in ("done", "failed", "cancelled"), timeout=120)
        assert done["state"] == "done"
        assert [sha256_of(Path(f["saved_as"])) for f in done["files"]] == [sha256_of(p) for p in photos]
        assert any(e["event"] == "transfer" and e["state"] == "progress" and 0 < e["bytes"] < e["total"]
                   for e in lanchat.seen), "lanchat showed no progress"

        uploaded = step(driver, "uploaded", 60)
        assert all(state.startswith("Sent ✓") for state in uploaded["states"])
        assert any(0 < percent < 100 for percent in uploaded["progress"]), uploaded  # the page showed progress
        downloaded = step(driver, "downloaded", 60)
        assert sorted(downloaded["files"]) == sorted(p.name for p in given)
        assert [sha256_of(saved_to / p.name) for p in given] == [sha256_of(p) for p in given]
        ends = [lanchat.wait_for(lambda e, n=p.name: e["event"] == "download" and e["path"] == n
                                 and e["state"] == "done", timeout=10) for p in given]
        assert all(e["bytes"] == e["total"] and e["address"] == lan.addresses[1] for e in ends)
        step(driver, "screenshot", 30)
        keep_screenshot(tmp_path / "en.png", "browser-share-en.png")
    finally:
        if driver is not None:
            driver.stop()
        lanchat.stop()


def test_the_page_speaks_chinese_asks_the_pin_and_a_link_that_accepts_everything_needs_no_click(lan, tmp_path):
    photo = picture(tmp_path / "照片.jpg", 1600, 1200)
    given = picture(tmp_path / "班级合影.jpg", 640, 480)
    lanchat, share, link = start_share(lan, tmp_path, "--receive", "--give", str(given), "--random-pin",
                                       "--accept-all")
    driver = None
    try:
        assert share["pin"] and len(share["pin"]) == 4 and share["accept_all"]
        driver = chromium(lan, "--url", link, "--lang", "zh-CN", "--pin", share["pin"], "--upload", str(photo),
                          "--screenshot", str(tmp_path / "zh.png"))
        assert step(driver, "opened", 30)["lang"] == "zh-CN"
        done = lanchat.wait_for(lambda e: e["event"] == "transfer" and e["state"] in ("done", "failed"), timeout=60)
        assert done["state"] == "done" and sha256_of(Path(done["files"][0]["saved_as"])) == sha256_of(photo)
        assert step(driver, "uploaded", 60)["states"][0].startswith("已发送")
        step(driver, "screenshot", 30)
        keep_screenshot(tmp_path / "zh.png", "browser-share-zh_CN.png")
    finally:
        if driver is not None:
            driver.stop()
        lanchat.stop()
