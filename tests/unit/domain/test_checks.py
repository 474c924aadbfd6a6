"""The expression language of visibility conditions and edit checks."""

from __future__ import annotations

import ast
import datetime as dt
import math
import pickle
import re
from collections.abc import Mapping
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.checks import (
    _SIMPLE_NAMES,
    FUNCTIONS,
    UNKNOWN,
    ExpressionError,
    Unknown,
    _and,
    _arith,
    _compare,
    _dotted_name,
    _is_missing_value,
    _kind,
    _normalise,
    _or,
    _TypeMismatch,
    parse,
)

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


# --------------------------------------------------------------------------- the compiled form

# The evaluator as it was first written: walking the syntax tree at each evaluation. Parsing
# now compiles an expression into nested functions; they must give the same results.

def _reference_eval(node: ast.AST, values: Mapping[str, object]) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Attribute):
        dotted = _dotted_name(node)
        return _normalise(values.get(dotted)) if dotted is not None else UNKNOWN
    if isinstance(node, ast.Name):
        return _SIMPLE_NAMES[node.id]
    if isinstance(node, ast.List | ast.Tuple):
        items = [_reference_eval(elt, values) for elt in node.elts]
        return frozenset(item for item in items if item is not UNKNOWN)
    if isinstance(node, ast.BoolOp):
        operands = [_reference_guard(child, values) for child in node.values]
        return _and(operands) if isinstance(node.op, ast.And) else _or(operands)
    if isinstance(node, ast.UnaryOp):
        operand = _reference_eval(node.operand, values)
        if operand is UNKNOWN:
            return UNKNOWN
        if isinstance(node.op, ast.Not):
            if not isinstance(operand, bool):
                raise _TypeMismatch("'not' needs a true/false operand")
            return not operand
        if _kind(operand) != "number":
            raise _TypeMismatch("unary sign needs a number")
        return -operand if isinstance(node.op, ast.USub) else +operand  # type: ignore[operator]
    if isinstance(node, ast.BinOp):
        left, right = _reference_eval(node.left, values), _reference_eval(node.right, values)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        return _arith(type(node.op), left, right)
    if isinstance(node, ast.Compare):
        results: list[object] = []
        left = _reference_eval(node.left, values)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _reference_eval(comparator, values)
            results.append(_compare(type(op), left, right))
            left = right
        return results[0] if len(results) == 1 else _and(results)
    if isinstance(node, ast.IfExp):
        test = _reference_guard(node.test, values)
        if test is UNKNOWN:
            return UNKNOWN
        if not isinstance(test, bool):
            raise _TypeMismatch("condition must be true/false")
        return _reference_eval(node.body if test else node.orelse, values)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        spec = FUNCTIONS[node.func.id]
        args = [_reference_eval(arg, values) for arg in node.args]
        if not spec.sees_unknown and any(arg is UNKNOWN for arg in args):
            return UNKNOWN
        return spec.impl(*args)
    raise _TypeMismatch(f"unexpected node {type(node).__name__}")


def _reference_guard(node: ast.AST, values: Mapping[str, object]) -> object:
    """Evaluate a sub-expression, turning an undefined operation into UNKNOWN."""
    try:
        return _reference_eval(node, values)
    except (_TypeMismatch, ArithmeticError, ValueError, TypeError, RecursionError):
        return UNKNOWN


def _same_result(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


#: Values that mostly make an expression defined (true/false and small numbers).
_defined_value = st.one_of(st.booleans(), st.integers(-3, 3), st.none(),
                           st.sampled_from(["A", "B"]))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=_expressions(), values=st.one_of(
    st.fixed_dictionaries({r: any_value for r in REFS}),
    st.fixed_dictionaries({r: _defined_value for r in REFS})))
def test_compiled_evaluation_equals_walking_the_tree(source: str,
                                                     values: dict[str, object]) -> None:
    expression = parse(source)
    expected = _reference_guard(expression.tree.body, values)
    if expected is UNKNOWN or _is_missing_value(expected):
        expected = UNKNOWN
    assert _same_result(expression.evaluate(values), expected)


@pytest.mark.parametrize("source", [
    "1 < I.X.A < 3", "1 < I.X.A < I.X.B <= 9", "I.X.A if I.X.B else I.X.C",
    "not (I.X.A in ['A', 'B'])", "-I.X.A + +I.X.B", "[I.X.A, 1, 'B']",
    "is_missing(I.X.A) or I.X.B > 2 and not I.X.C", "max(I.X.A, I.X.B, 3) // 2 % 5",
    "days_between(I.X.A, date('2010-01-01')) >= 0", "true and false or true",
])
def test_compiled_evaluation_equals_walking_the_tree_on_chosen_cases(source: str) -> None:
    samples = [{}, {"I.X.A": 2, "I.X.B": 5, "I.X.C": True}, {"I.X.A": "A", "I.X.B": None},
               {"I.X.A": dt.date(2009, 12, 1), "I.X.B": True, "I.X.C": 1.5},
               {"I.X.A": float("nan"), "I.X.B": Decimal("2.5"), "I.X.C": ["A"]}]
    expression = parse(source)
    for values in samples:
        expected = _reference_guard(expression.tree.body, values)
        if expected is UNKNOWN or _is_missing_value(expected):
            expected = UNKNOWN
        assert _same_result(expression.evaluate(values), expected), values


@settings(max_examples=300, deadline=None)
@given(op=st.sampled_from(["==", "!="]),
       constant=st.sampled_from(["'A'", "'B'", "'1'", "True", "False", "1"]),
       value=st.one_of(st.sampled_from(["A", "B", "1", "", " "]), st.booleans(),
                       st.integers(0, 2), st.none(), st.lists(st.sampled_from(["A", "B"]))))
def test_comparisons_with_a_constant_equal_walking_the_tree(op: str, constant: str,
                                                           value: object) -> None:
    """``I.X == 'CODE'`` and ``I.X != True`` have a faster path; it answers as the tree
    walk does for every kind of value (text, codes stored as numbers, missing, lists)."""
    for source in (f"I.X.A {op} {constant}", f"not (I.X.A {op} {constant})"):
        expression = parse(source)
        expected = _reference_guard(expression.tree.body, {"I.X.A": value})
        if expected is UNKNOWN or _is_missing_value(expected):
            expected = UNKNOWN
        assert _same_result(expression.evaluate({"I.X.A": value}), expected), (source, value)


@settings(max_examples=300, deadline=None)
@given(op=st.sampled_from(["in", "not in"]),
       codes=st.lists(st.sampled_from(["'A'", "'B'", "'1'"]), max_size=3),
       value=st.one_of(st.sampled_from(["A", "B", "1", "", "C"]), st.booleans(),
                       st.integers(0, 2), st.none()))
def test_membership_in_constant_codes_equals_walking_the_tree(op: str, codes: list[str],
                                                             value: object) -> None:
    source = f"I.X.A {op} [{', '.join(codes)}]"
    expression = parse(source)
    expected = _reference_guard(expression.tree.body, {"I.X.A": value})
    if expected is UNKNOWN or _is_missing_value(expected):
        expected = UNKNOWN
    assert _same_result(expression.evaluate({"I.X.A": value}), expected), (source, value)
