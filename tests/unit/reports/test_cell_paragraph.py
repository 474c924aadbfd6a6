"""Table-cell paragraphs lay out exactly as ReportLab's Paragraph, wrapping once per width."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab import rl_config
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from ctrial_desktop.reports.styles import CellParagraph, styles, text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab cdé <&>-/0123456789"), max_size=120),
       st.floats(min_value=20, max_value=400))
def test_wraps_like_a_paragraph(value: str, width: float) -> None:
    style = styles().cell
    ours, theirs = CellParagraph(text(value), style), Paragraph(text(value), style)
    assert ours.wrap(width, 1000) == theirs.wrap(width, 1000)
    assert ours.wrap(width / 2, 1000) == theirs.wrap(width / 2, 1000)
    assert ours.wrap(width, 1000) == theirs.wrap(width, 1000)
    assert ours.getPlainText() == theirs.getPlainText()


def test_a_table_of_cell_paragraphs_is_the_same_pdf(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(rl_config, "invariant", 1)
    style = styles().cell
    words = ["Neutrophil count decreased", "4", "Taken", "a long text " * 12, "x & <y>"]

    def pdf(kind: type[Paragraph]) -> bytes:
        out = io.BytesIO()
        rows = [[kind(text(w), style) for w in words] for _ in range(80)]
        SimpleDocTemplate(out).build([Table(rows, colWidths=[90, 30, 50, 200, 60],
                                            repeatRows=1)])
        return out.getvalue()

    assert pdf(CellParagraph) == pdf(Paragraph)


def test_a_cell_paragraph_splits_like_a_paragraph() -> None:
    style = styles().cell
    value = text("word " * 400)
    ours, theirs = CellParagraph(value, style), Paragraph(value, style)
    assert ours.wrap(200, 100) == theirs.wrap(200, 100)
    halves, expected = ours.split(200, 100), theirs.split(200, 100)
    assert [h.getPlainText() for h in halves] == [h.getPlainText() for h in expected]
    assert [h.wrap(200, 1000) for h in halves] == [h.wrap(200, 1000) for h in expected]


def test_a_paragraph_pushed_to_the_next_page_is_laid_out_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Only one line fits at the foot of the first page: the paragraph refuses to leave
    # an orphan (ReportLab drops its lines) and is laid out again on the next page.
    monkeypatch.setattr(rl_config, "invariant", 1)
    style = styles().body
    value = text("Une phrase assez longue pour tenir sur plusieurs lignes. " * 6)

    def pdf(kind: type[Paragraph]) -> bytes:
        out = io.BytesIO()
        doc = SimpleDocTemplate(out)
        SimpleDocTemplate(out).build([Spacer(1, doc.height - 1.5 * style.leading),
                                      kind(value, style), kind(value, style)])
        return out.getvalue()

    assert pdf(CellParagraph) == pdf(Paragraph)
