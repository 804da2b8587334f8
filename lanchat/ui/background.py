"""Work that must not stall the window (decoding pictures): run on a small thread pool, answered on the GUI thread.

Results come back through a signal of a carrier object that belongs to no
widget, so a result that arrives after its widget was closed is dropped by
Qt (the connection went with the widget) instead of reaching freed memory.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

#: How much lower than the GUI thread the pool's threads run (Linux nice levels): on two cores, two
#: threads decoding photos flat out otherwise take the CPU the GUI thread needs to scroll smoothly.
LOWER_PRIORITY = 10


def _lower_priority() -> None:
    if sys.platform.startswith("linux"):  # a thread's own nice level: Linux only
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWER_PRIORITY)
        except OSError:
            pass  # not allowed here: the pool runs at the window's priority


_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lanchat-pictures", initializer=_lower_priority)


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
