"""Dosing form: the dose advice with the rule that fired, accepted then overridden."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt, QTimer
from sqlalchemy import select

from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import AuditRecord
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.forms.dose_advice_panel import OverrideAdviceDialog
from tests.gui import test_form_engine as base

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                       "does not support raise",
                                       "does not support grabbing the keyboard")

coordinator = base.coordinator
patient_id = base.patient_id
open_editor = base.open_editor
DAY = "IG.POM.DAY"


@pytest.fixture
def low_platelets(db: Database, study: StudyDefinition, coordinator: Actor,
                  patient_id: int) -> None:
    forms = FormService(db, coordinator, study, today=base.TODAY)
    forms.save(patient_id, "SE.SCREEN", 1, "F.DM", {
        ValueKey("IG.DM.MAIN", 1, "I.DM.VISDAT"): "2011-01-10",
        ValueKey("IG.DM.MAIN", 1, "I.DM.BRTHDAT"): "1947-05-02"}, expected_version=0)
    forms.save(patient_id, "SE.CYCLE", 1, "F.HEM", {
        ValueKey("IG.HEM.MAIN", 1, "I.HEM.DAT"): "2011-02-14",
        ValueKey("IG.HEM.MAIN", 1, "I.HEM.ANC"): "1.2",
        ValueKey("IG.HEM.MAIN", 1, "I.HEM.PLT"): "20"}, expected_version=0)


def _doses(editor) -> set[str]:
    return {v for k, v in editor.buffer.values.items()
            if k.group_oid == DAY and k.item_oid == "I.POM.DOSE"}


def _audit_reasons(db: Database) -> set[str]:
    with db.read() as session:
        return set(session.scalars(select(AuditRecord.reason).where(
            AuditRecord.item == "value", AuditRecord.reason.like("dose advice%"))))


def test_accept_then_override_the_dose_advice(qtbot, db: Database, low_platelets: None,
                                              open_editor) -> None:
    editor = open_editor("F.POM", repeat=2)
    panel = editor.advice_panel
    assert panel is not None
    assert "interrupt" in panel.proposal_label.text() and "3 mg" in panel.proposal_label.text()
    assert "platelets 20" in panel.rules_label.text()
    assert panel.decision_label.text() == "No decision yet."
    assert _doses(editor) == {"4"}  # the arm's planned dose, before any decision

    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    assert "accepted (3 mg)" in panel.decision_label.text()
    assert _doses(editor) == {"3"}
    level = editor.buffer.values[ValueKey("IG.POM.CYCLE", 1, "I.POM.LEVEL")]
    assert level == "3"
    assert _audit_reasons(db) == {"dose advice accepted"}

    def answer() -> None:
        dialog = panel.override_dialog
        if not isinstance(dialog, OverrideAdviceDialog) or not dialog.isVisible():
            QTimer.singleShot(20, answer)
            return
        dialog.level_combo.setCurrentIndex(dialog.level_combo.findData("2"))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no reason: refused
        assert "reason" in dialog.reason_error.text()
        qtbot.keyClicks(dialog.reason_edit, "second platelet count 30")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(panel.override_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "overridden" in panel.decision_label.text())
    assert "2 mg given instead: second platelet count 30" in panel.decision_label.text()
    assert "resume at 3 mg" in panel.rules_label.text()  # from the levels before cycle 2
    assert _doses(editor) == {"2"}
    assert "dose advice overridden: second platelet count 30" in _audit_reasons(db)
    with qtbot.waitSignal(editor.saved):
        qtbot.mouseClick(editor.view.save_button, Qt.MouseButton.LeftButton)
    stored = editor.service.open(*editor.instance).values
    assert stored[ValueKey("IG.POM.CYCLE", 1, "I.POM.LEVEL")] == "2"
    assert stored[ValueKey("IG.POM.ADVICE", 1, "I.POM.ADV_DECISION")] == "OVERRIDDEN"


def test_the_rule_that_fired_is_worded_in_french(qtbot, qapp, low_platelets: None,
                                                 open_editor) -> None:
    """The advisor's words follow the interface's language (the command line keeps the
    English of its JSON contract)."""
    from ctrial_desktop.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher(qapp)
    assert switcher.apply("fr")
    try:
        editor = open_editor("F.POM", repeat=2)
        panel = editor.advice_panel
        assert panel is not None
        rules = panel.rules_label.text()
        assert "plaquettes 20 ×10⁹/L < 25" in rules
        assert "interrompre le pomalidomide, NFS chaque semaine, reprendre à 3 mg" in rules
        assert "platelets" not in rules and "interrupt" not in rules
        if os.environ.get("CTRIAL_SCREENSHOTS"):  # a folder to keep a picture of the panel
            editor.grab().save(os.path.join(os.environ["CTRIAL_SCREENSHOTS"], "dose_fr.png"))
    finally:
        switcher.apply("en")
