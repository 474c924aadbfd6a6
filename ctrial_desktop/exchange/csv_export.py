"""CSV export for statisticians: one file per form, a data dictionary and derived datasets.

The export is a zip archive of CSV files (UTF-8 without byte-order mark, RFC 4180: comma
separated, CRLF line ends, fields quoted when needed). Values are written as the database
keeps them: ISO 8601 dates (partial dates ``UN-UNK-2005`` as stored), decimals with a point,
codes as stored (yes/no items ``Y``/``N``, multiple choices comma-separated codes).

Files of the archive:

* ``dictionary.csv``: one row per column of every dataset (dataset, name, label, type,
  unit, codes ``CODE=Decode`` separated by `` | ``, form, item group, repeating), so that
  every item of the study definition is described.
* ``forms/<FORM>.csv``: the stored data of one form.

  - ``long`` layout: one row per stored value (SITE, SUBJID, EVENT, EVENT_REPEAT,
    VISIT_DAY, ITEM_GROUP, GROUP_REPEAT, ITEM, VALUE). VISIT_DAY tells the instances of a
    form due on several days of a visit apart (haematology on cycle days 1, 8, 15, 22;
    the ODM ``FormRepeatKey``); it is 1 for every form due once per visit.
  - ``wide`` layout: one row per form instance with one column per item of the form's
    non-repeating groups; each repeating group has its own file
    ``forms/<FORM>.<GROUP>.csv`` with one row per row of the table (GROUP_REPEAT). Coded
    items (code lists and yes/no) have a second column ``<ITEM>_decode`` with the English
    decode.

* ``derived/best_response.csv``: IMWG response of each randomized patient computed by
  :func:`ctrial_desktop.domain.imwg.evaluate_response` from the stored disease
  assessments (form ``F.DA``): the screening assessment is the baseline, the involved
  light chain is that of the medical history (``I.MH.LIGHT``), assessments after the start
  of a new anti-myeloma therapy (follow-up ``I.FU.NEWTX_DAT``) are not counted (IMWG
  uniform response criteria, Durie et al., Leukemia 2006; Rajkumar et al., Blood 2011).
* ``derived/progression_death.csv``: first progression date (earliest of the IMWG
  progression, the end-of-treatment ``I.EOT.PDDAT`` and the follow-up ``I.FU.PDDAT``, with
  its sources) and the death date and cause (``F.DEATH``).
* ``derived/dose_intensity.csv``: relative dose intensity of pomalidomide and
  dexamethasone (:func:`ctrial_desktop.domain.dosing.dose_intensity`) over the cycles with
  a dosing form, from the daily rows (a dose not taken counts 0 mg).
* ``derived/worst_toxicity.csv``: number of adverse events and the worst CTCAE grade
  (``I.AE.GRADE``) of each patient with a randomization or an adverse event.

The export needs the export permission (every site the user may export, or one site) and
is recorded in the audit trail as one event.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ctrial_desktop.domain.dosing import (
    DEXAMETHASONE,
    DoseRules,
    dose_intensity,
)
from ctrial_desktop.domain.imwg import Assessment, Baseline, ImwgResult, ImwgSettings
from ctrial_desktop.services import clinical
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.engine_settings import dose_rules, imwg_settings
from ctrial_desktop.services.errors import ValidationError
from ctrial_desktop.services.export import ExportPatient, ExportService, StoredForm
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import StudyDefinition
from ctrial_desktop.study.model import Form, ItemGroup

Layout = Literal["long", "wide"]
LAYOUTS: tuple[str, ...] = ("long", "wide")

LONG_COLUMNS = ("SITE", "SUBJID", "EVENT", "EVENT_REPEAT", "VISIT_DAY", "ITEM_GROUP",
                "GROUP_REPEAT", "ITEM", "VALUE")
WIDE_KEYS = ("SITE", "SUBJID", "EVENT", "EVENT_REPEAT", "VISIT_DAY")
DICTIONARY_COLUMNS = ("dataset", "name", "label", "type", "unit", "codes", "form",
                      "item_group", "repeating")
DECODE_SUFFIX = "_decode"
_YES_NO = (("Y", "Yes"), ("N", "No"))

#: Columns of the derived datasets: name, type, label.
DERIVED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "best_response": (
        ("SITE", "text", "Site code"),
        ("SUBJID", "text", "Patient number"),
        ("ARM", "text", "Randomized arm"),
        ("BASELINE_DATE", "date", "Date of the screening disease assessment (baseline)"),
        ("ASSESSMENTS", "integer", "Disease assessments after baseline evaluated"),
        ("BEST_RESPONSE", "text", "Best overall response (IMWG)"),
        ("BEST_RESPONSE_DATE", "date", "Date the best response was first reached"),
        ("IMWG_PROGRESSION_DATE", "date", "Date of confirmed progression (IMWG)"),
        ("NOTE", "text", "Why no response could be derived"),
    ),
    "response_assessments": (
        ("SITE", "text", "Site code"),
        ("SUBJID", "text", "Patient number"),
        ("ARM", "text", "Randomized arm"),
        ("VISIT", "text", "Visit (event OID)"),
        ("VISIT_REPEAT", "integer", "Occurrence of the visit"),
        ("ASSESSMENT_DATE", "date", "Date of the disease assessment"),
        ("IMWG_RESPONSE", "text", "Category of the assessment by the IMWG engine at export"),
        ("IMWG_CONFIRMED", "text", "Y when confirmed by the next assessment"),
        ("RESP_DERIVED", "text", "Derived response stored in the form (I.DA.RESP_DERIVED)"),
        ("RESP_INV", "text", "Response assessed by the investigator (I.DA.RESP_INV)"),
        ("OVERRIDDEN", "text", "Y when the investigator's response differs from the derived"),
        ("OVERRIDE_REASON", "text", "Reason the investigator's response differs"),
        ("IMWG_REASONS", "text", "Reasons of the IMWG category, in words"),
    ),
    "progression_death": (
        ("SITE", "text", "Site code"),
        ("SUBJID", "text", "Patient number"),
        ("ARM", "text", "Randomized arm"),
        ("RANDOMIZATION_DATE", "date", "Date of randomization"),
        ("PROGRESSION_DATE", "date", "First progression date (earliest source)"),
        ("PROGRESSION_SOURCE", "text",
         "Sources giving that date: IMWG, EOT (end of treatment), FU (follow-up)"),
        ("DEATH_DATE", "date", "Date of death"),
        ("DEATH_CAUSE", "text", "Cause of death (code of the death form)"),
    ),
    "dose_intensity": (
        ("SITE", "text", "Site code"),
        ("SUBJID", "text", "Patient number"),
        ("ARM", "text", "Randomized arm"),
        ("DRUG", "text", "pomalidomide or dexamethasone"),
        ("CYCLES", "integer", "Cycles with a dosing form"),
        ("DELIVERED_MG", "decimal", "Dose taken over these cycles (mg)"),
        ("PLANNED_MG", "decimal", "Planned dose over these cycles (mg)"),
        ("RELATIVE_DOSE_INTENSITY", "decimal", "Delivered / planned"),
        ("NOTE", "text", "Why no intensity could be derived"),
    ),
    "worst_toxicity": (
        ("SITE", "text", "Site code"),
        ("SUBJID", "text", "Patient number"),
        ("ARM", "text", "Randomized arm"),
        ("AE_COUNT", "integer", "Adverse events recorded"),
        ("WORST_GRADE", "integer", "Worst CTCAE grade of any adverse event"),
        ("WORST_GRADE_TERMS", "text", "Terms (codes) of the adverse events of that grade"),
    ),
}
_UNITS = {"DELIVERED_MG": "mg", "PLANNED_MG": "mg"}


@dataclass(frozen=True)
class CsvExportSummary:
    """What an export wrote."""

    path: Path
    layout: str
    sites: tuple[str, ...]
    patients: int
    forms: int
    values: int
    files: tuple[str, ...]


@dataclass
class _Patient:
    info: ExportPatient
    forms: list[StoredForm] = field(default_factory=list)

    def of(self, form_oid: str, event_oid: str | None = None) -> list[StoredForm]:
        return sorted((f for f in self.forms if f.form_oid == form_oid
                       and (event_oid is None or f.event_oid == event_oid)),
                      key=lambda f: (f.event_oid, f.event_repeat))

    def first(self, form_oid: str, item: str, event_oid: str | None = None) -> str | None:
        for form in self.of(form_oid, event_oid):
            value = _value(form, item)
            if value is not None:
                return value
        return None


def _value(form: StoredForm, item: str, repeat: int = 1) -> str | None:
    for (_group, row, oid), value in form.values.items():
        if oid == item and row == repeat:
            return value
    return None


def _rows(form: StoredForm, group: str) -> dict[int, dict[str, str]]:
    rows: dict[int, dict[str, str]] = defaultdict(dict)
    for (group_oid, repeat, item), value in form.values.items():
        if group_oid == group:
            rows[repeat][item] = value
    return dict(sorted(rows.items()))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(float(value), 6))


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- dictionary


def _coded(study: StudyDefinition, item_type: str, codelist: str | None) -> list[tuple[str, str]]:
    if codelist is not None:
        return [(str(c.code), c.decode.en) for c in study.codelist(codelist).items]
    if item_type == "yes_no":
        return list(_YES_NO)
    return []


def _decode(codes: list[tuple[str, str]], value: str, multi: bool) -> str:
    table = dict(codes)
    parts = value.split(",") if multi else [value]
    return "; ".join(table.get(p, p) for p in parts)


def _form_datasets(form: Form, layout: str) -> list[tuple[str, ItemGroup | None]]:
    """Dataset names of a form: (file name, repeating group or None for the main file)."""
    if layout == "long":
        return [(f"forms/{form.oid}.csv", None)]
    datasets: list[tuple[str, ItemGroup | None]] = []
    if any(not g.repeating for g in form.item_groups):
        datasets.append((f"forms/{form.oid}.csv", None))
    datasets.extend((f"forms/{form.oid}.{g.oid}.csv", g)
                    for g in form.item_groups if g.repeating)
    return datasets


def dictionary_rows(study: StudyDefinition, layout: str) -> list[tuple[str, ...]]:
    """The data dictionary: every column of every dataset of the export."""
    rows: list[tuple[str, ...]] = []
    for form in study.forms:
        for dataset, repeating in _form_datasets(form, layout):
            if layout == "long":
                for name in LONG_COLUMNS:
                    rows.append((dataset, name, f"{name.replace('_', ' ').lower()} "
                                 "(long layout key)", "text", "", "", form.oid, "", ""))
            else:
                keys = WIDE_KEYS + (("GROUP_REPEAT",) if repeating is not None else ())
                rows.extend((dataset, name, f"{name.replace('_', ' ').lower()} (key)",
                             "integer" if name.endswith(("REPEAT", "DAY")) else "text", "", "",
                             form.oid, "", "") for name in keys)
            for group in form.item_groups:
                if layout == "wide" and group is not repeating and (
                        repeating is not None or group.repeating):
                    continue
                for item in group.items:
                    codes = _coded(study, item.value_type, item.codelist)
                    unit = study.unit(item.unit).symbol if item.unit is not None else ""
                    text = " | ".join(f"{c}={d}" for c, d in codes)
                    flag = "yes" if group.repeating else "no"
                    rows.append((dataset, item.oid, item.label.en, item.value_type, unit,
                                 text, form.oid, group.oid, flag))
                    if layout == "wide" and codes:
                        rows.append((dataset, item.oid + DECODE_SUFFIX,
                                     f"{item.label.en} (decode)", "text", "", "", form.oid,
                                     group.oid, flag))
    for name, columns in DERIVED.items():
        rows.extend((f"derived/{name}.csv", column, label, kind, _UNITS.get(column, ""), "",
                     "", "", "") for column, kind, label in columns)
    return rows


# --------------------------------------------------------------------------- form files


def _form_files(study: StudyDefinition, layout: str, patients: dict[int, _Patient],
                forms: list[StoredForm]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    patient_order = {pid: index for index, pid in enumerate(patients)}
    event_order = {event.oid: index for index, event in enumerate(study.events)}
    by_form: dict[str, list[StoredForm]] = defaultdict(list)
    for form in sorted(forms, key=lambda f: (patient_order[f.patient_id],
                                             event_order.get(f.event_oid, len(event_order)),
                                             f.event_repeat, f.visit_day)):
        by_form[form.form_oid].append(form)
    for form_def in study.forms:
        instances = by_form.get(form_def.oid, [])
        for dataset, repeating in _form_datasets(form_def, layout):
            if layout == "long":
                files[dataset] = _csv(LONG_COLUMNS, _long_rows(form_def, patients, instances))
            else:
                files[dataset] = _wide(study, form_def, repeating, patients, instances)
    return files


def _long_rows(form: Form, patients: dict[int, _Patient],
               instances: list[StoredForm]) -> Iterable[Sequence[object]]:
    order = {item.oid: index for index, (_g, item) in enumerate(form.iter_items())}
    for instance in instances:
        patient = patients[instance.patient_id].info
        for (group, repeat, item), value in sorted(
                instance.values.items(), key=lambda kv: (kv[0][1], order.get(kv[0][2], 0))):
            yield (patient.site_code, patient.patient_number, instance.event_oid,
                   instance.event_repeat, instance.visit_day, group, repeat, item, value)


def _wide(study: StudyDefinition, form: Form, repeating: ItemGroup | None,
          patients: dict[int, _Patient], instances: list[StoredForm]) -> bytes:
    groups = [repeating] if repeating is not None else [
        g for g in form.item_groups if not g.repeating]
    columns: list[tuple[str, list[tuple[str, str]], bool]] = []
    for group in groups:
        for item in group.items:
            columns.append((item.oid, _coded(study, item.value_type, item.codelist),
                            item.type == "multi_choice"))
    header = list(WIDE_KEYS) + (["GROUP_REPEAT"] if repeating is not None else [])
    for oid, codes, _multi in columns:
        header.append(oid)
        if codes:
            header.append(oid + DECODE_SUFFIX)
    rows: list[list[object]] = []
    for instance in instances:
        patient = patients[instance.patient_id].info
        keys: list[object] = [patient.site_code, patient.patient_number, instance.event_oid,
                              instance.event_repeat, instance.visit_day]
        if repeating is not None:
            table = _rows(instance, repeating.oid)
        else:
            flat = {item: value for (group, _r, item), value in instance.values.items()
                    if group in {g.oid for g in groups}}
            table = {0: flat} if flat else {}
        for repeat, values in table.items():
            row = keys + ([repeat] if repeating is not None else [])
            for oid, codes, multi in columns:
                value = values.get(oid, "")
                row.append(value)
                if codes:
                    row.append(_decode(codes, value, multi) if value else "")
            rows.append(row)
    return _csv(header, rows)


# --------------------------------------------------------------------------- derived


def imwg_inputs(patient: _Patient) -> tuple[Baseline, list[Assessment], dt.date | None] | str:
    """Baseline, assessments and new-therapy date of a patient, or why there are none."""
    return clinical.imwg_inputs(patient.forms)


def _imwg(patient: _Patient, settings: ImwgSettings
          ) -> tuple[ImwgResult | None, int, dt.date | None, str]:
    return clinical.evaluate_forms(patient.forms, settings)


def _derived(study: StudyDefinition, patients: list[_Patient]) -> dict[str, bytes]:
    settings = imwg_settings(study)
    rules = dose_rules(study)
    best: list[list[object]] = []
    assessments: list[list[object]] = []
    progression: list[list[object]] = []
    intensity: list[list[object]] = []
    toxicity: list[list[object]] = []
    for patient in patients:
        info = patient.info
        keys: list[object] = [info.site_code, info.patient_number, info.arm or ""]
        aes = [row for form in patient.of("F.AE") for row in _rows(form, "IG.AE.ROW").values()]
        if info.arm is None and not aes:
            continue
        grades = [(int(g), row.get("I.AE.TERM", "")) for row in aes
                  if (g := row.get("I.AE.GRADE", "")).isdigit()]
        worst = max((g for g, _t in grades), default=None)
        toxicity.append([*keys, len(aes), "" if worst is None else worst,
                                "; ".join(sorted({t for g, t in grades if g == worst and t}))])
        if info.arm is None:
            continue
        result, count, base_date, note = _imwg(patient, settings)
        best.append([*keys, _iso(base_date), count,
                            result.best_overall_response.name if result else "",
                            _iso(result.best_response_date if result else None),
                            _iso(result.progression_date if result else None), note])
        assessments.extend(keys + row for row in _assessment_rows(patient, result))
        progression.append([*keys, _iso(info.randomized_on), *_progression(patient, result),
                                   patient.first("F.DEATH", "I.DEATH.DAT") or "",
                                   patient.first("F.DEATH", "I.DEATH.CAUSE") or ""])
        intensity.extend(keys + row for row in _intensity(patient, info.arm, rules))
    return {f"derived/{name}.csv": _csv([c for c, _k, _l in DERIVED[name]], rows)
            for name, rows in (("best_response", best), ("response_assessments", assessments),
                               ("progression_death", progression),
                               ("dose_intensity", intensity), ("worst_toxicity", toxicity))}


def _assessment_rows(patient: _Patient, result: ImwgResult | None) -> list[list[object]]:
    """Each on-study disease assessment: engine category, stored derived and
    investigator's responses side by side (the override is visible)."""
    by_date = {item.date: item for item in result.assessments} if result else {}
    dates = {(f.event_oid, f.event_repeat): day
             for day, f in clinical.dated_assessments(patient.forms)}
    rows: list[list[object]] = []
    for form in patient.of("F.DA"):
        if form.event_oid == "SE.SCREEN":
            continue
        day = dates.get((form.event_oid, form.event_repeat))
        item = by_date.get(day) if day is not None else None
        derived = _value(form, "I.DA.RESP_DERIVED") or ""
        investigator = _value(form, "I.DA.RESP_INV") or ""
        rows.append([form.event_oid, form.event_repeat, _iso(day),
                     item.response.name if item is not None and item.response else "",
                     "" if item is None else ("Y" if item.confirmed else "N"),
                     derived, investigator,
                     "Y" if investigator and derived and investigator != derived else "",
                     _value(form, "I.DA.RESP_OVERRIDE_REASON") or "",
                     "; ".join(item.reasons) if item is not None else ""])
    return rows


