"""Central's ODM export shows what the site recorded: site demo -> transfer -> import into an
empty central database -> ``ctrial export odm`` at central, compared with the site's own
``ctrial export odm`` item by item, audit record by audit record, signature by signature."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from ctrial_desktop.cli import main
from ctrial_desktop.exchange.odm import ODM_NS
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import RoleGrant
from ctrial_desktop.services.demo import DEMO_PASSWORD
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.randomization import RandomizationService, verify_database
from ctrial_desktop.services.users import UserService
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import (
    AllocationListRecord,
    FormData,
    ItemValue,
    Patient,
    Randomization,
)
from ctrial_desktop.store.models_exchange import ExchangeRowMap
from tests.integration.test_odm_export import odm_schema

NS = {"odm": ODM_NS}
CENTRAL_PASSWORD = "central-password-2026"

#: One audited change as an ODM export shows it, in document order.
Row = tuple[str | None, ...]


@dataclass
class Site:
    path: Path
    url: str
    transfer: Path
    export: Path


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _cli(*args: str) -> None:
    assert main(list(args)) == 0, args


def _demo_site(folder: Path, name: str, sites: int, seed: int, code: str) -> Site:
    """A demo site database with corrections made at the site (changed, cleared and
    withdrawn values), then its transfer file and its own ODM export."""
    path = folder / f"{name}.sqlite3"
    _cli("--db", _url(path), "demo", "--patients", "6", "--sites", str(sites), "--seed", str(seed))
    db = open_database(_url(path))
    try:
        number = f"{code}-001"
        weight = _site_value(db, number, "I.DM.WEIGHT")
        _set(db, f"coord{code}", DEMO_PASSWORD, code, weight, {"value": "70.5"}, "scale fixed")
        _set(db, f"inv{code}", DEMO_PASSWORD, code, weight, {"value": "70"}, "rounded")
        _set(db, f"coord{code}", DEMO_PASSWORD, code, _site_value(db, number, "I.DM.HEIGHT"),
             {"value": None}, "not measured")
        _set(db, "dm", DEMO_PASSWORD, code, _site_value(db, f"{code}-002", "I.DM.WEIGHT"),
             {"active": False}, "entered in the wrong patient")
    finally:
        db.dispose()
    return _transfer(path, folder, name, code)


def _transfer(path: Path, folder: Path, name: str, code: str) -> Site:
    transfer, export = folder / f"{name}-transfer.xml", folder / f"{name}-export.xml"
    _cli("--db", _url(path), "export", "transfer", "--site", code, "--out", str(transfer),
         "--user", "dm")
    _cli("--db", _url(path), "export", "odm", "--site", code, "--out", str(export),
         "--user", "dm")
    return Site(path, _url(path), transfer, export)


@pytest.fixture(scope="module")
def site_a(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)
        yield _demo_site(tmp_path_factory.mktemp("site_a"), "site_a", 1, 11, "01")


@pytest.fixture
def as_dm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)


def _empty_central(folder: Path, monkeypatch: pytest.MonkeyPatch,
                   clashing: tuple[str, str, str] | None = None) -> str:
    """A new central database: an administrator and a data manager only (``cdm``), and
    optionally an account whose user name is also a site's (another person)."""
    url = _url(folder / "central.sqlite3")
    monkeypatch.setenv("CTRIAL_ADMIN_PASSWORD", CENTRAL_PASSWORD)
    _cli("--db", url, "init", "--admin", "cadmin", "--first-name", "Anne",
         "--last-name", "Central")
    db = open_database(url)
    try:
        admin = AuthService(db).login("cadmin", CENTRAL_PASSWORD)
        users = UserService(db, admin)
        users.create_user("cdm", "Chloé", "Lambert", CENTRAL_PASSWORD,
                          [RoleGrant(Role.DATA_MANAGER, None)], must_change_password=False)
        if clashing is not None:
            users.create_user(clashing[0], clashing[1], clashing[2], CENTRAL_PASSWORD,
                              [RoleGrant(Role.MONITOR, None)], must_change_password=False)
    finally:
        db.dispose()
    return url


def _central(url: str, *args: str) -> None:
    import os

    saved = os.environ.get("CTRIAL_PASSWORD")
    os.environ["CTRIAL_PASSWORD"] = CENTRAL_PASSWORD
    try:
        _cli("--db", url, *args, "--user", "cdm")
    finally:
        os.environ["CTRIAL_PASSWORD"] = saved or ""


