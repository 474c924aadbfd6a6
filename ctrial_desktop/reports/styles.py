"""Shared look of every report: paragraph styles, colours, table rules and columns.

Tables have light horizontal rules, units in the column headers, numbers aligned on
the decimal point and a narrow flags column (:class:`Column`, :func:`data_table`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from ctrial_desktop.reports.fonts import (
    MONO,
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    clear_width_caches,
    register_fonts,
)

INK: Final = colors.HexColor("#1a1a1a")
MUTED: Final = colors.HexColor("#5a5a5a")
RULE: Final = colors.HexColor("#b4b4b4")
HEADER_FILL: Final = colors.HexColor("#ececec")
ANNOTATION: Final = colors.HexColor("#17478c")
FLAG: Final = colors.HexColor("#9c2a00")
WATERMARK: Final = colors.HexColor("#e2e2e2")
BOX: Final = colors.HexColor("#444444")

BODY_SIZE: Final = 9.0
CELL_SIZE: Final = 8.0
SMALL_SIZE: Final = 6.8
MONO_SIZE: Final = 7.0


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the reports (fonts registered on creation)."""

    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    block_title: ParagraphStyle
    header_cell: ParagraphStyle
    flag_cell: ParagraphStyle
    mono: ParagraphStyle
    annotation: ParagraphStyle
    big: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    """The shared styles (built once)."""
    register_fonts()
    body = ParagraphStyle("body", fontName=SANS, fontSize=BODY_SIZE, leading=11.5,
                          textColor=INK)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontName=SANS_ITALIC, fontSize=SMALL_SIZE,
                             leading=8.2, textColor=MUTED),
        title=ParagraphStyle("title", parent=body, fontName=SANS_BOLD, fontSize=15,
                             leading=19, spaceAfter=4),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=9.5, leading=12.5,
                                textColor=MUTED, spaceAfter=8),
        h1=ParagraphStyle("h1", parent=body, fontName=SANS_BOLD, fontSize=12, leading=15,
                          spaceBefore=8, spaceAfter=5, keepWithNext=1),
        h2=ParagraphStyle("h2", parent=body, fontName=SANS_BOLD, fontSize=9.5, leading=12,
                          spaceBefore=7, spaceAfter=3, keepWithNext=1),
        cell=ParagraphStyle("cell", parent=body, fontSize=CELL_SIZE, leading=9.8),
        cell_bold=ParagraphStyle("cell_bold", parent=body, fontName=SANS_BOLD,
                                 fontSize=CELL_SIZE, leading=9.8),
        cell_small=ParagraphStyle("cell_small", parent=body, fontSize=6.8, leading=8.2),
        block_title=ParagraphStyle("block_title", parent=body, fontName=SANS_BOLD,
                                   fontSize=CELL_SIZE, leading=9.8, spaceAfter=2),
        header_cell=ParagraphStyle("header_cell", parent=body, fontName=SANS_BOLD,
                                   fontSize=7.5, leading=9),
        flag_cell=ParagraphStyle("flag_cell", parent=body, fontName=SANS_BOLD,
                                 fontSize=7, leading=8.5, textColor=FLAG, alignment=TA_CENTER),
        mono=ParagraphStyle("mono", parent=body, fontName=MONO, fontSize=MONO_SIZE,
                            leading=8.6),
        annotation=ParagraphStyle("annotation", parent=body, fontName=MONO, fontSize=6.5,
                                  leading=8, textColor=ANNOTATION),
        big=ParagraphStyle("big", parent=body, fontName=SANS_BOLD, fontSize=30, leading=36,
                           alignment=TA_CENTER, spaceBefore=6, spaceAfter=6),
    )


class CellParagraph(Paragraph):
    """A paragraph of a table cell, laid out exactly as :class:`Paragraph` but cheaper.

    A table wraps each cell several times at the same width (to size its rows, to
    split across pages, to draw), and the same texts come back in many cells (item
    labels, codes, dates): the markup of a text in a style is parsed once, and its
    line breaking done once per width, per process. The parsed fragments and the
    broken lines are only read by the layout and the drawing, so cells share them.
    """

    def __init__(self, value: str | None, style: ParagraphStyle, bulletText: Any = None,
                 frags: list[Any] | None = None, **kwargs: Any) -> None:
        self._key: tuple[str, ParagraphStyle] | None = None
        self._laid_out: tuple[float, tuple[float, float]] | None = None
        if frags is not None or value is None:  # the halves of a split (ReportLab's call)
            super().__init__(value, style, bulletText, frags, **kwargs)
            return
        parsed_style, parsed = _parsed(value, style)
        super().__init__(value, parsed_style, bulletText, parsed, **kwargs)
        self._key = (value, parsed_style)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._key is None:
            return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]
        laid_out = self._laid_out
        if laid_out is not None and laid_out[0] == availWidth:
            return laid_out[1]  # this width's lines are in place already
        key = (*self._key, availWidth)
        known = _WRAPPED.get(key)
        if known is not None:
            size, self.width, self.height, self.blPara, self._wrapWidths = known
        else:
            size = super().wrap(availWidth, availHeight)
            if not hasattr(self, "blPara"):
                return size  # type: ignore[no-any-return]
            if len(_WRAPPED) >= _WRAPPED_MAX:
                _WRAPPED.clear()
            _WRAPPED[key] = (size, self.width, self.height, self.blPara, self._wrapWidths)
        self._laid_out = (availWidth, size)
        return size  # type: ignore[no-any-return]


