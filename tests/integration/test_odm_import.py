"""Site-to-central transfer: checksum, audit-chain continuity, merge, conflicts, round trip."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from ctrial_desktop.cli import main
from ctrial_desktop.exchange.odm import ODM_NS, export_odm
from ctrial_desktop.exchange.transfer import (
    CHECKSUM_PREFIX,
    CHECKSUM_SUFFIX,
    TRANSFER_NS,
    TransferError,
    export_transfer,
    import_transfer,
    verify_checksum,
)
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.store.audit import AuditContext, compute_hash, verify
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import (
    AllocationListRecord,
    AuditRecord,
    FormData,
    ItemValue,
    Patient,
)
from ctrial_desktop.store.models_exchange import (
    ExchangeConflict,
    ExchangeImport,
    ExchangeSiteAudit,
    ExchangeSiteChain,
)
from ctrial_desktop.study import StudyDefinition, load_study
from tests import pg_fixtures

NS = {"odm": ODM_NS}

pg_url = pg_fixtures.pg_url
pg_db = pg_fixtures.pg_db


@dataclass
class Sites:
    study: StudyDefinition
    folder: Path
    site_a: Database
    site_b: Database
    file_a: Path
    file_b: Path
    central_template: Path


def _dm(db: Database):  # type: ignore[no-untyped-def]
    return AuthService(db).login("dm", DEMO_PASSWORD)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    folder = tmp_path_factory.mktemp("transfer")
    study = load_study(forms_dir())
    site_a = open_database(f"sqlite:///{folder / 'site_a.sqlite3'}")
    build_demo(site_a, patients=2, sites=1, seed=3)
    site_b = open_database(f"sqlite:///{folder / 'site_b.sqlite3'}")
    build_demo(site_b, patients=2, sites=2, seed=5)
    file_a = export_transfer(site_a, _dm(site_a), study, folder / "a.xml", "01").path
    file_b = export_transfer(site_b, _dm(site_b), study, folder / "b.xml", "02").path
    template = folder / "central_template.sqlite3"
    central = open_database(f"sqlite:///{template}")
    build_demo(central, patients=0, sites=1, seed=1, clinical=False)
    central.dispose()
    yield Sites(study, folder, site_a, site_b, file_a, file_b, template)
    site_a.dispose()
    site_b.dispose()


@pytest.fixture
def central(sites: Sites, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "central.sqlite3"
    _copy_sqlite(sites.central_template, path)
    db = open_database(f"sqlite:///{path}")
    yield db
    db.dispose()


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database still open elsewhere (WAL included)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _values(path: Path, site: str) -> dict[tuple[str, ...], str | None]:
    """Current value of every item of a site's subjects in an ODM export (last ItemData)."""
    values: dict[tuple[str, ...], str | None] = {}
    document = etree.parse(str(path))
    for subject in document.iterfind(".//odm:SubjectData", NS):
        if not subject.get("SubjectKey", "").startswith(site + "-"):
            continue
        for event in subject.iterfind("odm:StudyEventData", NS):
            for form in event.iterfind("odm:FormData", NS):
                for group in form.iterfind("odm:ItemGroupData", NS):
                    for item in group.iterfind("odm:ItemData", NS):
                        key = (subject.get("SubjectKey"), event.get("StudyEventOID"),
                               event.get("StudyEventRepeatKey"), form.get("FormOID"),
                               form.get("FormRepeatKey", ""), group.get("ItemGroupOID"),
                               group.get("ItemGroupRepeatKey"),
                               item.get("ItemOID"))
                        values[key] = (None if item.get("TransactionType") == "Remove"
                                       else item.get("Value"))  # type: ignore[assignment]
    return values


def _counts(db: Database) -> tuple[int, ...]:
    with db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) or 0
                     for model in (Patient, FormData, ItemValue, AuditRecord, ExchangeImport,
                                   ExchangeSiteAudit))


def _audit_rows(db: Database) -> list[tuple[object, ...]]:
    with db.read() as session:
        return [(r.seq, r.timestamp_utc, r.username, r.action, r.table_name, r.record_id,
                 r.item, r.old_value, r.new_value, r.reason, r.prev_hash, r.hash)
                for r in session.scalars(select(AuditRecord).order_by(AuditRecord.seq))]


