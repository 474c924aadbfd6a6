"""Form versions: data keep the version they were entered with, new entries take the
current one, and the study settings report lists every form's version and amendments."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, select, update

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.forms import FormService
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import FormData, ItemValue, Patient, Site
from ctrial_desktop.study import StudyDefinition, load_study

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    return load_study(forms_dir())


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('versions') / 't.sqlite3'}")
    build_demo(database, patients=3, sites=1, seed=3)
    yield database
    database.dispose()


def _pom_forms(db: Database) -> list[tuple[int, int, int, str]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(FormData.id, FormData.patient_id, FormData.event_repeat, Site.code)
            .join(Patient, FormData.patient_id == Patient.id).join(Site)
            .where(FormData.form_oid == "F.POM", FormData.active.is_(True))
            .order_by(FormData.id))]


def test_old_data_keep_their_version_and_new_entries_take_the_current_one(
        db: Database, study: StudyDefinition) -> None:
    forms = _pom_forms(db)
    assert len(forms) >= 2
    (old_id, old_patient, old_cycle, site), (new_id, new_patient, new_cycle, _site) = forms[:2]
    with db.write() as s:  # as if entered before the amendment
        s.execute(update(FormData).where(FormData.id == old_id).values(form_version="1.0"))
    service = FormService(db, AuthService(db).login(f"coord{site}", DEMO_PASSWORD), study)

    before = service.open(old_patient, "SE.CYCLE", old_cycle, "F.POM")
    assert before.form_version == "1.0"
    values = dict(before.values)
    key = next(k for k in values if k.item_oid == "I.POM.RETURNED")
    values[key] = "1" if values[key] != "1" else "2"
    after = service.save(old_patient, "SE.CYCLE", old_cycle, "F.POM", values,
                         expected_version=before.version,
                         reasons={key: "transcription error corrected"}).snapshot
    assert after.form_version == "1.0" and after.version == before.version + 1

    entered = service.open(new_patient, "SE.CYCLE", new_cycle, "F.POM")
    with db.write() as s:  # the form is entered again from scratch
        s.execute(delete(ItemValue).where(ItemValue.form_data_id == new_id))
        s.execute(delete(FormData).where(FormData.id == new_id))
    blank = service.open(new_patient, "SE.CYCLE", new_cycle, "F.POM")
    assert blank.form_data_id is None
    saved = service.save(new_patient, "SE.CYCLE", new_cycle, "F.POM", dict(entered.values),
                         expected_version=blank.version).snapshot
    assert saved.form_version == study.form("F.POM").version == "1.1"


def test_the_study_settings_report_lists_settings_and_form_versions(
        tmp_path: Path, study: StudyDefinition) -> None:
    out = tmp_path / "settings.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "ctrial_desktop.cli", "report", "study-settings", "--out",
         str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(str(out))
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    for form in study.forms:
        assert f"{form.oid} · {form.name.en}" in text
    assert "Dose advice group added" in text and "24/11/2026" in text
    assert "25/11/2026" in text
    squeezed = "".join(text.split())  # long names wrap inside their cell
    for entry in study.setting_entries:
        assert entry.path.split(".", 1)[-1] in squeezed, entry.path

    def titles(outline: list) -> list[str]:  # type: ignore[type-arg]
        found: list[str] = []
        for item in outline:
            found.extend(titles(item) if isinstance(item, list) else [item.title])
        return found

    sections = titles(reader.outline)
    for name in ("Study", "Arms", "Visit schedule", "Settings", "visits", "treatment",
                 "Form versions and amendments", "F.POM · Pomalidomide administration"):
        assert name in sections, name
    assert "page 1 of" in reader.pages[0].extract_text()


def test_every_setting_has_its_french_description(study: StudyDefinition) -> None:
    for entry in study.setting_entries:
        assert entry.description_fr, entry.path
        assert entry.meaning("en").startswith(entry.description)
        assert entry.meaning("fr").startswith(entry.description_fr)
    for form in study.forms:
        for revision in form.history:
            assert revision.amendment.fr != revision.amendment.en


def test_the_french_study_settings_report_is_in_french(tmp_path: Path,
                                                       study: StudyDefinition) -> None:
    from ctrial_desktop.reports.study_settings import build_study_settings

    out = tmp_path / "settings-fr.pdf"
    build_study_settings(study, out, printed_by="dm", language="fr")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(out)).pages)
    squeezed = "".join(text.split())
    for entry in study.setting_entries:
        assert entry.description not in text, entry.path
        assert "".join(entry.meaning("fr").split())[:40] in squeezed, entry.path
    assert "Modification de l'eCRF, sans amendement au protocole" in text
    assert "eCRF change" not in text and "Initial eCRF" not in text
    assert "RCP du pomalidomide" in text and "Pomalidomide label" not in text
    assert " true " not in text and " oui " in text and "0,5" in text
