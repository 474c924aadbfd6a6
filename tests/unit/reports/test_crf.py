"""Blank and annotated CRFs: every form, labels in both languages, boxes, annotations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.reports.annotated_crf import build_annotated_crf
from ctrial_desktop.reports.blank_crf import annotation, build_blank_crf, scheduled_forms
from ctrial_desktop.study import StudyDefinition, load_study
from tests.unit.reports.pdf_helpers import outline_titles, pages_text, squeezed, top_outline

WHEN = dt.datetime(2011, 3, 12, 9, 5)


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    return load_study(forms_dir())


@pytest.fixture(scope="module")
def blank_en(study: StudyDefinition, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crf") / "blank_en.pdf"
    build_blank_crf(study, out, printed_by="mdurand", printed_at=WHEN)
    return out


@pytest.fixture(scope="module")
def annotated_fr(study: StudyDefinition, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crf") / "acrf_fr.pdf"
    build_annotated_crf(study, out, language="fr", printed_by="dm", printed_at=WHEN)
    return out


def test_blank_crf_has_every_form_with_its_version_in_the_header(
        study: StudyDefinition, blank_en: Path) -> None:
    texts = pages_text(blank_en)
    for form in study.forms:
        header = f"{form.name.en} (version {form.version})"
        assert any(header in t.splitlines()[0] or header in t for t in texts), form.oid
    assert top_outline(blank_en) == ["Schedule of forms",
                                     *(f.name.en for f in scheduled_forms(study))]
    assert "Daily administration" in outline_titles(blank_en)
    assert f"page 1 of {len(texts)}" in texts[0]


def test_blank_crf_items_boxes_and_code_lists(study: StudyDefinition, blank_en: Path) -> None:
    text = "\n".join(pages_text(blank_en))
    for _form, _group, item in study.iter_items():
        assert squeezed(item.label.en) in squeezed(text), item.oid
    assert "dd/mm/yyyy" in text
    hem = study.form("F.HEM")
    assert "10⁹/L" in text  # units printed with their exponent
    grade = study.codelist("CL.CTCAE_GRADE")
    for code in grade.items:
        assert f"☐ {code.decode.en}" in text
    assert "I.HEM" not in text and "CL.CTCAE_GRADE" not in text  # no annotations
    assert hem.items[0].oid not in text


def test_dosing_table_has_one_numbered_row_per_cycle_day(study: StudyDefinition,
                                                         blank_en: Path) -> None:
    page = next(t for t in pages_text(blank_en) if "Daily administration" in t
                and "Pomalidomide administration" in t)
    days = [line.strip() for line in page.splitlines() if line.strip().isdigit()]
    start = days.index("1")
    assert days[start:start + 28] == [str(day) for day in range(1, 29)]
    assert "Codes — Taken:" in page


def test_event_set_contains_only_the_event_forms(study: StudyDefinition,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "cycle.pdf"
    result = build_blank_crf(study, out, event_oid="SE.CYCLE", printed_by="x",
                             printed_at=WHEN)
    cycle = study.event("SE.CYCLE")
    expected = [study.form(ref.form).name.en for ref in cycle.forms]
    assert top_outline(out) == expected
    assert result.outline[0] == expected[0]
    text = "\n".join(pages_text(out))
    assert "Informed consent" not in text
    assert "Blank case report forms — Cycle" in text


def test_french_blank_crf_keeps_accents(study: StudyDefinition, tmp_path: Path) -> None:
    out = tmp_path / "fr.pdf"
    build_blank_crf(study, out, language="fr", form_oids=["F.DM", "F.AE"], printed_by="x",
                    printed_at=WHEN)
    text = "\n".join(pages_text(out))
    assert "Données démographiques" in text
    assert "Événements indésirables" in text
    assert "jj/mm/aaaa" in text
    assert "Imprimé le 12/03/2011 09:05 par x" in text


def test_annotated_crf_prints_oids_types_ranges_conditions_and_checks(
        study: StudyDefinition, annotated_fr: Path) -> None:
    flat = squeezed("\n".join(pages_text(annotated_fr)))
    for form in study.forms:
        assert squeezed(f"{form.oid} · version {form.version}") in flat, form.oid
        for group in form.item_groups:
            assert group.oid in flat
        for check in form.edit_checks:
            assert check.oid in flat
            rule = check.expression or f"inter-formulaires : {check.check}"
            assert squeezed(rule) in flat, check.oid
    for _form, _group, item in study.iter_items():
        assert squeezed(annotation(study, item, "fr")) in flat, item.oid
    used = {item.codelist for _f, _g, item in study.iter_items() if item.codelist}
    for codelist in study.codelists:
        if codelist.oid not in used:
            continue
        for code in codelist.items:
            assert squeezed(f"[{code.code}]{code.decode.fr}") in flat or \
                squeezed(f"{code.code} = {code.decode.fr}") in flat


def test_annotation_text_of_a_ranged_item(study: StudyDefinition) -> None:
    item = study.item("I.POM.LEVEL")
    assert annotation(study, item) == \
        "I.POM.LEVEL · decimal (float) · mg · 0 dp · hard 0–4 · required"
    reason = study.item("I.POM.CHANGE_REASON")
    assert annotation(study, reason).endswith("CL.DOSE_REASON · visible if I.POM.CHANGE != 'SAME'")


def test_french_annotation_words_units_and_decimal_commas(study: StudyDefinition) -> None:
    assert annotation(study, study.item("I.POM.LEVEL"), "fr") == \
        "I.POM.LEVEL · decimal (float) · mg · 0 déc. · limites strictes 0–4 · obligatoire"
    age = annotation(study, study.item("I.DM.AGE"), "fr")
    assert " · ans · " in age and " years" not in age and "optional" not in age
    reason = annotation(study, study.item("I.POM.CHANGE_REASON"), "fr")
    assert reason.endswith("CL.DOSE_REASON · visible si I.POM.CHANGE != 'SAME'")
    decimals = [annotation(study, item, "fr") for _f, _g, item in study.iter_items()
                if item.range and any(v is not None and v != int(v)
                                      for v in (item.range.min, item.range.max))]
    assert decimals and all("," in text for text in decimals)


def test_french_blank_crf_prints_word_units_in_french(study: StudyDefinition,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "fr.pdf"
    build_blank_crf(study, out, language="fr", form_oids=["F.DM", "F.POM", "F.DEX"],
                    printed_by="x", printed_at=WHEN)
    text = "\n".join(pages_text(out))
    assert "gélules" in text and "comprimés" in text and "ans" in text
    for english in ("capsules", "tablets", "years", "(e)s"):
        assert english not in text, english
