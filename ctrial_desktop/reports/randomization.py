"""Randomization confirmation (one patient) and the randomization log (every assignment).

The confirmation shows the arm in large type with its regimen in words, the
randomization number, date and time, the user, the stratum, the patient's
identifiers, and signature lines. The log lists every assignment in order with its
stratum, list and position (or the minimization explanation), followed by the
allocation lists with their full SHA-256 commitments in the mono font, wrapped in
two lines of 32 characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Final

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ctrial_desktop.domain.messages import Style
from ctrial_desktop.domain.messages import render as render_message
from ctrial_desktop.domain.randomization.factors import stratum_words
from ctrial_desktop.reports.base import (
    Cancelled,
    DocumentInfo,
    PageSize,
    Progress,
    RenderResult,
    heading,
    render,
)
from ctrial_desktop.reports.common import (
    arm_label,
    colon,
    fmt_date,
    fmt_datetime,
    fmt_number,
    local_time,
    system_reason,
)
from ctrial_desktop.reports.styles import (
    INK,
    RULE,
    Column,
    data_table,
    mono_width,
    para,
    styles,
    text,
)
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import NotFound
from ctrial_desktop.services.patients import PatientRow, PatientService
from ctrial_desktop.services.randomization import (
    ListInfo,
    RandomizationResult,
    RandomizationService,
)
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import Arm, StudyDefinition

_W: Final[dict[str, dict[str, str]]] = {
    "en": {
        "ctitle": "Randomization confirmation", "ltitle": "Randomization log",
        "patient": "Patient", "initials": "Initials", "sex": "Sex", "birth": "Year of birth",
        "site": "Site", "arm": "Arm", "number": "Randomization number",
        "when": "Date and time", "by": "Randomized by", "method": "Method",
        "stratum": "Stratum", "position": "List position", "regimen": "Regimen",
        "sign_inv": "Investigator (name, signature, date)",
        "sign_user": "Person who randomized (name, signature, date)",
        "keep": "File this confirmation in the patient's investigator site file.",
        "assignments": "Assignments", "lists": "Allocation lists and commitments",
        "no": "No.", "list": "List", "pos": "Position / explanation", "user": "User",
        "positions": "Positions", "created": "Created", "commitment": "Commitment (SHA-256)",
        "none": "No patient randomized yet.", "nolists": "No allocation list.",
        "reason": "Reason", "blocks": "stratified permuted blocks",
        "minimization": "minimization (Pocock-Simon)",
        "commit_note": "Each list's commitment is the SHA-256 of its canonical text; "
                       "'ctrial randomization verify' recomputes it.",
        "local": "local time",
    },
    "fr": {
        "ctitle": "Confirmation de randomisation", "ltitle": "Journal de randomisation",
        "patient": "Patient", "initials": "Initiales", "sex": "Sexe",
        "birth": "Année de naissance", "site": "Centre", "arm": "Bras",
        "number": "Numéro de randomisation", "when": "Date et heure", "by": "Randomisé par",
        "method": "Méthode", "stratum": "Strate", "position": "Position dans la liste",
        "regimen": "Schéma thérapeutique",
        "sign_inv": "Investigateur (nom, signature, date)",
        "sign_user": "Personne ayant randomisé (nom, signature, date)",
        "keep": "Classer cette confirmation dans le classeur investigateur du patient.",
        "assignments": "Attributions", "lists": "Listes d'allocation et engagements",
        "no": "N°", "list": "Liste", "pos": "Position / explication", "user": "Utilisateur",
        "positions": "Positions", "created": "Créée", "commitment": "Engagement (SHA-256)",
        "none": "Aucun patient randomisé.", "nolists": "Aucune liste d'allocation.",
        "reason": "Motif", "blocks": "blocs permutés stratifiés",
        "minimization": "minimisation (Pocock-Simon)",
        "commit_note": "L'engagement de chaque liste est le SHA-256 de son texte canonique\u00a0; "
                       "« ctrial randomization verify » le recalcule.",
        "local": "heure locale",
    },
}


def _w(language: str) -> dict[str, str]:
    return _W.get(language, _W["en"])


def _arm(study: StudyDefinition, letter: str) -> Arm | None:
    return next((a for a in study.arms if letter in (a.letter, a.code)), None)


# --------------------------------------------------------------------------- confirmation


@dataclass(frozen=True)
class ConfirmationData:
    """One patient's randomization and identifiers (plain data)."""

    result: RandomizationResult
    patient: PatientRow
    site_name: str


