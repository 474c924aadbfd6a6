"""The home screen's to-do list, driven like a user: the list is there after log-in,
Enter opens the patient at the form, a grade 4 value is marked not clinically
significant with a reason, and Patient > To do comes back to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import FormData, ItemValue
from ctrial_desktop.store.models_clinical import LabReview
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.main_window import MainWindow
from ctrial_desktop.ui.reason_dialog import ReasonDialog
from ctrial_desktop.ui.session import make_ui_session
from ctrial_desktop.ui.todo_view import ITEM_ROLE
from tests.gui.app_helpers import OFFSCREEN_WARNINGS

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_WARNINGS)


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Database]:
    template = tmp_path_factory.getbasetemp() / "todo-template.sqlite3"
    if not template.exists():
        built = open_database(f"sqlite:///{template}")
        build_demo(built, patients=3, sites=1, seed=8)
        built.dispose()
    copy = tmp_path / "trial.sqlite3"
    copy.write_bytes(template.read_bytes())
    db = open_database(f"sqlite:///{copy}")
    yield db
    db.dispose()


def _window(qtbot: QtBot, db: Database, study: StudyDefinition, user: str) -> MainWindow:
    session = make_ui_session(db, AuthService(db).login(user, DEMO_PASSWORD), study)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1200, 700)
    window.show()
    assert window.todo is not None
    qtbot.waitUntil(lambda: not window.todo.is_loading and window.patients_ready,
                    timeout=30_000)
    return window


def test_enter_on_a_line_opens_the_patient_at_the_form(
        qtbot: QtBot, demo: Database, study: StudyDefinition) -> None:
    with demo.write() as s:  # a form left with required items missing
        fid, pid, form = s.execute(select(FormData.id, FormData.patient_id, FormData.form_oid)
                                   .where(FormData.form_oid == "F.HEM")).first()
        s.execute(update(FormData).where(FormData.id == fid).values(status="in_progress"))
    window = _window(qtbot, demo, study, "coord01")
    todo = window.todo
    assert todo is not None and window.centre.currentWidget() is todo
    titles = [todo.tree.topLevelItem(i).text(0) for i in range(todo.tree.topLevelItemCount())]
    assert any(t.startswith("Forms in progress (") for t in titles)
    line = next(todo.tree.topLevelItem(i).child(j)
                for i in range(todo.tree.topLevelItemCount())
                for j in range(todo.tree.topLevelItem(i).childCount())
                if todo.tree.topLevelItem(i).child(j).data(0, ITEM_ROLE).form_data_id == fid)
    assert "Haematology" in line.text(1)
    target = line.data(0, ITEM_ROLE)
    todo.tree.setCurrentItem(line)
    todo.tree.setFocus()
    qtbot.keyClick(todo.tree, Qt.Key.Key_Return)
    assert window.centre.currentWidget() is window.workspace
    assert window.workspace.patient is not None and window.workspace.patient.id == pid
    editor = window.workspace.editor
    assert editor is not None
    assert editor.instance == (pid, target.event_oid, target.event_repeat, form)

    window.todo_action.trigger()
    assert window.centre.currentWidget() is todo


def test_a_grade_4_value_marked_not_clinically_significant(
        qtbot: QtBot, demo: Database, study: StudyDefinition) -> None:
    with demo.write() as s:
        fid = s.scalar(select(FormData.id).where(FormData.form_oid == "F.HEM",
                                                 FormData.event_oid == "SE.SCREEN"))
        s.execute(update(ItemValue).where(ItemValue.form_data_id == fid,
                                          ItemValue.item_oid == "I.HEM.PLT").values(value="20"))
    window = _window(qtbot, demo, study, "inv01")
    todo = window.todo
    assert todo is not None
    lab = next(todo.tree.topLevelItem(i) for i in range(todo.tree.topLevelItemCount())
               if todo.tree.topLevelItem(i).text(0).startswith("Lab values of grade 3"))
    line = next(lab.child(j) for j in range(lab.childCount())
                if lab.child(j).data(0, ITEM_ROLE).form_data_id == fid)
    assert "Platelet count decreased: grade 4" in line.text(1)
    todo.tree.setCurrentItem(line)
    assert todo.not_significant_button.isEnabled()
    qtbot.mouseClick(todo.not_significant_button, Qt.MouseButton.LeftButton)
    dialog = todo.review_dialog
    assert isinstance(dialog, ReasonDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.reason_edit, "clumped sample, repeat count 180")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not todo.is_loading, timeout=30_000)
    assert all(item.form_data_id != fid for item in todo.items if item.category == "lab")
    with demo.read() as s:
        review = s.scalar(select(LabReview).where(LabReview.form_data_id == fid))
    assert review is not None and review.reason == "clumped sample, repeat count 180"
    QApplication.processEvents()


def test_nothing_to_do_says_so(qtbot: QtBot, demo: Database, study: StudyDefinition) -> None:
    window = _window(qtbot, demo, study, "monitor")
    todo = window.todo
    assert todo is not None
    if not todo.items:
        assert todo.empty_label.isVisible() and not todo.tree.isVisible()
        assert "Nothing to do" in todo.empty_label.text()
    else:
        assert {i.category for i in todo.items} <= {"query"}
