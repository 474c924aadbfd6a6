"""Cell texts drawn by the table as the lines their paragraph would draw, in the same place."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from ctrial_desktop.reports.styles import (
    NO_LINE,
    CellParagraph,
    Column,
    WrappedText,
    data_table,
    styles,
    table_text,
    text,
    text_style_commands,
)

ALPHABET = "ab cdé <&>-/0123456789\n\u202f\xa0ÉÈàç"
PAD = 3


def _paragraph_lines(value: str, style: ParagraphStyle, width: float) -> list[str]:
    paragraph = Paragraph(text(value), style)
    paragraph.wrap(width, 10_000)
    return [" ".join(words) for _extra, words in paragraph.blPara.lines]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=160),
       st.floats(min_value=15, max_value=400),
       st.sampled_from(["cell", "cell_bold", "cell_small", "mono", "header_cell"]))
def test_the_lines_are_the_paragraphs_lines(value: str, width: float, name: str) -> None:
    style = getattr(styles(), name)
    result = table_text(value, style, width)
    if isinstance(result, CellParagraph):
        # Only markup characters make the parser cut a text into several fragments;
        # otherwise the paragraph keeps the text when it squeezes a line's spaces.
        paragraph = Paragraph(text(value), style)
        paragraph.wrap(width, 10_000)
        assert set(value) & set("<&>") or any(
            extra < 0 for extra, _words in paragraph.blPara.lines), value
        return
    expected = _paragraph_lines(value, style, width)
    if result == NO_LINE:
        assert expected == []
    else:
        assert isinstance(result, str)
        assert result.split("\n") == expected
        assert isinstance(result, WrappedText) == (result != value)
        assert getattr(result, "source", value) == value


def test_a_long_text_wraps_within_its_column() -> None:
    style = styles().cell
    value = ("Plasmocytome extramédullaire de la paroi thoracique, biopsie le 12/03/2011, "
             "IRM rachidienne sans compression médullaire ; réévaluation à la fin du cycle 4")
    width = 120.0
    result = table_text(value, style, width)
    assert isinstance(result, WrappedText)
    lines = result.split("\n")
    assert len(lines) >= 4
    assert " ".join(lines) == value == result.source
    assert all(stringWidth(line, style.fontName, style.fontSize) <= width for line in lines)


def test_a_word_longer_than_the_column_is_cut_like_the_paragraph_cuts_it() -> None:
    style = styles().mono
    digest = "0123456789abcdef" * 4
    result = table_text(digest, style, 70)
    assert isinstance(result, WrappedText)
    assert "".join(result.split("\n")) == digest
    assert result.split("\n") == _paragraph_lines(digest, style, 70)


def test_a_short_text_is_a_plain_string() -> None:
    result = table_text("Neutrophil count decreased", styles().cell, 200)
    assert type(result) is str and result == "Neutrophil count decreased"
    assert table_text(None, styles().cell, 200) == NO_LINE
    assert table_text("  ", styles().cell, 200) == NO_LINE


def test_a_style_the_table_cannot_reproduce_keeps_its_paragraph() -> None:
    centred = styles().flag_cell
    assert isinstance(table_text("3", centred, 40), CellParagraph)


def _runs(pdf: bytes) -> list[tuple[str, float, float]]:
    runs: list[tuple[str, float, float]] = []

    def visit(chunk: str, cm: list[float], tm: list[float], *_: object) -> None:
        if chunk.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            runs.append((chunk.strip(), round(x, 2), round(y, 2)))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return runs


def test_the_table_draws_the_text_where_the_paragraphs_were() -> None:
    s = styles()
    words = ["Neutrophil count decreased", "4", "", "a long text that wraps " * 9,
             "x & <y> été", "0123456789abcdef" * 3]
    widths = [90.0, 30.0, 40.0, 200.0, 60.0, 70.0]
    column_styles = [s.cell, s.cell_bold, s.cell, s.cell_small, s.cell, s.mono]
    rows = 60

    def pdf(as_text: bool) -> tuple[bytes, float]:
        out = io.BytesIO()
        body = [[table_text(w, st_, width - 2 * PAD) if as_text else CellParagraph(text(w), st_)
                 for w, st_, width in zip(words, column_styles, widths, strict=True)]
                for _ in range(rows)]
        table = Table(body, colWidths=widths, repeatRows=1)
        commands: list[tuple[object, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                              ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                                              ("RIGHTPADDING", (0, 0), (-1, -1), PAD)]
        for index, st_ in enumerate(column_styles):
            commands += text_style_commands(st_, (index, 0), (index, -1))
        table.setStyle(TableStyle(commands))
        height = table.wrap(sum(widths), 100_000)[1]
        SimpleDocTemplate(out).build([table])
        return out.getvalue(), height

    (paragraphs, h1), (strings, h2) = pdf(False), pdf(True)
    assert h1 == pytest.approx(h2)
    expected, got = _runs(paragraphs), _runs(strings)
    assert len(expected) > rows * 5
    assert got == expected


def test_data_table_sets_plain_text_as_strings_and_keeps_spans_as_paragraphs() -> None:
    columns = [Column("Item", 120), Column("Value", 200), Column("No.", 30, "plain")]
    rows = [["Haemoglobin (g/dL)", "12.5", "1"], ["Comment", "word " * 60, "2"],
            ["", "", ""], ["Total", "", ""]]
    table = data_table(columns, rows, total_rows=1)
    cells = table._cellvalues
    assert cells[0] == ["Item", "Value", "No."]
    assert cells[1][:2] == ["Haemoglobin (g/dL)", "12.5"]
    assert isinstance(cells[2][1], WrappedText)
    # An empty text cell has no height: "" (one line) only where the row is as high.
    assert cells[3][:2] == [NO_LINE, NO_LINE]
    assert cells[4][:2] == ["Total", ""]
    spanned = data_table(columns, rows, total_rows=1, extra_style=[("SPAN", (0, -1), (-1, -1))])
    assert all(isinstance(c, CellParagraph) for c in spanned._cellvalues[1][:2])


KINDS = [Column("Item", 110), Column("Grade", 22, "flag"), Column("Value", 60, "number",
                                                                 decimals=2),
         Column("Code", 50, "plain"), Column("Hash", 60, "mono"), Column("Note", 90)]
ROWS = [["Neutrophils", "3", "1.25", "A", "0123456789abcdef" * 2, "décroissance"],
        ["", "", "", "", "", ""],
        ["Plaquettes ≥ 75 ×10⁹/L", "", "12.5", "B\nC", "", "word " * 30],
        ["Total", "H", "123", "", "ab", "x & <y>"]]


def _styles_of(table: Table) -> list[list[dict[str, object]]]:
    names = ("fontname", "fontsize", "leading", "color", "alignment", "valign",
             "leftPadding", "rightPadding", "topPadding", "bottomPadding")
    return [[{n: getattr(c, n) for n in names} for c in row] for row in table._cellStyles]


@pytest.mark.parametrize("small", [False, True])
@pytest.mark.parametrize("total_rows", [0, 1])
def test_shared_cell_styles_are_the_styles_of_the_commands(
        monkeypatch: pytest.MonkeyPatch, small: bool, total_rows: int) -> None:
    import ctrial_desktop.reports.styles as module

    shared = data_table(KINDS, ROWS, total_rows=total_rows, small=small)
    assert shared._cellStyles[1][0] is shared._cellStyles[2][0]  # one object per band
    monkeypatch.setattr(module, "_shared_cell_styles", lambda *_: None)
    per_cell = data_table(KINDS, ROWS, total_rows=total_rows, small=small)
    assert shared._cellStyles[1][0] is not per_cell._cellStyles[1][0]
    assert _styles_of(shared) == _styles_of(per_cell)
    assert shared._linecmds == per_cell._linecmds
    assert shared._bkgrndcmds == per_cell._bkgrndcmds


@pytest.mark.parametrize("small", [False, True])
def test_data_table_draws_its_strings_where_its_paragraphs_were(small: bool) -> None:
    def pdf(table: Table) -> tuple[bytes, float]:
        out = io.BytesIO()
        height = table.wrap(500, 100_000)[1]
        SimpleDocTemplate(out).build([table])
        return out.getvalue(), height

    rows = ROWS * 30
    strings = data_table(KINDS, rows, total_rows=1, small=small)
    # A style command of the caller's keeps the paragraphs (here one that changes nothing).
    paragraphs = data_table(KINDS, rows, total_rows=1, small=small,
                            extra_style=[("LINEBELOW", (0, 0), (0, 0), 0.25, "#b4b4b4")])
    assert any(isinstance(c, CellParagraph) for c in paragraphs._cellvalues[1])
    assert not any(isinstance(c, CellParagraph) for c in strings._cellvalues[1])
    (expected, h1), (got, h2) = pdf(paragraphs), pdf(strings)
    assert h1 == pytest.approx(h2)
    assert _runs(got) == _runs(expected)


def test_a_data_table_measures_its_rows_once_and_lays_out_as_a_table(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab import rl_config

    from ctrial_desktop.reports.base import heading
    from ctrial_desktop.reports.styles import DataTable

    monkeypatch.setattr(rl_config, "invariant", 1)
    s = styles()
    rows = [[CellParagraph(text(f"row {i} " + "word " * (i % 9)), s.cell), str(i)]
            for i in range(300)]

    def pdf(kind: type[Table]) -> bytes:
        out = io.BytesIO()
        table = kind([["Item", "No."], *rows], colWidths=[120, 40], repeatRows=1)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        SimpleDocTemplate(out).build([heading("Rows"), table])
        return out.getvalue()

    assert pdf(DataTable) == pdf(Table)
    measured: list[int] = []
    geometry = Table._listCellGeom

    def counting(self: Table, *args: object, **kwargs: object) -> object:
        measured.append(1)
        return geometry(self, *args, **kwargs)

    monkeypatch.setattr(Table, "_listCellGeom", counting)
    table = DataTable([["Item"], *[[r[0]] for r in rows]], colWidths=[120])
    table.wrap(500, 800)
    first = len(measured)
    assert first >= 300
    table.wrap(500, 600)
    assert len(measured) == first
