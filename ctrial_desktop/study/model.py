"""Typed, immutable definitions of the study metadata (ODM-style).

The names follow CDISC ODM 1.3.2: a study has events (StudyEventDef) which
reference forms (FormDef), made of item groups (ItemGroupDef) of items
(ItemDef) with code lists (CodeList), measurement units (MeasurementUnit) and
range checks. Every model is frozen and refuses unknown keys; checks that need
more than one object (references, duplicate OIDs) are done by the loader.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated, Final, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ctrial_desktop.study.catalogue import COMPUTED_FUNCTIONS


class DefinitionModel(BaseModel):
    """Base of every definition model: frozen, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _oid(prefix: str) -> str:
    return rf"^{re.escape(prefix)}(\.[A-Z][A-Z0-9_]*)+$"


StudyOID = Annotated[str, Field(pattern=r"^S\.[A-Z0-9][A-Z0-9_.-]*$")]
EventOID = Annotated[str, Field(pattern=_oid("SE"))]
FormOID = Annotated[str, Field(pattern=_oid("F"))]
GroupOID = Annotated[str, Field(pattern=_oid("IG"))]
ItemOID = Annotated[str, Field(pattern=_oid("I"))]
CodeListOID = Annotated[str, Field(pattern=_oid("CL"))]
UnitOID = Annotated[str, Field(pattern=_oid("MU"))]
CheckOID = Annotated[str, Field(pattern=_oid("EC"))]
NonEmpty = Annotated[str, Field(min_length=1)]


class Text(DefinitionModel):
    """A user-visible text in every language the application ships (ODM TranslatedText)."""

    en: NonEmpty
    fr: NonEmpty

    def get(self, language: str) -> str:
        """The text in ``language`` (``en`` or ``fr``), English for anything else."""
        return self.fr if language == "fr" else self.en


# --------------------------------------------------------------------------- code lists


class Code(DefinitionModel):
    """One entry of a code list: the stored code and its decode."""

    code: str | int
    decode: Text


