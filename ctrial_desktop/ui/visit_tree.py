"""The visit tree of one patient: the study's events in schedule order, their forms and states.

The schedule comes from the study definition (PROTOCOL section 8: screening,
randomization, treatment cycles, end of treatment, follow-up, death, then the
patient-level logs); the states from :meth:`PatientService.form_states`. A form
without stored data is "not started". Repeating visits (cycles, follow-up) show
the repeats that have data plus the next one. A form due on several days of a cycle
(the haematology on days 1, 8, 15 and 22) has one row per day, each its own instance
with its own state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel

from ctrial_desktop.services.patients import FormState
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.model import Event, FormRef
from ctrial_desktop.ui.icons import icon

#: Role holding the :class:`VisitNode` of a row.
NODE_ROLE = Qt.ItemDataRole.UserRole + 1

#: Event roles in schedule order (PROTOCOL section 8); logs come last.
SCHEDULE_ORDER = (
    "screening",
    "randomization",
    "cycle",
    "end_of_treatment",
    "follow_up",
    "death",
    "adverse_events",
    "concomitant_medications",
)

COMPLETE_STATUSES = frozenset({"complete", "completed"})


class FormStateKind(StrEnum):
    """What the user needs to know about a form instance, most advanced last."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    VERIFIED = "verified"
    SIGNED = "signed"
    LOCKED = "locked"
    QUERY_OPEN = "query_open"
    NOT_APPLICABLE = "not_applicable"  # a conditional form not due for this patient


#: Progress rank of the states that describe the data workflow (queries stand apart).
_RANK = {
    FormStateKind.NOT_STARTED: 0,
    FormStateKind.IN_PROGRESS: 1,
    FormStateKind.COMPLETE: 2,
    FormStateKind.VERIFIED: 3,
    FormStateKind.SIGNED: 4,
    FormStateKind.LOCKED: 5,
}


def form_state_kind(state: FormState | None, open_queries: int = 0) -> FormStateKind:
    """The state shown for a form: lock, then open query, signature, verification, status."""
    if state is None:
        return FormStateKind.NOT_STARTED
    if state.locked:
        return FormStateKind.LOCKED
    if open_queries > 0:
        return FormStateKind.QUERY_OPEN
    if state.signed:
        return FormStateKind.SIGNED
    if state.verified:
        return FormStateKind.VERIFIED
    if state.status in COMPLETE_STATUSES:
        return FormStateKind.COMPLETE
    return FormStateKind.IN_PROGRESS


def combined_state(kinds: Sequence[FormStateKind], required: Sequence[bool]) -> FormStateKind:
    """State of a visit from its forms' states: any open query wins; else the least
    advanced required form once every required form is complete; else in progress."""
    due = [(k, req) for k, req in zip(kinds, required, strict=True)
           if k is not FormStateKind.NOT_APPLICABLE]
    kinds, required = [k for k, _ in due], [req for _, req in due]
    if not kinds:
        return FormStateKind.NOT_STARTED
    if FormStateKind.QUERY_OPEN in kinds:
        return FormStateKind.QUERY_OPEN
    if all(k is FormStateKind.NOT_STARTED for k in kinds):
        return FormStateKind.NOT_STARTED
    needed = [k for k, req in zip(kinds, required, strict=True) if req] or [
        k for k in kinds if k is not FormStateKind.NOT_STARTED
    ]
    lowest = min(needed, key=_RANK.__getitem__)
    return lowest if _RANK[lowest] >= _RANK[FormStateKind.COMPLETE] else FormStateKind.IN_PROGRESS


def state_word(kind: FormStateKind) -> str:
    """The state in words, in the user's language."""
    words = {
        FormStateKind.NOT_STARTED: QCoreApplication.translate("FormState", "Not started"),
        FormStateKind.IN_PROGRESS: QCoreApplication.translate("FormState", "In progress"),
        FormStateKind.COMPLETE: QCoreApplication.translate("FormState", "Complete"),
        FormStateKind.VERIFIED: QCoreApplication.translate("FormState", "Source verified"),
        FormStateKind.SIGNED: QCoreApplication.translate("FormState", "Signed"),
        FormStateKind.LOCKED: QCoreApplication.translate("FormState", "Locked"),
        FormStateKind.QUERY_OPEN: QCoreApplication.translate("FormState", "Query open"),
        FormStateKind.NOT_APPLICABLE: QCoreApplication.translate("FormState", "Not applicable"),
    }
    return words[kind]


def state_icon_name(kind: FormStateKind) -> str:
    """Icon file of a state: empty circle, half circle, tick, double tick, pen, padlock, ?."""
    return {
        FormStateKind.NOT_STARTED: "state-not-started",
        FormStateKind.IN_PROGRESS: "state-in-progress",
        FormStateKind.COMPLETE: "state-complete",
        FormStateKind.VERIFIED: "state-verified",
        FormStateKind.SIGNED: "state-signed",
        FormStateKind.LOCKED: "state-locked",
        FormStateKind.QUERY_OPEN: "state-query",
        FormStateKind.NOT_APPLICABLE: "state-not-applicable",
    }[kind]


