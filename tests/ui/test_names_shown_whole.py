"""Issue 16, items 3, 10 and 13: names show exactly, as saved, and long ones are elided, never clipped."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QFontMetricsF, QImage, QPainter

from lanchat.core.history.records import Direction, EntryKind, FileRecord, MessageRecord
from lanchat.core.transfers.policy import AcceptMode
from lanchat.core.transfers.state import TransferState
from lanchat.ui.elided_label import line_height
from lanchat.ui.settings_dialog import SettingsDialog
from lanchat.ui.transfer_cards import CardPainter
from lanchat.ui.transfer_words import transfer_title


def folder_card(painter: CardPainter, folder: str) -> tuple[QImage, QRectF]:
    """A received folder's card painted, and where the folder's name starts."""
    files = tuple(FileRecord(f"{folder}/{n}.txt", 10, 10, ok=True) for n in ("a", "b"))
    record = MessageRecord("f" * 32, "b" * 64, "b" * 64, Direction.IN, 0, "", TransferState.DONE,
                           files=files, kind=EntryKind.FILES)
    font = QFont()
    font.setPointSizeF(10)  # the theme's size
    layout = painter.layout(record, False, font, 330)
    image = QImage(layout.size, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    p = QPainter(image)
    painter.paint(p, record, False, font, QRectF(0, 0, layout.size.width(), layout.size.height()))
    p.end()
    assert layout.name is not None
    return image, layout.name


def ink_in(image: QImage, x0: float, x1: float, y0: float, y1: float) -> int:
    """Pixels darker than the card's background in a box."""
    return sum(
        1 for x in range(int(x0), int(x1)) for y in range(max(0, int(y0)), min(image.height(), int(y1)))
        if QColor(image.pixel(x, y)).lightness() < 150
    )


def test_an_underscore_beside_chinese_is_drawn(make_runtime):
    """A line with Chinese is laid out with a taller fallback font; its underscore must not be clipped."""
    painter = CardPainter(make_runtime("ana").transfers)
    assert line_height(QFont()) > QFontMetrics(QFont()).height()  # the taller line the card must allow
    bold = QFont()
    bold.setPointSizeF(10)
    bold.setWeight(QFont.Weight.DemiBold)
    metrics = QFontMetricsF(bold)
    found = {}
    for gap in ("_", " "):
        image, name = folder_card(painter, f"作业{gap}project（文件夹）")
        x0 = name.left() + metrics.horizontalAdvance("作业") + 1
        x1 = name.left() + metrics.horizontalAdvance(f"作业{gap}") - 1
        found[gap] = ink_in(image, x0, x1, name.top(), name.bottom() + 8)
    assert found[" "] == 0 and found["_"] > 0


def test_the_second_file_of_the_same_name_shows_the_name_it_was_saved_under(make_runtime, make_window, online,
                                                                          qtbot, tmp_path):
    ana, ben = make_runtime("ana", accept=AcceptMode.AUTO), make_runtime("ben")
    window = make_window(ana)
    qtbot.waitUntil(lambda: online(ana, ben) and online(ben, ana), timeout=10_000)
    (tmp_path / "class_notes.txt").write_text("notes")
    first = ben.transfers.offer(ana.identity.id, [tmp_path / "class_notes.txt"])[0]
    qtbot.waitUntil(lambda: (v := ana.transfers.view(first)) is not None and v.state is TransferState.DONE,
                    timeout=10_000)
    second = ben.transfers.offer(ana.identity.id, [tmp_path / "class_notes.txt"])[0]
    qtbot.waitUntil(lambda: (v := ana.transfers.view(second)) is not None and v.state is TransferState.DONE,
                    timeout=10_000)
    tab = window.open_chat(ben.identity.id)
    cards = window.card_painter
    titles = [cards.title(cards.data(tab.model.record(tab.model.row_of_mid(t)))) for t in (first, second)]
    assert titles == ["class_notes.txt", "class_notes (1).txt"]
    assert transfer_title(ana.transfers.view(second)) == "class_notes (1).txt"  # the Transfers window's row


def test_a_long_name_is_elided_with_its_whole_in_the_tooltip(make_runtime, make_window, online, qtbot):
    long_name = "Carolina Konstantinopoulou-Vanderbilt the Third of Upper Sandwich"[:64]
    ana, carol = make_runtime("Anastasia Konstantinopoulou-Vanderbilt of Lower Sandwich Road"), make_runtime(long_name)
    window = make_window(ana)
    window.resize(760, 520)
    qtbot.waitUntil(lambda: window.contacts_model.entry(carol.identity.id) is not None, timeout=10_000)
    splitter = window.centralWidget()
    sidebar_before = splitter.sizes()[0]
    tab = window.open_chat(carol.identity.id)
    qtbot.waitUntil(lambda: tab.title.isVisible())
    assert splitter.sizes()[0] == sidebar_before  # the header did not push the sidebar
    assert tab.title.text() == long_name
    assert tab.title.width() < tab.title.fontMetrics().horizontalAdvance(long_name)
    assert tab.title.is_elided() and tab.title.shown_text().endswith("…")
    assert tab.title.toolTip() == long_name
    me = window.me.name_label
    assert me.is_elided() and me.shown_text().endswith("…") and me.toolTip() == ana.name


def test_a_name_longer_than_64_characters_says_so_where_it_is_typed(make_runtime, qtbot):
    ana = make_runtime("ana")
    dialog = SettingsDialog(ana)
    qtbot.addWidget(dialog)
    assert dialog.name_hint.isHidden()
    name = "Beatriz " * 25  # 200 characters
    dialog.name.setText(name)
    assert dialog.name.text() == name  # nothing is cut silently while typing
    assert not dialog.name_hint.isHidden()
    assert "64" in dialog.name_hint.text() and "199" in dialog.name_hint.text()
    dialog.save()
    assert ana.name == " ".join(name.split())[:64]
    assert Qt.TextFormat.PlainText == dialog.name_hint.textFormat()
