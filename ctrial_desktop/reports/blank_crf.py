"""Blank case report forms for printing as source documents (and the shared CRF layout).

Every form of the study definition, or the set of one event, laid out as on screen:
each item with its label (English or French), boxes for the value (date boxes
``__/__/____``, digit boxes with the decimal separator and the unit, a tick box for
every code of a code list with its decode, yes/no), help text in small print, and
repeating groups as ruled tables with a sensible number of empty rows (the daily
dosing table has one row per cycle day, numbered). Groups too wide for a table are
printed as numbered blocks instead. The annotated CRF (:mod:`.annotated_crf`) uses
the same layout with ``annotated=True``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ctrial_desktop.reports.base import (
    Cancelled,
    DocumentInfo,
    HeaderContext,
    PageSize,
    Progress,
    RenderResult,
    heading,
    render,
)
from ctrial_desktop.reports.common import colon, fmt_number
from ctrial_desktop.reports.fonts import SANS
from ctrial_desktop.reports.styles import BOX, RULE, para, rule_style, styles, text
from ctrial_desktop.study import Event, Form, Item, ItemGroup, StudyDefinition

#: Repeating groups with more items than this are printed as blocks, not table columns.
MAX_TABLE_COLUMNS: Final = 6
#: Empty rows of a repeating table without ``max_rows``, and the most rows printed.
DEFAULT_ROWS: Final = 12
MAX_ROWS: Final = 30
#: Blocks printed for a wide repeating group (more go on a copy of the page).
BLOCKS: Final = 3

_WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "title": "Blank case report forms", "atitle": "Annotated case report forms",
        "yes": "Yes", "no": "No", "required": "* required", "version": "version",
        "computed": "Calculated by the application", "system": "Filled in by the application",
        "all": "tick all that apply", "partial": "UN/UNK for an unknown day or month",
        "copy": "Copy this page when more rows are needed.", "used": "Used at",
        "day": "day", "days": "days", "codes": "Codes", "row": "Row", "ctcae": "CTCAE v4.03 term",
        "schedule": "Schedule of forms", "event": "Event", "forms": "Forms",
        "checks": "Edit checks", "subject": "IFM 2009-02 case report forms",
        "optional": "optional", "if": "when applicable",
        "oid": "OID", "severity": "Severity", "rule": "Rule", "items": "Items",
        "message": "Message", "cross_form": "cross-form", "error": "error",
        "warning": "warning", "dp": "dp", "chars": "chars", "hard": "hard", "soft": "soft",
        "a_required": "required", "a_optional": "optional", "a_system": "system-written",
        "future": "future date allowed", "visible_if": "visible if",
    },
    "fr": {
        "title": "Cahiers d'observation vierges", "atitle": "Cahiers d'observation annotés",
        "yes": "Oui", "no": "Non", "required": "* obligatoire", "version": "version",
        "computed": "Calculé par l'application", "system": "Rempli par l'application",
        "all": "cocher toutes les réponses qui s'appliquent",
        "partial": "UN/UNK si le jour ou le mois est inconnu",
        "copy": "Photocopier cette page si d'autres lignes sont nécessaires.",
        "used": "Utilisé à", "day": "jour", "days": "jours", "codes": "Codes", "row": "Ligne",
        "ctcae": "terme CTCAE v4.03", "schedule": "Calendrier des formulaires",
        "event": "Visite", "forms": "Formulaires", "checks": "Contrôles de cohérence",
        "subject": "Cahiers d'observation IFM 2009-02", "optional": "facultatif",
        "if": "si applicable",
        "oid": "OID", "severity": "Gravité", "rule": "Règle", "items": "Items",
        "message": "Message", "cross_form": "inter-formulaires", "error": "erreur",
        "warning": "avertissement", "dp": "déc.", "chars": "caractères",
        "hard": "limites strictes", "soft": "limites d'alerte", "a_required": "obligatoire",
        "a_optional": "facultatif", "a_system": "écrit par l'application",
        "future": "date future permise", "visible_if": "visible si",
    },
}

_CELL_W: Final = 10.5
_CELL_H: Final = 12.5


def words(language: str) -> dict[str, str]:
    """The fixed texts of the CRF reports in ``language``."""
    return _WORDS.get(language, _WORDS["en"])


def pretty_unit(symbol: str) -> str:
    """``10^9/L`` as ``10⁹/L`` (exponents as superscripts)."""
    return symbol.replace("^9", "⁹").replace("^12", "¹²").replace("^6", "⁶")


class Boxes(Flowable):
    """A row of boxes for handwritten characters, with separators and a trailing text.

    ``pattern`` holds ``#`` for a box and any other character as a printed separator
    (``##/##/####`` for a date); ``suffix`` (a unit, a format hint) follows the boxes.
    """

    def __init__(self, pattern: str, suffix: str = "") -> None:
        super().__init__()
        self.pattern = pattern
        self.suffix = suffix

    def _width(self) -> float:
        width = 0.0
        for char in self.pattern:
            width += _CELL_W if char == "#" else stringWidth(char, SANS, 9) + 3
        if self.suffix:
            width += 4 + stringWidth(self.suffix, SANS, 7.5)
        return width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self._width(), _CELL_H + 1
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.setStrokeColor(BOX)
        canv.setLineWidth(0.6)
        x = 0.0
        for char in self.pattern:
            if char == "#":
                canv.rect(x, 0.5, _CELL_W, _CELL_H, stroke=1, fill=0)
                x += _CELL_W
            else:
                canv.setFont(SANS, 9)
                canv.drawString(x + 1.5, 3, char)
                x += stringWidth(char, SANS, 9) + 3
        if self.suffix:
            canv.setFont(SANS, 7.5)
            canv.drawString(x + 4, 3.5, self.suffix)


class WriteLine(Flowable):
    """A ruled line (or a box of several lines) for free text."""

    def __init__(self, lines: int = 1, width: float | None = None) -> None:
        super().__init__()
        self.lines = lines
        self.fixed_width = width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = self.fixed_width or availWidth
        self.height = 14.0 * self.lines
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.setStrokeColor(BOX)
        canv.setLineWidth(0.5)
        if self.lines == 1:
            canv.line(0, 1, self.width, 1)
        else:
            canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


@dataclass(frozen=True)
class CrfOptions:
    """What a CRF document contains: language, annotations, and which forms."""

    language: str = "en"
    annotated: bool = False
    event_oid: str | None = None
    form_oids: tuple[str, ...] = ()


def _digits(item: Item) -> int:
    limit = item.range.max if item.range and item.range.max is not None else None
    if limit is None and item.soft_range and item.soft_range.max is not None:
        limit = item.soft_range.max * 10
    return max(1, len(str(int(abs(limit))))) if limit is not None else 4


def _unit(study: StudyDefinition, item: Item, language: str = "en") -> str:
    """The unit of ``item`` as printed in ``language`` (``ans`` for ``years``)."""
    return pretty_unit(study.unit(item.unit).shown(language)) if item.unit else ""


#: Tick lists longer than this (characters) print one code per line.
_INLINE_TICKS: Final = 64


def _ticks(study: StudyDefinition, item: Item, opts: CrfOptions) -> str:
    codelist = study.codelist(item.codelist or "")
    decodes = [code.decode.get(opts.language) for code in codelist.items]
    inline = sum(len(d) + 5 for d in decodes) <= _INLINE_TICKS
    parts = []
    for code, decode in zip(codelist.items, decodes, strict=True):
        label = text(decode).replace(" ", "&nbsp;") if inline else text(decode)
        if opts.annotated:
            label = (f'<font name="DejaVuSansMono" size="6.5" color="#17478c">'
                     f"[{text(code.code)}]</font> {label}")
        parts.append(f"☐&nbsp;{label}")
    return "&nbsp;&nbsp;&nbsp;&nbsp; ".join(parts) if inline else "<br/>".join(parts)


def entry(study: StudyDefinition, item: Item, opts: CrfOptions) -> list[Flowable]:
    """The flowables where the value of ``item`` is written by hand."""
    w = words(opts.language)
    s = styles()
    decimal_sep = "," if opts.language == "fr" else "."
    if item.type == "computed":
        unit = _unit(study, item, opts.language)
        return [Paragraph(f"<i>{text(w['computed'])}</i>" + (f" ({text(unit)})" if unit else ""),
                          s.small)]
    if item.read_only:
        out: list[Flowable] = [Paragraph(f"<i>{text(w['system'])}</i>", s.small)]
        if opts.annotated and item.codelist:
            out.append(Paragraph(_ticks(study, item, opts), s.cell))
        return out
    if item.type == "date":
        return [Boxes("##/##/####", "dd/mm/yyyy" if opts.language == "en" else "jj/mm/aaaa")]
    if item.type == "partial_date":
        return [Boxes("##/###/####", w["partial"])]
    if item.type == "time":
        return [Boxes("##:##", "hh:mm")]
    if item.type == "integer":
        return [Boxes("#" * _digits(item), _unit(study, item, opts.language))]
    if item.type == "decimal":
        pattern = "#" * _digits(item)
        if item.decimals:
            pattern += decimal_sep + "#" * item.decimals
        return [Boxes(pattern, _unit(study, item, opts.language))]
    if item.type == "yes_no":
        return [Paragraph(f"☐&nbsp;{text(w['yes'])}&nbsp;&nbsp;&nbsp;&nbsp; ☐&nbsp;{text(w['no'])}",
                          s.cell)]
    if item.type in ("choice", "multi_choice"):
        flow: list[Flowable] = [Paragraph(_ticks(study, item, opts), s.cell)]
        if item.type == "multi_choice":
            flow.append(Paragraph(f"<i>({text(w['all'])})</i>", s.small))
        return flow
    if item.type == "long_text":
        return [WriteLine(lines=3)]
    if item.type == "ctcae_term":
        return [WriteLine(), Paragraph(text(w["ctcae"]), s.small)]
    return [WriteLine()]


def _range_text(prefix: str, low: float | None, high: float | None,
                language: str = "en") -> str:
    lo = "" if low is None else fmt_number(low, "g", language)
    hi = "" if high is None else fmt_number(high, "g", language)
    if low is not None and high is not None:
        return f"{prefix} {lo}–{hi}"
    space = "\u00a0" if language == "fr" else " "
    return f"{prefix} ≥{space}{lo}" if low is not None else f"{prefix} ≤{space}{hi}"


def annotation(study: StudyDefinition, item: Item, language: str = "en") -> str:
    """The aCRF annotation of an item: OID, data type, unit, ranges, required, condition
    (the words in ``language``; OIDs, data types and expressions as the study has them)."""
    w = words(language)
    data_type = item.odm_data_type
    if item.type == "choice" and item.codelist:
        data_type = study.codelist(item.codelist).data_type
    parts = [item.oid, f"{item.type} ({data_type})"]
    if item.unit:
        parts.append(_unit(study, item, language))
    if item.decimals is not None:
        parts.append(f"{item.decimals} {w['dp']}")
    if item.max_length:
        parts.append(f"max {item.max_length} {w['chars']}")
    if item.range:
        parts.append(_range_text(w["hard"], item.range.min, item.range.max, language))
    if item.soft_range:
        parts.append(_range_text(w["soft"], item.soft_range.min, item.soft_range.max,
                                 language))
    parts.append(w["a_required"] if item.required else w["a_optional"])
    if item.read_only:
        parts.append(w["a_system"])
    if item.codelist:
        parts.append(item.codelist)
    if item.computed:
        parts.append(f"= {item.computed.function}({', '.join(item.computed.inputs)})")
    if item.allow_future:
        parts.append(w["future"])
    if item.visible_if:
        parts.append(f"{w['visible_if']} {item.visible_if}")
    return " · ".join(parts)


def _label_cell(study: StudyDefinition, item: Item, opts: CrfOptions) -> list[Flowable]:
    s = styles()
    label = text(item.label.get(opts.language))
    if item.required and item.is_entered:
        label += ' <font color="#9c2a00">*</font>'
    out: list[Flowable] = [Paragraph(label, s.cell)]
    if item.help:
        out.append(Paragraph(text(item.help.get(opts.language)), s.small))
    if opts.annotated:
        out.append(Paragraph(text(annotation(study, item, opts.language)), s.annotation))
    return out


def _item_table(study: StudyDefinition, items: Sequence[Item], opts: CrfOptions,
                width: float) -> Table:
    label_w = 0.40 * width
    rows = [[_label_cell(study, item, opts), entry(study, item, opts)] for item in items]
    table = Table(rows, colWidths=[label_w, width - label_w], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]))
    return table


_COLUMN_WEIGHT: Final[dict[str, float]] = {
    "integer": 1.0, "decimal": 1.6, "date": 2.6, "partial_date": 2.8, "time": 1.4,
    "yes_no": 1.4, "choice": 2.2, "multi_choice": 2.6, "text": 3.2, "long_text": 4.0,
    "computed": 1.6, "ctcae_term": 4.0,
}


def _row_count(group: ItemGroup) -> int:
    return min(group.max_rows or DEFAULT_ROWS, MAX_ROWS)


def _numbered_item(group: ItemGroup) -> Item | None:
    """The cycle-day column of a dosing table: integer, range 1..max_rows, printed filled."""
    first = group.items[0]
    if (first.type == "integer" and first.range is not None and first.range.min == 1
            and group.max_rows is not None and first.range.max == group.max_rows):
        return first
    return None


def _repeating_table(study: StudyDefinition, group: ItemGroup, opts: CrfOptions,
                     width: float) -> list[Flowable]:
    s = styles()
    w = words(opts.language)
    numbered = _numbered_item(group)
    weights = [_COLUMN_WEIGHT.get(i.type, 2.0) for i in group.items]
    number_w = 0.0 if numbered is not None else 0.7 * cm
    scale = (width - number_w) / sum(weights)
    widths = ([number_w] if number_w else []) + [x * scale for x in weights]
    header: list[object] = [] if numbered is not None else [Paragraph("#", s.header_cell)]
    for item in group.items:
        title = text(item.label.get(opts.language))
        unit = _unit(study, item, opts.language)
        if unit:
            title += f" ({text(unit)})"
        if item.required and item.is_entered:
            title += ' <font color="#9c2a00">*</font>'
        cell: list[Flowable] = [Paragraph(title, s.header_cell)]
        if opts.annotated:
            cell.append(Paragraph(text(annotation(study, item, opts.language)), s.annotation))
        header.append(cell)
    rows: list[list[object]] = [header]
    for number in range(1, _row_count(group) + 1):
        row: list[object] = [] if numbered is not None else [str(number)]
        for item in group.items:
            if item is numbered:
                row.append(str(number))
            elif item.type == "yes_no":
                row.append(Paragraph(f"☐&nbsp;{text(w['yes'][0])} ☐&nbsp;{text(w['no'][0])}",
                                     s.cell))
            elif item.type == "date":
                row.append(Paragraph('<font color="#9a9a9a">__/__/____</font>', s.cell))
            else:
                row.append("")
        rows.append(row)
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT",
                  rowHeights=[None] + [13.5] * (len(rows) - 1))
    style = [*rule_style(), ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
             ("INNERGRID", (0, 1), (-1, -1), 0.25, RULE)]
    if numbered is None:
        style += [("TEXTCOLOR", (0, 1), (0, -1), RULE), ("FONTSIZE", (0, 1), (0, -1), 7)]
    table.setStyle(TableStyle(style))
    out: list[Flowable] = []
    for item in group.items:
        if item.codelist:
            codelist = study.codelist(item.codelist)
            french = opts.language == "fr"
            codes = ("\u00a0; " if french else "; ").join(
                f"{text(c.code)} = {text(c.decode.get(opts.language))}"
                for c in codelist.items)
            out.append(Paragraph(f"{text(w['codes'])} — <b>{text(item.label.get(opts.language))}"
                                 f"</b>{chr(0xa0) if french else ''}: {codes}", s.small))
    if out:
        out.append(Spacer(1, 3))
    out.append(table)
    return out


def _group_flowables(study: StudyDefinition, group: ItemGroup, opts: CrfOptions,
                     width: float) -> list[Flowable]:
    s = styles()
    w = words(opts.language)
    title = group.name.get(opts.language)
    head: list[Flowable] = [heading(title, 1)]
    if opts.annotated:
        note = group.oid + (" · repeating" if group.repeating else "")
        if group.max_rows:
            note += f" · max {group.max_rows} rows"
        if group.visible_if:
            note += f" · visible if {group.visible_if}"
        head.append(Paragraph(text(note), s.annotation))
    if not group.repeating:
        return [*head, _item_table(study, group.items, opts, width)]
    if len(group.items) <= MAX_TABLE_COLUMNS:
        return [*head, *_repeating_table(study, group, opts, width)]
    blocks: list[Flowable] = []
    count = min(group.max_rows or BLOCKS, BLOCKS)
    for number in range(1, count + 1):
        # A block starts on a new page unless a good part of it fits; its title stays
        # with its first rows (the table itself may continue on the next page).
        blocks.append(CondPageBreak(7 * cm))
        if number == 1:
            blocks.extend(head)
        blocks.append(Paragraph(f"<b>{text(title)} — {text(w['row'])} {number}</b>",
                                s.block_title))
        blocks.append(_item_table(study, group.items, opts, width))
        blocks.append(Spacer(1, 8))
    blocks.append(Paragraph(f"<i>{text(w['copy'])}</i>", s.small))
    return blocks


def _usage(study: StudyDefinition, form: Form, opts: CrfOptions) -> str:
    w = words(opts.language)
    uses = []
    for event in study.events_with_form(form.oid):
        ref = next(r for r in event.forms if r.form == form.oid)
        label = event.name.get(opts.language)
        if ref.days:
            label += f" ({w['day' if len(ref.days) == 1 else 'days']} " \
                f"{', '.join(str(d) for d in ref.days)})"
        if not ref.required:
            label += f" [{w['optional']}]"
        if ref.applicable_if:
            label += f" [{w['if']}]"
        uses.append(label)
    joined = ("\u00a0; " if opts.language == "fr" else "; ").join(uses)
    return f"{colon(w['used'], opts.language)} {joined}" if uses else ""


def _edit_checks(form: Form, opts: CrfOptions, width: float) -> list[Flowable]:
    s = styles()
    w = words(opts.language)
    if not form.edit_checks:
        return []
    rows: list[list[object]] = [[Paragraph(text(w[t]), s.header_cell) for t in
                                 ("oid", "severity", "rule", "items", "message")]]
    for check in form.edit_checks:
        rule = check.expression if check.kind == "expression" else \
            f"{colon(w['cross_form'], opts.language)} {check.check}"
        rows.append([Paragraph(text(check.oid), s.annotation),
                     Paragraph(text(w.get(check.severity, check.severity)), s.cell),
                     Paragraph(text(rule), s.annotation),
                     Paragraph(text(", ".join(check.items)), s.annotation),
                     Paragraph(text(check.message.get(opts.language)), s.cell)])
    fractions = (0.19, 0.09, 0.27, 0.17, 0.28)
    table = Table(rows, colWidths=[f * width for f in fractions], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(rule_style()))
    return [heading(words(opts.language)["checks"], 1), table]


def form_flowables(study: StudyDefinition, form: Form, opts: CrfOptions, width: float,
                   level: int = 0) -> list[Flowable]:
    """One form: header context, title with version, usage, groups, (edit checks)."""
    s = styles()
    w = words(opts.language)
    name = form.name.get(opts.language)
    out: list[Flowable] = [
        HeaderContext(form=f"{name} ({w['version']} {form.version})"),
        heading(name, level),
    ]
    sub = f"{form.oid} · {w['version']} {form.version}" if opts.annotated else \
        f"{w['version']} {form.version}"
    usage = _usage(study, form, opts)
    out.append(Paragraph(text(sub + (f" · {usage}" if usage else "")), s.small))
    if form.description:
        out.append(para(form.description.get(opts.language), s.small))
    out.append(Paragraph(text(w["required"]), s.small))
    for group in form.item_groups:
        out.extend(_group_flowables(study, group, opts, width))
    if opts.annotated:
        out.extend(_edit_checks(form, opts, width))
    return out


def _schedule(study: StudyDefinition, events: Sequence[Event], opts: CrfOptions,
              width: float) -> list[Flowable]:
    s = styles()
    w = words(opts.language)
    rows: list[list[object]] = [[Paragraph(text(w["event"]), s.header_cell),
                                 Paragraph(text(w["forms"]), s.header_cell)]]
    for event in events:
        names = []
        for ref in event.forms:
            label = study.form(ref.form).name.get(opts.language)
            if ref.days:
                label += f" (J{'/'.join(str(d) for d in ref.days)})" if opts.language == "fr" \
                    else f" (D{'/'.join(str(d) for d in ref.days)})"
            names.append(label)
        title = event.name.get(opts.language) + (f"  [{event.oid}]" if opts.annotated else "")
        rows.append([Paragraph(text(title), s.cell_bold), Paragraph(text(", ".join(names)),
                                                                     s.cell)])
    table = Table(rows, colWidths=[0.28 * width, 0.72 * width], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(rule_style()))
    return [heading(w["schedule"], 0), table]


def scheduled_forms(study: StudyDefinition) -> list[Form]:
    """Every form once, in the order the schedule first uses it (unused forms last)."""
    order: list[str] = []
    for event in study.events:
        order.extend(ref.form for ref in event.forms if ref.form not in order)
    order.extend(form.oid for form in study.forms if form.oid not in order)
    return [study.form(oid) for oid in order]


def crf_story(study: StudyDefinition, opts: CrfOptions, width: float) -> list[Flowable]:
    """The flowables of a blank or annotated CRF document."""
    s = styles()
    w = words(opts.language)
    title = w["atitle"] if opts.annotated else w["title"]
    story: list[Flowable] = [Paragraph(text(title), s.title),
                             para(study.info.title.get(opts.language), s.subtitle)]
    if opts.event_oid:
        event = study.event(opts.event_oid)
        story.append(para(f"{colon(w['event'], opts.language)} "
                          f"{event.name.get(opts.language)}", s.h2))
        forms = [study.form(ref.form) for ref in event.forms]
    elif opts.form_oids:
        forms = [study.form(oid) for oid in opts.form_oids]
    else:
        story.extend(_schedule(study, study.events, opts, width))
        forms = scheduled_forms(study)
    for index, form in enumerate(forms):
        if index or not (opts.event_oid or opts.form_oids):
            story.append(PageBreak())
        story.extend(form_flowables(study, form, opts, width))
    story.append(CondPageBreak(1))
    return story


def crf_title(study: StudyDefinition, opts: CrfOptions) -> str:
    """Document title: kind of CRF, and the event when one is chosen."""
    w = words(opts.language)
    title = w["atitle"] if opts.annotated else w["title"]
    if opts.event_oid:
        title += f" — {study.event(opts.event_oid).name.get(opts.language)}"
    return title


def build_crf(study: StudyDefinition, out: Path | BinaryIO, opts: CrfOptions, *,
              printed_by: str, printed_at: dt.datetime | None = None,
              page_size: PageSize = "A4", progress: Progress | None = None,
              cancelled: Cancelled | None = None) -> RenderResult:
    """Write a blank or annotated CRF PDF (``opts.annotated``) to ``out``."""
    w = words(opts.language)
    info = DocumentInfo(
        title=crf_title(study, opts), subject=w["subject"], printed_by=printed_by,
        printed_at=printed_at or dt.datetime.now(), author=study.info.sponsor,
        keywords=("IFM 2009-02", study.info.registry_id, "CRF"),
        language=opts.language, page_size=page_size)
    width = info.pagesize[0] - 4 * cm
    return render(info, crf_story(study, opts, width), out, progress=progress,
                  cancelled=cancelled)


def build_blank_crf(study: StudyDefinition, out: Path | BinaryIO, *, language: str = "en",
                    event_oid: str | None = None, form_oids: Sequence[str] = (),
                    printed_by: str = "", printed_at: dt.datetime | None = None,
                    page_size: PageSize = "A4", progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> RenderResult:
    """Blank CRF of every form, of one event's set, or of the listed forms."""
    opts = CrfOptions(language, False, event_oid, tuple(form_oids))
    return build_crf(study, out, opts, printed_by=printed_by, printed_at=printed_at,
                     page_size=page_size, progress=progress, cancelled=cancelled)
