"""What tests watch of transfers: the latest view and the states each went through."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot


class Views(QObject):
    """The latest TransferView of every transfer a runtime reports."""

    def __init__(self, runtime) -> None:
        super().__init__()
        self.latest: dict[str, object] = {}
        self.states: dict[str, list[str]] = {}
        runtime.transfers.transfer_changed.connect(self.on_changed)

    @Slot(object)
    def on_changed(self, view) -> None:
        self.latest[view.tid] = view
        states = self.states.setdefault(view.tid, [])
        if not states or states[-1] != view.state:
            states.append(view.state)

    def state(self, tid: str) -> str | None:
        view = self.latest.get(tid)
        return view.state if view else None
