"""Review screens driven like a user: queries, source-data verification, signing, locks."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.lock_dialog_dm import DataManagerLockDialog
from ctrial_desktop.ui.queries_view import QueriesView
from ctrial_desktop.ui.query_dialog import QueryDialog, QueryTarget
from ctrial_desktop.ui.session import UiSession, make_ui_session
from ctrial_desktop.ui.sign_dialog import SignDialog

SHOTS = os.environ.get("CTRIAL_SHOTS", "")
ECOG = "IG.ECOG.MAIN"


def _shot(widget: QWidget, qtbot: QtBot, name: str) -> None:
    if SHOTS:
        widget.resize(1366, 768)
        widget.show()
        qtbot.waitExposed(widget)
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


class Trial:
    """A screening-only demo trial with a complete ECOG form for each of two patients."""

    def __init__(self, db: Database, study: StudyDefinition) -> None:
        self.db, self.study = db, study
        build_demo(db, patients=2, sites=1, clinical=False)
        self.auth = AuthService(db)
        coordinator = self.auth.login("coord01", DEMO_PASSWORD)
        forms = FormService(db, coordinator, study)
        self.patients = [p.id for p in PatientService(db, coordinator).list_patients()]
        self.forms = []
        for patient_id in self.patients:
            result = forms.save(patient_id, "SE.SCREEN", 1, "F.ECOG", {
                ValueKey(ECOG, 1, "I.ECOG.DAT"): "2010-03-02",
                ValueKey(ECOG, 1, "I.ECOG.SCORE"): "1"}, expected_version=0)
            assert result.snapshot.status == "complete"
            assert result.snapshot.form_data_id is not None
            self.forms.append(result.snapshot.form_data_id)

    def session(self, username: str) -> UiSession:
        return make_ui_session(self.db, self.auth.login(username, DEMO_PASSWORD), self.study,
                               self.auth)


@pytest.fixture
def trial(db: Database, study: StudyDefinition) -> Trial:
    return Trial(db, study)


def _states(session: UiSession, patient_id: int) -> dict[int, tuple[bool, bool, bool]]:
    return {s.form_data_id: (s.signed, s.locked, s.verified)
            for s in session.patients.form_states(patient_id)}


def test_query_raised_answered_closed_and_source_verified(qtbot: QtBot, trial: Trial) -> None:
    monitor = trial.session("monitor")
    raise_dialog = QueryDialog(monitor, target=QueryTarget(
        trial.patients[0], trial.forms[0], ECOG, 1, "I.ECOG.SCORE"))
    qtbot.addWidget(raise_dialog)
    raise_dialog.show()
    assert "ECOG performance status" in raise_dialog.place_label.text()
    assert "01-001" in raise_dialog.place_label.text()
    qtbot.mouseClick(raise_dialog.raise_button, Qt.MouseButton.LeftButton)
    assert error_text(raise_dialog.error) == "Write the question of the query."
    qtbot.keyClicks(raise_dialog.reply_edit, "ECOG 1 but the letter says 2: please check.")
    with qtbot.waitSignal(raise_dialog.queryChanged):
        qtbot.mouseClick(raise_dialog.raise_button, Qt.MouseButton.LeftButton)
    assert raise_dialog.query is not None and raise_dialog.query.status == "open"
    assert "please check" in raise_dialog.thread_view.toPlainText()
    # SDV: the monitor ticks the form as verified.
    assert raise_dialog.verified_check.isVisible()
    raise_dialog.verified_check.setFocus()
    qtbot.keyClick(raise_dialog.verified_check, Qt.Key.Key_Space)
    assert raise_dialog.verified_check.isChecked() and not error_text(raise_dialog.error)
    assert _states(monitor, trial.patients[0])[trial.forms[0]][2] is True
    qtbot.keyClick(raise_dialog.verified_check, Qt.Key.Key_Space)  # untick: asks why
    reason = raise_dialog.reason_dialog
    assert reason is not None and reason.isVisible()
    qtbot.keyClick(reason.reason_edit, Qt.Key.Key_Return)
    assert "reason is required" in error_text(reason.reason_error)
    qtbot.keyClick(reason, Qt.Key.Key_Escape)
    assert raise_dialog.verified_check.isChecked()
    assert _states(monitor, trial.patients[0])[trial.forms[0]][2] is True
    qtbot.keyClick(raise_dialog.verified_check, Qt.Key.Key_Space)
    reason = raise_dialog.reason_dialog
    assert reason is not None
    qtbot.keyClicks(reason.reason_edit, "ticked on the wrong patient")
    with qtbot.waitSignal(raise_dialog.verifiedChanged) as unverified:
        qtbot.keyClick(reason.reason_edit, Qt.Key.Key_Return)
    assert unverified.args == [trial.forms[0], False]
    assert not raise_dialog.verified_check.isChecked()
    assert _states(monitor, trial.patients[0])[trial.forms[0]][2] is False
    raise_dialog.close()

    coordinator = trial.session("coord01")
    view = QueriesView(coordinator)
    qtbot.addWidget(view)
    view.show()
    assert view.table.rowCount() == 1 and view.table.item(0, 3).text() == "Open"
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    thread = view.thread_dialog
    assert thread is not None and thread.isVisible()
    assert not thread.close_query_button.isEnabled()
    assert "Only monitors" in thread.close_query_button.toolTip()
    assert not thread.verified_check.isVisible()
    qtbot.keyClicks(thread.reply_edit, "Letter misread; the score is 1.")
    qtbot.mouseClick(thread.answer_button, Qt.MouseButton.LeftButton)
    assert view.table.rowCount() == 0  # the filter shows open queries
    view.status_combo.setCurrentIndex(view.status_combo.findData("answered"))
    assert view.table.rowCount() == 1 and view.table.item(0, 3).text() == "Answered"
    assert view.table.item(0, 6).text() == "Letter misread; the score is 1."
    thread.close()

    monitor_view = QueriesView(monitor)
    qtbot.addWidget(monitor_view)
    monitor_view.status_combo.setCurrentIndex(0)
    assert monitor_view.table.rowCount() == 1
    monitor_view.age_spin.setValue(3)
    assert monitor_view.table.rowCount() == 0  # raised today
    monitor_view.age_spin.setValue(0)
    monitor_view.table.selectRow(0)
    qtbot.mouseClick(monitor_view.open_button, Qt.MouseButton.LeftButton)
    closing = monitor_view.thread_dialog
    assert closing is not None and not closing.answer_button.isEnabled()
    qtbot.mouseClick(closing.close_query_button, Qt.MouseButton.LeftButton)
    assert monitor_view.table.item(0, 3).text() == "Closed"
    assert monitor.review.list_queries()[0].status == "closed"
    assert closing.reopen_button.isEnabled()
    _shot(monitor_view, qtbot, "queries_view")
    _shot(closing, qtbot, "query_thread")
    closing.close()


def test_investigator_signs_user_id_once_then_password_only(qtbot: QtBot,
                                                            trial: Trial) -> None:
    investigator = trial.session("inv01")
    first = SignDialog(investigator, trial.patients[0])
    qtbot.addWidget(first)
    first.show()
    assert first.user_edit.isVisible() and first.table.rowCount() == 1
    assert "accurate and complete" in first.meaning_label.text()
    assert "Thierry" in first.signer_label.text()
    assert first.table.item(0, 0).text() == "01-001"
    _shot(first, qtbot, "sign_dialog")
    qtbot.keyClicks(first.user_edit, "inv01")
    qtbot.keyClick(first.user_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(first.password_edit, "not-my-password")
    qtbot.keyClick(first.password_edit, Qt.Key.Key_Return)
    message = error_text(first.password_error)
    assert "wrong password" in message and "attempts left" in message
    assert first.isVisible() and not _states(investigator, trial.patients[0])[trial.forms[0]][0]
    qtbot.keyClicks(first.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(first.formsSigned) as signed:
        qtbot.keyClick(first.password_edit, Qt.Key.Key_Return)
    assert signed.args == [[trial.forms[0]]]
    assert _states(investigator, trial.patients[0])[trial.forms[0]][0] is True

    second = SignDialog(investigator, trial.patients[1])
    qtbot.addWidget(second)
    second.show()
    assert not second.user_edit.isVisible() and second.focusWidget() is second.password_edit
    qtbot.keyClicks(second.password_edit, DEMO_PASSWORD)
    qtbot.keyClick(second.password_edit, Qt.Key.Key_Return)
    assert second.result() == second.DialogCode.Accepted
    assert [s.valid for s in investigator.review.signatures(trial.forms[1])] == [True]


def test_coordinator_cannot_sign(qtbot: QtBot, trial: Trial) -> None:
    dialog = SignDialog(trial.session("coord01"), trial.patients[0])
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.sign_button.isEnabled()
    assert "investigator" in dialog.sign_button.toolTip()
    assert "cannot sign" in error_text(dialog.general_error)


def test_data_manager_locks_and_unlocks_a_patient(qtbot: QtBot, trial: Trial) -> None:
    dm = trial.session("dm")
    patient = trial.patients[0]
    lock = DataManagerLockDialog(dm, patient_id=patient)
    qtbot.addWidget(lock)
    lock.show()
    assert lock.patient_radio.isChecked() and lock.lock_radio.isChecked()
    qtbot.keyClick(lock.reason_edit, Qt.Key.Key_Return)
    assert error_text(lock.reason_error) == "A reason is required."
    qtbot.keyClicks(lock.reason_edit, "database lock for interim analysis")
    with qtbot.waitSignal(lock.locksChanged) as changed:
        qtbot.keyClick(lock.reason_edit, Qt.Key.Key_Return)
    assert changed.args == [1]
    assert _states(dm, patient)[trial.forms[0]][1] is True

    unlock = DataManagerLockDialog(dm, patient_id=patient)
    qtbot.addWidget(unlock)
    unlock.show()
    assert unlock.unlock_radio.isChecked() and "1 of 1 form(s) locked" in unlock.intro.text()
    qtbot.keyClicks(unlock.reason_edit, "correction requested by the site")
    qtbot.keyClick(unlock.reason_edit, Qt.Key.Key_Return)
    assert unlock.result() == unlock.DialogCode.Accepted
    assert _states(dm, patient)[trial.forms[0]][1] is False

    refused = DataManagerLockDialog(trial.session("monitor"), patient_id=patient)
    qtbot.addWidget(refused)
    assert not refused.apply_button.isEnabled()
    assert "data manager" in refused.apply_button.toolTip()


def test_data_manager_locks_a_site_and_selected_forms(qtbot: QtBot, trial: Trial) -> None:
    dm = trial.session("dm")
    site = DataManagerLockDialog(dm, site_code="01")
    qtbot.addWidget(site)
    site.show()
    assert site.site_radio.isChecked() and site.patient_radio.isHidden()
    qtbot.keyClicks(site.reason_edit, "site close-out")
    with qtbot.waitSignal(site.locksChanged) as changed:
        qtbot.mouseClick(site.apply_button, Qt.MouseButton.LeftButton)
    assert changed.args == [2]
    forms = DataManagerLockDialog(dm, patient_id=trial.patients[1],
                                  form_data_ids=[trial.forms[1]])
    qtbot.addWidget(forms)
    forms.show()
    assert forms.forms_radio.isChecked() and forms.unlock_radio.isChecked()
    qtbot.keyClicks(forms.reason_edit, "query answer needs a correction")
    qtbot.keyClick(forms.reason_edit, Qt.Key.Key_Return)
    assert _states(dm, trial.patients[1])[trial.forms[1]][1] is False
    assert _states(dm, trial.patients[0])[trial.forms[0]][1] is True


def test_site_staff_cannot_raise_queries_and_see_why(qtbot: QtBot, trial: Trial) -> None:
    dialog = QueryDialog(trial.session("coord01"),
                         target=QueryTarget(trial.patients[0], trial.forms[0]))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.raise_button.isEnabled()
    assert "monitors and data managers" in dialog.raise_button.toolTip()
    assert "Screening" in dialog.place_label.text()