def test_round_trip_into_an_empty_central_database(sites: Sites, central: Database) -> None:
    summary = import_transfer(central, _dm(central), sites.file_a)
    assert not summary.skipped and summary.site == "01"
    assert summary.patients_new == 2 and summary.values_new > 100 and not summary.conflicts
    out = sites.folder / "central_export.xml"
    export_odm(central, _dm(central), sites.study, out, site="01")
    site_values = _values(sites.file_a, "01")
    assert site_values and _values(out, "01") == site_values
    # every cycle day's blood count is its own form at central as at the site
    assert {k[4] for k in site_values if k[1] == "SE.CYCLE" and k[3] == "F.HEM"} == {
        "1", "8", "15", "22"}

    def days(db: Database) -> list[tuple[str, int, int, int]]:
        with db.read() as session:
            return sorted(tuple(row) for row in session.execute(  # type: ignore[misc]
                select(Patient.patient_number, FormData.event_repeat, FormData.visit_day,
                       func.count(ItemValue.id))
                .join(FormData, FormData.patient_id == Patient.id)
                .join(ItemValue, ItemValue.form_data_id == FormData.id)
                .where(FormData.form_oid == "F.HEM", FormData.event_oid == "SE.CYCLE",
                       ItemValue.active.is_(True))
                .group_by(Patient.patient_number, FormData.event_repeat, FormData.visit_day)))

    assert days(central) == [d for d in days(sites.site_a) if d[0].startswith("01-")]
    # the site's audit trail is kept verbatim at central, up to the head stated in the file
    with central.read() as session:
        kept = [(r.seq, r.timestamp_utc, r.username, r.action, r.table_name, r.record_id,
                 r.item, r.old_value, r.new_value, r.reason, r.prev_hash, r.hash)
                for r in session.scalars(select(ExchangeSiteAudit)
                                         .order_by(ExchangeSiteAudit.seq))]
        chain = session.scalar(select(ExchangeSiteChain))
        assert verify(session).ok
        assert session.scalar(select(func.count()).select_from(AllocationListRecord)) == 0
    assert kept == _audit_rows(sites.site_a)[:len(kept)]
    assert chain is not None and (chain.last_seq, chain.last_hash) == (kept[-1][0], kept[-1][-1])
    assert "canonical_text" not in sites.file_a.read_text(encoding="utf-8")


def test_the_same_file_twice_changes_nothing(sites: Sites, central: Database) -> None:
    import_transfer(central, _dm(central), sites.file_a)
    before = _counts(central)
    again = import_transfer(central, _dm(central), sites.file_a)
    assert again.skipped and "already imported" in again.message
    assert _counts(central)[:3] == before[:3] and _counts(central)[4:] == before[4:]


def test_two_sites_merged_into_one_central_database(sites: Sites, central: Database) -> None:
    first = import_transfer(central, _dm(central), sites.file_a)
    second = import_transfer(central, _dm(central), sites.file_b)
    assert second.site == "02" and second.patients_new >= 1
    with central.read() as session:
        numbers = set(session.scalars(select(Patient.patient_number)))
        chains = {c.site_code for c in session.scalars(select(ExchangeSiteChain))}
        assert verify(session).ok
    assert {n[:2] for n in numbers} == {"01", "02"}
    assert len(numbers) == first.patients_new + second.patients_new
    assert chains == {"01", "02"}


def test_a_tampered_file_is_refused(sites: Sites, central: Database, tmp_path: Path) -> None:
    data = bytearray(sites.file_a.read_bytes())
    index = data.index(b'Value="') + len(b'Value="')
    data[index] = ord("9") if data[index] != ord("9") else ord("8")
    tampered = tmp_path / "tampered.xml"
    tampered.write_bytes(bytes(data))
    dm = _dm(central)
    before = _counts(central)
    with pytest.raises(TransferError, match="fails its checksum"):
        import_transfer(central, dm, tampered)
    plain = tmp_path / "plain.xml"
    plain.write_bytes(sites.file_a.read_bytes().rsplit(CHECKSUM_PREFIX, 1)[0])
    with pytest.raises(TransferError, match="no checksum line"):
        verify_checksum(plain)
    assert _counts(central) == before


