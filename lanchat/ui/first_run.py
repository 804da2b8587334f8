"""The first start: ask for the name others will see (the OS user name is offered)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from lanchat.ui.settings_dialog import MAX_NAME, name_hint


class FirstRunDialog(QDialog):
    """Welcome; `name()` is what the person typed (never empty when accepted)."""

    def __init__(self, default_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to lanchat"))
        self.setMinimumWidth(420)
        title = QLabel(self.tr("Welcome to lanchat 👋"))
        title.setObjectName("EmptyTitle")
        text = QLabel(self.tr(
            "lanchat finds the people on your network who run it too. "
            "Choose the name they will see; you can change it later in Settings."
        ))
        text.setWordWrap(True)
        self.edit = QLineEdit(default_name)
        self.hint = name_hint(self.edit)
        self.edit.selectAll()
        self.edit.setPlaceholderText(self.tr("Your name"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Start chatting"))
        buttons.accepted.connect(self.accept)
        self.edit.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addWidget(self.edit)
        layout.addWidget(self.hint)
        layout.addWidget(buttons, 0, Qt.AlignmentFlag.AlignRight)

    def name(self) -> str:
        return " ".join(self.edit.text().split())[:MAX_NAME]
