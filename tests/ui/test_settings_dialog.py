"""The settings dialog saves to the profile's settings and shows them again."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from lanchat.core.settings import Settings
from lanchat.ui.settings_dialog import SettingsDialog, valid_target


def test_settings_are_saved_and_reloaded(make_runtime, qtbot, tmp_path):
    ana = make_runtime("ana")
    dialog = SettingsDialog(ana)
    qtbot.addWidget(dialog)
    dialog.name.setText("Ana Lima")
    dialog.group.setText("Class 3B")
    dialog.download_dir.setText(str(tmp_path / "incoming"))
    dialog.auto_accept.setValue(7)
    dialog.port.setValue(0)
    dialog.peers.setPlainText("192.168.1.20\npc-name:48485\n")
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    dialog.minimise_to_tray.setChecked(False)
    dialog.screenshot_hides.setChecked(False)
    dialog.localsend_pin.setText(" 4711 ")
    picture = QImage(300, 200, QImage.Format.Format_RGB32)
    picture.fill(QColor("#336699"))
    picture.save(str(tmp_path / "me.png"))
    assert dialog.set_avatar_file(tmp_path / "me.png")
    dialog.save()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert dialog.restart_reasons == ["连接端口 (TCP)", "按地址查找的电脑"]  # named in the language just chosen
    assert ana.name == "Ana Lima"

    again = Settings(ana.options.profile)
    assert again.name == "Ana Lima"
    assert again.group == "Class 3B"
    assert again.download_dir == tmp_path / "incoming"
    assert again.auto_accept_bytes == 7_000_000
    assert again.port == 0
    assert again.peers == ["192.168.1.20", "pc-name:48485"]
    assert again.language == "zh_CN"
    assert again.minimise_to_tray is False
    assert again.screenshot_hides_window is False
    assert again.localsend_pin == "4711"
    avatar = QImage(str(again.avatar_path))
    assert (avatar.width(), avatar.height()) == (256, 256)

    reopened = SettingsDialog(ana)
    qtbot.addWidget(reopened)
    assert reopened.group.text() == "Class 3B"
    assert reopened.language.currentData() == "zh_CN"
    assert reopened.peers.toPlainText() == "192.168.1.20\npc-name:48485"
    assert reopened.localsend_pin.text() == "4711" and not reopened.screenshot_hides.isChecked()


def test_bad_addresses_are_refused():
    assert valid_target("10.0.255.255")
    assert valid_target("pc-name:48484")
    assert not valid_target("pc name")
    assert not valid_target("host:99999")


def test_networks_can_be_turned_off_and_the_ip_messenger_code_page_chosen(make_runtime, qtbot):
    from lanchat.core.contacts import Network

    ana = make_runtime("ana")
    dialog = SettingsDialog(ana)
    qtbot.addWidget(dialog)
    assert all(box.isChecked() for box in dialog.networks.values())  # the window joins every network
    dialog.networks[Network.LOCALSEND].setChecked(False)
    dialog.codepage.setCurrentIndex(dialog.codepage.findData("cp932"))
    dialog.save()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted and dialog.restart_reasons
    again = Settings(ana.options.profile)
    assert again.protocols == frozenset({Network.LANCHAT, Network.IPMSG})
    assert again.ipmsg_codepage == "cp932"


def test_at_least_one_network_stays_on(make_runtime, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    ana = make_runtime("ana")
    dialog = SettingsDialog(ana)
    qtbot.addWidget(dialog)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    for box in dialog.networks.values():
        box.setChecked(False)
    dialog.save()
    assert warned and dialog.result() != SettingsDialog.DialogCode.Accepted
