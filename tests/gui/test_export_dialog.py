"""File > Export data: the three exports written from the GUI in a worker, cancelling
leaves no file, and only users with the export permission get the menu item."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.export_dialog import ExportDialog, run_export
from ctrial_desktop.ui.main_window import MainWindow
from ctrial_desktop.ui.session import UiSession, make_ui_session
from ctrial_desktop.ui.workers import JobCancelled
from tests.gui.app_helpers import OFFSCREEN_WARNINGS

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_WARNINGS)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('export') / 'demo.sqlite3'}")
    build_demo(db, patients=3, sites=2, seed=5)
    yield db
    db.dispose()


def _session(db: Database, study: StudyDefinition, username: str) -> UiSession:
    return make_ui_session(db, AuthService(db).login(username, DEMO_PASSWORD), study)


def _export(qtbot: QtBot, dialog: ExportDialog, kind: str, target: Path) -> None:
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
    dialog.file_edit.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)


def test_a_data_manager_exports_the_audit_trail_odm_and_csv(
        qtbot: QtBot, demo_db: Database, study: StudyDefinition, tmp_path: Path) -> None:
    dialog = ExportDialog(_session(demo_db, study, "dm"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.export_button.isEnabled()
    assert [dialog.site_combo.itemData(i) for i in range(dialog.site_combo.count())] == \
        [None, "01", "02"]
    dialog.site_combo.setCurrentIndex(dialog.site_combo.findData("01"))
    assert dialog.file_edit.text().endswith(".xml") and "site01" in dialog.file_edit.text()
    assert not dialog.layout_combo.isEnabled()

    _export(qtbot, dialog, "audit", tmp_path / "trail.csv")
    with (tmp_path / "trail.csv").open(encoding="utf-8", newline="") as handle:
        sites = {row["site"] for row in csv.DictReader(handle)}
    assert sites == {"01"}
    assert "Written:" in dialog.message.text() and "audit records" in dialog.message.text()
    assert dialog.open_folder_button.isVisible()

    _export(qtbot, dialog, "odm", tmp_path / "site01.xml")
    assert (tmp_path / "site01.xml").read_bytes().startswith(b"<?xml")
    assert "patients" in dialog.message.text() and "signatures" in dialog.message.text()

    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("csv"))
    assert dialog.layout_combo.isEnabled() and not dialog.metadata_check.isEnabled()
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("wide"))
    _export(qtbot, dialog, "csv", tmp_path / "stats.zip")
    assert "dictionary.csv" in zipfile.ZipFile(tmp_path / "stats.zip").namelist()


def test_an_empty_file_name_is_refused_next_to_the_buttons(
        qtbot: QtBot, demo_db: Database, study: StudyDefinition) -> None:
    dialog = ExportDialog(_session(demo_db, study, "dm"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.file_edit.clear()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.running
    assert "Choose the file to write" in dialog.error.text()


@pytest.mark.parametrize("kind", ["odm", "csv", "audit"])
def test_a_cancelled_export_leaves_no_file(demo_db: Database, study: StudyDefinition,
                                           tmp_path: Path, kind: str) -> None:
    session = _session(demo_db, study, "dm")
    with pytest.raises(JobCancelled):
        run_export(session, kind, tmp_path / f"out.{kind}", None, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_only_users_who_may_export_see_the_menu_item(
        qtbot: QtBot, demo_db: Database, study: StudyDefinition) -> None:
    for username, visible in (("dm", True), ("coord01", False), ("monitor", False)):
        window = MainWindow(_session(demo_db, study, username))
        qtbot.addWidget(window)
        assert window.export_action.isVisible() is visible, username
        if visible:
            with qtbot.waitSignal(window.export_requested):
                window.export_action.trigger()


def test_enter_in_the_file_field_exports(qtbot: QtBot, demo_db: Database,
                                         study: StudyDefinition, tmp_path: Path) -> None:
    dialog = ExportDialog(_session(demo_db, study, "dm"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("audit"))
    dialog.file_edit.setText(str(tmp_path / "enter.csv"))
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: (tmp_path / "enter.csv").exists() and not dialog.running,
                    timeout=60_000)
