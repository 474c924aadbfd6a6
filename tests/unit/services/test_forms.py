"""The form service: save with audit, reasons, confirmations, conflicts, drafts, history."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ctrial_desktop.domain import checks as expressions
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import (
    ConflictError,
    PermissionDenied,
    ValidationError,
)
from ctrial_desktop.services.forms import (
    CHECK_REQUIRED,
    CHECK_SOFT_RANGE,
    NOT_APPLICABLE,
    FieldMessage,
    FormService,
    ReasonRequired,
    ValueKey,
)
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import AuditRecord, FormData, ItemValue, Patient
from ctrial_desktop.study import StudyDefinition, load_study
from tests.unit.conftest import PASSWORD, make_user

TODAY = dt.date(2010, 3, 1)
EVENT = "SE.SCREEN"
FORM = "F.TST"
MAIN = "IG.TST.MAIN"
AE = "IG.TST.AE"

_ITEMS: list[dict[str, Any]] = [
    {"oid": "I.TST.DAT", "label": {"en": "Date of visit", "fr": "Date"}, "type": "date",
     "required": True},
    {"oid": "I.TST.PLT", "label": {"en": "Platelets", "fr": "Plaquettes"}, "type": "decimal",
     "decimals": 0, "unit": "MU.E9_L", "required": True, "range": {"min": 0, "max": 2000},
     "soft_range": {"min": 20, "max": 800}},
    {"oid": "I.TST.SEX", "label": {"en": "Sex", "fr": "Sexe"}, "type": "choice",
     "codelist": "CL.SEX", "required": True},
    {"oid": "I.TST.PREG", "label": {"en": "Pregnant", "fr": "Enceinte"}, "type": "yes_no",
     "required": True, "visible_if": "I.TST.SEX == 'F'"},
    {"oid": "I.TST.NOTE", "label": {"en": "Note", "fr": "Note"}, "type": "text",
     "max_length": 200},
    {"oid": "I.TST.LONG", "label": {"en": "Comment", "fr": "Commentaire"}, "type": "long_text"},
    {"oid": "I.TST.TIME", "label": {"en": "Time", "fr": "Heure"}, "type": "time"},
    {"oid": "I.TST.PDAT", "label": {"en": "Diagnosis", "fr": "Diagnostic"},
     "type": "partial_date"},
    {"oid": "I.TST.CNT", "label": {"en": "Count", "fr": "Nombre"}, "type": "integer"},
    {"oid": "I.TST.WT", "label": {"en": "Weight", "fr": "Poids"}, "type": "decimal",
     "decimals": 1, "unit": "MU.KG"},
    {"oid": "I.TST.HT", "label": {"en": "Height", "fr": "Taille"}, "type": "integer",
     "unit": "MU.CM"},
    {"oid": "I.TST.BMI", "label": {"en": "BMI", "fr": "IMC"}, "type": "computed",
     "decimals": 1, "unit": "MU.KG_M2", "computed": {"function": "bmi",
                                                     "inputs": ["I.TST.WT", "I.TST.HT"]},
     "soft_range": {"min": 16, "max": 40}},
]
_AE_ITEMS: list[dict[str, Any]] = [
    {"oid": "I.TST.TERM", "label": {"en": "Term", "fr": "Terme"}, "type": "ctcae_term"},
    {"oid": "I.TST.AESTART", "label": {"en": "Start", "fr": "Début"}, "type": "date"},
    {"oid": "I.TST.AESTOP", "label": {"en": "End", "fr": "Fin"}, "type": "date"},
    {"oid": "I.TST.GRADE", "label": {"en": "Grade", "fr": "Grade"}, "type": "choice",
     "codelist": "CL.CTCAE_GRADE"},
]
_CHECKS: list[dict[str, Any]] = [
    {"oid": "EC.TST.AEDATES", "expression": "I.TST.AESTOP >= I.TST.AESTART",
     "severity": "error", "message": {"en": "The end is before the start.", "fr": "Fin < début."},
     "items": ["I.TST.AESTOP"]},
    {"oid": "EC.TST.COUNT", "expression": "I.TST.CNT < 10", "severity": "warning",
     "message": {"en": "Unusually many.", "fr": "Beaucoup."}, "items": ["I.TST.CNT"]},
    {"oid": "EC.TST.CONSENT", "kind": "cross_form", "check": "date_not_before_consent",
     "severity": "error", "message": {"en": "Before consent.", "fr": "Avant consentement."},
     "items": ["I.TST.DAT"]},
    {"oid": "EC.TST.GRADE", "kind": "cross_form", "check": "ctcae_grade_defined",
     "severity": "error", "message": {"en": "Grade not defined for the term.", "fr": "Grade."},
     "items": ["I.TST.GRADE"]},
]
TEST_FORM: dict[str, Any] = {
    "oid": FORM, "name": {"en": "Test form", "fr": "Formulaire de test"}, "version": "2.1",
    "item_groups": [
        {"oid": MAIN, "name": {"en": "Main", "fr": "Principal"}, "items": _ITEMS},
        {"oid": AE, "name": {"en": "Events", "fr": "Événements"}, "repeating": True,
         "items": _AE_ITEMS},
    ],
    "edit_checks": _CHECKS,
}


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    data = load_study(forms_dir()).model_dump()
    data["forms"] = [*data["forms"], TEST_FORM]
    data["events"] = [
        {**event, "forms": [*event["forms"], {"form": FORM, "required": False}]}
        if event["oid"] == EVENT else event
        for event in data["events"]]
    return StudyDefinition.model_validate(data)


def K(item: str, repeat: int = 1, group: str = MAIN) -> ValueKey:
    return ValueKey(group, repeat, "I.TST." + item)


def screen(db: Database, actor: Actor, site: str = "01") -> int:
    return PatientService(db, actor, today=TODAY).screen_patient(
        site, "MD", "F", birth_date=dt.date(1946, 5, 2), consent_date=dt.date(2010, 2, 20)).id


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A database with sites, users and one patient, built once and copied for each test
    (password hashing makes building it per test slow)."""
    path = tmp_path_factory.mktemp("template") / "trial.sqlite3"
    db = open_database(f"sqlite:///{path}")
    admin = AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
    sites = SiteService(db, admin)
    for code in ("01", "02"):
        sites.create_site(code, f"Site {code}", "Ville")
        sites.set_active(code, True, "site initiation visit done")
    people: dict[str, Any] = {"admin": admin}
    for name, role, site in (("marie", Role.COORDINATOR, "01"), ("julie", Role.INVESTIGATOR, "01"),
                             ("claire", Role.MONITOR, None), ("paul", Role.COORDINATOR, "02")):
        people[name] = make_user(db, admin, name, RoleGrant(role, site))
    people["patient"] = screen(db, people["marie"])
    db.dispose()
    yield path, people


