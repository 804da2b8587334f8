"""The compose bar: a growing text box (Enter sends, Shift+Enter breaks the line) and its buttons."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontMetrics, QImage, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPlainTextEdit, QSizePolicy, QToolButton, QWidget

from lanchat.ui.emoji import EmojiPicker

log = logging.getLogger("lanchat.ui.compose")

MAX_LINES = 6
#: After this long without a key, we tell the contact we stopped typing.
TYPING_IDLE_MS = 4000


def local_files(mime: QMimeData) -> list[Path]:
    """The local files and folders dropped or pasted, if that is what `mime` holds."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class ComposeEdit(QPlainTextEdit):
    """Plain text only; a pasted image or pasted files are handed on instead of inserted."""

    submitted = Signal()
    image_pasted = Signal(QImage)
    files_pasted = Signal(list)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.submitted.emit()
                return
            self.insertPlainText("\n")
            return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or bool(local_files(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if files:
            self.files_pasted.emit(files)
            return
        if source.hasImage():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.image_pasted.emit(image)
                return
        if source.hasText():
            self.insertPlainText(source.text())


def _button(text: str, name: str = "ComposeButton") -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setText(text)
    button.setFixedSize(QSize(36, 36))
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class ComposeBar(QWidget):
    """Emits `send_text` with the typed text, `typing(bool)`, and the attach requests."""

    send_text = Signal(str)
    typing = Signal(bool)
    attach_files = Signal()
    attach_folder = Signal()
    attach_picture = Signal()
    screenshot = Signal()
    image_pasted = Signal(QImage)
    files_pasted = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ComposeArea")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.edit = ComposeEdit()
        self.edit.setObjectName("Compose")
        self.edit.setTabChangesFocus(True)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.edit.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.edit.submitted.connect(self.submit)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.image_pasted.connect(self.image_pasted)
        self.edit.files_pasted.connect(self.files_pasted)
        self.emoji_button = _button("😊")
        self.file_button = _button("📎")
        self.folder_button = _button("📁")
        self.picture_button = _button("🖼")
        self.screenshot_button = _button("✂")
        self.send_button = _button("➤", "SendButton")
        self.send_button.setEnabled(False)
        self.emoji_button.clicked.connect(self._show_emoji)
        self.file_button.clicked.connect(self.attach_files)
        self.folder_button.clicked.connect(self.attach_folder)
        self.picture_button.clicked.connect(self.attach_picture)
        self.screenshot_button.clicked.connect(self.screenshot)
        self.send_button.clicked.connect(self.submit)
        self.picker: EmojiPicker | None = None
        self._typing = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(TYPING_IDLE_MS)
        self._idle.timeout.connect(self._stop_typing)

        self.frame = QFrame()
        self.frame.setObjectName("ComposeFrame")
        frame_layout = QHBoxLayout(self.frame)
        frame_layout.setContentsMargins(12, 3, 2, 1)
        frame_layout.setSpacing(0)
        frame_layout.addWidget(self.edit, 1, Qt.AlignmentFlag.AlignVCenter)
        frame_layout.addWidget(self.emoji_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.edit.viewport().setAutoFillBackground(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        for button in (self.file_button, self.folder_button, self.picture_button, self.screenshot_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(self.frame, 1)
        layout.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.retranslate()
        self._fit_height()

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("Write a message…"))
        for button, tip in (
            (self.emoji_button, self.tr("Emoji")), (self.file_button, self.tr("Send files")),
            (self.folder_button, self.tr("Send a folder")), (self.picture_button, self.tr("Send pictures")),
            (self.screenshot_button, self.tr("Screenshot (Ctrl+Alt+A)")),
            (self.send_button, self.tr("Send (Enter)")),
        ):
            button.setToolTip(tip)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def text(self) -> str:
        return self.edit.toPlainText()

    @Slot()
    def submit(self) -> None:
        text = self.edit.toPlainText().strip("\n ")
        if not text.strip():
            return
        self.send_text.emit(text)

    def clear(self) -> None:
        self.edit.clear()
        self._stop_typing()

    @Slot()
    def _on_text_changed(self) -> None:
        has_text = bool(self.edit.toPlainText().strip())
        self.send_button.setEnabled(has_text)
        self._fit_height()
        if has_text:
            if not self._typing:
                self._typing = True
                self.typing.emit(True)
            self._idle.start()
        else:
            self._stop_typing()

    @Slot()
    def _stop_typing(self) -> None:
        self._idle.stop()
        if self._typing:
            self._typing = False
            self.typing.emit(False)

    def _fit_height(self) -> None:
        lines = max(1, min(MAX_LINES, int(self.edit.document().size().height())))
        line = QFontMetrics(self.edit.font()).lineSpacing()
        self.edit.setFixedHeight(int(lines * line + 14))
        self.edit.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if lines >= MAX_LINES else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    @Slot()
    def _show_emoji(self) -> None:
        if self.picker is None:
            self.picker = EmojiPicker(self)
            self.picker.picked.connect(self.insert_emoji)
        self.picker.popup_above(self.emoji_button)

    @Slot(str)
    def insert_emoji(self, emoji: str) -> None:
        self.edit.insertPlainText(emoji)
        self.edit.setFocus()
