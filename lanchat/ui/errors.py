"""From problems to sentences people understand, and the crash dialog (sys.excepthook)."""

from __future__ import annotations

import errno
import logging
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from lanchat.core.history.schema import HistoryError
from lanchat.core.notices import Level, Notice
from lanchat.core.transport import UnsendableText

log = logging.getLogger("lanchat.ui.errors")


translate = QCoreApplication.translate


#: Notice codes whose own sentence we can say better (and translate); {peer} is the contact's name.
def notice_sentences() -> dict[str, str]:
    return {
        "cert-mismatch": translate(
            "errors",
            "{peer} did not prove who they are (their key changed, or someone pretends to be them). "
            "lanchat did not talk to them.",
        ),
        "bad-frame": translate(
            "errors", "{peer} sent something lanchat does not understand; the connection was closed."
        ),
        "too-large": translate("errors", "{peer} sent something too large; it was refused."),
        "bad-version": translate("errors", "{peer} uses a lanchat version that cannot talk to this one."),
        "auth-failed": translate(
            "errors", "A peer at {peer} failed to prove its identity; lanchat did not talk to it."
        ),
        "busy": translate("errors", "{peer} is busy with other transfers; try again in a moment."),
        "no-space": translate("errors", "There is not enough disk space for this transfer."),
        "internal": translate("errors", "{peer} had an internal problem with what we sent."),
        "history-error": translate("errors", "The chat history could not be saved: {text}"),
    }


#: Notices that deserve a dialog rather than a status-bar line.
DIALOG_CODES = frozenset({"cert-mismatch", "name-impersonation", "history-error"})


def notice_text(notice: Notice, peer_name: str | None = None) -> str:
    """The sentence to show for a notice (its own text when we have nothing better)."""
    template = notice_sentences().get(notice.code)
    if template is None:
        return notice.text  # e.g. port-fallback: the runtime's sentence already says which ports
    who = peer_name or (notice.peer[:8] if notice.peer else translate("errors", "A contact"))
    return template.format(peer=who, text=notice.text)


def wants_dialog(notice: Notice) -> bool:
    return notice.level == Level.ERROR and notice.code in DIALOG_CODES


def exception_text(exc: BaseException) -> str:
    """One sentence for an exception the person should hear about."""
    if isinstance(exc, HistoryError):
        return str(exc)
    if isinstance(exc, UnsendableText):
        return translate("errors", "This message cannot be sent: {0}").format(exc)
    if isinstance(exc, PermissionError):
        return translate("errors", "lanchat is not allowed to use {0}.").format(
            exc.filename or translate("errors", "this file")
        )
    if isinstance(exc, FileNotFoundError):
        return translate("errors", "{0} does not exist (any more).").format(
            exc.filename or translate("errors", "The file")
        )
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return translate("errors", "The disk is full.")
        if exc.errno == errno.EADDRINUSE:
            return translate("errors", "The network port is used by another program.")
        return translate("errors", "A system error happened: {0}").format(exc.strerror or exc)
    if isinstance(exc, MemoryError):
        return translate("errors", "lanchat ran out of memory.")
    return translate("errors", "Something unexpected went wrong: {0}").format(f"{type(exc).__name__}: {exc}")


class CrashReporter(QObject):
    """Logs every uncaught exception, from any thread, and shows it in a dialog built on the GUI thread.

    Qt allows widgets on the GUI thread only; a worker thread's exception is
    handed over by a queued signal. One dialog at a time: exceptions that
    come while it is open are logged only.
    """

    _report = Signal(str, str)  # the sentence, the traceback

    def __init__(self) -> None:
        super().__init__()
        self._showing = False
        self._report.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def hook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """A `sys.excepthook`: any thread."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.critical("unhandled exception in %s:\n%s", threading.current_thread().name, details)
        self._report.emit(exception_text(exc), details)

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """A `threading.excepthook`, for Python threads."""
        if args.exc_value is not None:
            self.hook(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str, str)
    def _show(self, text: str, details: str) -> None:
        if self._showing or not isinstance(QApplication.instance(), QApplication):
            return
        self._showing = True
        try:
            self.dialog(text, details).exec()
        finally:
            self._showing = False

    def dialog(self, text: str, details: str) -> QMessageBox:
        box = QMessageBox()
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(translate("errors", "lanchat ran into a problem"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.setInformativeText(translate(
            "errors", "lanchat keeps running. If this happens again, please report it with the details below."
        ))
        box.setDetailedText(details)
        return box


def install_excepthook() -> CrashReporter:
    """Report uncaught exceptions of every thread; call on the GUI thread (keep the result alive)."""
    reporter = CrashReporter()
    sys.excepthook = reporter.hook
    threading.excepthook = reporter.thread_hook
    return reporter
