"""The coordinator's decision on the dose advice of a cycle, stored in the dosing form.

At the start of each cycle the dose advisor (:meth:`ClinicalService.dose_advice`, from the
latest haematology, the open adverse events and the current dose levels) proposes for
pomalidomide and for dexamethasone separately: give, delay, interrupt, reduce to a level or
discontinue, with the rule that fired. The coordinator (or investigator) accepts it or
overrides it with another level and a reason. The decision is data of the cycle's dosing
form (``F.POM`` / ``F.DEX``, group ``IG.POM.ADVICE`` / ``IG.DEX.ADVICE``): the proposal as
it was when decided (action, level, rule), the decision, the level chosen and the reason.

These items are ``read_only``: only :meth:`DoseDecisionService.decide` writes them, in one
transaction with their audit records (reason "dose advice accepted" or "dose advice
overridden: <reason>"); the proposal is computed again here, never taken from the screen.
A decision may be changed later (a new decision, audited as a change). The form is created
(in progress) when it did not exist yet; a signed or locked form is refused. Needs
``ENTER_DATA`` at the patient's site.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from sqlalchemy import select

from ctrial_desktop.domain.dosing import DEXAMETHASONE, POMALIDOMIDE, DrugAdvice
from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.auth import now_utc
from ctrial_desktop.services.clinical import DOSING_FORMS, ClinicalService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import NotFound, PermissionDenied, ValidationError
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue, Patient, Site
from ctrial_desktop.study import StudyDefinition

ACCEPTED: Final = "ACCEPTED"
OVERRIDDEN: Final = "OVERRIDDEN"
CYCLE_EVENT: Final = "SE.CYCLE"


@dataclass(frozen=True)
class DoseDecision:
    """What was stored: the proposal, the decision and the level chosen (None: none)."""

    drug: str
    cycle: int
    advice: DrugAdvice
    decision: str
    chosen_mg: float | None
    reason: str


def _mg(value: float | None) -> str | None:
    return None if value is None else f"{value:.0f}"


def advice_text(advice: DrugAdvice) -> str:
    """The rule(s) that fired, in words, one per line."""
    return "\n".join(advice.rules)


class DoseDecisionService:
    """Accept or override the dose advice of a cycle (see the module docstring)."""

    def __init__(self, db: Database, actor: Actor, study: StudyDefinition) -> None:
        self.db = db
        self.actor = actor
        self.study = study
        self.clinical = ClinicalService(db, actor, study)

    def proposal(self, patient_id: int, drug: str, cycle: int) -> DrugAdvice | None:
        """The advisor's proposal for ``drug`` at the start of ``cycle`` (from the dose levels
        of the cycles before it); None once treatment ended."""
        found = self.clinical.dose_advice(patient_id, cycle_start=True, before_cycle=cycle)
        if found.advice is None:
            return None
        return found.advice.pomalidomide if drug == POMALIDOMIDE else found.advice.dexamethasone

    def decide(self, patient_id: int, cycle: int, drug: str, *, accept: bool,
               level_mg: str | float | None = None, reason: str = "") -> DoseDecision:
        """Store the decision on the current proposal for ``drug`` in cycle ``cycle``."""
        if drug not in (POMALIDOMIDE, DEXAMETHASONE):
            raise ValidationError(Message("Unknown drug {drug!r}.", drug=drug))
        advice = self.proposal(patient_id, drug, cycle)
        if advice is None:
            raise ValidationError(Message("The treatment has ended: there is no dose advice to "
                                          "decide."))
        reason = reason.strip()
        levels = self.clinical.dose_rules.levels(drug)
        if accept:
            chosen = advice.next_level_mg
            reason = ""
        else:
            if not reason:
                raise ValidationError(Message("Give the reason for not following the advice."),
                                      {"reason": "required"})
            chosen = self._level(level_mg, levels)
        form_oid, prefix = next((f, p) for d, f, p in DOSING_FORMS if d == drug)
        group = f"IG.{prefix[2:]}.ADVICE"
        values = {f"{prefix}.ADV_ACTION": advice.action.name,
                  f"{prefix}.ADV_LEVEL": _mg(advice.next_level_mg),
                  f"{prefix}.ADV_RULE": advice_text(advice) or None,
                  f"{prefix}.ADV_DECISION": ACCEPTED if accept else OVERRIDDEN,
                  f"{prefix}.ADV_CHOSEN": _mg(chosen),
                  f"{prefix}.ADV_REASON": reason or None}
        why = "dose advice accepted" if accept else f"dose advice overridden: {reason}"
        self._write(patient_id, cycle, form_oid, group, values, why)
        return DoseDecision(drug, cycle, advice, ACCEPTED if accept else OVERRIDDEN, chosen,
                            reason)

    @staticmethod
    def _level(level_mg: str | float | None, levels: tuple[float, ...]) -> float | None:
        if level_mg is None or (isinstance(level_mg, str) and not level_mg.strip()):
            return None  # no dose this cycle (held or stopped)
        try:
            value = float(Decimal(str(level_mg).strip().replace(",", ".")))
        except InvalidOperation:
            raise ValidationError(Message("The dose level must be a number, not {level_mg!r}.",
                                          level_mg=level_mg),
                                  {"level": "number"}) from None
        if value not in levels:
            allowed = ", ".join(f"{x:g}" for x in levels)
            raise ValidationError(Message("{value:g} mg is not a dose level ({allowed} mg).",
                                          value=value, allowed=allowed),
                                  {"level": "level"})
        return value

    def _write(self, patient_id: int, cycle: int, form_oid: str, group: str,
               values: dict[str, str | None], reason: str) -> None:
        with self.db.write() as session:
            found = session.execute(select(Patient, Site.code)
                                    .join(Site, Patient.site_id == Site.id)
                                    .where(Patient.id == patient_id)).first()
            if found is None:
                raise NotFound(Message("No patient #{patient_id}.", patient_id=patient_id))
            patient, site = found
            self.actor.require(Action.ENTER_DATA, site)
            if patient.locked:
                raise PermissionDenied(Message("The patient's data are locked by the data "
                                               "manager."))
            ctx = self.actor.audit_context(site)
            audit = self.db.audit
            fd = session.scalar(select(FormData).where(
                FormData.patient_id == patient_id, FormData.event_oid == CYCLE_EVENT,
                FormData.event_repeat == cycle, FormData.form_oid == form_oid))
            if fd is not None and (fd.locked or fd.signed or not fd.active):
                raise PermissionDenied(Message("This dosing form is signed, locked or removed: "
                                               "the decision cannot be stored in it."))
            if fd is None:
                form = self.study.form(form_oid)
                fd = FormData(patient_id=patient_id, event_oid=CYCLE_EVENT, event_repeat=cycle,
                              form_oid=form_oid, form_version=form.version,
                              status="in_progress", signed=False, locked=False,
                              verified=False, active=True, version=1, updated_at=now_utc())
                audit.insert(session, ctx, fd, reason="form first saved (dose advice decision)")
            else:
                fd.version += 1
                fd.updated_at = now_utc()
            rows = {r.item_oid: r for r in session.scalars(select(ItemValue).where(
                ItemValue.form_data_id == fd.id, ItemValue.item_group_oid == group))}
            for item_oid, value in values.items():
                row = rows.get(item_oid)
                if row is None:
                    if value is not None:
                        audit.insert(session, ctx, ItemValue(
                            form_data_id=fd.id, item_group_oid=group, group_repeat=1,
                            item_oid=item_oid, value=value, active=True), reason=reason)
                elif not row.active:
                    if value is not None:
                        audit.update(session, ctx, row, {"active": True, "value": value}, reason)
                elif value is None:
                    audit.update(session, ctx, row, {"active": False}, reason)
                else:
                    audit.update(session, ctx, row, {"value": value}, reason)
