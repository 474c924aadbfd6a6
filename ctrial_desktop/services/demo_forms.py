"""Saving demo CRF data through :class:`FormService`, one audited save per form instance.

The demo generator describes a form as plain Python values (dates, numbers, booleans,
lists of codes) per item, row by row; :class:`FormWriter` turns them into the canonical
texts the form service expects (dates ``2011-03-12``, yes/no ``Y``/``N``, decimals with
the item's number of places, codes joined by ``,``), saves, and confirms values outside
a soft range the way a coordinator does after checking the source document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ctrial_desktop.services.errors import ValidationError
from ctrial_desktop.services.forms import FormService, SaveResult, ValueKey
from ctrial_desktop.study import StudyDefinition

#: Reason kept with a value outside its soft range (the coordinator checked the source).
CONFIRMATION = "Value checked against the source document"

Value = str | int | float | bool | dt.date | Iterable[str] | None
Row = Mapping[str, Value]


def canonical(value: Value, decimals: int | None) -> str | None:
    """The canonical text of a demo value (None for no value)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.{1 if decimals is None else decimals}f}"
    if isinstance(value, int):
        return str(value) if not decimals else f"{value:.{decimals}f}"
    if isinstance(value, str):
        return value
    return ",".join(value)


@dataclass
class FormWriter:
    """Saves demo forms for one user; counts the saves (``saved``) per form OID."""

    service: FormService
    study: StudyDefinition
    saved: dict[str, int] = field(default_factory=dict)

    def _groups(self, form_oid: str) -> dict[str, str]:
        """Item OID -> item group OID of a form."""
        return {item.oid: group.oid for group, item in self.study.form(form_oid).iter_items()}

    def values(self, form_oid: str, rows: Mapping[str, Row | list[Row]]
               ) -> dict[ValueKey, str]:
        """``rows`` maps a group OID to one row (non-repeating) or a list of rows."""
        del form_oid
        out: dict[ValueKey, str] = {}
        for group_oid, content in rows.items():
            row_list = content if isinstance(content, list) else [content]
            for repeat, row in enumerate(row_list, start=1):
                for item_oid, value in row.items():
                    item = self.study.item(item_oid)
                    text = canonical(value, item.decimals)
                    if text is not None:
                        out[ValueKey(group_oid, repeat, item_oid)] = text
        return out

    def save(self, patient_id: int, event_oid: str, event_repeat: int, form_oid: str,
             items: Mapping[str, Value], rows: Mapping[str, Row | list[Row]] | None = None,
             *, expected_version: int = 0, day: int | None = None) -> SaveResult:
        """Save a form: ``items`` of non-repeating groups by OID, ``rows`` of repeating ones
        (``day``: the visit day of a form due on several days, None its first)."""
        groups = self._groups(form_oid)
        flat: dict[str, dict[str, Value]] = {}
        for item_oid, value in items.items():
            flat.setdefault(groups[item_oid], {})[item_oid] = value
        values = self.values(form_oid, {**flat, **(rows or {})})
        try:
            result = self.service.save(patient_id, event_oid, event_repeat, form_oid, values,
                                       expected_version=expected_version, day=day)
        except ValidationError as exc:
            if not str(exc).startswith("Confirm value"):
                raise
            keys = {str(k): k for k in values}
            keys |= {str(ValueKey(g.oid, 1, i.oid)): ValueKey(g.oid, 1, i.oid)
                     for g, i in self.study.form(form_oid).iter_items()}
            confirmations = {keys[name]: CONFIRMATION for name in exc.fields if name in keys}
            result = self.service.save(patient_id, event_oid, event_repeat, form_oid, values,
                                       expected_version=expected_version,
                                       confirmations=confirmations, day=day)
        self.saved[form_oid] = self.saved.get(form_oid, 0) + 1
        return result
