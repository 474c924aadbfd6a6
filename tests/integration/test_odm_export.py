"""CDISC ODM 1.3.2 export: valid against the official XSD, complete, and faithful to the data."""

from __future__ import annotations

import collections
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from ctrial_desktop.cli import main
from ctrial_desktop.exchange.odm import ODM_NS, export_odm
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.review import ReviewService
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import AuditRecord, FormData, ItemValue, Patient, Site, User
from ctrial_desktop.study import StudyDefinition, load_study

NS = {"odm": ODM_NS}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
METADATA_TYPES = ("StudyEventDef", "FormDef", "ItemGroupDef", "ItemDef", "CodeList",
                  "MeasurementUnit", "MetaDataVersion", "Study")


def odm_schema() -> etree.XMLSchema:
    """The official ODM 1.3.2 schema, as bundled by the odmlib package."""
    odmlib = pytest.importorskip("odmlib")
    path = Path(odmlib.__file__).parent / "schemas" / "odm" / "1.3.2" / "ODM1-3-2.xsd"
    assert path.is_file(), path
    return etree.XMLSchema(etree.parse(str(path)))


def assert_valid(path: Path) -> etree._ElementTree:
    document = etree.parse(str(path))
    schema = odm_schema()
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)
    return document


@dataclass
class Trial:
    """A demo trial with a few forms saved, one corrected with a reason and one signed."""

    db: Database
    url: str
    study: StudyDefinition
    patient_number: str
    weight_reason: str
    audit_count: int = 0


def build_trial(url: str) -> Trial:
    """The demo trial (with its clinical data), then one patient's demographics saved by us:
    the weight entered, corrected with a reason, and the form signed."""
    db = open_database(url)
    build_demo(db, patients=6, sites=2, seed=7)
    study = load_study(forms_dir())
    auth = AuthService(db)
    coordinator = auth.login("coord01", DEMO_PASSWORD)
    forms = FormService(db, coordinator, study)
    reason = "weighed again: scale was not calibrated"
    for patient in PatientService(db, coordinator).list_patients("01"):
        snapshot = forms.open(patient.id, "SE.SCREEN", 1, "F.DM")
        if snapshot.read_only_reason is None and not snapshot.signed:
            break
    else:
        raise AssertionError("no demographics form of site 01 is open for editing")

    def key(item: str) -> ValueKey:
        return ValueKey("IG.DM.MAIN", 1, item)

    values = {k: v for k, v in snapshot.values.items() if study.item(k.item_oid).is_entered}
    values |= {key("I.DM.VISDAT"): str(patient.consent_date),
               key("I.DM.BRTHDAT"): str(patient.birth_date), key("I.DM.SEX"): patient.sex,
               key("I.DM.HEIGHT"): "170"}
    if patient.sex == "F":
        values[key("I.DM.CHILDPOT")] = "no"
    version = snapshot.version
    for weight in ("70.5", "71.2"):
        values[key("I.DM.WEIGHT")] = weight
        changed = {k: reason for k, v in values.items()
                   if k in snapshot.values and snapshot.values[k] != v}
        saved = forms.save(patient.id, "SE.SCREEN", 1, "F.DM", values,
                           expected_version=version, reasons=changed)
        snapshot, version = saved.snapshot, saved.snapshot.version
    assert snapshot.status == "complete" and snapshot.form_data_id is not None
    investigator = auth.login("inv01", DEMO_PASSWORD)
    ReviewService(db, investigator).sign([snapshot.form_data_id], "inv01", DEMO_PASSWORD)
    return Trial(db, url, study, patient.patient_number, reason)


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trial]:
    path = tmp_path_factory.mktemp("odm") / "trial.sqlite3"
    built = build_trial(f"sqlite:///{path}")
    yield built
    built.db.dispose()


@pytest.fixture(scope="module")
def full_export(trial: Trial, tmp_path_factory: pytest.TempPathFactory) -> etree._ElementTree:
    out = tmp_path_factory.mktemp("out") / "full.xml"
    data_manager = AuthService(trial.db).login("dm", DEMO_PASSWORD)
    with trial.db.read() as s:
        trial.audit_count = s.scalar(select(func.count(AuditRecord.id))) or 0
        patients = s.scalar(select(func.count(Patient.id)))
    summary = export_odm(trial.db, data_manager, trial.study, out)
    assert summary.archival and summary.subjects == patients and summary.signatures >= 1
    return assert_valid(out)


def _all(doc: etree._ElementTree, xpath: str) -> list[etree._Element]:
    return doc.xpath(xpath, namespaces=NS)  # type: ignore[no-any-return]


