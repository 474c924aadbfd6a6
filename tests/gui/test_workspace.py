"""The patient workspace: header, visit tree in schedule order with states, form outline."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import NotFound
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.patients import FormState, PatientRow, PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.icons import icon_path
from ctrial_desktop.ui.session import UiSession, make_ui_session
from ctrial_desktop.ui.visit_tree import (
    FormStateKind,
    combined_state,
    event_instances,
    form_state_kind,
    readable_condition,
    state_icon_name,
    state_word,
)
from ctrial_desktop.ui.workspace import PatientWorkspace
from tests.gui.conftest import PASSWORD

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SCHEDULE = ["Screening", "Randomization", "Cycle 1", "End of treatment", "Follow-up 1",
            "Death", "Adverse events", "Concomitant medications"]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory,
            study: StudyDefinition) -> Iterator[UiSession]:
    """One screened patient, built once (the tests only read the database)."""
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('ws') / 'trial.sqlite3'}")
    admin = AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
    sites = SiteService(db, admin)
    sites.create_site("03", "CHU de Toulouse", "Toulouse")
    sites.set_active("03", True, "site initiation visit")
    UserService(db, admin).create_user("coord", "Marie", "Durand", PASSWORD,
                                       [RoleGrant(Role.COORDINATOR, "03")],
                                       must_change_password=False)
    actor = AuthService(db).login("coord", PASSWORD)
    service = PatientService(db, actor)
    service.screen_patient("03", "MD", "F", birth_date=dt.date(1946, 6, 2),
                           consent_date=dt.date(2010, 3, 1))
    yield make_ui_session(db, actor, study)
    db.dispose()


@pytest.fixture
def workspace(qtbot: QtBot, session: UiSession) -> PatientWorkspace:
    widget = PatientWorkspace(session)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    with qtbot.waitExposed(widget):
        widget.show()
    return widget


def _state(event: str, repeat: int, form: str, status: str = "in_progress", *,
           signed: bool = False, locked: bool = False, verified: bool = False,
           form_data_id: int = 1) -> FormState:
    return FormState(form_data_id, event, repeat, form, status, signed, locked, verified)


def _top_level(widget: PatientWorkspace) -> list[tuple[str, str]]:
    model = widget.tree_model
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


def _children(widget: PatientWorkspace, row: int) -> list[tuple[str, str]]:
    model = widget.tree_model
    parent = model.index(row, 0)
    return [(model.index(r, 0, parent).data(), model.index(r, 1, parent).data())
            for r in range(model.rowCount(parent))]


def test_header_shows_the_patient(workspace: PatientWorkspace, session: UiSession) -> None:
    patient = session.patients.list_patients()[0]
    assert workspace.show_patient(patient.id)
    assert workspace.number_label.text() == "Patient 03-001"
    details = workspace.details_label.text()
    assert "MD" in details and "female" in details and "63 years" in details
    assert workspace.status_label.text() == "Screening"
    assert workspace.status_icon_label.pixmap() is not None
    assert workspace.arm_label.text() == "Not randomized"


def test_tree_shows_the_schedule_all_not_started(workspace: PatientWorkspace,
                                                 session: UiSession,
                                                 study: StudyDefinition) -> None:
    workspace.show_patient(session.patients.list_patients()[0].id)
    assert _top_level(workspace) == [(name, "Not started") for name in SCHEDULE]
    screening = _children(workspace, 0)
    expected = [study.form(ref.form).name.en for ref in study.event("SE.SCREEN").forms]
    assert [name for name, _ in screening] == expected
    assert {state for _, state in screening} == {"Not started"}
    # The current visit (screening) is opened for the user.
    assert workspace.tree.isExpanded(workspace.tree_model.index(0, 0))
    tooltip = workspace.tree_model.index(0, 0, workspace.tree_model.index(0, 0)).data(
        Qt.ItemDataRole.ToolTipRole)
    assert "Not started" in tooltip and "version" in tooltip


def test_cycle_forms_show_their_days(workspace: PatientWorkspace, session: UiSession) -> None:
    workspace.show_patient(session.patients.list_patients()[0].id)
    cycle = _children(workspace, 2)
    assert [row for row in cycle if row[0].startswith("Haematology")] == [
        (f"Haematology · day {day}", "Not started") for day in (1, 8, 15, 22)]
    assert ("Pomalidomide administration", "Not started") in cycle  # day 1 only: one row


def test_refused_patient_shows_the_reason(workspace: PatientWorkspace) -> None:
    assert not workspace.show_patient(9999)
    assert workspace.error_label.isVisibleTo(workspace)
    assert "No patient #9999" in workspace.error_label.text()


class _FakePatients:
    """Service answers for a randomized patient with stored forms."""

    def __init__(self, row: PatientRow, states: list[FormState]) -> None:
        self.row, self.states = row, states

    def get_patient(self, patient_id: int) -> PatientRow:
        if patient_id != self.row.id:
            raise NotFound(f"No patient #{patient_id}.")
        return self.row

    def form_states(self, patient_id: int) -> list[FormState]:
        return self.states


def test_randomized_patient_with_data(qtbot: QtBot, session: UiSession) -> None:
    row = dataclasses.replace(session.patients.list_patients()[0], status="on_treatment",
                              arm="POM28")
    states = [_state("SE.SCREEN", 1, f.form, "complete", form_data_id=i)
              for i, f in enumerate(session.study.event("SE.SCREEN").forms)]
    states += [
        _state("SE.RAND", 1, "F.RAND", "complete", signed=True, form_data_id=50),
        _state("SE.CYCLE", 1, "F.HEM", "complete", locked=True, form_data_id=51),
        _state("SE.CYCLE", 2, "F.HEM", "in_progress", form_data_id=52),
    ]
    widget = PatientWorkspace(dataclasses.replace(session, patients=_FakePatients(row, states)))
    qtbot.addWidget(widget)
    assert widget.show_patient(row.id)
    assert widget.arm_label.text() == "Arm B · POM28"
    assert "days 1-28" in widget.arm_label.toolTip()
    assert widget.status_label.text() == "On treatment"
    top = _top_level(widget)
    assert [name for name, _ in top] == ["Screening", "Randomization", "Cycle 1", "Cycle 2",
                                         "Cycle 3", "End of treatment", "Follow-up 1", "Death",
                                         "Adverse events", "Concomitant medications"]
    assert top[0][1] == "Complete"
    assert top[1][1] == "Signed"
    assert top[2][1] == "In progress"  # other required cycle forms are missing
    assert ("Haematology · day 1", "Locked") in _children(widget, 2)
    assert ("Haematology · day 8", "Not started") in _children(widget, 2)
    assert ("Haematology · day 1", "In progress") in _children(widget, 3)
    assert top[4][1] == "Not started"
    # The first visit not complete is expanded.
    assert widget.tree.isExpanded(widget.tree_model.index(2, 0))
    assert not widget.tree.isExpanded(widget.tree_model.index(0, 0))


def test_selecting_a_form_shows_its_outline(qtbot: QtBot, workspace: PatientWorkspace,
                                           session: UiSession) -> None:
    workspace.show_patient(session.patients.list_patients()[0].id)
    with qtbot.waitSignal(workspace.form_selected) as blocker:
        assert workspace.select_form("SE.CYCLE", 1, "F.HEM")
    assert blocker.args == ["SE.CYCLE", 1, "F.HEM", 1]
    with qtbot.waitSignal(workspace.form_selected) as blocker:
        assert workspace.select_form("SE.CYCLE", 1, "F.HEM", 15)
    assert blocker.args == ["SE.CYCLE", 1, "F.HEM", 15]  # the day-15 blood count
    with qtbot.waitSignal(workspace.form_selected):
        assert workspace.select_form("SE.CYCLE", 1, "F.HEM")
    outline = workspace.outline
    assert outline.title_label.text() == "Haematology · day 1"  # the first instance
    assert "Cycle 1" in outline.state_label.text()
    assert "version 1.0" in outline.state_label.text()
    assert "Not started" in outline.state_label.text()
    assert outline.note_label.isVisible()
    text = outline.browser.toPlainText()
    assert "Platelets *" in text  # required marker
    assert "Neutrophils (ANC) *" in text
    assert "10⁹/L" in text or "10^9/L" in text
    assert "Due on cycle day(s) 1, 8, 15, 22." in text
    assert "allowed" in text and "expected" in text


def test_a_form_opened_from_elsewhere_is_selected_in_the_tree(
        qtbot: QtBot, workspace: PatientWorkspace, session: UiSession) -> None:
    # The to-do list and the query list open a form directly: the tree must show which.
    workspace.show_patient(session.patients.list_patients()[0].id)
    assert workspace.select_form("SE.SCREEN", 1, "F.DM")
    selected: list[object] = []
    workspace.form_selected.connect(lambda *args: selected.append(args))
    assert workspace.open_form("SE.CYCLE", 1, "F.HEM", 15)
    node = workspace.tree_model.node(workspace.tree.currentIndex())
    assert node is not None
    assert (node.event_oid, node.event_repeat, node.form_oid, node.visit_day) == (
        "SE.CYCLE", 1, "F.HEM", 15)
    assert workspace.tree.selectionModel().isSelected(workspace.tree.currentIndex())
    assert workspace.editor is not None  # still open: selecting it did not replace it
    assert workspace.form_stack.currentWidget() is workspace.editor
    assert selected == []  # nothing re-announced: the form was opened, not browsed to


def test_keyboard_moves_through_forms_and_enter_requests_the_editor(
        qtbot: QtBot, workspace: PatientWorkspace, session: UiSession) -> None:
    patient = session.patients.list_patients()[0]
    workspace.show_patient(patient.id)
    workspace.tree.setFocus()
    qtbot.keyClick(workspace.tree, Qt.Key.Key_Down)  # first screening form
    assert workspace.outline.title_label.text() == "Informed consent"
    qtbot.keyClick(workspace.tree, Qt.Key.Key_Down)
    assert workspace.outline.title_label.text() == "Demographics"
    with qtbot.waitSignal(workspace.form_open_requested) as blocker:
        qtbot.keyClick(workspace.tree, Qt.Key.Key_Return)
    assert blocker.args == [patient.id, "SE.SCREEN", 1, "F.DM", 1]
    assert workspace.select_next_form(1)
    assert workspace.outline.title_label.text() == "Myeloma history"
    assert workspace.select_next_form(-1) and workspace.select_next_form(-1)
    assert workspace.outline.title_label.text() == "Informed consent"


def test_conditional_form_explained_in_words(workspace: PatientWorkspace, session: UiSession,
                                             study: StudyDefinition) -> None:
    workspace.show_patient(session.patients.list_patients()[0].id)
    assert workspace.select_form("SE.SCREEN", 1, "F.PREG")
    text = workspace.outline.browser.toPlainText()
    assert "Only when «Sex» = Female and «Woman of childbearing potential» = yes." in text
    assert readable_condition(study, "I.DM.SEX == 'F'", "en") == "«Sex» = Female"


# --------------------------------------------------------------------------- pure mapping


def test_state_mapping_from_stored_values() -> None:
    assert form_state_kind(None) is FormStateKind.NOT_STARTED
    assert form_state_kind(_state("SE.X", 1, "F.X", "in_progress")) is FormStateKind.IN_PROGRESS
    assert form_state_kind(_state("SE.X", 1, "F.X", "complete")) is FormStateKind.COMPLETE
    verified = _state("SE.X", 1, "F.X", "complete", verified=True)
    assert form_state_kind(verified) is FormStateKind.VERIFIED
    signed = _state("SE.X", 1, "F.X", "complete", verified=True, signed=True)
    assert form_state_kind(signed) is FormStateKind.SIGNED
    assert form_state_kind(signed, open_queries=2) is FormStateKind.QUERY_OPEN
    locked = _state("SE.X", 1, "F.X", "complete", signed=True, locked=True)
    assert form_state_kind(locked, open_queries=1) is FormStateKind.LOCKED


def test_every_state_has_a_word_and_an_icon() -> None:
    words = {state_word(kind) for kind in FormStateKind}
    assert len(words) == len(FormStateKind)
    assert state_word(FormStateKind.QUERY_OPEN) == "Query open"
    for kind in FormStateKind:
        assert icon_path(state_icon_name(kind)).is_file()
    assert len({state_icon_name(kind) for kind in FormStateKind}) == len(FormStateKind)


def test_combined_state_of_a_visit() -> None:
    k = FormStateKind
    assert combined_state([k.NOT_STARTED, k.NOT_STARTED], [True, False]) is k.NOT_STARTED
    assert combined_state([k.COMPLETE, k.NOT_STARTED], [True, True]) is k.IN_PROGRESS
    assert combined_state([k.COMPLETE, k.NOT_STARTED], [True, False]) is k.COMPLETE
    assert combined_state([k.LOCKED, k.SIGNED], [True, True]) is k.SIGNED
    assert combined_state([k.LOCKED, k.QUERY_OPEN], [True, True]) is k.QUERY_OPEN
    assert combined_state([k.NOT_STARTED, k.IN_PROGRESS], [True, False]) is k.IN_PROGRESS
    # A form not applicable to the patient is not awaited.
    assert combined_state([k.COMPLETE, k.NOT_APPLICABLE], [True, False]) is k.COMPLETE
    assert combined_state([k.NOT_APPLICABLE], [False]) is k.NOT_STARTED


def test_a_form_not_applicable_to_the_patient_is_not_awaited(qtbot: QtBot,
                                                              study: StudyDefinition) -> None:
    """A man's cycle with every required form complete is complete, and its pregnancy
    test says "Not applicable" (it kept the cycle "In progress" for ever)."""
    from ctrial_desktop.ui.visit_tree import VisitTreeModel

    cycle = study.event("SE.CYCLE")
    states = [_state("SE.SCREEN", 1, "F.DM", "complete")] + [
        dataclasses.replace(_state("SE.CYCLE", 1, ref.form, "complete"), visit_day=day)
        for ref in cycle.forms if ref.required and ref.form != "F.PREG"
        for day in ref.instance_days]
    model = VisitTreeModel()
    model.load(study, states, "en")
    top = [model.index(r, 0).data() for r in range(model.rowCount())]
    row = top.index("Cycle 1")
    assert model.index(row, 1).data() == "In progress"
    model.load(study, states, "en", not_applicable={("SE.CYCLE", "F.PREG")})
    assert model.index(row, 1).data() == "Complete"
    parent = model.index(row, 0)
    rows = {model.index(r, 0, parent).data(): model.index(r, 1, parent).data()
            for r in range(model.rowCount(parent))}
    assert rows["Pregnancy test and contraception"] == "Not applicable"
    preg = next(model.index(r, 0, parent) for r in range(model.rowCount(parent))
                if model.index(r, 0, parent).data() == "Pregnancy test and contraception")
    assert "Only when" in preg.data(Qt.ItemDataRole.ToolTipRole)


def test_repeating_visits_show_repeats_with_data_and_the_next(study: StudyDefinition) -> None:
    states = [_state("SE.CYCLE", 1, "F.HEM"), _state("SE.CYCLE", 3, "F.HEM"),
              _state("SE.FU", 1, "F.FU")]
    instances = [(e.oid, r) for e, r in event_instances(study, states)]
    assert instances == [("SE.SCREEN", 1), ("SE.RAND", 1), ("SE.CYCLE", 1), ("SE.CYCLE", 3),
                         ("SE.CYCLE", 4), ("SE.EOT", 1), ("SE.FU", 1), ("SE.FU", 2),
                         ("SE.DEATH", 1), ("SE.AELOG", 1), ("SE.CMLOG", 1)]


def test_open_queries_are_counted(qtbot: QtBot,
                                                          session: UiSession) -> None:
    row = session.patients.list_patients()[0]
    states = [_state("SE.SCREEN", 1, "F.DM", "complete", form_data_id=7)]

    class _Review:
        def open_query_counts(self, patient_id: int) -> dict[int, int]:
            return {7: 2}

    widget = PatientWorkspace(dataclasses.replace(
        session, patients=_FakePatients(row, states), review=_Review()))  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    assert widget.show_patient(row.id)
    assert _top_level(widget)[0] == ("Screening", "Query open (2)")
    assert ("Demographics", "Query open (2)") in _children(widget, 0)
    assert widget.tree.isExpanded(widget.tree_model.index(0, 0))


def test_states_follow_forms_saved_through_the_form_service(
        qtbot: QtBot, db: Database, admin: Actor, study: StudyDefinition) -> None:
    SiteService(db, admin).create_site("05", "CHU de Bordeaux", "Bordeaux")
    SiteService(db, admin).set_active("05", True, "site initiation visit")
    UserService(db, admin).create_user("inv", "Thierry", "Facon", PASSWORD,
                                       [RoleGrant(Role.INVESTIGATOR, "05")],
                                       must_change_password=False)
    actor = AuthService(db).login("inv", PASSWORD)
    patient = PatientService(db, actor).screen_patient(
        "05", "TF", "M", birth_date=dt.date(1950, 1, 1), consent_date=dt.date(2010, 1, 4))
    forms = FormService(db, actor, study, today=dt.date(2010, 1, 10))
    forms.save(patient.id, "SE.SCREEN", 1, "F.ECOG", {
        ValueKey("IG.ECOG.MAIN", 1, "I.ECOG.DAT"): "2010-01-05",
        ValueKey("IG.ECOG.MAIN", 1, "I.ECOG.SCORE"): "1"}, expected_version=0)
    widget = PatientWorkspace(make_ui_session(db, actor, study))
    qtbot.addWidget(widget)
    assert widget.show_patient(patient.id)
    assert _top_level(widget)[0] == ("Screening", "In progress")
    assert ("ECOG performance status", "Complete") in _children(widget, 0)
    assert ("Demographics", "Not started") in _children(widget, 0)