@pytest.fixture
def db(template: tuple[Path, dict[str, Any]], tmp_path: Path) -> Iterator[Database]:
    copy = tmp_path / "trial.sqlite3"
    shutil.copyfile(template[0], copy)
    database = open_database(f"sqlite:///{copy}")
    yield database
    database.dispose()


@pytest.fixture
def people(template: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    return template[1]


@pytest.fixture
def admin(people: dict[str, Any]) -> Actor:
    return people["admin"]  # type: ignore[no-any-return]


@pytest.fixture
def coordinator(people: dict[str, Any]) -> Actor:
    return people["marie"]  # type: ignore[no-any-return]


@pytest.fixture
def patient(people: dict[str, Any], db: Database) -> int:
    return people["patient"]  # type: ignore[no-any-return]


@pytest.fixture
def forms(db: Database, coordinator: Actor, study: StudyDefinition) -> FormService:
    return FormService(db, coordinator, study, today=TODAY)


BASIC = {K("DAT"): "25/02/2010", K("PLT"): "150", K("SEX"): "F", K("PREG"): "non"}


def save(service: FormService, patient: int, values: dict[ValueKey, str], version: int,
         **kwargs: Any):  # type: ignore[no-untyped-def]
    return service.save(patient, EVENT, 1, FORM, values, expected_version=version, **kwargs)


def audit_count(db: Database) -> int:
    with db.read() as session:
        return len(session.query(AuditRecord).all())


def assert_trail_ok(db: Database) -> None:
    with db.read() as session:
        result = verify(session)
    assert result.ok, result.problems


# --------------------------------------------------------------------------- open / save


def test_open_never_saved_form(forms: FormService, patient: int) -> None:
    snap = forms.open(patient, EVENT, 1, FORM)
    assert (snap.version, snap.status, snap.form_data_id) == (0, "not_started", None)
    assert snap.values == {} and snap.read_only_reason is None
    assert snap.form_version == "2.1"


def test_save_and_reopen_round_trip(db: Database, forms: FormService, patient: int) -> None:
    values = {**BASIC, K("NOTE"): "Robert'); DROP TABLE patient;--\tü 😀",
              K("LONG"): "line 1\r\nline 2", K("TIME"): "9h30", K("PDAT"): "UN/UNK/2005",
              K("CNT"): "3", K("WT"): "70,5", K("HT"): "175",
              K("TERM", 1, AE): "10028813", K("AESTART", 1, AE): "26.2.10",
              K("GRADE", 1, AE): "2"}
    result = save(forms, patient, values, 0)
    snap = forms.open(patient, EVENT, 1, FORM)
    assert snap == result.snapshot
    assert snap.version == 1 and snap.status == "complete"
    assert snap.updated_by == "marie" and snap.updated_at is not None
    assert snap.values == {
        K("DAT"): "2010-02-25", K("PLT"): "150", K("SEX"): "F", K("PREG"): "N",
        K("NOTE"): "Robert'); DROP TABLE patient;-- ü 😀", K("LONG"): "line 1\nline 2",
        K("TIME"): "09:30", K("PDAT"): "2005", K("CNT"): "3", K("WT"): "70.5", K("HT"): "175",
        K("BMI"): "23.0", K("TERM", 1, AE): "10028813", K("AESTART", 1, AE): "2010-02-26",
        K("GRADE", 1, AE): "2"}
    # Saving the canonical values again changes nothing and needs no reason.
    again = save(forms, patient, dict(snap.values), 1)
    assert again.snapshot.values == snap.values and again.snapshot.version == 2
    assert_trail_ok(db)


def test_first_save_writes_one_chained_record_per_value(db: Database, forms: FormService,
                                                         patient: int) -> None:
    """A form's first save records its status, each value once (a new value is active
    without saying so) and the save itself, in that order, in one chained batch."""
    before = audit_count(db)
    result = save(forms, patient, BASIC, 0)
    with db.read() as session:
        records = session.scalars(select(AuditRecord).where(AuditRecord.seq > before)
                                  .order_by(AuditRecord.seq)).all()
    stored = result.snapshot.values
    assert [(r.action, r.table_name, r.item) for r in records] == [
        ("INSERT", "form_data", "status"),
        *[("INSERT", "item_value", "value")] * len(stored),
        ("FORM_SAVED", "form_data", "version")]
    assert sorted(r.new_value for r in records[1:-1]) == sorted(stored.values())
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
    assert len({r.timestamp_utc for r in records}) == len(records)
    assert_trail_ok(db)


def test_form_version_is_kept(db: Database, forms: FormService, patient: int) -> None:
    save(forms, patient, BASIC, 0)
    with db.read() as session:
        (fd,) = session.query(FormData).all()
        assert fd.form_version == "2.1" and fd.event_oid == EVENT and fd.event_repeat == 1


def test_incomplete_form_is_saved_in_progress_with_warnings(forms: FormService,
                                                           patient: int) -> None:
    result = save(forms, patient, {K("DAT"): "25/02/2010"}, 0)
    assert result.snapshot.status == "in_progress"
    missing = {m.key for m in result.messages if m.check_oid == CHECK_REQUIRED}
    assert missing == {K("PLT"), K("SEX")}  # PREG is hidden until SEX is F


def test_hard_error_refuses_the_whole_save(db: Database, forms: FormService,
                                           patient: int) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as caught:
        save(forms, patient, {**BASIC, K("PLT"): "-5", K("CNT"): "12a",
                              K("AESTART", 1, AE): "31/02/2010"}, 0)
    assert caught.value.fields == {
        str(K("PLT")): "Platelets cannot be negative",
        str(K("CNT")): '"12a" is not a number: it contains letters',
        str(K("AESTART", 1, AE)): "31/02/2010 is not a date",
    }
    assert audit_count(db) == before
    assert forms.open(patient, EVENT, 1, FORM).version == 0


def test_edit_check_error_refuses_and_warning_remains(forms: FormService, patient: int) -> None:
    with pytest.raises(ValidationError) as caught:
        save(forms, patient, {**BASIC, K("AESTART", 1, AE): "26/02/2010",
                              K("AESTOP", 1, AE): "25/02/2010"}, 0)
    assert caught.value.fields == {str(K("AESTOP", 1, AE)): "The end is before the start."}
    result = save(forms, patient, {**BASIC, K("CNT"): "12"}, 0)
    assert FieldMessage(K("CNT"), "warning", "Unusually many.", "EC.TST.COUNT") in result.messages


def test_cross_form_consent_check(forms: FormService, patient: int) -> None:
    with pytest.raises(ValidationError) as caught:
        save(forms, patient, {**BASIC, K("DAT"): "19/02/2010"}, 0)
    assert caught.value.fields == {str(K("DAT")): "Before consent."}


def test_ctcae_grade_must_exist_for_the_term(forms: FormService, patient: int) -> None:
    # CTCAE v4.03 "Death NOS" (10011906) has grade 5 only.
    with pytest.raises(ValidationError) as caught:
        save(forms, patient, {**BASIC, K("TERM", 1, AE): "Death NOS", K("GRADE", 1, AE): "2"}, 0)
    assert caught.value.fields == {str(K("GRADE", 1, AE)): "Grade not defined for the term."}
    canonical, messages = forms.check_field(FORM, K("TERM", 1, AE), "Not a term", {})
    assert canonical is None and "is not a CTCAE v4.03 term" in messages[0].text


def test_future_date_refused(forms: FormService) -> None:
    canonical, messages = forms.check_field(FORM, K("DAT"), "02/03/2010", {})
    assert canonical is None
    assert messages == [FieldMessage(K("DAT"), "error", "02/03/2010 is in the future", "TYPE")]


def test_a_value_checked_before_is_judged_again_when_today_changes(
        forms: FormService) -> None:
    # Accepted values are remembered: the same text is not parsed again in the next save,
    # but a date's check depends on today's date.
    tomorrow = (TODAY + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert forms.check_field(FORM, K("DAT"), tomorrow, {})[0] is None
    forms._today = TODAY + dt.timedelta(days=1)
    assert forms.check_field(FORM, K("DAT"), tomorrow, {}) == (
        (TODAY + dt.timedelta(days=1)).isoformat(), [])
    forms._today = TODAY
    canonical, messages = forms.check_field(FORM, K("DAT"), tomorrow, {})
    assert canonical is None and messages[0].text == f"{tomorrow} is in the future"
    # A remembered value keeps its own messages out of every other field's.
    assert forms.check_field(FORM, K("PLT"), "2500", {})[0] is None
    assert forms.check_field(FORM, K("PLT"), "150", {}) == ("150", [])
    assert forms.check_field(FORM, K("PLT"), "2500", {})[0] is None


def test_check_field_ranges(forms: FormService) -> None:
    assert forms.check_field(FORM, K("PLT"), "150", {}) == ("150", [])
    canonical, messages = forms.check_field(FORM, K("PLT"), "2500", {})
    assert canonical is None
    assert messages == [FieldMessage(
        K("PLT"), "error",
        "Platelets: 2500 10^9/L is above the highest possible value (2000 10^9/L)", "RANGE")]
    canonical, messages = forms.check_field(FORM, K("PLT"), "12", {})
    assert canonical == "12" and messages[0].severity == "warning"
    assert messages[0].text.startswith("Confirm value: Platelets 12")
    assert messages[0].check_oid == CHECK_SOFT_RANGE
    canonical, messages = forms.check_field(FORM, K("BMI"), "22", {})
    assert canonical is None and messages[0].severity == "error"


def test_soft_range_needs_confirmation_kept_in_the_audit(db: Database, forms: FormService,
                                                         patient: int) -> None:
    values = {**BASIC, K("PLT"): "12"}
    with pytest.raises(ValidationError) as caught:
        save(forms, patient, values, 0)
    assert list(caught.value.fields) == [str(K("PLT"))]
    assert "Confirm value" in str(caught.value)
    result = save(forms, patient, values, 0,
                  confirmations={K("PLT"): "checked on the lab report"})
    assert K("PLT") in result.snapshot.confirmed_warnings
    with db.read() as session:
        reasons = [r.reason for r in session.query(AuditRecord).filter_by(
            table_name="item_value", item="value", new_value="12")]
    assert reasons == ["Value confirmed: checked on the lab report"]
    # Unchanged confirmed values are not asked again.
    again = save(forms, patient, dict(result.snapshot.values), 1)
    assert K("PLT") in again.snapshot.confirmed_warnings


def test_computed_value_warning_needs_confirmation(forms: FormService, patient: int) -> None:
    values = {**BASIC, K("WT"): "150", K("HT"): "160"}
    assert forms.computed_values(patient, EVENT, 1, FORM, values) == {K("BMI"): "58.6"}
    with pytest.raises(ValidationError) as caught:
        save(forms, patient, values, 0)
    assert list(caught.value.fields) == [str(K("BMI"))]
    save(forms, patient, values, 0, confirmations={K("BMI"): "obese patient, weighed twice"})


def test_reason_required_for_changes(db: Database, forms: FormService, patient: int) -> None:
    save(forms, patient, {**BASIC, K("NOTE"): "first"}, 0)
    changed = {**BASIC, K("PLT"): "140"}  # NOTE cleared, PLT changed, CNT added
    changed[K("CNT")] = "2"
    before = audit_count(db)
    with pytest.raises(ReasonRequired) as caught:
        save(forms, patient, changed, 1)
    assert caught.value.keys == (K("NOTE"), K("PLT"))
    assert audit_count(db) == before
    result = save(forms, patient, changed, 1,
                  reasons={K("NOTE"): "entered in the wrong patient", K("PLT"): "typo"})
    assert K("NOTE") not in result.snapshot.values
    history = forms.history(patient, EVENT, 1, FORM, K("PLT"))
    assert [(h.who, h.old, h.new, h.reason, h.action) for h in history] == [
        ("marie", None, "150", "", "INSERT"), ("marie", "150", "140", "typo", "UPDATE")]
    assert all(h.when.tzinfo is dt.UTC for h in history)
    assert forms.history(patient, EVENT, 1, FORM, K("NOTE"))[-1].new is None
    assert forms.history(patient, EVENT, 1, FORM, K("LONG")) == []
    assert_trail_ok(db)


def test_hidden_item_is_cleared_as_no_longer_applicable(db: Database, forms: FormService,
                                                        patient: int) -> None:
    save(forms, patient, BASIC, 0)
    result = save(forms, patient, {**BASIC, K("SEX"): "M"}, 1,
                  reasons={K("SEX"): "wrong box ticked"})
    assert K("PREG") not in result.snapshot.values
    history = forms.history(patient, EVENT, 1, FORM, K("PREG"))
    assert (history[-1].old, history[-1].new, history[-1].reason) == ("N", None, NOT_APPLICABLE)
    # A value typed into a hidden item is neither checked nor saved.
    result = save(forms, patient, {**BASIC, K("SEX"): "M", K("PREG"): "garbage"}, 2)
    assert K("PREG") not in result.snapshot.values
    assert_trail_ok(db)


def test_repeating_rows_add_and_remove_with_reason(db: Database, forms: FormService,
                                                   patient: int) -> None:
    rows = {K("AESTART", 1, AE): "26/02/2010", K("AESTART", 2, AE): "27/02/2010",
            K("AESTOP", 2, AE): "28/02/2010"}
    save(forms, patient, {**BASIC, **rows}, 0)
    without_row_2 = {**BASIC, K("AESTART", 1, AE): "26/02/2010"}
    with pytest.raises(ReasonRequired) as caught:
        save(forms, patient, without_row_2, 1)
    assert caught.value.keys == (K("AESTART", 2, AE), K("AESTOP", 2, AE))
    result = save(forms, patient, without_row_2, 1,
                  reasons={ValueKey(AE, 2, ""): "duplicate of row 1"})
    assert set(result.snapshot.values) == set(without_row_2)
    with db.read() as session:
        inactive = session.query(ItemValue).filter_by(group_repeat=2, active=False).all()
        assert len(inactive) == 2
    removed = forms.history(patient, EVENT, 1, FORM, K("AESTOP", 2, AE))[-1]
    assert (removed.action, removed.old, removed.new, removed.reason) == (
        "REMOVED", "2010-02-28", None, "duplicate of row 1")
    # The row number can be used again: it is restored with the new values.
    result = save(forms, patient, {**without_row_2, K("AESTART", 2, AE): "01/03/2010"}, 2)
    assert result.snapshot.values[K("AESTART", 2, AE)] == "2010-03-01"
    assert_trail_ok(db)


# --------------------------------------------------------------------------- concurrency


def test_second_save_from_the_same_version_is_refused(db: Database, people: dict[str, Any],
                                                      coordinator: Actor, patient: int,
                                                      study: StudyDefinition) -> None:
    other = people["julie"]
    first = FormService(db, coordinator, study, today=TODAY)
    second = FormService(db, other, study, today=TODAY)
    save(first, patient, BASIC, 0)
    opened_by_both = first.open(patient, EVENT, 1, FORM).version
    save(second, patient, {**BASIC, K("PLT"): "95"}, opened_by_both,
         reasons={K("PLT"): "corrected from source"})
    before = audit_count(db)
    with pytest.raises(ConflictError) as caught:
        save(first, patient, {**BASIC, K("CNT"): "4"}, opened_by_both)
    message = str(caught.value)
    assert "julie" in message and "Platelets (150 → 95)" in message
    assert "Your input is kept" in message
    # on a French screen the changed item is named by its French label
    from ctrial_desktop.domain.messages import Style, render
    assert "Plaquettes (150 → 95)" in render(caught.value, Style(language="fr"))
    assert audit_count(db) == before
    assert first.open(patient, EVENT, 1, FORM).values[K("PLT")] == "95"


def test_creating_twice_from_version_zero_conflicts(forms: FormService, patient: int) -> None:
    save(forms, patient, BASIC, 0)
    with pytest.raises(ConflictError, match="marie saved this form"):
        save(forms, patient, BASIC, 0)


# --------------------------------------------------------------------------- permissions


def test_monitor_cannot_save(db: Database, people: dict[str, Any], patient: int,
                             study: StudyDefinition) -> None:
    monitor = people["claire"]
    service = FormService(db, monitor, study, today=TODAY)
    assert service.open(patient, EVENT, 1, FORM).read_only_reason == "Your role cannot edit data"
    with pytest.raises(PermissionDenied):
        save(service, patient, BASIC, 0)
    with pytest.raises(PermissionDenied):
        service.save_draft(patient, EVENT, 1, FORM, BASIC)


def test_coordinator_of_another_site_cannot(db: Database, people: dict[str, Any], patient: int,
                                            study: StudyDefinition) -> None:
    paul = people["paul"]
    service = FormService(db, paul, study, today=TODAY)
    with pytest.raises(PermissionDenied):
        save(service, patient, BASIC, 0)
    with pytest.raises(PermissionDenied):
        service.open(patient, EVENT, 1, FORM)


def test_inactive_site_cannot(db: Database, admin: Actor, forms: FormService,
                              patient: int) -> None:
    SiteService(db, admin).set_active("01", False, "site closed")
    assert "not active" in (forms.open(patient, EVENT, 1, FORM).read_only_reason or "")
    with pytest.raises(PermissionDenied, match="not active"):
        save(forms, patient, BASIC, 0)


@pytest.mark.parametrize(("flag", "why"), [("signed", "Signed by the investigator"),
                                           ("locked", "Locked by the data manager")])
def test_signed_or_locked_form_refuses(db: Database, forms: FormService, patient: int,
                                       flag: str, why: str) -> None:
    save(forms, patient, BASIC, 0)
    with db.write() as session:
        fd = session.query(FormData).one()
        db.audit.update(session, forms.actor.audit_context("01"), fd, {flag: True},
                        f"{flag} for the test")
    snap = forms.open(patient, EVENT, 1, FORM)
    assert (snap.read_only_reason or "").startswith(why) and getattr(snap, flag)
    with pytest.raises(PermissionDenied, match=why):
        save(forms, patient, {**BASIC, K("CNT"): "1"}, 1)
    assert_trail_ok(db)


def test_unknown_item_or_row_is_refused(forms: FormService, patient: int) -> None:
    with pytest.raises(ValidationError):
        save(forms, patient, {ValueKey(MAIN, 1, "I.TST.NOPE"): "1"}, 0)
    with pytest.raises(ValidationError):
        save(forms, patient, {ValueKey(MAIN, 2, "I.TST.CNT"): "1"}, 0)


# --------------------------------------------------------------------------- drafts


def test_drafts_round_trip_per_user(db: Database, people: dict[str, Any], forms: FormService,
                                    patient: int, study: StudyDefinition) -> None:
    assert forms.load_draft(patient, EVENT, 1, FORM) is None
    typed = {K("PLT"): "12a", K("NOTE"): "half-typed 😀"}
    forms.save_draft(patient, EVENT, 1, FORM, typed)
    forms.save_draft(patient, EVENT, 1, FORM, {**typed, K("CNT"): "3"})
    assert forms.load_draft(patient, EVENT, 1, FORM) == {**typed, K("CNT"): "3"}
    other = FormService(db, people["julie"], study, today=TODAY)
    assert other.load_draft(patient, EVENT, 1, FORM) is None
    forms.discard_draft(patient, EVENT, 1, FORM)
    assert forms.load_draft(patient, EVENT, 1, FORM) is None
    forms.save_draft(patient, EVENT, 1, FORM, typed)
    save(forms, patient, BASIC, 0)
    assert forms.load_draft(patient, EVENT, 1, FORM) is None  # a save removes the draft
    assert_trail_ok(db)


# --------------------------------------------------------------------------- real study forms


def test_demographics_computes_age_and_bmi(db: Database, forms: FormService,
                                           patient: int) -> None:
    key = lambda item: ValueKey("IG.DM.MAIN", 1, item)  # noqa: E731
    values = {key("I.DM.VISDAT"): "22/02/2010", key("I.DM.BRTHDAT"): "02/05/1946",
              key("I.DM.SEX"): "F", key("I.DM.CHILDPOT"): "N", key("I.DM.HEIGHT"): "165",
              key("I.DM.WEIGHT"): "60"}
    result = forms.save(patient, EVENT, 1, "F.DM", values, expected_version=0)
    assert result.snapshot.values[key("I.DM.AGE")] == "63"
    assert result.snapshot.values[key("I.DM.BMI")] == "22.0"
    assert result.snapshot.status == "complete"


def test_cycle_day_1_not_before_previous_plus_length_minus_window(
        forms: FormService, patient: int) -> None:
    start = ValueKey("IG.POM.CYCLE", 1, "I.POM.STARTDAT")
    forms.save(patient, "SE.CYCLE", 1, "F.POM", {start: "01/01/2010"}, expected_version=0)
    messages = forms.check_form(patient, "SE.CYCLE", 2, "F.POM", {start: "25/01/2010"})
    assert [m.check_oid for m in messages if m.key == start] == ["EC.POM.CYCLE_START"]
    messages = forms.check_form(patient, "SE.CYCLE", 2, "F.POM", {start: "26/01/2010"})
    assert [m.check_oid for m in messages if m.key == start] == []


def _set_arm(db: Database, patient: int, arm: str) -> None:
    with db.write() as session:  # the arm is written by randomization (not audited here)
        session.get(Patient, patient).arm = arm  # type: ignore[union-attr]


def _pom(day: int, status: str, dose: str = "4") -> dict[ValueKey, str]:
    row = {ValueKey("IG.POM.DAY", day, "I.POM.DAY"): str(day),
           ValueKey("IG.POM.DAY", day, "I.POM.STATUS"): status}
    if status != "NOT_TAKEN":
        row[ValueKey("IG.POM.DAY", day, "I.POM.DOSE")] = dose
    return row


def _fired(messages: list[FieldMessage], check: str) -> list[ValueKey | None]:
    return [m.key for m in messages if m.check_oid == check]


def test_dosing_days_and_dose_level_of_the_arm(db: Database, coordinator: Actor,
                                               patient: int, study: StudyDefinition) -> None:
    _set_arm(db, patient, "POM21")
    forms = FormService(db, coordinator, study, today=TODAY)
    level = ValueKey("IG.POM.CYCLE", 1, "I.POM.LEVEL")
    values = {level: "4", **_pom(21, "TAKEN"), **_pom(22, "TAKEN"), **_pom(23, "NOT_TAKEN")}
    messages = forms.check_form(patient, "SE.CYCLE", 1, "F.POM", values)
    assert _fired(messages, "EC.POM.PLANNED_DAYS") == [ValueKey("IG.POM.DAY", 22, "I.POM.DAY")]
    assert _fired(messages, "EC.POM.CURRENT_LEVEL") == []
    computed = forms.computed_values(patient, "SE.CYCLE", 1, "F.POM", values)
    assert computed == {ValueKey("IG.POM.CYCLE", 1, "I.POM.CUMDOSE"): "8"}
    reduced = FormService(db, coordinator, study, today=TODAY,
                          dose_level=lambda _patient, drug: Decimal(3))
    messages = reduced.check_form(patient, "SE.CYCLE", 1, "F.POM", values)
    assert _fired(messages, "EC.POM.CURRENT_LEVEL") == [level]


def test_death_not_before_last_visit(forms: FormService, patient: int) -> None:
    visit = ValueKey("IG.DM.MAIN", 1, "I.DM.VISDAT")
    forms.save(patient, EVENT, 1, "F.DM", {visit: "22/02/2010"}, expected_version=0)
    death = ValueKey("IG.DEATH.MAIN", 1, "I.DEATH.DAT")
    before = forms.check_form(patient, "SE.DEATH", 1, "F.DEATH", {death: "21/02/2010"})
    assert _fired(before, "EC.DEATH.AFTER_LAST_VISIT") == [death]
    same_day = forms.check_form(patient, "SE.DEATH", 1, "F.DEATH", {death: "22/02/2010"})
    assert _fired(same_day, "EC.DEATH.AFTER_LAST_VISIT") == []


def test_values_of_items_gone_from_a_newer_form_version_are_kept(
        db: Database, coordinator: Actor, forms: FormService, patient: int,
        study: StudyDefinition) -> None:
    save(forms, patient, {**BASIC, K("LONG"): "kept"}, 0)
    data = study.model_dump()
    newer = {**TEST_FORM, "version": "3.0", "item_groups": [
        {**TEST_FORM["item_groups"][0],
         "items": [i for i in _ITEMS if i["oid"] != "I.TST.LONG"]},
        TEST_FORM["item_groups"][1]]}
    data["forms"] = [newer if f["oid"] == FORM else f for f in data["forms"]]
    service = FormService(db, coordinator, StudyDefinition.model_validate(data), today=TODAY)
    result = save(service, patient, {**BASIC, K("CNT"): "1"}, 1)
    assert result.snapshot.values[K("LONG")] == "kept"
    assert result.snapshot.form_version == "2.1"  # the version the data were entered with


# --------------------------------------------------------------------------- property


_CHANGES = st.lists(
    st.fixed_dictionaries({
        "PLT": st.sampled_from(["", "150", "140", "12", "-3", "x"]),
        "SEX": st.sampled_from(["F", "M", ""]),
        "PREG": st.sampled_from(["oui", "non", ""]),
        "NOTE": st.sampled_from(["", "a note", "Robert'); DROP TABLE x;--", "😀 é"]),
        "ROWS": st.integers(0, 3),
    }),
    min_size=1, max_size=5)


@pytest.fixture(scope="module")
def sequence_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Actor]]:
    """One database for every example of the property below (examples add patients)."""
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('seq') / 'trial.sqlite3'}")
    admin = AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
    SiteService(db, admin).create_site("01", "CHRU de Lille", "Lille")
    SiteService(db, admin).set_active("01", True, "site initiation visit done")
    yield db, make_user(db, admin, "marie", RoleGrant(Role.COORDINATOR, "01"))
    db.dispose()


