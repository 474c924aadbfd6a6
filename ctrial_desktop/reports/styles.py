"""Shared look of every report: paragraph styles, colours, table rules and columns.

Tables have light horizontal rules, units in the column headers, numbers aligned on
the decimal point and a narrow flags column (:class:`Column`, :func:`data_table`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle
from reportlab.platypus.paragraph import _wsc
from reportlab.platypus.tables import CellStyle, _setCellStyle

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
    """A paragraph laid out exactly as :class:`Paragraph` but cheaper.

    A table wraps each cell several times at the same width (to size its rows, to
    split across pages, to draw), and the same texts come back in many cells and
    titles (item labels, codes, dates, group names): the markup of a text in a style
    is parsed once, and its line breaking done once per width, per process. The
    parsed fragments and the broken lines are only read by the layout and the
    drawing, so paragraphs share them. :func:`para` makes these too.
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
        if laid_out is not None and laid_out[0] == availWidth and "blPara" in self.__dict__:
            return laid_out[1]  # this width's lines are in place (a refused split drops them)
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


class WrappedText(str):
    """The lines (``\\n``) a paragraph breaks a cell text into; ``source`` is the text."""

    source: str

    def __new__(cls, lines: str, source: str) -> WrappedText:
        wrapped = super().__new__(cls, lines)
        wrapped.source = source
        return wrapped


#: A table cell without any line: what an empty paragraph is (no height, nothing drawn).
NO_LINE: Final[tuple[()]] = ()

#: Characters ReportLab's paragraphs break lines at (its own list), markup characters
#: and the soft hyphen: a text without them, its words separated by single spaces,
#: is drawn by a paragraph exactly as it is written.
_ONE_RUN: Final = "[^" + re.escape(_wsc + "<>&\xad") + "]+"
_SIMPLE_TEXT: Final = re.compile(f"{_ONE_RUN}(?: {_ONE_RUN})*")


def _plain_lines_style(style: ParagraphStyle) -> bool:
    """Whether a table can draw the lines of a paragraph of ``style`` as its own strings."""
    unset = ("leftIndent", "rightIndent", "firstLineIndent", "backColor", "borderWidth",
             "endDots", "autoLeading", "bulletText", "hyphenationLang", "embeddedHyphenation")
    return (style.alignment == TA_LEFT and not any(getattr(style, a, None) for a in unset)
            and getattr(style, "wordWrap", None) in (None, "", "LTR"))


@lru_cache(maxsize=100_000)
def _table_lines(value: str, style: ParagraphStyle, width: float) -> str | tuple[()] | None:
    """``value`` as the lines a paragraph of ``style`` would draw ``width`` points wide.

    A text drawn as it is written is returned as it is; one the paragraph breaks (or
    whose spaces it collapses) as a :class:`WrappedText`; no line (an empty or blank
    text) as :data:`NO_LINE`; ``None`` when only a paragraph can draw the text (markup
    that splits it into fragments, a line squeezed to fit, a style the table cannot
    reproduce).
    """
    if not _plain_lines_style(style):
        return None
    if _SIMPLE_TEXT.fullmatch(value) and \
            stringWidth(value, style.fontName, style.fontSize) <= width - 1e-6:
        return value  # one line, as written (the paragraph's own measure, exactly)
    paragraph = CellParagraph(text(value), style)
    paragraph.wrap(width, _ANY_HEIGHT)
    lines = paragraph.blPara
    if getattr(lines, "kind", None) != 0 or type(lines.lines) is not list:
        return None  # fragments of several styles, or a right-to-left ordering
    if lines.fontName != style.fontName or lines.fontSize != style.fontSize or \
            lines.textColor != style.textColor or getattr(lines, "rise", 0) or \
            getattr(lines, "us_lines", None) or getattr(lines, "link", None):
        return None
    if not lines.lines:
        return NO_LINE
    if any(extra < -1e-8 for extra, _words in lines.lines):
        return None  # the paragraph would squeeze that line's word spacing
    drawn = "\n".join(" ".join(words) for _extra, words in lines.lines)
    return value if drawn == value else WrappedText(drawn, value)


