"""The expression language of visibility conditions and edit checks."""

from __future__ import annotations

import datetime as dt
import pickle
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.checks import FUNCTIONS, UNKNOWN, ExpressionError, Unknown, parse

D1, D2 = dt.date(2010, 3, 1), dt.date(2010, 3, 15)


def ev(source: str, **values: object) -> object:
    """Evaluate; ``I_A_B`` in the source and in the keywords stands for the OID ``I.A.B``."""
    dotted = re.sub(r"\bI_([A-Z])_([A-Z])\b", r"I.\1.\2", source)
    return parse(dotted).evaluate({k.replace("_", "."): v for k, v in values.items()})


# --------------------------------------------------------------------------- parsing


def test_references_are_the_item_oids() -> None:
    expression = parse("I.AE.STOPDAT >= I.AE.STARTDAT and not is_missing(I.AE.GRADE)")
    assert expression.references == {"I.AE.STOPDAT", "I.AE.STARTDAT", "I.AE.GRADE"}
    assert parse("1 + 2 == 3").references == frozenset()


def test_leading_whitespace_and_positions() -> None:
    assert parse("  I.A.B == 1  ").references == {"I.A.B"}
    with pytest.raises(ExpressionError) as info:
        parse("I.A.B + open('x')")
    assert info.value.position == 8
    assert "column 9" in str(info.value)


