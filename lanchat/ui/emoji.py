"""A small popup grid of common emoji for the compose box."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QToolButton, QWidget

COMMON_EMOJI = (
    "😀", "😂", "🙂", "😉", "😊", "😍", "🥰", "😘",
    "😎", "🤔", "😅", "😭", "😮", "😴", "🙄", "😬",
    "👍", "👎", "👏", "🙌", "🙏", "💪", "👋", "🤝",
    "❤️", "🔥", "🎉", "✨", "⭐", "✅", "❌", "💯",
    "📚", "✏️", "💻", "📎", "☕", "🍕", "⚽", "🎵",
)
COLUMNS = 8


class EmojiPicker(QFrame):
    """Click an emoji to insert it; the popup closes itself."""

    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("EmojiPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setSpacing(2)
        self.buttons: list[QToolButton] = []
        for i, emoji in enumerate(COMMON_EMOJI):
            button = QToolButton()
            button.setObjectName("Emoji")
            button.setText(emoji)
            button.setAutoRaise(True)
            button.setFixedSize(38, 38)
            button.clicked.connect(lambda _=False, e=emoji: self._pick(e))
            grid.addWidget(button, i // COLUMNS, i % COLUMNS)
            self.buttons.append(button)

    def _pick(self, emoji: str) -> None:
        self.picked.emit(emoji)
        self.hide()

    def popup_above(self, anchor: QWidget) -> None:
        """Show above `anchor` (the emoji button), inside the screen."""
        self.adjustSize()
        top_left = anchor.mapToGlobal(QPoint(0, 0))
        pos = QPoint(top_left.x(), top_left.y() - self.height() - 6)
        screen = anchor.screen().availableGeometry() if anchor.screen() else None
        if screen is not None:
            pos.setX(max(screen.left(), min(pos.x(), screen.right() - self.width())))
            pos.setY(max(screen.top(), pos.y()))
        self.move(pos)
        self.show()