_ANY_HEIGHT: Final = 1e9


def table_text(value: object, style: ParagraphStyle, width: float) -> object:
    """A table cell of plain text in ``style``, ``width`` points wide within its paddings.

    The cell holds the lines the paragraph of the text would draw, as strings the table
    draws itself (much cheaper than a paragraph), or the paragraph where only it can
    draw them. The cells of the column must be set in the style's font, size, leading
    and colour (:func:`text_style_commands`): the text then lands exactly where the
    paragraph puts it, and the row is as high.
    """
    raw = "" if value is None else str(value)
    lines = _table_lines(raw, style, width)
    return CellParagraph(text(raw), style) if lines is None else lines


def text_style_commands(style: ParagraphStyle, start: tuple[int, int],
                        stop: tuple[int, int]) -> list[tuple[object, ...]]:
    """Table style commands that set the cells ``start``..``stop`` like ``style``."""
    return [("FONT", start, stop, style.fontName, style.fontSize, style.leading),
            ("TEXTCOLOR", start, stop, style.textColor)]


def clear_layout_caches() -> None:
    """Forget every text parsed, line broken or measured so far (a cold layout follows).

    The caches only save work; benchmarks clear them so that each timed run lays out
    its text from scratch.
    """
    _parsed.cache_clear()
    _table_lines.cache_clear()
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
    return CellParagraph(text(value), style or styles().body)


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


def _text_style(column: Column, bold: bool, small: bool) -> ParagraphStyle | None:
    """The paragraph style of a body cell of ``column`` (None: a plain string column)."""
    s = styles()
    if column.kind in ("number", "plain", "flag"):
        return None
    if column.kind == "mono":
        return s.mono
    if small:
        return s.cell_small
    return s.cell_bold if bold else s.cell


#: Cell paddings of :func:`rule_style` (flag columns: 1 point left and right).
_PAD: Final = 3.0
_FLAG_PAD: Final = 1.0


def _inner_width(column: Column) -> float:
    """Width a cell's text has in ``column`` (the column less its paddings)."""
    pad = _FLAG_PAD if column.kind == "flag" else _PAD
    return column.width - pad - pad


def _cell(value: object, column: Column, bold: bool = False, small: bool = False,
          lines: bool = False) -> object:
    if isinstance(value, Flowable):
        return value
    style = _text_style(column, bold, small)
    if style is None:
        return "" if value is None else str(value)
    if lines:
        return table_text(value, style, _inner_width(column))
    return cell(value, style)


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


#: Table style commands that set a property of each cell of their range.
_CELL_OPS: Final = frozenset({
    "FONT", "FONTNAME", "FACE", "SIZE", "FONTSIZE", "LEADING", "TEXTCOLOR", "ALIGN",
    "ALIGNMENT", "VALIGN", "LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING"})


def _shared_cell_styles(commands: Sequence[tuple[Any, ...]], bands: Sequence[range],
                        ncols: int) -> tuple[list[list[CellStyle]], list[tuple[Any, ...]]] | None:
    """The cell styles ``commands`` give, one per band of rows and column, shared.

    ReportLab keeps a style object per cell and applies every command to each cell of
    its range; the rows of a band (header, body, totals) are styled alike, so one
    object per band and column does, applied once. Returns the styles (a row of them
    per band) and the commands that are not about cells (rules, backgrounds, spans);
    None when a command covers part of a band only.
    """
    nrows = max((band.stop for band in bands), default=0)
    shared = [[CellStyle(f"{b},{c}") for c in range(ncols)] for b in range(len(bands))]
    rest: list[tuple[Any, ...]] = []
    for command in commands:
        if command[0] not in _CELL_OPS:
            rest.append(command)
            continue
        (sc, sr), (ec, er) = command[1], command[2]
        if not all(isinstance(v, int) for v in (sc, sr, ec, er)):
            return None  # the special rows of a split
        sc, ec = sc + ncols if sc < 0 else sc, ec + ncols if ec < 0 else ec
        sr, er = sr + nrows if sr < 0 else sr, er + nrows if er < 0 else er
        for index, band in enumerate(bands):
            if not band or er < band.start or sr >= band.stop:
                continue
            if sr > band.start or er < band.stop - 1:
                return None
            for column in range(max(0, sc), min(ncols - 1, ec) + 1):
                _setCellStyle(shared, index, column, command[0], command[3:])
    return shared, rest


