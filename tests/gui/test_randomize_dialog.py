"""Randomize dialog: eligibility blocks, the lab is fixed, keyboard confirmation, the arm, once."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.eligibility import EligibilityService
from ctrial_desktop.services.patients import age_on
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.randomization import RandomizationService
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.randomize_dialog import RandomizeDialog, randomization_blockers
from ctrial_desktop.ui.screening_dialog import ScreeningDialog
from ctrial_desktop.ui.session import UiSession, make_ui_session
from tests.unit.conftest import make_user
from tests.unit.services.test_eligibility import store_eligible, store_form

#: The offscreen platform cannot resize native windows; nothing to see in a test.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

#: Where the screenshots of the dialog go when CTRIAL_SHOTS names a folder.
SHOTS = os.environ.get("CTRIAL_SHOTS", "")


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture
def coordinator(db: Database, admin: Actor) -> Actor:
    sites = SiteService(db, admin)
    sites.create_site("03", "CHU de Toulouse - IUCT Purpan", "Toulouse")
    sites.set_active("03", True, "site initiation visit done")
    return make_user(db, admin, "marie", RoleGrant(Role.COORDINATOR, "03"))


@pytest.fixture
def session(db: Database, coordinator: Actor, study: StudyDefinition) -> UiSession:
    return make_ui_session(db, coordinator, study)


def _services(db: Database, actor: Actor, study: StudyDefinition
              ) -> tuple[RandomizationService, EligibilityService]:
    eligibility = EligibilityService(db, actor, study)
    return RandomizationService(db, actor, eligibility=eligibility.blocking_reasons), eligibility


def _enroll(qtbot: QtBot, session: UiSession) -> int:
    dialog = ScreeningDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    screened: list[int] = []
    dialog.patientScreened.connect(screened.append)
    qtbot.keyClicks(dialog.initials_edit, "md")
    qtbot.keyClick(dialog.initials_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.birth_edit, "12/03/1950")
    qtbot.keyClick(dialog.birth_edit, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.sex_combo
    qtbot.keyClicks(dialog.sex_combo, "F")
    assert dialog.sex_combo.currentData() == "F"
    qtbot.keyClick(dialog.sex_combo, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.consent_edit, "01/02/2010")
    qtbot.keyClick(dialog.consent_edit, Qt.Key.Key_Return)
    assert screened and dialog.result() == dialog.DialogCode.Accepted
    assert dialog.patient is not None and dialog.patient.patient_number == "03-001"
    return screened[0]


def test_enroll_fix_a_lab_randomize_by_keyboard_once(
        qtbot: QtBot, db: Database, coordinator: Actor, study: StudyDefinition,
        session: UiSession) -> None:
    pid = _enroll(qtbot, session)
    # CRF entered, but the ANC is below the limit although the checklist says Yes
    store_eligible(db, pid, {"F.DM": {"I.DM.SEX": "F", "I.DM.CHILDPOT": "N",
                                      "I.DM.BRTHDAT": "1950-03-12"},
                             "F.ELIG": {"I.ELIG.EX05": "N"},
                             "F.HEM": {"I.HEM.ANC": "0.80"}})
    randomization, eligibility = _services(db, coordinator, study)
    dialog = RandomizeDialog(session, randomization, eligibility, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _shot(dialog, "randomize_step1_blocked")
    assert dialog.stack.currentWidget() is dialog.check_page
    assert not dialog.next_button.isEnabled()
    blocked = error_text(dialog.blocking_label)
    assert "Not met - Absolute neutrophil count: ANC 0.8 x10^9/L < 1.0 required" in blocked
    assert dialog.panel.status_text("I.ELIG.IN07") == "Not met"
    assert dialog.panel.status_text("I.ELIG.IN13") == "Not applicable"
    blockers = randomization_blockers(randomization, eligibility, pid)
    assert [f"\u2022 {r}" for r in blockers] == blocked.splitlines()[1:]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == dialog.DialogCode.Rejected

    # the lab is corrected on the CRF: the patient becomes randomizable
    store_form(db, pid, "F.HEM", {"I.HEM.ANC": "1.20"})
    dialog = RandomizeDialog(session, randomization, eligibility, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _shot(dialog, "randomize_step1_ready")
    assert dialog.next_button.isEnabled() and dialog.next_button.isDefault()
    assert dialog.blocking_label.isHidden()
    assert "\u2714 Eligible" in dialog.panel.summary_label.text()
    strata = [dialog.strata_form.itemAt(r, dialog.strata_form.ItemRole.FieldRole).widget().text()
              for r in range(dialog.strata_form.rowCount())]
    assert strata[0] == "03 \u00b7 CHU de Toulouse - IUCT Purpan"
    assert strata[1] == "stage II, group I-II"
    age = age_on(dt.date(1950, 3, 12), None, dt.date.today())
    assert strata[2] == f"{age} years, group {'>=65' if age >= 65 else '<65'}"
    assert strata[3] == "Female"
    qtbot.keyClick(dialog.next_button, Qt.Key.Key_Return)
    assert dialog.stack.currentWidget() is dialog.confirm_page
    assert dialog.question_label.text() == "Randomize 03-001 now? This cannot be undone."
    assert dialog.cancel_button2.isDefault()
    # Enter with a wrong number neither randomizes nor closes
    qtbot.keyClicks(dialog.confirm_edit, "03-00")
    qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.randomize_button.isEnabled()
    assert "Type 03-001 exactly" in error_text(dialog.confirm_error)
    qtbot.keyClicks(dialog.confirm_edit, "1")
    _shot(dialog, "randomize_step2_confirm")
    qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.randomize_button
    with qtbot.waitSignal(dialog.randomized, timeout=2000) as signal:
        qtbot.keyClick(dialog.randomize_button, Qt.Key.Key_Return)
    assert signal.args == [pid]
    assert dialog.stack.currentWidget() is dialog.result_page
    _shot(dialog, "randomize_result")
    result = randomization.result_for(pid)
    assert result is not None
    arm = next(a for a in study.arms if a.letter == result.arm)
    assert dialog.arm_label.text() == f"{arm.letter} \u00b7 {arm.code}"
    assert dialog.regimen_label.text() == arm.regimen.en
    assert dialog.arm_label.font().pointSizeF() > 2 * dialog.regimen_label.font().pointSizeF()
    assert dialog.close_button.isDefault()
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert "R03-001" in copied and arm.code in copied and "marie" in copied
    assert session.patients.get_patient(pid).status == "randomized"

    # a second randomization is impossible: the dialog shows the reason, no steps
    assert randomization_blockers(randomization, eligibility, pid) == [
        "03-001 is already randomized."]
    again = RandomizeDialog(session, randomization, eligibility, pid)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.stack.currentWidget() is again.result_page
    assert "already randomized" in again.result_title.text()
    assert again.arm_label.text() == f"{arm.letter} \u00b7 {arm.code}"
    # a wrong stratum is recorded as a deviation with a note
    qtbot.mouseClick(again.deviation_button, Qt.MouseButton.LeftButton)
    assert "Describe the deviation" in error_text(again.deviation_error)
    qtbot.keyClicks(again.deviation_edit, "ISS stage at entry was III, randomized as I-II")
    with qtbot.waitSignal(again.deviationRecorded, timeout=2000):
        qtbot.mouseClick(again.deviation_button, Qt.MouseButton.LeftButton)
    assert "recorded" in again.deviation_done.text()
    _shot(again, "randomize_refused")



def test_a_monitor_and_a_missing_iss_stage_are_named(
        qtbot: QtBot, db: Database, admin: Actor, coordinator: Actor,
        study: StudyDefinition, session: UiSession) -> None:
    pid = session.patients.screen_patient("03", "JP", "M", birth_year=1948,
                                          consent_date=dt.date(2010, 2, 1)).id
    store_eligible(db, pid, {"F.MH": {"I.MH.ISS_ENTRY": None}})
    monitor = make_user(db, admin, "mona", RoleGrant(Role.MONITOR, None))
    randomization, eligibility = _services(db, monitor, study)
    dialog = RandomizeDialog(make_ui_session(db, monitor, study), randomization, eligibility,
                             pid)
    qtbot.addWidget(dialog)
    dialog.show()
    blocked = error_text(dialog.blocking_label)
    assert "Your role does not allow randomizing at this site." in blocked
    assert "Missing for stratification: ISS stage at study entry." in blocked
    assert not dialog.next_button.isEnabled() and dialog.cancel_button.isDefault()
    field = dialog.strata_form.itemAt(1, dialog.strata_form.ItemRole.FieldRole).widget()
    assert field.text() == "missing"


def test_a_patient_of_another_site_is_refused_without_a_crash(
        qtbot: QtBot, db: Database, admin: Actor, study: StudyDefinition,
        session: UiSession) -> None:
    pid = session.patients.screen_patient("03", "JP", "M", birth_year=1948,
                                          consent_date=dt.date(2010, 2, 1)).id
    SiteService(db, admin).create_site("04", "Hopital Saint-Antoine", "Paris")
    other = make_user(db, admin, "paul", RoleGrant(Role.COORDINATOR, "04"))
    randomization, eligibility = _services(db, other, study)
    dialog = RandomizeDialog(make_ui_session(db, other, study), randomization, eligibility, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "not allowed to view patients at site 03" in error_text(dialog.blocking_label)
    assert not dialog.next_button.isEnabled()
