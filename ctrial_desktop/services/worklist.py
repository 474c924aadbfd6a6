"""The "to do" list of the logged-in user: what is late or waiting for them.

Categories, each only for the roles that act on it:

* ``overdue`` (data entry): the next visit of a patient on treatment is cycle *n + 1*
  day 1, due one cycle length after cycle *n*'s day 1 (``I.POM.STARTDAT``); of a
  patient off treatment or in follow-up, the next follow-up, due
  ``follow_up_interval_months`` after the end of treatment or the last follow-up.
  A visit is overdue once the window (``default_window_days`` /
  ``follow_up_window_days``) has passed with no form of that visit (PROTOCOL section 8).
  While the patient is on treatment, a form due on a later day of an entered cycle
  (haematology on days 8, 15 and 22) is due that many days after the cycle's day 1 and
  overdue once the same window has passed without its instance of that day.
* ``in_progress`` (data entry): forms saved with required items missing, and the
  user's own unsaved drafts.
* ``query``: queries to answer (site staff: open) or to close (the raisers' roles:
  answered).
* ``signature`` (investigators): complete, unsigned forms, one line per patient.
* ``sae`` (data entry, investigators): serious adverse events without the date their
  report was sent (``I.AE.SAE_REPORTDAT``), due ``sae_report_hours`` after the site
  became aware (PROTOCOL section 7: within 24 hours).
* ``lab`` (data entry, investigators): haematology and chemistry values of CTCAE grade
  3 or more (graded with the form's limits, else the site's normal range for the
  patient's sex), until an adverse event of the same CTCAE term starting within
  ``LAB_AE_WINDOW_DAYS`` of the sample is recorded, or the value is reviewed as not
  clinically significant (:meth:`WorklistService.mark_lab_not_significant`, audited).
  The window is a [default] of ours: the protocol asks for the AE, not a matching rule.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import or_, select

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.domain.values import to_date
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import NotFound, ValidationError
from ctrial_desktop.services.forms import ValueKey
from ctrial_desktop.services.lab_grades import lab_grade, lab_grading, lab_test_of
from ctrial_desktop.services.normal_ranges import NormalRangeService
from ctrial_desktop.services.patients import PatientRow, PatientService
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue, Patient, Site
from ctrial_desktop.store.models_clinical import LabReview
from ctrial_desktop.store.models_forms import FormDraft
from ctrial_desktop.store.models_review import Query
from ctrial_desktop.study import StudyDefinition

CATEGORIES: Final = ("sae", "lab", "overdue", "query", "in_progress", "signature")
#: Days between a grade >= 3 sample and the start of an AE of the same term that covers it.
LAB_AE_WINDOW_DAYS: Final = 14
LAB_FORMS: Final = ("F.HEM", "F.CHEM")
_ON_TREATMENT: Final = frozenset({"randomized", "on_treatment"})
_AFTER_TREATMENT: Final = frozenset({"off_treatment", "follow_up"})
#: (form id, event, repeat, form, item, group repeat, value, visit day) of a stored value.
_Row = tuple[int, str, int, str, str, int, str, int]


@dataclass(frozen=True)
class TodoItem:
    """One line of the to-do list (plain data; the screen words it in the user's language).

    ``due`` is the date the item became due (or since when it waits); ``detail`` holds
    the facts the line shows (cycle number, form name, grade, value...). The target
    (event, repeat, form, item) is where the screen opens the patient.
    """

    category: str
    patient_id: int
    patient_number: str
    site_code: str
    due: dt.date | None
    detail: dict[str, str]
    event_oid: str = ""
    event_repeat: int = 1
    form_oid: str = ""
    form_data_id: int | None = None
    item_oid: str = ""
    group_repeat: int = 1
    overdue: bool = False
    #: The planned day of the visit of the target form instance (cycle day, else 1).
    visit_day: int = 1


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months, kept within the target month (31/01 + 1 -> 28/02)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class WorklistService:
    """The to-do list of ``actor`` over the patients they may see."""

    def __init__(self, db: Database, actor: Actor, study: StudyDefinition, *,
                 today: dt.date | None = None, now: dt.datetime | None = None) -> None:
        self.db = db
        self.actor = actor
        self.study = study
        self._today = today
        self._now = now
        self._terms: dict[str, str] | None = None

    def term_name(self, meddra_code: str) -> str:
        """The CTCAE term of a MedDRA code (the code itself when unknown)."""
        if self._terms is None:
            from ctrial_desktop.domain.ctcae import load_ctcae_terms
            from ctrial_desktop.paths import resources_dir

            terms = load_ctcae_terms(resources_dir() / "ctcae", self.study.settings.ctcae.version)
            self._terms = {t.meddra_code: t.term for t in terms}
        return self._terms.get(meddra_code, meddra_code)

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    @property
    def now(self) -> dt.datetime:
        return self._now or dt.datetime.now()

    # ------------------------------------------------------------------ the list

    def items(self) -> list[TodoItem]:
        """Everything on the user's list, most urgent category first, oldest first."""
        actor = self.actor
        if not actor.can(Action.VIEW_PATIENTS):
            return []
        patients = {p.id: p for p in PatientService(self.db, actor).list_patients()}
        if not patients:
            return []
        enters = actor.can(Action.ENTER_DATA)
        signs = actor.can(Action.SIGN)
        values = self._values(patients) if (enters or signs) else {}
        found: list[TodoItem] = []
        if enters or signs:
            found += self._sae(patients, values)
            found += self._labs(patients, values)
        if enters:
            found += self._overdue(patients, values)
            found += self._in_progress(patients)
        found += self._queries(patients)
        if signs:
            found += self._signatures(patients)
        order = {c: i for i, c in enumerate(CATEGORIES)}
        return sorted(found, key=lambda i: (order[i.category], i.due or dt.date.max,
                                            i.patient_number, i.event_repeat, i.visit_day))

    # ------------------------------------------------------------------ data

    def _values(self, patients: dict[int, PatientRow]) -> dict[int, list[_Row]]:
        """patient -> (form id, event, repeat, form, item, group repeat, value, visit day)
        of the forms the rules read."""
        forms = ("F.POM", "F.EOT", "F.FU", "F.AE", *LAB_FORMS,
                 *(form for form, _day in self._later_day_forms()))
        found: dict[int, list[_Row]] = defaultdict(list)
        ids = sorted(patients)
        with self.db.read() as session:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                rows = session.execute(
                    select(FormData.patient_id, FormData.id, FormData.event_oid,
                           FormData.event_repeat, FormData.form_oid, ItemValue.item_oid,
                           ItemValue.group_repeat, ItemValue.value, FormData.visit_day)
                    .join(ItemValue, ItemValue.form_data_id == FormData.id)
                    .where(FormData.patient_id.in_(chunk), FormData.active.is_(True),
                           FormData.form_oid.in_(forms), ItemValue.active.is_(True),
                           ItemValue.value.is_not(None),
                           # of the dosing forms (28 daily rows) only the cycle's day 1
                           or_(FormData.form_oid != "F.POM",
                               ItemValue.item_oid == "I.POM.STARTDAT")))
                for pid, fid, event, repeat, form, item, group_repeat, value, day in rows:
                    found[pid].append((fid, event, repeat, form, item, group_repeat, value,
                                       day))
        return found

    def _later_day_forms(self) -> list[tuple[str, int]]:
        """(form, day) of the cycle's forms due on days after day 1 (haematology 8, 15, 22)."""
        return sorted({(ref.form, day) for event in self.study.events if event.role == "cycle"
                       for ref in event.forms for day in ref.days if day > 1})

    # ------------------------------------------------------------------ rules

    def _overdue(self, patients: dict[int, PatientRow],
                 values: dict[int, list[_Row]]) -> list[TodoItem]:
        visits = self.study.settings.visits
        today = self.today
        items = []
        for pid, patient in patients.items():
            rows = values.get(pid, [])
            if patient.status in _ON_TREATMENT:
                starts = {repeat: to_date(value) for _f, event, repeat, form, item, _g, value, _d
                          in rows if form == "F.POM" and item == "I.POM.STARTDAT"}
                cycles = {repeat for _f, event, repeat, form, *_rest in rows
                          if event == "SE.CYCLE"}
                if not starts:
                    continue
                items += self._later_days_overdue(pid, patient, rows, starts)
                last = max(starts)
                start = starts[last]
                if start is None or last + 1 in cycles:
                    continue
                due = start + dt.timedelta(days=visits.cycle_length_days)
                if today > due + dt.timedelta(days=visits.default_window_days):
                    items.append(TodoItem("overdue", pid, patient.patient_number,
                                          patient.site_code, due, {"cycle": str(last + 1)},
                                          "SE.CYCLE", last + 1, "F.POM", overdue=True))
            elif patient.status in _AFTER_TREATMENT:
                anchors = [(to_date(value), repeat)
                           for _f, event, repeat, form, item, _g, value, _d in rows
                           if (form, item) in (("F.EOT", "I.EOT.DAT"), ("F.FU", "I.FU.DAT"))]
                anchors = [(d, r) for d, r in anchors if d is not None]
                if not anchors:
                    continue
                last_day = max(d for d, _r in anchors)
                follow_ups = [r for _f, event, r, form, *_rest in rows if form == "F.FU"]
                repeat = max(follow_ups, default=0) + 1
                due = add_months(last_day, visits.follow_up_interval_months)
                if today > due + dt.timedelta(days=visits.follow_up_window_days):
                    items.append(TodoItem("overdue", pid, patient.patient_number,
                                          patient.site_code, due, {"follow_up": str(repeat)},
                                          "SE.FU", repeat, "F.FU", overdue=True))
        return items

    def _later_days_overdue(self, pid: int, patient: PatientRow, rows: list[_Row],
                            starts: dict[int, dt.date | None]) -> list[TodoItem]:
        """Forms of later cycle days (haematology days 8, 15, 22) not entered in time."""
        window = dt.timedelta(days=self.study.settings.visits.default_window_days)
        entered = {(repeat, form, day) for _f, event, repeat, form, *_rest, day in rows
                   if event == "SE.CYCLE"}
        items = []
        for cycle, start in sorted(starts.items()):
            if start is None:
                continue
            for form, day in self._later_day_forms():
                due = start + dt.timedelta(days=day - 1)
                if (cycle, form, day) in entered or self.today <= due + window:
                    continue
                items.append(TodoItem("overdue", pid, patient.patient_number,
                                      patient.site_code, due,
                                      {"cycle": str(cycle), "day": str(day), "form": form},
                                      "SE.CYCLE", cycle, form, overdue=True, visit_day=day))
        return items

    def _in_progress(self, patients: dict[int, PatientRow]) -> list[TodoItem]:
        with self.db.read() as session:
            forms = session.execute(
                select(FormData.patient_id, FormData.id, FormData.event_oid,
                       FormData.event_repeat, FormData.form_oid, FormData.updated_at,
                       FormData.visit_day)
                .where(FormData.patient_id.in_(sorted(patients)), FormData.active.is_(True),
                       FormData.status == "in_progress", FormData.locked.is_(False))).all()
            drafts = session.execute(
                select(FormDraft.patient_id, FormDraft.event_oid, FormDraft.event_repeat,
                       FormDraft.form_oid, FormDraft.updated_at, FormDraft.visit_day)
                .where(FormDraft.user_id == self.actor.user_id)).all()
        items = []
        for pid, fid, event, repeat, form, updated, day in forms:
            patient = patients[pid]
            items.append(TodoItem("in_progress", pid, patient.patient_number, patient.site_code,
                                  updated.date() if updated else None,
                                  {"form": form, "state": "incomplete"}, event, repeat, form,
                                  fid, visit_day=day))
        for pid, event, repeat, form, updated, day in drafts:
            if pid in patients:
                patient = patients[pid]
                items.append(TodoItem("in_progress", pid, patient.patient_number,
                                      patient.site_code, updated.date() if updated else None,
                                      {"form": form, "state": "draft"}, event, repeat, form,
                                      visit_day=day))
        return items

    def _queries(self, patients: dict[int, PatientRow]) -> list[TodoItem]:
        statuses = []
        if self.actor.can(Action.ANSWER_QUERY):
            statuses.append("open")
        if self.actor.can(Action.CLOSE_QUERY):
            statuses.append("answered")
        if not statuses:
            return []
        with self.db.read() as session:
            rows = session.execute(
                select(Query.id, Query.patient_id, Query.form_data_id, Query.item_oid,
                       Query.group_repeat, Query.status, Query.raised_at, FormData.event_oid,
                       FormData.event_repeat, FormData.form_oid, FormData.visit_day)
                .join(FormData, FormData.id == Query.form_data_id)
                .where(Query.active.is_(True), Query.status.in_(statuses),
                       Query.patient_id.in_(sorted(patients)))).all()
        items = []
        for qid, pid, fid, item, group_repeat, status, raised, event, repeat, form, day in rows:
            patient = patients[pid]
            items.append(TodoItem("query", pid, patient.patient_number, patient.site_code,
                                  raised.date(), {"status": status, "form": form,
                                                  "query": str(qid)},
                                  event, repeat, form, fid, item or "", group_repeat,
                                  visit_day=day))
        return items

    def _signatures(self, patients: dict[int, PatientRow]) -> list[TodoItem]:
        with self.db.read() as session:
            rows = session.execute(
                select(FormData.patient_id, FormData.id, FormData.event_oid,
                       FormData.event_repeat, FormData.form_oid, FormData.updated_at,
                       FormData.visit_day)
                .where(FormData.patient_id.in_(sorted(patients)), FormData.active.is_(True),
                       FormData.status == "complete", FormData.signed.is_(False))
                .order_by(FormData.updated_at)).all()
        by_patient: dict[int, list[tuple[int, str, int, str, dt.datetime, int]]] = (
            defaultdict(list))
        for pid, fid, event, repeat, form, updated, day in rows:
            by_patient[pid].append((fid, event, repeat, form, updated, day))
        items = []
        for pid, forms in by_patient.items():
            patient = patients[pid]
            fid, event, repeat, form, updated, day = forms[0]
            items.append(TodoItem("signature", pid, patient.patient_number, patient.site_code,
                                  updated.date() if updated else None,
                                  {"forms": str(len(forms))}, event, repeat, form, fid,
                                  visit_day=day))
        return items

    def _sae(self, patients: dict[int, PatientRow],
             values: dict[int, list[_Row]]) -> list[TodoItem]:
        hours = self.study.settings.ctcae.sae_report_hours
        now = self.now
        items = []
        for pid, rows in values.items():
            events: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
            where: dict[tuple[int, int], tuple[str, int]] = {}
            for fid, event, repeat, form, item, group_repeat, value, _day in rows:
                if form == "F.AE":
                    events[(fid, group_repeat)][item] = value
                    where[(fid, group_repeat)] = (event, repeat)
            patient = patients[pid]
            for (fid, row), ae in events.items():
                if ae.get("I.AE.SERIOUS") != "Y" or ae.get("I.AE.SAE_REPORTDAT"):
                    continue
                aware = to_date(ae.get("I.AE.SAE_AWAREDAT") or ae.get("I.AE.STARTDAT"))
                deadline = (dt.datetime.combine(aware, dt.time()) + dt.timedelta(hours=hours)
                            if aware else None)
                event, repeat = where[(fid, row)]
                items.append(TodoItem(
                    "sae", pid, patient.patient_number, patient.site_code, aware,
                    {"term": self.term_name(ae.get("I.AE.TERM", "")),
                     "grade": ae.get("I.AE.GRADE", ""),
                     "row": str(row),
                     "deadline": deadline.isoformat(timespec="minutes") if deadline else ""},
                    event, repeat, "F.AE", fid, "I.AE.SAE_REPORTDAT", row,
                    overdue=deadline is None or now > deadline))
        return items

    def _labs(self, patients: dict[int, PatientRow],
              values: dict[int, list[_Row]]) -> list[TodoItem]:
        version = self.study.settings.ctcae.version
        ranges = NormalRangeService(self.db, self.actor)
        limits: dict[tuple[str, str], dict[str, tuple[float | None, float | None]]] = {}
        with self.db.read() as session:
            reviewed = {(fid, item, row) for fid, item, row in session.execute(
                select(LabReview.form_data_id, LabReview.item_oid, LabReview.group_repeat)
                .where(LabReview.active.is_(True),
                       LabReview.patient_id.in_(sorted(patients))))}
        items = []
        for pid, rows in values.items():
            patient = patients[pid]
            ae_starts: dict[str, list[dt.date | None]] = defaultdict(list)
            aes: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
            forms: dict[int, tuple[str, int, str, dict[ValueKey, str], int]] = {}
            for fid, event, repeat, form, item, group_repeat, value, day in rows:
                if form == "F.AE":
                    aes[(fid, group_repeat)][item] = value
                elif form in LAB_FORMS and self.study.has_item(item):
                    entry = forms.setdefault(fid, (event, repeat, form, {}, day))
                    group_oid = self.study.group_of_item(item).oid
                    entry[3][ValueKey(group_oid, group_repeat, item)] = value
            for ae in aes.values():
                if "I.AE.TERM" in ae:  # the CTCAE term's MedDRA code
                    ae_starts[ae["I.AE.TERM"]].append(to_date(ae.get("I.AE.STARTDAT")))
            key = (patient.site_code, patient.sex)
            if key not in limits:
                try:
                    limits[key] = ranges.limits_for(patient.site_code, patient.sex)
                except Exception:  # ranges unreadable for this role: form limits only
                    limits[key] = {}
            for fid, (event, repeat, form, form_values, day) in forms.items():
                sample = to_date(next((v for k, v in form_values.items()
                                       if k.item_oid.endswith(".DAT")), None))
                for value_key, value in form_values.items():
                    if lab_test_of(value_key.item_oid) is None:
                        continue
                    graded = lab_grading(value_key, form_values, version, limits[key])
                    if graded is None or graded.grade is None or graded.grade < 3:
                        continue
                    if (fid, value_key.item_oid, value_key.repeat) in reviewed:
                        continue
                    if _covered(ae_starts.get(graded.meddra_code, []), sample):
                        continue
                    items.append(TodoItem(
                        "lab", pid, patient.patient_number, patient.site_code, sample,
                        {"test": graded.test, "term": graded.term, "grade": str(graded.grade),
                         "value": value, "form": form, "day": str(day)},
                        event, repeat, form, fid, value_key.item_oid, value_key.repeat,
                        visit_day=day))
        return items

    # ------------------------------------------------------------------ reviews

    def mark_lab_not_significant(self, form_data_id: int, item_oid: str, group_repeat: int,
                                 reason: str) -> None:
        """Record (audited) that a grade >= 3 value is not clinically significant."""
        if not reason.strip():
            raise ValidationError(Message("Say why the value is not clinically significant."),
                                  {"reason": "required"})
        if lab_test_of(item_oid) is None:
            raise ValidationError(Message("{item_oid} is not a graded laboratory value.",
                                          item_oid=item_oid))
        with self.db.write() as session:
            row = session.execute(
                select(FormData, Patient, Site.code, ItemValue.value)
                .join(Patient, FormData.patient_id == Patient.id).join(Site)
                .join(ItemValue, ItemValue.form_data_id == FormData.id)
                .where(FormData.id == form_data_id, ItemValue.item_oid == item_oid,
                       ItemValue.group_repeat == group_repeat,
                       ItemValue.active.is_(True))).first()
            if row is None:
                raise NotFound(Message("No value {item_oid} in form #{form_data_id}.",
                                       item_oid=item_oid, form_data_id=form_data_id))
            form, patient, code, value = row
            if not (self.actor.can(Action.ENTER_DATA, code) or self.actor.can(Action.SIGN, code)):
                self.actor.require(Action.ENTER_DATA, code)
            ctx = self.actor.audit_context(code)
            existing = session.scalar(select(LabReview).where(
                LabReview.form_data_id == form_data_id, LabReview.item_oid == item_oid,
                LabReview.group_repeat == group_repeat))
            grade = self._grade_of(session, form, patient, code, item_oid, group_repeat)
            if existing is None:
                self.db.audit.insert(session, ctx, LabReview(
                    patient_id=patient.id, form_data_id=form_data_id, item_oid=item_oid,
                    group_repeat=group_repeat, value=value or "", grade=grade or 0,
                    status="not_significant", reason=reason.strip(),
                    reviewed_by=self.actor.username, reviewed_at=self.now, active=True),
                    reason=reason.strip())
            else:
                existing.reason = reason.strip()
                existing.reviewed_by = self.actor.username
                existing.reviewed_at = self.now
                self.db.audit.update(session, ctx, existing,
                                     {"value": value or "", "grade": grade or 0,
                                      "status": "not_significant", "active": True},
                                     reason.strip())

    def withdraw_lab_review(self, form_data_id: int, item_oid: str, group_repeat: int,
                            reason: str) -> None:
        """Put the value back on the list (the review is kept, inactive, with the reason)."""
        if not reason.strip():
            raise ValidationError(Message("A reason is required."), {"reason": "required"})
        with self.db.write() as session:
            review = session.scalar(select(LabReview).where(
                LabReview.form_data_id == form_data_id, LabReview.item_oid == item_oid,
                LabReview.group_repeat == group_repeat, LabReview.active.is_(True)))
            if review is None:
                raise NotFound(Message("No review of this value."))
            code = session.scalar(select(Site.code).join(Patient).where(
                Patient.id == review.patient_id))
            if not (self.actor.can(Action.ENTER_DATA, code) or self.actor.can(Action.SIGN, code)):
                self.actor.require(Action.ENTER_DATA, code)
            self.db.audit.update(session, self.actor.audit_context(code), review,
                                 {"active": False}, reason.strip())

    def _grade_of(self, session: object, form: FormData, patient: Patient, code: str,
                  item_oid: str, group_repeat: int) -> int | None:
        study = self.study
        values = {ValueKey(study.group_of_item(i).oid, r, i): v for i, r, v in
                  session.execute(  # type: ignore[attr-defined]
                      select(ItemValue.item_oid, ItemValue.group_repeat, ItemValue.value)
                      .where(ItemValue.form_data_id == form.id, ItemValue.active.is_(True),
                             ItemValue.value.is_not(None))) if study.has_item(i)}
        try:
            site = NormalRangeService(self.db, self.actor).limits_for(code, patient.sex)
        except Exception:
            site = {}
        key = ValueKey(study.group_of_item(item_oid).oid, group_repeat, item_oid)
        return lab_grade(key, values, study.settings.ctcae.version, site)


def _covered(starts: Iterable[dt.date | None], sample: dt.date | None) -> bool:
    """Whether an AE start lies within the window around the sample date."""
    for start in starts:
        if start is None or sample is None:
            return True
        if abs((start - sample).days) <= LAB_AE_WINDOW_DAYS:
            return True
    return False