class CodeList(DefinitionModel):
    """A list of allowed codes (ODM CodeList)."""

    oid: CodeListOID
    name: NonEmpty
    data_type: Literal["text", "integer"] = "text"
    items: tuple[Code, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_consistent(self) -> CodeList:
        seen: set[str] = set()
        for entry in self.items:
            if self.data_type == "integer" and (
                not isinstance(entry.code, int) or isinstance(entry.code, bool)
            ):
                raise ValueError(f"code {entry.code!r} is not an integer")
            if self.data_type == "text" and not isinstance(entry.code, str):
                raise ValueError(f"code {entry.code!r} is not text (quote it)")
            if str(entry.code) in seen:
                raise ValueError(f"code {entry.code!r} appears twice")
            seen.add(str(entry.code))
        return self

    @property
    def codes(self) -> tuple[str | int, ...]:
        return tuple(entry.code for entry in self.items)

    def decode(self, code: str | int, language: str = "en") -> str | None:
        """The decode of ``code`` in ``language``, or ``None`` when not in the list."""
        for entry in self.items:
            if str(entry.code) == str(code):
                return entry.decode.get(language)
        return None


class Unit(DefinitionModel):
    """A measurement unit (ODM MeasurementUnit)."""

    oid: UnitOID
    symbol: NonEmpty
    name: Text
    #: The French word where the symbol is an English word (``years`` -> ``ans``); symbol
    #: units (``g/L``, ``mg``, ``10^9/L``) are the same in every language and have none.
    symbol_fr: NonEmpty | None = None

    @model_validator(mode="after")
    def _french_word(self) -> Unit:
        if is_word_unit(self.symbol) and self.symbol_fr is None:
            raise ValueError(f"unit {self.oid}: the symbol {self.symbol!r} is a word; give "
                             "its French word in symbol_fr")
        if not is_word_unit(self.symbol) and self.symbol_fr is not None:
            raise ValueError(f"unit {self.oid}: the symbol {self.symbol!r} is the same in "
                             "every language; remove symbol_fr")
        return self

    @property
    def label(self) -> Text:
        """The unit as shown next to a value, in every language."""
        return Text(en=self.symbol, fr=self.symbol_fr or self.symbol)

    def shown(self, language: str) -> str:
        """The unit as shown in ``language`` (``years`` / ``ans``; ``g/L`` in both)."""
        return self.label.get(language)


def is_word_unit(symbol: str) -> bool:
    """A unit written as a word (``years``, ``capsules``) rather than a symbol."""
    return len(symbol) > 2 and symbol.isalpha()


# --------------------------------------------------------------------------- items

ItemType = Literal[
    "text",
    "integer",
    "decimal",
    "date",
    "partial_date",
    "time",
    "yes_no",
    "choice",
    "multi_choice",
    "long_text",
    "computed",
    "ctcae_term",
]

#: ODM 1.3.2 DataType of each item type (computed items take their function's type).
ODM_DATA_TYPES: Final[dict[str, str]] = {
    "text": "text",
    "long_text": "text",
    "integer": "integer",
    "decimal": "float",
    "date": "date",
    "partial_date": "partialDate",
    "time": "time",
    "yes_no": "boolean",
    "multi_choice": "text",
    "ctcae_term": "text",
}

_NUMERIC_TYPES: Final = frozenset({"integer", "decimal", "computed"})
_CODED_TYPES: Final = frozenset({"choice", "multi_choice"})
_DATE_TYPES: Final = frozenset({"date", "partial_date"})


class Range(DefinitionModel):
    """Inclusive limits; either may be absent."""

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min is None and self.max is None:
            raise ValueError("a range needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is greater than max {self.max:g}")
        return self

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def contains_range(self, other: Range) -> bool:
        """True when ``other``'s limits lie inside this range (a missing limit is no limit)."""
        low_ok = self.min is None or other.min is None or other.min >= self.min
        high_ok = self.max is None or other.max is None or other.max <= self.max
        return low_ok and high_ok


class Computed(DefinitionModel):
    """How a computed item is derived: a catalogue function and its input items."""

    function: NonEmpty
    inputs: tuple[ItemOID, ...] = Field(min_length=1)


class Item(DefinitionModel):
    """One field of a form (ODM ItemDef + ItemRef).

    ``range`` is a hard range (a value outside is refused); ``soft_range`` a
    soft one (a value outside asks for confirmation with a reason). Items with
    ``read_only`` are written by the system (randomization result, derived
    response) and shown but never typed in.
    """

    oid: ItemOID
    label: Text
    type: ItemType
    required: bool = False
    unit: UnitOID | None = None
    decimals: Annotated[int, Field(ge=0, le=6)] | None = None
    max_length: Annotated[int, Field(ge=1, le=4000)] | None = None
    codelist: CodeListOID | None = None
    range: Range | None = None
    soft_range: Range | None = None
    visible_if: NonEmpty | None = None
    computed: Computed | None = None
    read_only: bool = False
    allow_future: bool = False
    help: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if (self.type in _CODED_TYPES) != (self.codelist is not None):
            raise ValueError(
                f"type {self.type} needs a codelist"
                if self.type in _CODED_TYPES
                else f"type {self.type} cannot have a codelist"
            )
        if (self.type == "computed") != (self.computed is not None):
            raise ValueError(
                "type computed needs 'computed: {function, inputs}'"
                if self.type == "computed"
                else "only type computed can have 'computed'"
            )
        if self.unit is not None and self.type not in _NUMERIC_TYPES:
            raise ValueError(f"type {self.type} cannot have a unit")
        if self.decimals is not None and self.type not in ("decimal", "computed"):
            raise ValueError(f"type {self.type} cannot have decimals")
        if self.max_length is not None and self.type not in ("text", "long_text"):
            raise ValueError(f"type {self.type} cannot have max_length")
        for name in ("range", "soft_range"):
            if getattr(self, name) is not None and self.type not in _NUMERIC_TYPES:
                raise ValueError(f"type {self.type} cannot have {name}")
        if self.range is not None and self.type == "computed":
            raise ValueError("a computed item can have a soft_range only (it is never typed)")
        if self.allow_future and self.type not in _DATE_TYPES:
            raise ValueError(f"type {self.type} cannot have allow_future")
        if self.type == "computed" and (self.required or self.read_only):
            raise ValueError("a computed item is never required nor read_only (it is derived)")
        if (
            self.range is not None
            and self.soft_range is not None
            and not self.range.contains_range(self.soft_range)
        ):
            raise ValueError("soft_range must lie inside range")
        return self

    @property
    def partial_allowed(self) -> bool:
        """True when a partial date (``UN-UNK-2005``) may be entered."""
        return self.type == "partial_date"

    @property
    def is_entered(self) -> bool:
        """True when a user types the value (not computed, not system-written)."""
        return self.type != "computed" and not self.read_only

    @property
    def value_type(self) -> str:
        """The type of the stored value: the item type, or a computed item's result type."""
        if self.computed is not None:
            function = COMPUTED_FUNCTIONS.get(self.computed.function)
            return function.result_type if function is not None else "text"
        return self.type

    @property
    def odm_data_type(self) -> str:
        """ODM 1.3.2 DataType (``choice`` items: the code list's type, resolved by the caller)."""
        return ODM_DATA_TYPES.get(self.value_type, "text")


class ItemGroup(DefinitionModel):
    """A block of items (ODM ItemGroupDef); repeating groups are tables of rows."""

    oid: GroupOID
    name: Text
    repeating: bool = False
    max_rows: Annotated[int, Field(ge=1)] | None = None
    visible_if: NonEmpty | None = None
    items: tuple[Item, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _rows(self) -> ItemGroup:
        if self.max_rows is not None and not self.repeating:
            raise ValueError("max_rows needs repeating: true")
        return self


class EditCheck(DefinitionModel):
    """A rule on the form's values.

    ``kind: expression`` checks are evaluated by :mod:`ctrial_desktop.domain.checks`;
    true means OK. ``kind: cross_form`` checks name a check of the catalogue
    implemented by the form engine. The message is attached to ``items``.
    """

    oid: CheckOID
    kind: Literal["expression", "cross_form"] = "expression"
    expression: NonEmpty | None = None
    check: NonEmpty | None = None
    severity: Literal["error", "warning"]
    message: Text
    items: tuple[ItemOID, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _kind_fields(self) -> EditCheck:
        if self.kind == "expression" and (self.expression is None or self.check is not None):
            raise ValueError("kind expression needs 'expression' and no 'check'")
        if self.kind == "cross_form" and (self.check is None or self.expression is not None):
            raise ValueError("kind cross_form needs 'check' and no 'expression'")
        return self


class FormRevision(DefinitionModel):
    """One version of a form in its history: when, under which protocol amendment, what
    changed. Data keep the version they were entered with; new entries take the latest."""

    version: NonEmpty
    date: dt.date
    amendment: Text
    changes: Text


class Form(DefinitionModel):
    """A case report form (ODM FormDef)."""

    oid: FormOID
    name: Text
    version: NonEmpty
    description: Text | None = None
    history: tuple[FormRevision, ...] = ()
    item_groups: tuple[ItemGroup, ...] = Field(min_length=1)
    edit_checks: tuple[EditCheck, ...] = ()

    @model_validator(mode="after")
    def _history_ends_with_this_version(self) -> Form:
        versions = [r.version for r in self.history]
        if len(set(versions)) != len(versions):
            raise ValueError("history: each version may appear only once")
        dates = [r.date for r in self.history]
        if dates != sorted(dates):
            raise ValueError("history: versions must be listed oldest first")
        if self.history and versions[-1] != self.version:
            raise ValueError(f"history: the last entry must be the form's version "
                             f"{self.version!r}, not {versions[-1]!r}")
        return self

    def iter_items(self) -> Iterator[tuple[ItemGroup, Item]]:
        """Every item with its group, in form order."""
        for group in self.item_groups:
            for item in group.items:
                yield group, item

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for _, item in self.iter_items())


# --------------------------------------------------------------------------- schedule


def _days(value: object) -> object:
    """Accept ``[1, 8, 15, 22]`` and ``["1-21"]`` (inclusive ranges) as day lists."""
    if isinstance(value, str | int):
        value = [value]
    if not isinstance(value, list | tuple):
        return value
    days: list[object] = []
    for part in value:
        if isinstance(part, str) and re.fullmatch(r"\s*\d+\s*-\s*\d+\s*", part):
            first, last = (int(p) for p in part.split("-"))
            if first > last:
                raise ValueError(f"day range {part!r} is reversed")
            days.extend(range(first, last + 1))
        else:
            days.append(part)
    return days


DayList = Annotated[tuple[Annotated[int, Field(ge=1, le=366)], ...], BeforeValidator(_days)]


class FormRef(DefinitionModel):
    """A form in an event (ODM FormRef), on given cycle days and under a condition."""

    form: FormOID
    required: bool = True
    days: DayList = ()
    applicable_if: NonEmpty | None = None

    @property
    def instance_days(self) -> tuple[int, ...]:
        """The days the form has an instance of its own on: its cycle days, else day 1."""
        return self.days or (1,)


EventRole = Literal[
    "screening",
    "randomization",
    "cycle",
    "end_of_treatment",
    "follow_up",
    "death",
    "adverse_events",
    "concomitant_medications",
]


class Event(DefinitionModel):
    """A visit or a patient-level log (ODM StudyEventDef).

    ``role`` tells the schedule what the event is; cycle events list their
    visit ``days`` and each form ref the days it is due on.
    """

    oid: EventOID
    name: Text
    role: EventRole
    kind: Literal["visit", "log"]
    type: Literal["scheduled", "unscheduled", "common"]
    repeating: bool = False
    days: DayList = ()
    forms: tuple[FormRef, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        is_log = self.role in ("adverse_events", "concomitant_medications")
        if is_log != (self.kind == "log"):
            raise ValueError(f"role {self.role} needs kind {'log' if is_log else 'visit'}")
        if (self.role == "cycle") != bool(self.days):
            raise ValueError("cycle events, and only they, list their visit days")
        seen: set[str] = set()
        for ref in self.forms:
            if ref.form in seen:
                raise ValueError(f"form {ref.form} is listed twice")
            seen.add(ref.form)
            if self.role == "cycle" and not ref.days:
                raise ValueError(f"form {ref.form}: give the cycle days it is due on")
            if self.role != "cycle" and ref.days:
                raise ValueError(f"form {ref.form}: days only apply to cycle events")
            extra = sorted(set(ref.days) - set(self.days))
            if extra:
                raise ValueError(f"form {ref.form}: days {extra} are not visit days of the event")
        return self

    def form_days(self, form_oid: str) -> tuple[int, ...]:
        """The days ``form_oid`` has an instance of its own on in this event (empty when the
        event has no such form): the cycle days it is due on, else day 1."""
        ref = next((r for r in self.forms if r.form == form_oid), None)
        return ref.instance_days if ref is not None else ()


# --------------------------------------------------------------------------- study


class Drug(DefinitionModel):
    """One drug of an arm's regimen."""

    dose_mg: Annotated[float, Field(gt=0)]
    days: DayList = Field(min_length=1)
    route: NonEmpty = "oral"
    frequency: Text

    @property
    def planned_mg_per_cycle(self) -> float:
        return self.dose_mg * len(self.days)


class Arm(DefinitionModel):
    """A treatment arm."""

    code: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]
    letter: Annotated[str, Field(pattern=r"^[A-Z]$")]
    name: Text
    regimen: Text
    pomalidomide: Drug
    dexamethasone: Drug


class Site(DefinitionModel):
    """An investigational site (initial list; administrators add more in the database)."""

    code: Annotated[str, Field(pattern=r"^\d{2}$")]
    name: NonEmpty
    city: NonEmpty
    target_enrolment: Annotated[int, Field(ge=0)]
    principal_investigator: NonEmpty | None = None


class StudyInfo(DefinitionModel):
    """Study identity (ODM GlobalVariables and protocol facts)."""

    oid: StudyOID
    name: NonEmpty
    protocol_name: NonEmpty
    title: Text
    description: Text
    registry_id: Annotated[str, Field(pattern=r"^NCT\d{8}$")]
    sponsor: NonEmpty
    metadata_version: NonEmpty
    languages: tuple[Literal["en", "fr"], ...] = ("en", "fr")