def test_full_export_is_archival_and_transactional(full_export: etree._ElementTree) -> None:
    root = full_export.getroot()
    assert root.get("ODMVersion") == "1.3.2"
    assert root.get("Archival") == "Yes"
    assert root.get("FileType") == "Transactional"
    assert root.get("CreationDateTime", "").endswith("Z")


def test_global_variables_and_metadata_come_from_the_forms(full_export: etree._ElementTree,
                                                           trial: Trial) -> None:
    study = trial.study
    assert _all(full_export, "//odm:GlobalVariables/odm:StudyName/text()") == [study.info.name]
    assert _all(full_export, "//odm:GlobalVariables/odm:ProtocolName/text()") == [
        study.info.protocol_name]
    assert _all(full_export, "//odm:GlobalVariables/odm:StudyDescription/text()")
    refs = _all(full_export, "//odm:Protocol/odm:StudyEventRef/@StudyEventOID")
    assert refs == [e.oid for e in study.events]
    assert {str(x) for x in _all(full_export, "//odm:FormDef/@OID")} == \
        {f.oid for f in study.forms}
    item_oids = [str(x) for x in _all(full_export, "//odm:ItemDef/@OID")]
    assert sorted(item_oids) == sorted(i.oid for _f, _g, i in study.iter_items())
    assert {str(x) for x in _all(full_export, "//odm:CodeList/@OID")} == \
        {c.oid for c in study.codelists}
    assert {str(x) for x in _all(full_export, "//odm:MeasurementUnit/@OID")} == \
        {u.oid for u in study.units}


def test_questions_are_in_french_and_english(full_export: etree._ElementTree,
                                             trial: Trial) -> None:
    weight = _all(full_export, "//odm:ItemDef[@OID='I.DM.WEIGHT']")[0]
    texts = {t.get(XML_LANG): t.text for t in weight.xpath("odm:Question/odm:TranslatedText",
                                                           namespaces=NS)}
    item = trial.study.item("I.DM.WEIGHT")
    assert texts == {"en": item.label.en, "fr": item.label.fr}
    assert weight.xpath("odm:MeasurementUnitRef/@MeasurementUnitOID", namespaces=NS) == [
        item.unit]
    checks = weight.xpath("odm:RangeCheck", namespaces=NS)
    assert checks and {c.get("SoftHard") for c in checks} <= {"Soft", "Hard"}
    for definition in ("StudyEventDef", "FormDef", "ItemGroupDef", "ItemDef", "CodeList"):
        missing = _all(full_export, f"//odm:{definition}[not(odm:Description)]/@OID")
        assert missing == [], definition
    sex = _all(full_export, "//odm:CodeList[@OID='CL.SEX']/odm:CodeListItem")
    assert [c.get("CodedValue") for c in sex] == ["M", "F"]
    assert {t.get(XML_LANG) for t in sex[1].xpath(".//odm:TranslatedText", namespaces=NS)} == \
        {"en", "fr"}


def test_oids_are_unique_across_every_metadata_element(full_export: etree._ElementTree) -> None:
    oids = [str(x) for t in METADATA_TYPES for x in _all(full_export, f"//odm:{t}/@OID")]
    oids += [str(x) for x in _all(full_export, "//odm:AdminData//@OID")]
    duplicates = [oid for oid, n in collections.Counter(oids).items() if n > 1]
    assert duplicates == []


def test_admin_data_has_users_and_sites(full_export: etree._ElementTree, trial: Trial) -> None:
    with trial.db.read() as s:
        users = {u.username: u for u in s.scalars(select(User))}
        sites = {site.code: site for site in s.scalars(select(Site))}
    exported = _all(full_export, "//odm:AdminData/odm:User")
    by_login = {u.findtext(f"{{{ODM_NS}}}LoginName"): u for u in exported}
    assert set(users) <= set(by_login)
    coordinator = by_login["coord01"]
    assert coordinator.findtext(f"{{{ODM_NS}}}FirstName") == users["coord01"].first_name
    assert coordinator.findtext(f"{{{ODM_NS}}}LastName") == users["coord01"].last_name
    assert coordinator.xpath("odm:LocationRef/@LocationOID", namespaces=NS) == ["LOC.01"]
    locations = _all(full_export, "//odm:AdminData/odm:Location[@LocationType='Site']")
    assert {loc.get("OID") for loc in locations} == {f"LOC.{c}" for c in sites}
    assert all(loc.xpath("odm:MetaDataVersionRef", namespaces=NS) for loc in locations)


