"""Casebooks of all patients from the GUI: one file per patient, progress, clean cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.ui.casebooks_dialog import CasebooksDialog
from ctrial_desktop.ui.session import UiSession, make_ui_session


@pytest.fixture
def session(db, study) -> UiSession:  # type: ignore[no-untyped-def]
    build_demo(db, patients=6, sites=2, seed=3, clinical=False)
    return make_ui_session(db, AuthService(db).login("dm", DEMO_PASSWORD), study)


def _complete_pdfs(folder: Path) -> list[str]:
    names = sorted(p.name for p in folder.iterdir())
    for name in names:
        assert name.startswith("casebook-") and name.endswith(".pdf"), name
        assert len(PdfReader(folder / name).pages) >= 2
    return names


def test_writes_one_casebook_per_patient_of_the_site(qtbot, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = CasebooksDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.count_label.text() == "Patients: 6"
    dialog.site_combo.setCurrentIndex(dialog.site_combo.findData("02"))
    site = [p.patient_number for p in dialog.patients()]
    assert site and all(n.startswith("02-") for n in site)
    folder = tmp_path / "books"
    dialog.folder_edit.clear()
    qtbot.keyClicks(dialog.folder_edit, str(folder))
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.running and dialog.progress_label.text().startswith("Patient 1 of ")
    qtbot.waitUntil(lambda: not dialog.running, timeout=120_000)
    assert _complete_pdfs(folder) == [f"casebook-{n}.pdf" for n in sorted(site)]
    assert str(folder) in dialog.summary_label.text()
    assert f"{len(site)} casebooks" in dialog.summary_label.text()
    assert dialog.open_folder_button.isVisible()

    # A second run into the same folder asks to tick "Replace" first.
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert not dialog.running and "already holds casebooks" in dialog.folder_message.text()
    dialog.replace_check.setChecked(True)
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.running
    qtbot.waitUntil(lambda: not dialog.running, timeout=120_000)
    assert dialog.result_set is not None and not dialog.result_set.cancelled


def test_cancel_leaves_complete_files_only(qtbot, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = CasebooksDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    folder = tmp_path / "cancelled"
    dialog.folder_edit.setText(str(folder))
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=60_000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    result = dialog.result_set
    assert result is not None and result.cancelled and 1 <= len(result.files) < 6
    assert _complete_pdfs(folder) == sorted(f.path.name for f in result.files)
    assert "Cancelled after" in dialog.summary_label.text()


def test_a_file_in_place_of_the_folder_is_refused(qtbot, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = CasebooksDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    (tmp_path / "file").write_text("x")
    dialog.folder_edit.setText(str(tmp_path / "file"))
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert not dialog.running and dialog.folder_message.text() == "This is a file, not a folder."


def test_reports_menu_opens_the_casebooks_dialog(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    from ctrial_desktop.ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.casebooks_action in window.reports_menu.actions()
    assert window.casebooks_action.isVisible()
    window.casebooks_action.trigger()
    dialog = window.findChild(CasebooksDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()