@pytest.mark.parametrize(
    "source",
    [
        "",
        "   ",
        "I.A +",
        "(1",
        "I.A.B ==",
    ],
)
def test_syntax_errors(source: str) -> None:
    with pytest.raises(ExpressionError):
        parse(source)


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("__import__('os').system('echo')", "this call"),
        ("__import__('os')", "call to '__import__'"),
        ("open('/etc/passwd')", "call to 'open'"),
        ("eval('1')", "call to 'eval'"),
        ("getattr(I.A.B, 'x')", "call to 'getattr'"),
        ("'abc'.upper()", "this call"),
        ("I.A.B.__class__", "attribute access"),
        ("I.A.__class__.__bases__", "attribute access"),
        ("(1).real", "attribute access"),
        ("x.y", "attribute access"),
        ("(lambda: 1)()", "this call"),
        ("lambda: 1", "Lambda"),
        ("[x for x in [1, 2]]", "ListComp"),
        ("{x for x in [1]}", "SetComp"),
        ("{1: 2}", "Dict"),
        ("(x for x in [1])", "GeneratorExp"),
        ("[1, 2][0]", "Subscript"),
        ("(y := 1)", "NamedExpr"),
        ("f'{I.A.B}'", "JoinedStr"),
        ("I.A.B ** 2", "Pow"),
        ("I.A.B << 2", "LShift"),
        ("I.A.B & 1", "BitAnd"),
        ("~I.A.B", "Invert"),
        ("I.A.B is None", "None"),
        ("I.A.B is 1", "Is"),
        ("None", "None"),
        ("b'x'", "literal"),
        ("1j", "literal"),
        ("round(I.A.B, ndigits=2)", "keyword"),
        ("max(*[1, 2])", "starred"),
        ("[*[1]]", "starred"),
        ("__builtins__", "unknown name"),
        ("foo", "unknown name"),
        ("is_missing", "must be called"),
        ("is_missing(I.A.B, I.A.C)", "takes 1-1 arguments"),
        ("I.A.B if True", "syntax"),
    ],
)
def test_whitelist_refuses(source: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(source)
    assert fragment in str(info.value)
    assert info.value.source == source


def test_refuses_non_text_and_huge_sources() -> None:
    with pytest.raises(ExpressionError):
        parse(42)  # type: ignore[arg-type]
    with pytest.raises(ExpressionError, match="longer than"):
        parse("1 + " * 1000 + "1")


def test_refuses_deep_nesting() -> None:
    with pytest.raises(ExpressionError):
        parse("(" * 200 + "1" + ")" * 200 + " + " + "-" * 300 + "1")


# --------------------------------------------------------------------------- evaluation


def test_comparisons_and_arithmetic() -> None:
    assert ev("I_A_B * 2 + 1 == 7", I_A_B=3) is True
    assert ev("I_A_B / 4", I_A_B=2) == 0.5
    assert ev("I_A_B // 4 + I_A_B % 4", I_A_B=9) == 3
    assert ev("-I_A_B < 0", I_A_B=1) is True
    assert ev("1 < I_A_B <= 3", I_A_B=3) is True
    assert ev("1 < I_A_B <= 3", I_A_B=4) is False
    assert ev("I_A_B == 'X'", I_A_B="X") is True
    assert ev("I_A_B != 'X'", I_A_B="Y") is True
    assert ev("'a' + 'b' == 'ab'") is True
    assert ev("(I_A_B if I_A_C else 0) == 5", I_A_B=5, I_A_C=True) is True
    assert ev("I_A_B if I_A_C else 0", I_A_B=5, I_A_C=False) == 0


def test_decimal_values_compare_with_floats() -> None:
    assert ev("I_A_B >= 1.0", I_A_B=Decimal("1.0")) is True
    assert ev("I_A_B + 0.5 == 2.0", I_A_B=Decimal("1.5")) is True


def test_choice_codes_compare_as_text_or_integer() -> None:
    assert ev("I_A_B == 5", I_A_B="5") is True
    assert ev("I_A_B in [1, 2]", I_A_B="2") is True


def test_dates() -> None:
    assert ev("I_A_E >= I_A_S", I_A_S=D1, I_A_E=D2) is True
    assert ev("I_A_E >= I_A_S", I_A_S=D2, I_A_E=D1) is False
    assert ev("I_A_E - I_A_S", I_A_S=D1, I_A_E=D2) == 14
    assert ev("days_between(I_A_S, I_A_E)", I_A_S=D1, I_A_E=D2) == 14
    assert ev("I_A_S + 14 == I_A_E", I_A_S=D1, I_A_E=D2) is True
    assert ev("14 + I_A_S == I_A_E", I_A_S=D1, I_A_E=D2) is True
    assert ev("I_A_E - 14 == I_A_S", I_A_S=D1, I_A_E=D2) is True
    assert ev("years_between(I_A_B, I_A_V)", I_A_B=dt.date(1950, 3, 2), I_A_V=D1) == 59
    assert ev("years_between(I_A_B, I_A_V)", I_A_B=dt.date(1950, 3, 1), I_A_V=D1) == 60
    assert ev("I_A_S >= date('2009-10-01')", I_A_S=D1) is True
    assert ev("I_A_S >= date('not a date')", I_A_S=D1) is UNKNOWN
    assert ev("I_A_S + 1.5", I_A_S=D1) is UNKNOWN
    assert ev("days_between(I_A_S, I_A_E) > 0", I_A_S=dt.datetime(2010, 3, 1, 8), I_A_E=D2)


def test_partial_dates_as_text_are_not_ordered() -> None:
    assert ev("I_A_E >= I_A_S", I_A_S="UN-UNK-2005", I_A_E="UN-MAR-2004") is UNKNOWN
    assert ev("is_missing(I_A_S)", I_A_S="UN-UNK-2005") is False


def test_membership_and_multiple_choice() -> None:
    assert ev("I_A_B in ['X', 'Y']", I_A_B="Y") is True
    assert ev("I_A_B not in ['X', 'Y']", I_A_B="Z") is True
    assert ev("'DEATH' in I_A_M", I_A_M=["HOSP", "DEATH"]) is True
    assert ev("'DEATH' in I_A_M", I_A_M=("HOSP",)) is False
    assert ev("count(I_A_M) >= 2", I_A_M={"A", "B"}) is True
    assert ev("'X' in I_A_M", I_A_M=[]) is UNKNOWN
    assert ev("I_A_B in I_A_C", I_A_B="X", I_A_C="XYZ") is UNKNOWN  # text is not a list
    assert ev("I_A_B in [1, 'X']", I_A_B="X") is True


def test_missing_values() -> None:
    for missing in (None, "", "  ", [], (), float("nan")):
        assert ev("is_missing(I_A_B)", I_A_B=missing) is True
        assert ev("is_present(I_A_B)", I_A_B=missing) is False
    assert parse("is_missing(I.A.B)").evaluate({}) is True
    assert ev("is_missing(I_A_B)", I_A_B=0) is False
    assert ev("is_missing(I_A_B)", I_A_B=False) is False


def test_missing_propagates_and_checks_do_not_fire() -> None:
    check = parse("I.AE.STOPDAT >= I.AE.STARTDAT")
    assert check.evaluate({"I.AE.STARTDAT": D1}) is UNKNOWN
    assert not check.fails({"I.AE.STARTDAT": D1})
    assert not check.holds({"I.AE.STARTDAT": D1})
    assert check.fails({"I.AE.STARTDAT": D2, "I.AE.STOPDAT": D1})
    assert check.holds({"I.AE.STARTDAT": D1, "I.AE.STOPDAT": D2})
    assert ev("I_A_B + 1", I_A_B=None) is UNKNOWN
    assert ev("-I_A_B", I_A_B=None) is UNKNOWN
    assert ev("abs(I_A_B)", I_A_B=None) is UNKNOWN
    assert ev("I_A_B if I_A_C else 1", I_A_B=1) is UNKNOWN


def test_three_valued_logic() -> None:
    u = None
    assert ev("I_A_B and I_A_C", I_A_B=False, I_A_C=u) is False
    assert ev("I_A_B and I_A_C", I_A_B=True, I_A_C=u) is UNKNOWN
    assert ev("I_A_B or I_A_C", I_A_B=True, I_A_C=u) is True
    assert ev("I_A_B or I_A_C", I_A_B=False, I_A_C=u) is UNKNOWN
    assert ev("I_A_B or I_A_C", I_A_B=False, I_A_C=False) is False
    assert ev("not I_A_B", I_A_B=u) is UNKNOWN
    assert ev("not I_A_B", I_A_B=False) is True
    assert ev("true and not false") is True


def test_type_mismatch_is_unknown_not_an_error() -> None:
    assert ev("I_A_B + 1", I_A_B="text") is UNKNOWN
    assert ev("I_A_B < 1", I_A_B="text") is UNKNOWN
    assert ev("I_A_B and True", I_A_B=3) is UNKNOWN
    assert ev("not I_A_B", I_A_B=3) is UNKNOWN
    assert ev("-I_A_B", I_A_B="x") is UNKNOWN
    assert ev("I_A_B == 1", I_A_B=D1) is UNKNOWN
    assert ev("I_A_B < I_A_C", I_A_B=True, I_A_C=False) is UNKNOWN
    assert ev("I_A_B / 0", I_A_B=1) is UNKNOWN
    assert ev("I_A_B % 0", I_A_B=1) is UNKNOWN
    assert ev("I_A_B * 1e308 * 10", I_A_B=10.0) is UNKNOWN
    assert ev("I_A_B + 1", I_A_B=object()) is UNKNOWN
    assert ev("I_A_B < 1", I_A_B=float("inf")) is False
    assert ev("round(I_A_B, 20)", I_A_B=1.5) is UNKNOWN
    assert ev("count(I_A_B)", I_A_B="x") is UNKNOWN
    assert ev("I_A_S + 10000000000", I_A_S=D1) is UNKNOWN


def test_functions() -> None:
    assert set(FUNCTIONS) >= {"is_missing", "days_between", "years_between", "count", "date"}
    assert ev("abs(-2) + min(3, 1, 2) + max(1, 5) + round(2.46, 1)") == pytest.approx(
        2 + 1 + 5 + 2.5
    )
    assert ev("round(2.5)") == 2


def test_unknown_is_a_singleton_without_truth_value() -> None:
    assert Unknown() is UNKNOWN
    assert repr(UNKNOWN) == "UNKNOWN"
    with pytest.raises(TypeError):
        bool(UNKNOWN)
    assert pickle.loads(pickle.dumps(UNKNOWN)) is UNKNOWN


# --------------------------------------------------------------------------- properties

REFS = ("I.X.A", "I.X.B", "I.X.C")

any_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(),
    st.text(max_size=8),
    st.dates(),
    st.times(),
    st.datetimes(),
    st.lists(st.sampled_from(["A", "B", "C"]), max_size=3),
)


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(REFS),
        st.integers(-10**6, 10**6).map(str),
        st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
        st.sampled_from(["'A'", "'B'", "True", "False", "['A', 'B']", "date('2010-01-01')"]),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(
            inner,
            st.sampled_from(
                ["+", "-", "*", "/", "//", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or",
                 "in", "not in"]
            ),
            inner,
        ).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
        unary = st.tuples(st.sampled_from(["not ", "-"]), inner).map(lambda t: f"({t[0]}{t[1]})")
        calls = st.one_of(
            st.tuples(st.sampled_from(["is_missing", "abs", "count", "round"]), inner).map(
                lambda t: f"{t[0]}({t[1]})"
            ),
            st.tuples(st.sampled_from(["days_between", "years_between", "min", "max"]), inner,
                      inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        )
        ternary = st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})")
        return st.one_of(binary, unary, calls, ternary)

    return st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=_expressions(), values=st.fixed_dictionaries({r: any_value for r in REFS}))
def test_evaluation_never_raises(source: str, values: dict[str, object]) -> None:
    expression = parse(source)
    result = expression.evaluate(values)
    assert result is UNKNOWN or not isinstance(result, Unknown)
    assert isinstance(expression.holds(values), bool)
    assert isinstance(expression.fails(values), bool)
    assert not (expression.holds(values) and expression.fails(values))


@settings(max_examples=200, deadline=None)
@given(a=st.none() | st.dates(), b=st.none() | st.dates())
def test_date_order_check_fires_only_when_both_dates_known(
    a: dt.date | None, b: dt.date | None
) -> None:
    check = parse("I.AE.STOPDAT >= I.AE.STARTDAT")
    fires = check.fails({"I.AE.STARTDAT": a, "I.AE.STOPDAT": b})
    assert fires == (a is not None and b is not None and b < a)