def state_icon(kind: FormStateKind) -> QIcon:
    return icon(state_icon_name(kind))


def day_title(form_name: str, day: int) -> str:
    """A form instance of one day of the visit: "Haematology · day 8" ("· J8" in French)."""
    return QCoreApplication.translate("VisitTreeModel", "{form} · day {day}").format(
        form=form_name, day=day)


def study_language() -> str:
    """Language of the study definition's texts: the one of the user interface."""
    return "fr" if QLocale().language() == QLocale.Language.French else "en"


@dataclass(frozen=True)
class VisitNode:
    """What a row of the tree stands for: an event instance, or a form in it."""

    event_oid: str
    event_repeat: int
    form_oid: str | None
    state: FormStateKind
    required: bool = True
    days: tuple[int, ...] = ()
    applicable_if: str | None = None
    form_data_id: int | None = None
    open_queries: int = 0
    # The day of the visit of this form instance (cycle day; 1 for forms due once).
    visit_day: int = 1

    @property
    def is_form(self) -> bool:
        return self.form_oid is not None


def event_instances(
    study: StudyDefinition, states: Iterable[FormState]
) -> list[tuple[Event, int]]:
    """Events in schedule order with their repeat numbers (repeats with data, then the next)."""
    repeats: dict[str, set[int]] = {}
    for state in states:
        repeats.setdefault(state.event_oid, set()).add(state.event_repeat)
    rank = {role: i for i, role in enumerate(SCHEDULE_ORDER)}
    ordered = sorted(enumerate(study.events), key=lambda p: (rank.get(p[1].role, 99), p[0]))
    instances: list[tuple[Event, int]] = []
    for _, event in ordered:
        if event.repeating:
            done = sorted(repeats.get(event.oid, ()))
            instances += [(event, r) for r in done]
            instances.append((event, (done[-1] if done else 0) + 1))
        else:
            instances.append((event, 1))
    return instances


def readable_condition(study: StudyDefinition, expression: str, language: str) -> str:
    """An ``applicable_if`` expression with item OIDs replaced by the items' labels."""

    def decoded(match: re.Match[str]) -> str:
        oid, operator, code = match.group(1), match.group(2), match.group(3)
        if not study.has_item(oid) or study.item(oid).codelist is None:
            return match.group(0)
        item = study.item(oid)
        decode = study.codelist(item.codelist or "").decode(code.strip("'\""), language)
        sign = "=" if operator == "==" else "≠"
        return f"«{item.label.get(language)}» {sign} {decode}" if decode else match.group(0)

    def decode_all(oid: str, codes: str) -> str | None:
        item = study.item(oid) if study.has_item(oid) else None
        if item is None or item.codelist is None:
            return None
        values = [c.strip().strip("'\"") for c in codes.split(",") if c.strip()]
        names = [study.codelist(item.codelist).decode(v, language) or v for v in values]
        return ", ".join(names)

    def one_of(match: re.Match[str]) -> str:
        names = decode_all(match.group(1), match.group(2))
        if names is None:
            return match.group(0)
        text = QCoreApplication.translate("VisitTreeModel", "«{item}» is one of {codes}")
        return text.format(item=study.item(match.group(1)).label.get(language), codes=names)

    def includes(match: re.Match[str]) -> str:
        names = decode_all(match.group(2), match.group(1))
        if names is None:
            return match.group(0)
        text = QCoreApplication.translate("VisitTreeModel", "«{item}» includes {code}")
        return text.format(item=study.item(match.group(2)).label.get(language), code=names)

    def label(match: re.Match[str]) -> str:
        oid = match.group(0)
        return f"«{study.item(oid).label.get(language)}»" if study.has_item(oid) else oid

    text = re.sub(r"\b(I(?:\.[A-Z][A-Z0-9_]*)+)\s*(==|!=)\s*('[^']*'|\"[^\"]*\"|-?\d+)",
                  decoded, expression)
    text = re.sub(r"\b(I(?:\.[A-Z][A-Z0-9_]*)+)\s+in\s+\[([^\]]*)\]", one_of, text)
    text = re.sub(r"('[^']*')\s+in\s+(I(?:\.[A-Z][A-Z0-9_]*)+)", includes, text)
    text = re.sub(r"(?<!«)\bI(?:\.[A-Z][A-Z0-9_]*)+", label, text)
    present = QCoreApplication.translate("VisitTreeModel", "{item} is filled in")
    text = re.sub(r"is_present\((«[^»]*»)\)", lambda m: present.format(item=m.group(1)), text)
    yes = QCoreApplication.translate("VisitTreeModel", "yes")
    no = QCoreApplication.translate("VisitTreeModel", "no")
    return text.replace("== True", "= " + yes).replace("== False", "= " + no)