def test_every_stored_value_is_exported_with_its_history(full_export: etree._ElementTree,
                                                          trial: Trial) -> None:
    with trial.db.read() as s:
        stored = s.execute(select(Patient.patient_number, FormData.event_oid,
                                  FormData.event_repeat, FormData.form_oid, FormData.visit_day,
                                  ItemValue.item_group_oid, ItemValue.group_repeat,
                                  ItemValue.item_oid, ItemValue.value)
                           .join(FormData, ItemValue.form_data_id == FormData.id)
                           .join(Patient, FormData.patient_id == Patient.id)
                           .where(ItemValue.active.is_(True))).all()
    assert len(stored) >= 10
    index: dict[tuple[str, ...], list[etree._Element]] = collections.defaultdict(list)
    for element in _all(full_export, "//odm:ItemData"):
        group_el = element.getparent()
        form_el = group_el.getparent()
        event_el = form_el.getparent()
        index[(event_el.getparent().get("SubjectKey"), event_el.get("StudyEventOID"),
               event_el.get("StudyEventRepeatKey"), form_el.get("FormOID"),
               form_el.get("FormRepeatKey"), group_el.get("ItemGroupOID"),
               group_el.get("ItemGroupRepeatKey"),
               element.get("ItemOID"))].append(element)
    repeating = {"F.HEM"}  # the only form due on several days of a visit (cycle days)
    for number, event, event_repeat, form, day, group, repeat, item, value in stored:
        form_key = str(day) if form in repeating else None
        history = index[(number, event, str(event_repeat), form, form_key, group, str(repeat),
                         item)]
        assert history, (number, item)
        assert history[-1].get("Value") == value, (number, event, event_repeat, item)
        assert history[0].get("TransactionType") == "Insert"
        definition = trial.study.item(item)
        if definition.type == "choice" and definition.codelist is not None:
            assert value in {str(c) for c in trial.study.codelist(definition.codelist).codes}
    weight = _all(full_export, f"//odm:SubjectData[@SubjectKey='{trial.patient_number}']"
                               "//odm:ItemData[@ItemOID='I.DM.WEIGHT']")
    history = [(w.get("TransactionType"), w.get("Value")) for w in weight]
    assert history[0][0] == "Insert"
    assert [v for _t, v in history[-2:]] == ["70.5", "71.2"] and history[-1][0] == "Update"
    audit = weight[-1].find(f"{{{ODM_NS}}}AuditRecord")
    assert audit is not None
    assert audit.xpath("odm:UserRef/@UserOID", namespaces=NS) == ["U.COORD01"]
    assert audit.xpath("odm:LocationRef/@LocationOID", namespaces=NS) == ["LOC.01"]
    assert audit.findtext(f"{{{ODM_NS}}}ReasonForChange") == trial.weight_reason
    assert audit.findtext(f"{{{ODM_NS}}}DateTimeStamp", "").endswith("Z")
    subject = _all(full_export, f"//odm:SubjectData[@SubjectKey='{trial.patient_number}']")[0]
    assert subject.xpath("odm:SiteRef/@LocationOID", namespaces=NS) == ["LOC.01"]


def test_cycle_blood_counts_are_keyed_by_their_day(full_export: etree._ElementTree,
                                                   trial: Trial) -> None:
    (definition,) = _all(full_export, "//odm:FormDef[@OID='F.HEM']")
    assert definition.get("Repeating") == "Yes"
    assert {d.get("Repeating") for d in _all(full_export, "//odm:FormDef[@OID!='F.HEM']")} == {
        "No"}
    with trial.db.read() as s:
        stored = collections.Counter(s.execute(
            select(FormData.event_oid, FormData.visit_day)
            .where(FormData.form_oid == "F.HEM")).all())
    exported = collections.Counter(
        (f.getparent().get("StudyEventOID"), int(f.get("FormRepeatKey")))
        for f in _all(full_export, "//odm:FormData[@FormOID='F.HEM']"))
    assert exported == stored
    assert {day for (event, day) in exported if event == "SE.CYCLE"} == {1, 8, 15, 22}
    assert not _all(full_export, "//odm:FormData[@FormOID!='F.HEM'][@FormRepeatKey]")


def test_signed_form_carries_its_signature(full_export: etree._ElementTree,
                                           trial: Trial) -> None:
    with trial.db.read() as s:
        signed = s.scalar(select(func.count(FormData.id)).where(FormData.signed.is_(True)))
    assert len(_all(full_export, "//odm:FormData/odm:Signature")) == signed
    signatures = _all(full_export, f"//odm:SubjectData[@SubjectKey='{trial.patient_number}']"
                                   "/odm:StudyEventData[@StudyEventOID='SE.SCREEN']"
                                   "/odm:FormData[@FormOID='F.DM']/odm:Signature")
    assert len(signatures) == 1
    signature = signatures[0]
    assert signature.xpath("odm:UserRef/@UserOID", namespaces=NS) == ["U.INV01"]
    signature_oid = signature.xpath("odm:SignatureRef/@SignatureOID", namespaces=NS)[0]
    assert _all(full_export, f"//odm:AdminData/odm:SignatureDef[@OID='{signature_oid}']")


