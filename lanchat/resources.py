"""Where lanchat's resource files (translations, icons) are, from source or frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """A path under the `resources/` folder: the repo root's, or `sys._MEIPASS/resources` when frozen."""
    frozen_base = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen_base:
        base = Path(frozen_base) / "resources"
    else:
        base = Path(__file__).resolve().parent.parent / "resources"
    return base.joinpath(*parts)
