"""Dosing tables and a full cycle entered by keyboard only, as a coordinator does it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from ctrial_desktop.services.forms import ValueKey
from ctrial_desktop.ui.forms.dosing_prefill import planned_rows
from tests.gui import test_form_engine as base
from tests.gui.test_form_engine import (
    HEM,
    activate,
    answer_reasons,
    enter_haematology,
    field,
    focused,
    type_and_tab,
    type_keys,
)

# The same fixtures as the form engine tests: a coordinator, a patient in arm B, an editor.
coordinator = base.coordinator
patient_id = base.patient_id
open_editor = base.open_editor

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                       "does not support raise",
                                       "does not support grabbing the keyboard")

POM_DAY = "IG.POM.DAY"
DEX_DAY = "IG.DEX.DAY"


def press(qtbot, key: Qt.Key, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(focused(), key)


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    return table.item(row, column).text()


def test_planned_rows_follow_the_arm(study) -> None:
    pom = study.form("F.POM")
    dex = study.form("F.DEX")
    assert [r["I.POM.DAY"] for r in planned_rows(study, pom, "POM21").values()] == [
        str(d) for d in range(1, 22)]
    assert len(planned_rows(study, pom, "POM28")) == 28
    assert {r["I.POM.DOSE"] for r in planned_rows(study, pom, "POM28").values()} == {"4"}
    assert {r["I.POM.STATUS"] for r in planned_rows(study, pom, "POM28").values()} == {"TAKEN"}
    days = [r["I.DEX.DAY"] for r in planned_rows(study, dex, "POM21", age_years=64).values()]
    assert days == ["1", "8", "15", "22"]
    assert planned_rows(study, dex, "POM21", age_years=64)[1]["I.DEX.DOSE"] == "40"
    # PROTOCOL section 2: 20 mg of dexamethasone for patients older than 75.
    assert planned_rows(study, dex, "POM21", age_years=78)[1]["I.DEX.DOSE"] == "20"
    assert planned_rows(study, pom, None) == {}
    assert planned_rows(study, study.form("F.HEM"), "POM21") == {}


def test_full_cycle_by_keyboard(qtbot, open_editor) -> None:
    pom = open_editor("F.POM")
    table = pom.view.tables[POM_DAY]
    assert len(table.repeats()) == 28  # arm B: days 1-28 pre-filled
    assert cell_text(table.table, 0, 1) == "4"
    assert cell_text(table.table, 0, 2) == "Taken"
    field(pom, "IG.POM.CYCLE", "I.POM.STARTDAT").setFocus()
    for text in ("010311", "4", "Unch", "010311", "28", "0"):
        type_and_tab(qtbot, text)
    assert focused() is table.table
    # Day 10: interrupted for haematological toxicity.
    press(qtbot, Qt.Key.Key_Down, 9)
    press(qtbot, Qt.Key.Key_Right, 2)
    type_keys(qtbot, "Interr")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.table.currentRow() == 10)  # Enter moves down, as in a sheet
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_Right)
    type_keys(qtbot, "Haem")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.table.currentRow() == 10)
    assert cell_text(table.table, 9, 2) == "Interrupted"
    assert cell_text(table.table, 9, 3) == "Haematological toxicity"
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert pom.view.status_label.text().startswith("Saved at "), (
        pom.view.status_label.text(), [e.text for e in pom.view.messages_panel.entries()])

    hem = open_editor("F.HEM")
    enter_haematology(qtbot, hem)
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert hem.view.status_label.text().startswith("Saved at ")

    again = open_editor("F.POM")
    values = again.buffer.snapshot.values
    assert values[ValueKey(POM_DAY, 10, "I.POM.STATUS")] == "INTERRUPTED"
    assert values[ValueKey(POM_DAY, 10, "I.POM.REASON")] == "HAEM_TOX"
    assert values[ValueKey(POM_DAY, 11, "I.POM.STATUS")] == "TAKEN"
    assert values[ValueKey("IG.POM.CYCLE", 1, "I.POM.CHANGE")] == "SAME"
    assert cell_text(again.view.tables[POM_DAY].table, 9, 3) == "Haematological toxicity"
    assert not again.is_dirty()
    assert open_editor("F.HEM").buffer.snapshot.values[ValueKey(HEM, 1, "I.HEM.PLT")] == "95"


def test_enter_on_last_row_adds_a_row_and_delete_asks_a_reason(qtbot, open_editor) -> None:
    dex = open_editor("F.DEX")
    table = dex.view.tables[DEX_DAY]
    assert table.repeats() == [1, 2, 3, 4]
    field(dex, "IG.DEX.CYCLE", "I.DEX.LEVEL").setFocus()
    for text in ("40", "Unch", "010311", "4", "0"):
        type_and_tab(qtbot, text)
    assert dex.save(), [e.text for e in dex.view.messages_panel.entries()]
    table.focus_cell(4, "I.DEX.DAY")
    press(qtbot, Qt.Key.Key_Return)
    assert table.repeats() == [1, 2, 3, 4, 5]
    assert table.table.currentRow() == 4
    press(qtbot, Qt.Key.Key_Delete)  # a new row goes without a question
    assert table.repeats() == [1, 2, 3, 4]
    table.focus_cell(4, "I.DEX.DAY")
    seen: list[list[str]] = []
    answer_reasons(qtbot, "entered on the wrong cycle", seen)
    press(qtbot, Qt.Key.Key_Delete)
    assert seen == [["Row 4"]]
    assert table.repeats() == [1, 2, 3]
    assert dex.save()
    assert ValueKey(DEX_DAY, 4, "I.DEX.DAY") not in dex.buffer.snapshot.values
    history = dex.service.history(*dex.instance, ValueKey(DEX_DAY, 4, "I.DEX.DAY"))
    assert history[-1].reason == "entered on the wrong cycle"


def test_table_cells_show_problems(qtbot, open_editor) -> None:
    dex = open_editor("F.DEX")
    table = dex.view.tables[DEX_DAY]
    activate(qtbot, dex)
    table.focus_cell(2, "I.DEX.DOSE")
    type_keys(qtbot, "400")
    press(qtbot, Qt.Key.Key_Return)
    cell = table.table.item(1, 1)
    qtbot.waitUntil(lambda: cell.toolTip().startswith("Error:"))  # the view commits on Enter
    assert cell.text() == "400"
    entries = dex.view.messages_panel.entries()
    assert any(e.severity == "error" and "row 2" in e.where for e in entries)
    # Arrows leave a cell being typed in, keeping what was typed, as in a spreadsheet.
    table.focus_cell(3, "I.DEX.DOSE")
    type_keys(qtbot, "20")
    press(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dex.buffer.values.get(ValueKey(DEX_DAY, 3, "I.DEX.DOSE")) == "20")
    assert table.table.currentRow() == 3


def test_adverse_event_term_picked_from_ctcae(qtbot, open_editor) -> None:
    ae = open_editor("F.AE", event="SE.AELOG")
    table = ae.view.tables["IG.AE.ROW"]
    assert table.repeats() == []
    table.table.setFocus()
    press(qtbot, Qt.Key.Key_Insert)
    assert table.repeats() == [1]
    type_keys(qtbot, "Neutrophil count dec")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: ValueKey("IG.AE.ROW", 1, "I.AE.TERM") in ae.buffer.values)
    assert ae.buffer.values[ValueKey("IG.AE.ROW", 1, "I.AE.TERM")] == "10029366"
    assert cell_text(table.table, 0, 0) == "Neutrophil count decreased"
    assert table.table.currentColumn() == 1  # Tab moved to the next cell