class VisitTreeModel(QStandardItemModel):
    """Two columns (visit or form, state in words); each row carries a :class:`VisitNode`.

    Signals: only the standard ones of :class:`QStandardItemModel`.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([self.tr("Visit / form"), self.tr("State")])

    def load(
        self,
        study: StudyDefinition,
        states: Sequence[FormState],
        language: str = "en",
        open_queries: Mapping[int, int] | None = None,
        not_applicable: AbstractSet[tuple[str, str]] = frozenset(),
    ) -> None:
        """Rebuild the tree for one patient's stored forms; ``not_applicable`` names the
        (event, form) whose condition excludes this patient (shown, not awaited, unless
        data were entered anyway)."""
        queries = open_queries or {}
        by_key = {(s.event_oid, s.event_repeat, s.form_oid, s.visit_day): s for s in states}
        self.removeRows(0, self.rowCount())
        for event, repeat in event_instances(study, states):
            forms: list[tuple[FormRef, VisitNode]] = []
            for ref in event.forms:
                for day in ref.instance_days:
                    stored = by_key.get((event.oid, repeat, ref.form, day))
                    count = queries.get(stored.form_data_id, 0) if stored else 0
                    kind = form_state_kind(stored, count)
                    if stored is None and (event.oid, ref.form) in not_applicable:
                        kind = FormStateKind.NOT_APPLICABLE
                    forms.append((ref, VisitNode(
                        event.oid, repeat, ref.form, kind,
                        ref.required and kind is not FormStateKind.NOT_APPLICABLE,
                        ref.days, ref.applicable_if,
                        stored.form_data_id if stored else None, count, day)))
            kind = combined_state([n.state for _, n in forms], [n.required for _, n in forms])
            node = VisitNode(event.oid, repeat, None, kind, days=event.days,
                             open_queries=sum(n.open_queries for _, n in forms))
            name = event.name.get(language)
            title = (self.tr("{event} {number}").format(event=name, number=repeat)
                     if event.repeating else name)
            event_row = self._row(title, node, icon("log" if event.kind == "log" else "visit"))
            for ref, form_node in forms:
                event_row[0].appendRow(self._form_row(study, ref, form_node, language))
            self.appendRow(event_row)

    def _form_row(self, study: StudyDefinition, ref: FormRef, node: VisitNode,
                  language: str) -> list[QStandardItem]:
        form = study.form(ref.form)
        title = form.name.get(language)
        if len(ref.days) > 1:
            title = day_title(title, node.visit_day)
        row = self._row(title, node, QIcon())  # the state column carries the icon
        tips = [self.tr("{form}, version {version}: {state}").format(
            form=title, version=form.version, state=state_word(node.state))]
        if not ref.required:
            tips.append(self.tr("Optional: filled in when done."))
        if ref.applicable_if:
            tips.append(self.tr("Only when: {condition}").format(
                condition=readable_condition(study, ref.applicable_if, language)))
        for item in row:
            item.setToolTip("\n".join(tips))
        return row

    def _row(self, title: str, node: VisitNode, decoration: QIcon) -> list[QStandardItem]:
        word = state_word(node.state)
        if node.state is FormStateKind.QUERY_OPEN and node.open_queries:
            word = self.tr("{state} ({count})").format(state=word, count=node.open_queries)
        name = QStandardItem(decoration, title)
        state = QStandardItem(state_icon(node.state), word)
        for item in (name, state):
            item.setEditable(False)
            item.setData(node, NODE_ROLE)
            item.setToolTip(self.tr("{title}: {state}").format(title=title, state=word))
        name.setAccessibleText(self.tr("{title}, {state}").format(title=title, state=word))
        return [name, state]

    def node(self, index: QModelIndex | QPersistentModelIndex) -> VisitNode | None:
        """The node of the row of ``index`` (any column)."""
        if not index.isValid():
            return None
        value = index.siblingAtColumn(0).data(NODE_ROLE)
        return value if isinstance(value, VisitNode) else None

    def index_of(self, event_oid: str, event_repeat: int, form_oid: str | None,
                 day: int | None = None) -> QModelIndex:
        """Index (column 0) of a visit or form row, invalid when not in the tree; ``day``
        picks the instance of a form due on several days (None: its first day)."""
        for event_row in range(self.rowCount()):
            event_index = self.index(event_row, 0)
            node = self.node(event_index)
            if node is None or (node.event_oid, node.event_repeat) != (event_oid, event_repeat):
                continue
            if form_oid is None:
                return event_index
            for form_row in range(self.rowCount(event_index)):
                child = self.index(form_row, 0, event_index)
                child_node = self.node(child)
                if child_node is not None and child_node.form_oid == form_oid and (
                        day is None or child_node.visit_day == day):
                    return child
        return QModelIndex()
