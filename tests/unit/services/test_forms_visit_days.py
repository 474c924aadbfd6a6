"""Forms due on several days of a cycle: one instance per day (haematology days 1-22)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ctrial_desktop.services.errors import NotFound
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData
from tests.unit.services import test_forms as base

study = base.study
template = base.template
db = base.db
people = base.people
coordinator = base.coordinator
patient = base.patient
forms = base.forms
assert_trail_ok = base.assert_trail_ok

HEM = "IG.HEM.MAIN"


def H(item: str) -> ValueKey:
    return ValueKey(HEM, 1, "I.HEM." + item)


def counts(date: str, anc: str, plt: str) -> dict[ValueKey, str]:
    return {H("DAT"): date, H("HGB"): "105", H("WBC"): "4.10", H("ANC"): anc,
            H("LYM"): "1.10", H("PLT"): plt}


def test_each_cycle_day_is_its_own_instance(db: Database, forms: FormService,
                                            patient: int) -> None:
    day1 = forms.save(patient, "SE.CYCLE", 1, "F.HEM", counts("22/02/2010", "2.10", "180"),
                      expected_version=0)
    assert day1.snapshot.visit_day == 1 and day1.snapshot.status == "complete"
    assert forms.open(patient, "SE.CYCLE", 1, "F.HEM", day=8).version == 0
    day8 = forms.save(patient, "SE.CYCLE", 1, "F.HEM", counts("01/03/2010", "0.80", "95"),
                      expected_version=0, day=8)
    assert day8.snapshot.visit_day == 8
    assert day8.snapshot.form_data_id != day1.snapshot.form_data_id
    reopened = forms.open(patient, "SE.CYCLE", 1, "F.HEM", day=1)
    assert reopened.values[H("ANC")] == "2.10" and reopened.version == 1
    assert forms.open(patient, "SE.CYCLE", 1, "F.HEM").values == reopened.values  # default
    assert forms.open(patient, "SE.CYCLE", 1, "F.HEM", day=8).values[H("ANC")] == "0.80"
    # A change of day 8 needs a reason and leaves day 1 alone.
    forms.save(patient, "SE.CYCLE", 1, "F.HEM", {**counts("01/03/2010", "0.85", "95")},
               expected_version=1, day=8, reasons={H("ANC"): "transcription error"})
    assert forms.open(patient, "SE.CYCLE", 1, "F.HEM", day=1).version == 1
    history = forms.history(patient, "SE.CYCLE", 1, "F.HEM", H("ANC"), day=8)
    assert [(h.old, h.new) for h in history] == [(None, "0.80"), ("0.80", "0.85")]
    assert [(h.old, h.new) for h in forms.history(patient, "SE.CYCLE", 1, "F.HEM",
                                                  H("ANC"))] == [(None, "2.10")]
    with db.read() as session:
        rows = session.execute(select(FormData.visit_day, FormData.version)
                               .where(FormData.form_oid == "F.HEM")
                               .order_by(FormData.visit_day)).all()
    assert [tuple(r) for r in rows] == [(1, 1), (8, 2)]
    assert_trail_ok(db)


def test_days_the_form_is_not_due_on_are_not_found(forms: FormService, patient: int) -> None:
    with pytest.raises(NotFound, match="day 9"):
        forms.open(patient, "SE.CYCLE", 1, "F.HEM", day=9)
    with pytest.raises(NotFound, match="day 8"):
        forms.open(patient, "SE.CYCLE", 1, "F.POM", day=8)  # dosing: day 1 only
    with pytest.raises(NotFound):
        forms.save(patient, "SE.SCREEN", 1, "F.HEM", counts("18/02/2010", "2.0", "200"),
                   expected_version=0, day=8)  # screening: one blood count
    assert forms.open(patient, "SE.SCREEN", 1, "F.HEM").visit_day == 1


def test_drafts_are_kept_per_day(forms: FormService, patient: int) -> None:
    forms.save_draft(patient, "SE.CYCLE", 2, "F.HEM", {H("ANC"): "0,4"}, day=15)
    assert forms.load_draft(patient, "SE.CYCLE", 2, "F.HEM") is None
    assert forms.load_draft(patient, "SE.CYCLE", 2, "F.HEM", day=15) == {H("ANC"): "0,4"}
    forms.save_draft(patient, "SE.CYCLE", 2, "F.HEM", {H("ANC"): "1,9"})
    assert forms.load_draft(patient, "SE.CYCLE", 2, "F.HEM", day=15) == {H("ANC"): "0,4"}
    forms.save(patient, "SE.CYCLE", 2, "F.HEM", counts("22/02/2010", "0.40", "60"),
               expected_version=0, day=15)
    assert forms.load_draft(patient, "SE.CYCLE", 2, "F.HEM", day=15) is None
    assert forms.load_draft(patient, "SE.CYCLE", 2, "F.HEM", day=1) == {H("ANC"): "1,9"}
    forms.discard_draft(patient, "SE.CYCLE", 2, "F.HEM", day=1)
    assert forms.load_draft(patient, "SE.CYCLE", 2, "F.HEM") is None


def test_checks_and_computed_values_name_the_day(forms: FormService, patient: int) -> None:
    values = counts("27/02/2010", "5.00", "150")
    messages = forms.check_form(patient, "SE.CYCLE", 1, "F.HEM", values, day=22)
    assert any(m.check_oid == "EC.HEM.ANC_LE_WBC" for m in messages)
    assert forms.computed_values(patient, "SE.CYCLE", 1, "F.HEM", values, day=22) == {}
    with pytest.raises(NotFound):
        forms.check_form(patient, "SE.CYCLE", 1, "F.HEM", values, day=2)
