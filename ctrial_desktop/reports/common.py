"""Small helpers shared by the data reports: dates, times, arms, status words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Final

from ctrial_desktop.study import StudyDefinition

_STATUS: Final[dict[str, dict[str, str]]] = {
    "en": {"screening": "Screening", "screen_failed": "Screen failure",
           "randomized": "Randomized", "on_treatment": "On treatment",
           "off_treatment": "Off treatment", "follow_up": "Follow-up", "dead": "Dead"},
    "fr": {"screening": "En sélection", "screen_failed": "Échec de sélection",
           "randomized": "Randomisé", "on_treatment": "Sous traitement",
           "off_treatment": "Hors traitement", "follow_up": "Suivi", "dead": "Décédé"},
}


#: The no-break space French typography puts before ":", ";", "?", "!" and "%".
NBSP: Final = "\u00a0"


def fmt_number(value: float, spec: str = "g", language: str = "en") -> str:
    """``value`` formatted by ``spec`` with the language's decimal mark (``1,5`` in
    French, ``1.5`` in English)."""
    text = format(value, spec)
    return text.replace(".", ",") if language == "fr" else text


def fmt_percent(fraction: float, language: str = "en", digits: int = 1) -> str:
    """A fraction as a percentage: ``25.0%`` in English, ``25,0\u00a0%`` in French."""
    number = fmt_number(100 * fraction, f".{digits}f", language)
    return f"{number}{NBSP}%" if language == "fr" else f"{number}%"


def colon(label: str, language: str = "en") -> str:
    """``label:`` in English, ``label\u00a0:`` in French."""
    return f"{label}{NBSP}:" if language == "fr" else f"{label}:"


#: The reasons the application itself writes into the audit trail, in French (the trail
#: keeps them in English; a French report prints them in French).
_SYSTEM_REASONS_FR: Final[dict[str, str]] = {
    "form first saved": "formulaire enregistré pour la première fois",
    "form first saved (dose advice decision)":
        "formulaire enregistré pour la première fois (décision de conseil de dose)",
    "recomputed from its inputs": "recalculé à partir de ses données",
    "first administrator": "premier administrateur",
    "unknown user name": "identifiant inconnu",
    "account disabled": "compte désactivé",
    "account locked": "compte verrouillé",
    "wrong password": "mot de passe incorrect",
    "session unlocked": "session déverrouillée",
    "site initiation visit completed": "visite de mise en place du centre effectuée",
    "stock of the stratum running low": "stock de la strate bientôt épuisé",
    "first randomization of the stratum": "première randomisation de la strate",
    "patient screened": "patient sélectionné",
    "randomization": "randomisation",
    "protocol deviation recorded": "déviation au protocole enregistrée",
    "query raised": "requête émise",
    "query raise": "requête émise",
    "query answer": "réponse à la requête",
    "query close": "requête close",
    "query reopen": "requête rouverte",
    "electronic signature": "signature électronique",
    "signed": "signé",
    "source data verified": "vérifié sur les sources",
    "user created": "utilisateur créé",
    "site created": "centre créé",
    "derived by IMWG engine": "calculé par le moteur IMWG",
    "dose advice accepted": "conseil de dose accepté",
}
_SAVED = re.compile(r"(?P<form>\S+) version (?P<version>\S+) saved, (?P<status>\w+)")
_STATUS_FR: Final = {"complete": "complet", "in_progress": "en cours",
                     "not_started": "non commencé"}


def system_reason(reason: str, language: str = "en",
                  form_names: Mapping[str, str] | None = None) -> str:
    """An audit reason as a report prints it: the reasons the application writes in
    French in a French report (``form first saved``: ``formulaire enregistré pour la
    première fois``; ``<form> saved`` with ``form_names``, English to French); the
    reasons users typed as they are."""
    if language != "fr" or not reason:
        return reason
    if form_names and reason.endswith(" saved") and reason[:-6] in form_names:
        return f"{form_names[reason[:-6]]} enregistré"
    if reason in _SYSTEM_REASONS_FR:
        return _SYSTEM_REASONS_FR[reason]
    saved = _SAVED.fullmatch(reason)
    if saved:
        status = _STATUS_FR.get(saved["status"], saved["status"])
        return f"{saved['form']} version {saved['version']} enregistré, {status}"
    if reason.startswith("dose advice overridden: "):
        return f"conseil de dose non suivi\u00a0: {reason.removeprefix('dose advice overridden: ')}"
    if reason.startswith("Value confirmed: "):
        return f"Valeur confirmée\u00a0: {reason.removeprefix('Value confirmed: ')}"
    return reason


_ROLES: Final[dict[str, dict[str, str]]] = {
    "en": {"administrator": "administrator", "data_manager": "data_manager",
           "investigator": "investigator", "coordinator": "coordinator",
           "monitor": "monitor"},
    "fr": {"administrator": "administrateur", "data_manager": "data manager",
           "investigator": "investigateur", "coordinator": "TEC / coordinateur·rice d'étude",
           "monitor": "ARC moniteur"},
}


def role_label(role: str, language: str = "en") -> str:
    """A stored role (``coordinator``) as a report names it: its code in English, its
    words in French (``TEC / coordinateur·rice d'étude``)."""
    return _ROLES.get(language, _ROLES["en"]).get(role, role)


def status_label(status: str, language: str = "en") -> str:
    """A patient status in words."""
    table = _STATUS.get(language, _STATUS["en"])
    return table.get(status, status.replace("_", " "))


def fmt_date(day: dt.date | None) -> str:
    """dd/mm/yyyy, empty for None."""
    return day.strftime("%d/%m/%Y") if day else ""


def local_time(instant: dt.datetime) -> dt.datetime:
    """A stored instant (aware, or naive UTC as the database keeps it) in local time."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone()


def fmt_datetime(instant: dt.datetime | None, seconds: bool = False) -> str:
    """Local dd/mm/yyyy hh:mm[:ss] of a stored instant."""
    if instant is None:
        return ""
    return local_time(instant).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def arm_label(study: StudyDefinition, letter: str | None) -> str:
    """``A · POM21`` from the stored arm letter (or code); empty for None."""
    if not letter:
        return ""
    for arm in study.arms:
        if letter in (arm.letter, arm.code):
            return f"{arm.letter} · {arm.code}"
    return letter


def site_label(code: str, names: dict[str, str], language: str = "en") -> str:
    """``Site 01 CHRU de Lille`` (``Centre 01 ...`` in French; the name when known)."""
    name = names.get(code, "")
    word = "Centre" if language == "fr" else "Site"
    return f"{word} {code} {name}".strip()