def test_the_whole_audit_trail_is_in_the_export(full_export: etree._ElementTree,
                                                trial: Trial) -> None:
    records = _all(full_export, "//odm:AuditRecord")
    assert len(records) == trial.audit_count
    separate = _all(full_export, "//odm:ClinicalData/odm:AuditRecords/odm:AuditRecord")
    assert separate and all(r.get("ID", "").startswith("AR.") for r in separate)
    sources = [r.findtext(f"{{{ODM_NS}}}SourceID") for r in separate]
    assert all(s and "hash=" in s for s in sources)
    for record in records:
        assert record.find(f"{{{ODM_NS}}}UserRef") is not None
        assert record.find(f"{{{ODM_NS}}}LocationRef") is not None


def test_export_is_audited_and_the_chain_stays_valid(full_export: etree._ElementTree,
                                                     trial: Trial) -> None:
    with trial.db.read() as s:
        last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
        assert last is not None and last.action == "EXPORT" and last.username == "dm"
        assert verify(s).ok


def test_site_export_holds_only_that_site(trial: Trial, tmp_path: Path) -> None:
    data_manager = AuthService(trial.db).login("dm", DEMO_PASSWORD)
    summary = export_odm(trial.db, data_manager, trial.study, tmp_path / "s.xml", site="02")
    doc = assert_valid(tmp_path / "s.xml")
    keys = [str(k) for k in _all(doc, "//odm:SubjectData/@SubjectKey")]
    assert keys and all(k.startswith("02-") for k in keys) and summary.subjects == len(keys)
    assert [str(x) for x in _all(doc, "//odm:Location[@LocationType='Site']/@OID")] == ["LOC.02"]
    logins = {str(x) for x in _all(doc, "//odm:User/odm:LoginName/text()")}
    assert "coord02" in logins and "coord01" not in logins and "dm" in logins


def test_metadata_only_export(trial: Trial, tmp_path: Path) -> None:
    data_manager = AuthService(trial.db).login("dm", DEMO_PASSWORD)
    export_odm(trial.db, data_manager, trial.study, tmp_path / "m.xml", metadata_only=True)
    doc = assert_valid(tmp_path / "m.xml")
    assert doc.getroot().get("FileType") == "Snapshot"
    assert doc.getroot().get("Archival") is None
    assert _all(doc, "//odm:ClinicalData") == []
    assert _all(doc, "//odm:ItemDef")


def test_only_a_data_manager_exports(trial: Trial, tmp_path: Path) -> None:
    coordinator = AuthService(trial.db).login("coord01", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        export_odm(trial.db, coordinator, trial.study, tmp_path / "x.xml", site="01")
    assert not (tmp_path / "x.xml").exists()


def test_cli_export(trial: Trial, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "cli.xml"
    assert main(["--db", trial.url, "export", "odm", "--out", str(out), "--site", "01",
                 "--user", "dm"]) == 0
    assert "ODM 1.3.2 archival export written" in capsys.readouterr().out
    assert_valid(out)
    assert main(["--db", trial.url, "export", "odm", "--out", str(tmp_path / "y.xml"),
                 "--site", "99", "--user", "dm"]) == 2
    assert "No site 99" in capsys.readouterr().err
    assert main(["--db", trial.url, "export", "odm", "--out", str(tmp_path / "z.xml"),
                 "--user", "coord01"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ctrial: error:") and err.count("\n") == 1
    assert not (tmp_path / "z.xml").exists()


def test_demo_database_export_in_a_subprocess(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env = dict(os.environ, CTRIAL_PASSWORD=DEMO_PASSWORD)
    for command in (["demo", "--patients", "4", "--sites", "2"],
                    ["export", "odm", "--out", str(tmp_path / "demo.xml"), "--user", "dm"]):
        done = subprocess.run([sys.executable, "-m", "ctrial_desktop.cli", "--db", url,
                               *command], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
    doc = assert_valid(tmp_path / "demo.xml")
    db = open_database(url)
    try:
        with db.read() as s:
            patients = s.scalar(select(func.count(Patient.id)))
            values = s.scalar(select(func.count(ItemValue.id)))
    finally:
        db.dispose()
    assert len(_all(doc, "//odm:SubjectData")) == patients >= 4
    assert values and len(_all(doc, "//odm:ItemData")) >= values
