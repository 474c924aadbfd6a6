"""CTCAE grades of stored laboratory values, for the form editor and the printed casebook.

A lab item is recognised by its OID ending (``I.HEM.ANC`` is the ANC test) and
its normal limits by the items of the same group ending in ``_LLN`` / ``_ULN``
(``I.HEM.ANC_LLN``). When the form carries neither limit, the site's normal range for
the patient's sex (:mod:`ctrial_desktop.services.normal_ranges`) is used; with no range
at all the value is not gradable (None), never normal. The grade itself comes from
:func:`ctrial_desktop.domain.ctcae.grade_lab`
(PROTOCOL section 7), in the CTCAE version of the study settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Final

from ctrial_desktop.domain.ctcae import LabGrade, grade_lab
from ctrial_desktop.services.forms import ValueKey

#: Item OID endings and the CTCAE lab test they hold.
LAB_ITEMS: Final[Mapping[str, str]] = {
    "ANC": "ANC", "PLT": "PLT", "HGB": "HGB", "WBC": "WBC", "LYM": "LYMPH",
    "CREAT": "CREAT", "ALT": "ALT", "AST": "AST", "BILI": "BILI", "CA": "CA",
    "GLUC": "GLUC", "K": "K",
}


def _number(values: Mapping[ValueKey, str], key: ValueKey) -> float | None:
    text = values.get(key)
    if text is None:
        return None
    try:
        return float(Decimal(text))
    except InvalidOperation:
        return None


def lab_test_of(item_oid: str) -> str | None:
    """The CTCAE test of an item (``I.HEM.ANC`` -> ``ANC``), or None."""
    return LAB_ITEMS.get(item_oid.rsplit(".", 1)[-1])


def lab_grade(key: ValueKey, values: Mapping[ValueKey, str], version: str,
              site_limits: Mapping[str, tuple[float | None, float | None]] | None = None
              ) -> int | None:
    """The CTCAE grade of the value at ``key`` (0 = normal), or None when not gradable.

    ``site_limits`` maps a test to the site's (LLN, ULN) for the patient; used only when
    the form has no limit of its own for the value.
    """
    graded = lab_grading(key, values, version, site_limits)
    return None if graded is None else graded.grade


def lab_grading(key: ValueKey, values: Mapping[ValueKey, str], version: str,
                site_limits: Mapping[str, tuple[float | None, float | None]] | None = None
                ) -> LabGrade | None:
    """The whole CTCAE grading of the value at ``key`` (term, MedDRA code, grade), or
    None when not gradable (see :func:`lab_grade`)."""
    test = lab_test_of(key.item_oid)
    value = _number(values, key)
    if test is None or value is None or value < 0:
        return None
    lln = _number(values, ValueKey(key.group_oid, key.repeat, f"{key.item_oid}_LLN"))
    uln = _number(values, ValueKey(key.group_oid, key.repeat, f"{key.item_oid}_ULN"))
    if lln is None and uln is None and site_limits:
        lln, uln = site_limits.get(test, (None, None))
    albumin = None
    if test == "CA":  # corrected for the albumin of the same form (PROTOCOL section 7)
        prefix = key.item_oid.rsplit(".", 1)[0]
        albumin = next((_number(values, k) for k in values if k.item_oid == f"{prefix}.ALB"),
                       None)
    try:
        graded = grade_lab(test, value, lln, uln, albumin_g_l=albumin, version=version)
    except ValueError:
        return None
    return graded if graded.grade is not None else None
