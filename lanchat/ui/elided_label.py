"""A one-line label that never widens its layout: long text ends in "…", the whole text is in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QTextLayout
from PySide6.QtWidgets import QSizePolicy, QWidget

#: The narrowest an elided label asks to be (a few letters and the ellipsis).
MIN_WIDTH = 40


def line_height(widget_or_font: QWidget | QFont) -> int:
    """The height one line of mixed text really needs, fallback fonts (CJK, emoji) included.

    `QFontMetrics.height()` is the primary font's; a line with Chinese in it is laid out with
    a fallback font whose ascent is larger, and a box of the primary height clips its
    descenders (an underscore vanishes).
    """
    font = widget_or_font.font() if isinstance(widget_or_font, QWidget) else widget_or_font
    layout = QTextLayout("Ág_汉字😀", font)
    layout.beginLayout()
    line = layout.createLine()
    layout.endLayout()
    return max(int(QFontMetrics(font).height()), int(line.height() + 0.99))


class ElidedLabel(QWidget):
    """Shows `text()` on one line, elided at the right to fit; the full text is its tooltip when cut."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setText(text)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 (QLabel's name)
        self._text = text
        self.updateGeometry()
        self._update_tooltip()
        self.update()

    def textFormat(self) -> Qt.TextFormat:  # noqa: N802 (QLabel's name)
        """Always plain: text from the network is never rendered as markup."""
        return Qt.TextFormat.PlainText

    def shown_text(self) -> str:
        """What is painted at the current width."""
        return self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, max(0, self.width()))

    def is_elided(self) -> bool:
        return self.shown_text() != self._text

    def _update_tooltip(self) -> None:
        self.setToolTip(self._text if self.is_elided() else "")

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._text) + 2, line_height(self))

    def minimumSizeHint(self) -> QSize:
        return QSize(MIN_WIDTH, line_height(self))

    def resizeEvent(self, event: object) -> None:
        self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                         | int(Qt.TextFlag.TextDontClip), self.shown_text())