def collect_confirmation(db: Database, actor: Actor, patient_id: int) -> ConfirmationData:
    """Read a randomized patient's confirmation; :class:`NotFound` when not randomized."""
    patient = PatientService(db, actor).get_patient(patient_id)
    result = RandomizationService(db, actor).result_for(patient_id)
    if result is None:
        raise NotFound(f"{patient.patient_number} is not randomized.")
    names = {s.code: s.name for s in SiteService(db, actor).list_sites()}
    return ConfirmationData(result, patient, names.get(patient.site_code, ""))


def _method(result: RandomizationResult, language: str) -> str:
    return _w(language)["minimization" if result.method == "minimization" else "blocks"]


def _key_values(rows: Sequence[tuple[str, str]], width: float, big: bool = False) -> Table:
    s = styles()
    value_style = s.cell_bold if big else s.cell
    table = Table([[Paragraph(text(k), s.cell), Paragraph(text(v), value_style)]
                   for k, v in rows], colWidths=[0.35 * width, 0.65 * width], hAlign="LEFT")
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 3),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return table


def confirmation_story(study: StudyDefinition, data: ConfirmationData, language: str,
                       width: float) -> list[Flowable]:
    """Title, patient, the arm in large type, the facts, signature lines."""
    s = styles()
    w = _w(language)
    r, p = data.result, data.patient
    arm = _arm(study, r.arm)
    story: list[Flowable] = [Paragraph(text(w["ctitle"]), s.title),
                             para(study.info.title.get(language), s.subtitle)]
    story.append(heading(f"{w['patient']} {p.patient_number}"))
    story.append(_key_values([
        (w["patient"], p.patient_number), (w["initials"], p.initials), (w["sex"], p.sex),
        (w["birth"], str(p.birth_year or "")),
        (w["site"], f"{p.site_code} {data.site_name}".strip()),
    ], width))
    story.append(Spacer(1, 10))
    arm_title = f"{w['arm']} {arm.letter} · {arm.code}" if arm else f"{w['arm']} {r.arm}"
    box = [[Paragraph(text(arm_title), s.big)]]
    if arm is not None:
        box.append([Paragraph(text(arm.name.get(language)), s.h1)])
        box.append([Paragraph(f"<b>{text(colon(w['regimen'], language))}</b> "
                              f"{text(arm.regimen.get(language))}", s.body)])
    table = Table(box, colWidths=[width], hAlign="LEFT")
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.4, INK),
                               ("LEFTPADDING", (0, 0), (-1, -1), 10),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                               ("BOTTOMPADDING", (0, -1), (-1, -1), 10)]))
    story.append(table)
    story.append(Spacer(1, 10))
    story.append(heading(w["number"]))
    when = local_time(r.randomized_at)
    position = "" if r.position is None else str(r.position)
    story.append(_key_values([
        (w["number"], r.number),
        (w["when"], f"{fmt_datetime(r.randomized_at, seconds=True)} ({w['local']}, "
                    f"UTC{when.strftime('%z')[:3]}:{when.strftime('%z')[3:]})"),
        (w["by"], r.username), (w["method"], _method(r, language)),
        (w["stratum"], stratum_label(r.stratum, language)), (w["position"], position or "—"),
    ], width, big=True))
    story.append(Spacer(1, 26))
    for label in (w["sign_inv"], w["sign_user"]):
        line = Table([[Paragraph(text(label), s.cell), ""]],
                     colWidths=[0.45 * width, 0.55 * width], rowHeights=[28], hAlign="LEFT")
        line.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, 0), 0.6, INK),
                                  ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
        story.append(line)
        story.append(Spacer(1, 8))
    story.append(Spacer(1, 8))
    story.append(Paragraph(text(w["keep"]), s.small))
    return story


