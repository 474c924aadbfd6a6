"""Per-site laboratory normal ranges, kept by data managers (table ``lab_normal_range``).

CTCAE grades are relative to the site's normal range (PROTOCOL section 7). A lab form
may carry its own limits (``I.HEM.ANC_LLN`` / ``_ULN``); when it carries none, grading
uses the site's range for the patient's sex, else the site's range for both sexes
(``sex`` ""). A test with no range at all is "not gradable", never normal.

Permissions: editing needs ``MANAGE_LAB_RANGES`` at the site (data managers: ranges are
clinical reference data, like the queries and locks they already own; administrators
manage accounts and sites, not clinical content). Reading needs the same action or
``VIEW_PATIENTS`` at the site, so that the form editor of investigators and coordinators
grades with it. Every change is one transaction with its audit records and a reason; a
range is never deleted, it is deactivated (``active`` false) and may be set again later.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from sqlalchemy import select

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.auth import now_utc
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import NotFound, PermissionDenied, ValidationError
from ctrial_desktop.services.lab_grades import LAB_ITEMS
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import Site
from ctrial_desktop.store.models_clinical import LabNormalRange

#: The lab tests a range can be kept for (CTCAE test codes).
LAB_TESTS: Final[tuple[str, ...]] = tuple(dict.fromkeys(LAB_ITEMS.values()))
#: Sex of a range: both sexes, male, female.
SEXES: Final[tuple[str, ...]] = ("", "M", "F")
CSV_COLUMNS: Final[tuple[str, ...]] = ("site", "test", "sex", "lln", "uln", "unit")

Limits = tuple[float | None, float | None]


@dataclass(frozen=True)
class NormalRange:
    """One active or withdrawn range as shown on the screen (limits as entered)."""

    id: int
    site_code: str
    test: str
    sex: str
    lln: str | None
    uln: str | None
    unit: str
    active: bool


def _number(text: str | None, field: str) -> str | None:
    if text is None or not text.strip():
        return None
    cleaned = text.strip().replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(Message("{limit} must be a number, not {text!r}.",
                                      limit=field.upper(), text=text.strip()),
                              {field: "number"}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError(Message("{limit} must be a number of 0 or more.",
                                      limit=field.upper()),
                              {field: "number"})
    return format(number.normalize(), "f") if number == number.to_integral() else cleaned


def validate_range(test: str, sex: str, lln: str | None, uln: str | None,
                   unit: str) -> tuple[str, str, str | None, str | None, str]:
    """The cleaned range, or :class:`ValidationError` naming the field at fault."""
    test = test.strip().upper()
    if test not in LAB_TESTS:
        raise ValidationError(Message("Unknown lab test {test!r}: one of {tests}.",
                                      test=test, tests=", ".join(LAB_TESTS)),
                              {"test": "unknown"})
    sex = sex.strip().upper()
    if sex not in SEXES:
        raise ValidationError(Message("Sex is M, F or empty (both sexes)."), {"sex": "invalid"})
    low, high = _number(lln, "lln"), _number(uln, "uln")
    if low is None and high is None:
        raise ValidationError(Message("Enter the LLN, the ULN or both."), {"lln": "required"})
    if low is not None and high is not None and Decimal(low) >= Decimal(high):
        raise ValidationError(Message("The LLN must be below the ULN."), {"uln": "order"})
    if not unit.strip():
        raise ValidationError(Message("The unit is required."), {"unit": "required"})
    return test, sex, low, high, unit.strip()


def resolve_limits(ranges: Iterable[NormalRange], test: str, sex: str | None) -> Limits | None:
    """The active limits of ``test`` for a patient of ``sex``: sex-specific first."""
    active = [r for r in ranges if r.active and r.test == test]
    for wanted in ((sex or "").upper(), ""):
        for r in active:
            if r.sex == wanted:
                return (float(r.lln) if r.lln is not None else None,
                        float(r.uln) if r.uln is not None else None)
    return None


def site_limits(ranges: Iterable[NormalRange], sex: str | None) -> dict[str, Limits]:
    """Test -> limits of one site for a patient of ``sex`` (input of the lab grading)."""
    rows = list(ranges)
    return {test: limits for test in LAB_TESTS
            if (limits := resolve_limits(rows, test, sex)) is not None}


def _row(r: LabNormalRange) -> NormalRange:
    return NormalRange(r.id, r.site_code, r.test, r.sex, r.lln, r.uln, r.unit, r.active)


class NormalRangeService:
    """Listing, setting and withdrawing the normal ranges of a site."""

    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor

    def can_edit(self, site_code: str | None = None) -> bool:
        return self.actor.can(Action.MANAGE_LAB_RANGES, site_code)

    def _require_read(self, site_code: str) -> None:
        if not (self.actor.can(Action.MANAGE_LAB_RANGES, site_code)
                or self.actor.can(Action.VIEW_PATIENTS, site_code)):
            raise PermissionDenied(Message("{username} may not see the normal ranges of site "
                                           "{site_code}.",
                                           username=self.actor.username, site_code=site_code))

    def list_ranges(self, site_code: str, *, include_inactive: bool = False) -> list[NormalRange]:
        """The ranges of one site by test and sex."""
        self._require_read(site_code)
        with self.db.read() as session:
            query = select(LabNormalRange).where(LabNormalRange.site_code == site_code)
            if not include_inactive:
                query = query.where(LabNormalRange.active.is_(True))
            rows = [_row(r) for r in session.scalars(query)]
        order = {t: i for i, t in enumerate(LAB_TESTS)}
        return sorted(rows, key=lambda r: (order.get(r.test, len(order)), SEXES.index(r.sex)
                                           if r.sex in SEXES else 9))

    def limits_for(self, site_code: str, sex: str | None) -> dict[str, Limits]:
        """Test -> (LLN, ULN) used to grade a patient of ``sex`` at the site."""
        return site_limits(self.list_ranges(site_code), sex)

    def set_range(self, site_code: str, test: str, sex: str, lln: str | None, uln: str | None,
                  unit: str, reason: str) -> NormalRange:
        """Create or change (or re-activate) the range of ``test`` and ``sex`` at the site."""
        self.actor.require(Action.MANAGE_LAB_RANGES, site_code)
        test, sex, low, high, unit = validate_range(test, sex, lln, uln, unit)
        if not reason.strip():
            raise ValidationError(Message("A reason is required for this change."),
                                  {"reason": "required"})
        with self.db.write() as session:
            if session.scalar(select(Site.id).where(Site.code == site_code)) is None:
                raise NotFound(Message("No site {site_code}.", site_code=site_code))
            ctx = self.actor.audit_context(site_code)
            row = session.scalar(select(LabNormalRange).where(
                LabNormalRange.site_code == site_code, LabNormalRange.test == test,
                LabNormalRange.sex == sex))
            if row is None:
                row = LabNormalRange(site_code=site_code, test=test, sex=sex, lln=low, uln=high,
                                     unit=unit, active=True, updated_at=now_utc(),
                                     updated_by=self.actor.username)
                self.db.audit.insert(session, ctx, row, reason=reason.strip())
            else:
                changed = self.db.audit.update(
                    session, ctx, row, {"lln": low, "uln": high, "unit": unit, "active": True},
                    reason.strip())
                if changed:
                    row.updated_at = now_utc()
                    row.updated_by = self.actor.username
            return _row(row)

    def deactivate(self, range_id: int, reason: str) -> NormalRange:
        """Withdraw a range (kept, inactive): grading no longer uses it."""
        if not reason.strip():
            raise ValidationError(Message("A reason is required for this change."),
                                  {"reason": "required"})
        with self.db.write() as session:
            row = session.get(LabNormalRange, range_id)
            if row is None:
                raise NotFound(Message("No normal range #{range_id}.", range_id=range_id))
            self.actor.require(Action.MANAGE_LAB_RANGES, row.site_code)
            if self.db.audit.update(session, self.actor.audit_context(row.site_code), row,
                                    {"active": False}, reason.strip()):
                row.updated_at = now_utc()
                row.updated_by = self.actor.username
            return _row(row)

    # -- CSV ------------------------------------------------------------------------
    def export_csv(self, site_codes: Iterable[str]) -> str:
        """The active ranges of the sites as CSV (``site,test,sex,lln,uln,unit``)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for code in site_codes:
            for r in self.list_ranges(code):
                writer.writerow((r.site_code, r.test, r.sex, r.lln or "", r.uln or "", r.unit))
        return out.getvalue()

    def import_csv(self, text: str, reason: str) -> int:
        """Set every range of a CSV (the export's columns); returns the rows changed.

        Every row is checked before any is written; the first bad row stops the import
        with its line number.
        """
        reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(Message("Missing CSV columns: {columns}.",
                                          columns=", ".join(missing)))
        rows: list[Mapping[str, str]] = list(reader)
        for line, data in enumerate(rows, start=2):
            try:
                validate_range(data["test"], data["sex"] or "", data["lln"], data["uln"],
                               data["unit"] or "")
            except ValidationError as exc:
                raise ValidationError(Message("Line {line}: {exc}",
                                              line=line, exc=exc), exc.fields) from None
        before = {(r.site_code, r.test, r.sex, r.lln, r.uln, r.unit)
                  for code in {d["site"] for d in rows} for r in self.list_ranges(code)}
        changed = 0
        for data in rows:
            saved = self.set_range(data["site"], data["test"], data["sex"] or "", data["lln"],
                                   data["uln"], data["unit"] or "", reason)
            if (saved.site_code, saved.test, saved.sex, saved.lln, saved.uln,
                    saved.unit) not in before:
                changed += 1
        return changed
