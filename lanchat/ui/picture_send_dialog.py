"""Before pictures go: see them, name a pasted one, choose Original or a lighter copy, then Send or Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from lanchat.core.transfers.outgoing_pictures import SCALED_EDGE
from lanchat.core.transfers.pictures import read_picture
from lanchat.ui.untrusted import clean_file_name

PREVIEW = 360  # one picture: its preview's longest side
TILE = 110  # several: each tile
COLUMNS = 4
ORIGINAL_SETTING = "send_original_pictures"


class PictureSendDialog(QDialog):
    """`original` and (for one pasted picture) `name` are read once it is accepted."""

    def __init__(self, to: str, images: list[QImage] | None = None, paths: list[Path] | None = None,
                 name: str | None = None, original: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Send to {0}").format(to))
        previews = images if images is not None else [read_picture(p, QSize(PREVIEW, PREVIEW)) for p in paths or []]
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        single = len(previews) == 1
        for i, image in enumerate(previews):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            edge = PREVIEW if single else TILE
            if image.isNull():
                label.setText(self.tr("(no preview)"))
            else:
                label.setPixmap(QPixmap.fromImage(image).scaled(
                    edge, edge, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
            if paths:
                label.setToolTip(clean_file_name(paths[i].name))
            grid.addWidget(label, i // COLUMNS, i % COLUMNS)
        layout.addLayout(grid)
        if len(previews) > 1:
            layout.addWidget(QLabel(self.tr("%n pictures go as one album.", "", len(previews))))
        self.name_edit: QLineEdit | None = None
        if name is not None:
            self.name_edit = QLineEdit(name)
            self.name_edit.setAccessibleName(self.tr("File name"))
            self.name_edit.setToolTip(self.tr("The name the picture is sent under"))
            layout.addWidget(self.name_edit)
        self.original_box = QCheckBox(self.tr("Original (full size and quality)"))
        self.original_box.setChecked(original)
        self.original_box.setToolTip(self.tr(
            "Off: a lighter JPEG of at most {0} pixels is sent instead, as chat apps do.").format(SCALED_EDGE))
        layout.addWidget(self.original_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.send_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.send_button.setText(self.tr("Send"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def original(self) -> bool:
        return self.original_box.isChecked()

    @property
    def name(self) -> str | None:
        """The name for a pasted picture, `.png` kept at its end."""
        if self.name_edit is None:
            return None
        text = clean_file_name(self.name_edit.text().strip().replace("/", "-")) or self.name_edit.placeholderText()
        return text if text.lower().endswith(".png") else f"{text}.png"