def _height(value: object, leading: float) -> float:
    """Height of a string cell's lines (0 for anything else: not known before wrapping)."""
    return (value.count("\n") + 1) * leading if isinstance(value, str) else 0.0


def _fill_empty(row: list[object], styles_: Sequence[CellStyle]) -> None:
    """Empty text cells become "" where the row is as high with it as without it.

    An empty paragraph has no height, a "" string one line of its cell's leading:
    cheaper to lay out, and the same row whenever another cell is that high already.
    """
    tallest = max(_height(v, st.leading) for v, st in zip(row, styles_, strict=True))
    for index, value in enumerate(row):
        if value == NO_LINE and styles_[index].leading <= tallest:
            row[index] = ""


class DataTable(Table):
    """A table of fixed column widths whose row heights are measured once.

    ReportLab measures every row again each time a table is wrapped (to keep a
    heading with it, to place it, to split it); with fixed column widths the heights
    cannot change, so the first measure is kept.
    """

    def _calc_height(self, availHeight: float, availWidth: float, H: Any = None,
                     W: Any = None) -> None:
        super()._calc_height(availHeight, availWidth, H, W)
        if self._hmax == self._nrows and None in self._argH:
            self._argH = list(self._rowHeights)


def data_table(columns: Sequence[Column], rows: Sequence[Sequence[object]],
               *, extra_style: Sequence[tuple[object, ...]] = (),
               total_rows: int = 0, small: bool = False) -> Table:
    """A table with a repeated header row, light rules and per-kind alignment.

    The last ``total_rows`` rows are totals: bold, with a firm rule above; ``small``
    sets text cells in a smaller size (long listings).
    """
    s = styles()
    # Text is set as the lines its paragraph would draw, as strings the table draws
    # itself (same place, same row heights), unless the caller's own style commands
    # (spans, alignments) could move them.
    lines = not extra_style
    if lines:
        header = [table_text(c.title, s.header_cell, _inner_width(c)) for c in columns]
    else:
        header = [cell(c.title, s.header_cell) for c in columns]
    first_total = len(rows) - total_rows
    body = [[_cell(v, c, index >= first_total, small, lines)
             for v, c in zip(row, columns, strict=True)]
            for index, row in enumerate(rows)]
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
    if lines:
        commands += text_style_commands(s.header_cell, (0, 0), (-1, 0))
        for index, column in enumerate(columns):
            for first_row, last_row, bold in ((1, first_total, False),
                                              (first_total + 1, len(rows), True)):
                style = _text_style(column, bold, small)
                if style is not None and first_row <= last_row:
                    commands += text_style_commands(style, (index, first_row),
                                                    (index, last_row))
    commands += extra_style
    data = [header, *body]
    ncols = len(columns)
    bands = [range(0, 1), range(1, first_total + 1), range(first_total + 1, len(data))]
    shared = _shared_cell_styles(commands, bands, ncols)
    if shared is None:  # per-cell styles, as ReportLab keeps them
        table = DataTable(data, colWidths=[c.width for c in columns], repeatRows=1,
                          hAlign="LEFT")
        table.setStyle(TableStyle(commands))
        return table
    cell_styles, rest = shared
    matrix = []
    for index, row in enumerate(data):
        row_styles = cell_styles[next(b for b, rows_ in enumerate(bands) if index in rows_)]
        if lines:
            _fill_empty(row, row_styles)
        matrix.append(list(row_styles))
    table = DataTable(data, colWidths=[c.width for c in columns], repeatRows=1,
                      hAlign="LEFT", cellStyles=matrix)
    table.setStyle(TableStyle(rest))
    return table
