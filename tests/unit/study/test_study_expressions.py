"""Every expression of the real forms evaluates, never raising, on values of declared types."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.checks import UNKNOWN, Expression, parse
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.study import Item, StudyDefinition, load_study

STUDY: StudyDefinition = load_study(forms_dir())


def _strategy(item: Item) -> st.SearchStrategy[object]:
    codes = STUDY.codelist(item.codelist).codes if item.codelist else ()
    by_type: dict[str, st.SearchStrategy[object]] = {
        "text": st.text(max_size=6),
        "long_text": st.text(max_size=6),
        "ctcae_term": st.text(max_size=6),
        "integer": st.integers(-(10**6), 10**6),
        "decimal": st.floats(allow_nan=True, allow_infinity=True) | st.decimals(),
        "computed": st.floats(allow_nan=False) | st.integers(),
        "date": st.dates(),
        "partial_date": st.dates() | st.sampled_from(["UN-UNK-2005", "UN-MAR-2010"]),
        "time": st.times(),
        "yes_no": st.booleans(),
        "choice": st.sampled_from(codes) if codes else st.nothing(),
        "multi_choice": st.lists(st.sampled_from(codes), max_size=4, unique=True)
        if codes
        else st.nothing(),
    }
    return st.none() | by_type[item.type]


def _expressions() -> list[tuple[str, Expression]]:
    found: list[tuple[str, Expression]] = []
    for form in STUDY.forms:
        for check in form.edit_checks:
            if check.expression:
                found.append((check.oid, parse(check.expression)))
        for group in form.item_groups:
            if group.visible_if:
                found.append((group.oid, parse(group.visible_if)))
            for item in group.items:
                if item.visible_if:
                    found.append((item.oid, parse(item.visible_if)))
    for event in STUDY.events:
        for ref in event.forms:
            if ref.applicable_if:
                found.append((f"{event.oid}/{ref.form}", parse(ref.applicable_if)))
    return found


EXPRESSIONS = _expressions()


@pytest.mark.parametrize(("owner", "expression"), EXPRESSIONS, ids=[o for o, _ in EXPRESSIONS])
def test_expression_is_unknown_when_nothing_is_entered(owner: str, expression: Expression) -> None:
    result = expression.evaluate({})
    # With nothing entered a check must not fire and nothing is decided, except
    # expressions that are about missingness themselves.
    assert result is UNKNOWN or "is_missing" in expression.source or "is_present" in (
        expression.source
    ), owner


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_real_expressions_never_raise_on_declared_types(data: st.DataObject) -> None:
    for owner, expression in EXPRESSIONS:
        values = {
            oid: data.draw(_strategy(STUDY.item(oid)), label=oid)
            for oid in sorted(expression.references)
        }
        result = expression.evaluate(values)
        assert result is UNKNOWN or isinstance(result, bool), (owner, values, result)


def test_visible_if_and_checks_behave_on_examples() -> None:
    wocbp = parse(STUDY.item("I.DM.CHILDPOT").visible_if or "")
    assert wocbp.holds({"I.DM.SEX": "F"})
    assert not wocbp.holds({"I.DM.SEX": "M"})
    reason = parse(STUDY.item("I.POM.REASON").visible_if or "")
    assert reason.holds({"I.POM.STATUS": "INTERRUPTED"})
    assert not reason.holds({"I.POM.STATUS": "TAKEN"})
    ae_dates = next(c for c in STUDY.form("F.AE").edit_checks if c.oid == "EC.AE.DATES")
    check = parse(ae_dates.expression or "")
    assert check.fails({"I.AE.STARTDAT": dt.date(2010, 5, 2), "I.AE.STOPDAT": dt.date(2010, 5, 1)})
    assert not check.fails({"I.AE.STARTDAT": dt.date(2010, 5, 2)})
    contraception = next(
        c for c in STUDY.form("F.PREG").edit_checks if c.oid == "EC.PREG.TWO_METHODS"
    )
    two = parse(contraception.expression or "")
    assert two.fails({"I.PREG.CONTRA": ["CONDOM"]})
    assert two.holds({"I.PREG.CONTRA": ["CONDOM", "IMPLANT"]})
    assert two.holds({"I.PREG.CONTRA": ["ABSTINENCE"]})
