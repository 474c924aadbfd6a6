"""Document framework: pages, header and footer, watermark, outline, metadata, fonts."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Paragraph

from ctrial_desktop import __version__
from ctrial_desktop.reports.base import (
    DocumentInfo,
    HeaderContext,
    ReportCancelled,
    heading,
    render,
)
from ctrial_desktop.reports.fonts import SANS, register_fonts
from ctrial_desktop.reports.styles import (
    CELL_SIZE,
    Column,
    data_table,
    mono_width,
    para,
    styles,
)
from tests.unit.reports.pdf_helpers import font_names, outline_titles, pages_text

WHEN = dt.datetime(2011, 3, 12, 9, 5)


def _info(**kw: object) -> DocumentInfo:
    base: dict[str, object] = dict(title="Test report", subject="Framework test",
                                   printed_by="mdurand", printed_at=WHEN, author="Marie Durand",
                                   keywords=("IFM 2009-02", "test"), site="Site 03 Toulouse")
    base.update(kw)
    return DocumentInfo(**base)  # type: ignore[arg-type]


def _story(sections: int = 3, rows: int = 60) -> list[object]:
    story: list[object] = []
    columns = [Column("Parameter", 200), Column("Value", 80, "number", unit="10⁹/L",
                                                decimals=2), Column("Flag", 25, "flag")]
    for index in range(1, sections + 1):
        story.append(heading(f"Section {index}"))
        story.append(heading(f"Détails {index}", 1))
        story.append(para("Plaquettes ≥ 75 ×10⁹/L, créatinine, hémoglobine à J1 — « ok »."))
        story.append(data_table(columns, [[f"row {i}", f"{i * 1.25:.2f}", "H" if i % 7 == 0
                                           else ""] for i in range(rows)]))
    return story


def test_pages_header_footer_and_metadata(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    result = render(_info(), _story(), out)
    reader = PdfReader(out)
    assert result.pages == len(reader.pages) >= 3
    texts = pages_text(out)
    for number, text in enumerate(texts, start=1):
        assert f"Printed 12/03/2011 09:05 by mdurand · page {number} of {result.pages}" in text
        assert "IFM 2009-02 · Site 03 Toulouse" in text
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Test report"
    assert meta.author == "Marie Durand"
    assert meta.subject == "Framework test"
    assert meta.creator == f"ctrial-desktop {__version__}"
    assert "IFM 2009-02" in str(meta.get("/Keywords"))
    # PDF/A-friendly: a document ID, a language, only embedded DejaVu fonts.
    assert len(reader.trailer["/ID"]) == 2
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert font_names(out) and all("DejaVu" in name for name in font_names(out))


def test_accents_and_symbols_survive(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    render(_info(language="fr"), _story(sections=1, rows=3), out)
    text = pages_text(out)[0]
    assert "Plaquettes ≥ 75 ×10⁹/L, créatinine, hémoglobine à J1 — « ok »." in text
    assert "Imprimé le 12/03/2011 09:05 par mdurand · page 1 sur 1" in text
    assert "Value (10⁹/L)" in text


def test_outline_has_every_heading_nested(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    result = render(_info(), _story(), out)
    expected = [t for i in (1, 2, 3) for t in (f"Section {i}", f"Détails {i}")]
    assert list(result.outline) == expected
    assert outline_titles(out) == expected
    top = PdfReader(out).outline
    assert len([item for item in top if not isinstance(item, list)]) == 3


def test_draft_watermark_only_when_asked(tmp_path: Path) -> None:
    draft, final = tmp_path / "d.pdf", tmp_path / "f.pdf"
    render(_info(draft=True), _story(sections=1), draft)
    render(_info(), _story(sections=1), final)
    assert all("DRAFT" in t for t in pages_text(draft))
    assert not any("DRAFT" in t for t in pages_text(final))
    render(_info(draft=True, language="fr"), _story(sections=1), draft)
    assert "BROUILLON" in pages_text(draft)[0]


def test_footer_without_a_user_name_leaves_out_by() -> None:
    assert _info(printed_by="").footer_text(2, 5) == "Printed 12/03/2011 09:05 · page 2 of 5"
    assert _info(language="fr").footer_text(1, 1) == \
        "Imprimé le 12/03/2011 09:05 par mdurand · page 1 sur 1"


def test_letter_and_a4_page_sizes(tmp_path: Path) -> None:
    a4, letter = tmp_path / "a4.pdf", tmp_path / "letter.pdf"
    render(_info(), [para("x")], a4)
    render(_info(page_size="Letter"), [para("x")], letter)
    assert [round(float(v)) for v in PdfReader(a4).pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(v)) for v in PdfReader(letter).pages[0].mediabox[2:]] == [612, 792]


def test_header_context_changes_header_from_its_page(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    story = [HeaderContext(patient="Patient 03-012", form="Haematology (version 1.0)"),
             para("one"), PageBreak(), HeaderContext(form="Biochemistry (version 1.0)"),
             para("two")]
    render(_info(), story, out)
    first, second = pages_text(out)
    assert "IFM 2009-02 · Site 03 Toulouse · Patient 03-012 · Haematology (version 1.0)" in first
    assert "IFM 2009-02 · Site 03 Toulouse · Patient 03-012 · Biochemistry (version 1.0)" in second


def test_progress_reaches_total_and_cancel_stops(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    story = _story()
    render(_info(), story, io.BytesIO(), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (len(story), len(story))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    out = tmp_path / "cancelled.pdf"
    with pytest.raises(ReportCancelled):
        render(_info(), _story(), out, cancelled=cancelled)
    assert not out.exists()


def test_numbers_align_on_the_decimal_point(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    columns = [Column("Parameter", 150), Column("Value", 90, "number", decimals=2)]
    values = ["1.25", "12.5", "123", "0.75"]
    render(_info(), [data_table(columns, [[f"p{i}", v] for i, v in enumerate(values)])], out)
    chunks: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            chunks.append((text.strip(), tm[4]))

    PdfReader(out).pages[0].extract_text(visitor_text=visit)
    register_fonts()
    # ReportLab draws the integer part and the decimals as two runs: every run of
    # decimals starts at the same x, where every integer part (and "123") ends.
    points = [x for t, x in chunks if t in (".25", ".5", ".75")]
    points += [x + stringWidth(t, SANS, CELL_SIZE) for t, x in chunks if t in ("1", "12", "123")]
    assert len(points) == 6
    assert max(points) - min(points) < 0.01


def test_long_word_in_mono_column_wraps_inside_its_cell(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    digest = "0123456789abcdef" * 4
    table = data_table([Column("Commitment", mono_width(32) + 6.5, "mono"),
                        Column("Note", 100)], [[digest, "list 1"]])
    render(_info(), [table], out)
    text = pages_text(out)[0]
    lines = [re.sub(r"list 1", "", line).strip() for line in text.splitlines()
             if re.fullmatch(r"[0-9a-f]{2,}.*", line)]
    assert lines == [digest[:32], digest[32:]]


def test_styles_use_the_embedded_family() -> None:
    s = styles()
    assert s.body.fontName == SANS
    assert Paragraph("<b>x</b>", s.body)  # bold maps inside the family without error


def test_a_long_header_is_set_smaller_then_shortened_to_stay_within_the_margins() -> None:
    from ctrial_desktop.reports.base import fitted_header
    from ctrial_desktop.reports.fonts import SANS_BOLD

    short = "IFM 2009-02 · Site 01 · Patient 01-006"
    assert fitted_header(short, 482) == (short, 7.5)  # unchanged when it fits
    french = ("IFM 2009-02 · Centre 01 CHRU de Lille, Hôpital Claude Huriez · Patient 01-006 "
              "· Déclaration d'événement indésirable grave")
    text, size = fitted_header(french, 482)
    assert text == french and size < 7.5 and stringWidth(text, SANS_BOLD, size) <= 482
    text, size = fitted_header(french * 2, 482)
    assert size == 6.5 and text.endswith("…") and stringWidth(text, SANS_BOLD, size) <= 482
