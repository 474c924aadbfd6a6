"""CDISC ODM 1.3.2 export: study metadata, users and sites, clinical data with its audit trail.

The document is written as a stream with lxml's incremental writer
(:class:`lxml.etree.xmlfile`): one patient at a time is read from the database and written
out, so memory stays flat whatever the size of the trial.

What is written (names are those of the ODM 1.3.2 specification, CDISC 2013):

* ``Study``: ``GlobalVariables`` (StudyName, StudyDescription, ProtocolName),
  ``BasicDefinitions`` (MeasurementUnit) and one ``MetaDataVersion`` generated from
  ``forms/``: Protocol (StudyEventRef), StudyEventDef, FormDef, ItemGroupDef, ItemDef
  (Question in English and French, MeasurementUnitRef, RangeCheck, CodeListRef), CodeList.
  Every definition has a Description. OIDs are those of ``forms/`` (prefixes SE., F., IG.,
  I., CL., MU. keep them unique across element types); the export's own OIDs use other
  prefixes (MDV., U., LOC., SD.).
* ``AdminData``: every user (FirstName, LastName, LocationRef of site-bound roles) and
  every site as a ``Location`` with ``LocationType="Site"``; the ``SignatureDef`` of the
  investigator's electronic signature.
* ``ClinicalData`` (not with ``metadata_only``): one ``SubjectData`` per patient with its
  ``SiteRef``. Every stored value is an ``ItemData/@Value`` (the canonical text kept in the
  database; coded items hold their code). The full history of each value is written as
  the ODM 1.3.2 transactional archive does it: one ``ItemData`` per change, in order,
  ``TransactionType`` Insert, then Update (a cleared value with ``IsNull="Yes"``; Remove
  when its row was withdrawn), each with its ``AuditRecord`` (UserRef, LocationRef,
  DateTimeStamp, ReasonForChange). Signed forms
  carry a ``Signature``. Every other audit record of the exported scope (patients, forms,
  randomization, accounts, log-ins) follows in ``ClinicalData/AuditRecords``; its
  ``SourceID`` holds the trail's sequence number, the change and the record's hash, so the
  chain can be checked against the database.

At central, values imported from a site's transfer files are written with the site's own
audit records and signatures in place of the import's records (see
:mod:`ctrial_desktop.exchange.site_history`), and the site's users and locations are added to
``AdminData``: for those subjects the export equals the site's own.

A full export is ``FileType="Transactional"`` and ``Archival="Yes"``: the site's own
complete copy of its data with their audit trail (ODM 1.3.2 section 2.9, archival files).
A metadata-only export is a ``Snapshot`` without ClinicalData.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from ctrial_desktop import __version__
from ctrial_desktop.exchange.site_history import SiteHistory
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import NotFound
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.audit import format_timestamp
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import (
    AuditRecord,
    FormData,
    ItemValue,
    Patient,
    RoleAssignment,
    Site,
    User,
)
from ctrial_desktop.study import StudyDefinition
from ctrial_desktop.study.model import Item, Range, Text

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
#: Audit records are read as plain rows (no ORM identity map: memory stays flat).
_AUDIT = AuditRecord.__table__
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ODM_VERSION = "1.3.2"

#: OID of the sponsor's location, used by audit records made outside any site.
SPONSOR_LOCATION_OID = "LOC.SPONSOR"
#: OID of the user standing for the application itself (system audit records).
SYSTEM_USER_OID = "U.SYSTEM"
SIGNATURE_DEF_OID = "SD.INVESTIGATOR"
SIGNATURE_MEANING = "Investigator approval of the form's data, password re-entered at signing"
SIGNATURE_LEGAL_REASON = "Electronic signature (21 CFR Part 11)"

_EVENT_TYPES = {"scheduled": "Scheduled", "unscheduled": "Unscheduled", "common": "Common"}
_USER_TYPES = {"investigator": "Investigator", "data_manager": "Sponsor", "monitor": "Sponsor"}


def _q(tag: str) -> str:
    return f"{{{ODM_NS}}}{tag}"


def _el(tag: str, attrib: dict[str, str] | None = None, *children: etree._Element,
        text: str | None = None) -> etree._Element:
    element = etree.Element(_q(tag), {k: v for k, v in (attrib or {}).items() if v is not None},
                            nsmap={None: ODM_NS})
    if text is not None:
        element.text = text
    element.extend(children)
    return element


def _translated(tag: str, text: Text) -> etree._Element:
    """An element holding the text in English and in French (ODM TranslatedText)."""
    element = _el(tag)
    for language, value in (("en", text.en), ("fr", text.fr)):
        element.append(_el("TranslatedText", {XML_LANG: language}, text=value))
    return element


def _yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def user_oid(username: str) -> str:
    """OID of a user in AdminData (``U.`` + upper-case user name)."""
    return "U." + username.upper() if username and username != "system" else SYSTEM_USER_OID


def location_oid(site_code: str) -> str:
    """OID of a site's Location (``LOC.`` + site code); the sponsor's for no site."""
    return f"LOC.{site_code}" if site_code else SPONSOR_LOCATION_OID


def metadata_version_oid(study: StudyDefinition) -> str:
    return f"MDV.{study.info.metadata_version}"


@dataclass(frozen=True)
class OdmExportSummary:
    """What an export wrote."""

    path: Path
    file_oid: str
    archival: bool
    subjects: int
    item_data: int
    audit_records: int
    signatures: int


# --------------------------------------------------------------------------- metadata


def _range_checks(item: Item, study: StudyDefinition) -> Iterator[etree._Element]:
    for limits, soft_hard in ((item.range, "Hard"), (item.soft_range, "Soft")):
        if limits is None:
            continue
        for comparator, bound in _bounds(limits):
            check = _el("RangeCheck", {"Comparator": comparator, "SoftHard": soft_hard},
                        _el("CheckValue", text=_number(bound)))
            if item.unit is not None:
                check.append(_el("MeasurementUnitRef", {"MeasurementUnitOID": item.unit}))
            check.append(_range_message(item, comparator, bound, soft_hard, study))
            yield check


def _bounds(limits: Range) -> Iterator[tuple[str, float]]:
    if limits.min is not None:
        yield "GE", limits.min
    if limits.max is not None:
        yield "LE", limits.max


def _range_message(item: Item, comparator: str, bound: float, soft_hard: str,
                   study: StudyDefinition) -> etree._Element:
    unit = f" {study.unit(item.unit).symbol}" if item.unit is not None else ""
    value = _number(bound) + unit
    en = ("at least " if comparator == "GE" else "at most ") + value
    fr = ("au moins " if comparator == "GE" else "au plus ") + value
    if soft_hard == "Soft":
        text = Text(en=f"{item.label.en} is expected to be {en}: confirm the value",
                    fr=f"{item.label.fr} devrait être {fr} : confirmer la valeur")
    else:
        text = Text(en=f"{item.label.en} must be {en}", fr=f"{item.label.fr} doit être {fr}")
    return _translated("ErrorMessage", text)


def _item_def(item: Item, study: StudyDefinition) -> etree._Element:
    data_type = study.odm_data_type(item)
    attrib: dict[str, str] = {"OID": item.oid, "Name": item.label.en, "DataType": data_type}
    if item.max_length is not None:
        attrib["Length"] = str(item.max_length)
    if item.decimals is not None:
        attrib["SignificantDigits"] = str(item.decimals)
    if item.type == "computed" and item.computed is not None:
        attrib["Origin"] = "Derived"
        attrib["Comment"] = (f"computed by {item.computed.function} from "
                             + ", ".join(item.computed.inputs))
    elif item.read_only:
        attrib["Origin"] = "Assigned"
    element = _el("ItemDef", attrib)
    description = item.help or _item_description(item, study)
    element.append(_translated("Description", description))
    element.append(_translated("Question", item.label))
    if item.unit is not None:
        element.append(_el("MeasurementUnitRef", {"MeasurementUnitOID": item.unit}))
    element.extend(_range_checks(item, study))
    if item.type == "choice" and item.codelist is not None:
        element.append(_el("CodeListRef", {"CodeListOID": item.codelist}))
    return element


def _item_description(item: Item, study: StudyDefinition) -> Text:
    if item.type == "multi_choice" and item.codelist is not None:
        codes = study.codelist(item.codelist)
        return Text(en=f"{item.label.en}: codes of {codes.oid} ({codes.name}) in list order, "
                       "separated by commas",
                    fr=f"{item.label.fr} : codes de {codes.oid} ({codes.name}) dans l'ordre "
                       "de la liste, séparés par des virgules")
    if item.type == "ctcae_term":
        return Text(en=f"{item.label.en}: an NCI CTCAE term",
                    fr=f"{item.label.fr} : un terme NCI CTCAE")
    return item.label


def repeating_forms(study: StudyDefinition) -> frozenset[str]:
    """Forms with an instance per day in some visit (haematology on cycle days 1, 8, 15, 22):
    ``Repeating="Yes"`` in their FormDef, and each FormData keyed by ``FormRepeatKey``, the
    day of the visit (``FormData.visit_day``)."""
    return frozenset(ref.form for event in study.events for ref in event.forms
                     if len(ref.instance_days) > 1)


def metadata_elements(study: StudyDefinition) -> Iterator[etree._Element]:
    """The children of ``MetaDataVersion``, in the order ODM 1.3.2 requires."""
    protocol = _translated("Description", study.info.title)
    yield _el("Protocol", None, protocol, *[
        _el("StudyEventRef", {"StudyEventOID": event.oid, "OrderNumber": str(order),
                              "Mandatory": _yes_no(event.role == "screening")})
        for order, event in enumerate(study.events, start=1)])
    for event in study.events:
        yield _el("StudyEventDef", {"OID": event.oid, "Name": event.name.en,
                                    "Repeating": _yes_no(event.repeating),
                                    "Type": _EVENT_TYPES[event.type], "Category": event.role},
                  _translated("Description", event.name), *[
                      _el("FormRef", {"FormOID": ref.form, "OrderNumber": str(order),
                                      "Mandatory": _yes_no(ref.required
                                                           and ref.applicable_if is None)})
                      for order, ref in enumerate(event.forms, start=1)])
    repeating = repeating_forms(study)
    for form in study.forms:
        description = form.description or form.name
        yield _el("FormDef", {"OID": form.oid, "Name": form.name.en,
                              "Repeating": _yes_no(form.oid in repeating)},
                  _translated("Description", description), *[
                      _el("ItemGroupRef", {"ItemGroupOID": group.oid, "OrderNumber": str(order),
                                           "Mandatory": _yes_no(group.visible_if is None
                                                                and not group.repeating)})
                      for order, group in enumerate(form.item_groups, start=1)])
    for form in study.forms:
        for group in form.item_groups:
            yield _el("ItemGroupDef", {"OID": group.oid, "Name": group.name.en,
                                       "Repeating": _yes_no(group.repeating)},
                      _translated("Description", group.name), *[
                          _el("ItemRef", {"ItemOID": item.oid, "OrderNumber": str(order),
                                          "Mandatory": _yes_no(item.required)})
                          for order, item in enumerate(group.items, start=1)])
    for form in study.forms:
        for _group, item in form.iter_items():
            yield _item_def(item, study)
    for codelist in study.codelists:
        element = _el("CodeList", {"OID": codelist.oid, "Name": codelist.name,
                                   "DataType": codelist.data_type},
                      _translated("Description", Text(en=codelist.name, fr=codelist.name)))
        for order, entry in enumerate(codelist.items, start=1):
            element.append(_el("CodeListItem", {"CodedValue": str(entry.code),
                                                "OrderNumber": str(order)},
                               _translated("Decode", entry.decode)))
        yield element


def _study_element_open(study: StudyDefinition) -> tuple[etree._Element, etree._Element]:
    info = study.info
    global_variables = _el("GlobalVariables", None,
                           _el("StudyName", text=info.name),
                           _el("StudyDescription", text=f"{info.title.en} ({info.registry_id}). "
                                                        f"{info.description.en}"),
                           _el("ProtocolName", text=info.protocol_name))
    basic = _el("BasicDefinitions")
    for unit in study.units:
        symbol = _el("Symbol")
        for language in ("en", "fr"):
            symbol.append(_el("TranslatedText", {XML_LANG: language}, text=unit.symbol))
        basic.append(_el("MeasurementUnit", {"OID": unit.oid, "Name": unit.name.en}, symbol))
    return global_variables, basic


# --------------------------------------------------------------------------- admin data


def _admin_data(session: Session, study: StudyDefinition, site: str | None,
                history: SiteHistory) -> etree._Element:
    admin = _el("AdminData", {"StudyOID": study.info.oid})
    written: set[str] = set()
    sites = {s.id: s for s in session.scalars(select(Site).order_by(Site.code))}
    for user in session.scalars(select(User).order_by(User.username)):
        roles = session.scalars(select(RoleAssignment).where(
            RoleAssignment.user_id == user.id, RoleAssignment.active.is_(True))
            .order_by(RoleAssignment.id)).all()
        codes = sorted({sites[r.site_id].code for r in roles if r.site_id in sites})
        if site is not None and roles and all(r.site_id is not None for r in roles) \
                and site not in codes:
            continue  # an account of another site only
        kinds = {r.role for r in roles}
        user_type = next((_USER_TYPES[k] for k in ("investigator", "data_manager", "monitor")
                          if k in kinds), "Other")
        element = _el("User", {"OID": user_oid(user.username), "UserType": user_type},
                      _el("LoginName", text=user.username),
                      _el("DisplayName", text=user.full_name or user.username),
                      _el("FullName", text=user.full_name or user.username),
                      _el("FirstName", text=user.first_name),
                      _el("LastName", text=user.last_name))
        for code in codes:
            element.append(_el("LocationRef", {"LocationOID": location_oid(code)}))
        admin.append(element)
        written.add(user_oid(user.username))
    admin.append(_el("User", {"OID": SYSTEM_USER_OID, "UserType": "Other"},
                     _el("LoginName", text="system"),
                     _el("DisplayName", text="ctrial-desktop (system)"),
                     _el("FullName", text="ctrial-desktop (system)"),
                     _el("FirstName", text="ctrial-desktop"),
                     _el("LastName", text="system")))
    written.add(SYSTEM_USER_OID)
    located = {row.code for row in sites.values() if site is None or row.code == site}
    located |= set(history.locations)
    for ref in history.users:
        # A user of a site's history: a reference, not an account of this database.
        if ref.oid in written:
            continue
        full = f"{ref.first_name} {ref.last_name}".strip() or ref.username
        element = _el("User", {"OID": ref.oid, "UserType": ref.user_type},
                      _el("LoginName", text=ref.username), _el("DisplayName", text=full),
                      _el("FullName", text=full), _el("FirstName", text=ref.first_name),
                      _el("LastName", text=ref.last_name))
        for code in ref.locations:
            if code in located:
                element.append(_el("LocationRef", {"LocationOID": location_oid(code)}))
        admin.append(element)
        written.add(ref.oid)
    mdv_ref = {"StudyOID": study.info.oid, "MetaDataVersionOID": metadata_version_oid(study)}
    for row in sites.values():
        if site is not None and row.code != site:
            continue
        admin.append(_el("Location", {"OID": location_oid(row.code),
                                      "Name": f"{row.code} {row.name}".strip(),
                                      "LocationType": "Site"},
                         _el("MetaDataVersionRef",
                             mdv_ref | {"EffectiveDate": row.created_at.date().isoformat()})))
    first = min((s.created_at.date() for s in sites.values()), default=dt.date.today())
    for code, name in sorted(history.locations.items()):
        # Named by a site's history only (not a site of this database).
        admin.append(_el("Location", {"OID": location_oid(code), "Name": name,
                                      "LocationType": "Site"},
                         _el("MetaDataVersionRef",
                             mdv_ref | {"EffectiveDate": first.isoformat()})))
    admin.append(_el("Location", {"OID": SPONSOR_LOCATION_OID,
                                  "Name": study.info.sponsor, "LocationType": "Sponsor"},
                     _el("MetaDataVersionRef", mdv_ref | {"EffectiveDate": first.isoformat()})))
    admin.append(_el("SignatureDef", {"OID": SIGNATURE_DEF_OID, "Methodology": "Electronic"},
                     _el("Meaning", text=SIGNATURE_MEANING),
                     _el("LegalReason", text=SIGNATURE_LEGAL_REASON)))
    return admin


# --------------------------------------------------------------------------- clinical data


def _user_ref(record: Any) -> str:
    """The UserOID of a record: its own for a site's record at central, else by user name."""
    return getattr(record, "user_oid", None) or user_oid(record.username)


