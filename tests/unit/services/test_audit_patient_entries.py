"""The audit records of one patient, read with targeted queries, equal the filtered trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctrial_desktop.services.audit_review import AuditReviewService
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.store.database import open_database
from ctrial_desktop.study import StudyDefinition


def test_patient_entries_are_the_trail_of_that_patient(tmp_path: Path,
                                                       study: StudyDefinition) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'trail.sqlite3'}")
    try:
        build_demo(db, patients=2, sites=2, seed=4)
        auth = AuthService(db)
        monitor = auth.login("monitor", DEMO_PASSWORD)
        service = AuditReviewService(db, monitor, study)
        trail = service.entries()
        patients = PatientService(db, monitor).list_patients()
        assert len({p.site_code for p in patients}) == 2
        for patient in patients:
            expected = [e for e in trail if e.patient_number == patient.patient_number]
            assert expected
            assert service.patient_entries(patient.id) == expected
        other = next(p for p in patients if p.site_code != "01")
        coordinator = auth.login("coord01", DEMO_PASSWORD)
        with pytest.raises(PermissionDenied):
            AuditReviewService(db, coordinator, study).patient_entries(other.id)
    finally:
        db.dispose()