@settings(max_examples=30, deadline=None)
@given(changes=_CHANGES)
def test_audit_trail_verifies_after_any_sequence_of_saves(
        sequence_db: tuple[Database, Actor], study: StudyDefinition,
        changes: list[dict[str, Any]]) -> None:
    db, actor = sequence_db
    patient = screen(db, actor)
    service = FormService(db, actor, study, today=TODAY)
    version = 0
    for change in changes:
        values = {K("DAT"): "25/02/2010", K("PLT"): change["PLT"], K("SEX"): change["SEX"],
                  K("PREG"): change["PREG"], K("NOTE"): change["NOTE"]}
        for row in range(1, change["ROWS"] + 1):
            values[K("AESTART", row, AE)] = f"2{row}/02/2010"
        reasons = {k: "because" for k in values} | {
            ValueKey(AE, r, ""): "row removed" for r in range(1, 4)}
        try:
            result = save(service, patient, values, version, reasons=reasons,
                          confirmations={K("PLT"): "confirmed"})
        except ValidationError as exc:
            event("save refused")
            assert not isinstance(exc, ReasonRequired)
            assert service.open(patient, EVENT, 1, FORM).version == version
            continue
        event("saved")
        version = result.snapshot.version
        assert service.open(patient, EVENT, 1, FORM) == result.snapshot
        assert result.snapshot.values.get(K("PLT")) == {"150": "150", "140": "140",
                                                        "12": "12"}.get(change["PLT"])
    assert_trail_ok(db)


