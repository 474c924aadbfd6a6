"""Disease assessment form: the derived IMWG response with its reasons, then an override."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import AuditRecord
from ctrial_desktop.study.definition import StudyDefinition
from tests.gui import test_form_engine as base
from tests.gui.test_form_engine import field, focused, type_and_tab

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                       "does not support raise",
                                       "does not support grabbing the keyboard")

coordinator = base.coordinator
patient_id = base.patient_id
open_editor = base.open_editor
SERUM = "IG.DA.SERUM"
RESPONSE = "IG.DA.RESPONSE"


@pytest.fixture
def investigator(db: Database, admin: Actor, coordinator: Actor) -> Actor:
    return base.another_user(db, admin, "julie", Role.INVESTIGATOR, "03")


@pytest.fixture
def baseline(db: Database, study: StudyDefinition, investigator: Actor,
             patient_id: int) -> None:
    FormService(db, investigator, study, today=base.TODAY).save(
        patient_id, "SE.SCREEN", 1, "F.DA",
        {ValueKey(SERUM, 1, "I.DA.DAT"): "2011-01-12", ValueKey(SERUM, 1, "I.DA.SPEP_DONE"): "Y",
         ValueKey(SERUM, 1, "I.DA.SMP"): "32.5"}, expected_version=0)


def _save(qtbot, editor) -> None:
    with qtbot.waitSignal(editor.saved):
        qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_derived_pr_with_reasons_then_investigator_override(
        qtbot, db: Database, investigator: Actor, baseline: None, open_editor) -> None:
    editor = open_editor("F.DA", actor=investigator)
    panel = editor.response_panel
    assert panel is not None and "not evaluated yet" in panel.assessment_label.text()
    field(editor, SERUM, "I.DA.DAT").setFocus()
    type_and_tab(qtbot, "090211")
    type_and_tab(qtbot, "Yes")
    type_and_tab(qtbot, "12")
    _save(qtbot, editor)
    assert "PR" in panel.assessment_label.text()
    assert "not confirmed yet" in panel.assessment_label.text()
    assert "serum M-protein 12.0 g/L" in panel.reasons_label.text()
    assert "-63% from baseline 32.5 g/L" in panel.reasons_label.text()
    assert "Best overall response" in panel.patient_label.text()
    derived = editor.view.rows[(RESPONSE, "I.DA.RESP_DERIVED")].field
    assert derived.raw_text() == "Partial response"

    field(editor, RESPONSE, "I.DA.RESP_INV").setFocus()
    type_and_tab(qtbot, "Stable disease")
    reason = editor.view.rows[(RESPONSE, "I.DA.RESP_OVERRIDE_REASON")].field
    assert reason.isVisibleTo(editor)
    qtbot.keyClicks(reason.focus_widget(), "fall not confirmed by the central laboratory")
    qtbot.keyClick(reason.focus_widget(), Qt.Key.Key_Tab)
    _save(qtbot, editor)
    values = editor.service.open(*editor.instance).values
    assert values[ValueKey(RESPONSE, 1, "I.DA.RESP_DERIVED")] == "PR"
    assert values[ValueKey(RESPONSE, 1, "I.DA.RESP_INV")] == "SD"
    assert values[ValueKey(RESPONSE, 1, "I.DA.RESP_OVERRIDE_REASON")].startswith("fall not")
    with db.read() as session:
        reasons = set(session.scalars(select(AuditRecord.reason).where(
            AuditRecord.username == "julie", AuditRecord.item == "value")))
    assert "derived by IMWG engine" in reasons


def test_screening_assessment_is_the_baseline(qtbot, investigator: Actor, baseline: None,
                                              open_editor) -> None:
    editor = open_editor("F.DA", actor=investigator, event="SE.SCREEN")
    assert editor.response_panel is not None
    assert "baseline" in editor.response_panel.assessment_label.text()
    assert open_editor("F.HEM").response_panel is None


