"""The loaded study definition and its look-ups."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import model_validator

from ctrial_desktop.study.model import (
    Arm,
    CodeList,
    DefinitionModel,
    Event,
    Form,
    Item,
    ItemGroup,
    Site,
    StudyInfo,
    Unit,
)
from ctrial_desktop.study.settings import SettingEntry, StudySettings


class StudyDefinition(DefinitionModel):
    """Everything in ``forms/``: identity, sites, arms, schedule, settings, forms.

    Build it with :func:`ctrial_desktop.study.load_study`; look-ups raise
    :class:`KeyError` naming the missing OID.
    """

    info: StudyInfo
    sites: tuple[Site, ...]
    arms: tuple[Arm, ...]
    events: tuple[Event, ...]
    settings: StudySettings
    setting_entries: tuple[SettingEntry, ...]
    codelists: tuple[CodeList, ...]
    units: tuple[Unit, ...]
    forms: tuple[Form, ...]

    @model_validator(mode="after")
    def _index(self) -> StudyDefinition:
        self._forms = {f.oid: f for f in self.forms}
        self._items: dict[str, tuple[Form, ItemGroup, Item]] = {}
        self._groups: dict[str, tuple[Form, ItemGroup]] = {}
        for form in self.forms:
            for group in form.item_groups:
                self._groups[group.oid] = (form, group)
                for item in group.items:
                    self._items[item.oid] = (form, group, item)
        self._codelists = {c.oid: c for c in self.codelists}
        self._units = {u.oid: u for u in self.units}
        self._events = {e.oid: e for e in self.events}
        self._arms = {a.code: a for a in self.arms}
        self._sites = {s.code: s for s in self.sites}
        return self

    @staticmethod
    def _get(index: dict[str, object], key: str, what: str) -> object:
        try:
            return index[key]
        except KeyError:
            raise KeyError(f"no {what} {key!r} in the study definition") from None

    def form(self, oid: str) -> Form:
        return self._get(self._forms, oid, "form")  # type: ignore[return-value]

    def item(self, oid: str) -> Item:
        return self._get(self._items, oid, "item")[2]  # type: ignore[index]

    def item_group(self, oid: str) -> ItemGroup:
        return self._get(self._groups, oid, "item group")[1]  # type: ignore[index]

    def form_of_item(self, oid: str) -> Form:
        return self._get(self._items, oid, "item")[0]  # type: ignore[index]

    def group_of_item(self, oid: str) -> ItemGroup:
        return self._get(self._items, oid, "item")[1]  # type: ignore[index]

    def codelist(self, oid: str) -> CodeList:
        return self._get(self._codelists, oid, "code list")  # type: ignore[return-value]

    def unit(self, oid: str) -> Unit:
        return self._get(self._units, oid, "unit")  # type: ignore[return-value]

    def event(self, oid: str) -> Event:
        return self._get(self._events, oid, "event")  # type: ignore[return-value]

    def arm(self, code: str) -> Arm:
        return self._get(self._arms, code, "arm")  # type: ignore[return-value]

    def site(self, code: str) -> Site:
        return self._get(self._sites, code, "site")  # type: ignore[return-value]

    def has_item(self, oid: str) -> bool:
        return oid in self._items

    def iter_items(self) -> Iterator[tuple[Form, ItemGroup, Item]]:
        """Every item of every form, with its form and group."""
        yield from self._items.values()

    def odm_data_type(self, item: Item) -> str:
        """ODM 1.3.2 DataType of an item; a choice takes its code list's type."""
        if item.type == "choice" and item.codelist is not None:
            return self.codelist(item.codelist).data_type
        return item.odm_data_type

    def events_with_form(self, form_oid: str) -> tuple[Event, ...]:
        """The events whose schedule includes the form."""
        return tuple(e for e in self.events if any(r.form == form_oid for r in e.forms))

    def setting(self, path: str) -> SettingEntry:
        """The provenance record of a setting, by dotted path (``security.idle_lock_minutes``)."""
        for entry in self.setting_entries:
            if entry.path == path:
                return entry
        raise KeyError(f"no setting {path!r} in the study definition")

    @property
    def cycle_length_days(self) -> int:
        return self.settings.visits.cycle_length_days
