"""Helpers of `app.run_window`: logging, settings that fill in missing options, the first run, the smoke test."""

from __future__ import annotations

import dataclasses
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from lanchat.app import Options, Runtime
from lanchat.core.settings import Settings, os_user_name
from lanchat.transports.lanchat.net.addresses import Target
from lanchat.ui.first_run import FirstRunDialog

log = logging.getLogger("lanchat.window")

LOG_FILE = "lanchat.log"


def configure_logging(profile: Path) -> None:
    """INFO and up to stderr, and to `<profile>/lanchat.log` (where crash reports go too)."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    try:
        profile.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(profile / LOG_FILE, encoding="utf-8"))
    except OSError as e:
        print(f"lanchat: cannot write the log file in {profile}: {e.strerror}", file=sys.stderr)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s", handlers=handlers,
        force=True,
    )


def with_settings(options: Options, args_given: set[str], settings: Settings) -> Options:
    """Saved settings for what the command line did not say (the command line wins for this run)."""
    changes: dict[str, object] = {}
    if "port" not in args_given and settings.port is not None:
        changes["port"] = settings.port
    if "presence_port" not in args_given and settings.presence_port is not None:
        changes["presence_port"] = settings.presence_port
    extra: list[Target] = []
    for text in [*settings.targets, *settings.peers]:
        try:
            extra.append(Target.parse(text))
        except ValueError:
            log.info("ignoring the saved presence target %r", text)
    if extra and not options.only_targets:
        changes["targets"] = tuple(dict.fromkeys((*options.targets, *extra)))
    if "accept" not in args_given and options.accept is None:
        changes["accept"] = settings.accept
    return dataclasses.replace(options, **changes) if changes else options  # type: ignore[arg-type]


def ask_first_name(settings: Settings, options: Options) -> bool:
    """On the first start (no saved name, no --name) ask for one; False when the person cancels."""
    if settings.name or options.name:
        return True
    dialog = FirstRunDialog(os_user_name())
    if dialog.exec() != FirstRunDialog.DialogCode.Accepted or not dialog.name():
        return False
    settings.name = dialog.name()
    return True


def startup_failed(message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "lanchat", message)
    box.setWindowTitle(QCoreApplication.translate("startup", "lanchat cannot start"))
    box.setInformativeText(QCoreApplication.translate(
        "startup", "Close other copies of lanchat or programs that use the same ports, then try again."))
    box.exec()


def smoke_test(app: QApplication, runtime: Runtime, window: object) -> int:
    """Built and started: stop every worker again and exit 0."""
    QTimer.singleShot(300, app.quit)
    app.exec()
    return 0
