"""The document framework every report is built on (ReportLab platypus, no Qt).

A report is a list of flowables plus a :class:`DocumentInfo`; :func:`render` lays it
out on A4 portrait (or US Letter) with 2 cm margins, and draws on every page:

* a header "IFM 2009-02 · Site · Patient · Form (version)" with the parts that apply
  (a :class:`HeaderContext` flowable changes them from the page it appears on);
* a footer "Printed dd/mm/yyyy hh:mm by user · page x of y" (a canvas that holds
  pages back until it knows their count);
* a diagonal light-grey DRAFT watermark when the caller asks for it;
* PDF bookmarks (the outline) for every :func:`heading`.

Generation reports progress through ``progress(done, total)`` and stops with
:class:`ReportCancelled` as soon as ``cancelled()`` returns true, so a GUI can run
it in a worker thread; nothing here touches Qt.

PDF/A: what ReportLab's open-source edition allows is done - every font is embedded
(TrueType subsets of DejaVu, no base-14 fonts), no transparency or blend modes are
used (the watermark is an opaque light grey drawn under the text), colours are
device RGB, the document carries title, author, subject, creator and keywords in its
Info dictionary, a natural language (/Lang) and a trailer document /ID. What is *not*
done, so the files are PDF/A-compatible in content but make no PDF/A claim: no XMP
metadata stream and no OutputIntent with an embedded ICC profile (ReportLab offers
these only in its commercial edition), and no tagged structure tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Final, Literal

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from ctrial_desktop import __version__
from ctrial_desktop.reports.fonts import SANS, SANS_BOLD, register_fonts
from ctrial_desktop.reports.styles import (
    INK,
    MUTED,
    RULE,
    WATERMARK,
    CellParagraph,
    styles,
    text,
)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
PageSize = Literal["A4", "Letter"]

STUDY_LABEL: Final = "IFM 2009-02"
CREATOR: Final = f"ctrial-desktop {__version__}"
MARGIN: Final = 2 * cm
_HEADER_SIZE: Final = 7.5
_HEADER_MIN_SIZE: Final = 6.5
_FOOTER_SIZE: Final = 7.0

_FOOTER: Final[dict[str, str]] = {
    "en": "Printed {when}{by} · page {page} of {pages}",
    "fr": "Imprimé le {when}{by} · page {page} sur {pages}",
}
_BY: Final[dict[str, str]] = {"en": " by {user}", "fr": " par {user}"}
_DRAFT: Final[dict[str, str]] = {"en": "DRAFT", "fr": "BROUILLON"}


class ReportCancelled(Exception):
    """The caller's ``cancelled()`` returned true while the report was being built."""


@dataclass(frozen=True)
class DocumentInfo:
    """What a document says about itself: metadata, header parts, footer, options.

    ``printed_at`` is local time (shown as dd/mm/yyyy hh:mm); ``site``, ``patient``
    and ``form`` are the header parts that apply to the whole document (empty ones
    are left out); ``draft`` puts the DRAFT watermark on every page.
    """

    title: str
    subject: str
    printed_by: str
    printed_at: dt.datetime
    author: str = ""
    keywords: tuple[str, ...] = ()
    site: str = ""
    patient: str = ""
    form: str = ""
    language: str = "en"
    page_size: PageSize = "A4"
    draft: bool = False

    @property
    def pagesize(self) -> tuple[float, float]:
        return LETTER if self.page_size == "Letter" else A4

    def header_text(self) -> str:
        parts = [STUDY_LABEL, self.site, self.patient, self.form]
        return " · ".join(p for p in parts if p)

    def footer_text(self, page: int, pages: int) -> str:
        language = self.language if self.language in _FOOTER else "en"
        by = _BY[language].format(user=self.printed_by) if self.printed_by else ""
        return _FOOTER[language].format(when=self.printed_at.strftime("%d/%m/%Y %H:%M"), by=by,
                                        page=page, pages=pages)


@dataclass(frozen=True)
class RenderResult:
    """Outcome of :func:`render`: the page count and the outline titles in order."""

    pages: int
    outline: tuple[str, ...]


class HeaderContext(Flowable):
    """Zero-size marker: from the page it lands on, the header shows these parts.

    ``None`` keeps a part as it was; an empty string removes it.
    """

    def __init__(self, *, site: str | None = None, patient: str | None = None,
                 form: str | None = None) -> None:
        super().__init__()
        self.parts = {k: v for k, v in (("site", site), ("patient", patient), ("form", form))
                      if v is not None}
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        doc = getattr(self.canv, "_ctrial_doc", None)
        if doc is not None:
            doc.current = replace(doc.current, **self.parts)


def heading(title: str, level: int = 0) -> Paragraph:
    """A section heading that also becomes a PDF bookmark at ``level`` (0 = top)."""
    s = styles()
    p = CellParagraph(text(title), s.h1 if level == 0 else s.h2)
    p._ctrial_outline = (title, level)  # type: ignore[attr-defined]
    return p


