"""Read ``forms/*.yaml`` into a validated :class:`StudyDefinition`.

``study.yaml`` holds identity, sites, arms, events and settings;
``codelists.yaml`` the code lists and measurement units; every other
``*.yaml`` file one form. Every problem found is reported with the file, the
line and the field, all at once, in a :class:`StudyDefinitionError`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ctrial_desktop.domain.checks import Expression, ExpressionError, parse
from ctrial_desktop.study.catalogue import COMPUTED_FUNCTIONS, CROSS_FORM_CHECKS
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.model import (
    Arm,
    CodeList,
    DefinitionModel,
    Event,
    Form,
    Item,
    Site,
    StudyInfo,
    Unit,
)
from ctrial_desktop.study.settings import SettingEntry, StudySettings

STUDY_FILE = "study.yaml"
CODELISTS_FILE = "codelists.yaml"

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One problem of the study definition, located."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class StudyDefinitionError(Exception):
    """The study definition is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the study definition"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


def _format_loc(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _Document:
    """One YAML file: its data, its node tree (for line numbers) and its problems."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.name = path.name
        self.problems = problems
        self.node: yaml.Node | None = None
        self.data: Any = None
        self.ok = False
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.add(None, "", "file not found")
            return
        except (OSError, UnicodeDecodeError) as exc:
            self.add(None, "", f"cannot read the file ({exc})")
            return
        loader = _SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                self.add(1, "", "the file is empty")
                return
            if self._check_duplicate_keys(node):
                self.node = node
                self.data = loader.construct_document(node)
                self.ok = True
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            self.add(line, "", f"YAML syntax error: {exc.problem or exc}")
        except yaml.YAMLError as exc:
            self.add(None, "", f"YAML error: {exc}")
        finally:
            loader.dispose()

    def add(self, line: int | None, field: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, field, message))

    def _check_duplicate_keys(self, root: yaml.Node) -> bool:
        ok = True
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                seen: set[str] = set()
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode):
                        if key.value in seen:
                            self.add(key.start_mark.line + 1, str(key.value), "duplicate key")
                            ok = False
                        seen.add(key.value)
                    stack.append(value)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
        return ok

    # ------------------------------------------------------------------ locating

    def locate(self, loc: Loc) -> tuple[int | None, Loc]:
        """Line of the deepest node found along ``loc``, and the part of ``loc`` found."""
        node = self.node
        if node is None:
            return None, ()
        line = node.start_mark.line + 1
        found: list[str | int] = []
        for part in loc:
            nxt: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                        line, nxt = key.start_mark.line + 1, value
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                nxt = node.value[part]
                line = nxt.start_mark.line + 1
            if nxt is None:
                break
            found.append(part)
            node = nxt
        return line, tuple(found)

    def owner_oid(self, loc: Loc) -> str | None:
        """The OID of the innermost object along ``loc`` (for messages)."""
        data, oid = self.data, None
        for part in loc:
            if isinstance(data, dict) and isinstance(data.get("oid"), str):
                oid = data["oid"]
            try:
                data = data[part]
            except (KeyError, IndexError, TypeError):
                break
        if isinstance(data, dict) and isinstance(data.get("oid"), str):
            oid = data["oid"]
        return oid

    def problem(self, loc: Loc, message: str) -> None:
        line, _ = self.locate(loc)
        oid = self.owner_oid(loc)
        field = _format_loc(loc)
        self.add(line, f"{field} ({oid})" if oid and field else field, message)

    def validate(self, model: type[M], data: Any, loc: Loc) -> M | None:
        """Validate ``data`` (found at ``loc`` in this file) as ``model``."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                self._pydantic_problem(loc, error)
            return None

    def _pydantic_problem(self, prefix: Loc, error: Any) -> None:
        full = prefix + tuple(error["loc"])
        line, found = self.locate(full)
        shown = found
        if error["type"] == "missing" and len(found) < len(full):
            shown = (*found, full[len(found)])
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "missing":
            message = "required field is missing"
        oid = self.owner_oid(shown)
        field = _format_loc(shown)
        self.add(line, f"{field} ({oid})" if oid and field else field, message)


def _as_list(doc: _Document, data: Any, loc: Loc) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        doc.problem(loc, "must be a list")
        return []
    return data


def _as_mapping(doc: _Document, data: Any, loc: Loc) -> dict[str, Any]:
    if not isinstance(data, dict):
        doc.problem(loc, "must be a mapping of keys to values")
        return {}
    return data


def _validate_list(doc: _Document, model: type[M], data: Any, loc: Loc) -> list[M]:
    out: list[M] = []
    for index, entry in enumerate(_as_list(doc, data, loc)):
        validated = doc.validate(model, entry, (*loc, index))
        if validated is not None:
            out.append(validated)
    return out


def _check_keys(doc: _Document, data: dict[str, Any], allowed: set[str], loc: Loc) -> None:
    for key in data:
        if key not in allowed:
            doc.problem((*loc, key), "unknown key")
    for key in sorted(allowed - set(data)):
        doc.problem(loc, f"required section {key!r} is missing")


class _SettingShape(DefinitionModel):
    value: Any
    status: Any
    description: str
    description_fr: str | None = None
    source: str | None = None
    source_fr: str | None = None


def _load_settings(
    doc: _Document, data: Any
) -> tuple[StudySettings | None, tuple[SettingEntry, ...]]:
    loc: Loc = ("settings",)
    sections = _as_mapping(doc, data, loc)
    values: dict[str, dict[str, Any]] = {}
    entries: list[SettingEntry] = []
    failed: set[tuple[str, str]] = set()  # already reported: not "missing" again
    for section, settings in sections.items():
        values[section] = {}
        if not isinstance(settings, dict):
            doc.problem((*loc, section), "must be a mapping of settings")
            continue
        for name, raw in settings.items():
            where = (*loc, section, name)
            if not isinstance(raw, dict):
                doc.problem(where, "write {value, status, description}")
                continue
            shape = doc.validate(_SettingShape, raw, where)
            if shape is None:
                failed.add((section, name))
                continue
            values[section][name] = shape.value
            entry = doc.validate(
                SettingEntry,
                {
                    "path": f"{section}.{name}",
                    "value": shape.value,
                    "status": shape.status,
                    "description": shape.description,
                    "description_fr": shape.description_fr,
                    "source": shape.source,
                    "source_fr": shape.source_fr,
                },
                where,
            )
            if entry is not None:
                entries.append(entry)
    try:
        return StudySettings.model_validate(values), tuple(entries)
    except ValidationError as exc:
        for error in exc.errors():
            err_loc = tuple(error["loc"])
            if tuple(str(p) for p in err_loc[:2]) in failed:
                continue
            if (
                error["type"] != "extra_forbidden"
                and len(err_loc) >= 2
                and err_loc[1] in values.get(str(err_loc[0]), {})
            ):
                err_loc = (*err_loc[:2], "value", *err_loc[2:])
            doc._pydantic_problem(loc, {**error, "loc": err_loc})
        return None, tuple(entries)


# --------------------------------------------------------------------------- cross checks


class _Checker:
    """Cross-object validation of the parsed definition, with located problems."""

    def __init__(
        self,
        study_doc: _Document,
        codelists_doc: _Document,
        forms: list[tuple[_Document, Form]],
        codelists: list[CodeList],
        units: list[Unit],
    ) -> None:
        self.study_doc = study_doc
        self.codelists_doc = codelists_doc
        self.forms = forms
        self.codelists = {c.oid: c for c in codelists}
        self.units = {u.oid: u for u in units}
        self.items: dict[str, Item] = {}
        self.form_oids: set[str] = set()

    def check_unique_oids(self, events: list[Event]) -> None:
        seen: dict[str, str] = {}

        def claim(doc: _Document, oid: str, loc: Loc) -> None:
            if oid in seen:
                doc.problem((*loc, "oid"), f"duplicate OID {oid} (first defined in {seen[oid]})")
            else:
                line, _ = doc.locate((*loc, "oid"))
                seen[oid] = f"{doc.name}:{line}"

        for i, codelist in enumerate(self.codelists.values()):
            claim(self.codelists_doc, codelist.oid, ("codelists", i))
        for i, unit in enumerate(self.units.values()):
            claim(self.codelists_doc, unit.oid, ("units", i))
        for i, event in enumerate(events):
            claim(self.study_doc, event.oid, ("events", i))
        for doc, form in self.forms:
            claim(doc, form.oid, ())
            self.form_oids.add(form.oid)
            for g, group in enumerate(form.item_groups):
                claim(doc, group.oid, ("item_groups", g))
                for i, item in enumerate(group.items):
                    claim(doc, item.oid, ("item_groups", g, "items", i))
                    self.items.setdefault(item.oid, item)
            for c, check in enumerate(form.edit_checks):
                claim(doc, check.oid, ("edit_checks", c))

    def expression(self, doc: _Document, source: str, loc: Loc) -> Expression | None:
        try:
            expression = parse(source)
        except ExpressionError as exc:
            doc.problem(loc, f"invalid expression: {exc}")
            return None
        for ref in sorted(expression.references):
            if ref not in self.items:
                doc.problem(loc, f"unknown item {ref} in expression")
        self._check_codes(doc, expression, loc)
        return expression

    def _check_codes(self, doc: _Document, expression: Expression, loc: Loc) -> None:
        """Comparisons of a coded item with literals must use codes of its code list."""
        for node in ast.walk(expression.tree):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            for ref in (self._coded_item(o) for o in operands):
                if ref is None:
                    continue
                codes = {str(code) for code in self.codelists[ref.codelist or ""].codes}
                for other in operands:
                    for literal in self._literals(other):
                        if str(literal) not in codes:
                            doc.problem(
                                loc,
                                f"{literal!r} is not a code of {ref.codelist} (item {ref.oid})",
                            )

    def _coded_item(self, node: ast.expr) -> Item | None:
        if not isinstance(node, ast.Attribute):
            return None
        parts: list[str] = []
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            parts.append(current.attr)
            current = current.value
        if not isinstance(current, ast.Name):
            return None
        item = self.items.get(".".join([current.id, *reversed(parts)]))
        if item is None or item.codelist is None or item.codelist not in self.codelists:
            return None
        return item

    @staticmethod
    def _literals(node: ast.expr) -> list[object]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str | int) and not (
            isinstance(node.value, bool)
        ):
            return [node.value]
        if isinstance(node, ast.List | ast.Tuple):
            return [
                e.value
                for e in node.elts
                if isinstance(e, ast.Constant)
                and isinstance(e.value, str | int)
                and not isinstance(e.value, bool)
            ]
        return []

    def check_forms(self) -> None:
        for doc, form in self.forms:
            form_items = {item.oid for item in form.items}
            for g, group in enumerate(form.item_groups):
                gloc: Loc = ("item_groups", g)
                if group.visible_if is not None:
                    self.expression(doc, group.visible_if, (*gloc, "visible_if"))
                for i, item in enumerate(group.items):
                    self.check_item(doc, item, (*gloc, "items", i))
            for c, check in enumerate(form.edit_checks):
                cloc: Loc = ("edit_checks", c)
                if check.expression is not None:
                    self.expression(doc, check.expression, (*cloc, "expression"))
                if check.check is not None and check.check not in CROSS_FORM_CHECKS:
                    doc.problem(
                        (*cloc, "check"),
                        f"unknown cross-form check {check.check!r}; known: "
                        + ", ".join(sorted(CROSS_FORM_CHECKS)),
                    )
                for k, oid in enumerate(check.items):
                    if oid not in form_items:
                        doc.problem((*cloc, "items", k), f"item {oid} is not in form {form.oid}")

    def check_item(self, doc: _Document, item: Item, loc: Loc) -> None:
        if item.codelist is not None and item.codelist not in self.codelists:
            doc.problem((*loc, "codelist"), f"unknown code list {item.codelist}")
        if item.unit is not None and item.unit not in self.units:
            doc.problem((*loc, "unit"), f"unknown unit {item.unit}")
        if item.visible_if is not None:
            expression = self.expression(doc, item.visible_if, (*loc, "visible_if"))
            if expression is not None and item.oid in expression.references:
                doc.problem((*loc, "visible_if"), "an item cannot depend on itself")
        if item.computed is not None:
            function = COMPUTED_FUNCTIONS.get(item.computed.function)
            if function is None:
                doc.problem(
                    (*loc, "computed", "function"),
                    f"unknown function {item.computed.function!r}; known: "
                    + ", ".join(sorted(COMPUTED_FUNCTIONS)),
                )
            elif len(item.computed.inputs) != len(function.parameters):
                doc.problem(
                    (*loc, "computed", "inputs"),
                    f"{function.name} takes {len(function.parameters)} inputs "
                    f"({', '.join(function.parameters)}), got {len(item.computed.inputs)}",
                )
            for k, oid in enumerate(item.computed.inputs):
                if oid == item.oid:
                    doc.problem((*loc, "computed", "inputs", k), "an item cannot depend on itself")
                elif oid not in self.items:
                    doc.problem((*loc, "computed", "inputs", k), f"unknown item {oid}")

    def check_events(self, events: list[Event]) -> None:
        used: set[str] = set()
        for e, event in enumerate(events):
            for r, ref in enumerate(event.forms):
                rloc: Loc = ("events", e, "forms", r)
                used.add(ref.form)
                if ref.form not in self.form_oids:
                    self.study_doc.problem((*rloc, "form"), f"unknown form {ref.form}")
                if ref.applicable_if is not None:
                    self.expression(self.study_doc, ref.applicable_if, (*rloc, "applicable_if"))
        for doc, form in self.forms:
            if form.oid not in used:
                doc.problem(("oid",), f"form {form.oid} is not scheduled in any event")


