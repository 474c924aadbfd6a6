"""A small, safe expression language for visibility conditions and edit checks.

Expressions are written in the form definitions (``visible_if``, ``edit_checks``)
with a Python-like syntax and evaluated over a mapping of item values keyed by
item OID::

    I.AE.STOPDAT >= I.AE.STARTDAT
    I.DOS.STATUS == 'INTERRUPTED' and is_missing(I.DOS.REASON)
    I.DM.SEX in ['F'] and days_between(I.PREG.DAT1, I.IC.DAT) <= 14

The source is parsed with :mod:`ast` and every node is checked against a strict
whitelist; nothing is ever passed to ``eval``. Allowed are literals (numbers,
strings, ``True``/``False``, lists of literals), item references (dotted OIDs
starting with ``I.``), comparisons (also chained), ``in`` / ``not in``,
``and`` / ``or`` / ``not``, ``+ - * / // %`` and unary minus, conditional
expressions (``a if cond else b``) and calls to the functions of
:data:`FUNCTIONS`.

Missing values (absent, ``None``, empty string, empty list) propagate as
:data:`UNKNOWN` through arithmetic and comparisons, and the logical operators
follow three-valued (Kleene) logic, so that an edit check on a value not yet
entered does not fire: :meth:`Expression.fails` is true only when the
expression is definitely false. Values of the wrong type (a partial date
compared with a date, text added to a number) also give :data:`UNKNOWN`;
evaluation never raises.

Value conventions: ``yes_no`` items are ``bool``; ``integer`` items ``int``;
``decimal`` items ``float`` or :class:`~decimal.Decimal`; dates
:class:`datetime.date`; times :class:`datetime.time`; choices their code
(``str`` or ``int``); multiple choices a list, tuple or set of codes; partial
dates a :class:`datetime.date` when complete, otherwise their text
(``UN-UNK-2005``), which can be tested with :func:`is_missing` but not ordered.
Only numbers, dates and times can be ordered (``<``, ``>=``...).
"""

from __future__ import annotations

import ast
import datetime as _dt
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

__all__ = [
    "FUNCTIONS",
    "UNKNOWN",
    "Expression",
    "ExpressionError",
    "Unknown",
    "parse",
]

#: Item references are dotted OIDs rooted at ``I`` (``I.AE.STARTDAT``).
ITEM_OID_RE: Final = re.compile(r"^I(\.[A-Za-z0-9_]+)+$")
_MAX_SOURCE_LENGTH: Final = 2000
_MAX_DEPTH: Final = 60


class ExpressionError(ValueError):
    """An expression that is not valid in the language.

    ``position`` is the 0-based character offset in the source where the
    problem was found (``None`` when it is not known).
    """

    def __init__(self, message: str, source: str, position: int | None = None) -> None:
        where = f" at column {position + 1}" if position is not None else ""
        super().__init__(f"{message}{where}: {source!r}")
        self.reason = message
        self.source = source
        self.position = position


class Unknown:
    """The "unknown" truth value: a missing input or an undefined operation."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; use Expression.holds() or .fails()")

    def __reduce__(self) -> str:
        return "UNKNOWN"


#: The single unknown value.
UNKNOWN: Final = Unknown()


class _TypeMismatch(Exception):
    """Raised inside evaluation when an operation is undefined for its operands."""


def _is_missing_value(value: object) -> bool:
    if value is None or value is UNKNOWN:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | tuple | set | frozenset):
        return len(value) == 0
    return isinstance(value, float) and math.isnan(value)


def _normalise(value: object) -> object:
    """Bring a stored value to the evaluator's types (missing -> UNKNOWN)."""
    if _is_missing_value(value):
        return UNKNOWN
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else UNKNOWN
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(_normalise(v) for v in value if not _is_missing_value(v))
    return value