def _rewrite_history(source: Path, target: Path, seq: int) -> None:
    """What a site altering its history would send: record ``seq`` changed, every later hash
    recomputed so the file's own chain and checksum are consistent again."""
    document = etree.parse(str(source))
    transfer = document.getroot().find(f"{{{TRANSFER_NS}}}Transfer")
    assert transfer is not None
    prev = "0" * 64
    for element in transfer.iterfind(f"{{{TRANSFER_NS}}}AuditRecord"):
        fields = dict(element.attrib)
        if int(fields["seq"]) == seq:
            element.set("reason", "rewritten afterwards")
            fields["reason"] = "rewritten afterwards"
        record = _Record(fields)
        new_hash = compute_hash(prev, record)
        element.set("prev_hash", prev)
        element.set("hash", new_hash)
        prev = new_hash
    transfer.set("ChainHash", prev)
    body = etree.tostring(document, xml_declaration=True, encoding="utf-8") + b"\n"
    digest = hashlib.sha256(body).hexdigest().encode()
    target.write_bytes(body + CHECKSUM_PREFIX + digest + CHECKSUM_SUFFIX)


class _Record:
    def __init__(self, fields: dict[str, str]) -> None:
        for name in ("seq", "user_id", "record_id"):
            setattr(self, name, int(fields[name]) if name in fields else None)
        for name in ("timestamp_utc", "username", "role", "site_code", "session_id", "action",
                     "table_name", "item", "reason"):
            setattr(self, name, fields.get(name, ""))
        for name in ("old_value", "new_value"):
            setattr(self, name, fields.get(name))


def test_a_site_history_altered_between_transfers_is_refused(
        sites: Sites, central: Database, tmp_path: Path) -> None:
    import_transfer(central, _dm(central), sites.file_a)
    altered = tmp_path / "altered.xml"
    _rewrite_history(sites.file_a, altered, seq=5)
    verify_checksum(altered)  # consistent in itself: only the chain received before tells
    dm = _dm(central)
    before = _counts(central)
    with pytest.raises(TransferError, match="altered between two transfers"):
        import_transfer(central, dm, altered)
    assert _counts(central) == before


def _site_ctx(db: Database, username: str, site: str) -> AuditContext:
    actor = AuthService(db).login(username, DEMO_PASSWORD)
    return actor.audit_context(site)


def _value_of(db: Database, number: str, item_oid: str) -> ItemValue:
    with db.read() as session:
        value = session.scalars(select(ItemValue).join(FormData).join(Patient).where(
            Patient.patient_number == number, ItemValue.item_oid == item_oid,
            ItemValue.active.is_(True), ItemValue.value.is_not(None))
            .order_by(ItemValue.id)).first()
        assert value is not None
        session.expunge(value)
        return value


def _change(db: Database, ctx: AuditContext, value_id: int, text: str, reason: str) -> None:
    with db.write() as session:
        row = session.get(ItemValue, value_id)
        assert row is not None
        db.audit.update(session, ctx, row, {"value": text}, reason)


def test_conflicting_change_is_listed_not_applied(sites: Sites, tmp_path: Path) -> None:
    # a separate site database, so the module's files stay as they are
    site_path = tmp_path / "site.sqlite3"
    _copy_sqlite(sites.folder / "site_a.sqlite3", site_path)
    site = open_database(f"sqlite:///{site_path}")
    central_path = tmp_path / "central.sqlite3"
    _copy_sqlite(sites.central_template, central_path)
    central = open_database(f"sqlite:///{central_path}")
    try:
        number = "01-001"
        import_transfer(central, _dm(central), sites.file_a)
        weight_site = _value_of(site, number, "I.DM.WEIGHT")
        weight_central = _value_of(central, number, "I.DM.WEIGHT")
        height_site = _value_of(site, number, "I.DM.HEIGHT")
        # the data manager corrects the weight at central; the site changes it differently
        _change(central, _dm(central).audit_context(None), weight_central.id, "71",
                "data manager correction after source check")
        site_ctx = _site_ctx(site, "dm", "01")
        _change(site, site_ctx, weight_site.id, "73", "weighed again")
        _change(site, site_ctx, height_site.id, "181", "measured again")
        second = export_transfer(site, _dm(site), sites.study, tmp_path / "second.xml", "01")
        summary = import_transfer(central, _dm(central), second.path)
        assert [c.as_dict() for c in summary.conflicts] == [{
            "patient": number, "location": summary.conflicts[0].location, "item": "I.DM.WEIGHT",
            "central_value": "71", "site_value": "73"}]
        assert _value_of(central, number, "I.DM.WEIGHT").value == "71"  # nothing overwritten
        assert _value_of(central, number, "I.DM.HEIGHT").value == "181"  # the site's change
        assert summary.values_updated == 1 and summary.audit_records > 0
        with central.read() as session:
            stored = session.scalars(select(ExchangeConflict)).all()
            assert [(c.item, c.central_value, c.site_value) for c in stored] == [
                ("I.DM.WEIGHT", "71", "73")]
            assert verify(session).ok
    finally:
        site.dispose()
        central.dispose()


