"""What the user has entered in an open form, before it is saved (no Qt).

The buffer holds the canonical text of every value, the raw text of inputs the
service could not read, the reasons given for confirmed warnings and for changed
or removed saved values, and answers the questions the editor asks: which
items are visible, which saved values changed, what the repeats of a table are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from ctrial_desktop.domain.checks import Expression, parse
from ctrial_desktop.services.forms import FormSnapshot, ValueKey
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.model import Form, Item, ItemGroup


def typed_value(study: StudyDefinition, item: Item, canonical: str | None) -> object:
    """A canonical text as the expression language expects it (None when unreadable)."""
    if canonical is None or canonical == "":
        return None
    kind = item.value_type
    try:
        if kind == "integer":
            return int(canonical)
        if kind == "decimal":
            return Decimal(canonical)
        if kind == "date":
            return dt.date.fromisoformat(canonical)
        if kind == "time":
            return dt.time.fromisoformat(canonical)
        if kind == "yes_no":
            return canonical == "Y"
        if kind == "choice" and item.codelist is not None:
            if study.codelist(item.codelist).data_type == "integer":
                return int(canonical)
            return canonical
        if kind == "multi_choice":
            return [code for code in canonical.split(",") if code]
    except (ValueError, InvalidOperation):
        return None
    return canonical


class EditBuffer:
    """The values of one form instance as being edited, against its last saved snapshot."""

    def __init__(self, study: StudyDefinition, form: Form, snapshot: FormSnapshot) -> None:
        self.study = study
        self.form = form
        self._groups = {group.oid: group for group in form.item_groups}
        self._items = {(group.oid, item.oid): item for group, item in form.iter_items()}
        self._order = {name: index for index, name in enumerate(self._items)}
        self._group_order = {group.oid: index for index, group in enumerate(form.item_groups)}
        self._expressions: dict[str, Expression] = {}
        self.snapshot = snapshot
        self.values: dict[ValueKey, str] = {}
        self.invalid: dict[ValueKey, str] = {}
        self.confirmations: dict[ValueKey, str] = {}
        self.reasons: dict[ValueKey, str] = {}
        self.reset(snapshot)

    def reset(self, snapshot: FormSnapshot) -> None:
        """Start again from a saved snapshot (after opening or saving)."""
        self.snapshot = snapshot
        self.values = dict(snapshot.values)
        self.invalid.clear()
        self.confirmations.clear()
        self.reasons.clear()

    def item(self, key: ValueKey) -> Item:
        return self._items[(key.group_oid, key.item_oid)]

    def group(self, group_oid: str) -> ItemGroup:
        return self._groups[group_oid]

    def knows(self, key: ValueKey) -> bool:
        return (key.group_oid, key.item_oid) in self._items

    def set_value(self, key: ValueKey, canonical: str | None, raw: str = "") -> None:
        """Record a checked input: its canonical text, or the raw text the service refused."""
        previous = self.values.get(key)
        if canonical is None or canonical == "":
            self.values.pop(key, None)
        else:
            self.values[key] = canonical
        if canonical is None and raw:
            self.invalid[key] = raw
        else:
            self.invalid.pop(key, None)
        if previous != self.values.get(key):
            self.confirmations.pop(key, None)

    def set_computed(self, computed: Mapping[ValueKey, str]) -> None:
        """Replace the computed values by the service's latest ones."""
        for key in [k for k in self.values if self.knows(k) and self.item(k).type == "computed"]:
            del self.values[key]
        self.values.update({k: v for k, v in computed.items() if v not in (None, "")})

    def entered_values(self) -> dict[ValueKey, str]:
        """What is sent to the service: every value except the computed ones."""
        return {k: v for k, v in self.values.items()
                if not (self.knows(k) and self.item(k).type == "computed")}

    def draft_values(self) -> dict[ValueKey, str]:
        """Entered values plus the raw text of refused inputs (nothing typed is lost)."""
        return {**self.entered_values(), **self.invalid}

    def changed_saved_keys(self) -> list[ValueKey]:
        """Saved (entered) values that are now different or removed, in form order."""
        changed = []
        for key, old in self.snapshot.values.items():
            if self.knows(key) and self.item(key).type == "computed":
                continue
            if self.values.get(key) != old:
                changed.append(key)
        return sorted(changed, key=self.form_order)

    def form_order(self, key: ValueKey) -> tuple[int, int, int]:
        """Sort key putting values in the order of the form (a table row by row)."""
        return (self._group_order.get(key.group_oid, len(self._group_order)), key.repeat,
                self._order.get((key.group_oid, key.item_oid), len(self._order)))

    def is_dirty(self) -> bool:
        saved = {k: v for k, v in self.snapshot.values.items()
                 if not (self.knows(k) and self.item(k).type == "computed")}
        return bool(self.invalid) or self.entered_values() != saved

    def is_confirmed(self, key: ValueKey) -> bool:
        if key in self.confirmations:
            return True
        return (key in self.snapshot.confirmed_warnings
                and self.values.get(key) == self.snapshot.values.get(key))

    def saved_repeats(self, group_oid: str) -> set[int]:
        return {k.repeat for k in self.snapshot.values if k.group_oid == group_oid}

    def repeats(self, group_oid: str) -> list[int]:
        """Repeat numbers holding a value (saved, entered or refused) in a group."""
        keys = list(self.values) + list(self.invalid)
        return sorted({k.repeat for k in keys if k.group_oid == group_oid})

    def remove_row(self, group_oid: str, repeat: int, reason: str | None) -> None:
        """Drop every value of a row; a saved row's values get ``reason``."""
        for key in [k for k in list(self.values) + list(self.invalid)
                    if k.group_oid == group_oid and k.repeat == repeat]:
            self.values.pop(key, None)
            self.invalid.pop(key, None)
            self.confirmations.pop(key, None)
            if reason and key in self.snapshot.values:
                self.reasons[key] = reason

    def typed_values(self, repeat_of: Mapping[str, int] | None = None) -> dict[str, object]:
        """Values by item OID for expressions: non-repeating items, plus one row per group.

        ``repeat_of`` maps a repeating group OID to the row to take.
        """
        typed: dict[str, object] = {}
        for key, canonical in self.values.items():
            if not self.knows(key):
                continue
            group = self._groups[key.group_oid]
            if group.repeating and (repeat_of or {}).get(group.oid) != key.repeat:
                continue
            typed[key.item_oid] = typed_value(self.study, self.item(key), canonical)
        return typed

    def holds(self, source: str | None, typed: Mapping[str, object]) -> bool:
        """Whether a ``visible_if`` condition holds (no condition: always)."""
        if source is None:
            return True
        if source not in self._expressions:
            self._expressions[source] = parse(source)
        return self._expressions[source].holds(typed)
