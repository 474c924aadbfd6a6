"""Read-only outline of one form: what it collects, section by section.

Shown on the right of the patient workspace when a form is selected in the visit
tree: title, version, the form's state in words, when it is due, then every
section with its items (label, kind of answer with ranges or choices, unit,
required marker, condition, help). Data entry itself opens in the form editor.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.model import Form, Item, ItemGroup, Range
from ctrial_desktop.ui.i18n import current_language
from ctrial_desktop.ui.visit_tree import (
    FormStateKind,
    VisitNode,
    day_title,
    readable_condition,
    state_icon,
    state_word,
)

_MAX_CHOICES_SHOWN = 8


class FormOutlinePanel(QWidget):
    """The selected form's outline (read-only). Signals: none."""

    def __init__(self, study: StudyDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study
        self._language = "en"
        self._setup_ui()
        self.clear()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        state_row = QHBoxLayout()
        self.state_icon_label = QLabel()
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        state_row.addWidget(self.state_icon_label)
        state_row.addWidget(self.state_label, 1)
        self.note_label = QLabel(self.tr(
            "Read-only outline of what this form collects. Data entry opens in the form "
            "editor."))
        self.note_label.setWordWrap(True)
        self.note_label.setEnabled(False)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Form outline"))
        layout.addWidget(self.title_label)
        layout.addLayout(state_row)
        layout.addWidget(self.note_label)
        layout.addWidget(self.browser, 1)

    def clear(self) -> None:
        """Show the hint to pick a form."""
        self.title_label.setText(self.tr("No form selected"))
        self.state_icon_label.clear()
        self.state_label.setText(self.tr(
            "Select a form in the visit tree to see what it collects."))
        self.note_label.hide()
        self.browser.clear()

    def show_form(self, node: VisitNode, visit_title: str, language: str) -> None:
        """Show the outline of ``node``'s form, in the visit called ``visit_title``."""
        if node.form_oid is None:
            self.clear()
            return
        self._language = language
        form = self._study.form(node.form_oid)
        title = form.name.get(language)
        self.title_label.setText(day_title(title, node.visit_day) if len(node.days) > 1
                                 else title)
        self.state_icon_label.setPixmap(state_icon(node.state).pixmap(16, 16))
        self.state_label.setText(self.tr("{visit} · version {version} · {state}").format(
            visit=visit_title, version=form.version, state=state_word(node.state)))
        self.note_label.show()
        self.browser.setHtml(self._outline_html(form, node))

    # ------------------------------------------------------------------ html

    def _outline_html(self, form: Form, node: VisitNode) -> str:
        parts: list[str] = []
        if form.description is not None:
            parts.append(f"<p>{html.escape(form.description.get(self._language))}</p>")
        facts = []
        if node.days:
            facts.append(self.tr("Due on cycle day(s) {days}.").format(
                days=", ".join(str(d) for d in node.days)))
        if node.state is FormStateKind.NOT_APPLICABLE:
            facts.append(self.tr("Not applicable to this patient (the condition below is "
                                 "false): nothing is awaited."))
        elif not node.required:
            facts.append(self.tr("Optional: filled in when the examination is done."))
        if node.applicable_if:
            facts.append(self.tr("Only when {condition}.").format(condition=readable_condition(
                self._study, node.applicable_if, self._language)))
        if facts:
            parts.append("<p>" + "<br>".join(html.escape(f) for f in facts) + "</p>")
        count = sum(1 for _ in form.iter_items())
        required = sum(1 for _, item in form.iter_items() if item.required)
        parts.append("<p>" + html.escape(self.tr(
            "Items: {count} · sections: {sections} · required: {required} (marked *)").format(
                count=count, sections=len(form.item_groups), required=required)) + "</p>")
        for group in form.item_groups:
            parts.append(self._group_html(group))
        return "".join(parts)

    def _group_html(self, group: ItemGroup) -> str:
        heading = html.escape(group.name.get(self._language))
        notes = []
        if group.repeating:
            notes.append(self.tr("table, one row per entry") if group.max_rows is None else
                         self.tr("table of up to {rows} rows").format(rows=group.max_rows))
        if group.visible_if:
            notes.append(self.tr("only when {condition}").format(condition=readable_condition(
                self._study, group.visible_if, self._language)))
        if notes:
            heading += f" <small>({html.escape('; '.join(notes))})</small>"
        header = "".join(f"<th align='left' width='{w}'>{html.escape(h)}</th>" for h, w in (
            (self.tr("Item"), "46%"), (self.tr("Answer"), "42%"), (self.tr("Unit"), "12%")))
        rows = "".join(self._item_html(item) for item in group.items)
        return (f"<h3>{heading}</h3><table cellspacing='0' cellpadding='3' width='100%'>"
                f"<tr>{header}</tr>{rows}</table>")

    def _item_html(self, item: Item) -> str:
        label = html.escape(item.label.get(self._language))
        if item.required:
            label = f"<b>{label}&nbsp;*</b>"
        extra = []
        if item.visible_if:
            extra.append(self.tr("only when {condition}").format(condition=readable_condition(
                self._study, item.visible_if, self._language)))
        if item.help is not None:
            extra.append(item.help.get(self._language))
        if extra:
            label += "<br><small>" + "<br>".join(html.escape(e) for e in extra) + "</small>"
        unit = (html.escape(self._study.unit(item.unit).shown(current_language()))
                if item.unit else "")
        answer = html.escape(self.answer_text(item))
        return (f"<tr><td valign='top'>{label}</td><td valign='top'>{answer}</td>"
                f"<td valign='top'>{unit}</td></tr>")

    def answer_text(self, item: Item) -> str:
        """What kind of answer the item takes, in words (ranges and choices included)."""
        kinds = {
            "text": self.tr("Text"),
            "long_text": self.tr("Long text"),
            "integer": self.tr("Whole number"),
            "decimal": self.tr("Number"),
            "date": self.tr("Date"),
            "partial_date": self.tr("Date (day or month may be unknown)"),
            "time": self.tr("Time"),
            "yes_no": self.tr("Yes / No"),
            "ctcae_term": self.tr("CTCAE term (search as you type)"),
        }
        if item.type in ("choice", "multi_choice"):
            codes = self._study.codelist(item.codelist or "").items
            names = [c.decode.get(self._language) for c in codes[:_MAX_CHOICES_SHOWN]]
            if len(codes) > _MAX_CHOICES_SHOWN:
                names.append("…")
            text = (self.tr("One of: {choices}") if item.type == "choice"
                    else self.tr("One or more of: {choices}"))
            return text.format(choices=", ".join(names))
        if item.computed is not None:
            inputs = ", ".join(self._study.item(oid).label.get(self._language)
                               for oid in item.computed.inputs if self._study.has_item(oid))
            text = self.tr("Computed from {inputs}").format(inputs=inputs)
        elif item.read_only:
            text = self.tr("Filled in by the application")
        else:
            text = kinds.get(item.type, item.type)
        limits = []
        if item.range is not None:
            limits.append(self.tr("allowed {range}").format(range=self._range_text(item.range)))
        if item.soft_range is not None:
            limits.append(self.tr("expected {range}").format(
                range=self._range_text(item.soft_range)))
        return f"{text} ({'; '.join(limits)})" if limits else text

    def _range_text(self, value: Range) -> str:
        locale = QLocale()

        def number(x: float) -> str:
            return locale.toString(x, "g", 10)

        if value.min is not None and value.max is not None:
            return f"{number(value.min)}–{number(value.max)}"
        if value.min is not None:
            return f"≥ {number(value.min)}"
        return f"≤ {number(value.max or 0.0)}"
