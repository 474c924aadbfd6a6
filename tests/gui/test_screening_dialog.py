"""Screening dialog: the screening log by keyboard, a future consent refused, screen failures."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.screening_dialog import ScreeningDialog, screen_failure_dialog
from ctrial_desktop.ui.session import UiSession, make_ui_session
from tests.unit.conftest import make_user

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def session(db: Database, admin: Actor, study: StudyDefinition) -> UiSession:
    sites = SiteService(db, admin)
    for code, name in (("03", "CHU de Toulouse - IUCT Purpan"), ("04", "Hopital Saint-Antoine")):
        sites.create_site(code, name, "")
    sites.set_active("03", True, "site initiation visit done")
    coordinator = make_user(db, admin, "marie", RoleGrant(Role.COORDINATOR, "03"),
                            RoleGrant(Role.COORDINATOR, "04"))
    return make_ui_session(db, coordinator, study)


def test_only_active_sites_of_the_user_are_offered(qtbot: QtBot, session: UiSession) -> None:
    dialog = ScreeningDialog(session)
    qtbot.addWidget(dialog)
    assert [dialog.site_combo.itemData(i) for i in range(dialog.site_combo.count())] == ["03"]
    assert dialog.add_button.isDefault()


def test_missing_fields_are_named_next_to_them(qtbot: QtBot, session: UiSession) -> None:
    dialog = ScreeningDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.initials_edit, "m1")
    qtbot.keyClick(dialog.initials_edit, Qt.Key.Key_Return)
    assert error_text(dialog.errors["sex"]) == "Choose the sex."
    assert "no study procedure may come before it" in error_text(dialog.errors["consent_date"])
    dialog.sex_combo.setCurrentIndex(dialog.sex_combo.findData("F"))
    qtbot.keyClicks(dialog.consent_edit, "010210")
    qtbot.keyClick(dialog.initials_edit, Qt.Key.Key_Return)
    # the service's refusals show next to their fields too
    assert "Initials are 1-3 letters" in error_text(dialog.errors["initials"])
    assert "birth date or at least the birth year" in error_text(dialog.errors["birth_date"])
    assert dialog.patient is None and dialog.isVisible()
    assert dialog.consent_edit.text() == "01/02/2010"   # shown as understood
    if os.environ.get("CTRIAL_SHOTS"):
        dialog.grab().save(os.path.join(os.environ["CTRIAL_SHOTS"], "screening_errors.png"))


def test_screening_refuses_a_future_consent_and_keeps_the_input(
        qtbot: QtBot, session: UiSession) -> None:
    dialog = ScreeningDialog(session, today=dt.date(2010, 3, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.initials_edit, "JP")
    qtbot.keyClicks(dialog.birth_edit, "1948")
    dialog.sex_combo.setCurrentIndex(dialog.sex_combo.findData("M"))
    qtbot.keyClicks(dialog.consent_edit, "02/03/2010")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "in the future" in error_text(dialog.errors["consent_date"])
    assert dialog.isVisible() and dialog.patient is None
    assert dialog.consent_edit.text() == "02/03/2010"
    assert session.patients.list_patients() == []
    dialog.consent_edit.clear()
    qtbot.keyClicks(dialog.consent_edit, "01/03/2010")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.patient is not None and dialog.patient.birth_year == 1948
    assert dialog.errors["consent_date"].isHidden()


def test_a_screen_failure_stays_in_the_log_with_its_reason(
        qtbot: QtBot, session: UiSession) -> None:
    patient = session.patients.screen_patient("03", "AB", "M", birth_year=1945,
                                              consent_date=dt.date(2010, 2, 1))
    dialog = screen_failure_dialog(session, patient)
    qtbot.addWidget(dialog)
    dialog.open()
    assert "03-001 (AB) will be marked as a screen failure" in dialog.message_label.text()
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "reason" in error_text(dialog.reason_error)
    qtbot.keyClicks(dialog.reason_edit, "creatinine clearance 38 mL/min")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    (row,) = session.patients.list_patients()
    assert (row.status, row.screen_fail_reason) == ("screen_failed",
                                                    "creatinine clearance 38 mL/min")
