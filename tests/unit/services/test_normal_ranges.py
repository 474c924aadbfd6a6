"""Per-site lab normal ranges: permissions, validation, audit, and their use in grading."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import PermissionDenied, ValidationError
from ctrial_desktop.services.forms import ValueKey
from ctrial_desktop.services.lab_grades import lab_grade
from ctrial_desktop.services.normal_ranges import (
    NormalRange,
    NormalRangeService,
    resolve_limits,
    validate_range,
)
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import AuditRecord
from tests.unit.conftest import make_user


@pytest.fixture
def dm(db: Database, admin: Actor, sites: list[str]) -> Actor:
    return make_user(db, admin, "dora", RoleGrant(Role.DATA_MANAGER, None))


def test_data_manager_sets_changes_and_withdraws_a_range_with_audit(db: Database,
                                                                    dm: Actor) -> None:
    service = NormalRangeService(db, dm)
    first = service.set_range("01", "anc", "", "1,8", "7.5", "10^9/L", "lab sheet 2010")
    assert (first.test, first.lln, first.uln, first.unit) == ("ANC", "1.8", "7.5", "10^9/L")
    changed = service.set_range("01", "ANC", "", "2.0", "7.5", "10^9/L", "new analyser")
    assert changed.id == first.id and changed.lln == "2"
    assert [r.test for r in service.list_ranges("01")] == ["ANC"]
    service.deactivate(first.id, "range withdrawn by the lab")
    assert service.list_ranges("01") == []
    assert [r.active for r in service.list_ranges("01", include_inactive=True)] == [False]
    with db.read() as session:
        records = session.scalars(select(AuditRecord).where(
            AuditRecord.table_name == "lab_normal_range").order_by(AuditRecord.seq)).all()
    assert {r.reason for r in records} == {"lab sheet 2010", "new analyser",
                                           "range withdrawn by the lab"}
    update = next(r for r in records if r.item == "lln" and r.action == "UPDATE")
    assert (update.old_value, update.new_value, update.username) == ("1.8", "2", "dora")


def test_only_data_managers_edit_and_site_users_read(db: Database, admin: Actor, dm: Actor,
                                                     coordinator: Actor) -> None:
    NormalRangeService(db, dm).set_range("01", "PLT", "", "150", "400", "10^9/L", "initial")
    with pytest.raises(PermissionDenied):
        NormalRangeService(db, coordinator).set_range("01", "PLT", "", "140", "400", "10^9/L",
                                                      "mine")
    with pytest.raises(PermissionDenied):
        NormalRangeService(db, admin).set_range("01", "PLT", "", "140", "400", "10^9/L", "x")
    assert NormalRangeService(db, coordinator).limits_for("01", "F") == {"PLT": (150.0, 400.0)}
    with pytest.raises(PermissionDenied):
        NormalRangeService(db, coordinator).list_ranges("02")


@pytest.mark.parametrize(("lln", "uln", "unit", "field"), [
    ("abc", "7", "g/L", "lln"), ("8", "7", "g/L", "uln"), ("7", "7", "g/L", "uln"),
    ("", "", "g/L", "lln"), ("1", "7", " ", "unit"), ("-1", "7", "g/L", "lln")])
def test_bad_ranges_are_refused_naming_the_field(lln: str, uln: str, unit: str,
                                                 field: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_range("HGB", "", lln, uln, unit)
    assert field in error.value.fields


def test_reason_required(db: Database, dm: Actor) -> None:
    with pytest.raises(ValidationError):
        NormalRangeService(db, dm).set_range("01", "HGB", "F", "120", "160", "g/L", " ")


def _range(sex: str, lln: str, active: bool = True) -> NormalRange:
    return NormalRange(1, "01", "HGB", sex, lln, "170", "g/L", active)


def test_sex_specific_range_before_both_sexes() -> None:
    ranges = [_range("", "120"), _range("M", "130"), _range("F", "115", active=False)]
    assert resolve_limits(ranges, "HGB", "M") == (130.0, 170.0)
    assert resolve_limits(ranges, "HGB", "F") == (120.0, 170.0)
    assert resolve_limits(ranges, "PLT", "F") is None


@given(lln=st.decimals(min_value=0, max_value=1000, places=2),
       width=st.decimals(min_value="0.01", max_value=1000, places=2))
def test_valid_ranges_round_trip(lln: object, width: object) -> None:
    low, high = str(lln), str(lln + width)  # type: ignore[operator]
    _t, _s, got_low, got_high, _u = validate_range("PLT", "", low, high, "10^9/L")
    assert got_low is not None and got_high is not None
    assert float(got_low) == float(low) and float(got_high) == float(high)


def test_grading_uses_form_limits_then_site_range_and_never_grades_0_without_range() -> None:
    key = ValueKey("IG.HEM.MAIN", 1, "I.HEM.ANC")
    values = {key: "0.8"}
    assert lab_grade(key, values, "4.03") is None
    assert lab_grade(key, values, "4.03", {"ANC": (1.8, 7.5)}) == 3
    own = {**values, ValueKey("IG.HEM.MAIN", 1, "I.HEM.ANC_LLN"): "0.5"}
    assert lab_grade(key, own, "4.03", {"ANC": (1.8, 7.5)}) == 0
    assert lab_grade(key, values, "4.03", {"PLT": (150.0, 400.0)}) is None


def test_csv_round_trip(db: Database, dm: Actor) -> None:
    service = NormalRangeService(db, dm)
    service.set_range("01", "HGB", "M", "130", "170", "g/L", "initial")
    text = service.export_csv(["01"])
    assert text.splitlines() == ["site,test,sex,lln,uln,unit", "01,HGB,M,130,170,g/L"]
    imported = text.replace("01,HGB,M,130", "01,HGB,M,135") + "02,PLT,,150,400,10^9/L\n"
    assert service.import_csv(imported, "annual update") == 2
    assert service.limits_for("01", "M")["HGB"] == (135.0, 170.0)
    with pytest.raises(ValidationError, match="Line 2"):
        service.import_csv("site,test,sex,lln,uln,unit\n01,XYZ,,1,2,g\n", "bad")


def test_casebook_grade_column_uses_site_range_and_says_not_gradable() -> None:
    from ctrial_desktop.reports.casebook import _grade_text

    key = ValueKey("IG.HEM.MAIN", 1, "I.HEM.ANC")
    values = {key: "0.8"}
    assert _grade_text(key, values, "4.03", {}, "en") == "not gradable"
    assert _grade_text(key, values, "4.03", {}, "fr") == "non gradable"
    assert _grade_text(key, values, "4.03", {"ANC": (1.8, 7.5)}, "en") == "3"
    assert _grade_text(key, {}, "4.03", {"ANC": (1.8, 7.5)}, "en") == ""
