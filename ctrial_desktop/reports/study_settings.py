"""Study settings report: what the study definition in ``forms/`` sets, and where from.

For the sponsor, the data manager and an inspector: the study's identity, arms, visit
schedule, every setting of ``study.yaml`` with its value and provenance (``verified``:
published; ``default``: our choice where the protocol is silent, with its source when
there is one), and the version of every form with its history of amendments (data keep
the version they were entered with; new entries take the current one). It needs no
log-in: it prints the definition, not trial data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Final

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer

from ctrial_desktop.reports.base import (
    Cancelled,
    DocumentInfo,
    PageSize,
    Progress,
    RenderResult,
    heading,
    render,
)
from ctrial_desktop.reports.common import colon, fmt_date, fmt_number
from ctrial_desktop.reports.styles import Column, data_table, styles, text
from ctrial_desktop.study import StudyDefinition
from ctrial_desktop.study.settings import SettingEntry

_W: Final[dict[str, dict[str, str]]] = {
    "en": {"title": "Study settings and form versions", "identity": "Study",
           "name": "Name", "protocol": "Protocol", "registry": "Registry",
           "sponsor": "Sponsor", "oid": "Study OID", "mdv": "Definition version",
           "arms": "Arms", "arm": "Arm", "regimen": "Regimen", "schedule": "Visit schedule",
           "event": "Visit or log", "days": "Cycle days", "forms": "Forms",
           "repeating": "repeating", "settings": "Settings", "setting": "Setting",
           "value": "Value", "status": "Status", "description": "Meaning and source",
           "verified": "verified", "default": "default",
           "legend": "verified: a published value (protocol, IMWG, CTCAE); default: our "
                     "choice where the protocol is silent, to be confirmed by the sponsor.",
           "versions": "Form versions and amendments", "form": "Form",
           "current": "Current version", "version": "Version", "count": "Versions", "date": "Date",
           "amendment": "Amendment", "changes": "Changes",
           "unchanged": "No change since this version was first used.",
           "versions_note": "Data keep the version they were entered with and print with it; "
                            "a new version applies to new entries.",
           "as_of": "Definition loaded on", "yes": "yes", "no": "no"},
    "fr": {"title": "Paramètres de l'étude et versions des formulaires", "identity": "Étude",
           "name": "Nom", "protocol": "Protocole", "registry": "Registre",
           "sponsor": "Promoteur", "oid": "OID de l'étude", "mdv": "Version de la définition",
           "arms": "Bras", "arm": "Bras", "regimen": "Schéma", "schedule": "Calendrier des visites",
           "event": "Visite ou registre", "days": "Jours du cycle", "forms": "Formulaires",
           "repeating": "répétée", "settings": "Paramètres", "setting": "Paramètre",
           "value": "Valeur", "status": "Statut", "description": "Signification et source",
           "verified": "vérifié", "default": "par défaut",
           "legend": "vérifié\u00a0: valeur publiée (protocole, IMWG, CTCAE)\u00a0; par "
                     "défaut\u00a0: notre choix là où le protocole est muet, à confirmer par le "
                     "promoteur.",
           "versions": "Versions des formulaires et amendements", "form": "Formulaire",
           "current": "Version actuelle", "version": "Version", "count": "Versions", "date": "Date",
           "amendment": "Amendement", "changes": "Modifications",
           "unchanged": "Aucune modification depuis la première utilisation de cette version.",
           "versions_note": "Les données gardent la version avec laquelle elles ont été saisies "
                            "et s'impriment avec elle\u00a0; une nouvelle version s'applique aux "
                            "nouvelles saisies.",
           "as_of": "Définition chargée le", "yes": "oui", "no": "non"},
}


def _value_text(value: object, language: str = "en") -> str:
    """A setting's value as printed (French: ``oui``/``non``, decimal comma)."""
    french = language == "fr"
    if isinstance(value, bool):
        if french:
            return "oui" if value else "non"
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(v, language) for v in value)
    if isinstance(value, dict):
        return ("\u00a0; " if french else "; ").join(
            f"{colon(str(k), language)} {_value_text(v, language)}" for k, v in value.items())
    if isinstance(value, float):
        return fmt_number(value, "", language)  # str(value), with the language's mark
    return str(value)


def _identity(study: StudyDefinition, language: str) -> list[Flowable]:
    w = _W.get(language, _W["en"])
    info = study.info
    rows = [[w["name"], info.name], [w["protocol"], info.protocol_name],
            [w["registry"], info.registry_id], [w["sponsor"], info.sponsor],
            [w["oid"], info.oid], [w["mdv"], info.metadata_version]]
    columns = [Column("", 4.5 * cm), Column("", 12.5 * cm)]
    table = data_table(columns, rows)
    return [heading(w["identity"]), Paragraph(text(info.title.get(language)), styles().body),
            table]