def _audit_record(record: AuditRecord, record_id: str | None = None) -> etree._Element:
    element = _el("AuditRecord", {"ID": record_id} if record_id else None,
                  _el("UserRef", {"UserOID": _user_ref(record)}),
                  _el("LocationRef", {"LocationOID": location_oid(record.site_code)}),
                  _el("DateTimeStamp", text=record.timestamp_utc))
    if record.reason:
        element.append(_el("ReasonForChange", text=record.reason))
    return element


def _source_id(record: AuditRecord) -> str:
    target = f"{record.table_name}#{record.record_id}" if record.table_name else ""
    change = f" {target}.{record.item}" if target else (f" {record.item}" if record.item else "")
    values = ""
    if record.old_value is not None or record.new_value is not None:
        values = f" {record.old_value!r} -> {record.new_value!r}"
    return (f"audit seq={record.seq} {record.action}{change}{values} "
            f"prev={record.prev_hash} hash={record.hash}")


class _Counter:
    def __init__(self) -> None:
        self.subjects = 0
        self.item_data = 0
        self.audit_records = 0
        self.signatures = 0


def _history(session: Session, table: str, ids: list[int], items: Iterable[str],
             only_updates_of: str | None = None) -> dict[int, list[AuditRecord]]:
    found: dict[int, list[AuditRecord]] = {}
    if not ids:
        return found
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for record in session.execute(
                select(_AUDIT).where(AuditRecord.table_name == table,
                                          AuditRecord.record_id.in_(chunk),
                                          AuditRecord.item.in_(list(items)))
                .order_by(AuditRecord.seq)):
            if record.item == only_updates_of and record.action != "UPDATE":
                continue
            found.setdefault(record.record_id or 0, []).append(record)
    return found


