"""The trial figures as vector drawings (ReportLab graphics): CONSORT flow, swimmer plot,
waterfall plot and Kaplan-Meier curves with numbers at risk.

Each function takes the plain data of :mod:`ctrial_desktop.services.trial_summary` and
returns a :class:`~reportlab.graphics.shapes.Drawing`, a flowable of the PDF (selectable
text, no bitmap). :func:`trial_figures` gives the five figures in order; the application
shows them as SVG (:func:`figure_svg`) and saves each as SVG or as a one-page PDF
(:func:`figure_pdf`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Final

from reportlab.graphics import renderPDF, renderSVG
from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ctrial_desktop.domain.stats import kaplan_meier, numbers_at_risk
from ctrial_desktop.reports.common import colon, fmt_number
from ctrial_desktop.reports.fonts import SANS, SANS_BOLD, register_fonts
from ctrial_desktop.services.trial_summary import RESPONSE_ORDER, TrialSummary

#: Arm colours (colour-blind safe pair) and response colours of the waterfall.
ARM_COLOURS: Final = (colors.HexColor("#0072B2"), colors.HexColor("#D55E00"))
RESPONSE_COLOURS: Final = {
    "sCR": colors.HexColor("#1b7837"), "CR": colors.HexColor("#1b7837"),
    "VGPR": colors.HexColor("#5aae61"), "PR": colors.HexColor("#a6dba0"),
    "MR": colors.HexColor("#d9d9d9"), "SD": colors.HexColor("#bdbdbd"),
    "PD": colors.HexColor("#b2182b"), "NE": colors.HexColor("#f0f0f0"),
}
INK: Final = colors.HexColor("#222222")
_BOX_FONT_SIZE: Final = 7.5
GRID: Final = colors.HexColor("#d0d0d0")

_W: Final[dict[str, dict[str, str]]] = {
    "en": {"screened": "Screened", "failed": "Screen failures", "randomized": "Randomized",
           "treated": "Treated", "discontinued": "Discontinued treatment",
           "ongoing": "On treatment", "analysed": "Analysed (intention to treat)",
           "months": "Months from randomization", "change": "Best change from baseline (%)",
           "at_risk": "At risk", "response": "response", "progression": "progression",
           "death": "death", "ongoing_arrow": "on treatment", "probability": "Probability",
           "in_screening": "In screening", "pfs": "Progression-free survival",
           "os": "Overall survival", "at_least_pr": ">= PR"},
    "fr": {"screened": "Sélectionnés", "failed": "Échecs de sélection",
           "randomized": "Randomisés", "treated": "Traités",
           "discontinued": "Arrêt du traitement", "ongoing": "En traitement",
           "analysed": "Analysés (intention de traiter)",
           "months": "Mois depuis la randomisation",
           "change": "Meilleure variation par rapport à l'inclusion (%)",
           "at_risk": "À risque", "response": "réponse", "progression": "progression",
           "death": "décès", "ongoing_arrow": "en traitement", "probability": "Probabilité",
           "in_screening": "En sélection", "pfs": "Survie sans progression",
           "os": "Survie globale", "at_least_pr": "≥\u00a0PR"},
}

#: The trial figures in the order the application lists them.
FIGURE_KEYS: Final = ("consort", "swimmer", "waterfall", "km_pfs", "km_os")

#: The font names of the drawings as SVG font families (the names ReportLab registers are
#: unknown to SVG viewers, which would draw the labels in another font and width).
_SVG_FONTS: Final = {
    SANS_BOLD: "font-family: 'DejaVu Sans'; font-weight: bold",
    SANS: "font-family: 'DejaVu Sans'",
}


def _words(language: str) -> dict[str, str]:
    return _W.get(language, _W["en"])


def _text(drawing: Drawing, x: float, y: float, text: str, size: float = 7,
          anchor: str = "start", bold: bool = False, colour: colors.Color = INK) -> None:
    drawing.add(String(x, y, text, fontName=SANS_BOLD if bold else SANS, fontSize=size,
                       textAnchor=anchor, fillColor=colour))


def _box(drawing: Drawing, x: float, y: float, w: float, h: float, lines: Sequence[str],
         bold_first: bool = True) -> None:
    drawing.add(Rect(x, y, w, h, strokeColor=INK, strokeWidth=0.6, fillColor=colors.white))
    top = y + h - 11
    for index, line in enumerate(lines):
        _text(drawing, x + w / 2, top - index * 9.5, line, _BOX_FONT_SIZE, "middle",
              bold=bold_first and index == 0)


def _arrow(drawing: Drawing, x1: float, y1: float, x2: float, y2: float) -> None:
    drawing.add(Line(x1, y1, x2, y2, strokeColor=INK, strokeWidth=0.6))
    if y2 < y1:
        drawing.add(Polygon([x2, y2, x2 - 2.5, y2 + 5, x2 + 2.5, y2 + 5], fillColor=INK,
                            strokeColor=INK, strokeWidth=0.3))
    else:
        drawing.add(Polygon([x2, y2, x2 - 5, y2 - 2.5, x2 - 5, y2 + 2.5], fillColor=INK,
                            strokeColor=INK, strokeWidth=0.3))


def _count_line(reason: str, count: int, room: float, indent: str = "",
                language: str = "en") -> str:
    """``reason: count`` in the box text's font, the reason shortened with "…" so that the
    line fits ``room`` points (the count is never cut)."""
    tail = f"{colon('', language)} {count}"

    def fits(text: str) -> bool:
        return stringWidth(text, SANS, _BOX_FONT_SIZE) <= room

    if fits(f"{indent}{reason}{tail}"):
        return f"{indent}{reason}{tail}"
    while reason and not fits(f"{indent}{reason}…{tail}"):
        reason = reason[:-1]
    return f"{indent}{reason.rstrip()}…{tail}"


def consort(summary: TrialSummary, width: float, language: str = "en") -> Drawing:
    """The CONSORT flow: screened, screen failures, randomized per arm, treated,
    discontinued with reasons, on treatment, analysed."""
    register_fonts()
    w = _words(language)
    c = summary.consort
    arms = summary.arms
    failed = sum(c.screen_failures.values())
    side_w = width - (width / 2 + 14) - 2
    def said(reason: str) -> str:
        return c.reasons_fr.get(reason, reason) if language == "fr" else reason

    reasons = [_count_line(said(r), n, side_w - 8, language=language) for r, n in
               sorted(c.screen_failures.items(), key=lambda i: (-i[1], i[0]))][:6]
    side_h = 16 + 9.5 * (len(reasons) + 1)
    stopped = {a.arm: c.discontinued.get(a.arm, {}) for a in arms}
    arm_lines = {a.arm: [f"{colon(w['treated'], language)} {c.treated[a.arm]}",
                         f"{colon(w['discontinued'], language)} "
                         f"{sum(stopped[a.arm].values())}",
                         *[_count_line(said(r), n, 192, "  ", language) for r, n in
                           sorted(stopped[a.arm].items(), key=lambda i: -i[1])][:4],
                         f"{colon(w['ongoing'], language)} {c.on_treatment[a.arm]}"]
                 for a in arms}
    arm_h = 12 + 9.5 * max((len(v) for v in arm_lines.values()), default=1)
    height = 40 + side_h + 24 + 32 + 32 + 32 + 10 + arm_h + 14 + 26 + 6
    d = Drawing(width, height)
    box_w, mid = 160.0, width / 2
    top = height - 4
    _box(d, mid - box_w / 2, top - 32, box_w, 32, [w["screened"], f"n = {c.screened}"])
    side_x = mid + 14
    side_top = top - 40
    _box(d, side_x, side_top - side_h, side_w, side_h,
         [f"{w['failed']} (n = {failed})", *reasons])
    branch_y = side_top - side_h / 2
    rand_top = side_top - side_h - 24
    _arrow(d, mid, top - 32, mid, rand_top)
    d.add(Line(mid, branch_y, side_x, branch_y, strokeColor=INK, strokeWidth=0.6))
    _box(d, mid - box_w / 2, rand_top - 32, box_w, 32,
         [w["randomized"], f"n = {sum(c.randomized.values())}"])
    column = width / max(len(arms), 1)
    arm_top = rand_top - 32 - 32
    for arm in arms:
        x = column * arms.index(arm) + column / 2
        _arrow(d, mid, rand_top - 32, x, arm_top)
        _box(d, x - 80, arm_top - 32, 160, 32, [arm.arm, f"n = {c.randomized[arm.arm]}"])
        _arrow(d, x, arm_top - 32, x, arm_top - 42)
        _box(d, x - 100, arm_top - 42 - arm_h, 200, arm_h, arm_lines[arm.arm],
             bold_first=False)
        _arrow(d, x, arm_top - 42 - arm_h, x, arm_top - 56 - arm_h)
        _box(d, x - 100, arm_top - 82 - arm_h, 200, 26,
             [w["analysed"], f"n = {c.analysed[arm.arm]}"], bold_first=False)
    return d


def _axis_x(d: Drawing, x0: float, y0: float, plot_w: float, maximum: float, step: float,
            label: str, language: str = "en") -> None:
    d.add(Line(x0, y0, x0 + plot_w, y0, strokeColor=INK, strokeWidth=0.6))
    tick = 0.0
    while tick <= maximum + 1e-9:
        x = x0 + plot_w * tick / maximum
        d.add(Line(x, y0, x, y0 - 3, strokeColor=INK, strokeWidth=0.5))
        _text(d, x, y0 - 11, fmt_number(tick, "g", language), 6.5, "middle")
        tick += step
    _text(d, x0 + plot_w / 2, y0 - 21, label, 7, "middle")


def _nice_max(value: float, step: float) -> float:
    return max(step, step * ((value // step) + 1))


def swimmer(summary: TrialSummary, width: float, language: str = "en") -> Drawing:
    """One bar per patient: time on treatment, with response, progression and death."""
    register_fonts()
    w = _words(language)
    rows = sorted(summary.patients, key=lambda p: (p.months(p.on_treatment_until), p.arm),
                  reverse=True)
    bar = 5.0 if len(rows) <= 60 else 3.2
    height = 70 + bar * 1.4 * len(rows)
    d = Drawing(width, height)
    x0, y0 = 52.0, 40.0
    plot_w = width - x0 - 10
    longest = max([p.months(max(p.on_treatment_until, p.death_date or p.on_treatment_until))
                   for p in rows] or [1.0])
    maximum = _nice_max(longest, 6)
    _axis_x(d, x0, y0, plot_w, maximum, 6, w["months"], language)
    arms = [a.arm for a in summary.arms]
    for index, p in enumerate(rows):
        y = y0 + 6 + index * bar * 1.4
        colour = ARM_COLOURS[arms.index(p.arm) % 2] if p.arm in arms else INK
        end = p.months(p.on_treatment_until)
        d.add(Rect(x0, y, max(plot_w * end / maximum, 0.5), bar, fillColor=colour,
                   strokeColor=None))
        if len(rows) <= 60:
            _text(d, x0 - 3, y + 0.5, p.patient_number, 5, "end")
        if p.response_date and p.best_response in ("sCR", "CR", "VGPR", "PR"):
            x = x0 + plot_w * p.months(p.response_date) / maximum
            d.add(Polygon([x, y + bar + 1.5, x - 2, y - 1.5, x + 2, y - 1.5],
                          fillColor=colors.HexColor("#1b7837"), strokeColor=None))
        if p.progression_date:
            x = x0 + plot_w * p.months(p.progression_date) / maximum
            d.add(Line(x - 2, y - 1, x + 2, y + bar + 1, strokeColor=colors.black,
                       strokeWidth=0.8))
            d.add(Line(x - 2, y + bar + 1, x + 2, y - 1, strokeColor=colors.black,
                       strokeWidth=0.8))
        if p.death_date:
            x = x0 + plot_w * p.months(p.death_date) / maximum
            d.add(Rect(x - 1.6, y + bar / 2 - 1.6, 3.2, 3.2, fillColor=colors.black,
                       strokeColor=None))
        if p.end_of_treatment is None:
            x = x0 + plot_w * end / maximum
            d.add(Polygon([x + 4, y + bar / 2, x + 1, y + bar, x + 1, y], fillColor=colour,
                          strokeColor=None))
    legend_y = height - 12
    x = x0
    for index, arm in enumerate(summary.arms):
        d.add(Rect(x, legend_y, 8, 5, fillColor=ARM_COLOURS[index % 2], strokeColor=None))
        _text(d, x + 11, legend_y, arm.arm, 7)
        x += 60
    d.add(Polygon([x + 3, legend_y + 7, x + 1, legend_y - 1, x + 5, legend_y - 1],
                  fillColor=colors.HexColor("#1b7837"), strokeColor=None))
    _text(d, x + 9, legend_y, f"{w['response']} ({w['at_least_pr']})", 7)
    x += 85
    d.add(Line(x, legend_y - 1, x + 4, legend_y + 6, strokeColor=colors.black, strokeWidth=0.8))
    d.add(Line(x, legend_y + 6, x + 4, legend_y - 1, strokeColor=colors.black, strokeWidth=0.8))
    _text(d, x + 8, legend_y, w["progression"], 7)
    x += 70
    d.add(Rect(x, legend_y, 4, 4, fillColor=colors.black, strokeColor=None))
    _text(d, x + 8, legend_y, w["death"], 7)
    x += 45
    d.add(Polygon([x + 5, legend_y + 2.5, x, legend_y + 5.5, x, legend_y - 0.5],
                  fillColor=INK, strokeColor=None))
    _text(d, x + 8, legend_y, w["ongoing_arrow"], 7)
    return d


def waterfall(summary: TrialSummary, width: float, language: str = "en") -> Drawing:
    """Best % change of the main M-protein parameter, one bar per patient, sorted."""
    register_fonts()
    w = _words(language)
    values = sorted(((p.best_change_percent, p.best_response) for p in summary.patients
                     if p.best_change_percent is not None), key=lambda v: -v[0])
    height = 230.0
    d = Drawing(width, height)
    x0, y_low, y_high = 40.0, 30.0, height - 30
    plot_w = width - x0 - 10
    scale = (y_high - y_low) / 200  # -100 .. +100 %
    zero = y_low + 100 * scale
    for tick in (-100, -50, 0, 50, 100):
        y = zero + tick * scale
        d.add(Line(x0, y, x0 + plot_w, y, strokeColor=GRID if tick else INK,
                   strokeWidth=0.4 if tick else 0.6))
        _text(d, x0 - 4, y - 2, f"{tick:+d}" if tick else "0", 6.5, "end")
    for tick in (-50, -90):
        y = zero + tick * scale
        d.add(Line(x0, y, x0 + plot_w, y, strokeColor=colors.HexColor("#7f7f7f"),
                   strokeWidth=0.4, strokeDashArray=[2, 2]))
    slot = plot_w / max(len(values), 1)
    for index, (change, response) in enumerate(values):
        clipped = max(-100.0, min(100.0, change))
        x = x0 + index * slot + slot * 0.1
        top, bottom = (zero, zero + clipped * scale) if clipped < 0 else \
            (zero + clipped * scale, zero)
        d.add(Rect(x, bottom, slot * 0.8, max(top - bottom, 0.3),
                   fillColor=RESPONSE_COLOURS.get(response, INK), strokeColor=None))
    for tick, label in ((-50, "PR"), (-90, "VGPR")):
        # on the left, where the bars (sorted from the largest change) are shortest
        _text(d, x0 + 2, zero + tick * scale + 2, label, 6)
    _text(d, x0, height - 12, w["change"], 7.5, bold=True)
    x = x0 + 210
    for response in RESPONSE_ORDER:
        if any(r == response for _c, r in values):
            d.add(Rect(x, height - 13, 7, 6, fillColor=RESPONSE_COLOURS[response],
                       strokeColor=INK, strokeWidth=0.2))
            _text(d, x + 9, height - 12, response, 7)
            x += 38
    return d


def kaplan_meier_plot(summary: TrialSummary, width: float, endpoint: str, title: str,
                      language: str = "en") -> Drawing:
    """Kaplan-Meier curves by arm (``endpoint`` "pfs" or "os") with numbers at risk."""
    register_fonts()
    w = _words(language)
    arms = summary.arms
    data = {a.arm: [getattr(p, endpoint) for p in a.patients] for a in arms}
    longest = max([t for rows in data.values() for t, _e in rows] or [1.0])
    maximum = _nice_max(longest, 6)
    rows_h = 12 * (len(arms) + 1)
    height = 200.0 + rows_h
    d = Drawing(width, height)
    x0, y0 = 46.0, 40.0 + rows_h
    plot_w, plot_h = width - x0 - 70, height - y0 - 24
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = y0 + plot_h * tick
        d.add(Line(x0, y, x0 + plot_w, y, strokeColor=GRID, strokeWidth=0.4))
        _text(d, x0 - 4, y - 2, fmt_number(tick, ".2f", language), 6.5, "end")
    d.add(Line(x0, y0, x0, y0 + plot_h, strokeColor=INK, strokeWidth=0.6))
    _axis_x(d, x0, y0, plot_w, maximum, 6, w["months"], language)
    _text(d, x0, height - 12, title, 8, bold=True)
    ticks = [6.0 * i for i in range(int(maximum // 6) + 1)]
    _text(d, 4, y0 - 36, w["at_risk"], 6.5, bold=True)
    label_ys: list[float] = []
    for index, arm in enumerate(arms):
        colour = ARM_COLOURS[index % 2]
        rows = data[arm.arm]
        steps = kaplan_meier([t for t, _e in rows], [e for _t, e in rows])
        points: list[float] = [x0, y0 + plot_h]
        survival = 1.0
        for step in steps[1:]:
            x = x0 + plot_w * step.time / maximum
            points += [x, y0 + plot_h * survival]
            survival = step.survival
            points += [x, y0 + plot_h * survival]
            if step.censored:
                d.add(Line(x, y0 + plot_h * survival - 2.5, x, y0 + plot_h * survival + 2.5,
                           strokeColor=colour, strokeWidth=0.7))
        last_x = x0 + plot_w * max((t for t, _e in rows), default=0.0) / maximum
        points += [last_x, y0 + plot_h * survival]
        d.add(PolyLine(points, strokeColor=colour, strokeWidth=1.1))
        label_y = y0 + plot_h * survival - 2
        while any(abs(label_y - used) < 9 for used in label_ys):
            label_y += 9  # curves ending at the same height: labels one above the other
        label_ys.append(label_y)
        _text(d, x0 + plot_w + 6, label_y, arm.arm, 7, colour=colour)
        at_risk = numbers_at_risk([t for t, _e in rows], ticks)
        y = y0 - 36 - 11 * (index + 1)
        _text(d, 4, y, arm.arm, 6.5, colour=colour)
        for tick, n in zip(ticks, at_risk, strict=True):
            _text(d, x0 + plot_w * tick / maximum, y, str(n), 6.5, "middle")
    _text(d, 8, y0 + plot_h + 6, w["probability"], 6.5)
    return d


def trial_figures(summary: TrialSummary, width: float, language: str = "en"
                  ) -> list[tuple[str, Drawing]]:
    """The five figures of the trial summary, keyed as :data:`FIGURE_KEYS`."""
    w = _words(language)
    return [("consort", consort(summary, width, language)),
            ("swimmer", swimmer(summary, width, language)),
            ("waterfall", waterfall(summary, width, language)),
            ("km_pfs", kaplan_meier_plot(summary, width, "pfs", w["pfs"], language)),
            ("km_os", kaplan_meier_plot(summary, width, "os", w["os"], language))]


def _framed(drawing: Drawing, margin: float) -> Drawing:
    """``drawing`` on a page ``margin`` points wider on every side (the drawing itself
    is left as it is)."""
    framed = Drawing(drawing.width + 2 * margin, drawing.height + 2 * margin)
    figure = Group(*drawing.contents)
    figure.translate(margin, margin)
    framed.add(figure)
    return framed


def figure_svg(drawing: Drawing, title: str = "", margin: float = 12.0) -> str:
    """The drawing as an SVG document (vector text in DejaVu Sans)."""
    svg = renderSVG.drawToString(_framed(drawing, margin))
    svg = re.sub(r"font-family: ([\w-]+)",
                 lambda m: _SVG_FONTS.get(m.group(1), m.group(0)), svg)
    # ReportLab writes "fill: None", which SVG renderers read as an unknown paint (black).
    svg = re.sub(r"(fill|stroke): ?None\b", r"\1: none", svg)
    # ... and closes the path of each line ("M a L b Z"), drawing it there and back: the
    # way back fills the gaps of a dashed line.
    svg = re.sub(r'(<path d="M [^"LZ]+ L [^"LZ]+) Z"', r'\1"', svg)
    # ... and its clip path outside <defs>, which Qt's SVG renderer paints as a black box.
    svg = svg.replace("<clipPath", "<defs><clipPath", 1).replace(
        "</clipPath>", "</clipPath></defs>", 1)
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return svg.replace("<title>...</title>", f"<title>{escaped}</title>", 1).replace(
        "<desc>...</desc>", "<desc></desc>", 1)


def figure_pdf(drawing: Drawing, title: str = "", margin: float = 24.0) -> bytes:
    """The drawing alone on a PDF page of its size plus ``margin`` (fonts embedded)."""
    register_fonts()
    framed = _framed(drawing, margin)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(framed.width, framed.height))
    canvas.setTitle(title)
    renderPDF.draw(framed, canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