def build_confirmation(study: StudyDefinition, data: ConfirmationData, out: Path | BinaryIO,
                       *, printed_by: str, language: str = "en",
                       printed_at: dt.datetime | None = None, page_size: PageSize = "A4",
                       progress: Progress | None = None, cancelled: Cancelled | None = None
                       ) -> RenderResult:
    """Write one patient's randomization confirmation PDF."""
    w = _w(language)
    p = data.patient
    info = DocumentInfo(
        title=f"{w['ctitle']} {p.patient_number}", subject=f"{study.info.name} {w['ctitle']}",
        printed_by=printed_by, printed_at=printed_at or dt.datetime.now(), author=printed_by,
        keywords=(study.info.name, "randomization", p.patient_number),
        site=f"{w['site']} {p.site_code} {data.site_name}".strip(),
        patient=f"{w['patient']} {p.patient_number} {p.initials}", language=language,
        page_size=page_size)
    width = info.pagesize[0] - 4 * cm
    return render(info, confirmation_story(study, data, language, width), out,
                  progress=progress, cancelled=cancelled)


# --------------------------------------------------------------------------- log


@dataclass(frozen=True)
class RandomizationLogData:
    """Every assignment in order and every allocation list (plain data)."""

    results: tuple[RandomizationResult, ...]
    lists: tuple[ListInfo, ...]
    site_filter: str | None = None


def collect_randomization_log(db: Database, actor: Actor, site_code: str | None = None
                              ) -> RandomizationLogData:
    """Read the log and the list commitments (data managers and monitors)."""
    service = RandomizationService(db, actor)
    results = service.log()
    lists = service.lists()
    if site_code:
        results = [r for r in results if r.number.startswith(f"R{site_code}-")
                   or r.patient_number.startswith(f"{site_code}-")]
        lists = [li for li in lists if li.site_code == site_code]
    return RandomizationLogData(tuple(results), tuple(lists), site_code)


_EXPLAIN: Final[dict[str, dict[str, str]]] = {
    "en": {"list": "list", "imbalance": "imbalance", "draw": "draw",
           "minimization": "minimization"},
    "fr": {"list": "liste", "imbalance": "déséquilibre", "draw": "tirage",
           "minimization": "minimisation"},
}


def explain(result: RandomizationResult, lists: Sequence[ListInfo],
            language: str = "en") -> str:
    """List and position of a blocks assignment, or the minimization explanation."""
    w = _EXPLAIN.get(language, _EXPLAIN["en"])
    if result.position is not None:
        for li in lists:
            if li.stratum == result.stratum and \
                    li.first_position <= result.position <= li.last_position:
                return f"{w['list']} {li.list_number}, position {result.position}"
        return f"position {result.position}"
    exp: dict[str, Any] = result.explanation
    arms = exp.get("arms", {})
    parts = []
    for arm, detail in sorted(arms.items()):
        probability = fmt_number(float(detail.get("probability_value", 0)), ".3f", language)
        parts.append(f"{colon(arm, language)} {w['imbalance']} {detail.get('imbalance')}, "
                     f"p {probability}")
    draw = exp.get("draw")
    text_ = ("\u00a0; " if language == "fr" else "; ").join(parts)
    if draw is not None:
        text_ += ("\u00a0; " if language == "fr" else "; ") + \
            f"{w['draw']} {fmt_number(float(draw), '.4f', language)}"
    method = exp.get("method", "minimization")
    method = w.get(method, method) if language == "fr" else method
    measure = exp.get("measure", "")
    return f"{colon(f'{method} ({measure})', language)} {text_}"


