"""The settings dialog: you, files, network and the window, saved in the profile's settings."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lanchat.core.contacts import Network
from lanchat.ui.avatar import avatar_pixmap, square_crop
from lanchat.ui.runtime_api import RuntimeApi
from lanchat.ui.translations import LANGUAGES, install_translators

log = logging.getLogger("lanchat.ui.settings_dialog")

AVATAR_FILE = "avatar.png"
AVATAR_PIXELS = 256
#: The longest name the network carries (docs/protocol.md: 1..64 characters).
MAX_NAME = 64
#: A LocalSend PIN is typed on a phone: a short one.
MAX_PIN = 16
_TARGET = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$")


def valid_target(text: str) -> bool:
    """ADDR, ADDR:PORT or HOST:PORT with a port of 1..65535."""
    if not _TARGET.match(text):
        return False
    _, _, port = text.partition(":")
    return not port or 1 <= int(port) <= 65535


class SettingsDialog(QDialog):
    """Edits Settings; `restart_reasons` names the saved changes that apply after a restart only."""

    def __init__(self, runtime: RuntimeApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.settings = runtime.settings
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(480)
        #: The saved changes that wait for a restart, named as the dialog names them.
        self.restart_reasons: list[str] = []
        self._avatar_image: QImage | None = None
        self._avatar_removed = False
        settings = self.settings

        # You
        self.name = QLineEdit(runtime.name)
        self.name_hint = name_hint(self.name)
        self.group = QLineEdit(settings.group)
        self.group.setMaxLength(64)
        self.group.setPlaceholderText(self.tr("e.g. your class or team (optional)"))
        self.avatar_preview = QLabel()
        self.avatar_preview.setFixedSize(64, 64)
        choose = QPushButton(self.tr("Choose picture…"))
        choose.clicked.connect(self._choose_avatar)
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(self._remove_avatar)
        avatar_row = QHBoxLayout()
        avatar_row.addWidget(self.avatar_preview)
        avatar_row.addWidget(choose)
        avatar_row.addWidget(remove)
        avatar_row.addStretch(1)
        self.language = QComboBox()
        self.language.addItem(self.tr("System language"), "")
        for code, label in LANGUAGES:
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        you = QWidget()
        you_form = QFormLayout(you)
        you_form.addRow(self.tr("Name"), self.name)
        you_form.addRow("", self.name_hint)
        you_form.addRow(self.tr("Picture"), avatar_row)
        you_form.addRow(self.tr("Group"), self.group)
        you_form.addRow(self.tr("Language"), self.language)

        # Files
        self.download_dir = QLineEdit(str(settings.download_dir))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._choose_download_dir)
        download_row = QHBoxLayout()
        download_row.addWidget(self.download_dir, 1)
        download_row.addWidget(browse)
        self.accept_mode = QComboBox()
        self.accept_mode.addItem(self.tr("Ask me (small pictures from contacts come in at once)"), "ask")
        self.accept_mode.addItem(self.tr("Accept everything"), "auto")
        self.accept_mode.addItem(self.tr("Refuse everything"), "never")
        self.accept_mode.setCurrentIndex(max(0, self.accept_mode.findData(settings.accept)))
        self.auto_accept = QSpinBox()
        self.auto_accept.setRange(0, 10_000)
        self.auto_accept.setSuffix(" MB")
        self.auto_accept.setValue(settings.auto_accept_bytes // 1_000_000)
        self.localsend_pin = QLineEdit(settings.localsend_pin)
        self.localsend_pin.setMaxLength(MAX_PIN)
        self.localsend_pin.setPlaceholderText(self.tr("none"))
        self.localsend_pin.setToolTip(self.tr("Phones sending with LocalSend must type this PIN first"))
        files = QWidget()
        files_form = QFormLayout(files)
        files_form.addRow(self.tr("Save files in"), download_row)
        files_form.addRow(self.tr("Incoming files"), self.accept_mode)
        files_form.addRow(self.tr("Accept pictures up to"), self.auto_accept)
        files_form.addRow(self.tr("PIN for LocalSend senders"), self.localsend_pin)

        # Network
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText(self.tr("any free port"))
        self.port.setValue(settings.port if settings.port is not None else 48484)
        self.presence_port = QSpinBox()
        self.presence_port.setRange(1, 65535)
        self.presence_port.setValue(settings.presence_port or 48484)
        self.peers = QPlainTextEdit("\n".join(settings.peers))
        self.peers.setPlaceholderText(self.tr("One per line: 192.168.1.20 or pc-name:48484"))
        self.peers.setFixedHeight(70)
        self.targets = QPlainTextEdit("\n".join(settings.targets))
        self.targets.setPlaceholderText(self.tr("One per line, e.g. 10.0.255.255"))
        self.targets.setFixedHeight(70)
        self.networks = {
            Network.LANCHAT: QCheckBox(self.tr("lanchat (encrypted, keys you can verify)")),
            Network.IPMSG: QCheckBox(self.tr("IP Messenger, iptux, Feiq (not encrypted)")),
            Network.LOCALSEND: QCheckBox(self.tr("LocalSend (encrypted, not verified)")),
        }
        networks = QVBoxLayout()
        for network_kind, box in self.networks.items():
            box.setChecked(network_kind in settings.protocols)
            networks.addWidget(box)
        self.codepage = QComboBox()
        self.codepage.addItem(self.tr("Chinese (GBK, as Feiq writes)"), "gb18030")
        self.codepage.addItem(self.tr("Japanese (Shift JIS, as IP Messenger writes)"), "cp932")
        self.codepage.setCurrentIndex(max(0, self.codepage.findData(settings.ipmsg_codepage)))
        self.codepage.setToolTip(self.tr("For IP Messenger programs that do not say they read UTF-8"))
        network = QWidget()
        network_form = QFormLayout(network)
        network_form.addRow(self.tr("Networks to join"), networks)
        network_form.addRow(self.tr("IP Messenger text"), self.codepage)
        network_form.addRow(self.tr("Connection port (TCP)"), self.port)
        network_form.addRow(self.tr("Discovery port (UDP)"), self.presence_port)
        network_form.addRow(self.tr("Computers to find by address"), self.peers)
        network_form.addRow(self.tr("Extra broadcast addresses"), self.targets)
        note = QLabel(self.tr("Changes on this page apply when lanchat restarts; it offers to restart."))
        note.setObjectName("ChatSubtitle")
        network_form.addRow(note)

        # Window
        self.start_minimised = QCheckBox(self.tr("Start minimised"))
        self.start_minimised.setChecked(settings.start_minimised)
        self.minimise_to_tray = QCheckBox(self.tr("Closing the window keeps lanchat running in the tray"))
        self.minimise_to_tray.setChecked(settings.minimise_to_tray)
        self.screenshot_hides = QCheckBox(self.tr("Hide this window while taking a screenshot"))
        self.screenshot_hides.setChecked(settings.screenshot_hides_window)
        window = QWidget()
        window_layout = QVBoxLayout(window)
        window_layout.addWidget(self.start_minimised)
        window_layout.addWidget(self.minimise_to_tray)
        window_layout.addWidget(self.screenshot_hides)
        window_layout.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.addTab(you, self.tr("You"))
        self.tabs.addTab(files, self.tr("Files"))
        self.tabs.addTab(network, self.tr("Network"))
        self.tabs.addTab(window, self.tr("Window"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self._show_avatar()
        self._network_shown = self._network_values()

    def _network_values(self) -> dict[str, object]:
        """What the Network page says (what waits for a restart)."""
        return {
            "protocols": frozenset(n for n, box in self.networks.items() if box.isChecked()),
            "codepage": self.codepage.currentData(),
            "port": self.port.value(),
            "presence_port": self.presence_port.value(),
            "peers": self.peers.toPlainText().split(),
            "targets": self.targets.toPlainText().split(),
        }

    def _network_label(self, key: str) -> str:
        """A Network setting by the label a person reads (in the language now in use)."""
        return {
            "protocols": self.tr("Networks to join"), "codepage": self.tr("IP Messenger text"),
            "port": self.tr("Connection port (TCP)"), "presence_port": self.tr("Discovery port (UDP)"),
            "peers": self.tr("Computers to find by address"), "targets": self.tr("Extra broadcast addresses"),
        }[key]

    # --- avatar -------------------------------------------------------------------------

    def _show_avatar(self) -> None:
        image = self._avatar_image
        if image is None and not self._avatar_removed:
            path = self.settings.avatar_path
            if path is not None and path.is_file():
                image = QImage(str(path))
        self.avatar_preview.setPixmap(avatar_pixmap(self.name.text() or "?", self.runtime.identity.id, 64, image,
                                                    None, self.devicePixelRatioF()))

    @Slot()
    def _choose_avatar(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a picture"), "",
                                              self.tr("Pictures (*.png *.jpg *.jpeg *.gif *.webp *.bmp)"))
        if name:
            self.set_avatar_file(Path(name))

    def set_avatar_file(self, path: Path) -> bool:
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        image = reader.read()
        if image.isNull():
            QMessageBox.warning(self, self.tr("Not a picture"),
                                self.tr("lanchat cannot read this file as a picture."))
            return False
        self._avatar_image = square_crop(image, AVATAR_PIXELS)
        self._avatar_removed = False
        self._show_avatar()
        return True

    @Slot()
    def _remove_avatar(self) -> None:
        self._avatar_image = None
        self._avatar_removed = True
        self._show_avatar()

    @Slot()
    def _choose_download_dir(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Save files in"), self.download_dir.text())
        if name:
            self.download_dir.setText(name)

    # --- saving ---------------------------------------------------------------------------

    def _lines(self, edit: QPlainTextEdit) -> list[str] | None:
        lines = [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]
        bad = [line for line in lines if not valid_target(line)]
        if bad:
            QMessageBox.warning(self, self.tr("Check the addresses"),
                                self.tr("“{0}” is not an address like 192.168.1.20 or pc-name:48484.")
                                .format(bad[0]))
            return None
        return lines

    @Slot()
    def save(self) -> None:
        name = " ".join(self.name.text().split())[:MAX_NAME]
        if not name:
            QMessageBox.warning(self, self.tr("Name needed"), self.tr("Please enter the name others will see."))
            return
        peers = self._lines(self.peers)
        targets = self._lines(self.targets)
        if peers is None or targets is None:
            return
        settings = self.settings
        if name != self.runtime.name:
            self.runtime.set_name(name)
        settings.group = self.group.text()
        profile = Path(self.runtime.options.profile)
        if self._avatar_image is not None:
            target = profile / AVATAR_FILE
            if self._avatar_image.save(str(target)):
                settings.avatar_path = target
        elif self._avatar_removed:
            settings.avatar_path = None
        settings.download_dir = Path(self.download_dir.text().strip()).expanduser()
        settings.accept = str(self.accept_mode.currentData())
        settings.auto_accept_bytes = self.auto_accept.value() * 1_000_000
        protocols = frozenset(n for n, box in self.networks.items() if box.isChecked())
        if not protocols:
            QMessageBox.warning(self, self.tr("No network"), self.tr("Choose at least one network to join."))
            return
        changed = [key for key, value in self._network_values().items() if value != self._network_shown[key]]
        settings.port = self.port.value()
        settings.presence_port = self.presence_port.value()
        settings.peers = peers
        settings.targets = targets
        settings.protocols = protocols
        settings.ipmsg_codepage = str(self.codepage.currentData())
        if settings.language != self.language.currentData():
            settings.language = str(self.language.currentData())
            app = QCoreApplication.instance()
            if app is not None:  # at once: every widget retranslates itself on LanguageChange
                install_translators(app, settings.language)
        self.restart_reasons = [self._network_label(key) for key in changed]
        settings.start_minimised = self.start_minimised.isChecked()
        settings.minimise_to_tray = self.minimise_to_tray.isChecked()
        settings.screenshot_hides_window = self.screenshot_hides.isChecked()
        settings.localsend_pin = self.localsend_pin.text().strip()
        self.runtime.apply_settings()
        log.info("settings saved")
        self.accept()


def name_hint(edit: QLineEdit) -> QLabel:
    """A line under a name field that says so when the name is longer than others will see."""
    hint = QLabel()
    hint.setObjectName("FieldHint")
    hint.setWordWrap(True)
    hint.setTextFormat(Qt.TextFormat.PlainText)

    translate = QCoreApplication.translate

    def update(text: str) -> None:
        name = " ".join(text.split())
        hint.setVisible(len(name) > MAX_NAME)
        if len(name) > MAX_NAME:
            hint.setText(translate(
                "SettingsDialog", "Names are at most {0} characters: this one has {1}, so others will see “{2}”."
            ).format(MAX_NAME, len(name), name[:MAX_NAME]))

    edit.textChanged.connect(update)
    update(edit.text())
    return hint


def restart_note(parent: QWidget, reasons: list[str]) -> bool:
    """Name the saved changes that wait for a restart; True when the person chose to restart now."""
    translate = QCoreApplication.translate
    text = translate("SettingsDialog", "These changes take effect when lanchat restarts:")
    box = QMessageBox(QMessageBox.Icon.Information, translate("SettingsDialog", "Settings saved"),
                      text + "\n\n" + "\n".join(f"• {reason}" for reason in reasons),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    restart = box.addButton(translate("SettingsDialog", "Restart now"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("SettingsDialog", "Later"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restart)
    box.exec()
    return box.clickedButton() is restart