def _item_data(value: ItemValue, history: list[AuditRecord]) -> Iterator[etree._Element]:
    """One ItemData per recorded change of the value, the last one being the current state.

    A value set is Insert (first) or Update; a value cleared is an Update with
    ``IsNull="Yes"``; a row withdrawn (``active`` false) is Remove, and put back, Insert.
    """
    present = False
    current: str | None = None
    for record in history:
        attrib = {"ItemOID": value.item_oid}
        if record.item == "value":
            current = record.new_value
            attrib["TransactionType"] = "Update" if present else "Insert"
            present = True
        elif record.new_value == "false":
            attrib["TransactionType"] = "Remove"
            present = False
        else:
            attrib["TransactionType"] = "Insert"
            present = True
        if attrib["TransactionType"] != "Remove":
            if current is None:
                attrib["IsNull"] = "Yes"
            else:
                attrib["Value"] = current
        yield _el("ItemData", attrib, _audit_record(record))
    if not history and value.value is not None and value.active:
        # Stored without any audit record (which ``ctrial audit verify`` reports): still exported.
        yield _el("ItemData", {"ItemOID": value.item_oid, "TransactionType": "Insert",
                               "Value": value.value})


#: The audit records of a value written inside its ItemData elements.
def _inline_condition() -> Any:
    return (AuditRecord.table_name == "item_value") & (
        (AuditRecord.item == "value")
        | ((AuditRecord.item == "active") & (AuditRecord.action == "UPDATE")))


