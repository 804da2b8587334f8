"""The 简体中文 translation compiles, loads and changes what the window shows."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from lanchat.resources import resource_path
from lanchat.ui.compose import ComposeBar
from lanchat.ui.translations import pick_language

TS = resource_path("translations", "lanchat_zh_CN.ts")


def test_every_string_has_a_chinese_translation():
    tree = ET.parse(TS)
    untranslated = [
        m.findtext("source") for m in tree.iter("message")
        if m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
        or not "".join(m.find("translation").itertext()).strip()
    ]
    assert not untranslated


def test_zh_cn_changes_visible_text(qapp, qtbot, tmp_path):
    qm = tmp_path / "lanchat_zh_CN.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), "-silent", str(TS), "-qm", str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    english = ComposeBar()  # built in English
    qtbot.addWidget(english)
    assert english.edit.placeholderText() == "Write a message…"
    QCoreApplication.installTranslator(translator)
    try:
        chinese = ComposeBar()
        qtbot.addWidget(chinese)
        assert chinese.edit.placeholderText() == "输入消息…"
        # Live: a bar built before the switch retranslates itself (LanguageChange).
        qtbot.waitUntil(lambda: english.edit.placeholderText() == "输入消息…")
        assert QCoreApplication.translate("ContactsModel", "Everyone") == "所有人"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_language_follows_the_setting_then_the_system():
    assert pick_language("en", QLocale("zh_CN")) == "en"
    assert pick_language("", QLocale("zh_CN")) == "zh_CN"
    assert pick_language("", QLocale("fr_FR")) == "en"
    assert pick_language("zh_CN", QLocale("en_US")) == "zh_CN"