def _arms(study: StudyDefinition, language: str) -> list[Flowable]:
    w = _W.get(language, _W["en"])
    rows = [[f"{a.letter} · {a.code}", a.name.get(language), a.regimen.get(language)]
            for a in study.arms]
    columns = [Column(w["arm"], 2.6 * cm), Column(w["name"], 4.4 * cm),
               Column(w["regimen"], 10 * cm)]
    return [heading(w["arms"]), data_table(columns, rows)]


def _schedule(study: StudyDefinition, language: str) -> list[Flowable]:
    w = _W.get(language, _W["en"])
    rows = []
    for event in study.events:
        name = event.name.get(language) + (f" ({w['repeating']})" if event.repeating else "")
        forms = ", ".join(study.form(ref.form).name.get(language) for ref in event.forms)
        rows.append([name, ", ".join(str(d) for d in event.days), forms])
    columns = [Column(w["event"], 4.6 * cm), Column(w["days"], 2.4 * cm),
               Column(w["forms"], 10 * cm)]
    return [heading(w["schedule"]), data_table(columns, rows, small=True)]


def _settings(entries: Sequence[SettingEntry], language: str) -> list[Flowable]:
    w = _W.get(language, _W["en"])
    story: list[Flowable] = [heading(w["settings"]),
                             Paragraph(text(w["legend"]), styles().body)]
    columns = [Column(w["setting"], 5.2 * cm), Column(w["value"], 3.4 * cm),
               Column(w["status"], 1.8 * cm), Column(w["description"], 6.6 * cm)]
    by_section: dict[str, list[SettingEntry]] = {}
    for entry in entries:
        by_section.setdefault(entry.path.split(".", 1)[0], []).append(entry)
    for section, items in by_section.items():
        rows = []
        for entry in items:
            rows.append([entry.path.split(".", 1)[-1], _value_text(entry.value, language),
                         w[entry.status], entry.meaning(language)])
        story.append(heading(section, level=1))
        story.append(data_table(columns, rows, small=True))
    return story


def _versions(study: StudyDefinition, language: str) -> list[Flowable]:
    w = _W.get(language, _W["en"])
    story: list[Flowable] = [heading(w["versions"]),
                             Paragraph(text(w["versions_note"]), styles().body)]
    summary = [[f"{f.oid} · {f.name.get(language)}", f.version,
                str(len(f.history)) if f.history else "1"] for f in study.forms]
    story.append(data_table([Column(w["form"], 10.5 * cm),
                             Column(w["current"], 3 * cm, "plain"),
                             Column(w["count"], 3.5 * cm, "number")], summary))
    columns = [Column(w["version"], 1.6 * cm, "plain"), Column(w["date"], 2.2 * cm, "plain"),
               Column(w["amendment"], 4.6 * cm), Column(w["changes"], 8.6 * cm)]
    for form in study.forms:
        if not form.history:
            continue
        story.append(Spacer(1, 4))
        story.append(heading(f"{form.oid} · {form.name.get(language)}", level=1))
        rows = [[r.version, fmt_date(r.date), r.amendment.get(language), r.changes.get(language)]
                for r in form.history]
        story.append(data_table(columns, rows))
    unchanged = [f for f in study.forms if not f.history]
    if unchanged:
        names = ", ".join(f"{f.oid} {f.version}" for f in unchanged)
        story.append(Spacer(1, 4))
        story.append(Paragraph(text(f"{colon(names, language)} {w['unchanged']}"),
                               styles().body))
    return story


def study_settings_story(study: StudyDefinition, language: str, as_of: dt.date
                         ) -> list[Flowable]:
    """The flowables of the report (title, identity, arms, schedule, settings, versions)."""
    s = styles()
    w = _W.get(language, _W["en"])
    return [Paragraph(text(w["title"]), s.title),
            Paragraph(text(f"{study.info.name} · {w['as_of']} {fmt_date(as_of)}"), s.subtitle),
            *_identity(study, language), *_arms(study, language), *_schedule(study, language),
            *_settings(study.setting_entries, language), *_versions(study, language)]


def build_study_settings(study: StudyDefinition, out: Path | BinaryIO, *, printed_by: str,
                         language: str = "en", printed_at: dt.datetime | None = None,
                         page_size: PageSize = "A4", progress: Progress | None = None,
                         cancelled: Cancelled | None = None) -> RenderResult:
    """Write the study settings report PDF."""
    w = _W.get(language, _W["en"])
    when = printed_at or dt.datetime.now()
    info = DocumentInfo(title=w["title"], subject=f"{study.info.name} {w['title'].lower()}",
                        printed_by=printed_by, printed_at=when, author=printed_by,
                        keywords=(study.info.name, "study settings", "form versions"),
                        language=language, page_size=page_size)
    return render(info, study_settings_story(study, language, when.date()), out,
                  progress=progress, cancelled=cancelled)