def _signature(history: list[AuditRecord]) -> etree._Element | None:
    last = None
    for record in history:
        if record.item == "signed":
            last = record if record.new_value == "true" else None
    if last is None:
        return None
    return _el("Signature", None,
               _el("UserRef", {"UserOID": _user_ref(last)}),
               _el("LocationRef", {"LocationOID": location_oid(last.site_code)}),
               _el("SignatureRef", {"SignatureOID": SIGNATURE_DEF_OID}),
               _el("DateTimeStamp", text=last.timestamp_utc))


def _subject(session: Session, patient: Patient, site_code: str,
             counter: _Counter, history: SiteHistory,
             repeating: frozenset[str] = frozenset()) -> etree._Element:
    subject = _el("SubjectData", {"SubjectKey": patient.patient_number,
                                  "TransactionType": "Insert"},
                  _el("SiteRef", {"LocationOID": location_oid(site_code)}))
    forms = session.scalars(select(FormData).where(FormData.patient_id == patient.id)
                            .order_by(FormData.event_oid, FormData.event_repeat,
                                      FormData.form_oid, FormData.visit_day)).all()
    values = session.scalars(select(ItemValue).where(
        ItemValue.form_data_id.in_([f.id for f in forms]))
        .order_by(ItemValue.form_data_id, ItemValue.item_group_oid, ItemValue.group_repeat,
                  ItemValue.id)).all() if forms else []
    value_ids, form_ids = [v.id for v in values], [f.id for f in forms]
    value_history = history.expand(
        session, "item_value",
        _history(session, "item_value", value_ids, ("value", "active"), only_updates_of="active"),
        value_ids, ("value", "active"), only_updates_of="active")
    form_history = history.expand(session, "form_data",
                                  _history(session, "form_data", form_ids, ("signed",)),
                                  form_ids, ("signed",))
    by_form: dict[int, list[ItemValue]] = {}
    for value in values:
        by_form.setdefault(value.form_data_id, []).append(value)
    event_element: etree._Element | None = None
    event_key: tuple[str, int] | None = None
    for form in forms:
        key = (form.event_oid, form.event_repeat)
        if key != event_key:
            event_element = _el("StudyEventData", {"StudyEventOID": form.event_oid,
                                                   "StudyEventRepeatKey": str(form.event_repeat),
                                                   "TransactionType": "Insert"})
            subject.append(event_element)
            event_key = key
        assert event_element is not None
        form_attrs = {"FormOID": form.form_oid}
        if form.form_oid in repeating:
            form_attrs["FormRepeatKey"] = str(form.visit_day)
        form_element = _el("FormData", {**form_attrs, "TransactionType": "Insert"})
        signature = _signature(form_history.get(form.id, []))
        if signature is not None:
            form_element.append(signature)
            counter.signatures += 1
        group_element: etree._Element | None = None
        group_key: tuple[str, int] | None = None
        for value in by_form.get(form.id, []):
            if (value.item_group_oid, value.group_repeat) != group_key:
                group_key = (value.item_group_oid, value.group_repeat)
                group_element = _el("ItemGroupData", {"ItemGroupOID": value.item_group_oid,
                                                      "ItemGroupRepeatKey":
                                                          str(value.group_repeat),
                                                      "TransactionType": "Insert"})
                form_element.append(group_element)
            assert group_element is not None
            for element in _item_data(value, value_history.get(value.id, [])):
                group_element.append(element)
                counter.item_data += 1
        event_element.append(form_element)
    counter.subjects += 1
    return subject