def _audit(element: etree._Element) -> Row:
    record = element.find("odm:AuditRecord", NS)
    assert record is not None
    reason = record.find("odm:ReasonForChange", NS)
    return (record.find("odm:UserRef", NS).get("UserOID"),  # type: ignore[union-attr]
            record.find("odm:LocationRef", NS).get("LocationOID"),  # type: ignore[union-attr]
            record.findtext("odm:DateTimeStamp", namespaces=NS),
            reason.text if reason is not None else None)


def clinical(path: Path, site: str, users: dict[str, str] | None = None) -> list[Row]:
    """Every ItemData (value and its audit record) and Signature of a site's subjects, in
    document order; ``users`` renames UserOIDs (a site user named apart at central)."""
    rename = users or {}
    rows: list[Row] = []
    document = etree.parse(str(path))
    for subject in document.iterfind(".//odm:ClinicalData/odm:SubjectData", NS):
        if subject.find("odm:SiteRef", NS).get("LocationOID") != f"LOC.{site}":  # type: ignore[union-attr]
            continue
        key = subject.get("SubjectKey")
        for event in subject.iterfind("odm:StudyEventData", NS):
            where = (key, event.get("StudyEventOID"), event.get("StudyEventRepeatKey"))
            for form in event.iterfind("odm:FormData", NS):
                signature = form.find("odm:Signature", NS)
                if signature is not None:
                    user = signature.find("odm:UserRef", NS).get("UserOID")  # type: ignore[union-attr]
                    rows.append((*where, form.get("FormOID"), "Signature",
                                 rename.get(user, user),  # type: ignore[arg-type]
                                 signature.find("odm:LocationRef", NS).get("LocationOID"),  # type: ignore[union-attr]
                                 signature.find("odm:SignatureRef", NS).get("SignatureOID"),  # type: ignore[union-attr]
                                 signature.findtext("odm:DateTimeStamp", namespaces=NS)))
                for group in form.iterfind("odm:ItemGroupData", NS):
                    for item in group.iterfind("odm:ItemData", NS):
                        user, *rest = _audit(item)
                        rows.append((*where, form.get("FormOID"), group.get("ItemGroupOID"),
                                     group.get("ItemGroupRepeatKey"), item.get("ItemOID"),
                                     item.get("TransactionType"), item.get("Value"),
                                     item.get("IsNull"), rename.get(user, user),  # type: ignore[arg-type]
                                     *rest))
    return rows


def check_document(path: Path) -> etree._ElementTree:
    """Valid ODM 1.3.2, and every UserRef and LocationRef names a User or Location."""
    document = etree.parse(str(path))
    schema = odm_schema()
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)
    users = [u.get("OID") for u in document.iterfind(".//odm:AdminData/odm:User", NS)]
    locations = {loc.get("OID") for loc in document.iterfind(".//odm:AdminData/odm:Location", NS)}
    assert len(users) == len(set(users))
    refs = {r.get("UserOID") for r in document.iterfind(".//odm:UserRef", NS)}
    assert refs <= set(users), refs - set(users)
    places = {r.get("LocationOID") for r in document.iterfind(".//odm:LocationRef", NS)}
    places |= {r.get("LocationOID") for r in document.iterfind(".//odm:SiteRef", NS)}
    assert places <= locations, places - locations
    return document


def _randomizations(url: str) -> list[tuple[object, ...]]:
    db = open_database(url)
    try:
        with db.read() as session:
            return [(p.patient_number, r.number, r.arm, r.method, r.stratum, r.randomized_at,
                     r.username) for r, p in session.execute(
                select(Randomization, Patient).join(Patient).order_by(Randomization.number))]
    finally:
        db.dispose()


