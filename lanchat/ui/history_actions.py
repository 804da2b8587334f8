"""Export a chat to a file, delete a chat, clear the whole history (each asks first)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QDir, QObject, QStandardPaths, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from lanchat.core.contacts_model import ContactsModel
from lanchat.core.history import HistoryError, export
from lanchat.core.rooms import EVERYONE_ROOM_ID
from lanchat.ui.runtime_api import RuntimeApi
from lanchat.ui.untrusted import clean_name

log = logging.getLogger("lanchat.ui.history_actions")

# File name suffix → export format; anything else is exported as HTML with ".html" added.
SUFFIXES = {".html": "html", ".htm": "html", ".txt": "txt", ".json": "json"}
# Characters no file name should contain on Windows, macOS or Linux.
UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def default_file_name(chat_name: str) -> str:
    """"<chat name>.html", with what cannot go in a file name replaced by "_"."""
    name = UNSAFE_IN_FILE_NAME.sub("_", clean_name(chat_name)).strip(" .") or "chat"
    return f"{name}.html"


def export_format(path: Path) -> str:
    """The export format a file name asks for (by its suffix); HTML when it says none we know."""
    return SUFFIXES.get(path.suffix.lower(), "html")


class HistoryActions(QObject):
    """The window's Export chat, Delete chat and Clear all history."""

    #: A line for the status bar.
    status_message = Signal(str)
    #: Something went wrong that the person must see.
    warning = Signal(str)
    #: The chat's messages are gone (its tab closes).
    chat_deleted = Signal(str)

    def __init__(self, window: QWidget, runtime: RuntimeApi, contacts_model: ContactsModel) -> None:
        super().__init__(window)
        self.window = window
        self.runtime = runtime
        self.contacts_model = contacts_model

    def _chat_name(self, chat_id: str) -> str:
        entry = self.contacts_model.entry(chat_id)
        return entry.name if entry is not None else chat_id[:8]

    def _names(self) -> tuple[dict[str, str], dict[str, str]]:
        """Contact id → name and room id → name, for the export's "who" column."""
        runtime = self.runtime
        names = {c.id: c.name for c in runtime.store.contacts()}
        names.update((c.id, c.name) for c in runtime.contacts.all())
        names[runtime.identity.id] = runtime.name
        room_names = {r.id: r.name for r in runtime.store.rooms()}
        room_names[EVERYONE_ROOM_ID] = self.tr("Everyone")
        return names, room_names

    def render(self, chat_id: str, fmt: str) -> tuple[str, int]:
        """The chat's history as `fmt` (html, txt or json), and how many entries it holds."""
        names, room_names = self._names()
        records = list(self.runtime.store.messages(chat_id))
        if fmt == "json":
            text = export.render_json(records, names)
        elif fmt == "txt":
            text = export.render_txt(records, names, room_names)
        else:
            text = export.render_html(records, names, room_names)
        return text, len(records)

    # --- the actions --------------------------------------------------------------------------

    @Slot(str)
    def export_chat(self, chat_id: str) -> None:
        """Ask for a file, then write the chat's history there (html, txt or json by its suffix)."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or QDir.homePath()
        suggested = str(Path(folder) / default_file_name(self._chat_name(chat_id)))
        chosen, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Export chat"), suggested,
            self.tr("Web page (*.html *.htm);;Text (*.txt);;JSON (*.json)"),
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in SUFFIXES:
            path = path.with_name(path.name + ".html")
        try:
            text, count = self.render(chat_id, export_format(path))
            path.write_text(text, encoding="utf-8")
        except HistoryError as e:
            self.warning.emit(str(e))
            return
        except OSError as e:
            self.warning.emit(self.tr("Could not write {0}: {1}").format(str(path), e.strerror or str(e)))
            return
        log.info("exported %d entries of %s to %s", count, chat_id[:8], path)
        self.status_message.emit(self.tr("Exported %n message(s) to {0}", "", count).format(str(path)))

    def _confirm(self, title: str, text: str, action: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        confirm = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is confirm

    @Slot(str)
    def delete_chat(self, chat_id: str) -> None:
        """Ask, then delete the chat's messages and close its tab (the contact or group stays)."""
        name = clean_name(self._chat_name(chat_id))
        if not self._confirm(
            self.tr("Delete chat"),
            self.tr("Delete every message of the chat “{0}” from this computer? "
                    "This cannot be undone. The others keep their copies, and “{0}” stays in your list.")
            .format(name),
            self.tr("Delete chat"),
        ):
            return
        self.runtime.store.delete_chat(chat_id)
        self.chat_deleted.emit(chat_id)
        self.status_message.emit(self.tr("Deleted the chat “{0}”.").format(name))

    @Slot()
    def clear_history(self) -> None:
        """Ask, then delete every message of every chat (contacts and groups stay)."""
        if not self._confirm(
            self.tr("Clear all history"),
            self.tr("Delete every message of every chat from this computer? This cannot be undone. "
                    "Your contacts and groups stay, and so do transfers still running."),
            self.tr("Clear all history"),
        ):
            return
        self.runtime.store.clear_history()
        self.status_message.emit(self.tr("The history is cleared."))
