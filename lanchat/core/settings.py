"""Settings kept in the profile (an INI file through QSettings)."""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from lanchat.core.contacts import JOINABLE_NETWORKS, Network
from lanchat.core.private_files import private_file

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
        """Raises OSError: the settings file cannot be created."""
        path = private_file(profile / "settings.ini")  # QSettings keeps its mode when it rewrites it
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

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

    @property
    def protocols(self) -> frozenset[Network]:
        """The networks the window joins (headless and send join lanchat's unless told)."""
        value = self._get("protocols", [n.value for n in JOINABLE_NETWORKS])
        items = value if isinstance(value, list) else str(value).split(",")
        names = {str(item).strip() for item in items}
        return frozenset(n for n in JOINABLE_NETWORKS if n.value in names)

    @protocols.setter
    def protocols(self, value: frozenset[Network]) -> None:
        self._set("protocols", [n.value for n in JOINABLE_NETWORKS if n in value])

    @property
    def ipmsg_codepage(self) -> str:
        """The code page for IP Messenger peers that do not read UTF-8: gb18030 (Feiq) or cp932 (Japanese)."""
        value = str(self._get("ipmsg_codepage", "gb18030"))
        return value if value in ("gb18030", "cp932") else "gb18030"

    @ipmsg_codepage.setter
    def ipmsg_codepage(self, value: str) -> None:
        self._set("ipmsg_codepage", value)

    @property
    def picture_suspects(self) -> list[str]:
        """Contacts that once sent a "picture" that was not one: their pictures always wait for a decision."""
        return self._lines("picture_suspects")

    @picture_suspects.setter
    def picture_suspects(self, value: list[str]) -> None:
        self._set("picture_suspects", "\n".join(value))

    @property
    def localsend_pin(self) -> str:
        """The PIN LocalSend senders must give to send to us; empty for none."""
        value = self._get("localsend_pin", "")
        return str(value) if value else ""

    @localsend_pin.setter
    def localsend_pin(self, value: str) -> None:
        self._set("localsend_pin", value)

    @property
    def browser_https(self) -> bool:
        """Shares for browsers are served over HTTPS with the profile's certificate (the browser warns once)."""
        return self._bool("browser_https", False)

    @browser_https.setter
    def browser_https(self, value: bool) -> None:
        self._set("browser_https", bool(value))

    def value(self, key: str, default: object = None) -> object:
        """Any other setting (the window's own)."""
        return self._get(key, default)

    def set_value(self, key: str, value: object) -> None:
        self._set(key, value)

    # --- the window's settings ------------------------------------------------

    def _bool(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("1", "true", "yes", "on")

    def _int_or_none(self, key: str) -> int | None:
        value = self._get(key, None)
        try:
            return None if value in (None, "") else int(str(value))
        except ValueError:
            return None

    def _lines(self, key: str) -> list[str]:
        value = self._get(key, "")
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]

    @property
    def group(self) -> str:
        return str(self._get("group", "") or "")[:64]

    @group.setter
    def group(self, value: str) -> None:
        self._set("group", value.strip()[:64])

    @property
    def avatar_path(self) -> Path | None:
        """The square PNG of our avatar (kept in the profile), if any."""
        value = self._get("avatar_path", None)
        return Path(str(value)) if value else None

    @avatar_path.setter
    def avatar_path(self, value: Path | None) -> None:
        self._set("avatar_path", str(value) if value else "")

    @property
    def language(self) -> str:
        """"" follows the system; else a locale name such as "en" or "zh_CN"."""
        return str(self._get("language", "") or "")

    @language.setter
    def language(self, value: str) -> None:
        self._set("language", value)

    @property
    def start_minimised(self) -> bool:
        return self._bool("start_minimised", False)

    @start_minimised.setter
    def start_minimised(self, value: bool) -> None:
        self._set("start_minimised", bool(value))

    @property
    def screenshot_hides_window(self) -> bool:
        """lanchat's window gets out of the way while a screenshot is taken."""
        return self._bool("screenshot_hides_window", True)

    @screenshot_hides_window.setter
    def screenshot_hides_window(self, value: bool) -> None:
        self._set("screenshot_hides_window", bool(value))

    @property
    def minimise_to_tray(self) -> bool:
        return self._bool("minimise_to_tray", True)

    @minimise_to_tray.setter
    def minimise_to_tray(self, value: bool) -> None:
        self._set("minimise_to_tray", bool(value))

    @property
    def tray_hint_shown(self) -> bool:
        """Whether we said once that closing the window keeps lanchat in the tray."""
        return self._bool("tray_hint_shown", False)

    @tray_hint_shown.setter
    def tray_hint_shown(self, value: bool) -> None:
        self._set("tray_hint_shown", bool(value))

    @property
    def port(self) -> int | None:
        """The TCP port to use when --port is not given (None: the default)."""
        return self._int_or_none("port")

    @port.setter
    def port(self, value: int | None) -> None:
        self._set("port", "" if value is None else int(value))

    @property
    def presence_port(self) -> int | None:
        return self._int_or_none("presence_port")

    @presence_port.setter
    def presence_port(self, value: int | None) -> None:
        self._set("presence_port", "" if value is None else int(value))

    @property
    def targets(self) -> list[str]:
        """Extra presence targets (ADDR[:PORT]), as --target."""
        return self._lines("targets")

    @targets.setter
    def targets(self, value: list[str]) -> None:
        self._set("targets", "\n".join(v.strip() for v in value if v.strip()))

    @property
    def peers(self) -> list[str]:
        """Manual peers (HOST[:PORT]), as --peer."""
        return self._lines("peers")

    @peers.setter
    def peers(self, value: list[str]) -> None:
        self._set("peers", "\n".join(v.strip() for v in value if v.strip()))

    def has_download_dir(self) -> bool:
        return bool(self._get("download_dir", None))
