"""Form engine details: grades, save and next, the problem list, history menu, French input."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from ctrial_desktop.services.forms import FormSnapshot, ValueKey
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.ui.forms.edit_buffer import EditBuffer, typed_value
from ctrial_desktop.ui.forms.fields import match_code, unit_text
from ctrial_desktop.ui.forms.history_dialog import HistoryDialog
from tests.gui import test_form_engine as base
from tests.gui.test_form_engine import (
    HEM,
    activate,
    answer_reasons,
    enter_haematology,
    field,
    focused,
    message_text,
    type_and_tab,
)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                       "does not support raise",
                                       "does not support grabbing the keyboard")

coordinator = base.coordinator
patient_id = base.patient_id
open_editor = base.open_editor


def snapshot(values: dict[ValueKey, str], version: int = 1) -> FormSnapshot:
    return FormSnapshot(1, "SE.CYCLE", 1, "F.HEM", "1.0", 1 if version else None, version,
                        "complete", values, frozenset(), False, False, False, None, None, None)


def test_edit_buffer_tracks_changes_and_types(study) -> None:
    form = study.form("F.HEM")
    wbc = ValueKey(HEM, 1, "I.HEM.WBC")
    dat = ValueKey(HEM, 1, "I.HEM.DAT")
    buffer = EditBuffer(study, form, snapshot({wbc: "4.20", dat: "2011-03-12"}))
    assert not buffer.is_dirty()
    buffer.set_value(wbc, "4.50")
    buffer.set_value(dat, None, "31/02/2011")
    assert buffer.changed_saved_keys() == [dat, wbc]
    assert buffer.invalid == {dat: "31/02/2011"}
    assert buffer.draft_values()[dat] == "31/02/2011"
    assert buffer.is_dirty()
    typed = buffer.typed_values()
    assert str(typed["I.HEM.WBC"]) == "4.50"
    assert "I.HEM.DAT" not in typed
    assert buffer.holds("I.HEM.WBC > 4", typed)
    assert not buffer.holds("I.HEM.WBC > 5", typed)
    assert typed_value(study, study.item("I.IC.SIGNED"), "Y") is True
    assert typed_value(study, study.item("I.HEM.DAT"), "2011-03-12").isoformat() == "2011-03-12"
    assert typed_value(study, study.item("I.HEM.PLT"), "not a number") is None


def test_small_helpers() -> None:
    choices = [("SAME", "Unchanged"), ("REDUCED", "Reduced one level")]
    assert match_code("unch", choices) == "SAME"
    assert match_code("reduced", choices) == "REDUCED"
    assert match_code("Re", choices) == "REDUCED"
    assert match_code("xyz", choices) == "xyz"
    assert match_code("oui", [("Y", "Yes"), ("N", "No")], yes_no=True) == "Y"
    assert unit_text("10^9/L") == "10⁹/L"
    assert unit_text("mg") == "mg"


def test_grade_shown_next_to_lab_value(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    enter_haematology(qtbot, editor)
    derived = editor.view.rows[(HEM, "I.HEM.ANC")].message.derived
    assert derived.text() == "grade 3"  # ANC 0.8 x10^9/L: CTCAE v4.03 grade 3
    assert editor.view.rows[(HEM, "I.HEM.WBC")].message.derived.text() == "normal"


def test_save_and_next_by_keyboard(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    dirty: list[bool] = []
    editor.dirty_changed.connect(dirty.append)
    enter_haematology(qtbot, editor)
    with qtbot.waitSignals([editor.saved, editor.next_form_requested]):
        qtbot.keyClick(focused(), Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert dirty == [True, False]


def test_problem_list_goes_to_the_field_and_confirms(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    enter_haematology(qtbot, editor)
    hgb = field(editor, HEM, "I.HEM.HGB")
    hgb.setFocus()
    hgb.selectAll()
    type_and_tab(qtbot, "55")
    assert not editor.view.messages_panel.isVisible()
    qtbot.mouseClick(editor.view.problems_button, Qt.MouseButton.LeftButton)
    panel = editor.view.messages_panel
    assert panel.isVisible()
    assert panel.list.count() == 1
    assert panel.list.item(0).text().startswith("Warning: Haemoglobin")
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.go_button, Qt.MouseButton.LeftButton)
    assert focused() is hgb
    answer_reasons(qtbot, "patient known to be anaemic")
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    assert panel.list.count() == 0
    assert "patient known to be anaemic" in message_text(editor, HEM, "I.HEM.HGB")


def test_history_from_the_context_menu(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    enter_haematology(qtbot, editor)
    assert editor.save()
    plt = field(editor, HEM, "I.HEM.PLT")
    plt.customContextMenuRequested.emit(plt.rect().center())
    menu = next(w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMenu) and w.isVisible())
    action = next(a for a in menu.actions() if a.text() == "Show &history…")
    action.trigger()
    menu.close()
    dialog = editor.findChild(HistoryDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.item(dialog.table.rowCount() - 1, 1).text() == "marie"
    dialog.close()


def test_french_decimal_comma_and_display(qtbot, db, study, coordinator, patient_id) -> None:
    from ctrial_desktop.services.forms import FormService
    from ctrial_desktop.ui.forms import FormEditor
    from ctrial_desktop.ui.session import make_ui_session

    session = make_ui_session(db, coordinator, study)
    editor = FormEditor(session, FormService(db, coordinator, study, today=base.TODAY),
                        patient_id, "SE.CYCLE", 1, "F.HEM", language="fr")
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    activate(qtbot, editor)
    assert editor.view.rows[(HEM, "I.HEM.WBC")].label.text() == "Leucocytes *"
    field(editor, HEM, "I.HEM.WBC").setFocus()
    type_and_tab(qtbot, "4.2")
    type_and_tab(qtbot, "4,1")
    assert editor.buffer.values[ValueKey(HEM, 1, "I.HEM.WBC")] == "4.20"
    assert editor.buffer.values[ValueKey(HEM, 1, "I.HEM.WBC_LLN")] == "4.10"
    assert field(editor, HEM, "I.HEM.WBC").text() == "4,20"


def test_conflict_names_who_saved(qtbot, db, admin, open_editor) -> None:
    investigator = base.another_user(db, admin, "thierry", Role.INVESTIGATOR, "03")
    mine = open_editor("F.HEM")
    theirs = open_editor("F.HEM", actor=investigator)
    enter_haematology(qtbot, theirs)
    assert theirs.save()
    activate(qtbot, mine)
    enter_haematology(qtbot, mine)
    assert not mine.save()
    banner = mine.view.banner_text.text()
    assert "thierry" in banner or "Thierry" in banner, banner


def test_missing_values_flagged_on_save_not_while_typing(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    field(editor, HEM, "I.HEM.DAT").setFocus()
    type_and_tab(qtbot, "120311")
    assert message_text(editor, HEM, "I.HEM.HGB") == ""
    assert editor.save()  # an incomplete form may be saved
    assert editor.buffer.snapshot.status == "in_progress"
    hgb = editor.view.rows[(HEM, "I.HEM.HGB")].message
    assert hgb.text.text() == "Warning: Haemoglobin is required"
    assert not hgb.confirm_button.isVisibleTo(editor)  # nothing to confirm: it is missing


def test_enter_moves_forward_and_shift_tab_back(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    assert focused() is field(editor, HEM, "I.HEM.DAT")  # the form opens ready to type
    type_and_tab(qtbot, "12.3.11", Qt.Key.Key_Return)
    assert focused() is field(editor, HEM, "I.HEM.HGB")
    assert field(editor, HEM, "I.HEM.DAT").text() == "12/03/2011"
    type_and_tab(qtbot, "112", Qt.Key.Key_Enter)
    assert focused() is field(editor, HEM, "I.HEM.HGB_LLN")
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is field(editor, HEM, "I.HEM.HGB")
    assert editor.buffer.values[ValueKey(HEM, 1, "I.HEM.HGB")] == "112"
