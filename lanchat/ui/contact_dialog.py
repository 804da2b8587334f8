"""A contact's details: name, address, fingerprints, and the "verified" mark set after comparing in person."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lanchat.core.contacts import Contact
from lanchat.core.fingerprints import long_fingerprint, short_fingerprint
from lanchat.ui.avatar import avatar_pixmap
from lanchat.ui.networks import lacking_notes, network_name
from lanchat.ui.runtime_api import RuntimeApi
from lanchat.ui.untrusted import clean_name

log = logging.getLogger("lanchat.ui.contact_dialog")


def _plain(text: str, selectable: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ContactDialog(QDialog):
    """Shows who a contact is; ticking "verified" stores it (store.set_verified + contacts.set_verified)."""

    def __init__(self, runtime: RuntimeApi, contact: Contact, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.contact = contact
        self.setWindowTitle(self.tr("Contact details"))
        self.setMinimumWidth(460)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 10))

        avatar = QLabel()
        avatar.setPixmap(avatar_pixmap(contact.name, contact.id, 56, None, contact.status_text,
                                       self.devicePixelRatioF()))
        name = _plain(clean_name(contact.name))
        name.setObjectName("ChatTitle")
        status = {"online": self.tr("Online"), "away": self.tr("Away"), "busy": self.tr("Busy"),
                  "offline": self.tr("Offline")}[contact.status_text]
        head = QHBoxLayout()
        head.addWidget(avatar)
        titles = QVBoxLayout()
        titles.addWidget(name)
        titles.addWidget(_plain(status))
        head.addLayout(titles, 1)

        form = QFormLayout()
        if contact.group:
            form.addRow(self.tr("Group"), _plain(clean_name(contact.group)))
        address = f"{contact.address}:{contact.port}" if contact.address and contact.port else (
            contact.address or self.tr("unknown"))
        form.addRow(self.tr("Address"), _plain(address, True))
        self.network = _plain(" — ".join(
            [network_name(contact.network), ", ".join(lacking_notes(contact))] if lacking_notes(contact)
            else [network_name(contact.network)]
        ))
        form.addRow(self.tr("Network"), self.network)
        verifiable = contact.capabilities.verified_identity
        self.short = _plain(short_fingerprint(contact.id) if verifiable else "", True)
        short_font = QFont(mono)
        short_font.setPointSizeF(mono.pointSizeF() + 3)
        short_font.setBold(True)
        self.short.setFont(short_font)
        self.long = _plain(long_fingerprint(contact.id) if verifiable else "", True)
        self.long.setFont(mono)
        if verifiable:
            form.addRow(self.tr("Fingerprint"), self.short)
            form.addRow(self.tr("Full fingerprint"), self.long)

        explain = _plain(self.tr(
            "To be sure this is really them, meet in person and compare the fingerprint above with the one "
            "their lanchat shows for you (hover over your name). If they match, tick the box."
        ) if verifiable else self.tr(
            "This network has no keys to compare: anyone on the network could use this name and address."
        ))
        explain.setObjectName("ChatSubtitle")
        self.verified = QCheckBox(self.tr("I compared the fingerprint in person: verified"))
        self.verified.setChecked(contact.verified)
        self.verified.toggled.connect(self._on_verified)
        self.verified.setVisible(verifiable)

        self.warning = _plain("")
        self.warning.setObjectName("Warning")
        impostor_of = self._verified_namesake()
        if impostor_of is not None and not contact.verified:
            self.warning.setText(self.tr(
                "Careful: you verified another contact called “{0}” with a different key. This may be "
                "someone else using the same name."
            ).format(clean_name(impostor_of.name)))
        else:
            self.warning.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(explain)
        layout.addWidget(self.verified)
        layout.addWidget(buttons)

    def _verified_namesake(self) -> Contact | None:
        folded = self.contact.name.casefold()
        for other in self.runtime.contacts.all():
            if other.id != self.contact.id and other.verified and other.name.casefold() == folded:
                return other
        return None

    @Slot(bool)
    def _on_verified(self, verified: bool) -> None:
        self.runtime.store.set_verified(self.contact.id, verified)
        self.runtime.contacts.set_verified(self.contact.id, verified)
        log.info("contact %s marked %s", self.contact.id[:8], "verified" if verified else "not verified")
