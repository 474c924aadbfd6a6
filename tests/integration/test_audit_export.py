"""Audit trail export as CSV: every record with its chain hashes, site scope, permissions,
cancellation leaving no file, the export itself audited, and the CLI."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ctrial_desktop.cli import main
from ctrial_desktop.exchange.audit_csv import (
    AUDIT_COLUMNS,
    AuditExportCancelled,
    export_audit_csv,
)
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import AuditRecord
from ctrial_desktop.study import StudyDefinition, load_study


@dataclass
class Trial:
    db: Database
    url: str
    study: StudyDefinition
    dm: Actor


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trial]:
    path = tmp_path_factory.mktemp("audit") / "trial.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url)
    build_demo(db, patients=3, sites=2, seed=11)
    study = load_study(forms_dir())
    yield Trial(db, url, study, AuthService(db).login("dm", DEMO_PASSWORD))
    db.dispose()


def _recomputed(row: dict[str, str]) -> str:
    """The record's hash from the CSV cells only (README: canonical content)."""
    nulls = set(row["null_fields"].split(";"))

    def null(name: str) -> str | None:
        return None if name in nulls else row[name]

    def number(name: str) -> int | None:
        return None if name in nulls else int(row[name])

    payload = {"seq": int(row["seq"]), "timestamp_utc": row["timestamp_utc"],
               "user_id": number("user_id"), "username": row["username"],
               "role": row["role"], "site_code": row["site"], "session_id": row["session_id"],
               "action": row["action"], "table_name": row["table"],
               "record_id": number("record_id"), "item": row["item"],
               "old_value": null("old_value"), "new_value": null("new_value"),
               "reason": row["reason"]}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((row["prev_hash"] + "\n" + text).encode("utf-8")).hexdigest()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == AUDIT_COLUMNS
        return list(reader)


def test_every_record_in_order_with_hashes_that_chain(trial: Trial, tmp_path: Path) -> None:
    with trial.db.read() as s:
        records = s.scalars(select(AuditRecord).order_by(AuditRecord.seq)).all()
        by_seq = {r.seq: r for r in records}
    out = tmp_path / "audit.csv"
    summary = export_audit_csv(trial.db, trial.dm, trial.study, out)
    rows = _rows(out)
    assert summary.records == len(rows) == len(records)
    assert [int(r["seq"]) for r in rows] == sorted(by_seq)
    for row in rows:
        record = by_seq[int(row["seq"])]
        assert row["hash"] == record.hash and row["prev_hash"] == record.prev_hash
        assert row["username"] == record.username and row["action"] == record.action
        assert row["new_value"] == (record.new_value or "")
        assert row["reason"] == record.reason
    # A reviewer can recompute every hash, and the chain, from the file alone.
    assert all(rows[i]["prev_hash"] == rows[i - 1]["hash"] for i in range(1, len(rows)))
    for row in rows:
        assert _recomputed(row) == row["hash"], row["seq"]
    # Values of forms name their patient, form and item.
    values = [r for r in rows if r["table"] == "item_value" and r["action"] != "EXPORT"]
    assert values and all(r["patient"] and r["form"].startswith("F.") for r in values)
    assert all(r["item_oid"].startswith("I.") for r in values)


def test_one_site_only_and_the_export_is_audited(trial: Trial, tmp_path: Path) -> None:
    def exports() -> int:
        with trial.db.read() as s:
            return s.scalar(select(func.count(AuditRecord.id)).where(
                AuditRecord.action == "EXPORT", AuditRecord.item == "audit-csv")) or 0

    before = exports()
    export_audit_csv(trial.db, trial.dm, trial.study, tmp_path / "s.csv", site="01")
    rows = _rows(tmp_path / "s.csv")
    assert rows and {r["site"] for r in rows} == {"01"}
    assert {r["patient"][:2] for r in rows if r["patient"]} == {"01"}
    assert exports() == before + 1
    with trial.db.read() as s:
        assert verify(s).ok


def test_refused_without_the_export_permission(trial: Trial, tmp_path: Path) -> None:
    coordinator = AuthService(trial.db).login("coord01", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        export_audit_csv(trial.db, coordinator, trial.study, tmp_path / "no.csv")
    assert not (tmp_path / "no.csv").exists()


def test_cancelled_export_leaves_no_file(trial: Trial, tmp_path: Path) -> None:
    out = tmp_path / "cancelled.csv"
    with pytest.raises(AuditExportCancelled):
        export_audit_csv(trial.db, trial.dm, trial.study, out, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_cli_export_audit(trial: Trial, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "trail.csv"
    assert main(["--db", trial.url, "export", "audit", "--out", str(out), "--site", "02",
                 "--user", "dm"]) == 0
    printed = capsys.readouterr().out
    rows = _rows(out)
    assert f"Audit trail CSV export written: {out}; {len(rows)} records (seq " in printed
    assert main(["--db", trial.url, "export", "audit", "--out", str(tmp_path / "x.csv"),
                 "--user", "coord01"]) == 2
    assert not (tmp_path / "x.csv").exists()
