"""Site-to-central transfer files: written at a site, merged into the central database.

A **transfer file** is the site's ODM 1.3.2 archival export (:mod:`ctrial_desktop.exchange.odm`)
with, as the last child of ``ODM``, a vendor extension element ``ct:Transfer`` (namespace
:data:`TRANSFER_NS`) holding what a merge needs and ODM cannot say exactly:

* ``ct:AuditRecord``: every record of the site database's audit trail, verbatim (all the
  hashed fields of :mod:`ctrial_desktop.store.audit`, ``PrevHash`` and ``Hash``), in order;
* ``ct:Patient``, ``ct:Randomization``, ``ct:Form``, ``ct:Value``: the site's rows with
  their site row ids, their natural keys (patient number; event OID + repeat + form OID;
  item group OID + repeat + item OID) and the canonical text of their audited columns; a
  randomized patient's assignment (number, date, arm, method, stratum; never the list or
  the position in it).

Central links the site's audit records to its own rows through the site row ids
(:class:`~ctrial_desktop.store.models_exchange.ExchangeRowMap`, recorded at every import)
and keeps the site's users and locations (from the ODM ``AdminData``) as references, so its
own ODM export writes each imported value's history as the site recorded it.

The file ends with one line ``<!-- ctrial-transfer sha256=HEX -->``, HEX being the SHA-256
of every byte before that line. It proves **integrity** (a truncated or edited file is
refused), not identity: anyone can recompute it. What protects the history is the audit
chain: central keeps, per site, the last sequence number and hash received, and the next
file must contain that very record (same hash) and recompute from the first record.

Allocation lists never travel: the extension has no allocation list and the ODM export
has none either; the assignment of a randomized patient travels with the patient and is
read-only at central (``Randomization.source_site``).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from lxml import etree
from sqlalchemy import Boolean, Date, DateTime, Integer, insert, select
from sqlalchemy.orm import Session

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.exchange.odm import ODM_NS, export_odm
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.audit import GENESIS_HASH, AuditContext, column_text, compute_hash
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import (
    AuditHead,
    AuditRecord,
    Base,
    FormData,
    ItemValue,
    Patient,
    Randomization,
    Site,
)
from ctrial_desktop.store.models_exchange import (
    ExchangeBase,
    ExchangeConflict,
    ExchangeImport,
    ExchangeRowMap,
    ExchangeSiteAudit,
    ExchangeSiteChain,
    ExchangeSiteLocation,
    ExchangeSiteUser,
)
from ctrial_desktop.study import StudyDefinition

TRANSFER_NS = "urn:ctrial-desktop:transfer:1"
CHECKSUM_PREFIX = b"<!-- ctrial-transfer sha256="
CHECKSUM_SUFFIX = b" -->\n"
_AUDIT = AuditRecord.__table__

#: Audit record fields, in the order of the attributes written (None is an absent attribute).
_AUDIT_FIELDS = ("seq", "timestamp_utc", "user_id", "username", "role", "site_code",
                 "session_id", "action", "table_name", "record_id", "item", "old_value",
                 "new_value", "reason", "prev_hash", "hash")
_INT_FIELDS = frozenset({"seq", "user_id", "record_id"})
#: Patient columns merged at central (the site is the file's; the number is the key).
_PATIENT_COLUMNS = tuple(c for c in Patient.__audited__ if c not in ("site_id", "patient_number"))
#: Randomization columns that travel (never ``list_id``/``position``: lists stay at the site;
#: nor the minimization ``explanation``, which describes the allocation state).
_RANDOMIZATION_COLUMNS = ("number", "method", "stratum", "arm", "factors")


class TransferError(ServiceError):
    """A transfer file that cannot be imported (checksum, chain, content)."""


def _t(tag: str) -> str:
    return f"{{{TRANSFER_NS}}}{tag}"


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class TransferSummary:
    path: Path
    site: str
    sha256: str
    patients: int
    forms: int
    values: int
    audit_records: int
    chain_seq: int
    chain_hash: str


def export_transfer(db: Database, actor: Actor, study: StudyDefinition, out: Path, site: str,
                    *, progress: Callable[[int, int], None] | None = None) -> TransferSummary:
    """Write the transfer file of ``site`` (ODM archival export + extension + checksum)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, odm_name = tempfile.mkstemp(prefix=".transfer-", suffix=".xml", dir=out.parent)
    os.close(handle)
    handle, final_name = tempfile.mkstemp(prefix=".transfer-", suffix=".xml", dir=out.parent)
    os.close(handle)
    try:
        export_odm(db, actor, study, Path(odm_name), site=site, progress=progress)
        counts = _write_file(db, site, Path(odm_name), Path(final_name))
        os.replace(final_name, out)
    except BaseException:
        Path(final_name).unlink(missing_ok=True)
        raise
    finally:
        Path(odm_name).unlink(missing_ok=True)
    return TransferSummary(out, site, *counts)