def test_cli_import_prints_the_json_summary_and_exit_codes(
        sites: Sites, central: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)
    url = str(central.engine.url)
    assert main(["--db", url, "import", "odm", str(sites.file_a), "--user", "dm"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["skipped"] is False and first["site"] == "01"
    assert first["patients"] == {"new": 2, "updated": 0} and first["conflicts"] == []
    assert first["chain"]["seq"] == first["audit_records"] > 0
    assert main(["--db", url, "import", "odm", str(sites.file_a), "--user", "dm"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["skipped"] is True and again["sha256"] == first["sha256"]
    broken = tmp_path / "broken.xml"
    broken.write_bytes(sites.file_a.read_bytes().replace(b'Value="', b'Value="1', 1))
    assert main(["--db", url, "import", "odm", str(broken), "--user", "dm"]) == 2
    assert "fails its checksum" in capsys.readouterr().err
    out = tmp_path / "site_b.xml"
    assert main(["--db", str(sites.site_b.engine.url), "export", "transfer", "--site", "02",
                 "--out", str(out), "--user", "dm"]) == 0
    assert "transfer file of site 02 written" in capsys.readouterr().out
    assert verify_checksum(out)


@pytest.mark.postgres
def test_import_on_postgresql(sites: Sites, pg_db: Database) -> None:
    build_demo(pg_db, patients=0, sites=1, seed=1, clinical=False)
    first = import_transfer(pg_db, _dm(pg_db), sites.file_a)
    assert first.patients_new == 2 and not first.conflicts
    assert import_transfer(pg_db, _dm(pg_db), sites.file_a).skipped
    second = import_transfer(pg_db, _dm(pg_db), sites.file_b)
    assert second.site == "02" and second.patients_new >= 1
    with pg_db.read() as session:
        assert verify(session).ok
        assert {c.site_code for c in session.scalars(select(ExchangeSiteChain))} == {"01", "02"}
    export_odm(pg_db, _dm(pg_db), sites.study, sites.folder / "pg_central.xml", site="01")
    assert _values(sites.folder / "pg_central.xml", "01") == _values(sites.file_a, "01")
    # the site's own histories and signatures (the transfer file holds the site's export)
    from tests.integration.test_central_round_trip import check_document, clinical

    assert clinical(sites.folder / "pg_central.xml", "01") == clinical(sites.file_a, "01")
    check_document(sites.folder / "pg_central.xml")


def test_an_older_file_after_a_newer_one_is_refused(sites: Sites, central: Database,
                                                    tmp_path: Path) -> None:
    site_path = tmp_path / "site.sqlite3"
    _copy_sqlite(sites.folder / "site_a.sqlite3", site_path)
    site = open_database(f"sqlite:///{site_path}")
    try:
        older = export_transfer(site, _dm(site), sites.study, tmp_path / "older.xml", "01")
        newer = export_transfer(site, _dm(site), sites.study, tmp_path / "newer.xml", "01")
    finally:
        site.dispose()
    assert newer.chain_seq > older.chain_seq
    assert not import_transfer(central, _dm(central), newer.path).skipped
    with pytest.raises(TransferError, match="older than the last import"):
        import_transfer(central, _dm(central), older.path)


def test_the_odm_part_of_a_transfer_file_is_valid_odm(sites: Sites) -> None:
    from tests.integration.test_odm_export import odm_schema

    document = etree.parse(str(sites.file_a))
    transfer = document.getroot().find(f"{{{TRANSFER_NS}}}Transfer")
    assert transfer is not None and transfer.get("Site") == "01"
    document.getroot().remove(transfer)
    schema = odm_schema()
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)
