"""The command line on PostgreSQL (a bare ``postgresql://`` URL): demo, audit verification,
randomization verification and the ODM export, which validates against the ODM 1.3.2 XSD;
file-only commands refuse a server database clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from ctrial_desktop.cli import main
from ctrial_desktop.exchange.odm import export_odm
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.backup import BackupService
from ctrial_desktop.services.demo import DEMO_PASSWORD
from ctrial_desktop.store.database import Database
from tests import pg_fixtures
from tests.integration.test_odm_export import NS, assert_valid, build_trial

pytestmark = pytest.mark.postgres

pg_url = pg_fixtures.pg_url
pg_db = pg_fixtures.pg_db


def _bare(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_cli_commands_and_odm_export_on_postgresql(pg_url: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    url = _bare(pg_url)
    assert main(["--db", url, "demo", "--patients", "5", "--sites", "2"]) == 0
    assert main(["--db", url, "audit", "verify"]) == 0
    assert "audit trail OK" in capsys.readouterr().out
    assert main(["--db", url, "randomization", "verify"]) == 0
    monkeypatch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "pg.xml"
    assert main(["--db", url, "export", "odm", "--out", str(out), "--user", "dm"]) == 0
    doc = assert_valid(out)
    assert len(doc.xpath("//odm:SubjectData", namespaces=NS)) >= 5
    capsys.readouterr()
    for command in (["restore", str(out)], ["encrypt", "--out", str(tmp_path / "e.sqlite3")]):
        assert main(["--db", url, *command]) == 2
        assert "SQLite database file" in capsys.readouterr().err


def test_odm_export_of_stored_forms_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    trial = build_trial(pg_url)
    try:
        data_manager = AuthService(trial.db).login("dm", DEMO_PASSWORD)
        summary = export_odm(trial.db, data_manager, trial.study, tmp_path / "f.xml")
        doc = assert_valid(tmp_path / "f.xml")
        assert summary.signatures >= 1
        weight = doc.xpath(f"//odm:SubjectData[@SubjectKey='{trial.patient_number}']"
                           "//odm:ItemData[@ItemOID='I.DM.WEIGHT']/@Value", namespaces=NS)
        assert weight[-2:] == ["70.5", "71.2"]
    finally:
        trial.db.dispose()


def test_no_file_backups_of_a_server_database(pg_db: Database, tmp_path: Path) -> None:
    service = BackupService(pg_db, tmp_path)
    assert not service.enabled and not service.due() and service.maybe_backup() is None
