"""Phone / browser…: a share for a classmate with nothing installed — a QR code, the link in words, what to allow.

The first page chooses what the share does (the phone sends files, and/or
downloads the files listed here), a PIN, whether everything sent through
the link is taken without asking, and HTTP or HTTPS. Opening it shows a QR
code and the link for each address of this computer, what the connection
protects, and what is downloaded. Closing the dialog closes the share.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lanchat.core.transport import NetworkUnavailable
from lanchat.ui.qr_image import qr_image
from lanchat.ui.share_api import DownloadSeen, OpenShare, ShareRuntime, Shares
from lanchat.ui.untrusted import clean_file_name, human_size

log = logging.getLogger("lanchat.ui.share_dialog")


class ShareDialog(QDialog):
    """One share: chosen on the first page, shown (QR code, link) on the second; closing ends it."""

    def __init__(self, runtime: ShareRuntime, shares: Shares, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Phone / browser"))
        self.setMinimumWidth(460)
        self._runtime = runtime
        self._shares = shares
        self.share: OpenShare | None = None
        self._files: list[Path] = []
        self._downloads: dict[tuple[int, str], str] = {}
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choices_page())
        self.pages.addWidget(self._shown_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        shares.share_closed.connect(self._on_share_closed)
        shares.download_progress.connect(self._on_download)

    # --- page 1: what the share does -------------------------------------------------------

    def _choices_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(self.tr("A classmate scans a QR code with their phone's camera: a page opens in the "
                               "browser. Nothing to install, no account."))
        intro.setWordWrap(True)
        self.receive = QCheckBox(self.tr("The phone can send me photos and files"))
        self.receive.setChecked(True)
        self.give = QCheckBox(self.tr("The phone can download these files:"))
        self.give_list = QListWidget()
        self.give_list.setMaximumHeight(110)
        add = QPushButton(self.tr("Add files…"))
        add.clicked.connect(self._add_files)
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(self._remove_file)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(add)
        file_buttons.addWidget(remove)
        file_buttons.addStretch(1)
        self.ask_pin = QCheckBox(self.tr("Ask for a 4-digit PIN on the page"))
        self.accept_all = QCheckBox(self.tr("Accept everything sent through this link without asking"))
        self.https = QCheckBox(self.tr("Encrypt the connection (HTTPS; the browser warns once)"))
        self.https.setChecked(self._runtime.settings.browser_https)
        self.problem = QLabel()
        self.problem.setObjectName("ShareProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.open_button = QPushButton(self.tr("Show QR code"))
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_share)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(page)
        for widget in (intro, self.receive, self.give, self.give_list):
            layout.addWidget(widget)
        layout.addLayout(file_buttons)
        for widget in (self.ask_pin, self.accept_all, self.https, self.problem):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    @Slot()
    def _add_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Files the phone can download"))
        self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            if path not in self._files:
                self._files.append(path)
                self.give_list.addItem(clean_file_name(path.name))
        self.give.setChecked(bool(self._files))

    @Slot()
    def _remove_file(self) -> None:
        row = self.give_list.currentRow()
        if row >= 0:
            self.give_list.takeItem(row)
            del self._files[row]

    @Slot()
    def open_share(self) -> None:
        """Open the share as chosen and show its QR code; a problem is said on the page instead."""
        give = self._files if self.give.isChecked() else []
        pin = f"{secrets.randbelow(10_000):04d}" if self.ask_pin.isChecked() else ""
        try:
            share = self._shares.open_share(self.receive.isChecked(), give, pin, self.accept_all.isChecked(),
                                            self.https.isChecked())
        except (ValueError, NetworkUnavailable) as e:  # ShareError: nothing chosen, a file gone
            self.problem.setText(str(e))
            self.problem.show()
            return
        self._runtime.settings.browser_https = self.https.isChecked()
        self.show_share(share)

    # --- page 2: the QR code ----------------------------------------------------------------

    def _shown_page(self) -> QWidget:
        page = QWidget()
        self.addresses = QComboBox()
        self.addresses.currentIndexChanged.connect(self._show_address)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.link = QLabel()
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.link.setWordWrap(True)
        self.link.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin = QLabel()
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.setObjectName("SharePin")
        font = self.pin.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.pin.setFont(font)
        self.security = QLabel()
        self.security.setWordWrap(True)
        self.security.setObjectName("ShareSecurity")
        self.what = QLabel()
        self.what.setWordWrap(True)
        self.downloads = QListWidget()
        self.downloads.setMaximumHeight(100)
        self.downloads.hide()
        self.ended = QLabel()
        self.ended.setWordWrap(True)
        self.ended.hide()
        close = QPushButton(self.tr("Stop sharing"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(page)
        for widget in (self.addresses, self.qr, self.link, self.pin, self.security, self.what, self.downloads,
                       self.ended):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        return page

    def show_share(self, share: OpenShare) -> None:
        self.share = share
        self.addresses.clear()
        for url in share.urls:
            self.addresses.addItem(url.split("/")[2].rsplit(":", 1)[0], url)
        self.addresses.setVisible(len(share.urls) > 1)
        self._show_address(0)
        self.pin.setText(self.tr("PIN: {0}").format(share.pin) if share.pin else "")
        self.pin.setVisible(bool(share.pin))
        if share.https:
            self.security.setText(self.tr(
                "Encrypted. The browser will warn that the certificate is not trusted: it is this computer's own. "
                "Continue only if the certificate's SHA-256 fingerprint is {0}").format(share.fingerprint or ""))
        else:
            self.security.setText("⚠ " + self.tr("Not encrypted — others on this Wi-Fi could see these files."))
        parts = []
        if share.receive:
            parts.append(self.tr("The phone can send you files") + (
                self.tr(" (taken without asking).") if share.accept_all else self.tr(" (you accept each batch).")))
        if share.given:
            parts.append(self.tr("It can download: {0}.").format(", ".join(clean_file_name(n) for n in share.given)))
        parts.append(self.tr("The link stops working when you close this window, or after an hour unused."))
        self.what.setText(" ".join(parts))
        self.pages.setCurrentIndex(1)

    @Slot(int)
    def _show_address(self, index: int) -> None:
        url = self.addresses.itemData(index)
        if not isinstance(url, str):
            return
        self.qr.setPixmap(QPixmap.fromImage(qr_image(url)))
        self.link.setText(url)

    # --- while it is open ------------------------------------------------------------------------

    @Slot(str, str)
    def _on_share_closed(self, share_id: str, reason: str) -> None:
        if self.share is None or share_id != self.share.id:
            return
        self.share = None
        self.qr.clear()
        self.ended.setText(self.tr("This share has ended (an hour unused): its link no longer works.")
                           if reason == "expired" else self.tr("This share has ended."))
        self.ended.show()

    @Slot(object)
    def _on_download(self, progress: DownloadSeen) -> None:
        if self.share is None or progress.share_id != self.share.id:
            return
        key = (progress.index, progress.ip)
        name = clean_file_name(progress.name)
        if progress.ended:
            line = (self.tr("{0} → {1}: downloaded").format(name, progress.ip) if progress.complete
                    else self.tr("{0} → {1}: stopped at {2}").format(name, progress.ip, human_size(progress.sent)))
        else:
            percent = 100 * progress.sent // max(progress.size, 1)
            line = self.tr("{0} → {1}: {2} %").format(name, progress.ip, percent)
        if key not in self._downloads:
            self.downloads.addItem(line)
        else:
            items = [self.downloads.item(i) for i in range(self.downloads.count())]
            for item in items:
                if item.text() == self._downloads[key]:
                    item.setText(line)
                    break
        self._downloads[key] = line
        self.downloads.show()

    def done(self, result: int) -> None:
        """Closing the dialog, however, ends the share."""
        if self.share is not None:
            share, self.share = self.share, None
            self._shares.close_share(share.id)
        super().done(result)


def open_share_dialog(runtime: ShareRuntime, parent: QWidget | None = None) -> ShareDialog | None:
    """The window's "Phone / browser…" action: opens the dialog (not modal); None when shares are off."""
    shares = runtime.browser
    if shares is None:
        return None
    dialog = ShareDialog(runtime, shares, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