def _not_inline(stmt: Any, site: str | None) -> Any:
    """Leave out the audit records already written inside ItemData (the values' history)."""
    inline = _inline_condition()
    if site is not None:
        values = (select(ItemValue.id).join(FormData, ItemValue.form_data_id == FormData.id)
                  .join(Patient, FormData.patient_id == Patient.id)
                  .join(Site, Patient.site_id == Site.id).where(Site.code == site))
        inline = inline & AuditRecord.record_id.in_(values)
    return stmt.where(~inline)


# --------------------------------------------------------------------------- the export


def export_odm(
    db: Database,
    actor: Actor,
    study: StudyDefinition,
    out: Path,
    *,
    site: str | None = None,
    metadata_only: bool = False,
    now: Callable[[], dt.datetime] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> OdmExportSummary:
    """Write the ODM 1.3.2 document to ``out`` (replaced atomically when complete).

    ``site`` limits the clinical data, the sites and the site-bound accounts to one site.
    Needs the export permission at that site (at every site without ``site``); the export
    itself is recorded in the audit trail.
    """
    actor.require(Action.EXPORT, site)
    created = (now or (lambda: dt.datetime.now(dt.UTC)))()
    file_oid = (f"ODM.{study.info.oid[2:]}.{created.strftime('%Y%m%dT%H%M%S')}"
                + (f".SITE{site}" if site else "") + (".METADATA" if metadata_only else ""))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with db.read() as session:
        if site is not None and session.scalar(select(Site.id).where(Site.code == site)) is None:
            raise NotFound(f"No site {site}.")
    counter = _Counter()
    handle, temp_name = tempfile.mkstemp(prefix=".odm-", suffix=".xml", dir=out.parent)
    os.close(handle)
    try:
        _write(db, study, Path(temp_name), file_oid, created, site, metadata_only, counter,
               progress)
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    kind = "metadata only" if metadata_only else "archival"
    with db.write() as session:
        db.audit.append(session, actor.audit_context(site), "EXPORT", item="odm",
                        new_value=file_oid,
                        reason=f"ODM 1.3.2 export ({kind}{', site ' + site if site else ''})")
    return OdmExportSummary(out, file_oid, not metadata_only, counter.subjects,
                            counter.item_data, counter.audit_records, counter.signatures)


def _write(db: Database, study: StudyDefinition, path: Path, file_oid: str,
           created: dt.datetime, site: str | None, metadata_only: bool, counter: _Counter,
           progress: Callable[[int, int], None] | None) -> None:
    attrib: dict[str, Any] = {
        "FileOID": file_oid,
        "FileType": "Snapshot" if metadata_only else "Transactional",
        "Granularity": "Metadata" if metadata_only else "All",
        "CreationDateTime": format_timestamp(created),
        "ODMVersion": ODM_VERSION,
        "Originator": study.info.sponsor,
        "SourceSystem": "ctrial-desktop",
        "SourceSystemVersion": __version__,
    }
    if not metadata_only:
        attrib["Archival"] = "Yes"
        attrib["Description"] = (f"{study.info.name}: archival copy of "
                                 + (f"site {site}" if site else "every site")
                                 + " with the audit trail")
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_q("ODM"), attrib, nsmap={None: ODM_NS}):
            with xf.element(_q("Study"), {"OID": study.info.oid}):
                global_variables, basic = _study_element_open(study)
                xf.write(global_variables)
                xf.write(basic)
                with xf.element(_q("MetaDataVersion"), {
                        "OID": metadata_version_oid(study),
                        "Name": f"{study.info.name} metadata version "
                                f"{study.info.metadata_version}",
                        "Description": study.info.title.en}):
                    for element in metadata_elements(study):
                        xf.write(element)
            with db.read() as session:
                history = SiteHistory.load(session, site)
                xf.write(_admin_data(session, study, site, history))
            if not metadata_only:
                _write_clinical(db, study, xf, site, counter, progress, history)