def _write_file(db: Database, site: str, odm: Path, target: Path
                ) -> tuple[str, int, int, int, int, int, str]:
    size = odm.stat().st_size
    with odm.open("rb") as source:
        source.seek(max(0, size - 256))
        tail = source.read()
    closing = tail.rfind(b"</ODM>")
    if closing < 0:
        raise TransferError(Message("the ODM export is incomplete (no closing ODM element)"))
    body_end = max(0, size - 256) + closing
    digest = hashlib.sha256()
    patients = forms = values = records = 0

    def emit(out: Any, data: bytes) -> None:
        digest.update(data)
        out.write(data)

    with db.read() as session, odm.open("rb") as source, target.open("wb") as out:
        remaining = body_end
        while remaining:
            chunk = source.read(min(remaining, 1 << 20))
            remaining -= len(chunk)
            emit(out, chunk)
        head = session.get(AuditHead, 1)
        chain_seq = head.last_seq if head else 0
        chain_hash = head.last_hash if head else GENESIS_HASH
        row = session.scalar(select(Site).where(Site.code == site))
        assert row is not None
        emit(out, (f'<ct:Transfer xmlns:ct="{TRANSFER_NS}" Site="{_attr(site)}" '
                   f'SiteName="{_attr(row.name)}" SiteCity="{_attr(row.city)}" '
                   f'ChainSeq="{chain_seq}" ChainHash="{chain_hash}">\n').encode())
        for record in session.execute(select(_AUDIT).where(AuditRecord.seq <= chain_seq)
                                      .order_by(AuditRecord.seq)
                                      .execution_options(yield_per=2000)):
            emit(out, _element("AuditRecord", {name: getattr(record, name)
                                               for name in _AUDIT_FIELDS}))
            records += 1
        patient_rows = session.scalars(select(Patient).where(Patient.site_id == row.id)
                                       .order_by(Patient.sequence)).all()
        for patient in patient_rows:
            attrs: dict[str, Any] = {"id": patient.id, "number": patient.patient_number,
                                     "sequence": patient.sequence, "arm": patient.arm,
                                     "locked": column_text(Patient, "locked", patient.locked),
                                     "created_at": column_text(Patient, "created_at",
                                                               patient.created_at)}
            attrs.update({c: column_text(Patient, c, getattr(patient, c))
                          for c in _PATIENT_COLUMNS})
            emit(out, _element("Patient", attrs))
            patients += 1
            assignment = session.scalar(select(Randomization)
                                        .where(Randomization.patient_id == patient.id))
            if assignment is not None:
                attrs = {"id": assignment.id, "patient": patient.patient_number,
                         "randomized_at": column_text(Randomization, "randomized_at",
                                                      assignment.randomized_at),
                         "username": assignment.username}
                attrs.update({c: getattr(assignment, c) for c in _RANDOMIZATION_COLUMNS})
                emit(out, _element("Randomization", attrs))
            form_rows = session.scalars(select(FormData).where(FormData.patient_id == patient.id)
                                        .order_by(FormData.id)).all()
            for form in form_rows:
                attrs = {"id": form.id, "patient": patient.patient_number,
                         "event": form.event_oid, "repeat": form.event_repeat,
                         "form": form.form_oid, "form_version": form.form_version,
                         "updated_at": column_text(FormData, "updated_at", form.updated_at)}
                if form.visit_day != 1:  # a later day of the visit (absent: day 1)
                    attrs["day"] = form.visit_day
                attrs.update({c: column_text(FormData, c, getattr(form, c))
                              for c in FormData.__audited__})
                emit(out, _element("Form", attrs))
                forms += 1
            if form_rows:
                for value in session.scalars(select(ItemValue).where(
                        ItemValue.form_data_id.in_([f.id for f in form_rows]))
                        .order_by(ItemValue.id)):
                    attrs = {"id": value.id, "form_id": value.form_data_id,
                             "group": value.item_group_oid, "group_repeat": value.group_repeat,
                             "item": value.item_oid}
                    attrs.update({c: column_text(ItemValue, c, getattr(value, c))
                                  for c in ItemValue.__audited__})
                    emit(out, _element("Value", attrs))
                    values += 1
            session.expunge_all()
        emit(out, b"</ct:Transfer>\n</ODM>\n")
        hex_digest = digest.hexdigest()
        out.write(CHECKSUM_PREFIX + hex_digest.encode() + CHECKSUM_SUFFIX)
    return hex_digest, patients, forms, values, records, chain_seq, chain_hash


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def _element(tag: str, attrs: dict[str, Any]) -> bytes:
    element = etree.Element(_t(tag), nsmap={"ct": TRANSFER_NS})
    for name, value in attrs.items():
        if value is not None:
            element.set(name, str(value))
    return etree.tostring(element, encoding="utf-8") + b"\n"


# --------------------------------------------------------------------------- checksum


