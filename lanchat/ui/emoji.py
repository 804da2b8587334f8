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
        """Show above `anchor` (the emoji button), its right edge at the button's, inside the window.

        The button sits at the right of the compose box: a popup that starts at the button
        reaches far past the window's right edge.
        """
        self.adjustSize()
        top_left = anchor.mapToGlobal(QPoint(0, 0))
        pos = QPoint(top_left.x() + anchor.width() - self.width(), top_left.y() - self.height() - 6)
        window = anchor.window()
        bounds = window.geometry() if window is not None else None  # the client area, in global coordinates
        screen = anchor.screen().availableGeometry() if anchor.screen() else None
        for area in (bounds, screen):
            if area is not None:
                pos.setX(max(area.left(), min(pos.x(), area.right() + 1 - self.width())))
                pos.setY(max(area.top(), pos.y()))
        self.move(pos)
        self.show()
