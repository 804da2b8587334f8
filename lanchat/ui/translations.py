"""English and 简体中文 through Qt Linguist; `python -m lanchat.ui.translations build|update`.

`build` compiles `resources/translations/*.ts` into `.qm` files with the venv's
`pyside6-lrelease`; `update` re-reads the sources with `pyside6-lupdate`.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from lanchat.resources import resource_path

log = logging.getLogger("lanchat.ui.translations")

#: (locale name, the language's own name), besides English, the source language.
LANGUAGES = (("en", "English"), ("zh_CN", "简体中文"))
TRANSLATED = ("zh_CN",)

_installed: list[QTranslator] = []


def pick_language(setting: str, system: QLocale | None = None) -> str:
    """The language to use: the setting, else the system's when we have it, else English."""
    if setting:
        return setting
    locale = system or QLocale.system()
    for code in TRANSLATED:
        if locale.name() == code or (code.startswith("zh") and locale.language() == QLocale.Language.Chinese
                                     and locale.script() != QLocale.Script.TraditionalHanScript):
            return code
    return "en"


def install_translators(app: QCoreApplication, setting: str = "") -> str:
    """Load lanchat's (and Qt's own) translations for the language; returns its code."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = pick_language(setting)
    if language == "en":
        return language
    ours = QTranslator(app)
    qm = resource_path("translations", f"lanchat_{language}.qm")
    if ours.load(str(qm)):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.info("no compiled translation at %s (run: python -m lanchat.ui.translations build)", qm)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return language


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 in this Python environment")
    return found


def build() -> int:
    """Compile every .ts into a .qm beside it."""
    folder = resource_path("translations")
    for ts in sorted(folder.glob("*.ts")):
        result = subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
                                check=False)
        if result.returncode:
            return result.returncode
    return 0


def update() -> int:
    """Re-read the translatable strings of lanchat/ui, lanchat/core and the window's start-up into the .ts files."""
    package = Path(__file__).resolve().parent.parent
    found = [*package.joinpath("ui").rglob("*.py"), *package.joinpath("core").rglob("*.py"),
             package / "cli" / "window.py"]
    sources = sorted(str(p) for p in found)
    for code in TRANSLATED:
        ts = resource_path("translations", f"lanchat_{code}.ts")
        result = subprocess.run([_tool("pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(ts)], check=False)
        if result.returncode:
            return result.returncode
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["build"]:
        return build()
    if argv[:1] == ["update"]:
        return update()
    print("usage: python -m lanchat.ui.translations build|update", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
