"""Taking the picture of the screens: Qt's grab where the platform allows it (X11, Windows, macOS)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QImage, QPainter


@dataclass(frozen=True)
class Frozen:
    """The screens as they were: `image` in device pixels, `geometry` in logical ones, `ratio` between them."""

    image: QImage
    geometry: QRect
    ratio: float

    def crop(self, region: QRect) -> QImage:
        """The part of the picture under `region` (logical coordinates of the virtual desktop)."""
        local = region.translated(-self.geometry.topLeft())
        r = self.ratio
        return self.image.copy(QRect(round(local.x() * r), round(local.y() * r),
                                     round(local.width() * r), round(local.height() * r)))


def can_grab() -> bool:
    """Whether this platform lets a program read the screen (Wayland does not: use the portal)."""
    return not QGuiApplication.platformName().startswith(("wayland", "offscreen", "minimal"))


def grab_screens() -> Frozen | None:
    """Every screen as one picture (GUI thread), or None when the platform refuses or gives nothing."""
    if not can_grab():
        return None
    screens = QGuiApplication.screens()
    if not screens:
        return None
    geometry = QRect()
    for screen in screens:
        geometry = geometry.united(screen.geometry())
    if len(screens) == 1:
        shot = screens[0].grabWindow(0)
        if shot.isNull():
            return None
        return Frozen(shot.toImage(), geometry, shot.devicePixelRatio())
    image = QImage(geometry.size(), QImage.Format.Format_RGB32)
    image.fill(0)
    painter = QPainter(image)
    for screen in screens:
        shot = screen.grabWindow(0)
        if not shot.isNull():
            painter.drawPixmap(screen.geometry().translated(-geometry.topLeft()), shot)
    painter.end()
    return Frozen(image, geometry, 1.0)
