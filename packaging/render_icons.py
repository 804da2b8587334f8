"""Render lanchat's icons from the SVGs: hicolor PNGs, tray PNGs, a Windows .ico and a macOS .icns.

Usage: .venv/bin/python packaging/render_icons.py [--check]

The outputs are committed; run this after changing resources/icons/*.svg.
With --check, nothing is written and the exit code says whether the
committed files are what the SVGs render to now, pixel for pixel within a
small tolerance (1 = re-run without --check).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
APP_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
TRAY_SIZES = (22, 32, 64)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's icns element types, each one PNG of the given pixel size.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The SVG drawn into a transparent size x size image, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG"):
        raise RuntimeError(f"could not encode a {size} px PNG")
    buffer.close()
    return bytes(data.data())


def ico_file(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG per size (Vista and later read PNG entries)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def icns_file(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG elements (10.7 and later)."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def outputs() -> dict[Path, bytes]:
    """Every file this script writes, with its content."""
    app = QSvgRenderer(str(ICONS / "lanchat.svg"))
    tray = QSvgRenderer(str(ICONS / "lanchat-tray.svg"))
    if not (app.isValid() and tray.isValid()):
        raise RuntimeError("QSvgRenderer could not read resources/icons/*.svg")
    pngs = {size: render_png(app, size) for size in {*APP_SIZES, *ICO_SIZES, 1024}}
    files = {ICONS / "hicolor" / f"{s}x{s}" / "apps" / "lanchat.png": pngs[s] for s in APP_SIZES}
    for size in TRAY_SIZES:
        files[ICONS / "tray" / f"lanchat-tray-{size}.png"] = render_png(tray, size)
    files[ICONS / "lanchat.ico"] = ico_file({s: pngs[s] for s in ICO_SIZES})
    files[ICONS / "lanchat.icns"] = icns_file(pngs)
    return files


def frames(data: bytes) -> list[QImage]:
    """Every image in a PNG, .ico or .icns file, as ARGB32."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    images = []
    for index in range(max(reader.imageCount(), 1)):
        reader.jumpToImage(index)
        images.append(reader.read().convertToFormat(QImage.Format.Format_ARGB32))
    return images


def looks_the_same(old: bytes, new: bytes, tolerance: int = 4) -> bool:
    """Pixel for pixel within `tolerance`: Qt's raster engine may round differently on another CPU."""
    old_frames, new_frames = frames(old), frames(new)
    if len(old_frames) != len(new_frames):
        return False
    for a, b in zip(old_frames, new_frames, strict=True):
        if a.size() != b.size() or a.isNull():
            return False
        pixels_a, pixels_b = bytes(a.constBits()), bytes(b.constBits())
        if max(abs(x - y) for x, y in zip(pixels_a, pixels_b, strict=True)) > tolerance:
            return False
    return True


def main(argv: list[str]) -> int:
    check = "--check" in argv
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    stale = []
    for path, data in sorted(outputs().items()):
        rel = path.relative_to(ICONS.parent.parent)
        if path.exists() and path.read_bytes() == data:
            continue
        if check and path.exists() and looks_the_same(path.read_bytes(), data):
            continue
        stale.append(rel)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {rel} ({len(data)} bytes)")
    if check and stale:
        print("out of date (run packaging/render_icons.py):", *stale, sep="\n  ")
        return 1
    if not stale:
        print("icons up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
