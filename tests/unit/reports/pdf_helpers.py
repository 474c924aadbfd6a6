"""Helpers for report tests: a demo trial with randomized patients, and PDF reading."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.randomization import RandomizationResult, RandomizationService
from ctrial_desktop.store.database import Database, open_database
from tests.unit.services.randomization_helpers import set_iss


@dataclass
class ReportTrial:
    """A small demo trial: screened patients at 3 sites, some of them randomized."""

    db: Database
    url: str
    randomized: list[RandomizationResult]
    dm: Actor
    monitor: Actor


def build_report_trial(path: Path, patients: int = 14, randomize: int = 5) -> ReportTrial:
    url = f"sqlite:///{path}"
    db = open_database(url)
    build_demo(db, patients=patients, sites=3, seed=11, clinical=False)
    auth = AuthService(db)
    dm = auth.login("dm", DEMO_PASSWORD)
    logins: dict[str, Actor] = {}
    results = []
    for row in PatientService(db, dm).list_patients():
        if row.status != "screening" or len(results) >= randomize:
            continue
        if row.site_code not in logins:
            logins[row.site_code] = auth.login(f"coord{row.site_code}", DEMO_PASSWORD)
        set_iss(db, row.id, 1 + len(results) % 3)
        service = RandomizationService(db, logins[row.site_code])
        results.append(service.randomize(row.id, service.stratification(row.id)))
    return ReportTrial(db, url, results, dm, auth.login("monitor", DEMO_PASSWORD))


def pages_text(path: Path) -> list[str]:
    """Extracted text of every page."""
    return [page.extract_text() for page in PdfReader(path).pages]


def squeezed(text: str) -> str:
    """Text without any whitespace (wrapped hashes and OIDs join up again)."""
    return re.sub(r"\s+", "", text)


def outline_titles(path: Path) -> list[str]:
    """Every bookmark title, depth first."""
    titles: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))  # type: ignore[attr-defined]

    walk(PdfReader(path).outline)
    return titles


def font_names(path: Path) -> set[str]:
    """Base font names used on any page."""
    names = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def top_outline(path: Path) -> list[str]:
    """Titles of the top-level bookmarks only."""
    return [str(item.title) for item in PdfReader(path).outline  # type: ignore[union-attr]
            if not isinstance(item, list)]
