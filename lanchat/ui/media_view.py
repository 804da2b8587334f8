"""A chat's media: all its pictures (a grid, newest first) and files (a list), searchable by name."""

from __future__ import annotations

import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QLineEdit, QListView, QMenu, QTabWidget, QVBoxLayout, QWidget

from lanchat.core.media import MediaItem
from lanchat.ui.file_actions import FileActions, can_delete
from lanchat.ui.picture_cache import PictureCache
from lanchat.ui.untrusted import clean_file_name, human_size

ICON = 140
translate = QCoreApplication.translate
ItemRole = Qt.ItemDataRole.UserRole + 1


class MediaModel(QAbstractListModel):
    """Media items of one kind, newest first; pictures show their small copy once it is ready."""

    def __init__(self, items: list[MediaItem], cache: PictureCache | None, parent: Any = None) -> None:
        super().__init__(parent)
        self.items = sorted(items, key=lambda m: (m.record.row_id or 0, m.index), reverse=True)
        self._rows = {str(m.path): i for i, m in enumerate(self.items)}
        self._cache = cache
        if cache is not None:
            cache.ready.connect(self._on_ready)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            when = datetime.datetime.fromtimestamp(item.record.ts / 1000).strftime("%Y-%m-%d")
            if self._cache is not None:
                return when
            return f"{clean_file_name(item.name)}\n{human_size(item.size)} · {when}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{clean_file_name(item.name)} ({human_size(item.size)})"
        if role == Qt.ItemDataRole.DecorationRole and self._cache is not None:
            image = self._cache.get(str(item.path))
            return QIcon(QPixmap.fromImage(_square(image))) if image is not None and not image.isNull() else None
        if role == ItemRole:
            return item
        if role == Qt.ItemDataRole.UserRole:
            return item.name  # what the search looks at
        return None

    @Slot(str)
    def _on_ready(self, path: str) -> None:
        row = self._rows.get(path)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


def _square(image: QImage) -> QImage:
    """The middle square of a picture, for an even grid."""
    side = min(image.width(), image.height())
    square = image.copy((image.width() - side) // 2, (image.height() - side) // 2, side, side)
    return square.scaled(ICON, ICON, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class MediaView(QWidget):
    """A window listing a chat's pictures and files; double-click opens, right-click offers the actions."""

    #: A picture was asked for: its index among `pictures` (the window opens the viewer).
    view_picture = Signal(int)

    def __init__(self, title: str, items: list[MediaItem], cache: PictureCache, actions: FileActions,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Pictures and files: {0}").format(title))
        self.file_actions = actions
        self.pictures = MediaModel([m for m in items if m.picture], cache, self)
        self.files = MediaModel([m for m in items if not m.picture], None, self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name"))
        self.search.setClearButtonEnabled(True)
        self.tabs = QTabWidget()
        self.picture_list = self._list(self.pictures, grid=True)
        self.file_list = self._list(self.files, grid=False)
        self.tabs.addTab(self.picture_list, self.tr("Pictures (%n)", "", self.pictures.rowCount()))
        self.tabs.addTab(self.file_list, self.tr("Files (%n)", "", self.files.rowCount()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tabs)
        self.search.textChanged.connect(self._on_search)
        self.resize(760, 560)

    def _list(self, model: MediaModel, grid: bool) -> QListView:
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setFilterRole(Qt.ItemDataRole.UserRole)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        view = QListView()
        view.setModel(proxy)
        view.setUniformItemSizes(True)
        if grid:
            view.setViewMode(QListView.ViewMode.IconMode)
            view.setIconSize(QSize(ICON, ICON))
            view.setGridSize(QSize(ICON + 16, ICON + 28))
            view.setResizeMode(QListView.ResizeMode.Adjust)
            view.setMovement(QListView.Movement.Static)
            palette = view.palette()
            palette.setColor(view.backgroundRole(), QColor("#f4f5f7"))
            view.setPalette(palette)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(lambda pos, v=view: self._menu(v, pos))
        view.activated.connect(lambda index, v=view: self._activate(v, index))
        view.setDragEnabled(False)
        return view

    def _item(self, view: QListView, index: QModelIndex) -> MediaItem | None:
        item = index.data(ItemRole) if index.isValid() else None
        return item if isinstance(item, MediaItem) else None

    @Slot(str)
    def _on_search(self, text: str) -> None:
        for view in (self.picture_list, self.file_list):
            proxy = view.model()
            assert isinstance(proxy, QSortFilterProxyModel)
            proxy.setFilterFixedString(text.strip())

    def _activate(self, view: QListView, index: QModelIndex) -> None:
        item = self._item(view, index)
        if item is None:
            return
        if item.picture:
            self.view_picture.emit(self.pictures.items.index(item))
        else:
            self.file_actions.open(item.path)

    def _menu(self, view: QListView, pos: QPoint) -> None:
        item = self._item(view, view.indexAt(pos))
        if item is None:
            return
        menu = media_menu(self.file_actions, item, self, view_picture=lambda: self._activate(view, view.indexAt(pos)))
        menu.exec(view.viewport().mapToGlobal(pos))


def media_menu(actions: FileActions, item: MediaItem, parent: QWidget, view_picture: Any = None) -> QMenu:
    """The actions for one file or picture: the same in chats, the viewer and the media view."""
    menu = QMenu(parent)
    if item.picture and view_picture is not None:
        menu.addAction(translate("MediaMenu", "View"), view_picture).setObjectName("view")
    for name, label, run in (
        ("open", translate("MediaMenu", "Open"), lambda: actions.open(item.path)),
        ("save", translate("MediaMenu", "Save as…"), lambda: actions.save_as(item.path)),
        ("copy", translate("MediaMenu", "Copy"), lambda: actions.copy(item.path)),
        ("folder", translate("MediaMenu", "Show in folder"), lambda: actions.show_in_folder(item.path)),
        ("forward", translate("MediaMenu", "Forward…"), lambda: actions.forward([item.path])),
    ):
        menu.addAction(label, run).setObjectName(name)
    menu.addSeparator()
    delete = menu.addAction(translate("MediaMenu", "Delete from this chat"), lambda: actions.delete_entry(item.record))
    delete.setObjectName("delete")
    delete.setEnabled(can_delete(item.record))
    return menu