class _NumberedCanvas(Canvas):
    """Holds every page back until ``save`` so that the footer can say "page x of y"."""

    def __init__(self, *args: Any, info: DocumentInfo, **kwargs: Any) -> None:
        # No base-14 font anywhere, not even the canvas's initial one (PDF/A).
        kwargs["initialFontName"] = kwargs.get("initialFontName") or SANS
        super().__init__(*args, **kwargs)
        self._ctrial_info = info
        self._ctrial_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._ctrial_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._ctrial_pages)
        self._ctrial_total = total
        for state in self._ctrial_pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        info = self._ctrial_info
        width, _height = self._pagesize
        y = MARGIN - 0.9 * cm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        self.line(MARGIN, y + 9, width - MARGIN, y + 9)
        self.setFont(SANS, _FOOTER_SIZE)
        self.setFillColor(MUTED)
        self.drawRightString(width - MARGIN, y, info.footer_text(self._pageNumber, total))
        self.drawString(MARGIN, y, info.title)
        self.restoreState()


def fitted_header(text: str, room: float) -> tuple[str, float]:
    """The page header and its font size within ``room`` points: a long header (a French
    form title after a long site name) is set smaller, down to 6.5 pt, then shortened."""
    register_fonts()
    size = _HEADER_SIZE
    while size > _HEADER_MIN_SIZE and stringWidth(text, SANS_BOLD, size) > room:
        size -= 0.25
    while len(text) > 1 and stringWidth(text, SANS_BOLD, size) > room:
        text = text[:-2].rstrip() + "…"
    return text, size


class _Document(BaseDocTemplate):
    """Page templates, header, watermark, outline and progress of one rendering."""

    def __init__(self, target: str | BinaryIO, info: DocumentInfo, total: int,
                 progress: Progress | None, cancelled: Cancelled | None) -> None:
        super().__init__(
            target, pagesize=info.pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
            topMargin=MARGIN, bottomMargin=MARGIN, title=info.title, author=info.author,
            subject=info.subject, creator=CREATOR, keywords=list(info.keywords),
            lang=info.language, displayDocTitle=1,
        )
        self.info = info
        self.current = info
        self.total = total
        self.done = 0
        self.progress = progress
        self.cancelled = cancelled
        self.outline_titles: list[str] = []
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                      id="body", leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame],
                                            onPage=self._page_start,
                                            onPageEnd=self._page_end)])

    def _check_cancel(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ReportCancelled("report cancelled")

    def _page_start(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        self._check_cancel()
        canv._ctrial_doc = self  # type: ignore[attr-defined]
        if self.info.draft:
            _draw_watermark(canv, _DRAFT.get(self.info.language, _DRAFT["en"]))

    def _page_end(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        width, height = canv._pagesize
        y = height - MARGIN + 0.55 * cm
        canv.saveState()
        text, size = fitted_header(self.current.header_text(), width - 2 * MARGIN)
        canv.setFont(SANS_BOLD, size)
        canv.setFillColor(INK)
        canv.drawString(MARGIN, y, text)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(MARGIN, y - 4, width - MARGIN, y - 4)
        canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "_ctrial_outline", None)
        if outline is not None:
            title, level = outline
            key = f"s{len(self.outline_titles)}"
            if not self.outline_titles:
                self.canv.showOutline()
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)
            self.outline_titles.append(title)
        index = getattr(flowable, "_ctrial_index", None)
        if index is not None and index + 1 > self.done:
            self.done = index + 1
            if self.progress is not None:
                self.progress(self.done, self.total)
            self._check_cancel()


def _draw_watermark(canv: Canvas, word: str) -> None:
    width, height = canv._pagesize
    canv.saveState()
    canv.setFillColor(WATERMARK)
    canv.setFont(SANS_BOLD, 110 if len(word) <= 5 else 80)
    canv.translate(width / 2, height / 2)
    canv.rotate(52)
    canv.drawCentredString(0, -35, word)
    canv.restoreState()


def render(info: DocumentInfo, story: Sequence[Flowable], out: Path | BinaryIO, *,
           progress: Progress | None = None, cancelled: Cancelled | None = None
           ) -> RenderResult:
    """Lay out ``story`` into a PDF written to ``out`` (a path or a binary stream).

    ``progress(done, total)`` is called as the top-level flowables are placed;
    ``cancelled()`` is polled on every page and flowable. A cancelled rendering
    raises :class:`ReportCancelled` and leaves no file at a ``Path`` target.
    """
    register_fonts()
    flowables = list(story)
    for index, flowable in enumerate(flowables):
        flowable._ctrial_index = index  # type: ignore[attr-defined]
    target: str | BinaryIO = str(out) if isinstance(out, Path) else out
    doc = _Document(target, info, len(flowables), progress, cancelled)
    if cancelled is not None and cancelled():
        raise ReportCancelled("report cancelled")
    try:
        # build() consumes the list it is given.
        doc.build(flowables, canvasmaker=lambda *a, **k: _NumberedCanvas(*a, info=info, **k))
    except ReportCancelled:
        if isinstance(out, Path):
            out.unlink(missing_ok=True)
        raise
    pages = int(getattr(doc.canv, "_ctrial_total", 0))
    if progress is not None and doc.done < doc.total:
        progress(doc.total, doc.total)
    return RenderResult(pages=max(pages, 1), outline=tuple(doc.outline_titles))
