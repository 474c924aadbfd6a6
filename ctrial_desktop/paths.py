"""Every filesystem location the application uses comes from this module.

Tests and the ``CTRIAL_DATA_DIR`` environment variable can point the user data
folder elsewhere; nothing else in the code base builds paths of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "ctrial-desktop"
APP_AUTHOR = "IFM"

#: Root of the source tree (``forms/`` and ``resources/`` live beside the package).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The user data folder: database, backups, logs, drafts."""
    override = os.environ.get("CTRIAL_DATA_DIR")
    path = Path(override) if override else Path(user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def forms_dir() -> Path:
    """Folder of the study definition (``study.yaml`` and one YAML per form)."""
    override = os.environ.get("CTRIAL_FORMS_DIR")
    return Path(override) if override else PROJECT_ROOT / "forms"


def resources_dir() -> Path:
    """Folder of icons, style sheet, fonts, translations and reference data."""
    return PROJECT_ROOT / "resources"


def default_database_path() -> Path:
    return data_dir() / "ctrial.sqlite3"


def default_database_url() -> str:
    return f"sqlite:///{default_database_path().as_posix()}"


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path
