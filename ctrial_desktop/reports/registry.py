"""The kinds of report, by name, and one entry point to generate any of them.

The GUI and the ``ctrial report`` command both go through :func:`generate` with a
:class:`ReportRequest`: reading the data (through the services) and laying out the
PDF happen in the caller's thread, reporting ``progress(done, total)`` and polling
``cancelled()``, so a GUI runs it in a worker. Reports of patient data need a
database and a logged-in :class:`~ctrial_desktop.services.context.Actor`; blank and
annotated CRFs need only the study definition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from ctrial_desktop.reports.base import Cancelled, PageSize, Progress, RenderResult
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import ValidationError
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import StudyDefinition


@dataclass(frozen=True)
class ReportRequest:
    """Everything a report may need; each kind uses the fields that apply to it.

    ``audit_username``, ``start`` and ``end`` filter the audit review; ``event_oid``
    and ``form_oids`` choose the forms of a CRF; ``patient_id`` names the patient;
    ``ae_number`` is the row of the patient's AE log an SAE report is about;
    ``event_oid``, ``event_repeat``, ``form_oids[0]`` and ``visit_day`` (the instance of
    a form due on several days of the visit, None its first) name the form a filled form
    print shows.
    """

    study: StudyDefinition
    printed_by: str
    language: str = "en"
    page_size: PageSize = "A4"
    db: Database | None = None
    actor: Actor | None = None
    patient_id: int | None = None
    site_code: str | None = None
    event_oid: str | None = None
    form_oids: tuple[str, ...] = ()
    audit_username: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    printed_at: dt.datetime | None = None
    ae_number: int | None = None
    event_repeat: int = 1
    visit_day: int | None = None

    def session(self) -> tuple[Database, Actor]:
        """The database and the user, required by reports of trial data."""
        if self.db is None or self.actor is None:
            raise ValidationError("This report reads trial data: log in first.")
        return self.db, self.actor


Producer = Callable[[ReportRequest, "Path | BinaryIO", Progress | None, Cancelled | None],
                    RenderResult]


@dataclass(frozen=True)
class ReportKind:
    """A report the application can produce."""

    name: str
    title_en: str
    title_fr: str
    needs_login: bool
    needs_patient: bool
    produce: Producer

    def title(self, language: str) -> str:
        return self.title_fr if language == "fr" else self.title_en


def _blank(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
           cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.blank_crf import build_blank_crf

    return build_blank_crf(req.study, out, language=req.language, event_oid=req.event_oid,
                           form_oids=req.form_oids, printed_by=req.printed_by,
                           printed_at=req.printed_at, page_size=req.page_size,
                           progress=progress, cancelled=cancelled)


def _annotated(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
               cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.annotated_crf import build_annotated_crf

    return build_annotated_crf(req.study, out, language=req.language, event_oid=req.event_oid,
                               form_oids=req.form_oids, printed_by=req.printed_by,
                               printed_at=req.printed_at, page_size=req.page_size,
                               progress=progress, cancelled=cancelled)


def _study_settings(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
                    cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.study_settings import build_study_settings

    return build_study_settings(req.study, out, printed_by=req.printed_by,
                                language=req.language, printed_at=req.printed_at,
                                page_size=req.page_size, progress=progress,
                                cancelled=cancelled)


def _screening(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
               cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.screening_log import build_screening_log, collect_screening_log

    db, actor = req.session()
    data = collect_screening_log(db, actor, req.site_code)
    return build_screening_log(req.study, data, out, printed_by=req.printed_by,
                               language=req.language, printed_at=req.printed_at,
                               page_size=req.page_size, progress=progress,
                               cancelled=cancelled)


def _randomization_log(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
                       cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.randomization import (
        build_randomization_log,
        collect_randomization_log,
    )

    db, actor = req.session()
    data = collect_randomization_log(db, actor, req.site_code)
    return build_randomization_log(req.study, data, out, printed_by=req.printed_by,
                                   language=req.language, printed_at=req.printed_at,
                                   page_size=req.page_size, progress=progress,
                                   cancelled=cancelled)


def _confirmation(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
                  cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.randomization import build_confirmation, collect_confirmation

    db, actor = req.session()
    if req.patient_id is None:
        raise ValidationError("Choose the patient whose randomization to confirm.")
    data = collect_confirmation(db, actor, req.patient_id)
    return build_confirmation(req.study, data, out, printed_by=req.printed_by,
                              language=req.language, printed_at=req.printed_at,
                              page_size=req.page_size, progress=progress, cancelled=cancelled)


def _audit(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
           cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.audit_review import build_audit_review, collect_audit_review
    from ctrial_desktop.services.audit_review import AuditFilter

    db, actor = req.session()
    flt = AuditFilter(username=req.audit_username, site_code=req.site_code, start=req.start,
                      end=req.end)
    data = collect_audit_review(db, actor, req.study, flt)
    return build_audit_review(data, out, printed_by=req.printed_by, language=req.language,
                              printed_at=req.printed_at, page_size=req.page_size,
                              progress=progress, cancelled=cancelled)


def _casebook(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
              cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.casebook import build_casebook, collect_casebook

    db, actor = req.session()
    if req.patient_id is None:
        raise ValidationError("Choose the patient whose casebook to print.")
    data = collect_casebook(db, actor, req.study, req.patient_id)
    return build_casebook(req.study, data, out, printed_by=req.printed_by,
                          language=req.language, printed_at=req.printed_at,
                          page_size=req.page_size, progress=progress, cancelled=cancelled)


def _trial_summary(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
                   cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.domain.ctcae import load_ctcae_terms
    from ctrial_desktop.paths import resources_dir
    from ctrial_desktop.reports.trial_summary import build_trial_summary
    from ctrial_desktop.services.trial_summary import collect_trial_summary

    db, actor = req.session()
    summary = collect_trial_summary(db, actor, req.study, req.site_code)
    terms = {t.meddra_code: t.term for t in load_ctcae_terms(
        resources_dir() / "ctcae", req.study.settings.ctcae.version)}
    return build_trial_summary(req.study, summary, out, printed_by=req.printed_by,
                               term_names=terms, language=req.language,
                               printed_at=req.printed_at, page_size=req.page_size,
                               progress=progress, cancelled=cancelled)


def _ae_listing(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
                cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.ae_listing import build_ae_listing, collect_ae_listing

    db, actor = req.session()
    data = collect_ae_listing(db, actor, req.study, req.site_code, req.language)
    return build_ae_listing(req.study, data, out, printed_by=req.printed_by,
                            language=req.language, printed_at=req.printed_at,
                            page_size=req.page_size, progress=progress, cancelled=cancelled)


def _filled_form(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
                 cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.casebook import build_filled_form, collect_form

    db, actor = req.session()
    if req.patient_id is None or req.event_oid is None or len(req.form_oids) != 1:
        raise ValidationError("Choose the patient, the visit and the form to print.")
    data = collect_form(db, actor, req.study, req.patient_id, req.event_oid, req.event_repeat,
                        req.form_oids[0], day=req.visit_day)
    return build_filled_form(req.study, data, out, printed_by=req.printed_by,
                             language=req.language, printed_at=req.printed_at,
                             page_size=req.page_size, progress=progress, cancelled=cancelled)


def _sae(req: ReportRequest, out: Path | BinaryIO, progress: Progress | None,
         cancelled: Cancelled | None) -> RenderResult:
    from ctrial_desktop.reports.sae import build_sae, collect_sae

    db, actor = req.session()
    if req.patient_id is None or req.ae_number is None:
        raise ValidationError("Choose the patient and the serious adverse event to report.")
    data = collect_sae(db, actor, req.study, req.patient_id, req.ae_number, req.language)
    return build_sae(req.study, data, out, printed_by=req.printed_by, language=req.language,
                     printed_at=req.printed_at, page_size=req.page_size, progress=progress,
                     cancelled=cancelled)


REPORT_KINDS: Final[tuple[ReportKind, ...]] = (
    ReportKind("blank-crf", "Blank case report forms", "Cahiers d'observation vierges",
               False, False, _blank),
    ReportKind("annotated-crf", "Annotated case report forms", "Cahiers d'observation annotés",
               False, False, _annotated),
    ReportKind("study-settings", "Study settings and form versions",
               "Paramètres de l'étude et versions des formulaires", False, False,
               _study_settings),
    ReportKind("screening-log", "Screening and enrolment log",
               "Registre de sélection et d'inclusion", True, False, _screening),
    ReportKind("randomization-log", "Randomization log", "Journal de randomisation",
               True, False, _randomization_log),
    ReportKind("randomization-confirmation", "Randomization confirmation",
               "Confirmation de randomisation", True, True, _confirmation),
    ReportKind("audit-review", "Audit trail review", "Revue de la piste d'audit",
               True, False, _audit),
    ReportKind("casebook", "Patient casebook", "Cahier d'observation du patient",
               True, True, _casebook),
    ReportKind("ae-listing", "Adverse event listing", "Liste des événements indésirables",
               True, False, _ae_listing),
    ReportKind("trial-summary", "Trial summary by arm", "Synthèse de l'essai par bras",
               True, False, _trial_summary),
    ReportKind("sae", "Serious adverse event report", "Déclaration d'événement indésirable grave",
               True, True, _sae),
    ReportKind("form", "Filled case report form", "Formulaire rempli", True, True,
               _filled_form),
)


def report_kind(name: str) -> ReportKind:
    """The kind called ``name``; :class:`KeyError` naming the known kinds otherwise."""
    for kind in REPORT_KINDS:
        if kind.name == name:
            return kind
    known = ", ".join(k.name for k in REPORT_KINDS)
    raise KeyError(f"no report {name!r} (reports: {known})")


def generate(name: str, request: ReportRequest, out: Path | BinaryIO, *,
             progress: Progress | None = None, cancelled: Cancelled | None = None
             ) -> RenderResult:
    """Produce the report ``name`` for ``request`` into ``out``."""
    return report_kind(name).produce(request, out, progress, cancelled)
