"""Shared test set-up: offscreen Qt, and no unexpected warnings."""

from __future__ import annotations

import logging
import os

# Must happen before any QApplication exists: without a display Qt aborts.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402


class _FailOnWarning(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_warning_log(request: pytest.FixtureRequest):
    """Fail a test that logs a WARNING (or worse) it did not declare.

    Declare expected ones with `@pytest.mark.allow_warnings`, or use the
    `caplog`-style `expected_warnings` list this fixture yields.
    """
    handler = _FailOnWarning()
    root = logging.getLogger("lanchat")
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
    if request.node.get_closest_marker("allow_warnings"):
        return
    unexpected = [r for r in handler.records if r.levelno >= logging.WARNING]
    if unexpected:
        lines = "\n".join(f"{r.name}: {r.getMessage()}" for r in unexpected)
        pytest.fail(f"unexpected warnings were logged:\n{lines}", pytrace=False)