def test_round_trip_into_an_empty_central_database_shows_the_site_history(
        site_a: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_dm: None) -> None:
    url = _empty_central(tmp_path, monkeypatch)
    _central(url, "import", "odm", str(site_a.transfer))
    scoped, full = tmp_path / "central-01.xml", tmp_path / "central.xml"
    _central(url, "export", "odm", "--site", "01", "--out", str(scoped))
    _central(url, "export", "odm", "--out", str(full))
    expected = clinical(site_a.export, "01")
    assert len(expected) > 1000
    assert any(row[4] == "Signature" for row in expected)  # forms signed at the site
    kinds = {(row[7], row[9]) for row in expected if row[4] != "Signature"}
    assert {("Update", None), ("Update", "Yes"), ("Remove", None)} <= kinds  # site corrections
    assert clinical(scoped, "01") == expected
    assert clinical(full, "01") == expected
    document = check_document(scoped)
    check_document(full)
    names = {u.get("OID"): u.findtext("odm:FullName", namespaces=NS)
             for u in document.iterfind(".//odm:AdminData/odm:User", NS)}
    assert names["U.COORD01"] == "Marie Durand-01" and names["U.CDM"] == "Chloé Lambert"
    # the randomizations of the site, read-only at central; no allocation list travelled
    site_rows = _randomizations(site_a.url)
    assert site_rows and _randomizations(url) == site_rows
    db = open_database(url)
    try:
        with db.read() as session:
            assert verify(session).ok
            assert verify_database(session).ok
            assert session.scalar(select(func.count()).select_from(AllocationListRecord)) == 0
            imported = session.scalars(select(Randomization)).all()
            assert {(r.source_site, r.list_id, r.position, r.user_id) for r in imported} == {
                ("01", None, None, None)}
            patient_id = imported[0].patient_id
        dm = AuthService(db).login("cdm", CENTRAL_PASSWORD)
        reasons = RandomizationService(db, dm).blocking_reasons(patient_id)
        assert any("already randomized" in r for r in reasons)
    finally:
        db.dispose()


def _site_value(db: Database, number: str, item_oid: str) -> int:
    with db.read() as session:
        value_id = session.scalars(select(ItemValue.id).join(FormData).join(Patient).where(
            Patient.patient_number == number, ItemValue.item_oid == item_oid,
            ItemValue.active.is_(True), ItemValue.value.is_not(None))
            .order_by(ItemValue.id)).first()
    assert value_id is not None
    return value_id


def _set(db: Database, username: str, password: str, site: str | None, value_id: int,
         changes: dict[str, object], reason: str) -> None:
    ctx = AuthService(db).login(username, password).audit_context(site)
    with db.write() as session:
        row = session.get(ItemValue, value_id)
        assert row is not None
        db.audit.update(session, ctx, row, changes, reason)


def test_a_second_transfer_after_changes_at_the_site_still_matches(
        site_a: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_dm: None) -> None:
    url = _empty_central(tmp_path, monkeypatch)
    _central(url, "import", "odm", str(site_a.transfer))
    path = tmp_path / "site.sqlite3"
    with closing(sqlite3.connect(site_a.path)) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    site = open_database(_url(path))
    try:
        weight = _site_value(site, "01-001", "I.DM.WEIGHT")
        height = _site_value(site, "01-003", "I.DM.HEIGHT")
        _set(site, "coord01", DEMO_PASSWORD, "01", weight, {"value": "74.5"}, "weighed again")
        _set(site, "coord01", DEMO_PASSWORD, "01", weight, {"value": "74"}, "typing error")
        _set(site, "dm", DEMO_PASSWORD, "01", height, {"active": False}, "entered twice")
    finally:
        site.dispose()
    second = _transfer(path, tmp_path, "second", "01")
    _central(url, "import", "odm", str(second.transfer))
    _central(url, "import", "odm", str(second.transfer))  # skipped: changes nothing
    out = tmp_path / "central-01.xml"
    _central(url, "export", "odm", "--site", "01", "--out", str(out))
    expected = clinical(second.export, "01")
    assert clinical(out, "01") == expected
    first_weights = [row[8] for row in clinical(site_a.export, "01")
                     if row[:3] == ("01-001", "SE.SCREEN", "1") and row[6] == "I.DM.WEIGHT"]
    assert [row[8] for row in expected if row[:3] == ("01-001", "SE.SCREEN", "1")
            and row[6] == "I.DM.WEIGHT"] == [*first_weights, "74.5", "74"]
    check_document(out)
    # a correction made at central follows the site's history of the value
    central = open_database(url)
    try:
        with central.read() as session:
            central_id = session.scalar(select(ExchangeRowMap.record_id).where(
                ExchangeRowMap.table_name == "item_value",
                ExchangeRowMap.site_record_id == weight))
        assert central_id is not None
        _set(central, "cdm", CENTRAL_PASSWORD, None, central_id, {"value": "75"},
             "source document check")
    finally:
        central.dispose()
    _central(url, "export", "odm", "--site", "01", "--out", str(out))
    weights = [row for row in clinical(out, "01") if row[6] == "I.DM.WEIGHT"
               and row[:3] == ("01-001", "SE.SCREEN", "1")]
    site_weights = [row for row in expected if row[6] == "I.DM.WEIGHT"
                    and row[:3] == ("01-001", "SE.SCREEN", "1")]
    assert weights[:-1] == site_weights
    assert (weights[-1][7], weights[-1][8], weights[-1][10], weights[-1][11],
            weights[-1][13]) == ("Update", "75", "U.CDM", "LOC.SPONSOR", "source document check")