_READING = ("I.X == 1", "I.X > I.Y", "I.X == true", "is_missing(I.X) or I.Y < 3",
            "I.X in ['A', 'B']", "count(I.X) >= 1", "I.X + I.Y == 2")
_ENV_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["A", "B", "1", ""]),
    st.decimals(min_value=-2, max_value=2, places=1), st.dates(),
    st.lists(st.sampled_from(["A", "B"]), max_size=2),
    st.frozensets(st.sampled_from(["A", "B"]), max_size=2))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(st.tuples(st.sampled_from(_READING), _ENV_VALUES, _ENV_VALUES),
                      min_size=1, max_size=25))
def test_an_expression_value_remembered_is_the_expression_value(
        forms: FormService, cases: list[tuple[str, object, object]]) -> None:
    """Conditions and checks are evaluated once per set of values they read: True, 1 and
    Decimal(1) are equal keys, yet not the same value to an expression."""
    for source, x, y in cases:
        env = {"I.X": x, "I.Y": y, "I.Z": "unread"}
        found = forms._value_of(source, env)
        expected = expressions.parse(source).evaluate(env)
        assert (type(found), found) == (type(expected), expected), (source, x, y)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.integers(1, 28), st.sampled_from(["TAKEN", "NOT_TAKEN"]),
                               st.sampled_from(["4", "3", "2"]), st.booleans()), max_size=12),
       level=st.sampled_from([None, "4", "3"]), level_first=st.booleans())
def test_expression_values_added_to_others_are_those_of_all_the_values(
        db: Database, forms: FormService, patient: int,
        rows: list[tuple[int, str, str, bool]], level: str | None, level_first: bool) -> None:
    """A save adds the computed values' typed values to the entered ones' rather than typing
    everything again: the same as typing all the values at once."""
    first: dict[ValueKey, str] = {}
    then: dict[ValueKey, str] = {}
    for day, status, dose, in_first in rows:
        (first if in_first else then).update(_pom(day, status, dose))
    then = {k: v for k, v in then.items() if k not in first}
    if level is not None:
        (first if level_first else then)[ValueKey("IG.POM.CYCLE", 1, "I.POM.LEVEL")] = level
    with db.read() as session:
        ctx = forms._context(session, patient, "SE.CYCLE", 1, "F.POM")
        others = forms._other_values(session, ctx, "SE.CYCLE", 1)
        added = forms._envs(ctx, others, then, adding_to=forms._envs(ctx, others, first))
        whole = forms._envs(ctx, others, {**first, **then})
    assert (added.base, added.rows) == (whole.base, whole.rows)
