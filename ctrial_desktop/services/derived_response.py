"""The IMWG response written into each disease assessment (``I.DA.RESP_DERIVED``).

The derived response is data of the form, not only a display: it is stored, audited and
printed like any value, so that the investigator's response (``I.DA.RESP_INV``, with
``I.DA.RESP_OVERRIDE_REASON`` when it differs) is always read beside it.

When it is recomputed: whenever a form the engine reads is saved - a disease assessment
(``F.DA``, including the screening one that is the baseline), the medical history
(``F.MH``, involved light chain) or a follow-up (``F.FU``, start of a new therapy) - all
the patient's on-study assessments are evaluated again (:mod:`ctrial_desktop.services.clinical`
maps the forms, with the study's IMWG settings) inside the same write transaction as the
save. Each changed value is written with the audit reason :data:`DERIVED_REASON` under the
saving user's identity. A dated assessment before any new therapy gets the category of the
engine, ``NE`` when it cannot be evaluated; an undated one or one after a new therapy gets
no value. Locked and signed forms are left as they are (their data change only after the
lock or the signature is withdrawn, and their next save derives the value again). Another
assessment whose value changes gets a new form version, so that an editor holding the old
value must reopen it (conflict) instead of writing the old value back. The item is
``read_only``: whatever a client sends for it, the save keeps the stored value
(:func:`keep_read_only`); the value of the assessment being entered is derived as it is
typed (:func:`live_derived`, with the form's computed items), so that the reason of a
differing investigator's response is required from the first save.

The investigator's response is entered like other data - by the investigator, or by a
coordinator transcribing the investigator's assessment from the source - and is covered by
the investigator's signature of the form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctrial_desktop.services.auth import now_utc
from ctrial_desktop.services.clinical import dated_assessments, evaluate_forms, imwg_inputs
from ctrial_desktop.services.engine_settings import imwg_settings
from ctrial_desktop.services.export import StoredForm, stored_forms
from ctrial_desktop.store.audit import AuditContext, AuditWriter
from ctrial_desktop.store.models import FormData, ItemValue
from ctrial_desktop.study import StudyDefinition

DERIVED_ITEM: Final = "I.DA.RESP_DERIVED"
DERIVED_GROUP: Final = "IG.DA.RESPONSE"
DERIVED_REASON: Final = "derived by IMWG engine"
#: Forms whose save can change a derived response.
RESPONSE_INPUT_FORMS: Final = frozenset({"F.DA", "F.MH", "F.FU"})


class _Keyed(Protocol):
    @property
    def item_oid(self) -> str: ...


K = TypeVar("K", bound=_Keyed)


def derived_values(study: StudyDefinition, forms: Sequence[StoredForm]
                   ) -> dict[tuple[str, int], str | None]:
    """(event OID, repeat) of each on-study disease assessment -> derived code or None."""
    wanted: dict[tuple[str, int], str | None] = {
        (f.event_oid, f.event_repeat): None for f in forms
        if f.form_oid == "F.DA" and f.event_oid != "SE.SCREEN"}
    if not wanted:
        return wanted
    inputs = imwg_inputs(forms)
    new_therapy = None if isinstance(inputs, str) else inputs[2]
    result, _count, _base, _note = evaluate_forms(forms, imwg_settings(study))
    by_date = {item.date: item for item in result.assessments} if result else {}
    for day, form in dated_assessments(forms):
        if new_therapy is not None and day >= new_therapy:
            continue
        item = by_date.get(day)
        code = item.response.name if item is not None and item.response is not None else "NE"
        wanted[(form.event_oid, form.event_repeat)] = code
    return wanted


def live_derived(session: Session, study: StudyDefinition, patient_id: int, event_oid: str,
                 event_repeat: int, values: Mapping[K, str]) -> str | None:
    """The derived response of one assessment for the values being entered (the patient's
    other forms as stored): shown while typing and stored with the form's save."""
    known = {form.oid for form in study.forms}
    forms = [f for f in stored_forms(session, [patient_id]) if f.form_oid in known and not (
        f.form_oid == "F.DA" and f.event_oid == event_oid and f.event_repeat == event_repeat)]
    forms.append(StoredForm(patient_id, event_oid, event_repeat, "F.DA", "in_progress",
                            {(k.group_oid, k.repeat, k.item_oid): v  # type: ignore[attr-defined]
                             for k, v in values.items()}))
    return derived_values(study, forms).get((event_oid, event_repeat))


def update_derived_responses(session: Session, audit: AuditWriter, ctx: AuditContext,
                             study: StudyDefinition, patient_id: int,
                             saving_form_id: int | None = None) -> int:
    """Recompute and store the derived response of every assessment; returns changes."""
    session.flush()
    forms = [f for f in stored_forms(session, [patient_id])
             if f.form_oid in {form.oid for form in study.forms}]
    wanted = derived_values(study, forms)
    if not wanted:
        return 0
    instances = session.scalars(select(FormData).where(
        FormData.patient_id == patient_id, FormData.form_oid == "F.DA",
        FormData.active.is_(True))).all()
    changed = 0
    for fd in instances:
        key = (fd.event_oid, fd.event_repeat)
        if key not in wanted or fd.locked or fd.signed:
            continue
        new = wanted[key]
        row = session.scalar(select(ItemValue).where(
            ItemValue.form_data_id == fd.id, ItemValue.item_group_oid == DERIVED_GROUP,
            ItemValue.group_repeat == 1, ItemValue.item_oid == DERIVED_ITEM))
        old = row.value if row is not None and row.active else None
        if old == new:
            continue
        if row is None:
            audit.insert(session, ctx, ItemValue(
                form_data_id=fd.id, item_group_oid=DERIVED_GROUP, group_repeat=1,
                item_oid=DERIVED_ITEM, value=new, active=True), reason=DERIVED_REASON)
        elif not row.active:
            audit.update(session, ctx, row, {"active": True, "value": new}, DERIVED_REASON)
        else:
            audit.update(session, ctx, row, {"value": new}, DERIVED_REASON)
        if fd.id != saving_form_id:
            fd.version += 1
            fd.updated_at = now_utc()
        changed += 1
    return changed


def keep_read_only(study: StudyDefinition, form_oid: str, final: Mapping[K, str],
                   stored: Mapping[K, str]) -> dict[K, str]:
    """``final`` with every read-only item as stored (clients never write them)."""
    form = study.form(form_oid)
    read_only = {item.oid for group in form.item_groups for item in group.items
                 if item.read_only}
    if not read_only:
        return dict(final)
    kept = {k: v for k, v in final.items() if k.item_oid not in read_only}
    kept.update({k: v for k, v in stored.items() if k.item_oid in read_only})
    return kept
