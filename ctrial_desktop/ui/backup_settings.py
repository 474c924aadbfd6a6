"""Where, how often and how many automatic backups: the user's preferences (QSettings).

The Preferences dialog edits them; the running application reads them before every
automatic copy, so a change applies from the next check (and to the copy on exit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from ctrial_desktop import paths
from ctrial_desktop.ui.i18n import tr_message

if TYPE_CHECKING:
    from ctrial_desktop.services.backup import BackupService

FOLDER_KEY = "backup/folder"
INTERVAL_KEY = "backup/interval_hours"
KEEP_KEY = "backup/keep"
DEFAULT_INTERVAL_HOURS = 4
DEFAULT_KEEP = 10
MAX_INTERVAL_HOURS = 24 * 7
MAX_KEEP = 100


@dataclass(frozen=True)
class BackupPreferences:
    folder: Path
    interval_hours: int = DEFAULT_INTERVAL_HOURS
    keep: int = DEFAULT_KEEP


def _int(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def load_backup_preferences(settings: QSettings) -> BackupPreferences:
    """The saved preferences; defaults (and the default folder) for anything missing or odd."""
    folder = str(settings.value(FOLDER_KEY, "") or "")
    return BackupPreferences(
        Path(folder) if folder else paths.backup_dir(),
        _int(settings.value(INTERVAL_KEY, DEFAULT_INTERVAL_HOURS), DEFAULT_INTERVAL_HOURS, 1,
             MAX_INTERVAL_HOURS),
        _int(settings.value(KEEP_KEY, DEFAULT_KEEP), DEFAULT_KEEP, 1, MAX_KEEP))


def save_backup_preferences(settings: QSettings, prefs: BackupPreferences) -> None:
    settings.setValue(FOLDER_KEY, str(prefs.folder))
    settings.setValue(INTERVAL_KEY, prefs.interval_hours)
    settings.setValue(KEEP_KEY, prefs.keep)
    settings.sync()


def check_folder(folder: Path) -> str | None:
    """Why backups cannot go to ``folder`` (created if missing), or None when they can."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".ctrial-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or tr_message(exc)
    return None


def apply_backup_preferences(service: BackupService, prefs: BackupPreferences) -> None:
    """Point a running :class:`BackupService` at the preferences."""
    service.folder = prefs.folder
    service.keep = prefs.keep
    service.interval = dt.timedelta(hours=prefs.interval_hours)
