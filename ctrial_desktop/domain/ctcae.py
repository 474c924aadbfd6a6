"""NCI CTCAE: laboratory toxicity grades and the term list (PROTOCOL section 7).

Two parts:

* :func:`grade_lab` derives the CTCAE grade of one laboratory value from its
  normal range (and, for v5.0, the patient's baseline), in the SI units of the
  PROTOCOL table. The thresholds are encoded below as tables, each with the
  grade text it comes from. A value inside the normal range is grade 0; a
  missing normal limit (LLN for a "decreased" test, ULN for an "increased"
  one) makes the value not gradable (grade ``None``), never grade 0.
* :func:`load_ctcae_terms` / :func:`parse_ctcae_terms` read the CTCAE term list
  (MedDRA code, SOC, term, grade texts, definition) from the reference CSV files
  of a folder the caller passes; :func:`search_terms` is the search-as-you-type
  used by the adverse-event form.

Grades that CTCAE defines by clinical words only (e.g. hypokalaemia grade 2
"symptomatic; intervention indicated", anaemia grade 4 "life-threatening") are
never derived from a value: the value gives the highest grade the numbers
support.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ctrial_desktop.domain.labs import corrected_calcium

__all__ = [
    "LAB_TESTS",
    "VERSIONS",
    "CtcaeTerm",
    "LabGrade",
    "LabRule",
    "Threshold",
    "grade_lab",
    "lab_rule",
    "load_ctcae_terms",
    "parse_ctcae_terms",
    "search_terms",
]

VERSIONS: tuple[str, ...] = ("4.03", "5.0")


@dataclass(frozen=True, slots=True)
class Threshold:
    """Grade ``grade`` when the value passes ``factor`` x the basis.

    ``basis`` is "abs" (the factor is the limit itself, in the test's unit),
    "uln" (times the upper limit of normal) or "baseline" (times the patient's
    baseline). Decreasing tests compare ``value < limit``; increasing tests
    ``value > limit``, or ``value >= limit`` when ``inclusive``.
    """

    grade: int
    factor: float
    basis: str = "abs"
    inclusive: bool = False


@dataclass(frozen=True, slots=True)
class LabRule:
    """How one laboratory test is graded in one CTCAE version."""

    test: str
    meddra_code: str
    term: str
    direction: str  # "low" (decreased) or "high" (increased)
    unit: str
    thresholds: tuple[Threshold, ...]
    #: v5.0 "if baseline was abnormal": replaces ``thresholds`` (grade 1 included)
    #: when the baseline is above ULN.
    abnormal_baseline: tuple[Threshold, ...] = ()
    #: Extra "x baseline" criteria OR-ed with ``thresholds`` (v5.0 creatinine).
    baseline_alternatives: tuple[Threshold, ...] = ()
    #: False when values above ULN are graded only on clinical words (v5.0 glucose).
    gradable_above_uln: bool = True


_T = Threshold

# --- v4.03 (PROTOCOL section 7 table; quoted texts from ctcae_v4.03.csv) -------------

_V4_RULES: tuple[LabRule, ...] = (
    # "<LLN - 1.5 x 10e9 /L" | "<1.5 - 1.0" | "<1.0 - 0.5" | "<0.5 x 10e9 /L"
    LabRule(
        "ANC",
        "10029366",
        "Neutrophil count decreased",
        "low",
        "x10^9/L",
        (_T(2, 1.5), _T(3, 1.0), _T(4, 0.5)),
    ),
    # "<LLN - 75.0 x 10e9 /L" | "<75.0 - 50.0" | "<50.0 - 25.0" | "<25.0 x 10e9 /L"
    LabRule(
        "PLT",
        "10035528",
        "Platelet count decreased",
        "low",
        "x10^9/L",
        (_T(2, 75.0), _T(3, 50.0), _T(4, 25.0)),
    ),
    # "<LLN - 100 g/L" | "<100 - 80g/L" | "<80 g/L; transfusion indicated" | grade 4 clinical
    LabRule("HGB", "10002272", "Anemia", "low", "g/L", (_T(2, 100.0), _T(3, 80.0))),
    # "<LLN - 3.0 x 10e9 /L" | "<3.0 - 2.0" | "<2.0 - 1.0" | "<1.0 x 10e9 /L"
    LabRule(
        "WBC",
        "10049182",
        "White blood cell decreased",
        "low",
        "x10^9/L",
        (_T(2, 3.0), _T(3, 2.0), _T(4, 1.0)),
    ),
    # "<LLN - 0.8 x 10e9/L" | "<0.8 - 0.5" | "<0.5 - 0.2" | "<0.2 x 10e9 /L"
    LabRule(
        "LYMPH",
        "10025256",
        "Lymphocyte count decreased",
        "low",
        "x10^9/L",
        (_T(2, 0.8), _T(3, 0.5), _T(4, 0.2)),
    ),
    # ">ULN - 1.5 x ULN" | ">1.5 - 3.0 x ULN" | ">3.0 - 6.0 x ULN" | ">6.0 x ULN"
    # (the v4.03 "x baseline" criteria are not in the PROTOCOL table and are not used)
    LabRule(
        "CREAT",
        "10011368",
        "Creatinine increased",
        "high",
        "x ULN",
        (_T(2, 1.5, "uln"), _T(3, 3.0, "uln"), _T(4, 6.0, "uln")),
    ),
    # ">ULN - 3.0 x ULN" | ">3.0 - 5.0 x ULN" | ">5.0 - 20.0 x ULN" | ">20.0 x ULN"
    LabRule(
        "ALT",
        "10001551",
        "Alanine aminotransferase increased",
        "high",
        "x ULN",
        (_T(2, 3.0, "uln"), _T(3, 5.0, "uln"), _T(4, 20.0, "uln")),
    ),
    LabRule(
        "AST",
        "10003481",
        "Aspartate aminotransferase increased",
        "high",
        "x ULN",
        (_T(2, 3.0, "uln"), _T(3, 5.0, "uln"), _T(4, 20.0, "uln")),
    ),
    # ">ULN - 1.5 x ULN" | ">1.5 - 3.0 x ULN" | ">3.0 - 10.0 x ULN" | ">10.0 x ULN"
    LabRule(
        "BILI",
        "10005364",
        "Blood bilirubin increased",
        "high",
        "x ULN",
        (_T(2, 1.5, "uln"), _T(3, 3.0, "uln"), _T(4, 10.0, "uln")),
    ),
    # "Corrected serum calcium of >ULN - 2.9 mmol/L" | ">2.9 - 3.1" | ">3.1 - 3.4" | ">3.4"
    LabRule(
        "CA", "10020587", "Hypercalcemia", "high", "mmol/L", (_T(2, 2.9), _T(3, 3.1), _T(4, 3.4))
    ),
    # "Fasting glucose value >ULN - 8.9 mmol/L" | ">8.9 - 13.9" | ">13.9 - 27.8" | ">27.8"
    LabRule(
        "GLUC",
        "10020639",
        "Hyperglycemia",
        "high",
        "mmol/L",
        (_T(2, 8.9), _T(3, 13.9), _T(4, 27.8)),
    ),
    # "<LLN - 3.0 mmol/L" | grade 2 adds "symptomatic; intervention indicated" (clinical)
    # | "<3.0 - 2.5 mmol/L" | "<2.5 mmol/L"
    LabRule("K", "10021018", "Hypokalemia", "low", "mmol/L", (_T(3, 3.0), _T(4, 2.5))),
)

# --- v5.0: where the grade texts of ctcae_v5.0.csv differ from v4.03 ------------------

_V5_CHANGES: dict[str, dict[str, object]] = {
    # ALT/AST v5.0: ">ULN - 3.0 x ULN if baseline was normal; 1.5 - 3.0 x baseline if
    # baseline was abnormal" | ">3.0 - 5.0 x ULN ...; >3.0 - 5.0 x baseline ..." |
    # ">5.0 - 20.0 x ULN ...; >5.0 - 20.0 x baseline ..." | ">20.0 x ULN ...; >20.0 x
    # baseline if baseline was abnormal"
    "ALT": {
        "abnormal_baseline": (
            _T(1, 1.5, "baseline", inclusive=True),
            _T(2, 3.0, "baseline"),
            _T(3, 5.0, "baseline"),
            _T(4, 20.0, "baseline"),
        )
    },
    "AST": {
        "abnormal_baseline": (
            _T(1, 1.5, "baseline", inclusive=True),
            _T(2, 3.0, "baseline"),
            _T(3, 5.0, "baseline"),
            _T(4, 20.0, "baseline"),
        )
    },
    # Bilirubin v5.0: ">ULN - 1.5 x ULN if baseline was normal; > 1.0 - 1.5 x baseline
    # if baseline was abnormal" | ">1.5 - 3.0 x baseline" | ">3.0 - 10.0 x baseline" |
    # ">10.0 x baseline if baseline was abnormal"
    "BILI": {
        "abnormal_baseline": (
            _T(1, 1.0, "baseline"),
            _T(2, 1.5, "baseline"),
            _T(3, 3.0, "baseline"),
            _T(4, 10.0, "baseline"),
        )
    },
    # Creatinine v5.0: ">ULN - 1.5 x ULN" | ">1.5 - 3.0 x baseline; >1.5 - 3.0 x ULN" |
    # ">3.0 x baseline; >3.0 - 6.0 x ULN" | ">6.0 x ULN"
    "CREAT": {"baseline_alternatives": (_T(2, 1.5, "baseline"), _T(3, 3.0, "baseline"))},
    # Hyperglycemia v5.0: "Abnormal glucose above baseline with no medical intervention" |
    # "Change in daily management ...; oral antiglycemic agent initiated" | "Insulin
    # therapy initiated; hospitalization indicated" | "Life-threatening consequences":
    # no numeric thresholds, so a value above ULN is not gradable from the number.
    "GLUC": {"thresholds": (), "gradable_above_uln": False},
}


def _v5_rules() -> tuple[LabRule, ...]:
    return tuple(replace(rule, **_V5_CHANGES.get(rule.test, {})) for rule in _V4_RULES)  # type: ignore[arg-type]


_RULES: dict[str, dict[str, LabRule]] = {
    "4.03": {rule.test: rule for rule in _V4_RULES},
    "5.0": {rule.test: rule for rule in _v5_rules()},
}

#: Test codes accepted by :func:`grade_lab`.
LAB_TESTS: tuple[str, ...] = tuple(rule.test for rule in _V4_RULES)


@dataclass(frozen=True, slots=True)
class LabGrade:
    """The grade of one value: ``grade`` is None when not gradable (see ``note``)."""

    test: str
    term: str
    meddra_code: str
    grade: int | None
    value_graded: float
    note: str = ""


def lab_rule(test: str, version: str = "4.03") -> LabRule:
    """The grading rule of a test code (ANC, PLT, ...) in a CTCAE version."""
    if version not in _RULES:
        raise ValueError(f"unknown CTCAE version {version!r} (expected {' or '.join(VERSIONS)})")
    try:
        return _RULES[version][test.upper()]
    except KeyError:
        raise ValueError(
            f"unknown lab test {test!r} (expected one of {', '.join(LAB_TESTS)})"
        ) from None


#: Relative tolerance of threshold comparisons, so that e.g. 2.7 + 0.02 x (40 - 30)
#: (2.9000000000000004 in binary floating point) is not "> 2.9".
_EPS = 1e-9


def _below(value: float, limit: float) -> bool:
    return value < limit - _EPS * max(1.0, abs(limit))


def _above(value: float, limit: float, inclusive: bool = False) -> bool:
    tolerance = _EPS * max(1.0, abs(limit))
    return value >= limit - tolerance if inclusive else value > limit + tolerance


def _limit(threshold: Threshold, uln: float, baseline: float | None) -> float | None:
    if threshold.basis == "uln":
        return threshold.factor * uln
    if threshold.basis == "baseline":
        return None if baseline is None else threshold.factor * baseline
    return threshold.factor


def grade_lab(
    test: str,
    value: float,
    lln: float | None,
    uln: float | None,
    *,
    baseline: float | None = None,
    albumin_g_l: float | None = None,
    version: str = "4.03",
) -> LabGrade:
    """CTCAE grade of ``value`` for ``test`` (codes in :data:`LAB_TESTS`).

    ``albumin_g_l`` corrects calcium (``CA``) before grading. ``baseline`` is used
    by v5.0 only: for ALT, AST and bilirubin the "x baseline" thresholds apply
    when the baseline is above ULN; for creatinine the "x baseline" criteria
    are OR-ed with the ULN ones. A missing baseline counts as normal. Raises
    ValueError for an unknown test or version, or a negative value.
    """
    rule = lab_rule(test, version)
    for name, number in (("value", value), ("lln", lln), ("uln", uln), ("baseline", baseline)):
        if number is not None and number < 0:
            raise ValueError(f"{name} must not be negative")
    if lln is not None and uln is not None and lln > uln:
        raise ValueError("lln must not be above uln")
    graded = value
    note = ""
    if rule.test == "CA" and albumin_g_l is not None:
        graded = corrected_calcium(value, albumin_g_l)
        note = f"corrected calcium {graded:.3f} mmol/L"

    def result(grade: int | None, why: str = note) -> LabGrade:
        return LabGrade(rule.test, rule.term, rule.meddra_code, grade, graded, why)

    if rule.direction == "low":
        if lln is None:
            return result(None, "no lower limit of normal: not gradable")
        if not _below(graded, lln):
            return result(0)
        grade = 1
        for t in rule.thresholds:
            if _below(graded, t.factor):
                grade = max(grade, t.grade)
        return result(grade)

    if uln is None:
        return result(None, "no upper limit of normal: not gradable")
    if not _above(graded, uln):
        return result(0)
    if not rule.gradable_above_uln:
        return result(None, f"CTCAE v{version} grades {rule.term} on clinical criteria only")
    if rule.abnormal_baseline and baseline is not None and baseline > uln:
        grade = 0
        for t in rule.abnormal_baseline:
            limit = _limit(t, uln, baseline)
            if limit is not None and _above(graded, limit, t.inclusive):
                grade = max(grade, t.grade)
        return result(grade, "graded against the abnormal baseline")
    grade = 1
    for t in (*rule.thresholds, *rule.baseline_alternatives):
        limit = _limit(t, uln, baseline)
        if limit is not None and _above(graded, limit, t.inclusive):
            grade = max(grade, t.grade)
    return result(grade)


# --------------------------------------------------------------------------- term list


def _fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` for searching."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True, slots=True)
class CtcaeTerm:
    """One CTCAE term; ``grades`` holds the texts of grades 1-5 ("" = not defined)."""

    meddra_code: str
    soc: str
    term: str
    grades: tuple[str, str, str, str, str]
    definition: str
    version: str
    _key: str = field(default="", repr=False, compare=False)
    _words: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        key = _fold(self.term)
        object.__setattr__(self, "_key", key)
        words = "".join(c if c.isalnum() else " " for c in key).split()
        object.__setattr__(self, "_words", tuple(words))

    def grade_text(self, grade: int) -> str:
        """Text of grade 1-5 ("" when CTCAE does not define that grade)."""
        if not 1 <= grade <= 5:
            raise ValueError("grade must be 1 to 5")
        return self.grades[grade - 1]

    @property
    def allowed_grades(self) -> tuple[int, ...]:
        """Grades this term defines (a text that is not "" or "-")."""
        return tuple(g for g in range(1, 6) if self.grades[g - 1].strip() not in ("", "-"))


_TERM_COLUMNS = (
    "meddra_code",
    "soc",
    "term",
    "grade_1",
    "grade_2",
    "grade_3",
    "grade_4",
    "grade_5",
    "definition",
)


def parse_ctcae_terms(text: str, version: str) -> list[CtcaeTerm]:
    """Parse the text of a ``ctcae_v{version}.csv`` reference file."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _TERM_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"CTCAE v{version} file lacks column(s): {', '.join(missing)}")
    terms = []
    for row in reader:
        grades = tuple((row[f"grade_{g}"] or "").strip() for g in range(1, 6))
        terms.append(
            CtcaeTerm(
                meddra_code=(row["meddra_code"] or "").strip(),
                soc=(row["soc"] or "").strip(),
                term=(row["term"] or "").strip(),
                grades=grades,  # type: ignore[arg-type]
                definition=(row["definition"] or "").strip(),
                version=version,
            )
        )
    return terms


def load_ctcae_terms(folder: Path | str, version: str = "4.03") -> list[CtcaeTerm]:
    """Read ``ctcae_v{version}.csv`` from ``folder`` (the caller gives the folder)."""
    if version not in VERSIONS:
        raise ValueError(f"unknown CTCAE version {version!r} (expected {' or '.join(VERSIONS)})")
    path = Path(folder) / f"ctcae_v{version}.csv"
    return parse_ctcae_terms(path.read_text(encoding="utf-8"), version)


def search_terms(terms: Iterable[CtcaeTerm], query: str, limit: int = 20) -> list[CtcaeTerm]:
    """Terms matching ``query``, best first, at most ``limit``.

    Case- and accent-insensitive; every query word must occur in the term.
    Ranking: the term starts with the query, then every query word is the
    prefix of a word of the term, then any substring match; ties alphabetical.
    A query of digits also matches the start of the MedDRA code.
    """
    folded = _fold(query).strip()
    if not folded or limit <= 0:
        return []
    qwords = "".join(c if c.isalnum() else " " for c in folded).split()
    ranked: list[tuple[int, str, CtcaeTerm]] = []
    code_query = folded.isdigit()
    for term in terms:
        key = term._key
        if code_query and term.meddra_code.startswith(folded):
            ranked.append((0, key, term))
            continue
        if not all(w in key for w in qwords):
            continue
        if key.startswith(folded):
            rank = 0
        elif all(any(tw.startswith(w) for tw in term._words) for w in qwords):
            rank = 1
        else:
            rank = 2
        ranked.append((rank, key, term))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in ranked[:limit]]
