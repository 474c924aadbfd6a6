"""CSV export for statisticians: both layouts, the dictionary, derived datasets, permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ctrial_desktop.cli import main
from ctrial_desktop.domain.dosing import DoseRecord, dose_intensity
from ctrial_desktop.domain.imwg import Assessment, Baseline, evaluate_response
from ctrial_desktop.exchange.csv_export import export_csv
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.demo import DEMO_PASSWORD, DemoSummary, build_demo
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.services.forms import FormService, FormSnapshot, ValueKey
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import AuditRecord, FormData, Patient, Site
from ctrial_desktop.study import StudyDefinition, load_study

Table = list[dict[str, str]]


@dataclass
class Trial:
    db: Database
    url: str
    study: StudyDefinition
    summary: DemoSummary
    dm: Actor
    #: Every stored form as FormService.open returns it, keyed by (patient, event, repeat,
    #: form, visit day).
    snapshots: dict[tuple[str, str, int, str, int], FormSnapshot]


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trial]:
    path = tmp_path_factory.mktemp("csv") / "trial.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url)
    summary = build_demo(db, patients=4, sites=2, seed=7)
    study = load_study(forms_dir())
    dm = AuthService(db).login("dm", DEMO_PASSWORD)
    forms = FormService(db, dm, study)
    with db.read() as s:
        instances = s.execute(
            select(Patient.patient_number, FormData.patient_id, FormData.event_oid,
                   FormData.event_repeat, FormData.form_oid, FormData.visit_day)
            .join(Patient, FormData.patient_id == Patient.id)
            .where(FormData.active.is_(True))).all()
    snapshots = {(number, event, repeat, form, day): forms.open(pid, event, repeat, form,
                                                                day=day)
                 for number, pid, event, repeat, form, day in instances}
    assert {k[4] for k in snapshots if k[3] == "F.HEM"} == {1, 8, 15, 22}
    yield Trial(db, url, study, summary, dm, snapshots)
    db.dispose()


def read_zip(path: Path) -> dict[str, Table]:
    with zipfile.ZipFile(path) as archive:
        tables = {}
        for name in archive.namelist():
            raw = archive.read(name)
            assert not raw.startswith(b"\xef\xbb\xbf"), f"{name} starts with a byte-order mark"
            text = raw.decode("utf-8")
            assert "\r\n" in text, name
            tables[name] = list(csv.DictReader(io.StringIO(text, newline="")))
        return tables


@pytest.fixture(scope="module")
def long_export(trial: Trial, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Table]:
    out = tmp_path_factory.mktemp("long") / "long.zip"
    summary = export_csv(trial.db, trial.dm, trial.study, out, layout="long")
    assert summary.patients == trial.summary.patients
    assert summary.forms == len(trial.snapshots)
    return read_zip(out)


@pytest.fixture(scope="module")
def wide_export(trial: Trial, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Table]:
    out = tmp_path_factory.mktemp("wide") / "wide.zip"
    export_csv(trial.db, trial.dm, trial.study, out, layout="wide")
    return read_zip(out)


def stored(snapshot: FormSnapshot) -> dict[ValueKey, str]:
    return {k: v for k, v in snapshot.values.items() if v is not None and v != ""}


def test_dictionary_describes_every_item_and_column(trial: Trial, long_export: dict[str, Table],
                                                    wide_export: dict[str, Table]) -> None:
    for tables in (long_export, wide_export):
        dictionary = tables["dictionary.csv"]
        names = {(row["dataset"], row["name"]) for row in dictionary}
        for form, group, item in trial.study.iter_items():
            rows = [r for r in dictionary if r["name"] == item.oid]
            assert rows, item.oid
            row = rows[0]
            assert (row["form"], row["item_group"], row["label"]) == (form.oid, group.oid,
                                                                      item.label.en)
            if item.unit is not None:
                assert row["unit"] == trial.study.unit(item.unit).symbol
            if item.codelist is not None:
                for code in trial.study.codelist(item.codelist).items:
                    assert f"{code.code}={code.decode.en}" in row["codes"]
        for name, table in tables.items():
            if name != "dictionary.csv" and table:
                for column in table[0]:
                    assert (name, column) in names, (name, column)
    grade = next(r for r in long_export["dictionary.csv"] if r["name"] == "I.AE.GRADE")
    assert grade["type"] == "choice" and "5=" in grade["codes"]


def test_long_layout_holds_exactly_the_values_forms_show(trial: Trial,
                                                         long_export: dict[str, Table]) -> None:
    exported: dict[tuple[str, str, int, str, int], dict[ValueKey, str]] = {}
    for name, table in long_export.items():
        if not name.startswith("forms/"):
            continue
        form_oid = name.removeprefix("forms/").removesuffix(".csv")
        for row in table:
            key = (row["SUBJID"], row["EVENT"], int(row["EVENT_REPEAT"]), form_oid,
                   int(row["VISIT_DAY"]))
            value_key = ValueKey(row["ITEM_GROUP"], int(row["GROUP_REPEAT"]), row["ITEM"])
            assert value_key not in exported.setdefault(key, {})
            exported[key][value_key] = row["VALUE"]
    expected = {k: stored(s) for k, s in trial.snapshots.items() if stored(s)}
    assert exported == expected
    assert sum(map(len, exported.values())) > 1000
    dates = [row["VALUE"] for row in long_export["forms/F.DA.csv"] if row["ITEM"] == "I.DA.DAT"]
    assert dates and all(dt.date.fromisoformat(d) for d in dates)
    smp = [row["VALUE"] for row in long_export["forms/F.DA.csv"] if row["ITEM"] == "I.DA.SMP"]
    assert smp and all("," not in v and float(v) >= 0 for v in smp)


def test_wide_layout_one_row_per_instance_with_decodes(trial: Trial,
                                                       wide_export: dict[str, Table]) -> None:
    checked = 0
    for (number, event, repeat, form_oid, day), snapshot in trial.snapshots.items():
        form = trial.study.form(form_oid)
        for group in form.item_groups:
            values = {k: v for k, v in stored(snapshot).items() if k.group_oid == group.oid}
            if not values:
                continue
            dataset = f"forms/{form_oid}.{group.oid}.csv" if group.repeating \
                else f"forms/{form_oid}.csv"
            rows = [r for r in wide_export[dataset] if (r["SUBJID"], r["EVENT"],
                                                        int(r["EVENT_REPEAT"]),
                                                        int(r["VISIT_DAY"])) ==
                    (number, event, repeat, day)]
            for key, value in values.items():
                matching = [r for r in rows
                            if not group.repeating or int(r["GROUP_REPEAT"]) == key.repeat]
                assert len(matching) == 1, (dataset, key)
                row = matching[0]
                assert row[key.item_oid] == value
                item = trial.study.item(key.item_oid)
                if item.type == "choice" and item.codelist is not None:
                    decode = trial.study.codelist(item.codelist).decode(value, "en")
                    assert row[key.item_oid + "_decode"] == decode
                if item.type == "yes_no":
                    assert row[key.item_oid + "_decode"] == {"Y": "Yes", "N": "No"}[value]
                checked += 1
            if group.repeating:
                assert len(rows) == len({k.repeat for k in values})
    assert checked == sum(len(stored(s)) for s in trial.snapshots.values())


def _by_patient(table: Table) -> dict[str, Table]:
    grouped: dict[str, Table] = {}
    for row in table:
        grouped.setdefault(row["SUBJID"], []).append(row)
    return grouped


def _values(trial: Trial, number: str, form: str, event: str | None = None
            ) -> list[tuple[str, int, dict[ValueKey, str]]]:
    found = sorted((e, r, d, stored(s)) for (n, e, r, f, d), s in trial.snapshots.items()
                   if n == number and f == form and (event is None or e == event))
    return [(e, r, values) for e, r, _d, values in found]


def _item(values: dict[ValueKey, str], oid: str, repeat: int = 1) -> str | None:
    return next((v for k, v in values.items() if k.item_oid == oid and k.repeat == repeat),
                None)


def _number(text: str | None) -> float | None:
    return float(text) if text is not None else None


def test_best_response_agrees_with_the_imwg_engine(trial: Trial,
                                                   wide_export: dict[str, Table]) -> None:
    rows = _by_patient(wide_export["derived/best_response.csv"])
    assert len(rows) == trial.summary.randomized
    found = sorted(r[0]["BEST_RESPONSE"] for r in rows.values())
    assert found == sorted(k for k, n in trial.summary.responses.items() for _ in range(n))
    for number, (row,) in rows.items():
        (_e, _r, screening), = _values(trial, number, "F.DA", "SE.SCREEN")
        (_e, _r, history), = _values(trial, number, "F.MH")
        baseline = Baseline(dt.date.fromisoformat(_item(screening, "I.DA.DAT") or ""),
                            serum_m=_number(_item(screening, "I.DA.SMP")),
                            urine_m=_number(_item(screening, "I.DA.UMP")),
                            flc_kappa=_number(_item(screening, "I.DA.KAPPA")),
                            flc_lambda=_number(_item(screening, "I.DA.LAMBDA")),
                            involved_flc=(_item(history, "I.MH.LIGHT") or "").lower())
        ife = {"POS": "positive", "NEG": "negative"}
        assessments = sorted((Assessment(
            dt.date.fromisoformat(_item(v, "I.DA.DAT") or ""),
            serum_m=_number(_item(v, "I.DA.SMP")), serum_ife=ife[_item(v, "I.DA.SIFE") or ""],
            urine_m=_number(_item(v, "I.DA.UMP")), urine_ife=ife[_item(v, "I.DA.UIFE") or ""],
            flc_kappa=_number(_item(v, "I.DA.KAPPA")),
            flc_lambda=_number(_item(v, "I.DA.LAMBDA")), new_lesion=False)
            for e, _r, v in _values(trial, number, "F.DA") if e != "SE.SCREEN"),
            key=lambda a: a.date)
        result = evaluate_response(baseline, assessments)
        assert row["BASELINE_DATE"] == baseline.date.isoformat()
        assert int(row["ASSESSMENTS"]) == len(assessments)
        assert row["BEST_RESPONSE"] == result.best_overall_response.name
        assert row["IMWG_PROGRESSION_DATE"] == (result.progression_date.isoformat()
                                                if result.progression_date else "")
        assert row["NOTE"] == ""


def test_progression_and_death_dates(trial: Trial, wide_export: dict[str, Table]) -> None:
    rows = _by_patient(wide_export["derived/progression_death.csv"])
    best = _by_patient(wide_export["derived/best_response.csv"])
    deaths = 0
    for number, (row,) in rows.items():
        candidates = [d for d in (best[number][0]["IMWG_PROGRESSION_DATE"],) if d]
        for _e, _r, values in _values(trial, number, "F.EOT"):
            candidates += [v for v in (_item(values, "I.EOT.PDDAT"),) if v]
        for _e, _r, values in _values(trial, number, "F.FU"):
            if _item(values, "I.FU.PD") == "Y":
                candidates.append(_item(values, "I.FU.PDDAT") or "")
        assert row["PROGRESSION_DATE"] == min(candidates, default="")
        death = _values(trial, number, "F.DEATH")
        if death:
            deaths += 1
            assert row["DEATH_DATE"] == _item(death[0][2], "I.DEATH.DAT")
            assert row["DEATH_CAUSE"] == _item(death[0][2], "I.DEATH.CAUSE")
        else:
            assert row["DEATH_DATE"] == ""
        dt.date.fromisoformat(row["RANDOMIZATION_DATE"])
    assert deaths == trial.summary.deaths


def test_dose_intensity_agrees_with_the_dosing_engine(trial: Trial,
                                                      wide_export: dict[str, Table]) -> None:
    rows = wide_export["derived/dose_intensity.csv"]
    assert {r["DRUG"] for r in rows} == {"pomalidomide", "dexamethasone"}
    for row in rows:
        form, prefix = ("F.POM", "I.POM") if row["DRUG"] == "pomalidomide" else ("F.DEX", "I.DEX")
        (_e, _r, dm), = _values(trial, row["SUBJID"], "F.DM")
        records, cycles = [], []
        for _event, cycle, values in _values(trial, row["SUBJID"], form, "SE.CYCLE"):
            cycles.append(cycle)
            days = {k.repeat for k in values if k.item_oid == f"{prefix}.DAY"}
            for repeat in days:
                taken = _item(values, f"{prefix}.STATUS", repeat) != "NOT_TAKEN"
                dose = float(_item(values, f"{prefix}.DOSE", repeat) or 0) if taken else 0.0
                records.append(DoseRecord(cycle, int(_item(values, f"{prefix}.DAY", repeat)
                                                     or 0), row["DRUG"], dose))
        expected = dose_intensity(records, row["DRUG"], row["ARM"],
                                  float(_item(dm, "I.DM.AGE") or 0), cycles=cycles)
        assert int(row["CYCLES"]) == len(cycles)
        assert float(row["DELIVERED_MG"]) == pytest.approx(expected.delivered_mg)
        assert float(row["PLANNED_MG"]) == pytest.approx(expected.planned_mg)
        assert float(row["RELATIVE_DOSE_INTENSITY"]) == pytest.approx(
            expected.relative_dose_intensity, abs=5e-5)


def test_worst_toxicity_grade(trial: Trial, wide_export: dict[str, Table]) -> None:
    rows = _by_patient(wide_export["derived/worst_toxicity.csv"])
    total = 0
    for number, (row,) in rows.items():
        grades = [int(v) for _e, _r, values in _values(trial, number, "F.AE")
                  for k, v in values.items() if k.item_oid == "I.AE.GRADE"]
        total += len(grades)
        assert int(row["AE_COUNT"]) == len(grades)
        assert row["WORST_GRADE"] == (str(max(grades)) if grades else "")
    assert total == trial.summary.adverse_events
    assert any(r[0]["WORST_GRADE"] for r in rows.values())


def _exports(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(AuditRecord.id)).where(
            AuditRecord.action == "EXPORT", AuditRecord.item == "csv")) or 0


def test_permissions_site_scope_and_audit(trial: Trial, tmp_path: Path) -> None:
    coordinator = AuthService(trial.db).login("coord01", DEMO_PASSWORD)
    before = _exports(trial.db)
    with pytest.raises(PermissionDenied):
        export_csv(trial.db, coordinator, trial.study, tmp_path / "refused.zip")
    assert not (tmp_path / "refused.zip").exists() and _exports(trial.db) == before
    summary = export_csv(trial.db, trial.dm, trial.study, tmp_path / "site.zip", site="01",
                         layout="wide")
    assert summary.sites == ("01",)
    tables = read_zip(tmp_path / "site.zip")
    sites = {r["SITE"] for name, t in tables.items() if name != "dictionary.csv" for r in t}
    assert sites == {"01"}
    with trial.db.read() as s:
        patients = s.scalar(select(func.count(Patient.id)).join(Site).where(Site.code == "01"))
    assert summary.patients == patients
    assert _exports(trial.db) == before + 1
    with trial.db.read() as s:
        assert verify(s).ok


def test_cli_export_csv(trial: Trial, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "export.zip"
    assert main(["--db", trial.url, "export", "csv", "--out", str(out), "--layout", "wide",
                 "--user", "dm"]) == 0
    printed = capsys.readouterr().out
    assert "CSV export (wide layout) written" in printed and "01, 02" in printed
    assert "forms/F.AE.IG.AE.ROW.csv" in read_zip(out)
    assert main(["--db", trial.url, "export", "csv", "--out", str(tmp_path / "c.zip"),
                 "--user", "coord01"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "not allowed to export" in error
    assert main(["--db", trial.url, "export", "csv", "--out", str(tmp_path),
                 "--user", "dm"]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["--db", trial.url, "export", "csv", "--out", str(tmp_path / "s.zip"),
                 "--site", "99", "--user", "dm"]) == 2
    assert "No site 99" in capsys.readouterr().err


def test_cli_export_csv_in_a_subprocess(trial: Trial, tmp_path: Path) -> None:
    out = tmp_path / "long.zip"
    env = dict(os.environ, CTRIAL_PASSWORD=DEMO_PASSWORD)
    done = subprocess.run([sys.executable, "-m", "ctrial_desktop.cli", "--db", trial.url,
                           "export", "csv", "--out", str(out), "--user", "dm"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "long layout" in done.stdout
    tables = read_zip(out)
    assert set(tables["forms/F.DM.csv"][0]) == {"SITE", "SUBJID", "EVENT", "EVENT_REPEAT",
                                                "VISIT_DAY",
                                                "ITEM_GROUP", "GROUP_REPEAT", "ITEM", "VALUE"}