def _check_arms(
    doc: _Document, arms: list[Arm], sites: list[Site], settings: StudySettings | None
) -> None:
    for kind, objects, attr in (("arm", arms, "code"), ("site", sites, "code")):
        seen: set[str] = set()
        for i, obj in enumerate(objects):
            value = getattr(obj, attr)
            if value in seen:
                doc.problem((f"{kind}s", i, attr), f"duplicate {kind} code {value}")
            seen.add(value)
    letters = [arm.letter for arm in arms]
    for i, arm in enumerate(arms):
        if letters.count(arm.letter) > 1:
            doc.problem(("arms", i, "letter"), f"duplicate arm letter {arm.letter}")
    if settings is None:
        return
    cycle = settings.visits.cycle_length_days
    levels = {
        "pomalidomide": settings.treatment.pomalidomide_dose_levels_mg,
        "dexamethasone": settings.treatment.dexamethasone_dose_levels_mg,
    }
    for i, arm in enumerate(arms):
        for drug_name in ("pomalidomide", "dexamethasone"):
            drug = getattr(arm, drug_name)
            late = [d for d in drug.days if d > cycle]
            if late:
                doc.problem(
                    ("arms", i, drug_name, "days"), f"days {late} exceed the {cycle}-day cycle"
                )
            if drug.dose_mg != levels[drug_name][0]:
                doc.problem(
                    ("arms", i, drug_name, "dose_mg"),
                    f"dose {drug.dose_mg:g} mg is not the starting dose level "
                    f"{levels[drug_name][0]:g} mg of the settings",
                )


