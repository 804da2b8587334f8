"""Where a profile lives when no --profile is given."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

APP_NAME = "lanchat"


def default_profile_dir() -> Path:
    """The platform's user data folder for lanchat (QStandardPaths.AppDataLocation).

    E.g. `~/.local/share/lanchat` on Linux, `%APPDATA%/lanchat` on Windows,
    `~/Library/Application Support/lanchat` on macOS. Computed with the
    application name "lanchat" and no organisation, whatever the running
    application is called; the folder is not created.
    """
    app_name = QCoreApplication.applicationName()
    org_name = QCoreApplication.organizationName()
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName("")
    try:
        location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    finally:
        QCoreApplication.setApplicationName(app_name)
        QCoreApplication.setOrganizationName(org_name)
    if not location:
        return Path.home() / f".{APP_NAME}"
    return Path(location)
