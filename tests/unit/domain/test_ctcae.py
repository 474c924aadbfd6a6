"""CTCAE lab grades (PROTOCOL section 7 table), term list and search.

Boundaries are tested at, just above and just below each threshold, in both
versions; the expected grades are written from the PROTOCOL table, not from the
engine's tables.
"""

from __future__ import annotations

import pytest

from ctrial_desktop.domain.ctcae import (
    LAB_TESTS,
    grade_lab,
    lab_rule,
    load_ctcae_terms,
    parse_ctcae_terms,
    search_terms,
)
from ctrial_desktop.paths import resources_dir

CTCAE_DIR = resources_dir() / "ctcae"
VERSIONS = ("4.03", "5.0")

# (lln, [(threshold, grade at the threshold, grade just below it)]) for "decreased" tests.
LOW = {
    "ANC": (2.0, [(2.0, 0, 1), (1.5, 1, 2), (1.0, 2, 3), (0.5, 3, 4)]),
    "PLT": (150.0, [(150.0, 0, 1), (75.0, 1, 2), (50.0, 2, 3), (25.0, 3, 4)]),
    "HGB": (120.0, [(120.0, 0, 1), (100.0, 1, 2), (80.0, 2, 3)]),
    "WBC": (4.0, [(4.0, 0, 1), (3.0, 1, 2), (2.0, 2, 3), (1.0, 3, 4)]),
    "LYMPH": (1.0, [(1.0, 0, 1), (0.8, 1, 2), (0.5, 2, 3), (0.2, 3, 4)]),
    # Hypokalaemia grade 2 is clinical ("symptomatic"): < 3.0 jumps from 1 to 3.
    "K": (3.5, [(3.5, 0, 1), (3.0, 1, 3), (2.5, 3, 4)]),
}
# (uln, [(threshold, grade at the threshold, grade just above it)]) for "increased" tests.
HIGH = {
    "CREAT": (100.0, [(100.0, 0, 1), (150.0, 1, 2), (300.0, 2, 3), (600.0, 3, 4)]),
    "ALT": (40.0, [(40.0, 0, 1), (120.0, 1, 2), (200.0, 2, 3), (800.0, 3, 4)]),
    "AST": (35.0, [(35.0, 0, 1), (105.0, 1, 2), (175.0, 2, 3), (700.0, 3, 4)]),
    "BILI": (20.0, [(20.0, 0, 1), (30.0, 1, 2), (60.0, 2, 3), (200.0, 3, 4)]),
    "CA": (2.6, [(2.6, 0, 1), (2.9, 1, 2), (3.1, 2, 3), (3.4, 3, 4)]),
    "GLUC": (6.1, [(6.1, 0, 1), (8.9, 1, 2), (13.9, 2, 3), (27.8, 3, 4)]),
}


def _delta(x: float) -> float:
    return max(abs(x) * 1e-3, 1e-3)


def _low_cases():
    for version in VERSIONS:
        for test, (lln, bounds) in LOW.items():
            for limit, at, below in bounds:
                d = _delta(limit)
                yield pytest.param(version, test, lln, limit, at, id=f"{version}-{test}-{limit}-at")
                yield pytest.param(
                    version, test, lln, limit + d, at, id=f"{version}-{test}-{limit}-above"
                )
                yield pytest.param(
                    version, test, lln, limit - d, below, id=f"{version}-{test}-{limit}-below"
                )


def _high_cases():
    for version in VERSIONS:
        for test, (uln, bounds) in HIGH.items():
            for limit, at, above in bounds:
                if version == "5.0" and test == "GLUC" and at > 0:
                    continue  # v5.0 hyperglycaemia is clinical only (tested below)
                if version == "5.0" and test == "GLUC":
                    above = None
                d = _delta(limit)
                yield pytest.param(version, test, uln, limit, at, id=f"{version}-{test}-{limit}-at")
                yield pytest.param(
                    version, test, uln, limit - d, at, id=f"{version}-{test}-{limit}-below"
                )
                yield pytest.param(
                    version, test, uln, limit + d, above, id=f"{version}-{test}-{limit}-above"
                )


@pytest.mark.parametrize(("version", "test", "lln", "value", "expected"), list(_low_cases()))
def test_decreased_boundaries(version: str, test: str, lln: float, value: float, expected: int):
    # "< LLN - x" grades: grade g applies strictly below its threshold.
    assert grade_lab(test, value, lln, None, version=version).grade == expected


@pytest.mark.parametrize(("version", "test", "uln", "value", "expected"), list(_high_cases()))
def test_increased_boundaries(version: str, test: str, uln: float, value: float, expected):
    # "> ULN - x" grades: grade g applies strictly above its threshold.
    assert grade_lab(test, value, None, uln, version=version).grade == expected


