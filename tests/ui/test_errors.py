"""Uncaught exceptions: logged, and shown in a dialog built on the GUI thread whatever thread raised them."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QCoreApplication

from lanchat.transports.workers import Worker, WorkerThread
from lanchat.ui.errors import CrashReporter, install_excepthook


class FakeDialog:
    def __init__(self, shown: list[tuple[str, int]], text: str) -> None:
        self._shown, self._text = shown, text

    def exec(self) -> int:
        self._shown.append((self._text, threading.get_ident()))
        return 0


@pytest.fixture
def reporter(qapp, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    reporter = install_excepthook()
    shown: list[tuple[str, int]] = []
    monkeypatch.setattr(reporter, "dialog", lambda text, details: FakeDialog(shown, text))
    reporter.shown = shown
    return reporter


@pytest.mark.allow_warnings
def test_an_exception_in_a_python_thread_shows_on_the_gui_thread(reporter: CrashReporter, qtbot):
    def fail() -> None:
        raise FileNotFoundError(2, "No such file", "/nowhere/x.png")

    thread = threading.Thread(target=fail, name="lanchat-test-fail")
    thread.start()
    thread.join(5)
    qtbot.waitUntil(lambda: bool(reporter.shown), timeout=5000)
    [(text, shown_on)] = reporter.shown
    assert shown_on == threading.get_ident()  # the test runs on the GUI thread
    assert "/nowhere/x.png" in text


class Failing(Worker):
    def run(self) -> None:
        raise KeyError("a bug in a worker")

    def stop(self) -> None:
        pass


@pytest.mark.allow_warnings
@pytest.mark.qt_log_ignore(".*")
def test_an_exception_in_a_qthread_worker_shows_on_the_gui_thread(reporter: CrashReporter, qtbot):
    worker = WorkerThread(Failing(), "lanchat-test-failing")
    worker.start()
    qtbot.waitUntil(lambda: bool(reporter.shown), timeout=5000)
    assert worker.thread.wait(2000)
    [(text, shown_on)] = reporter.shown
    assert shown_on == threading.get_ident()
    assert "KeyError" in text


@pytest.mark.allow_warnings
def test_a_second_exception_while_the_dialog_is_open_is_only_logged(reporter: CrashReporter, qtbot, monkeypatch):
    opened: list[str] = []

    class NestedDialog:
        def __init__(self, text: str) -> None:
            self.text = text

        def exec(self) -> int:
            opened.append(self.text)
            if len(opened) == 1:  # while the first is open, another exception comes
                reporter.hook(ValueError, ValueError("second"), None)
                QCoreApplication.processEvents()  # as the dialog's own event loop would
            return 0

    monkeypatch.setattr(reporter, "dialog", lambda text, details: NestedDialog(text))
    reporter.hook(ValueError, ValueError("first"), None)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert len(opened) == 1 and "first" in opened[0]