def _kind(value: object) -> str:
    """Coarse type used to decide which operations are defined."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, _dt.datetime):
        return "datetime"
    if isinstance(value, _dt.date):
        return "date"
    if isinstance(value, _dt.time):
        return "time"
    if isinstance(value, str):
        return "text"
    if isinstance(value, frozenset):
        return "set"
    return "other"


# --------------------------------------------------------------------------- functions


def _fn_is_missing(value: object) -> bool:
    return value is UNKNOWN


def _fn_is_present(value: object) -> bool:
    return value is not UNKNOWN


def _as_date(value: object) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    raise _TypeMismatch("not a date")


def _fn_days_between(start: object, end: object) -> int:
    return (_as_date(end) - _as_date(start)).days


def _fn_years_between(start: object, end: object) -> int:
    first, last = _as_date(start), _as_date(end)
    years = last.year - first.year
    if (last.month, last.day) < (first.month, first.day):
        years -= 1
    return years


def _fn_date(text: object) -> _dt.date:
    if not isinstance(text, str):
        raise _TypeMismatch("date() takes a text 'YYYY-MM-DD'")
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise _TypeMismatch("not an ISO date") from None


def _number(value: object) -> float | int:
    if _kind(value) != "number":
        raise _TypeMismatch("not a number")
    return value  # type: ignore[return-value]


def _fn_abs(value: object) -> float | int:
    return abs(_number(value))


def _fn_min(*values: object) -> float | int:
    return min(_number(v) for v in values)


def _fn_max(*values: object) -> float | int:
    return max(_number(v) for v in values)


def _fn_round(value: object, digits: object = 0) -> float | int:
    if not isinstance(digits, int) or isinstance(digits, bool) or not 0 <= digits <= 10:
        raise _TypeMismatch("round() digits must be an integer 0-10")
    return round(_number(value), digits)


def _fn_count(value: object) -> int:
    if isinstance(value, frozenset):
        return len(value)
    raise _TypeMismatch("count() takes a multiple choice")


@dataclass(frozen=True)
class _Function:
    impl: Callable[..., object]
    min_args: int
    max_args: int
    #: Whether the function receives UNKNOWN arguments (otherwise UNKNOWN in, UNKNOWN out).
    sees_unknown: bool = False
    doc: str = ""


#: The functions an expression may call, by name.
FUNCTIONS: Final[Mapping[str, _Function]] = {
    "is_missing": _Function(_fn_is_missing, 1, 1, True, "true when the value is not entered"),
    "is_present": _Function(_fn_is_present, 1, 1, True, "true when the value is entered"),
    "days_between": _Function(_fn_days_between, 2, 2, doc="days from the 1st date to the 2nd"),
    "years_between": _Function(
        _fn_years_between, 2, 2, doc="whole years from the 1st date to the 2nd"
    ),
    "date": _Function(_fn_date, 1, 1, doc="a date literal: date('2009-10-01')"),
    "abs": _Function(_fn_abs, 1, 1, doc="absolute value"),
    "min": _Function(_fn_min, 1, 10, doc="smallest of the numbers"),
    "max": _Function(_fn_max, 1, 10, doc="largest of the numbers"),
    "round": _Function(_fn_round, 1, 2, doc="round(x, digits)"),
    "count": _Function(_fn_count, 1, 1, doc="number of codes ticked in a multiple choice"),
}

# --------------------------------------------------------------------------- operators

_ARITH: Final[Mapping[type[ast.operator], Callable[[object, object], object]]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}

_ORDER: Final[Mapping[type[ast.cmpop], Callable[[object, object], bool]]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


def _arith(op: type[ast.operator], left: object, right: object) -> object:
    lk, rk = _kind(left), _kind(right)
    if lk == rk == "number":
        result = _ARITH[op](left, right)
        if isinstance(result, float) and (math.isnan(result) or math.isinf(result)):
            return UNKNOWN
        return result
    if op is ast.Add and lk == "text" and rk == "text":
        return str(left) + str(right)
    if lk == "date" and rk == "number" and op in (ast.Add, ast.Sub):
        if not isinstance(right, int):
            raise _TypeMismatch("only whole days can be added to a date")
        delta = _dt.timedelta(days=right)
        return left + delta if op is ast.Add else left - delta  # type: ignore[operator]
    if lk == "number" and rk == "date" and op is ast.Add:
        if not isinstance(left, int):
            raise _TypeMismatch("only whole days can be added to a date")
        return right + _dt.timedelta(days=left)  # type: ignore[operator]
    if lk == rk == "date" and op is ast.Sub:
        return (left - right).days  # type: ignore[operator]
    raise _TypeMismatch(f"operator undefined for {lk} and {rk}")


def _compare(op: type[ast.cmpop], left: object, right: object) -> bool | Unknown:
    if op in (ast.In, ast.NotIn):
        if right is UNKNOWN or left is UNKNOWN:
            return UNKNOWN
        if not isinstance(right, frozenset):
            raise _TypeMismatch("'in' needs a list or a multiple choice on the right")
        found = any(_same(left, item) for item in right)
        return found if op is ast.In else not found
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if op in (ast.Eq, ast.NotEq):
        same = _equal(left, right)
        return same if op is ast.Eq else not same
    lk, rk = _kind(left), _kind(right)
    if lk != rk or lk not in ("number", "date", "datetime", "time"):
        raise _TypeMismatch(f"cannot order {lk} and {rk}")
    if lk == "number" and (
        (isinstance(left, float) and math.isnan(left))
        or (isinstance(right, float) and math.isnan(right))
    ):
        return UNKNOWN
    return _ORDER[op](left, right)


def _same(left: object, right: object) -> bool:
    """Equality for membership tests: values of other types are simply different."""
    try:
        return _equal(left, right)
    except _TypeMismatch:
        return False


def _equal(left: object, right: object) -> bool:
    lk, rk = _kind(left), _kind(right)
    if lk != rk:
        # Choice codes may be stored as integers or as their text.
        if {lk, rk} == {"number", "text"}:
            return str(left) == str(right)
        raise _TypeMismatch(f"cannot compare {lk} with {rk}")
    return bool(left == right)


def _and(values: list[object]) -> bool | Unknown:
    unknown = False
    for value in values:
        if value is UNKNOWN:
            unknown = True
        elif not isinstance(value, bool):
            raise _TypeMismatch("'and' needs true/false operands")
        elif value is False:
            return False
    return UNKNOWN if unknown else True


def _or(values: list[object]) -> bool | Unknown:
    unknown = False
    for value in values:
        if value is UNKNOWN:
            unknown = True
        elif not isinstance(value, bool):
            raise _TypeMismatch("'or' needs true/false operands")
        elif value is True:
            return True
    return UNKNOWN if unknown else False


# --------------------------------------------------------------------------- validation


def _dotted_name(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


_SIMPLE_NAMES: Final[Mapping[str, object]] = {"true": True, "false": False}


class _Validator:
    """Walks a parsed tree, refuses anything outside the whitelist, collects refs."""

    def __init__(self, source: str, line_starts: list[int]) -> None:
        self.source = source
        self.line_starts = line_starts
        self.references: set[str] = set()

    def _pos(self, node: ast.AST) -> int | None:
        lineno = getattr(node, "lineno", None)
        col = getattr(node, "col_offset", None)
        if lineno is None or col is None:
            return None
        return self.line_starts[lineno - 1] + col

    def fail(self, node: ast.AST, message: str) -> ExpressionError:
        return ExpressionError(message, self.source, self._pos(node))

    def visit(self, node: ast.AST, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            raise self.fail(node, "expression nested too deeply")
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool | int | float | str):
                return
            raise self.fail(node, f"literal {value!r} not allowed (use is_missing(x))")
        if isinstance(node, ast.Attribute):
            dotted = _dotted_name(node)
            if dotted is None or not ITEM_OID_RE.match(dotted) or "__" in dotted:
                raise self.fail(node, "attribute access is not allowed (item OIDs start with I.)")
            self.references.add(dotted)
            return
        if isinstance(node, ast.Name):
            if node.id in _SIMPLE_NAMES:
                return
            if node.id in FUNCTIONS:
                raise self.fail(node, f"function {node.id!r} must be called")
            raise self.fail(node, f"unknown name {node.id!r}")
        if isinstance(node, ast.List | ast.Tuple):
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    raise self.fail(elt, "starred expressions are not allowed")
                self.visit(elt, depth + 1)
            return
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self.visit(value, depth + 1)
            return
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.Not | ast.USub | ast.UAdd):
                raise self.fail(node, f"operator {type(node.op).__name__} not allowed")
            self.visit(node.operand, depth + 1)
            return
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _ARITH:
                raise self.fail(node, f"operator {type(node.op).__name__} not allowed")
            self.visit(node.left, depth + 1)
            self.visit(node.right, depth + 1)
            return
        if isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) not in _ORDER and not isinstance(
                    op, ast.Eq | ast.NotEq | ast.In | ast.NotIn
                ):
                    raise self.fail(node, f"comparison {type(op).__name__} not allowed")
            self.visit(node.left, depth + 1)
            for comparator in node.comparators:
                self.visit(comparator, depth + 1)
            return
        if isinstance(node, ast.IfExp):
            for child in (node.test, node.body, node.orelse):
                self.visit(child, depth + 1)
            return
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = _dotted_name(node.func)
                what = f"call to {name!r}" if name else "this call"
                raise self.fail(node, f"{what} is not allowed")
            if node.keywords:
                raise self.fail(node, "keyword arguments are not allowed")
            spec = FUNCTIONS[node.func.id]
            if not spec.min_args <= len(node.args) <= spec.max_args:
                raise self.fail(node, f"{node.func.id}() takes {spec.min_args}-{spec.max_args} "
                                      f"arguments, got {len(node.args)}")
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    raise self.fail(arg, "starred arguments are not allowed")
                self.visit(arg, depth + 1)
            return
        raise self.fail(node, f"{type(node).__name__} is not allowed in an expression")


# --------------------------------------------------------------------------- evaluation


_Evaluator = Callable[[Mapping[str, object]], object]
_GUARDED: Final = (_TypeMismatch, ArithmeticError, ValueError, TypeError, RecursionError)


def _compile(node: ast.AST) -> _Evaluator:
    """A function evaluating ``node`` over item values, built once when the expression is
    parsed (walking the tree at every evaluation cost a save of the 21-row dosing form a
    third of its checking time). Its results are those of walking the tree: a property test
    compares the two on random expressions and values."""
    if isinstance(node, ast.Constant):
        constant = node.value
        return lambda values: constant
    if isinstance(node, ast.Attribute):
        dotted = _dotted_name(node)
        if dotted is None:
            return lambda values: UNKNOWN
        return lambda values: _normalise(values.get(dotted))
    if isinstance(node, ast.Name):
        simple = _SIMPLE_NAMES[node.id]
        return lambda values: simple
    if isinstance(node, ast.List | ast.Tuple):
        elements = tuple(_compile(elt) for elt in node.elts)

        def listed(values: Mapping[str, object]) -> object:
            items = [element(values) for element in elements]
            return frozenset(item for item in items if item is not UNKNOWN)
        return listed
    if isinstance(node, ast.BoolOp):
        operands = tuple(_compile_guarded(child) for child in node.values)
        combine = _and if isinstance(node.op, ast.And) else _or
        return lambda values: combine([operand(values) for operand in operands])
    if isinstance(node, ast.UnaryOp):
        return _compile_unary(node)
    if isinstance(node, ast.BinOp):
        left, right, op = _compile(node.left), _compile(node.right), type(node.op)

        def binary(values: Mapping[str, object]) -> object:
            a, b = left(values), right(values)
            if a is UNKNOWN or b is UNKNOWN:
                return UNKNOWN
            return _arith(op, a, b)
        return binary
    if isinstance(node, ast.Compare):
        return _compile_compare(node)
    if isinstance(node, ast.IfExp):
        test, body, orelse = (_compile_guarded(node.test), _compile(node.body),
                              _compile(node.orelse))

        def conditional(values: Mapping[str, object]) -> object:
            outcome = test(values)
            if outcome is UNKNOWN:
                return UNKNOWN
            if not isinstance(outcome, bool):
                raise _TypeMismatch("condition must be true/false")
            return (body if outcome else orelse)(values)
        return conditional
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        spec = FUNCTIONS[node.func.id]
        arguments = tuple(_compile(arg) for arg in node.args)

        def call(values: Mapping[str, object]) -> object:
            args = [argument(values) for argument in arguments]
            if not spec.sees_unknown and any(arg is UNKNOWN for arg in args):
                return UNKNOWN
            return spec.impl(*args)
        return call
    name = type(node).__name__

    def unexpected(values: Mapping[str, object]) -> object:
        raise _TypeMismatch(f"unexpected node {name}")
    return unexpected


def _compile_unary(node: ast.UnaryOp) -> _Evaluator:
    operand = _compile(node.operand)
    if isinstance(node.op, ast.Not):
        def negation(values: Mapping[str, object]) -> object:
            value = operand(values)
            if value is UNKNOWN:
                return UNKNOWN
            if not isinstance(value, bool):
                raise _TypeMismatch("'not' needs a true/false operand")
            return not value
        return negation
    minus = isinstance(node.op, ast.USub)

    def sign(values: Mapping[str, object]) -> object:
        value = operand(values)
        if value is UNKNOWN:
            return UNKNOWN
        if _kind(value) != "number":
            raise _TypeMismatch("unary sign needs a number")
        return -value if minus else +value  # type: ignore[operator]
    return sign


def _compile_compare(node: ast.Compare) -> _Evaluator:
    first = _compile(node.left)
    steps = tuple((type(op), _compile(comparator))
                  for op, comparator in zip(node.ops, node.comparators, strict=True))
    if len(steps) == 1:
        (op, second), = steps
        fast = _compile_constant_comparison(op, first, node.comparators[0])
        if fast is not None:
            return fast
        return lambda values: _compare(op, first(values), second(values))

    def chained(values: Mapping[str, object]) -> object:
        results: list[object] = []
        left = first(values)
        for op, comparator in steps:
            right = comparator(values)
            results.append(_compare(op, left, right))
            left = right
        return _and(results)
    return chained


def _compile_constant_comparison(op: type[ast.cmpop], first: _Evaluator,
                                 constant: ast.expr) -> _Evaluator | None:
    """The common conditions ``I.X == 'CODE'``, ``I.X != True``, ``I.X in ['A', 'B']``
    answered directly when the value has the constant's type (the general comparison
    reaches the same answer), and by :func:`_compare` otherwise."""
    if op in (ast.Eq, ast.NotEq) and isinstance(constant, ast.Constant) and (
            constant.value.__class__ in (str, bool)):
        wanted, kind, equal = constant.value, constant.value.__class__, op is ast.Eq

        def compare_constant(values: Mapping[str, object]) -> object:
            value = first(values)
            if value.__class__ is kind:
                return (value == wanted) is equal
            return _compare(op, value, wanted)
        return compare_constant
    if op in (ast.In, ast.NotIn) and isinstance(constant, ast.List | ast.Tuple) and all(
            isinstance(e, ast.Constant) and e.value.__class__ is str for e in constant.elts):
        codes = frozenset(e.value for e in constant.elts)  # type: ignore[attr-defined]
        inside = op is ast.In

        def member(values: Mapping[str, object]) -> object:
            value = first(values)
            if value.__class__ is str:
                return (value in codes) is inside
            return _compare(op, value, codes)
        return member
    return None


def _compile_guarded(node: ast.AST) -> _Evaluator:
    """:func:`_compile` of a sub-expression whose undefined operation gives UNKNOWN."""
    inner = _compile(node)

    def guarded(values: Mapping[str, object]) -> object:
        try:
            return inner(values)
        except _GUARDED:
            return UNKNOWN
    return guarded


@dataclass(frozen=True)
class Expression:
    """A parsed, validated expression. Build it with :func:`parse`."""

    source: str
    #: The validated syntax tree (only whitelisted nodes), for tools that inspect it.
    tree: ast.Expression = field(repr=False, compare=False)
    references: frozenset[str] = field(default_factory=frozenset)
    _run: _Evaluator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_run", _compile_guarded(self.tree.body))

    def evaluate(self, values: Mapping[str, object]) -> object:
        """The value of the expression, or :data:`UNKNOWN`. Never raises."""
        result = self._run(values)
        return UNKNOWN if result is UNKNOWN or _is_missing_value(result) else result

    def holds(self, values: Mapping[str, object]) -> bool:
        """True only when the expression is definitely true (use for ``visible_if``)."""
        return self.evaluate(values) is True

    def fails(self, values: Mapping[str, object]) -> bool:
        """True only when the expression is definitely false (an edit check fires)."""
        return self.evaluate(values) is False


def parse(source: str) -> Expression:
    """Parse and validate ``source``; raise :class:`ExpressionError` if not allowed."""
    if not isinstance(source, str):
        raise ExpressionError("an expression must be text", repr(source), None)
    if not source.strip():
        raise ExpressionError("empty expression", source, 0)
    if len(source) > _MAX_SOURCE_LENGTH:
        raise ExpressionError(f"longer than {_MAX_SOURCE_LENGTH} characters", source, None)
    stripped = source.strip()
    lead = len(source) - len(source.lstrip())
    line_starts = [lead]
    for line in stripped.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        col = max((exc.offset or 1) - 1, 0)
        lineno = min(max(exc.lineno or 1, 1), len(line_starts))
        raise ExpressionError(
            f"syntax error ({exc.msg})", source, line_starts[lineno - 1] + col
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"cannot parse ({type(exc).__name__})", source, None) from None
    validator = _Validator(source, line_starts)
    validator.visit(tree.body)
    return Expression(source, tree, frozenset(validator.references))
