"""Reading the trial's stored data for an export to statisticians, and recording that export.

The service applies the export permission (``Action.EXPORT``) and limits what it reads to
the sites the user may export. Values are the canonical texts kept in the database (ISO
dates, decimals with a point, codes as stored); only active values of active forms are
read, which are exactly the values :meth:`FormService.open` shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import NotFound
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue, Patient, Randomization, Site


@dataclass(frozen=True)
class ExportPatient:
    """A patient as the export names it."""

    id: int
    patient_number: str
    site_code: str
    status: str
    arm: str | None
    randomized_on: dt.date | None


@dataclass(frozen=True)
class StoredForm:
    """One stored form instance with its active values keyed by (group, row, item)."""

    patient_id: int
    event_oid: str
    event_repeat: int
    form_oid: str
    status: str
    values: dict[tuple[str, int, str], str]
    #: The planned day of the visit (cycle day of a form due on several days, else 1).
    visit_day: int = 1


def stored_forms(session: Session, patient_ids: list[int]) -> list[StoredForm]:
    """The active stored forms of these patients with their active, non-empty values,
    read in ``session`` (also inside a write transaction, which sees its own changes)."""
    instances = session.execute(
        select(FormData.id, FormData.patient_id, FormData.event_oid,
               FormData.event_repeat, FormData.form_oid, FormData.status,
               FormData.visit_day)
        .where(FormData.patient_id.in_(patient_ids), FormData.active.is_(True))
        .order_by(FormData.patient_id, FormData.event_oid,
                  FormData.event_repeat, FormData.form_oid, FormData.visit_day)).all()
    values: dict[int, dict[tuple[str, int, str], str]] = {int(row[0]): {} for row in instances}
    stmt = (select(ItemValue.form_data_id, ItemValue.item_group_oid,
                   ItemValue.group_repeat, ItemValue.item_oid, ItemValue.value)
            .join(FormData, ItemValue.form_data_id == FormData.id)
            .where(FormData.patient_id.in_(patient_ids), FormData.active.is_(True),
                   ItemValue.active.is_(True), ItemValue.value.is_not(None)))
    for form_id, group, repeat, item, value in session.execute(stmt):
        values[int(form_id)][(str(group), int(repeat), str(item))] = str(value)
    return [StoredForm(int(patient_id), str(event), int(repeat), str(form), str(status),
                       values[int(form_id)], int(day))
            for form_id, patient_id, event, repeat, form, status, day in instances]


class ExportService:
    """Read access for exports, limited to the sites where the user may export."""

    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor

    def sites(self, site: str | None = None) -> list[str]:
        """Site codes to export: ``site`` alone, or every site the user may export.

        Raises :class:`PermissionDenied` without the export permission there and
        :class:`NotFound` for an unknown site.
        """
        self.actor.require(Action.EXPORT, site)
        with self.db.read() as session:
            codes = list(session.scalars(select(Site.code).order_by(Site.code)))
        if site is not None:
            if site not in codes:
                raise NotFound(Message("No site {site}.", site=site))
            return [site]
        allowed = self.actor.sites_for(Action.EXPORT)
        return [c for c in codes if allowed is None or c in allowed]

    def patients(self, sites: list[str]) -> list[ExportPatient]:
        """The patients of these sites, by site and sequence."""
        with self.db.read() as session:
            stmt = (select(Patient.id, Patient.patient_number, Site.code, Patient.status,
                           Patient.arm, Randomization.randomized_at)
                    .join(Site, Patient.site_id == Site.id)
                    .outerjoin(Randomization, Randomization.patient_id == Patient.id)
                    .where(Site.code.in_(sites))
                    .order_by(Site.code, Patient.sequence))
            return [ExportPatient(int(pid), str(number), str(code), str(status),
                                  arm, when.date() if when is not None else None)
                    for pid, number, code, status, arm, when in session.execute(stmt)]

    def forms(self, patient_ids: list[int]) -> Iterator[StoredForm]:
        """Every active stored form of these patients with its active, non-empty values."""
        for start in range(0, len(patient_ids), 200):
            with self.db.read() as session:
                forms = stored_forms(session, patient_ids[start:start + 200])
            yield from forms

    def record_export(self, site: str | None, what: str, reason: str,
                      kind: str = "csv") -> None:
        """One audit record of the export (``what`` names the file written, ``kind`` its
        format: ``csv``, ``audit-csv``)."""
        with self.db.write() as session:
            self.db.audit.append(session, self.actor.audit_context(site), "EXPORT",
                                 item=kind, new_value=what, reason=reason)
