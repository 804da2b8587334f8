"""Work that must not stall the window (decoding pictures): run on a small thread pool, answered on the GUI thread.

Results come back through a signal of a carrier object that belongs to no
widget, so a result that arrives after its widget was closed is dropped by
Qt (the connection went with the widget) instead of reaching freed memory.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lanchat-pictures")


class _Carrier(QObject):
    done = Signal(object, object)  # key, result


class Background:
    """Runs functions off the GUI thread; `on_done(key, result)` is called on the GUI thread."""

    def __init__(self, on_done: Callable[[Any, Any], None]) -> None:
        self._carrier = _Carrier()
        self._carrier.done.connect(on_done)
        self._pending: set[Future[Any]] = set()

    def run(self, key: object, work: Callable[[], object]) -> None:
        carrier = self._carrier
        future = _EXECUTOR.submit(work)
        self._pending.add(future)

        def finished(done: Future[Any]) -> None:
            self._pending.discard(done)
            carrier.done.emit(key, done.result())

        future.add_done_callback(finished)

    def wait(self) -> None:
        """Finish what was started (tests, closing)."""
        for future in list(self._pending):
            future.result()
