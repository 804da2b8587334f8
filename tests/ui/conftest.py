"""Window tests: the theme and a window over a real in-process peer."""

from __future__ import annotations

import pytest


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
