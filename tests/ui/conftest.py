"""Window tests: the theme and a window over a real in-process peer."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english_again(qapp):
    """A test that switched the language live (Settings) leaves the next one in English."""
    yield
    from lanchat.ui.translations import install_translators

    install_translators(qapp, "en")


@pytest.fixture
def online():
    def check(runtime, other) -> bool:
        contact = runtime.contacts.get(other.identity.id)
        return contact is not None and contact.online

    return check


@pytest.fixture
def make_window(qtbot):
    from lanchat.ui.window import MainWindow

    windows = []

    def make(runtime):
        window = MainWindow(runtime)
        qtbot.addWidget(window)
        window.start()
        window.show()
        window.activateWindow()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.quit()


@pytest.fixture
def two_windows(make_runtime, make_window, online, qtbot):
    """Ana's and Ben's windows, each seeing the other online."""

    def make(**ben_options):
        ana, ben = make_runtime("ana"), make_runtime("ben", **ben_options)
        ana_window, ben_window = make_window(ana), make_window(ben)
        qtbot.waitUntil(
            lambda: online(ana, ben) and online(ben, ana)
            and ana_window.contacts_model.entry(ben.identity.id) is not None
            and ben_window.contacts_model.entry(ana.identity.id) is not None,
            timeout=10_000,
        )
        return ana, ben, ana_window, ben_window

    return make


@pytest.fixture
def click_card(qtbot):
    """Click a button ("accept", "decline", "cancel", ...) of a transfer's card in a chat tab, as a person does."""
    from PySide6.QtCore import QPoint, QPointF, Qt

    from lanchat.core.chat_model import ChatModel

    def click(tab, tid: str, action: str) -> None:
        view = tab.view
        qtbot.waitUntil(lambda: tab.model.row_of_mid(tid) >= 0, timeout=10_000)
        index = tab.model.index(tab.model.row_of_mid(tid))
        assert index.data(ChatModel.RecordRole).mid == tid
        view.scrollTo(index)
        option = view._option_for(index)
        rect = option.rect
        for y in range(rect.top(), rect.bottom(), 3):
            for x in range(rect.left(), rect.right(), 3):
                target = view.delegate.card_action_at(option, index, QPointF(x, y))
                if target is not None and target[0] == action:
                    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
                    return
        raise AssertionError(f"the card of {tid} shows no {action!r} button")

    return click


@pytest.fixture
def answer_dialog(qtbot):
    """Click the button called `text` of the next message box, once it is up (a modal `exec`)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    timers = []

    def answer(text: str) -> list[str]:
        asked: list[str] = []
        timer = QTimer()
        timer.setInterval(10)

        def poll() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                return
            for button in box.buttons():
                if button.text() == text:
                    timer.stop()
                    asked.append(box.text())
                    button.click()
                    return
            raise AssertionError(f"no {text!r} button in {[b.text() for b in box.buttons()]}")

        timer.timeout.connect(poll)
        timer.start()
        timers.append(timer)
        return asked

    yield answer
    for timer in timers:
        timer.stop()
