"""Randomization log screen: assignments, commitments, low stock, appending lists by role."""

from __future__ import annotations

import os
import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.randomization import RandomizationService, RandomizationSettings
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.randomization_log import RandomizationLogView
from ctrial_desktop.ui.reason_dialog import ReasonDialog
from ctrial_desktop.ui.session import make_ui_session
from tests.unit.conftest import make_user
from tests.unit.services.randomization_helpers import set_iss

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SHOTS = os.environ.get("CTRIAL_SHOTS", "")

#: Four positions per stratum list, flagged low from four left: the warning shows at once.
SETTINGS = RandomizationSettings(target_enrolment_per_site=2, reserve_fraction=0.0,
                                 min_reserve=2, low_list_threshold=4, block_sizes=(2,))


@pytest.fixture
def randomized(db: Database, admin: Actor) -> str:
    """Site 03 with one randomized patient; returns their randomization number."""
    sites = SiteService(db, admin)
    sites.create_site("03", "CHU de Toulouse - IUCT Purpan", "Toulouse")
    sites.set_active("03", True, "site initiation visit done")
    coordinator = make_user(db, admin, "marie", RoleGrant(Role.COORDINATOR, "03"))
    patient = PatientService(db, coordinator).screen_patient("03", "MD", "F",
                                                             birth_year=1950)
    set_iss(db, patient.id, 3)
    service = RandomizationService(db, coordinator, SETTINGS, draw=random.Random(3).random)
    return service.randomize(patient.id, service.stratification(patient.id)).number


def _view(qtbot: QtBot, db: Database, actor: Actor, study: StudyDefinition
          ) -> RandomizationLogView:
    view = RandomizationLogView(make_ui_session(db, actor, study),
                                RandomizationService(db, actor, SETTINGS))
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    return view


def _column(table, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_monitor_sees_log_and_commitments_but_cannot_append(
        qtbot: QtBot, db: Database, admin: Actor, study: StudyDefinition,
        randomized: str) -> None:
    monitor = make_user(db, admin, "mona", RoleGrant(Role.MONITOR, None))
    view = _view(qtbot, db, monitor, study)
    assert _column(view.assignments, 0) == ["03-001 (MD)"]
    assert _column(view.assignments, 1) == [randomized]
    assert _column(view.assignments, 3) == ["marie"]
    assert _column(view.assignments, 6) == ["site 03 \u00b7 iss III"]
    assert _column(view.assignments, 7) == ["list 1 \u00b7 position 1"]
    assert view.assignments.item(0, 4).text() in ("A \u00b7 POM21", "B \u00b7 POM28")
    commitments = _column(view.lists, 4)
    assert len(commitments) == 2
    assert all(len(c) == 64 and int(c, 16) >= 0 for c in commitments)
    assert _column(view.lists, 5) == ["marie", "marie"]
    view.tabs.setCurrentIndex(2)
    left = [int(x) for x in _column(view.stock_table, 4)]
    used = [int(x) for x in _column(view.stock_table, 3)]
    assert used == [0, 1]
    assert _column(view.stock_table, 5) == [
        "Low: append a list" if n <= SETTINGS.low_list_threshold else "OK" for n in left]
    assert (f"site 03 \u00b7 iss III has only {left[1]} position(s) left"
            in error_text(view.low_stock_label))
    view.stock_table.selectRow(1)
    assert view.selected_stratum() == "site=03|iss=III"
    assert not view.append_button.isEnabled()
    assert view.append_hint.text() == "Only a data manager can append allocation lists."
    if SHOTS:
        view.tabs.setCurrentIndex(0)
        view.grab().save(os.path.join(SHOTS, "randomization_log_assignments.png"))
        view.tabs.setCurrentIndex(1)
        view.grab().save(os.path.join(SHOTS, "randomization_log_lists.png"))
        view.tabs.setCurrentIndex(2)
        view.grab().save(os.path.join(SHOTS, "randomization_log_stock.png"))


def test_data_manager_appends_a_list_with_a_reason(
        qtbot: QtBot, db: Database, admin: Actor, study: StudyDefinition,
        randomized: str) -> None:
    manager = make_user(db, admin, "dora", RoleGrant(Role.DATA_MANAGER, None))
    view = _view(qtbot, db, manager, study)
    view.tabs.setCurrentIndex(2)
    assert not view.append_button.isEnabled()   # nothing selected yet
    view.stock_table.selectRow(1)
    assert view.append_button.isEnabled()
    qtbot.mouseClick(view.append_button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ReasonDialog) and w.isVisible())
    assert "site 03 \u00b7 iss III" in dialog.message_label.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)   # no reason: refused
    assert dialog.isVisible() and not dialog.reason_error.isHidden()
    qtbot.keyClicks(dialog.reason_edit, "stratum running low")
    with qtbot.waitSignal(view.listAppended, timeout=2000) as signal:
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert signal.args == ["site=03|iss=III"]
    assert _column(view.lists, 2) == ["1", "1", "2"]
    assert _column(view.lists, 7)[-1] == "stratum running low"
    first_list_end = int(_column(view.lists, 3)[1].split("\u2013")[1])
    assert _column(view.lists, 3)[-1].startswith(f"{first_list_end + 1}\u2013")
    assert int(_column(view.stock_table, 4)[1]) > SETTINGS.low_list_threshold
    assert _column(view.stock_table, 5)[1] == "OK"
    assert "iss III" not in error_text(view.low_stock_label)


def test_a_coordinator_sees_why_there_is_no_log(qtbot: QtBot, db: Database, admin: Actor,
                                                study: StudyDefinition, randomized: str) -> None:
    coordinator = make_user(db, admin, "paul", RoleGrant(Role.COORDINATOR, "03"))
    view = _view(qtbot, db, coordinator, study)
    assert "not allowed to view randomization log" in error_text(view.error_label)
    assert view.assignments.rowCount() == 0


def test_minimization_assignments_show_their_explanation(
        qtbot: QtBot, db: Database, admin: Actor, study: StudyDefinition) -> None:
    sites = SiteService(db, admin)
    sites.create_site("03", "CHU de Toulouse - IUCT Purpan", "Toulouse")
    sites.set_active("03", True, "site initiation visit done")
    coordinator = make_user(db, admin, "marie", RoleGrant(Role.COORDINATOR, "03"))
    settings = RandomizationSettings(method="minimization")
    service = RandomizationService(db, coordinator, settings, draw=lambda: 0.5)
    for _ in range(2):
        patient = PatientService(db, coordinator).screen_patient("03", "MD", "M",
                                                                 birth_year=1950)
        set_iss(db, patient.id, 1)
        service.randomize(patient.id, service.stratification(patient.id))
    monitor = make_user(db, admin, "mona", RoleGrant(Role.MONITOR, None))
    view = RandomizationLogView(make_ui_session(db, monitor, study),
                                RandomizationService(db, monitor, settings))
    qtbot.addWidget(view)
    view.show()
    assert view.assignments.isColumnHidden(7) and not view.assignments.isColumnHidden(8)
    second = view.assignments.item(1, 8).text()
    # after one patient, the other arm minimizes imbalance and gets p = 0.8
    assert "imbalance" in second and "probability 4/5" in second
    assert second.endswith("draw 0.5000 \u2192 " + view.assignments.item(1, 4).text()[0])
    assert view.assignments.item(0, 5).text() == "minimization"
    assert view.low_stock_label.isHidden()