def _progression(patient: _Patient, result: ImwgResult | None) -> list[str]:
    first, sources = clinical.first_progression(patient.forms, result)
    return [_iso(first), "; ".join(sources)] if first is not None else ["", ""]


def _intensity(patient: _Patient, arm: str, rules: DoseRules) -> list[list[object]]:
    age = _float(patient.first("F.DM", "I.DM.AGE"))
    rows: list[list[object]] = []
    for drug, form_oid, _prefix in clinical.DOSING_FORMS:
        cycles = patient.of(form_oid, "SE.CYCLE")
        if not cycles:
            continue
        if age is None and drug == DEXAMETHASONE:
            rows.append([drug, len(cycles), "", "", "", "no age at screening"])
            continue
        records, _cycles = clinical.dose_records(patient.forms, drug)
        result = dose_intensity(records, drug, arm, age or 0.0,
                                cycles=[f.event_repeat for f in cycles], rules=rules)
        rdi = result.relative_dose_intensity
        rows.append([drug, len(result.cycles), _number(result.delivered_mg),
                     _number(result.planned_mg), "" if rdi is None else f"{rdi:.4f}", ""])
    return rows


# --------------------------------------------------------------------------- the export


def export_csv(
    db: Database,
    actor: Actor,
    study: StudyDefinition,
    out: Path,
    *,
    site: str | None = None,
    layout: str = "long",
    progress: Callable[[int, int], None] | None = None,
) -> CsvExportSummary:
    """Write the CSV archive to ``out`` (a zip file, replaced atomically when complete).

    ``site`` limits the data to one site; otherwise every site the user may export.
    Needs the export permission; the export is recorded in the audit trail.
    ``progress(done, total)`` is called between the steps (reading, laying out, each
    file of the zip); an exception it raises stops the export and no file is left.
    """
    report = progress or (lambda _done, _total: None)
    if layout not in LAYOUTS:
        raise ValidationError(f"Unknown layout {layout!r}: choose one of {', '.join(LAYOUTS)}.")
    service = ExportService(db, actor)
    sites = service.sites(site)
    infos = service.patients(sites)
    patients = {p.id: _Patient(p) for p in infos}
    known = {form.oid for form in study.forms}
    forms: list[StoredForm] = []
    for form in service.forms(list(patients)):
        if form.form_oid in known:
            patients[form.patient_id].forms.append(form)
            forms.append(form)
    report(1, 4)
    files: dict[str, bytes] = {
        "dictionary.csv": _csv(DICTIONARY_COLUMNS, dictionary_rows(study, layout))}
    files |= _form_files(study, layout, patients, forms)
    report(2, 4)
    files |= _derived(study, list(patients.values()))
    report(3, 4)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".csv-", suffix=".zip", dir=out.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temp_name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        report(4, 4)
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    values = sum(len(f.values) for f in forms)
    where = f"site {site}" if site else "sites " + ", ".join(sites) if sites else "no site"
    service.record_export(site, out.name,
                          f"CSV export ({layout} layout, {where}): {len(infos)} patients, "
                          f"{len(forms)} forms, {values} values")
    return CsvExportSummary(out, layout, tuple(sites), len(infos), len(forms), values,
                            tuple(files))