#: Line breaking of cell texts by (text, style, width), shared by every cell.
_WRAPPED: dict[tuple[str, ParagraphStyle, float], tuple[Any, ...]] = {}
_WRAPPED_MAX: Final = 50_000


@lru_cache(maxsize=50_000)
def _parsed(value: str, style: ParagraphStyle) -> tuple[ParagraphStyle, list[Any]]:
    """The style and fragments ReportLab's parser makes of ``value`` (cached)."""
    probe = Paragraph(value, style)
    return probe.style, probe.frags


def clear_layout_caches() -> None:
    """Forget every text parsed, line broken or measured so far (a cold layout follows).

    The caches only save work; benchmarks clear them so that each timed run lays out
    its text from scratch.
    """
    _parsed.cache_clear()
    _WRAPPED.clear()
    clear_width_caches()


def cell(value: object, style: ParagraphStyle) -> CellParagraph:
    """A table-cell paragraph of plain (escaped) text."""
    return CellParagraph(text(value), style)


def text(value: object) -> str:
    """Escape a value for a ReportLab paragraph (``&``, ``<``, ``>``)."""
    return escape("" if value is None else str(value))


def para(value: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain (escaped) text."""
    return Paragraph(text(value), style or styles().body)


def mono_width(chars: int, size: float = MONO_SIZE) -> float:
    """Width in points of ``chars`` characters of the mono font."""
    register_fonts()
    return stringWidth("0" * chars, MONO, size)


ColumnKind = Literal["text", "plain", "number", "flag", "mono"]


@dataclass(frozen=True)
class Column:
    """A table column: header, optional unit (shown in the header), kind and width.

    ``number`` columns hold plain strings aligned on the decimal point; ``decimals``
    is the most digits after the point the column shows (room is kept for them).
    ``flag`` columns are narrow, centred and bold; ``mono`` columns use the mono font
    and wrap long words (hashes) at the column width; ``plain`` columns hold short
    strings that never wrap (a newline starts a second line), much faster to lay out
    than wrapped text.
    """

    header: str
    width: float
    kind: ColumnKind = "text"
    unit: str | None = None
    decimals: int = 0

    @property
    def title(self) -> str:
        return f"{self.header} ({self.unit})" if self.unit else self.header


def _cell(value: object, column: Column, bold: bool = False, small: bool = False) -> object:
    if isinstance(value, Flowable):
        return value
    s = styles()
    if column.kind in ("number", "plain", "flag"):
        return "" if value is None else str(value)
    if column.kind == "mono":
        return cell(value, s.mono)
    if small:
        return cell(value, s.cell_small)
    return cell(value, s.cell_bold if bold else s.cell)


def rule_style(header_rows: int = 1) -> list[tuple[object, ...]]:
    """Light rules: a firm line above and below the header, hairlines between rows."""
    return [
        ("FONT", (0, 0), (-1, -1), SANS, CELL_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, INK),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
    ]


def data_table(columns: Sequence[Column], rows: Sequence[Sequence[object]],
               *, extra_style: Sequence[tuple[object, ...]] = (),
               total_rows: int = 0, small: bool = False) -> Table:
    """A table with a repeated header row, light rules and per-kind alignment.

    The last ``total_rows`` rows are totals: bold, with a firm rule above; ``small``
    sets text cells in a smaller size (long listings).
    """
    s = styles()
    header = [cell(c.title, s.header_cell) for c in columns]
    first_total = len(rows) - total_rows
    body = [[_cell(v, c, index >= first_total, small) for v, c in zip(row, columns, strict=True)]
            for index, row in enumerate(rows)]
    table = Table([header, *body], colWidths=[c.width for c in columns], repeatRows=1,
                  hAlign="LEFT")
    commands = rule_style()
    size = 6.8 if small else CELL_SIZE
    commands.append(("FONT", (0, 1), (-1, -1), SANS, size, size * 1.2))
    for index, column in enumerate(columns):
        if column.kind == "number":
            room = stringWidth("." + "0" * column.decimals, SANS, size) + 4
            commands += [("ALIGN", (index, 1), (index, -1), "DECIMAL"),
                         ("RIGHTPADDING", (index, 1), (index, -1), room)]
        if column.kind == "flag":
            commands += [("LEFTPADDING", (index, 0), (index, -1), 1),
                         ("RIGHTPADDING", (index, 0), (index, -1), 1),
                         ("ALIGN", (index, 1), (index, -1), "CENTER"),
                         ("FONT", (index, 1), (index, -1), SANS_BOLD, size),
                         ("TEXTCOLOR", (index, 1), (index, -1), FLAG)]
    if total_rows and body:
        first = len(body) - total_rows + 1
        commands += [("LINEABOVE", (0, first), (-1, first), 0.8, INK),
                     ("FONT", (0, first), (-1, -1), SANS_BOLD, CELL_SIZE)]
    table.setStyle(TableStyle([*commands, *extra_style]))
    return table
