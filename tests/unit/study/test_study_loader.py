"""The study loader on the real ``forms/`` and on broken copies of it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ctrial_desktop.domain.checks import parse
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.study import (
    COMPUTED_FUNCTIONS,
    CROSS_FORM_CHECKS,
    StudyDefinition,
    StudyDefinitionError,
    load_study,
)

FORMS = forms_dir()


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    return load_study(FORMS)


@pytest.fixture
def forms_copy(tmp_path: Path) -> Path:
    target = tmp_path / "forms"
    shutil.copytree(FORMS, target)
    return target


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path.name}")


def _error(forms: Path) -> StudyDefinitionError:
    with pytest.raises(StudyDefinitionError) as info:
        load_study(forms)
    return info.value


# --------------------------------------------------------------------------- real forms


def test_real_study_identity(study: StudyDefinition) -> None:
    assert study.info.name == "IFM 2009-02"
    assert study.info.registry_id == "NCT01053949"
    assert study.site("01").city == "Lille"
    assert {arm.code for arm in study.arms} == {"POM21", "POM28"}


def test_real_arms_match_protocol(study: StudyDefinition) -> None:
    a, b = study.arm("POM21"), study.arm("POM28")
    assert a.letter == "A" and b.letter == "B"
    assert a.pomalidomide.days == tuple(range(1, 22))
    assert b.pomalidomide.days == tuple(range(1, 29))
    assert a.pomalidomide.planned_mg_per_cycle == 84
    assert b.pomalidomide.planned_mg_per_cycle == 112
    for arm in (a, b):
        assert arm.dexamethasone.days == (1, 8, 15, 22)
        assert arm.dexamethasone.planned_mg_per_cycle == 160
        assert arm.regimen.en and arm.regimen.fr


def test_real_counts(study: StudyDefinition) -> None:
    assert len(study.forms) >= 21
    assert len(study.events) == 8
    assert sum(1 for _ in study.iter_items()) >= 200
    assert study.cycle_length_days == 28


def test_every_protocol_form_is_scheduled(study: StudyDefinition) -> None:
    screening = {ref.form for ref in study.event("SE.SCREEN").forms}
    assert {
        "F.IC", "F.DM", "F.MH", "F.ELIG", "F.HEM", "F.CHEM", "F.DA", "F.IMG", "F.ECOG", "F.PREG",
    } <= screening
    cycle = study.event("SE.CYCLE")
    assert cycle.repeating and cycle.days == (1, 8, 15, 22)
    assert {ref.form for ref in cycle.forms} >= {
        "F.POM", "F.DEX", "F.TP", "F.HEM", "F.CHEM", "F.ECOG", "F.DA", "F.BM", "F.IMG", "F.TRANS",
    }
    assert study.event("SE.FU").repeating
    assert {e.oid for e in study.events if e.kind == "log"} == {"SE.AELOG", "SE.CMLOG"}
    for form in study.forms:
        assert study.events_with_form(form.oid), form.oid


def test_every_item_has_both_languages_and_valid_refs(study: StudyDefinition) -> None:
    oids: set[str] = set()
    for form, group, item in study.iter_items():
        for text in (form.name, group.name, item.label):
            assert text.en.strip() and text.fr.strip()
        if item.codelist:
            study.codelist(item.codelist)
        if item.unit:
            study.unit(item.unit)
        assert item.oid not in oids
        oids.add(item.oid)
    for codelist in study.codelists:
        for code in codelist.items:
            assert code.decode.en.strip() and code.decode.fr.strip()


def test_every_codelist_is_used(study: StudyDefinition) -> None:
    used = {item.codelist for _, _, item in study.iter_items() if item.codelist}
    assert used == {c.oid for c in study.codelists}


def test_all_field_types_are_used(study: StudyDefinition) -> None:
    types = {item.type for _, _, item in study.iter_items()}
    assert types == {
        "text", "integer", "decimal", "date", "partial_date", "time", "yes_no", "choice",
        "multi_choice", "long_text", "computed", "ctcae_term",
    }


def test_computed_items_reference_existing_inputs(study: StudyDefinition) -> None:
    functions = set()
    for _, _, item in study.iter_items():
        if item.computed is not None:
            functions.add(item.computed.function)
            spec = COMPUTED_FUNCTIONS[item.computed.function]
            assert len(item.computed.inputs) == len(spec.parameters)
            for oid in item.computed.inputs:
                assert study.has_item(oid)
    assert {"age_years", "bmi", "cockcroft_gault", "corrected_calcium", "cumulative_dose"} <= (
        functions
    )
    assert study.item("I.CHEM.CRCL").value_type == "decimal"
    assert study.item("I.DM.AGE").odm_data_type == "integer"


def test_expressions_parse_and_reference_known_items(study: StudyDefinition) -> None:
    sources: list[str] = []
    for form in study.forms:
        sources += [c.expression for c in form.edit_checks if c.expression]
        sources += [g.visible_if for g in form.item_groups if g.visible_if]
        sources += [i.visible_if for i in form.items if i.visible_if]
        for check in form.edit_checks:
            if check.kind == "cross_form":
                assert check.check in CROSS_FORM_CHECKS
    for event in study.events:
        sources += [r.applicable_if for r in event.forms if r.applicable_if]
    assert len(sources) > 40
    for source in sources:
        for ref in parse(source).references:
            assert study.has_item(ref), (source, ref)


def test_ae_form_declares_protocol_fields(study: StudyDefinition) -> None:
    ae = study.form("F.AE")
    assert ae.item_groups[0].repeating
    assert study.item("I.AE.TERM").type == "ctcae_term"
    assert study.codelist(study.item("I.AE.GRADE").codelist or "").codes == (1, 2, 3, 4, 5)
    assert study.item("I.AE.SAE_CRIT").type == "multi_choice"
    assert any(c.expression == "I.AE.STOPDAT >= I.AE.STARTDAT" for c in ae.edit_checks)


def test_eligibility_form_lists_every_criterion(study: StudyDefinition) -> None:
    inclusion = study.item_group("IG.ELIG.INC").items
    exclusion = study.item_group("IG.ELIG.EXC").items
    assert len(inclusion) == 14 and len(exclusion) == 7
    assert all(item.type == "yes_no" and item.required for item in inclusion + exclusion)


def test_settings_are_typed_and_described(study: StudyDefinition) -> None:
    s = study.settings
    assert s.security.idle_lock_minutes == 15
    assert s.security.max_failed_logins == 5
    assert s.security.password_min_length == 10
    assert s.eligibility.platelets_min == 75
    assert s.eligibility.platelets_min_high_infiltration == 30
    assert s.eligibility.crcl_min_ml_min == 45
    assert s.imwg.serum_measurable_g_l == 5
    assert s.imwg.flc_alone_partial_fall_is_sd is True
    assert s.treatment.dexamethasone_reduced_start_mg == 20
    assert s.treatment.pomalidomide_dose_levels_mg == (4, 3, 2, 1)
    assert s.randomization.method == "blocks"
    assert s.randomization.block_sizes == (2, 4)
    assert s.randomization.minimization_probability == 0.8
    assert study.setting("visits.cycle_length_days").status == "verified"
    assert study.setting("security.idle_lock_minutes").status == "default"
    assert all(entry.description for entry in study.setting_entries)
    # Every typed field has exactly one described entry.
    fields = {
        f"{section}.{name}"
        for section, model in s
        for name, _ in model  # type: ignore[attr-defined]
    }
    assert fields == {entry.path for entry in study.setting_entries}


def test_lookups_raise_key_error_naming_the_oid(study: StudyDefinition) -> None:
    with pytest.raises(KeyError, match=r"I\.NOPE"):
        study.item("I.NOPE")
    with pytest.raises(KeyError, match=r"F\.NOPE"):
        study.form("F.NOPE")


def test_two_loads_are_independent_and_equal(study: StudyDefinition) -> None:
    again = load_study(FORMS)
    assert again is not study
    assert again == study


# --------------------------------------------------------------------------- broken copies


def _assert_located(error: StudyDefinitionError, file: str, line: int, field: str) -> None:
    text = str(error)
    pattern = rf"{re.escape(file)}:{line}: [^\n]*{re.escape(field)}"
    assert re.search(pattern, text), text
    assert any(p.file == file and p.line == line for p in error.problems)


def test_yaml_syntax_error_names_file_and_line(forms_copy: Path) -> None:
    path = forms_copy / "dm.yaml"
    line = _line_of(path, "oid: I.DM.SEX")
    _edit(path, "oid: I.DM.SEX", "oid: [I.DM.SEX")
    error = _error(forms_copy)
    assert error.problems[0].file == "dm.yaml"
    assert error.problems[0].line is not None and line <= error.problems[0].line <= line + 2
    assert "YAML syntax error" in str(error)


def test_unknown_key_names_file_line_and_field(forms_copy: Path) -> None:
    path = forms_copy / "dm.yaml"
    _edit(path, "        codelist: CL.SEX\n", "        codelist: CL.SEX\n        colour: red\n")
    line = _line_of(path, "colour: red")
    _assert_located(_error(forms_copy), "dm.yaml", line, "items[3].colour")


def test_duplicate_key_is_refused(forms_copy: Path) -> None:
    path = forms_copy / "ecog.yaml"
    _edit(path, "        required: true\n", "        required: true\n        required: false\n")
    line = _line_of(path, "required: false")
    _assert_located(_error(forms_copy), "ecog.yaml", line, "required")


def test_duplicate_oid_across_files(forms_copy: Path) -> None:
    path = forms_copy / "ecog.yaml"
    _edit(path, "oid: I.ECOG.DAT", "oid: I.DM.SEX")
    line = _line_of(path, "oid: I.DM.SEX")
    error = _error(forms_copy)
    _assert_located(error, "ecog.yaml", line, "oid")
    assert "duplicate OID I.DM.SEX (first defined in dm.yaml:" in str(error)


def test_unknown_codelist(forms_copy: Path) -> None:
    path = forms_copy / "dm.yaml"
    _edit(path, "codelist: CL.SEX", "codelist: CL.SEXE")
    line = _line_of(path, "codelist: CL.SEXE")
    error = _error(forms_copy)
    _assert_located(error, "dm.yaml", line, "codelist")
    assert "unknown code list CL.SEXE" in str(error)


def test_unknown_item_in_expression(forms_copy: Path) -> None:
    path = forms_copy / "ae.yaml"
    _edit(path, '"I.AE.STOPDAT >= I.AE.STARTDAT"', '"I.AE.STOPDAT >= I.AE.START"')
    line = _line_of(path, "I.AE.START\"")
    error = _error(forms_copy)
    _assert_located(error, "ae.yaml", line, "edit_checks[0].expression")
    assert "unknown item I.AE.START" in str(error)


def test_bad_expression_syntax(forms_copy: Path) -> None:
    path = forms_copy / "dm.yaml"
    _edit(path, "visible_if: \"I.DM.SEX == 'F'\"", "visible_if: \"I.DM.SEX.__class__\"")
    line = _line_of(path, "__class__")
    error = _error(forms_copy)
    _assert_located(error, "dm.yaml", line, "visible_if")
    assert "invalid expression" in str(error)


def test_unknown_code_in_expression(forms_copy: Path) -> None:
    path = forms_copy / "pom.yaml"
    _edit(path, "I.POM.STATUS != 'NOT_TAKEN'", "I.POM.STATUS != 'NOTTAKEN'")
    line = _line_of(path, "NOTTAKEN")
    error = _error(forms_copy)
    _assert_located(error, "pom.yaml", line, "visible_if")
    assert "'NOTTAKEN' is not a code of CL.ADMIN" in str(error)


def test_unknown_computed_input_and_function(forms_copy: Path) -> None:
    path = forms_copy / "dm.yaml"
    _edit(path, "inputs: [I.DM.WEIGHT, I.DM.HEIGHT]", "inputs: [I.DM.WEIGHT, I.DM.TALL]")
    _edit(path, "function: age_years", "function: age_in_years")
    error = _error(forms_copy)
    _assert_located(error, "dm.yaml", _line_of(path, "I.DM.TALL"), "computed.inputs[1]")
    _assert_located(error, "dm.yaml", _line_of(path, "age_in_years"), "computed.function")


def test_computed_input_count(forms_copy: Path) -> None:
    path = forms_copy / "dm.yaml"
    _edit(path, "inputs: [I.DM.WEIGHT, I.DM.HEIGHT]", "inputs: [I.DM.WEIGHT]")
    error = _error(forms_copy)
    assert "bmi takes 2 inputs (weight_kg, height_cm), got 1" in str(error)


def test_range_min_above_max(forms_copy: Path) -> None:
    path = forms_copy / "dm.yaml"
    _edit(path, "range: {min: 100, max: 230}", "range: {min: 300, max: 230}")
    error = _error(forms_copy)
    _assert_located(error, "dm.yaml", _line_of(path, "min: 300"), "range")
    assert "min 300 is greater than max 230" in str(error)


def test_soft_range_outside_hard_range(forms_copy: Path) -> None:
    path = forms_copy / "dm.yaml"
    _edit(path, "soft_range: {min: 140, max: 200}", "soft_range: {min: 140, max: 260}")
    error = _error(forms_copy)
    assert "soft_range must lie inside range" in str(error)
    assert any(p.file == "dm.yaml" and "I.DM.HEIGHT" in p.field for p in error.problems)


def test_unknown_form_in_event(forms_copy: Path) -> None:
    path = forms_copy / "study.yaml"
    _edit(path, "- {form: F.RAND}", "- {form: F.RANDO}")
    error = _error(forms_copy)
    _assert_located(error, "study.yaml", _line_of(path, "F.RANDO"), "events[1].forms[0].form")
    # F.RAND is now scheduled nowhere.
    assert "form F.RAND is not scheduled in any event" in str(error)


def test_unknown_cross_form_check(forms_copy: Path) -> None:
    path = forms_copy / "death.yaml"
    _edit(path, "check: death_after_last_visit", "check: death_after_lunch")
    error = _error(forms_copy)
    _assert_located(error, "death.yaml", _line_of(path, "death_after_lunch"), "check")


def test_setting_with_wrong_type_points_at_value(forms_copy: Path) -> None:
    path = forms_copy / "study.yaml"
    _edit(path, "      value: 15\n", "      value: fifteen\n")
    error = _error(forms_copy)
    _assert_located(
        error, "study.yaml", _line_of(path, "value: fifteen"),
        "settings.security.idle_lock_minutes.value",
    )


def test_missing_setting_and_missing_description(forms_copy: Path) -> None:
    path = forms_copy / "study.yaml"
    _edit(
        path,
        "    idle_lock_minutes:\n      value: 15\n      status: default\n",
        "    idle_lock_minutez:\n      value: 15\n      status: default\n",
    )
    _edit(
        path,
        "      description: Consecutive failed log-ins after which the account is locked.\n",
        "",
    )
    error = _error(forms_copy)
    text = str(error)
    assert "settings.security.idle_lock_minutes: required field is missing" in text
    assert "settings.security.max_failed_logins.description" in text
    _assert_located(error, "study.yaml", _line_of(path, "idle_lock_minutez"), "idle_lock_minutez")


def test_missing_french_label(forms_copy: Path) -> None:
    path = forms_copy / "ecog.yaml"
    _edit(path, "{en: Date of assessment, fr: Date d'évaluation}", "{en: Date of assessment}")
    error = _error(forms_copy)
    _assert_located(error, "ecog.yaml", _line_of(path, "{en: Date of assessment}"), "label.fr")


def test_yes_no_code_read_as_boolean_is_refused(forms_copy: Path) -> None:
    path = forms_copy / "codelists.yaml"
    _edit(path, "{code: NEG, decode: {en: Negative,", "{code: NO, decode: {en: Negative,")
    error = _error(forms_copy)
    assert "is not text (quote it)" in str(error)


def test_all_problems_reported_at_once(forms_copy: Path) -> None:
    _edit(forms_copy / "dm.yaml", "codelist: CL.SEX", "codelist: CL.SEXE")
    _edit(forms_copy / "bm.yaml", "codelist: CL.CLONALITY", "codelist: CL.CLONE")
    error = _error(forms_copy)
    assert {p.file for p in error.problems} >= {"dm.yaml", "bm.yaml"}


def test_missing_folder_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(StudyDefinitionError, match="not a folder"):
        load_study(tmp_path / "nowhere")
    error = _error(tmp_path)
    assert {p.file for p in error.problems} >= {"study.yaml", "codelists.yaml"}


def test_odm_data_types(study: StudyDefinition) -> None:
    expected = {
        "I.ECOG.SCORE": "integer",
        "I.AE.GRADE": "integer",
        "I.DM.SEX": "text",
        "I.DA.SMP": "float",
        "I.MH.DIAGDAT": "partialDate",
        "I.IC.SIGNED": "boolean",
        "I.RAND.TIME": "time",
        "I.DM.BMI": "float",
        "I.DM.AGE": "integer",
        "I.AE.SAE_CRIT": "text",
    }
    for oid, data_type in expected.items():
        assert study.odm_data_type(study.item(oid)) == data_type, oid
    assert study.item("I.MH.DIAGDAT").partial_allowed
    assert not study.item("I.AE.STARTDAT").partial_allowed
    assert not study.item("I.RAND.ARM").is_entered
    assert study.item("I.RAND.ISS_GROUP").is_entered


# --------------------------------------------------------------------------- form versions


def test_dosing_forms_carry_their_version_history(study: StudyDefinition) -> None:
    for oid in ("F.POM", "F.DEX"):
        form = study.form(oid)
        assert [r.version for r in form.history] == ["1.0", "1.1"] and form.version == "1.1"
        assert "Dose advice" in form.history[-1].changes.en
        assert form.history[0].date < form.history[1].date
    assert study.info.metadata_version == "1.1"


def test_history_must_end_with_the_form_version(forms_copy: Path) -> None:
    _edit(forms_copy / "pom.yaml", 'version: "1.1"\nhistory:', 'version: "1.2"\nhistory:')
    error = _error(forms_copy)
    assert "pom.yaml" in str(error) and "the last entry must be the form's version '1.2'" in \
        str(error)


def test_history_oldest_first_and_each_version_once(forms_copy: Path) -> None:
    path = forms_copy / "dex.yaml"
    _edit(path, "    date: 2026-11-24\n", "    date: 2026-12-24\n")
    assert "oldest first" in str(_error(forms_copy))
    _edit(path, "    date: 2026-12-24\n", "    date: 2026-11-24\n")
    _edit(path, '  - version: "1.0"\n', '  - version: "1.1"\n')
    assert "each version may appear only once" in str(_error(forms_copy))


def test_a_word_unit_needs_its_french_word(forms_copy: Path) -> None:
    path = forms_copy / "codelists.yaml"
    old = "{oid: MU.YEARS, symbol: years, name: {en: years, fr: ans}, symbol_fr: ans}"
    _edit(path, old, "{oid: MU.YEARS, symbol: years, name: {en: years, fr: ans}}")
    error = _error(forms_copy)
    assert "the symbol 'years' is a word; give its French word in symbol_fr" in str(error)
    assert any(p.file == "codelists.yaml" for p in error.problems)


def test_a_symbol_unit_refuses_a_french_word(forms_copy: Path) -> None:
    path = forms_copy / "codelists.yaml"
    old = "{oid: MU.G_L, symbol: g/L, name: {en: grams per litre, fr: grammes par litre}}"
    _edit(path, old, old[:-1] + ", symbol_fr: g/l}")
    error = _error(forms_copy)
    assert "the symbol 'g/L' is the same in every language; remove symbol_fr" in str(error)
    assert any(p.file == "codelists.yaml" for p in error.problems)


def test_word_units_are_shown_in_french(study: StudyDefinition) -> None:
    assert study.unit("MU.YEARS").shown("fr") == "ans"
    assert study.unit("MU.YEARS").shown("en") == "years"
    assert study.unit("MU.G_L").shown("fr") == "g/L"
