"""Pictures as files: upright and scaled reading, iPhone photos, what is sent for "Original" on and off."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from lanchat.core.transfers.outgoing_pictures import SCALED_EDGE, picture_to_send, readable_name
from lanchat.core.transfers.pictures import is_picture, picture_size, read_picture

ORIENTATION = 0x0112


def phone_photo(path: Path, size: tuple[int, int] = (400, 300), orientation: int = 6) -> Path:
    """A JPEG stored sideways with an EXIF orientation, as phones write them: left half red, right half blue."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    image.save(path, "JPEG", exif=exif, quality=95)
    return path


def heic(path: Path, size: tuple[int, int] = (640, 480)) -> Path:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    Image.new("RGB", size, (20, 160, 60)).save(path, quality=90)
    return path


def test_a_sideways_phone_photo_reads_upright_and_scaled(tmp_path):
    photo = phone_photo(tmp_path / "IMG_0001.JPG")
    assert picture_size(photo) == QSize(300, 400)
    full = read_picture(photo)
    assert (full.width(), full.height()) == (300, 400)
    # Orientation 6 turns it clockwise: the red left half ends up on top.
    assert QColor(full.pixel(150, 50)).red() > 200 and QColor(full.pixel(150, 350)).blue() > 200
    small = read_picture(photo, QSize(150, 150))
    assert (small.width(), small.height()) == (112, 150)


def test_an_iphone_photo_reads_and_is_sent_as_a_full_size_jpeg(tmp_path):
    photo = heic(tmp_path / "IMG_0002.HEIC")
    assert picture_size(photo) == QSize(640, 480)
    assert QColor(read_picture(photo, QSize(64, 64)).pixel(10, 10)).green() > 120
    sent = picture_to_send(photo, tmp_path / "outgoing", original=True)
    assert sent.name == "IMG_0002.jpg" and sent.parent == tmp_path / "outgoing"
    assert is_picture(sent, sent.name) and QImage(str(sent)).size() == QSize(640, 480)
    assert sent.stat().st_mode & 0o077 == 0


def test_original_off_sends_a_2048_px_jpeg_but_keeps_small_jpegs_and_gifs(tmp_path):
    big = tmp_path / "poster.png"
    image = QImage(4000, 1000, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))  # transparent: white once it is a JPEG
    assert image.save(str(big))
    scaled = picture_to_send(big, tmp_path / "outgoing", original=False)
    assert scaled.suffix == ".jpg" and QImage(str(scaled)).size() == QSize(SCALED_EDGE, 512)
    assert QColor(QImage(str(scaled)).pixel(5, 5)).lightness() > 250
    assert picture_to_send(big, tmp_path / "outgoing", original=True) == big

    small = phone_photo(tmp_path / "small.jpg")
    assert picture_to_send(small, tmp_path / "outgoing", original=False) == small
    gif = tmp_path / "dance.gif"
    Image.new("P", (3000, 3000)).save(gif)  # Qt writes no GIFs
    assert picture_to_send(gif, tmp_path / "outgoing", original=False) == gif


def test_a_file_that_is_no_picture_is_refused(tmp_path):
    fake = tmp_path / "fake.heic"
    fake.write_bytes(b"not a picture")
    assert read_picture(fake).isNull()
    with pytest.raises(ValueError, match="fake.heic"):
        picture_to_send(fake, tmp_path / "outgoing", original=True)


def test_readable_names():
    import datetime

    when = datetime.datetime(2026, 11, 29, 10, 14, 5)
    assert readable_name("Screenshot", when) == "Screenshot 2026-11-29 10.14.05.png"