def verify_checksum(path: Path) -> str:
    """Check the file's closing checksum line; return the SHA-256 (refuse a mismatch)."""
    path = Path(path)
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 200))
        tail = handle.read()
        start = tail.rfind(CHECKSUM_PREFIX)
        if start < 0 or not tail.endswith(CHECKSUM_SUFFIX):
            raise TransferError(Message("{file} is not a transfer file: it has no checksum "
                                        "line (write it with 'ctrial export transfer')",
                                        file=path.name))
        stated = tail[start + len(CHECKSUM_PREFIX):-len(CHECKSUM_SUFFIX)].decode("ascii",
                                                                                   "replace")
        body = max(0, size - 200) + start
        handle.seek(0)
        digest = hashlib.sha256()
        remaining = body
        while remaining:
            chunk = handle.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
            digest.update(chunk)
    actual = digest.hexdigest()
    if actual != stated:
        raise TransferError(Message("{file} fails its checksum (SHA-256 {actual}, the file "
                                    "states {stated}): it was altered or truncated after it "
                                    "was written; nothing was imported", file=path.name,
                                    actual=actual, stated=stated))
    return actual


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class Conflict:
    patient: str
    location: str
    item: str
    central_value: str | None
    site_value: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"patient": self.patient, "location": self.location, "item": self.item,
                "central_value": self.central_value, "site_value": self.site_value}


@dataclass
class ImportSummary:
    """What an import did (the JSON printed by ``ctrial import odm``)."""

    file: str
    sha256: str
    site: str = ""
    skipped: bool = False
    message: str = ""
    patients_new: int = 0
    patients_updated: int = 0
    forms_new: int = 0
    forms_updated: int = 0
    values_new: int = 0
    values_updated: int = 0
    audit_records: int = 0
    chain_seq: int = 0
    chain_hash: str = ""
    conflicts: list[Conflict] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "site": self.site,
                "skipped": self.skipped, "message": self.message,
                "patients": {"new": self.patients_new, "updated": self.patients_updated},
                "forms": {"new": self.forms_new, "updated": self.forms_updated},
                "values": {"new": self.values_new, "updated": self.values_updated},
                "audit_records": self.audit_records,
                "chain": {"seq": self.chain_seq, "hash": self.chain_hash},
                "conflicts": [c.as_dict() for c in self.conflicts]}


def _python(model: type[Base], column: str, text: str | None) -> Any:
    """The column value of an audit text (the inverse of :func:`column_text`)."""
    if text is None:
        return None
    kind = model.__table__.c[column].type  # type: ignore[attr-defined]
    if isinstance(kind, Boolean):
        return text == "true"
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(text)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(text)
    if isinstance(kind, Integer):
        return int(text)
    return text


_ODM_USER = f"{{{ODM_NS}}}User"
_ODM_LOCATION = f"{{{ODM_NS}}}Location"
_ODM_ADMIN = f"{{{ODM_NS}}}AdminData"
_USER_FIELDS = {f"{{{ODM_NS}}}{name}": name for name in ("LoginName", "FirstName", "LastName")}


