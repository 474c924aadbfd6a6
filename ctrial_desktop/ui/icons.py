"""Icons of the user interface: SVG files in ``resources/icons/``, loaded by name.

SVG keeps icons sharp at every screen scale. Nothing is cached at module level:
a :class:`QIcon` built from a file is cheap, and Qt renders it lazily.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

from ctrial_desktop.paths import resources_dir


def icons_dir() -> Path:
    """Folder holding the application's SVG icons."""
    return resources_dir() / "icons"


def icon_path(name: str) -> Path:
    """Path of the icon ``name`` (file name without ``.svg``); KeyError if it does not exist."""
    path = icons_dir() / f"{name}.svg"
    if not path.is_file():
        raise KeyError(f"no icon {name!r} in {icons_dir().name}/")
    return path


def icon(name: str) -> QIcon:
    """The icon ``name`` (e.g. ``"state-complete"``, ``"lock"``)."""
    return QIcon(str(icon_path(name)))


def available_icons() -> tuple[str, ...]:
    """Names of every icon shipped, sorted."""
    return tuple(sorted(p.stem for p in icons_dir().glob("*.svg")))
