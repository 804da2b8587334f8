"""The desktop entry, AppStream metainfo and icons agree with pyproject.toml and each other.

Fast checks only: the release build itself runs in `make package-test`.
"""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RES = ROOT / "resources"
DESKTOP = RES / "lanchat.desktop"
METAINFO = RES / "io.github.lanchat.metainfo.xml"
ICONS = RES / "icons"
APP_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
TRAY_SIZES = (22, 32, 64)
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_desktop_entry_starts_the_installed_command_with_its_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == PROJECT["name"]
    assert entry["Exec"].split()[0] in PROJECT["scripts"]
    assert entry["Icon"] == "lanchat"
    assert entry["Terminal"] == "false"
    assert {"Network", "InstantMessaging"} <= set(entry["Categories"].rstrip(";").split(";"))


def test_metainfo_names_the_desktop_entry_binary_icon_and_this_version() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == "io.github.lanchat"
    assert root.findtext("name") == desktop_entry()["Name"]
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("icon[@type='stock']") == desktop_entry()["Icon"]
    assert root.findtext("provides/binary") in PROJECT["scripts"]
    assert root.findtext("project_license") == PROJECT["license"]
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == PROJECT["version"], (
        "add a <release> for the pyproject.toml version at the top of <releases>"
    )


@pytest.mark.parametrize("size", APP_SIZES)
def test_hicolor_png_has_its_size(size: int) -> None:
    assert png_size(ICONS / "hicolor" / f"{size}x{size}" / "apps" / "lanchat.png") == (size, size)


@pytest.mark.parametrize("size", TRAY_SIZES)
def test_tray_png_has_its_size(size: int) -> None:
    assert png_size(ICONS / "tray" / f"lanchat-tray-{size}.png") == (size, size)


@pytest.mark.parametrize("name", ["lanchat.svg", "lanchat-tray.svg"])
def test_svg_is_square(name: str) -> None:
    root = ET.parse(ICONS / name).getroot()
    _, _, width, height = root.get("viewBox", "").split()
    assert width == height


def test_windows_ico_and_macos_icns_hold_every_size() -> None:
    ico = (ICONS / "lanchat.ico").read_bytes()
    _, kind, count = struct.unpack("<HHH", ico[:6])
    sizes = {ico[6 + 16 * i] or 256 for i in range(count)}
    assert kind == 1 and sizes == {16, 24, 32, 48, 64, 128, 256}
    icns = (ICONS / "lanchat.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    kinds, offset = set(), 8
    while offset < len(icns):
        kinds.add(icns[offset:offset + 4])
        offset += struct.unpack(">I", icns[offset + 4:offset + 8])[0]
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} <= kinds


def test_committed_pngs_are_what_the_svgs_render_to() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "render_icons.py"), "--check"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils not installed")
def test_desktop_file_validate() -> None:
    done = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream not installed")
def test_appstreamcli_validate() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--pedantic", str(METAINFO)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
