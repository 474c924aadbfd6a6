"""Lab normal ranges screen: a data manager edits a range in place, the HEM grade follows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.forms import ValueKey
from ctrial_desktop.services.normal_ranges import NormalRangeService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.i18n import LanguageSwitcher
from ctrial_desktop.ui.lab_ranges_dialog import LLN, LabRangesDialog
from ctrial_desktop.ui.reason_dialog import ReasonDialog
from tests.gui import test_form_engine as base
from tests.gui.test_form_engine import HEM, field, type_and_tab

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                       "does not support raise",
                                       "does not support grabbing the keyboard")

coordinator = base.coordinator
patient_id = base.patient_id
open_editor = base.open_editor


@pytest.fixture
def dm(db: Database, admin: Actor, coordinator: Actor) -> Actor:
    dm = base.another_user(db, admin, "dora", Role.DATA_MANAGER, None)
    service = NormalRangeService(db, dm)
    service.set_range("03", "ANC", "", "1.8", "7.5", "10^9/L", "lab sheet")
    service.set_range("03", "PLT", "", "150", "400", "10^9/L", "lab sheet")
    return dm


def _dialog(qtbot, db: Database, actor: Actor) -> LabRangesDialog:
    dialog = LabRangesDialog(NormalRangeService(db, actor), SiteService(db, actor))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _type_cell(qtbot, dialog: LabRangesDialog, row: int, column: int, text: str) -> None:
    dialog.table.setCurrentCell(row, column)
    dialog.table.editItem(dialog.table.item(row, column))
    editor = dialog.table.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.state() != QAbstractItemView.State.EditingState)


def _anc_grade(qtbot, editor) -> str:
    field(editor, HEM, "I.HEM.ANC").setFocus()
    type_and_tab(qtbot, "1.6")
    return editor.view.rows[(HEM, "I.HEM.ANC")].message.derived.text()


def test_data_manager_edits_range_and_the_grade_changes(qtbot, db: Database, dm: Actor,
                                                        open_editor) -> None:
    before = open_editor("F.HEM")
    assert _anc_grade(qtbot, before) == "grade 1"  # 1.6 below the site's LLN 1.8
    assert before.buffer.values[ValueKey(HEM, 1, "I.HEM.ANC_LLN")] == "1.80"  # pre-filled

    dialog = _dialog(qtbot, db, dm)
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["ANC", "PLT"]
    anc = 0
    _type_cell(qtbot, dialog, anc, LLN, "abc")
    assert "number" in error_text(dialog.message_label)
    assert not dialog.save_button.isEnabled()
    _type_cell(qtbot, dialog, anc, LLN, "9")
    assert "below the ULN" in error_text(dialog.message_label)
    _type_cell(qtbot, dialog, anc, LLN, "1.5")
    assert error_text(dialog.message_label) == ""
    assert dialog.save_button.isEnabled()

    def answer() -> None:
        box = dialog.reason_dialog
        if not isinstance(box, ReasonDialog) or not box.isVisible():
            QTimer.singleShot(20, answer)
            return
        qtbot.keyClicks(box.reason_edit, "new analyser")
        box.ok_button.click()

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.reason_dialog is not None
                    and not dialog.reason_dialog.isVisible())
    assert NormalRangeService(db, dm).limits_for("03", "F")["ANC"] == (1.5, 7.5)
    assert not dialog.save_button.isEnabled()  # nothing pending after the reload

    after = open_editor("F.HEM", repeat=2)
    assert _anc_grade(qtbot, after) == "normal"


def test_ranges_show_a_decimal_comma_in_french(qtbot, qapp, db: Database, dm: Actor) -> None:
    switcher = LanguageSwitcher(qapp)
    assert switcher.apply("fr")
    try:
        dialog = _dialog(qtbot, db, dm)
        assert dialog.table.item(0, LLN).text() == "1,8"
        assert dialog.table.item(0, LLN + 1).text() == "7,5"
        # an untouched French row is not a change; a typed comma is read as the decimal mark
        assert not dialog.save_button.isEnabled()
        _type_cell(qtbot, dialog, 0, LLN, "1,6")
        assert error_text(dialog.message_label) == ""
    finally:
        switcher.apply("en")
    english = _dialog(qtbot, db, dm)
    assert english.table.item(0, LLN).text() == "1.8"


def test_coordinator_sees_ranges_read_only(qtbot, db: Database, dm: Actor,
                                           coordinator: Actor) -> None:
    dialog = _dialog(qtbot, db, coordinator)
    assert dialog.site_combo.count() == 1 and dialog.site_code() == "03"
    assert not dialog.save_button.isVisible() and not dialog.add_button.isVisible()
    assert "Read only" in dialog.info_label.text()


def test_new_row_for_a_test_not_listed(qtbot, db: Database, dm: Actor) -> None:
    dialog = _dialog(qtbot, db, dm)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    new = dialog.table.rowCount() - 1
    dialog.table.cellWidget(new, 0).setCurrentText("HGB")
    dialog.table.cellWidget(new, 1).setCurrentIndex(2)  # female
    _type_cell(qtbot, dialog, new, LLN, "120")
    _type_cell(qtbot, dialog, new, LLN + 1, "155")
    assert "unit" in error_text(dialog.message_label).lower()
    _type_cell(qtbot, dialog, new, LLN + 2, "g/L")
    assert dialog.save_button.isEnabled()
