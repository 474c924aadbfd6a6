"""Trial summary by arm: enrolment, exposure and dose intensity, best response with ORR and
its exact 95% interval, worst-grade toxicity, and the figures (CONSORT, swimmer,
waterfall, Kaplan-Meier PFS and OS with numbers at risk), as vector drawings.

The numbers come from :mod:`ctrial_desktop.services.trial_summary` (definitions there);
the figures from :mod:`ctrial_desktop.reports.figures`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path
from typing import BinaryIO, Final

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Spacer

from ctrial_desktop.domain.stats import kaplan_meier, km_median
from ctrial_desktop.reports.base import (
    Cancelled,
    DocumentInfo,
    PageSize,
    Progress,
    RenderResult,
    heading,
    render,
)
from ctrial_desktop.reports.common import fmt_date, fmt_number, fmt_percent
from ctrial_desktop.reports.figures import consort, kaplan_meier_plot, swimmer, waterfall
from ctrial_desktop.reports.styles import Column, data_table, styles, text
from ctrial_desktop.services.trial_summary import (
    RESPONSE_ORDER,
    TrialSummary,
    worst_grade_table,
)
from ctrial_desktop.study import StudyDefinition

_W: Final[dict[str, dict[str, str]]] = {
    "en": {"title": "Trial summary by arm", "as_of": "Data as of", "site": "Site",
           "enrolment": "Enrolment", "exposure": "Exposure and dose intensity",
           "response": "Best overall response (IMWG)", "toxicity": "Worst-grade toxicity",
           "figures": "Figures", "consort": "CONSORT flow diagram", "swimmer": "Swimmer plot",
           "waterfall": "Waterfall plot", "km": "Kaplan-Meier curves",
           "pfs": "Progression-free survival", "os": "Overall survival",
           "arm": "Arm", "randomized": "Randomized", "treated": "Treated",
           "cycles": "Cycles (median, range)", "rdi_pom": "RDI pomalidomide (median)",
           "rdi_dex": "RDI dexamethasone (median)", "category": "Response",
           "orr": "Overall response rate (>= PR)", "ci": "95% CI (Clopper-Pearson)",
           "term": "CTCAE term", "any": "any", "g34": "grade 3-4", "g5": "grade 5",
           "median": "median", "events": "events", "not_reached": "not reached",
           "months": "months", "none": "No randomized patient.",
           "tox_note": "Patients with the term at its worst grade; terms with a grade 3 or "
                       "more in any patient.",
           "def": "Intention to treat: every randomized patient. ORR counts sCR, CR, VGPR "
                  "and PR. PFS: randomization to progression or death, censored at the last "
                  "assessment; OS: to death, censored at the last contact."},
    "fr": {"title": "Synthèse de l'essai par bras", "as_of": "Données au", "site": "Centre",
           "enrolment": "Inclusions", "exposure": "Exposition et intensité de dose",
           "response": "Meilleure réponse globale (IMWG)",
           "toxicity": "Toxicité de grade maximal", "figures": "Figures",
           "consort": "Diagramme de flux CONSORT", "swimmer": "Diagramme en couloirs",
           "waterfall": "Diagramme en cascade", "km": "Courbes de Kaplan-Meier",
           "pfs": "Survie sans progression", "os": "Survie globale",
           "arm": "Bras", "randomized": "Randomisés", "treated": "Traités",
           "cycles": "Cycles (médiane, étendue)",
           "rdi_pom": "Intensité relative pomalidomide (médiane)",
           "rdi_dex": "Intensité relative dexaméthasone (médiane)", "category": "Réponse",
           "orr": "Taux de réponse globale (≥\u00a0PR)",
           "ci": "IC à 95\u00a0% (Clopper-Pearson)",
           "term": "Terme CTCAE", "any": "tout grade", "g34": "grade 3-4", "g5": "grade 5",
           "median": "médiane", "events": "événements", "not_reached": "non atteinte",
           "months": "mois", "none": "Aucun patient randomisé.",
           "tox_note": "Patients ayant le terme à son grade maximal\u00a0; termes de grade 3 ou "
                       "plus chez au moins un patient.",
           "def": "Intention de traiter\u00a0: tous les patients randomisés. Le taux de "
                  "réponse compte les réponses sCR, CR, VGPR et PR (catégories IMWG). "
                  "SSP\u00a0: de la randomisation à la progression ou au décès, censurée à "
                  "la dernière évaluation\u00a0; SG\u00a0: jusqu'au décès, censurée aux "
                  "dernières nouvelles."},
}


def _pct(value: float | None, language: str = "en") -> str:
    return "" if value is None else fmt_percent(value, language)


def orr_text(summary: TrialSummary, arm_code: str, language: str = "en") -> str:
    """``10/40 = 25.0% (12.7%-41.2%)`` for an arm (the text the report prints; French
    ``10/40 = 25,0\u00a0% (12,7\u00a0%-41,2\u00a0%)``)."""
    arm = next(a for a in summary.arms if a.arm == arm_code)
    orr = arm.orr()
    if orr is None:
        return "-"
    rate, low, high = orr
    return (f"{arm.responders}/{arm.n} = {_pct(rate, language)} "
            f"({_pct(low, language)}-{_pct(high, language)})")


def _median_range(values: list[float], language: str = "en") -> str:
    if not values:
        return "-"
    return (f"{fmt_number(statistics.median(values), 'g', language)} "
            f"({fmt_number(min(values), 'g', language)}-"
            f"{fmt_number(max(values), 'g', language)})")


def _rdi(values: list[float | None], language: str = "en") -> str:
    present = [v for v in values if v is not None]
    return _pct(statistics.median(present), language) if present else "-"


def trial_summary_story(study: StudyDefinition, summary: TrialSummary, language: str,
                        width: float, term_names: dict[str, str]) -> list[Flowable]:
    w = _W.get(language, _W["en"])
    s = styles()
    arms = summary.arms
    story: list[Flowable] = [
        Paragraph(text(w["title"]), s.title),
        Paragraph(text(f"{study.info.name} · {w['as_of']} {fmt_date(summary.cutoff)}"
                       + (f" · {w['site']} {summary.site_code}" if summary.site_code else "")),
                  s.subtitle),
        Paragraph(text(w["def"]), s.body)]
    if not summary.patients:
        return [*story, Paragraph(text(w["none"]), s.body)]
    first = 6.0 * cm
    arm_columns = [Column(a.arm, (width - first) / max(len(arms), 1)) for a in arms]
    # Enrolment and exposure
    rows = [[w["randomized"], *[str(a.n) for a in arms]],
            [w["treated"], *[str(sum(1 for p in a.patients if p.treated)) for a in arms]],
            [w["cycles"], *[_median_range([p.cycles for p in a.patients], language)
                          for a in arms]],
            [w["rdi_pom"], *[_rdi([p.rdi.get("pomalidomide") for p in a.patients], language)
                             for a in arms]],
            [w["rdi_dex"], *[_rdi([p.rdi.get("dexamethasone") for p in a.patients], language)
                             for a in arms]]]
    story += [heading(w["enrolment"]), data_table([Column("", first), *arm_columns], rows[:2]),
              heading(w["exposure"]), data_table([Column("", first), *arm_columns], rows[2:])]
    # Best response
    rows = []
    for category in RESPONSE_ORDER:
        counts = [a.responses.get(category, 0) for a in arms]
        if any(counts):
            rows.append([category, *[f"{n} ({_pct(n / a.n, language) if a.n else '-'})"
                                     for n, a in zip(counts, arms, strict=True)]])
    rows.append([f"{w['orr']}, {w['ci']}", *[orr_text(summary, a.arm, language) for a in arms]])
    story += [heading(w["response"]),
              data_table([Column(w["category"], first), *arm_columns], rows, total_rows=1)]
    # Survival medians
    rows = []
    for key in ("pfs", "os"):
        cells = []
        for arm in arms:
            data = [getattr(p, key) for p in arm.patients]
            steps = kaplan_meier([t for t, _e in data], [e for _t, e in data])
            median = km_median(steps)
            events = sum(1 for _t, e in data if e)
            cells.append(f"{w['median']} {fmt_number(median, '.1f', language)} {w['months']} · "
                         f"{events} {w['events']}"
                         if median is not None else
                         f"{w['median']} {w['not_reached']} · {events} {w['events']}")
        rows.append([w[key], *cells])
    story += [data_table([Column("", first), *arm_columns], rows)]
    # Toxicity
    table = worst_grade_table(summary, term_names)
    tox_columns = [Column(w["term"], 5.0 * cm)]
    for arm in arms:
        tox_columns += [Column(f"{arm.arm} {w['any']}", 2.0 * cm, "number"),
                        Column(w["g34"], 2.0 * cm, "number"),
                        Column(w["g5"], 2.0 * cm, "number")]
    tox_rows = [[term, *[str(v) for arm in arms for v in counts[arm.arm]]]
                for term, counts in table]
    story += [heading(w["toxicity"]), Paragraph(text(w["tox_note"]), s.body),
              data_table(tox_columns, tox_rows, small=True)]
    # Figures
    story += [PageBreak(), heading(w["figures"]), heading(w["consort"], level=1),
              consort(summary, width, language), CondPageBreak(12 * cm),
              heading(w["waterfall"], level=1), waterfall(summary, width, language),
              PageBreak(), heading(w["km"], level=1),
              kaplan_meier_plot(summary, width, "pfs", w["pfs"], language), Spacer(1, 8),
              kaplan_meier_plot(summary, width, "os", w["os"], language), PageBreak(),
              heading(w["swimmer"], level=1), swimmer(summary, width, language)]
    return story


def build_trial_summary(study: StudyDefinition, summary: TrialSummary, out: Path | BinaryIO,
                        *, printed_by: str, term_names: dict[str, str] | None = None,
                        language: str = "en", printed_at: dt.datetime | None = None,
                        page_size: PageSize = "A4", progress: Progress | None = None,
                        cancelled: Cancelled | None = None) -> RenderResult:
    """Write the trial summary PDF."""
    w = _W.get(language, _W["en"])
    when = printed_at or dt.datetime.now()
    info = DocumentInfo(title=w["title"], subject=f"{study.info.name} {w['title'].lower()}",
                        printed_by=printed_by, printed_at=when, author=printed_by,
                        keywords=(study.info.name, "trial summary", "ORR", "Kaplan-Meier"),
                        site=f"{w['site']} {summary.site_code}" if summary.site_code else "",
                        language=language, page_size=page_size)
    width = info.pagesize[0] - 4 * cm
    story = trial_summary_story(study, summary, language, width, term_names or {})
    return render(info, story, out, progress=progress, cancelled=cancelled)