def test_haemoglobin_has_no_lab_grade_4() -> None:
    # Anaemia grade 4 is "life-threatening consequences": the value gives 3 at most.
    assert grade_lab("HGB", 40.0, 120.0, 160.0).grade == 3


@pytest.mark.parametrize("version", VERSIONS)
def test_missing_normal_limit_is_not_gradable(version: str) -> None:
    # A missing normal range means "not gradable", never grade 0.
    assert grade_lab("ANC", 3.0, None, 7.5, version=version).grade is None
    assert grade_lab("ALT", 20.0, 5.0, None, version=version).grade is None
    assert grade_lab("HGB", 130.0, None, None, version=version).grade is None
    # Only the relevant limit is needed.
    assert grade_lab("ANC", 3.0, 2.0, None, version=version).grade == 0
    assert grade_lab("ALT", 20.0, None, 40.0, version=version).grade == 0


def test_corrected_calcium_used_with_albumin() -> None:
    # Corrected calcium = Ca + 0.02 x (40 - albumin g/L): 2.5 with albumin 25 -> 2.8.
    result = grade_lab("CA", 2.5, 2.2, 2.6, albumin_g_l=25.0)
    assert result.value_graded == pytest.approx(2.8)
    assert result.grade == 1
    assert grade_lab("CA", 2.5, 2.2, 2.6).grade == 0
    # 2.7 + 0.02 x 10 = 2.9 exactly: grade 1, not 2 (floating-point noise ignored).
    assert grade_lab("CA", 2.7, 2.2, 2.6, albumin_g_l=30.0).grade == 1


def test_v5_glucose_is_clinical_only() -> None:
    # v5.0 hyperglycaemia grades are clinical words: above ULN is not gradable from the value.
    assert grade_lab("GLUC", 30.0, 3.9, 6.1, version="5.0").grade is None
    assert grade_lab("GLUC", 5.0, 3.9, 6.1, version="5.0").grade == 0
    assert grade_lab("GLUC", 30.0, 3.9, 6.1, version="4.03").grade == 4


@pytest.mark.parametrize(
    ("test", "uln", "baseline", "value", "v5", "v4"),
    [
        # ALT v5.0, baseline abnormal (60 > ULN 40): "1.5 - 3.0 x baseline" (90-180) is 1,
        # ">3.0 - 5.0" is 2, ">5.0 - 20.0" is 3, ">20.0 x baseline" is 4.
        ("ALT", 40.0, 60.0, 89.9, 0, 1),
        ("ALT", 40.0, 60.0, 90.0, 1, 1),
        ("ALT", 40.0, 60.0, 180.0, 1, 2),
        ("ALT", 40.0, 60.0, 180.1, 2, 2),
        ("ALT", 40.0, 60.0, 300.0, 2, 3),
        ("ALT", 40.0, 60.0, 300.1, 3, 3),
        ("ALT", 40.0, 60.0, 1200.0, 3, 4),
        ("ALT", 40.0, 60.0, 1200.1, 4, 4),
        ("ALT", 40.0, 60.0, 39.0, 0, 0),  # inside the normal range: grade 0
        ("AST", 35.0, 70.0, 104.9, 0, 1),
        ("AST", 35.0, 70.0, 105.0, 1, 1),
        ("AST", 35.0, 70.0, 210.1, 2, 3),
        # Baseline normal: the ULN thresholds apply in v5.0 too.
        ("ALT", 40.0, 30.0, 120.1, 2, 2),
        # Bilirubin v5.0, baseline abnormal (30 > ULN 20): "> 1.0 - 1.5 x baseline" is 1.
        ("BILI", 20.0, 30.0, 30.0, 0, 1),
        ("BILI", 20.0, 30.0, 30.1, 1, 2),
        ("BILI", 20.0, 30.0, 45.0, 1, 2),
        ("BILI", 20.0, 30.0, 45.1, 2, 2),
        ("BILI", 20.0, 30.0, 90.0, 2, 3),
        ("BILI", 20.0, 30.0, 90.1, 3, 3),
        ("BILI", 20.0, 30.0, 300.0, 3, 4),
        ("BILI", 20.0, 30.0, 300.1, 4, 4),
        # Creatinine v5.0: ">1.5 - 3.0 x baseline" is 2, ">3.0 x baseline" is 3 (OR ULN rule).
        ("CREAT", 100.0, 80.0, 120.0, 1, 1),
        ("CREAT", 100.0, 80.0, 120.1, 2, 1),
        ("CREAT", 100.0, 80.0, 240.0, 2, 2),
        ("CREAT", 100.0, 80.0, 240.1, 3, 2),
        ("CREAT", 100.0, 80.0, 600.1, 4, 4),
        ("CREAT", 100.0, 50.0, 95.0, 0, 0),  # inside the normal range: grade 0
    ],
)
def test_v5_baseline_rules(test, uln, baseline, value, v5, v4) -> None:
    # v5.0 grades relative to an abnormal baseline; v4.03 (PROTOCOL table) ignores it.
    assert grade_lab(test, value, None, uln, baseline=baseline, version="5.0").grade == v5
    assert grade_lab(test, value, None, uln, baseline=baseline, version="4.03").grade == v4


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="unknown lab test"):
        grade_lab("NA", 140.0, 135.0, 145.0)
    with pytest.raises(ValueError, match="version"):
        grade_lab("ANC", 1.0, 2.0, 7.5, version="6.0")
    with pytest.raises(ValueError, match="negative"):
        grade_lab("ANC", -1.0, 2.0, 7.5)
    with pytest.raises(ValueError, match="lln"):
        grade_lab("ANC", 1.0, 8.0, 7.5)