def test_two_sites_merged_into_one_central_database_show_both_histories(
        site_a: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_dm: None) -> None:
    site_b = _demo_site(tmp_path, "site_b", 2, 5, "02")
    assert clinical(site_b.export, "02")
    url = _empty_central(tmp_path, monkeypatch)
    _central(url, "import", "odm", str(site_b.transfer))
    _central(url, "import", "odm", str(site_a.transfer))
    out = tmp_path / "central.xml"
    _central(url, "export", "odm", "--out", str(out))
    assert clinical(out, "01") == clinical(site_a.export, "01")
    assert clinical(out, "02") == clinical(site_b.export, "02")
    check_document(out)
    assert _randomizations(url) == sorted(
        _randomizations(site_a.url) + [r for r in _randomizations(site_b.url)
                                       if str(r[0]).startswith("02-")],
        key=lambda r: str(r[1]))


def test_a_site_user_named_like_another_central_account_stays_apart(
        site_a: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_dm: None) -> None:
    url = _empty_central(tmp_path, monkeypatch, clashing=("coord01", "Paul", "Roux"))
    _central(url, "import", "odm", str(site_a.transfer))
    out = tmp_path / "central.xml"
    _central(url, "export", "odm", "--out", str(out))
    document = check_document(out)
    names = {u.get("OID"): (u.findtext("odm:LoginName", namespaces=NS),
                            u.findtext("odm:FullName", namespaces=NS))
             for u in document.iterfind(".//odm:AdminData/odm:User", NS)}
    assert names["U.COORD01"] == ("coord01", "Paul Roux")
    assert names["U.COORD01@01"] == ("coord01", "Marie Durand-01")
    users = {row[5] if row[4] == "Signature" else row[10] for row in clinical(out, "01")}
    assert "U.COORD01@01" in users and "U.COORD01" not in users
    assert clinical(out, "01", {"U.COORD01@01": "U.COORD01"}) == clinical(site_a.export, "01")


def test_a_site_arm_other_than_centrals_is_a_conflict_not_an_overwrite(
        site_a: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_dm: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    import hashlib
    import json
    import re

    url = _empty_central(tmp_path, monkeypatch)
    _central(url, "import", "odm", str(site_a.transfer))
    # The same file but for one randomized patient's arm, with its checksum made again.
    text = site_a.transfer.read_bytes()
    body = text[:text.rindex(b"<!-- ctrial-transfer sha256=")]
    found = re.search(rb'<ct:Patient [^>]*number="([^"]+)"[^>]*arm="(POM2[18])"', body)
    assert found is not None
    number, arm = found.group(1).decode(), found.group(2).decode()
    other = "POM28" if arm == "POM21" else "POM21"
    start, end = found.span(2)
    body = body[:start] + other.encode() + body[end:]
    changed = tmp_path / "changed-transfer.xml"
    changed.write_bytes(body + b"<!-- ctrial-transfer sha256="
                        + hashlib.sha256(body).hexdigest().encode() + b" -->\n")
    capsys.readouterr()
    monkeypatch.setenv("CTRIAL_PASSWORD", CENTRAL_PASSWORD)
    # Exit 3: imported, the conflicts listed and not applied.
    assert main(["--db", url, "import", "odm", str(changed), "--user", "cdm"]) == 3
    summary = json.loads(capsys.readouterr().out)
    assert {"patient": number, "location": "patient", "item": "arm", "central_value": arm,
            "site_value": other} in summary["conflicts"]
    db = open_database(url)
    try:
        with db.read() as session:
            assert session.scalar(select(Patient.arm).where(
                Patient.patient_number == number)) == arm  # central's stays
            assert verify(session).ok
    finally:
        db.dispose()
