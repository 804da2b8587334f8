"""Settings kept in the profile (an INI file through QSettings)."""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

DEFAULT_AUTO_ACCEPT_BYTES = 25 * 1000 * 1000


def os_user_name() -> str:
    try:
        name = getpass.getuser()
    except (OSError, KeyError):
        name = ""
    return (name or "lanchat user")[:64]


def default_download_dir() -> Path:
    downloads = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    return Path(downloads or Path.home() / "Downloads") / "lanchat"


class Settings:
    """Typed access to the profile's settings file."""

    def __init__(self, profile: Path) -> None:
        self._qs = QSettings(str(profile / "settings.ini"), QSettings.Format.IniFormat)

    def _get(self, key: str, default: object) -> object:
        return self._qs.value(key, default)

    def _set(self, key: str, value: object) -> None:
        self._qs.setValue(key, value)
        self._qs.sync()

    @property
    def name(self) -> str | None:
        value = self._get("name", None)
        return str(value)[:64] if value else None

    @name.setter
    def name(self, value: str) -> None:
        self._set("name", value[:64])

    @property
    def download_dir(self) -> Path:
        value = self._get("download_dir", None)
        return Path(str(value)) if value else default_download_dir()

    @download_dir.setter
    def download_dir(self, value: Path) -> None:
        self._set("download_dir", str(value))

    @property
    def accept(self) -> str:
        value = str(self._get("accept", "ask"))
        return value if value in ("auto", "ask", "never") else "ask"

    @accept.setter
    def accept(self, value: str) -> None:
        self._set("accept", value)

    @property
    def auto_accept_bytes(self) -> int:
        try:
            return int(str(self._get("auto_accept_bytes", DEFAULT_AUTO_ACCEPT_BYTES)))
        except ValueError:
            return DEFAULT_AUTO_ACCEPT_BYTES

    @auto_accept_bytes.setter
    def auto_accept_bytes(self, value: int) -> None:
        self._set("auto_accept_bytes", int(value))

    @property
    def status(self) -> str:
        value = str(self._get("status", "online"))
        return value if value in ("online", "away", "busy") else "online"

    @status.setter
    def status(self, value: str) -> None:
        self._set("status", value)

    def value(self, key: str, default: object = None) -> object:
        """Any other setting (the window's own)."""
        return self._get(key, default)

    def set_value(self, key: str, value: object) -> None:
        self._set(key, value)
