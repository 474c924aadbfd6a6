"""Backup preferences: folder, interval and copies kept, chosen in Preferences, used by the
running application's automatic copies; a folder that cannot be written is refused."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop import paths
from ctrial_desktop.store.database import open_database
from ctrial_desktop.ui.app import start_automatic_backups
from ctrial_desktop.ui.backup_settings import (
    DEFAULT_INTERVAL_HOURS,
    DEFAULT_KEEP,
    BackupPreferences,
    load_backup_preferences,
    save_backup_preferences,
)
from ctrial_desktop.ui.preferences_dialog import PreferencesDialog


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)


def test_defaults_then_what_was_saved(settings: QSettings, tmp_path: Path) -> None:
    assert load_backup_preferences(settings) == BackupPreferences(
        paths.backup_dir(), DEFAULT_INTERVAL_HOURS, DEFAULT_KEEP)
    save_backup_preferences(settings, BackupPreferences(tmp_path / "usb", 2, 5))
    assert load_backup_preferences(settings) == BackupPreferences(tmp_path / "usb", 2, 5)
    settings.setValue("backup/keep", "lots")
    settings.setValue("backup/interval_hours", 0)
    odd = load_backup_preferences(settings)
    assert (odd.keep, odd.interval_hours) == (DEFAULT_KEEP, DEFAULT_INTERVAL_HOURS)


def test_the_dialog_saves_the_folder_interval_and_copies(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    dialog = PreferencesDialog("en", settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.backup_group.isVisible()
    assert dialog.folder_edit.text() == str(paths.backup_dir())
    dialog.folder_edit.setText(str(tmp_path / "copies"))
    dialog.interval_spin.setValue(6)
    dialog.keep_spin.setValue(3)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.keep_spin, Qt.Key.Key_Return)
    assert load_backup_preferences(settings) == BackupPreferences(tmp_path / "copies", 6, 3)
    assert (tmp_path / "copies").is_dir()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs a folder the user cannot write (root writes anywhere)")
def test_a_folder_that_cannot_be_written_is_refused(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    dialog = PreferencesDialog("en", settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder_edit.setText(str(locked / "sub"))
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "cannot be written" in dialog.folder_error.text()
    assert settings.value("backup/folder") is None


def test_a_file_in_place_of_the_folder_is_refused(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    dialog = PreferencesDialog("en", settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder_edit.setText(str(tmp_path / "a-file"))
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "cannot be written" in dialog.folder_error.text()
    dialog.folder_edit.clear()
    dialog.buttons.accepted.emit()
    assert "Choose a folder" in dialog.folder_error.text()
    assert settings.value("backup/folder") is None


def test_without_settings_only_the_language_is_offered(qtbot: QtBot) -> None:
    dialog = PreferencesDialog("en")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.backup_group.isVisible()


def test_automatic_copies_follow_the_preferences(
        qtbot: QtBot, settings: QSettings, tmp_path: Path) -> None:
    save_backup_preferences(settings, BackupPreferences(tmp_path / "usb", 1, 2))
    db = open_database(f"sqlite:///{tmp_path / 'site.sqlite3'}")
    owner = QObject()
    try:
        service = start_automatic_backups(db, owner, settings)
        assert service is not None
        qtbot.waitUntil(lambda: len(service.copies()) == 1, timeout=10000)
        assert service.folder == tmp_path / "usb"
        assert service.interval == dt.timedelta(hours=1) and service.keep == 2
        assert [c.path.parent for c in service.copies()] == [tmp_path / "usb"]
    finally:
        owner.deleteLater()
        db.dispose()
