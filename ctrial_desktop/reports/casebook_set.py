"""The casebooks of many patients into one folder, one file per patient.

Each casebook is written under a temporary name in the folder and renamed to
``casebook-<patient number>.pdf`` only once complete, so that a cancelled run or a
failure leaves complete files only. Progress is reported per patient
(``progress(done, total)``, "patient 12 of 84") and ``cancelled()`` is polled
between patients and while each casebook is laid out. Used by the GUI (in a
worker) and by ``ctrial report casebook`` without ``--patient``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ctrial_desktop.reports.base import Cancelled, PageSize, Progress, ReportCancelled
from ctrial_desktop.reports.registry import ReportRequest, generate
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.patients import PatientRow
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import StudyDefinition

__all__ = ["CasebookFile", "CasebookSetResult", "casebook_file_name", "write_casebooks"]


@dataclass(frozen=True)
class CasebookFile:
    """One casebook written: the patient, the file and its page count."""

    patient_number: str
    path: Path
    pages: int


@dataclass(frozen=True)
class CasebookSetResult:
    """What a run wrote; ``cancelled`` when it stopped before the last patient."""

    folder: Path
    files: tuple[CasebookFile, ...]
    total: int
    cancelled: bool


def casebook_file_name(patient_number: str) -> str:
    """``casebook-01-012.pdf``."""
    return f"casebook-{patient_number}.pdf"


def write_casebooks(study: StudyDefinition, db: Database, actor: Actor,
                    patients: Sequence[PatientRow], folder: Path, *, printed_by: str,
                    language: str = "en", page_size: PageSize = "A4",
                    progress: Progress | None = None, cancelled: Cancelled | None = None
                    ) -> CasebookSetResult:
    """Write the casebook of each patient into ``folder`` (created when missing).

    Existing files of the same name are replaced. A failure removes the file being
    written and propagates; cancelling returns the files completed so far.
    """
    folder.mkdir(parents=True, exist_ok=True)
    total = len(patients)
    files: list[CasebookFile] = []

    def stop() -> bool:
        return cancelled is not None and cancelled()

    for index, patient in enumerate(patients):
        if stop():
            return CasebookSetResult(folder, tuple(files), total, True)
        if progress is not None:
            progress(index, total)
        target = folder / casebook_file_name(patient.patient_number)
        temporary = folder / f".{target.name}.part"
        request = ReportRequest(study=study, printed_by=printed_by, language=language,
                                page_size=page_size, db=db, actor=actor,
                                patient_id=patient.id)
        try:
            result = generate("casebook", request, temporary, cancelled=cancelled)
        except ReportCancelled:
            temporary.unlink(missing_ok=True)
            return CasebookSetResult(folder, tuple(files), total, True)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        os.replace(temporary, target)
        files.append(CasebookFile(patient.patient_number, target, result.pages))
    if progress is not None:
        progress(total, total)
    return CasebookSetResult(folder, tuple(files), total, False)
