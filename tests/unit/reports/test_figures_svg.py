"""The trial figures as standalone SVG and PDF: what SVG renderers need, and the
Kaplan-Meier arm labels kept apart."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import xml.etree.ElementTree as ET

from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ctrial_desktop.reports.figures import (
    FIGURE_KEYS,
    consort,
    figure_pdf,
    figure_svg,
    kaplan_meier_plot,
    trial_figures,
)
from ctrial_desktop.reports.fonts import SANS, SANS_BOLD, register_fonts
from ctrial_desktop.services.trial_summary import (
    ArmSummary,
    Consort,
    PatientCourse,
    TrialSummary,
)

SVG = "{http://www.w3.org/2000/svg}"
START = dt.date(2010, 1, 4)


def _drawing() -> Drawing:
    register_fonts()
    drawing = Drawing(200, 100)
    drawing.add(PolyLine([10, 10, 50, 50, 90, 20], strokeColor=colors.black, strokeWidth=1))
    drawing.add(String(20, 80, "Überschrift ≥ 3", fontName=SANS_BOLD, fontSize=8))
    drawing.add(String(20, 60, "plain", fontName=SANS, fontSize=7))
    drawing.add(Line(10, 40, 190, 40, strokeColor=colors.grey, strokeDashArray=[2, 2]))
    return drawing


def _patient(number: str, arm: str, death_after_days: int) -> PatientCourse:
    death = START + dt.timedelta(days=death_after_days)
    return PatientCourse(number, arm, START, True, 3, "SD", None, death, death, "3", death,
                         death, death, {}, None, "", {})


def _summary() -> TrialSummary:
    arms = (ArmSummary("POM21", "Arm A", (_patient("01-001", "POM21", 100),
                                           _patient("01-002", "POM21", 200))),
            ArmSummary("POM28", "Arm B", (_patient("01-003", "POM28", 150),)))
    consort = Consort(4, {"Non-measurable disease": 1}, 0, {"POM21": 2, "POM28": 1},
                      {"POM21": 2, "POM28": 1}, {"POM21": {"Death": 2}, "POM28": {"Death": 1}},
                      {"POM21": 0, "POM28": 0}, {"POM21": 2, "POM28": 1})
    return TrialSummary(arms, consort, START + dt.timedelta(days=200))


def test_svg_is_what_renderers_read() -> None:
    drawing = _drawing()
    svg = figure_svg(drawing, "A <title> & more")
    root = ET.fromstring(svg)
    assert root.findtext(f"{SVG}title") == "A <title> & more"
    # the clip path is a definition, not a black box drawn over the figure
    assert root.find(f"{SVG}clipPath") is None
    assert root.find(f"{SVG}defs/{SVG}clipPath") is not None
    assert "None" not in svg  # "fill: None" would paint the polyline's inside black
    dashed = [e.get("d") for e in root.iter(f"{SVG}path") if "dasharray" in e.get("style", "")]
    assert dashed == ["M 10,40 L 190,40"]  # open: a closed line is drawn back over its gaps
    styles = {t.text: t.get("style", "") for t in root.iter(f"{SVG}text")}
    assert "font-family: 'DejaVu Sans'; font-weight: bold" in styles["Überschrift ≥ 3"]
    assert "font-family: 'DejaVu Sans';" in styles["plain"]
    assert "bold" not in styles["plain"]
    # the margin is added around the drawing, which itself is left unchanged
    assert float(root.get("width", "0")) == 224 and float(root.get("height", "0")) == 124
    assert drawing.transform == (1, 0, 0, 1, 0, 0) and len(drawing.contents) == 4


def test_pdf_is_one_page_of_the_figure_with_its_text() -> None:
    reader = PdfReader(io.BytesIO(figure_pdf(_drawing(), "Figure", margin=24)))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (248, 148)
    assert "Überschrift ≥ 3" in page.extract_text()
    assert reader.metadata is not None and reader.metadata.title == "Figure"


def test_five_figures_in_order() -> None:
    figures = trial_figures(_summary(), 481, "fr")
    assert tuple(key for key, _drawing in figures) == FIGURE_KEYS
    texts = {s.text for _key, d in figures for s in d.getContents() if isinstance(s, String)}
    assert {"Survie sans progression", "Survie globale"} <= texts


def test_kaplan_meier_arm_labels_do_not_overlap_when_curves_end_level() -> None:
    # every patient dies: both curves end at 0, their labels would share a line
    drawing = kaplan_meier_plot(_summary(), 481, "os", "Overall survival")
    right = [s for s in drawing.getContents() if isinstance(s, String)
             and s.text in ("POM21", "POM28") and s.x > 400]
    assert len(right) == 2
    assert abs(right[0].y - right[1].y) >= 9


def test_consort_shortens_long_reasons_but_keeps_their_count() -> None:
    reason = "Patient withdrew consent before randomization after a long discussion"
    summary = _summary()
    consort_data = dataclasses.replace(summary.consort, screen_failures={reason: 3})
    drawing = consort(dataclasses.replace(summary, consort=consort_data), 481)
    line = next(s for s in drawing.getContents()
                if isinstance(s, String) and s.text.startswith("Patient withdrew"))
    assert line.text.endswith("…: 3") and len(line.text) < len(reason)
    box = max((r for r in drawing.getContents() if isinstance(r, Rect)
               and r.x <= line.x <= r.x + r.width and r.y <= line.y <= r.y + r.height),
              key=lambda r: r.x)
    half = stringWidth(line.text, SANS, line.fontSize) / 2
    assert box.x < line.x - half and line.x + half < box.x + box.width