def _write_clinical(db: Database, study: StudyDefinition, xf: Any, site: str | None,
                    counter: _Counter, progress: Callable[[int, int], None] | None,
                    history: SiteHistory) -> None:
    with db.read() as session:
        stmt = (select(Patient.id, Site.code).join(Site, Patient.site_id == Site.id)
                .order_by(Site.code, Patient.sequence))
        if site is not None:
            stmt = stmt.where(Site.code == site)
        patients = [(int(pid), str(code)) for pid, code in session.execute(stmt)]
    repeating = repeating_forms(study)
    with xf.element(_q("ClinicalData"), {"StudyOID": study.info.oid,
                                         "MetaDataVersionOID": metadata_version_oid(study)}):
        for index, (patient_id, code) in enumerate(patients, start=1):
            with db.read() as session:
                patient = session.get(Patient, patient_id)
                assert patient is not None
                xf.write(_subject(session, patient, code, counter, history, repeating))
            xf.flush()
            if progress is not None:
                progress(index, len(patients))
        with db.read() as session:
            stmt = _not_inline(select(_AUDIT).order_by(AuditRecord.seq), site)
            if site is not None:
                stmt = stmt.where(AuditRecord.site_code == site)
            with xf.element(_q("AuditRecords")):
                for record in session.execute(stmt.execution_options(yield_per=1000)):
                    element = _audit_record(record, f"AR.{record.seq}")
                    element.append(_el("SourceID", text=_source_id(record)))
                    xf.write(element)
                    counter.audit_records += 1
