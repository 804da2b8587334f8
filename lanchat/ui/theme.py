"""Colours, fonts and the style sheet of the window (one light theme)."""

from __future__ import annotations

import hashlib

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from lanchat.resources import resource_path

ACCENT = QColor("#4f6bed")
ACCENT_DARK = QColor("#3d55c9")
ACCENT_SOFT = QColor("#e8ecfd")
TEXT = QColor("#1f2328")
TEXT_MUTED = QColor("#6b7280")
TEXT_FAINT = QColor("#9ca3af")
CHAT_BG = QColor("#eef1f6")
SIDEBAR_BG = QColor("#ffffff")
BORDER = QColor("#e3e6eb")
OWN_BUBBLE = QColor("#4f6bed")
OWN_TEXT = QColor("#ffffff")
OWN_LINK = QColor("#ffffff")
THEIR_BUBBLE = QColor("#ffffff")
THEIR_TEXT = QColor("#1f2328")
LINK = QColor("#2f5bd3")
BADGE = QColor("#ef4444")
FAILED = QColor("#dc2626")
SELECTION = QColor("#e8ecfd")
HOVER = QColor("#f3f5f9")
#: Behind the words a history search found (results and the message jumped to).
MATCH = QColor("#ffe58a")

STATUS_COLORS = {
    "online": QColor("#22c55e"),
    "away": QColor("#f59e0b"),
    "busy": QColor("#ef4444"),
    "offline": QColor("#b8bec8"),
}

_AVATAR_COLORS = [
    "#e57373", "#f06292", "#ba68c8", "#7986cb", "#4fc3f7",
    "#4db6ac", "#81c784", "#ffb74d", "#a1887f", "#90a4ae",
]


def avatar_color(key: str) -> QColor:
    """A stable colour for an id (the same person keeps their colour)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return QColor(_AVATAR_COLORS[digest[0] % len(_AVATAR_COLORS)])


STYLE_SHEET = """
QMainWindow, QDialog { background: #f6f7f9; }
QWidget#Sidebar { background: #ffffff; border-right: 1px solid #e3e6eb; }
QWidget#ChatArea { background: #eef1f6; }
QWidget#ChatHeader { background: #ffffff; border-bottom: 1px solid #e3e6eb; }
QWidget#ComposeArea { background: #ffffff; border-top: 1px solid #e3e6eb; }
QWidget#EmptyState { background: #eef1f6; }
QLabel#EmptyTitle { font-size: 18pt; font-weight: 600; color: #1f2328; }
QLabel#EmptyText { color: #6b7280; font-size: 11pt; }
#ChatTitle { font-size: 12pt; font-weight: 600; color: #1f2328; }
#ChatSubtitle, #MeSubtitle { color: #6b7280; }
#MeName { font-size: 11pt; font-weight: 600; color: #1f2328; }
QLabel#FieldHint { color: #8a4b00; }
QLabel#Typing { color: #4f6bed; font-style: italic; padding: 0 16px; }
QLabel#NetworkNote { background: #fff4e5; color: #8a4b00; padding: 4px 16px; }
QLabel#SectionTitle { color: #6b7280; font-weight: 600; }
QLabel#Warning { background: #fff4e5; color: #8a4b00; border: 1px solid #ffd8a8;
                 border-radius: 6px; padding: 6px 8px; }
QLineEdit#Search { background: #f1f3f6; border: 1px solid #eceff3; border-radius: 12px;
                   padding: 5px 12px; }
QLineEdit#Search:focus { background: #ffffff; border: 1px solid #4f6bed; }
QListView#Contacts, QListView#SearchResults { background: #ffffff; border: none; outline: none; }
QListView#Messages { background: #eef1f6; border: none; outline: none; }
QFrame#ComposeFrame { background: #f1f3f6; border: 1px solid #e3e6eb; border-radius: 19px; }
QPlainTextEdit#Compose { background: transparent; border: none; padding: 0; }
QToolButton#ComposeButton, QToolButton#HeaderButton, QToolButton#MeButton {
    border: none; border-radius: 16px; padding: 4px; font-size: 14pt; color: #4b5563; }
QToolButton#ComposeButton:hover, QToolButton#HeaderButton:hover, QToolButton#MeButton:hover {
    background: #eef1f6; }
QToolButton#ComposeButton:disabled { color: #c4c9d1; }
QToolButton#SendButton { background: #4f6bed; color: white; border: none; border-radius: 18px;
                         font-size: 14pt; padding: 4px; }
QToolButton#SendButton:hover { background: #3d55c9; }
QToolButton#SendButton:disabled { background: #c7d0f8; }
QPushButton#NewGroup { background: transparent; color: #4f6bed; border: 1px solid #c7d0f8;
                       border-radius: 14px; padding: 5px 12px; font-weight: 600; }
QPushButton#NewGroup:hover { background: #e8ecfd; }
QTabWidget::pane { border: none; background: #eef1f6; }
QTabBar { background: #ffffff; }
QTabBar::tab { background: #ffffff; color: #6b7280; padding: 8px 14px; border: none;
               border-bottom: 2px solid transparent; min-width: 60px; }
QTabBar::tab:selected { color: #1f2328; border-bottom: 2px solid #4f6bed; }
QTabBar::tab:hover { color: #1f2328; }
QStatusBar { background: #ffffff; color: #4b5563; border-top: 1px solid #e3e6eb; }
QFrame#EmojiPicker { background: #ffffff; border: 1px solid #e3e6eb; border-radius: 10px; }
QToolButton#Emoji { border: none; border-radius: 6px; font-size: 16pt; padding: 2px; }
QToolButton#Emoji:hover { background: #eef1f6; }
QSplitter::handle { background: #e3e6eb; }
QToolButton::menu-indicator { image: none; width: 0; }
QTabBar::close-button { image: url(@ICONS@/close.svg); subcontrol-position: right; margin: 2px; }
QTabBar::close-button:hover { image: url(@ICONS@/close-hover.svg); }
QScrollBar:vertical { background: transparent; width: 10px; margin: 2px; }
QScrollBar::handle:vertical { background: #c9ced6; border-radius: 4px; min-height: 30px; }
QScrollBar::handle:vertical:hover { background: #aab1bc; }
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; }
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical { background: transparent; }
"""


def apply_theme(app: QApplication) -> None:
    """The Fusion style with our palette, font and style sheet."""
    app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f6f7f9"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, TEXT)
    palette.setColor(QPalette.ColorRole.WindowText, TEXT)
    palette.setColor(QPalette.ColorRole.Highlight, ACCENT)
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Link, LINK)
    palette.setColor(QPalette.ColorRole.Button, QColor("#ffffff"))
    app.setPalette(palette)
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    icons = resource_path("icons").as_posix()
    app.setStyleSheet(STYLE_SHEET.replace("@ICONS@", icons))