def _iter_file(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """``("ODM", root attributes)``, ``("SiteUser", …)`` and ``("SiteLocation", …)`` for
    the users and locations of the ODM ``AdminData``, ``("Transfer", its attributes)`` when
    the extension starts, then each of its elements as (tag, attributes) when it ends;
    streamed with :func:`lxml.etree.iterparse`, every element cleared once read (memory
    stays flat)."""
    found = False
    prefix = "{" + TRANSFER_NS + "}"
    user: dict[str, str] | None = None
    with path.open("rb") as handle:
        for event, element in etree.iterparse(handle, events=("start", "end"),
                                               remove_comments=True, huge_tree=True):
            tag = element.tag
            if event == "start":
                if tag == f"{{{ODM_NS}}}ODM":
                    yield "ODM", dict(element.attrib)
                elif tag == _t("Transfer"):
                    found = True
                    yield "Transfer", dict(element.attrib)
                elif tag == _ODM_USER and _parent_tag(element) == _ODM_ADMIN:
                    user = {"UserType": element.get("UserType", "Other"), "locations": ""}
                continue
            if user is not None:
                parent = _parent_tag(element)
                if tag in _USER_FIELDS and parent == _ODM_USER:
                    user[_USER_FIELDS[tag]] = element.text or ""
                elif tag == f"{{{ODM_NS}}}LocationRef" and parent == _ODM_USER:
                    user["locations"] += ("," if user["locations"] else "") + \
                        element.get("LocationOID", "")
                elif tag == _ODM_USER:
                    yield "SiteUser", user
                    user = None
            elif tag == _ODM_LOCATION and _parent_tag(element) == _ODM_ADMIN:
                yield "SiteLocation", dict(element.attrib)
            elif tag.startswith(prefix) and tag != _t("Transfer"):
                yield tag[len(prefix):], dict(element.attrib)
            element.clear(keep_tail=True)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    if not found:
        raise TransferError(Message("{file} has no transfer section: it is a plain ODM "
                                    "export; write it with 'ctrial export transfer'",
                                    file=path.name))


def _parent_tag(element: etree._Element) -> str | None:
    parent = element.getparent()
    return parent.tag if parent is not None else None  # type: ignore[no-any-return]


class MergeOutcome(enum.Enum):
    """What a three-way merge does with one column of an existing row."""

    SAME = "same"  # site and central agree: nothing to change, the site value is the base
    KEEP = "keep"  # unchanged at the site since the last import: central's value stays
    APPLY = "apply"  # changed at the site only: the site's value is applied
    CONFLICT = "conflict"  # changed on both sides differently (or never received): listed


def merge_outcome(site: str | None, central: str | None, base: str | None,
                  has_base: bool) -> MergeOutcome:
    """Three-way merge of one column: ``base`` is the site value last received (when
    ``has_base``; a row central never received from the site has none)."""
    if site == central:
        return MergeOutcome.SAME
    if has_base and site == base:
        return MergeOutcome.KEEP
    if has_base and central == base:
        return MergeOutcome.APPLY
    return MergeOutcome.CONFLICT


class _Importer:
    def __init__(self, session: Session, db: Database, ctx: AuditContext, site: str,
                 reason: str, summary: ImportSummary) -> None:
        self.session = session
        self.db = db
        self.ctx = ctx
        self.site = site
        self.reason = reason
        self.summary = summary
        self.conflicts: list[Conflict] = []
        self.patients: dict[str, Patient] = {}
        self.form_by_site_id: dict[int, tuple[FormData, str, str]] = {}
        self.new_forms: set[int] = set()
        self.pending: list[tuple[ItemValue, dict[str, str | None], int]] = []
        #: Links of the current patient's rows to the site's row ids: those already
        #: recorded, by (table, central id) -> (link id, site id), and those to add.
        self.links: dict[tuple[str, int], tuple[int, int]] = {}
        self.new_links: list[dict[str, Any]] = []
        #: Values of an existing form and their last received site values, read in one
        #: query each when the form comes (its values follow it).
        self.form_values: dict[int, dict[tuple[str, int, str], ItemValue]] = {}
        self.base_cache: dict[tuple[str, int], dict[str, ExchangeBase]] = {}

    # -- three-way merge of one row's columns -------------------------------------------
    def _bases(self, table: str, record_id: int) -> dict[str, ExchangeBase]:
        cached = self.base_cache.pop((table, record_id), None)
        if cached is not None:
            return cached
        return {b.item: b for b in self.session.scalars(select(ExchangeBase).where(
            ExchangeBase.table_name == table, ExchangeBase.record_id == record_id))}

    def _set_bases(self, table: str, record_id: int, values: dict[str, str | None]) -> None:
        for column, text in values.items():
            self.session.add(ExchangeBase(site_code=self.site, table_name=table,
                                          record_id=record_id, item=column, value=text))

    def merge(self, obj: Base, site_values: dict[str, str | None], patient: str,
              location: str, item: str | None = None) -> bool:
        """Apply the site's changes that central did not change; list the conflicts."""
        model = type(obj)
        table = obj.__tablename__
        bases = self._bases(table, obj.id)  # type: ignore[attr-defined]
        changes: dict[str, Any] = {}
        for column, site_text in site_values.items():
            central_text = column_text(model, column, getattr(obj, column))
            base = bases.get(column)
            outcome = merge_outcome(site_text, central_text,
                                    base.value if base is not None else None, base is not None)
            if outcome is MergeOutcome.SAME:
                if base is None:
                    self._set_bases(table, obj.id, {column: site_text})  # type: ignore[attr-defined]
                else:
                    base.value = site_text
            elif outcome is MergeOutcome.APPLY:
                assert base is not None
                changes[column] = _python(model, column, site_text)
                base.value = site_text
            elif outcome is MergeOutcome.CONFLICT:
                name = (column if item is None
                        else (item if column == "value" else f"{item}.{column}"))
                self.conflicts.append(Conflict(patient, location, name, central_text,
                                               site_text))
        if changes:
            self.db.audit.update(self.session, self.ctx, obj, changes, self.reason)
        return bool(changes)

    def flush_pending(self) -> None:
        """Insert the queued values of new forms in one flush (same audit records), then
        the queued links of site rows to central rows."""
        if self.pending:
            self.db.audit.insert_many(self.session, self.ctx,
                                      [(value, self.reason) for value, _t, _s in self.pending])
            for value, texts, site_id in self.pending:
                self._set_bases("item_value", value.id, texts)
                self.link("item_value", site_id, value.id, new=True)
            self.pending.clear()
        if self.new_links:
            self.session.execute(insert(ExchangeRowMap), self.new_links)
            self.new_links.clear()

    # -- links of the site's rows to central's ------------------------------------------
    def load_links(self, patient: Patient) -> None:
        """The links already recorded for a patient's rows (one query)."""
        self.links.clear()
        forms = select(FormData.id).where(FormData.patient_id == patient.id)
        values = select(ItemValue.id).where(ItemValue.form_data_id.in_(forms))
        # One query per table, by central's ids only, so the (table, central id) index
        # serves each (with the site code or an OR, SQLite scans the site's every link).
        for table, ids in (("patient", select(Patient.id).where(Patient.id == patient.id)),
                           ("form_data", forms), ("item_value", values)):
            for link_id, source, record_id, site_id in self.session.execute(select(
                    ExchangeRowMap.id, ExchangeRowMap.source_site, ExchangeRowMap.record_id,
                    ExchangeRowMap.site_record_id).where(ExchangeRowMap.table_name == table,
                                                         ExchangeRowMap.record_id.in_(ids))):
                if source == self.site:
                    self.links[(table, record_id)] = (link_id, site_id)

    def link(self, table: str, site_id: int, record_id: int, *, new: bool = False) -> None:
        """Record that the site's row ``site_id`` is central's ``record_id``."""
        if not new:
            known = self.links.get((table, record_id))
            if known is not None and known[1] == site_id:
                return
            row = self.session.scalar(select(ExchangeRowMap).where(
                ExchangeRowMap.source_site == self.site, ExchangeRowMap.table_name == table,
                ExchangeRowMap.site_record_id == site_id))
            if row is not None:
                row.record_id = record_id
                return
            if known is not None:
                self.session.get(ExchangeRowMap, known[0]).site_record_id = site_id  # type: ignore[union-attr]
                return
        self.new_links.append({"source_site": self.site, "table_name": table,
                               "site_record_id": site_id, "record_id": record_id})

    def insert(self, obj: Base, texts: dict[str, str | None]) -> None:
        self.db.audit.insert(self.session, self.ctx, obj, self.reason)
        self._set_bases(obj.__tablename__, obj.id, texts)  # type: ignore[attr-defined]

    # -- rows --------------------------------------------------------------------------
    def site_row(self, attrs: dict[str, str]) -> Site:
        site = self.session.scalar(select(Site).where(Site.code == self.site))
        if site is None:
            site = Site(code=self.site, name=attrs.get("SiteName", self.site),
                        city=attrs.get("SiteCity", ""), active=True,
                        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
            self.db.audit.insert(self.session, self.ctx, site, self.reason)
        return site

    def patient(self, site: Site, attrs: dict[str, str]) -> None:
        self.flush_pending()
        self.form_values.clear()
        self.base_cache.clear()
        number = attrs["number"]
        texts = {c: attrs.get(c) for c in _PATIENT_COLUMNS}
        patient = self.session.scalar(select(Patient).where(Patient.patient_number == number))
        if patient is None:
            patient = Patient(site_id=site.id, patient_number=number,
                              sequence=int(attrs["sequence"]), arm=attrs.get("arm"),
                              locked=attrs.get("locked") == "true",
                              created_at=_python(Patient, "created_at", attrs["created_at"]),
                              **{c: _python(Patient, c, t) for c, t in texts.items()})
            self.insert(patient, texts)
            self.summary.patients_new += 1
            self.links.clear()
            self.link("patient", int(attrs["id"]), patient.id, new=True)
        else:
            if patient.site_id != site.id:
                raise TransferError(Message("patient {number} belongs to another site at "
                                            "central; nothing was imported", number=number))
            self.load_links(patient)
            self.link("patient", int(attrs["id"]), patient.id)
            updated = self.merge(patient, texts, number, "patient")
            if attrs.get("arm") and patient.arm is None:
                patient.arm = attrs.get("arm")
                updated = True
            elif attrs.get("arm") and patient.arm != attrs.get("arm"):
                # A randomized arm never changes: the two databases disagree.
                self.conflicts.append(Conflict(number, "patient", "arm", patient.arm,
                                               attrs.get("arm")))
            self.summary.patients_updated += int(updated)
        self.patients[number] = patient

    def form(self, attrs: dict[str, str]) -> None:
        patient = self.patients.get(attrs["patient"])
        if patient is None:
            raise TransferError(Message("a form of patient {number} comes before the patient "
                                        "in the transfer file; nothing was imported",
                                        number=attrs["patient"]))
        key = (attrs["event"], int(attrs["repeat"]), attrs["form"])
        day = int(attrs.get("day", "1"))
        texts = {c: attrs.get(c) for c in FormData.__audited__}
        form = self.session.scalar(select(FormData).where(
            FormData.patient_id == patient.id, FormData.event_oid == key[0],
            FormData.event_repeat == key[1], FormData.form_oid == key[2],
            FormData.visit_day == day))
        location = f"{key[0]}[{key[1]}] {key[2]}" + (f" day {day}" if day != 1 else "")
        if form is None:
            form = FormData(patient_id=patient.id, event_oid=key[0], event_repeat=key[1],
                            form_oid=key[2], visit_day=day, form_version=attrs["form_version"],
                            updated_at=_python(FormData, "updated_at", attrs["updated_at"]),
                            **{c: _python(FormData, c, t) for c, t in texts.items()})
            self.insert(form, texts)
            self.new_forms.add(form.id)
            self.summary.forms_new += 1
            self.link("form_data", int(attrs["id"]), form.id, new=True)
        else:
            self.summary.forms_updated += int(self.merge(form, texts, patient.patient_number,
                                                         location))
            self._prefetch(form)
            self.link("form_data", int(attrs["id"]), form.id)
        self.form_by_site_id[int(attrs["id"])] = (form, patient.patient_number, location)

    def _prefetch(self, form: FormData) -> None:
        values = {(v.item_group_oid, v.group_repeat, v.item_oid): v
                  for v in self.session.scalars(select(ItemValue)
                                                .where(ItemValue.form_data_id == form.id))}
        self.form_values[form.id] = values
        ids = [v.id for v in values.values()]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for value_id in chunk:
                self.base_cache[("item_value", value_id)] = {}
            for base in self.session.scalars(select(ExchangeBase).where(
                    ExchangeBase.table_name == "item_value",
                    ExchangeBase.record_id.in_(chunk))):
                self.base_cache[("item_value", base.record_id)][base.item] = base

    def value(self, attrs: dict[str, str]) -> None:
        form, number, location = self.form_by_site_id[int(attrs["form_id"])]
        group, repeat, item = attrs["group"], int(attrs["group_repeat"]), attrs["item"]
        texts = {c: attrs.get(c) for c in ItemValue.__audited__}
        site_id = int(attrs["id"])
        if form.id in self.new_forms:
            self.pending.append((ItemValue(
                form_data_id=form.id, item_group_oid=group, group_repeat=repeat, item_oid=item,
                **{c: _python(ItemValue, c, t) for c, t in texts.items()}), texts, site_id))
            self.summary.values_new += 1
            return
        known = self.form_values.get(form.id)
        value = known.get((group, repeat, item)) if known is not None else \
            self.session.scalar(select(ItemValue).where(
                ItemValue.form_data_id == form.id, ItemValue.item_group_oid == group,
                ItemValue.group_repeat == repeat, ItemValue.item_oid == item))
        if value is None:
            value = ItemValue(form_data_id=form.id, item_group_oid=group, group_repeat=repeat,
                              item_oid=item,
                              **{c: _python(ItemValue, c, t) for c, t in texts.items()})
            self.insert(value, texts)
            self.summary.values_new += 1
            self.link("item_value", site_id, value.id, new=True)
        else:
            self.summary.values_updated += int(self.merge(
                value, texts, number, f"{location} {group}[{repeat}]", item))
            self.link("item_value", site_id, value.id)

    def randomization(self, attrs: dict[str, str]) -> None:
        """The site's assignment of a randomized patient, kept read-only at central (once;
        a different assignment at central is a conflict, never overwritten)."""
        number = attrs["patient"]
        patient = self.patients.get(number)
        if patient is None:
            raise TransferError(Message("the randomization of patient {number} comes before "
                                        "the patient in the transfer file; nothing was "
                                        "imported", number=number))
        site_text = f"{attrs.get('number')} {attrs.get('arm')} {attrs.get('randomized_at')}"
        current = self.session.scalar(select(Randomization)
                                      .where(Randomization.patient_id == patient.id))
        if current is None:
            taken = self.session.scalar(select(Patient.patient_number).join(
                Randomization, Randomization.patient_id == Patient.id).where(
                Randomization.number == attrs.get("number")))
            if taken is not None:
                self.conflicts.append(Conflict(number, "randomization", "randomization",
                                               f"{attrs.get('number')} is {taken}'s",
                                               site_text))
                return
            row = Randomization(
                patient_id=patient.id, site_code=self.site, list_id=None, position=None,
                randomized_at=_python(Randomization, "randomized_at", attrs["randomized_at"]),
                user_id=None, username=attrs.get("username", "")[:64], explanation="",
                source_site=self.site,
                **{c: attrs.get(c, "") for c in _RANDOMIZATION_COLUMNS})
            self.db.audit.insert(self.session, self.ctx, row, self.reason)
            return
        central_text = (f"{current.number} {current.arm} "
                        f"{column_text(Randomization, 'randomized_at', current.randomized_at)}")
        if central_text != site_text:
            self.conflicts.append(Conflict(number, "randomization", "randomization",
                                           central_text, site_text))


def import_transfer(db: Database, actor: Actor, path: Path, *,
                    progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Merge a site's transfer file into this (central) database, in one transaction.

    Refused (:class:`TransferError`, nothing changed) when the checksum fails, when the
    site's audit records do not recompute, or when they do not extend the chain received
    from that site before. A file already imported (same SHA-256) is skipped.
    ``progress(patients done, 0)`` is called after each patient; an exception it raises
    (a cancelled job) rolls the whole import back.
    """
    actor.require(Action.EXPORT, None)
    path = Path(path)
    sha = verify_checksum(path)
    summary = ImportSummary(file=path.name, sha256=sha)
    with db.read() as session:
        done = session.scalar(select(ExchangeImport).where(ExchangeImport.sha256 == sha))
        if done is not None:
            summary.site = done.site_code
            summary.skipped = True
            summary.message = (f"{path.name} was already imported on "
                               f"{done.imported_at:%Y-%m-%d %H:%M} UTC by {done.imported_by}: "
                               "skipped, nothing changed")
            return summary
    ctx = actor.audit_context(None)
    with db.write() as session:
        state = _Run(session, db, ctx, path, sha, summary, actor.username)
        events = _iter_file(path)
        try:
            patients = 0
            for tag, attrs in events:
                state.feed(tag, attrs)
                if progress is not None and tag == "Patient":
                    patients += 1
                    progress(patients, 0)
        finally:
            events.close()
        state.finish()
    return summary


class _Run:
    """One import in progress: the chain check while the audit records stream by, then
    the rows merged (the extension lists the audit records first)."""

    def __init__(self, session: Session, db: Database, ctx: AuditContext, path: Path,
                 sha: str, summary: ImportSummary, username: str) -> None:
        self.session = session
        self.db = db
        self.ctx = ctx
        self.path = path
        self.sha = sha
        self.summary = summary
        self.username = username
        self.file_oid = ""
        self.root: dict[str, str] = {}
        self.chain: ExchangeSiteChain | None = None
        self.known_seq = 0
        self.record: ExchangeImport | None = None
        self.importer: _Importer | None = None
        self.prev_hash = GENESIS_HASH
        self.expected = 1
        self.site_row: Site | None = None
        self.reason = ""
        #: Users and locations of the file's AdminData, and those its audit records name.
        self.site_users: list[dict[str, str]] = []
        self.site_locations: list[dict[str, str]] = []
        self.record_users: set[str] = set()
        self.record_sites: set[str] = set()

    def refuse(self, problem: Message) -> TransferError:
        return TransferError(Message("{file}: {problem}; nothing was imported",
                                     file=self.path.name, problem=problem))

    def feed(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "ODM":
            self.file_oid = attrs.get("FileOID", "")
        elif tag == "SiteUser":
            self.site_users.append(attrs)
        elif tag == "SiteLocation":
            self.site_locations.append(attrs)
        elif tag == "Transfer":
            self.start(attrs)
        elif self.importer is None:
            raise self.refuse(Message("unexpected {tag} outside the transfer section",
                                      tag=tag))
        elif tag == "AuditRecord":
            self.audit(attrs)
        else:
            if self.site_row is None:
                self.check_chain_end()
                self.site_row = self.importer.site_row(self.root)
            if tag == "Patient":
                self.importer.patient(self.site_row, attrs)
            elif tag == "Randomization":
                self.importer.randomization(attrs)
            elif tag == "Form":
                self.importer.form(attrs)
            elif tag == "Value":
                self.importer.value(attrs)
            else:
                raise self.refuse(Message("unknown element {tag} in the transfer section",
                                          tag=tag))

    def start(self, attrs: dict[str, str]) -> None:
        summary = self.summary
        site = attrs.get("Site", "")
        if not site:
            raise self.refuse(Message("the transfer section names no site"))
        self.root = attrs
        summary.site = site
        summary.chain_seq = int(attrs.get("ChainSeq", "0"))
        summary.chain_hash = attrs.get("ChainHash", "")
        self.reason = (f"import of site {site} transfer file {self.path.name} "
                       f"(SHA-256 {self.sha[:16]})")
        session = self.session
        self.chain = session.scalar(select(ExchangeSiteChain)
                                    .where(ExchangeSiteChain.site_code == site))
        self.known_seq = self.chain.last_seq if self.chain else 0
        if self.chain is not None and summary.chain_seq < self.chain.last_seq:
            raise self.refuse(Message("it ends the site {site} audit trail at #{seq}, before "
                                      "#{last} already received: it is older than the last "
                                      "import", site=site, seq=summary.chain_seq,
                                      last=self.chain.last_seq))
        # Hold the audit chain's lock from here to the commit: every record central writes
        # from now on belongs to this import (its range is kept to tell them apart).
        self.db.audit.lock(session)
        head = session.get(AuditHead, 1)
        self.record = ExchangeImport(sha256=self.sha, site_code=site,
                                     file_name=self.path.name[:255],
                                     file_oid=self.file_oid[:128], chain_seq=summary.chain_seq,
                                     chain_hash=summary.chain_hash, imported_by=self.username,
                                     imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                                     audit_first_seq=(head.last_seq if head else 0) + 1)
        session.add(self.record)
        session.flush()
        self.importer = _Importer(session, self.db, self.ctx, site, self.reason, summary)

    def audit(self, attrs: dict[str, str]) -> None:
        audit = _audit_row(attrs)
        chain = self.chain
        problem = None
        if audit.seq != self.expected:
            problem = Message("record #{seq} is missing", seq=self.expected)
        elif audit.prev_hash != self.prev_hash \
                or compute_hash(self.prev_hash, audit) != audit.hash:
            problem = Message("record #{seq} does not match its hash (it was altered)",
                              seq=audit.seq)
        elif chain is not None and audit.seq == chain.last_seq and audit.hash != chain.last_hash:
            problem = Message("record #{seq} differs from the one received before (hash "
                              "{hash}...): the site's history was altered between two "
                              "transfers", seq=audit.seq, hash=chain.last_hash[:16])
        if problem is not None:
            raise self.refuse(Message("the site {site} audit chain is broken: {problem}",
                                      site=self.summary.site, problem=problem))
        self.prev_hash = audit.hash
        self.expected += 1
        self.record_users.add(audit.username)
        if audit.site_code:
            self.record_sites.add(audit.site_code)
        if audit.seq > self.known_seq:
            assert self.record is not None
            self.session.add(ExchangeSiteAudit(source_site=self.summary.site,
                                               import_id=self.record.id, **vars(audit)))
            self.summary.audit_records += 1
            if self.summary.audit_records % 5000 == 0:
                self.session.flush()

    def check_chain_end(self) -> None:
        if self.expected - 1 != self.summary.chain_seq or self.prev_hash != self.summary.chain_hash:
            raise self.refuse(Message("the site {site} audit chain ends at #{seq}, not at the "
                                      "stated #{stated}", site=self.summary.site,
                                      seq=self.expected - 1, stated=self.summary.chain_seq))

    def finish(self) -> None:
        if self.importer is None or self.record is None:
            raise self.refuse(Message("the transfer section is missing"))
        if self.site_row is None:
            self.check_chain_end()
        self.importer.flush_pending()
        summary = self.summary
        session = self.session
        site = summary.site
        summary.conflicts = self.importer.conflicts
        for conflict in summary.conflicts:
            session.add(ExchangeConflict(import_id=self.record.id, site_code=site,
                                         patient_number=conflict.patient,
                                         location=conflict.location[:255], item=conflict.item,
                                         central_value=conflict.central_value,
                                         site_value=conflict.site_value))
        if self.chain is None:
            session.add(ExchangeSiteChain(site_code=site, last_seq=summary.chain_seq,
                                          last_hash=summary.chain_hash,
                                          import_id=self.record.id))
        else:
            self.chain.last_seq = summary.chain_seq
            self.chain.last_hash = summary.chain_hash
            self.chain.import_id = self.record.id
        summary.message = (f"site {site}: {summary.patients_new} new and "
                           f"{summary.patients_updated} changed patients, "
                           f"{summary.values_new} new and {summary.values_updated} changed "
                           f"values, {len(summary.conflicts)} conflicts")
        self.record.summary = json.dumps(summary.as_dict(), sort_keys=True)
        self.keep_site_references()
        last = self.db.audit.append(
            session, self.ctx, "IMPORT", item="odm", new_value=self.sha,
            reason=f"{self.reason}; site audit trail #{self.known_seq + 1}-"
                   f"{summary.chain_seq}; {len(summary.conflicts)} conflicts")
        self.record.audit_last_seq = last.seq

    def keep_site_references(self) -> None:
        """Keep (or refresh) the site's users and locations: those of the file's AdminData
        with their names, and any other its audit records name (by name only)."""
        site = self.summary.site
        users = {u.username: u for u in self.session.scalars(
            select(ExchangeSiteUser).where(ExchangeSiteUser.source_site == site))}
        for attrs in self.site_users:
            username = attrs.get("LoginName", "")
            if not username or username == "system":
                continue
            codes = ",".join(oid[4:] for oid in attrs.get("locations", "").split(",")
                             if oid.startswith("LOC."))
            fields = {"first_name": attrs.get("FirstName", "")[:100],
                      "last_name": attrs.get("LastName", "")[:100],
                      "user_type": attrs.get("UserType", "Other")[:16], "locations": codes}
            row = users.get(username)
            if row is None:
                row = ExchangeSiteUser(source_site=site, username=username[:64], **fields)
                self.session.add(row)
                users[username] = row
            else:
                for name, value in fields.items():
                    setattr(row, name, value)
        for username in sorted(self.record_users - set(users) - {"", "system"}):
            self.session.add(ExchangeSiteUser(source_site=site, username=username[:64],
                                              first_name="", last_name="", user_type="Other",
                                              locations=""))
        locations = {loc.code: loc for loc in self.session.scalars(
            select(ExchangeSiteLocation).where(ExchangeSiteLocation.source_site == site))}
        named = {attrs["OID"][4:]: attrs.get("Name", "") for attrs in self.site_locations
                 if attrs.get("LocationType") == "Site" and attrs.get("OID", "").startswith("LOC.")}
        for code in sorted(set(named) | self.record_sites):
            row = locations.get(code)
            if row is None:
                self.session.add(ExchangeSiteLocation(source_site=site, code=code[:8],
                                                      name=named.get(code, code)[:200]))
            elif code in named:
                row.name = named[code][:200]


def _audit_row(attrs: dict[str, str]) -> SimpleNamespace:
    values: dict[str, Any] = {}
    for name in _AUDIT_FIELDS:
        text = attrs.get(name)
        values[name] = int(text) if text is not None and name in _INT_FIELDS else text
    for name in ("username", "role", "site_code", "session_id", "action", "table_name",
                 "item", "reason", "timestamp_utc", "prev_hash", "hash"):
        if values[name] is None:
            values[name] = ""
    return SimpleNamespace(**values)
