"""``ctrial report KIND``: write a PDF report.

``ctrial report blank-crf|annotated-crf|study-settings|screening-log|randomization-log|
randomization-confirmation|audit-review|casebook|ae-listing|sae [--patient ID] [--site S]
[--language en|fr] [--user NAME] --out FILE.pdf``. Reports of trial data need ``--user``
(password from ``CTRIAL_PASSWORD`` or a prompt); blank and annotated CRFs and the study
settings report (settings with their provenance, form versions and amendments) need no
log-in. ``trial-summary`` is the summary by arm with its figures (CONSORT, swimmer,
waterfall, Kaplan-Meier), of ``--site`` when given. ``casebook`` without ``--patient``
writes one file per patient (``casebook-<patient number>.pdf``, of ``--site`` when given)
into the folder ``--out``, creating it when its parent exists. ``sae --patient ID --event
N`` is the serious adverse event report form of row N of the patient's AE log; ``form
--patient ID --event OID [--repeat N] [--day D] --form OID`` prints one filled form.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import Any

from ctrial_desktop.cli._common import CliError, load_study_or_fail, login, open_db

#: Report names, kept here so that ``ctrial --help`` does not import ReportLab.
KINDS: tuple[str, ...] = (
    "blank-crf",
    "annotated-crf",
    "study-settings",
    "screening-log",
    "randomization-log",
    "randomization-confirmation",
    "audit-review",
    "casebook",
    "ae-listing",
    "trial-summary",
    "sae",
    "form",
)


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="write a PDF report",
                       description="Write a PDF report. Reports of trial data need --user.")
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="PDF file to write")
    p.add_argument("--patient", metavar="ID", help="patient number (03-012) or database id")
    p.add_argument("--site", metavar="S", help="limit to one site (code)")
    p.add_argument("--language", choices=("en", "fr"), default="en")
    p.add_argument("--user", metavar="NAME", help="log in as this user (CTRIAL_PASSWORD)")
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
    p.add_argument("--event", metavar="OID|N", help="CRFs: only the forms of this event "
                   "(OID); sae: the row number of the event in the patient's AE log")
    p.add_argument("--form", action="append", default=[], metavar="OID",
                   help="CRFs: only this form (repeatable); form: the form to print")
    p.add_argument("--repeat", type=int, default=1, metavar="N",
                   help="form: the repeat of the event (cycle number), 1 by default")
    p.add_argument("--day", type=int, default=None, metavar="D",
                   help="form: the day of the visit of a form due on several days "
                        "(haematology: 1, 8, 15 or 22), its first day by default")
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="audit review: first day")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="audit review: last day")
    p.add_argument("--audit-user", metavar="NAME", help="audit review: only this user's records")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=cmd_report)


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option}: not a date (YYYY-MM-DD): {text}") from None


def _ae_number(text: str | None) -> int:
    if not text:
        raise CliError("report sae needs --event N (the row of the event in the AE log)")
    if not text.isdigit() or int(text) < 1:
        raise CliError(f"--event: the row number of the adverse event (1, 2, ...): {text}")
    return int(text)


def _patient_id(db, actor, text: str) -> int:  # type: ignore[no-untyped-def]
    from ctrial_desktop.services.patients import PatientService

    rows = PatientService(db, actor).list_patients()
    for row in rows:
        if row.patient_number == text or (text.isdigit() and row.id == int(text)):
            return row.id
    raise CliError(f"no patient {text} that {actor.username} may see")


def _casebooks(args: argparse.Namespace, folder: Path) -> int:
    """One casebook per patient into ``folder`` (``casebook`` without ``--patient``)."""
    from ctrial_desktop.reports.casebook_set import casebook_file_name, write_casebooks
    from ctrial_desktop.reports.fonts import FontError
    from ctrial_desktop.services.errors import ServiceError
    from ctrial_desktop.services.patients import PatientService

    if not args.user:
        raise CliError("report casebook shows trial data: give --user NAME")
    if folder.exists() and not folder.is_dir():
        raise CliError(f"{folder} is a file: without --patient, --out names a folder")
    if not folder.parent.is_dir():
        raise CliError(f"folder not found: {folder.parent}")
    study = load_study_or_fail()
    db = open_db(args)
    try:
        actor = login(db, args.user)
        try:
            patients = PatientService(db, actor).list_patients(args.site)
        except ServiceError as exc:
            raise CliError(str(exc)) from None
        existing = [str(folder / casebook_file_name(p.patient_number)) for p in patients
                    if (folder / casebook_file_name(p.patient_number)).exists()]
        if existing and not args.force:
            raise CliError(f"{existing[0]} already exists; choose a new folder or add --force")
        try:
            result = write_casebooks(study, db, actor, patients, folder,
                                     printed_by=actor.username, language=args.language,
                                     page_size=args.page_size)
        except (ServiceError, FontError) as exc:
            raise CliError(str(exc)) from None
    finally:
        db.dispose()
    for file in result.files:
        print(f"casebook: {file.path} ({file.pages} page{'s' if file.pages != 1 else ''})")
    count = len(result.files)
    print(f"casebook: {count} patient{'s' if count != 1 else ''} in {folder}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ctrial_desktop.reports.base import ReportCancelled
    from ctrial_desktop.reports.fonts import FontError
    from ctrial_desktop.reports.registry import ReportRequest, generate, report_kind
    from ctrial_desktop.services.errors import ServiceError

    kind = report_kind(args.kind)
    out = Path(args.out)
    if kind.name == "casebook" and not args.patient:
        return _casebooks(args, out)
    if out.exists() and not args.force:
        raise CliError(f"{out} already exists; choose a new file name or add --force")
    if not out.parent.is_dir():
        raise CliError(f"folder not found: {out.parent}")
    if kind.needs_login and not args.user:
        raise CliError(f"report {kind.name} shows trial data: give --user NAME")
    if kind.needs_patient and not args.patient:
        raise CliError(f"report {kind.name} needs --patient ID")
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    ae_number = _ae_number(args.event) if kind.name == "sae" else None
    if kind.name == "form" and (not args.event or len(args.form) != 1):
        raise CliError("report form needs --event OID and one --form OID (and --repeat N "
                       "for a repeated visit)")
    study = load_study_or_fail()
    if args.event and ae_number is None:
        try:
            study.event(args.event)
        except KeyError as exc:
            raise CliError(str(exc.args[0])) from None
    for oid in args.form:
        try:
            study.form(oid)
        except KeyError as exc:
            raise CliError(str(exc.args[0])) from None
    db = actor = None
    try:
        if kind.needs_login:

            db = open_db(args)
            actor = login(db, args.user)
        printed_by = actor.username if actor is not None else (args.user or getpass.getuser())
        patient_id = _patient_id(db, actor, args.patient) if (
            args.patient and db is not None) else None
        request = ReportRequest(
            study=study, printed_by=printed_by, language=args.language,
            page_size=args.page_size, db=db, actor=actor, patient_id=patient_id,
            site_code=args.site, event_oid=args.event if ae_number is None else None,
            form_oids=tuple(args.form),
            audit_username=args.audit_user, start=start, end=end, ae_number=ae_number,
            event_repeat=args.repeat, visit_day=args.day)

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

        try:
            result = generate(kind.name, request, out, progress=progress)
        except ServiceError as exc:
            out.unlink(missing_ok=True)
            raise CliError(str(exc)) from None
        except (FontError, ReportCancelled) as exc:
            out.unlink(missing_ok=True)
            raise CliError(str(exc)) from None
        if sys.stderr.isatty():
            print(file=sys.stderr)
    finally:
        if db is not None:
            db.dispose()
    print(f"{kind.name}: {out} ({result.pages} page{'s' if result.pages != 1 else ''})")
    return 0