def _check_events_vs_settings(
    doc: _Document, events: list[Event], settings: StudySettings | None
) -> None:
    if settings is None:
        return
    roles = [event.role for event in events]
    for e, event in enumerate(events):
        if event.role == "cycle":
            late = [d for d in event.days if d > settings.visits.cycle_length_days]
            if late:
                doc.problem(("events", e, "days"), f"days {late} exceed the cycle length")
        if event.role not in ("cycle", "follow_up") and roles.count(event.role) > 1:
            doc.problem(("events", e, "role"), f"more than one event has role {event.role}")


def load_study(forms_dir: Path) -> StudyDefinition:
    """Load and validate the study definition in ``forms_dir``.

    Raises :class:`StudyDefinitionError` listing every problem with its file,
    line and field.
    """
    forms_dir = Path(forms_dir)
    problems: list[Problem] = []
    if not forms_dir.is_dir():
        raise StudyDefinitionError([Problem(str(forms_dir), None, "", "not a folder")])
    study_doc = _Document(forms_dir / STUDY_FILE, problems)
    codelists_doc = _Document(forms_dir / CODELISTS_FILE, problems)
    form_docs = [
        _Document(path, problems)
        for path in sorted(forms_dir.glob("*.yaml"))
        if path.name not in (STUDY_FILE, CODELISTS_FILE)
    ]
    if not form_docs:
        problems.append(Problem(forms_dir.name, None, "", "no form files (*.yaml)"))
    if problems:
        raise StudyDefinitionError(problems)

    # Shapes.
    top = _as_mapping(study_doc, study_doc.data, ())
    _check_keys(study_doc, top, {"study", "sites", "arms", "events", "settings"}, ())
    info = study_doc.validate(StudyInfo, top.get("study", {}), ("study",))
    sites = _validate_list(study_doc, Site, top.get("sites"), ("sites",))
    arms = _validate_list(study_doc, Arm, top.get("arms"), ("arms",))
    events = _validate_list(study_doc, Event, top.get("events"), ("events",))
    settings, entries = _load_settings(study_doc, top.get("settings"))

    cl_top = _as_mapping(codelists_doc, codelists_doc.data, ())
    _check_keys(codelists_doc, cl_top, {"codelists", "units"}, ())
    codelists = _validate_list(codelists_doc, CodeList, cl_top.get("codelists"), ("codelists",))
    units = _validate_list(codelists_doc, Unit, cl_top.get("units"), ("units",))

    forms: list[tuple[_Document, Form]] = []
    for doc in form_docs:
        form = doc.validate(Form, doc.data, ())
        if form is not None:
            forms.append((doc, form))

    # References (forms that failed validation still count as defined, to avoid
    # reporting every reference to them a second time).
    checker = _Checker(study_doc, codelists_doc, forms, codelists, units)
    checker.form_oids.update(
        doc.data["oid"]
        for doc in form_docs
        if isinstance(doc.data, dict) and isinstance(doc.data.get("oid"), str)
    )
    checker.check_unique_oids(events)
    checker.check_forms()
    checker.check_events(events)
    _check_arms(study_doc, arms, sites, settings)
    _check_events_vs_settings(study_doc, events, settings)

    if problems or info is None or settings is None:
        if not problems:  # pragma: no cover - a None above always records a problem
            problems.append(Problem(STUDY_FILE, None, "", "invalid study definition"))
        raise StudyDefinitionError(problems)
    return StudyDefinition(
        info=info,
        sites=tuple(sites),
        arms=tuple(arms),
        events=tuple(events),
        settings=settings,
        setting_entries=entries,
        codelists=tuple(codelists),
        units=tuple(units),
        forms=tuple(form for _, form in forms),
    )