#: The factor names of a stratum in French (``site=01|iss=I-II``: ``centre 01 · ISS I-II``).
_FACTORS_FR: Final = {"site": "centre", "iss": "ISS", "age": "âge", "sex": "sexe"}


def stratum_label(stratum: str, language: str = "en") -> str:
    """A stratum as the log prints it: its key in English (``site=01|iss=I-II``), its
    factors in words in French (``centre 01 · ISS I-II``)."""
    if language != "fr":
        return stratum
    return render_message(stratum_words(stratum),
                  Style(translate=lambda t: _FACTORS_FR.get(t, t), language="fr",
                        decimal_point=","))


def randomization_log_story(study: StudyDefinition, data: RandomizationLogData,
                            language: str, as_of: dt.datetime) -> list[Flowable]:
    """Title, the assignments table, the lists with their commitments."""
    s = styles()
    w = _w(language)
    story: list[Flowable] = [Paragraph(text(w["ltitle"]), s.title),
                             Paragraph(text(f"{study.info.name} · {fmt_date(as_of.date())}"),
                                       s.subtitle)]
    story.append(heading(w["assignments"]))
    if data.results:
        columns = [Column("#", 0.8 * cm, "number"), Column(w["no"], 1.6 * cm),
                   Column(w["patient"], 1.6 * cm), Column(w["when"], 2.6 * cm),
                   Column(w["stratum"], 3.0 * cm), Column(w["pos"], 3.6 * cm),
                   Column(w["arm"], 1.8 * cm), Column(w["user"], 2.0 * cm)]
        rows = [[str(i), r.number, f"{r.patient_number} {r.initials}",
                 fmt_datetime(r.randomized_at), stratum_label(r.stratum, language),
                 explain(r, data.lists, language),
                 arm_label(study, r.arm), r.username]
                for i, r in enumerate(data.results, start=1)]
        story.append(data_table(columns, rows))
    else:
        story.append(Paragraph(text(w["none"]), s.body))
    story.append(Spacer(1, 8))
    story.append(heading(w["lists"]))
    story.append(Paragraph(text(w["commit_note"]), s.small))
    story.append(Spacer(1, 4))
    if data.lists:
        hash_width = mono_width(32) + 6.5
        columns = [Column(w["stratum"], 2.9 * cm), Column(w["list"], 1.0 * cm, "number"),
                   Column(w["positions"], 1.6 * cm), Column(w["created"], 2.6 * cm),
                   Column(w["commitment"], hash_width, "mono"),
                   Column(w["reason"], 17 * cm - 8.1 * cm - hash_width)]
        rows = [[stratum_label(li.stratum, language), str(li.list_number),
                 f"{li.first_position}–{li.last_position}",
                 f"{fmt_datetime(li.created_at)} {li.created_by}", li.commitment,
                 system_reason(li.reason, language)]
                for li in data.lists]
        story.append(data_table(columns, rows))
    else:
        story.append(Paragraph(text(w["nolists"]), s.body))
    return story


def build_randomization_log(study: StudyDefinition, data: RandomizationLogData,
                            out: Path | BinaryIO, *, printed_by: str, language: str = "en",
                            printed_at: dt.datetime | None = None, page_size: PageSize = "A4",
                            progress: Progress | None = None,
                            cancelled: Cancelled | None = None) -> RenderResult:
    """Write the randomization log PDF."""
    w = _w(language)
    when = printed_at or dt.datetime.now()
    info = DocumentInfo(
        title=w["ltitle"], subject=f"{study.info.name} {w['ltitle']}", printed_by=printed_by,
        printed_at=when, author=printed_by, keywords=(study.info.name, "randomization log"),
        site=f"{w['site']} {data.site_filter}" if data.site_filter else "",
        language=language, page_size=page_size)
    return render(info, randomization_log_story(study, data, language, when), out,
                  progress=progress, cancelled=cancelled)