# ----------------------------------------------------------------------------- term list


@pytest.fixture(scope="module")
def terms_v4():
    return load_ctcae_terms(CTCAE_DIR, "4.03")


@pytest.mark.parametrize(("version", "count"), [("4.03", 790), ("5.0", 837)])
def test_load_terms(version: str, count: int) -> None:
    terms = load_ctcae_terms(CTCAE_DIR, version)
    assert len(terms) == count
    anemia = next(t for t in terms if t.term == "Anemia")
    assert anemia.meddra_code == "10002272"
    assert anemia.soc == "Blood and lymphatic system disorders"
    assert anemia.grade_text(5) == "Death"
    assert anemia.definition.startswith("A disorder characterized by")


@pytest.mark.parametrize("version", VERSIONS)
def test_lab_terms_exist_in_reference(version: str) -> None:
    # The graded terms and MedDRA codes are those of the reference CSV.
    by_code = {t.meddra_code: t.term for t in load_ctcae_terms(CTCAE_DIR, version)}
    for test in LAB_TESTS:
        rule = lab_rule(test, version)
        assert by_code[rule.meddra_code] == rule.term


def test_parse_terms_from_text() -> None:
    text = (
        "meddra_code,soc,term,grade_1,grade_2,grade_3,grade_4,grade_5,definition\n"
        "1,Skin,Rash acneiform,a,b,c,-,-,def\n"
    )
    (term,) = parse_ctcae_terms(text, "4.03")
    assert term.allowed_grades == (1, 2, 3)
    with pytest.raises(ValueError, match="lacks"):
        parse_ctcae_terms("term\nx\n", "4.03")


def test_search_prefix_first_and_insensitive(terms_v4) -> None:
    # Case/accent-insensitive; the term starting with the query ranks first, then word
    # prefixes, then substrings.
    names = [t.term for t in search_terms(terms_v4, "RASH", 10)]
    assert names[0].startswith("Rash")
    assert "Papulopustular rash" in names
    assert names.index("Papulopustular rash") > max(
        i for i, n in enumerate(names) if n.startswith("Rash")
    )
    assert [t.term for t in search_terms(terms_v4, "anémia", 5)] == ["Anemia"]
    assert search_terms(terms_v4, "count dec", 20)[0].term.endswith("count decreased")


def test_search_limit_empty_and_code(terms_v4) -> None:
    assert len(search_terms(terms_v4, "a", 7)) == 7
    assert search_terms(terms_v4, "   ", 7) == []
    assert search_terms(terms_v4, "zzzz", 7) == []
    assert search_terms(terms_v4, "10029366", 3)[0].term == "Neutrophil count decreased"


def test_search_word_prefix_beats_substring(terms_v4) -> None:
    # "neutro": "Neutrophil count decreased" (start) before "Febrile neutropenia" (word).
    names = [t.term for t in search_terms(terms_v4, "neutro", 5)]
    assert names[:2] == ["Neutrophil count decreased", "Febrile neutropenia"]


@pytest.mark.parametrize(
    ("term", "grade", "quoted"),
    [
        ("Alanine aminotransferase increased", 1, "1.5 - 3.0 x baseline if baseline was abnormal"),
        ("Aspartate aminotransferase increased", 4, ">20.0 x baseline if baseline was abnormal"),
        ("Blood bilirubin increased", 1, "> 1.0 - 1.5 x baseline if baseline was abnormal"),
        ("Blood bilirubin increased", 4, ">10.0 x baseline if baseline was abnormal"),
        ("Creatinine increased", 1, ">ULN - 1.5 x ULN"),
        ("Creatinine increased", 3, ">3.0 x baseline; >3.0 - 6.0 x ULN"),
        ("Hyperglycemia", 1, "Abnormal glucose above baseline with no medical intervention"),
    ],
)
def test_v5_tables_quote_the_reference_texts(term: str, grade: int, quoted: str) -> None:
    # The v5.0 tables in the engine were derived from these grade texts of the reference CSV.
    terms = {t.term: t for t in load_ctcae_terms(CTCAE_DIR, "5.0")}
    assert quoted in terms[term].grade_text(grade)
