"""Parsing typed input into the canonical text stored for each item type.

Every parser takes the text as typed (or pasted) and returns a :class:`Parsed`:
either the canonical text stored in the database or a message in plain words
naming the value ("31/02/2011 is not a date"). Parsers never raise, and a
canonical text always parses back to itself, so stored values can be re-read
through the same functions.

Canonical forms (what the database holds, independent of the user's language):

=============  ==========================================================
date           ISO ``2011-03-12``
partial_date   ``2005``, ``2005-03`` or ``2005-03-12`` (ISO 8601 reduced precision)
time           ``09:30`` (24-hour clock)
integer        ``-12`` (no sign for zero, no leading zeros, no separators)
decimal        ``72.5`` with a point; exactly ``decimals`` places when the item
               gives them (``2.50``), otherwise without trailing zeros
yes_no         ``Y`` or ``N`` (CDISC "No Yes" code list)
choice         the code
multi_choice   the codes in code-list order, separated by ``,``
text           NFC-normalised text, control characters removed, tabs and line
               breaks turned into single spaces, outer spaces trimmed
long_text      the same, keeping line breaks (as ``\\n``)
=============  ==========================================================

Dates are read day first (French and European order): ``120311``,
``12032011``, ``12/03/2011``, ``12.3.11``, ``12-03-2011`` and ISO
``2011-03-12``. Two-digit years belong to the current century unless that
would put them after this year (``45`` is 1945 in 2011, ``11`` is 2011).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from ctrial_desktop.domain.messages import Message

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "LONG_TEXT_MAX_LENGTH",
    "MIN_YEAR",
    "Parsed",
    "format_for_display",
    "parse_choice",
    "parse_date",
    "parse_decimal",
    "parse_integer",
    "parse_multi_choice",
    "parse_partial_date",
    "parse_text",
    "parse_time",
    "parse_yes_no",
    "partial_date_bounds",
    "to_date",
    "to_decimal",
]

#: Earliest year accepted in a date (birth dates of the oldest patients included).
MIN_YEAR: Final = 1900
#: Latest year accepted even where future dates are allowed.
MAX_YEAR: Final = 2100
#: Longest single-line text when the item gives no ``max_length``.
DEFAULT_MAX_LENGTH: Final = 200
#: Longest long text when the item gives no ``max_length``.
LONG_TEXT_MAX_LENGTH: Final = 4000
#: Most significant digits a number may have (anything longer is a typing accident).
MAX_DIGITS: Final = 15
#: How much of an unreadable input a message quotes.
_QUOTE_LENGTH: Final = 24


@dataclass(frozen=True)
class Parsed:
    """The result of parsing: canonical text as stored (None for empty), or a user message."""

    canonical: str | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def empty(self) -> bool:
        """True when the input was blank (nothing to store, no error)."""
        return self.error is None and self.canonical is None


_EMPTY: Final = Parsed(None, None)


def _fail(message: str) -> Parsed:
    return Parsed(None, message)


def _quote(text: str) -> str:
    """The user's input as a message shows it: one line, shortened, in quotes."""
    flat = " ".join(text.split())
    if len(flat) > _QUOTE_LENGTH:
        flat = flat[: _QUOTE_LENGTH - 1] + "…"
    return f'"{flat}"'


def _is_digits(text: str) -> bool:
    """Only the ASCII digits 0-9 (``str.isdigit`` also accepts ``²`` and other scripts)."""
    return text.isascii() and text.isdigit()


def _clean_line(text: str) -> str:
    """Outer spaces removed and the Unicode odd spaces (no-break, thin) read as spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --------------------------------------------------------------------------- dates

_SEPARATED_DATE: Final = re.compile(
    r"^(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{2}|\d{4})$", re.ASCII
)
_ISO_DATE: Final = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$", re.ASCII)


def _full_year(two_digits: int, today: _dt.date) -> int:
    year = 2000 + two_digits
    return year if year <= today.year else year - 100


def _date_parts(text: str, today: _dt.date) -> tuple[int, int, int] | None:
    """(year, month, day) as typed (not yet validated), or None when unreadable."""
    if text.isdigit() and text.isascii():
        if len(text) == 6:
            return _full_year(int(text[4:]), today), int(text[2:4]), int(text[:2])
        if len(text) == 8:
            year = int(text[4:])
            if year < MIN_YEAR and int(text[:4]) >= MIN_YEAR:  # 20110312: ISO without dashes
                return int(text[:4]), int(text[4:6]), int(text[6:])
            return year, int(text[2:4]), int(text[:2])
        return None
    if not text.isascii():
        return None
    match = _ISO_DATE.match(text)
    if match:
        return int(match[1]), int(match[2]), int(match[3])
    match = _SEPARATED_DATE.match(text)
    if match:
        year = int(match[3])
        if len(match[3]) == 2:
            year = _full_year(year, today)
        return year, int(match[2]), int(match[1])
    return None


def _shown(year: int, month: int, day: int) -> str:
    return f"{day:02d}/{month:02d}/{year:04d}"


def _check_year(year: int, shown: str) -> str | None:
    if year < MIN_YEAR:
        return Message("{shown}: the year must be {year} or later", shown=shown, year=MIN_YEAR)
    if year > MAX_YEAR:
        return Message("{shown}: the year must be {year} or earlier", shown=shown, year=MAX_YEAR)
    return None


def parse_date(
    text: str, *, today: _dt.date | None = None, allow_future: bool = False
) -> Parsed:
    """A complete date, day first; canonical ISO ``YYYY-MM-DD``.

    ``31/02/2011`` gives "31/02/2011 is not a date"; a date after ``today``
    is refused unless ``allow_future``.
    """
    today = today or _dt.date.today()
    cleaned = _clean_line(text)
    if not cleaned:
        return _EMPTY
    parts = _date_parts(cleaned, today)
    if parts is None:
        return _fail(Message("{text} is not a date: type it as dd/mm/yyyy", text=_quote(cleaned)))
    year, month, day = parts
    shown = _shown(year, month, day)
    problem = _check_year(year, shown)
    if problem:
        return _fail(problem)
    try:
        value = _dt.date(year, month, day)
    except ValueError:
        return _fail(Message("{shown} is not a date", shown=shown))
    if value > today and not allow_future:
        return _fail(Message("{shown} is in the future", shown=shown))
    return Parsed(value.isoformat())


# --------------------------------------------------------------------------- partial dates

#: Words a CRF uses for an unknown day or month ("UN-UNK-2005"); runs of X ("XX/XX/2005")
#: are built rather than spelt out so that they never read as a code marker.
_UNKNOWN_WORDS: Final = frozenset({"UN", "UK", "UNK", "UNKN", "NK", "NA", "?", "??",
                                   "X" * 2, "X" * 3})
_MONTH_NAMES: Final[Mapping[str, int]] = {
    **{name: i for i, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1)},
    # French abbreviations (accents removed before look-up).
    "JANV": 1, "FEV": 2, "FEVR": 2, "MARS": 3, "AVR": 4, "AVRIL": 4, "MAI": 5, "JUIN": 6,
    "JUIL": 7, "AOU": 8, "AOUT": 8, "SEPT": 9, "DECE": 12,
}
_PARTIAL_SPLIT: Final = re.compile(r"\s*[/.\- ]\s*", re.ASCII)


def _fold(text: str) -> str:
    """Upper case without accents (``fév`` -> ``FEV``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def _partial_month(part: str) -> int | str | None:
    """Month number, None for unknown, or the text "bad"."""
    if part in _UNKNOWN_WORDS:
        return None
    if _is_digits(part) and len(part) <= 2:
        return int(part)
    return _MONTH_NAMES.get(part, "bad")


def parse_partial_date(
    text: str, *, today: _dt.date | None = None, allow_future: bool = False
) -> Parsed:
    """A date whose day, or day and month, may be unknown.

    Accepts every spelling of :func:`parse_date`, ``UN/UNK/2005``,
    ``UN-03-2005``, ``UNK-2005``, ``MAR 2005``, ``03/2005``, ``2005``,
    ``2005-03``; canonical ``2005``, ``2005-03`` or ``2005-03-12``. A known day
    with an unknown month is refused.
    """
    today = today or _dt.date.today()
    cleaned = _clean_line(text)
    if not cleaned:
        return _EMPTY
    folded = _fold(cleaned)
    digits_only = folded.isdigit() and folded.isascii()
    if digits_only and len(folded) == 4:
        parts: list[str] = [folded]
    elif digits_only and len(folded) == 6 and int(folded[2:]) >= MIN_YEAR:
        parts = [folded[:2], folded[2:]]  # 032005
    elif digits_only:
        return parse_date(cleaned, today=today, allow_future=allow_future)
    else:
        parts = [p for p in _PARTIAL_SPLIT.split(folded) if p]
        if len(parts) in (2, 3) and len(parts[0]) == 4 and _is_digits(parts[0]):
            parts.reverse()  # year first (ISO order): 2005-03, 2005-03-12
    if not 1 <= len(parts) <= 3 or not _is_digits(parts[-1]):
        return _fail(Message("{text} is not a date: type it as dd/mm/yyyy, mm/yyyy, UN/mm/yyyy, "
                             "UN/UNK/yyyy or yyyy", text=_quote(cleaned)))
    if len(parts[-1]) == 2 and len(parts) == 3:
        year = _full_year(int(parts[-1]), today)
    elif len(parts[-1]) == 4:
        year = int(parts[-1])
    else:
        return _fail(Message("{text}: give the year with 4 digits", text=_quote(cleaned)))
    day: int | None = None
    month: int | str | None = None
    if len(parts) >= 2:
        month = _partial_month(parts[-2])
    if len(parts) == 3:
        if parts[0] in _UNKNOWN_WORDS:
            day = None
        elif _is_digits(parts[0]) and parts[0].isascii() and len(parts[0]) <= 2:
            day = int(parts[0])
        else:
            return _fail(Message("{text} is not a date: the day must be a number or UN",
                                 text=_quote(cleaned)))
    if month == "bad":
        return _fail(Message("{text} is not a date: the month must be 1-12, a month name or UNK",
                             text=_quote(cleaned)))
    problem = _check_year(year, cleaned)
    if problem:
        return _fail(problem)
    if month is None:
        if day is not None:
            return _fail(Message("{cleaned}: the day cannot be known when the month is not "
                                 "(UN/UNK/yyyy)", cleaned=cleaned))
        if year > today.year and not allow_future:
            return _fail(Message("{year} is in the future", year=year))
        return Parsed(f"{year:04d}")
    assert isinstance(month, int)
    if not 1 <= month <= 12:
        return _fail(Message("{cleaned} is not a date: there is no month {month}",
                             cleaned=cleaned, month=month))
    if day is None:
        if (year, month) > (today.year, today.month) and not allow_future:
            return _fail(Message("{month:02d}/{year:04d} is in the future", month=month, year=year))
        return Parsed(f"{year:04d}-{month:02d}")
    try:
        value = _dt.date(year, month, day)
    except ValueError:
        return _fail(Message("{shown} is not a date", shown=_shown(year, month, day)))
    if value > today and not allow_future:
        return _fail(Message("{shown} is in the future", shown=_shown(year, month, day)))
    return Parsed(value.isoformat())


def partial_date_bounds(canonical: str) -> tuple[_dt.date, _dt.date]:
    """Earliest and latest complete dates a canonical (partial) date can stand for."""
    pieces = [int(p) for p in canonical.split("-")]
    if len(pieces) == 3:
        value = _dt.date(*pieces)
        return value, value
    if len(pieces) == 2:
        year, month = pieces
        first = _dt.date(year, month, 1)
        following = _dt.date(year + (month == 12), month % 12 + 1, 1)
        return first, following - _dt.timedelta(days=1)
    return _dt.date(pieces[0], 1, 1), _dt.date(pieces[0], 12, 31)


def to_date(canonical: str | None) -> _dt.date | None:
    """The date of a canonical complete date, None for empty or partial values."""
    if not canonical or len(canonical) != 10:
        return None
    try:
        return _dt.date.fromisoformat(canonical)
    except ValueError:
        return None


# --------------------------------------------------------------------------- time

_TIME: Final = re.compile(r"^(\d{1,2})\s*(?:[:hH.]\s*(\d{2})?|\s+(\d{2}))?\s*$", re.ASCII)


def parse_time(text: str) -> Parsed:
    """A time of day: ``9h30``, ``0930``, ``930``, ``09:30``, ``9.30``, ``21h``.

    Canonical ``09:30`` (24-hour clock).
    """
    cleaned = _clean_line(text)
    if not cleaned:
        return _EMPTY
    hours: int
    minutes: int
    if cleaned.isdigit() and cleaned.isascii() and len(cleaned) in (3, 4):
        hours, minutes = int(cleaned[:-2]), int(cleaned[-2:])
    else:
        match = _TIME.match(cleaned) if cleaned.isascii() else None
        if match is None:
            return _fail(Message("{text} is not a time: type it as hh:mm, e.g. 09:30",
                                 text=_quote(cleaned)))
        hours = int(match[1])
        minutes = int(match[2] or match[3] or 0)
    if hours > 23 or minutes > 59:
        return _fail(Message("{cleaned} is not a time of day (00:00 to 23:59)", cleaned=cleaned))
    return Parsed(f"{hours:02d}:{minutes:02d}")


# --------------------------------------------------------------------------- numbers

_NUMBER: Final = re.compile(
    r"^(?P<sign>[+-]?)\s*(?P<int>\d{1,3}(?:[ '’]\d{3})+|\d*)(?:(?P<sep>[.,])(?P<frac>\d*))?$",
    re.ASCII,
)


def _number_parts(cleaned: str) -> tuple[str, str, str] | None:
    """(sign, integer digits, fraction digits) of a plain number, or None."""
    match = _NUMBER.match(cleaned)
    if match is None:
        return None
    int_digits = re.sub(r"[ '’]", "", match["int"])
    frac = match["frac"] or ""
    if not int_digits and not frac:
        return None
    return match["sign"], int_digits, frac


def _not_a_number(cleaned: str) -> Parsed:
    if re.search(r"\d[.,]\d{3}[.,]", cleaned) or (
        "," in cleaned and "." in cleaned
    ):
        return _fail(Message("{text}: use one decimal separator (a comma or a point) and no "
                             "thousands separator", text=_quote(cleaned)))
    if any(c.isalpha() for c in cleaned):
        return _fail(Message("{text} is not a number: it contains letters", text=_quote(cleaned)))
    return _fail(Message("{text} is not a number", text=_quote(cleaned)))


def parse_integer(text: str) -> Parsed:
    """A whole number; ``12.0`` is accepted as 12, ``12.5`` is refused."""
    cleaned = _clean_line(text)
    if not cleaned:
        return _EMPTY
    parts = _number_parts(cleaned)
    if parts is None:
        return _not_a_number(cleaned)
    sign, digits, frac = parts
    if frac.strip("0"):
        return _fail(Message("{cleaned} is not a whole number", cleaned=cleaned))
    value = int(digits or "0")
    if len(str(value)) > MAX_DIGITS:
        return _fail(Message("{text} has too many digits", text=_quote(cleaned)))
    if sign == "-":
        value = -value
    return Parsed(str(value))


def parse_decimal(text: str, decimals: int | None = None) -> Parsed:
    """A decimal number with a comma or a point; canonical with a point.

    With ``decimals`` the canonical text has exactly that many places (``2.50``)
    and more places than that are refused; without, trailing zeros are dropped.
    """
    cleaned = _clean_line(text)
    if not cleaned:
        return _EMPTY
    parts = _number_parts(cleaned)
    if parts is None:
        return _not_a_number(cleaned)
    sign, digits, frac = parts
    significant = frac.rstrip("0")
    if decimals is not None and len(significant) > decimals:
        if decimals == 0:
            return _fail(Message("{cleaned}: give a whole number (no decimals)", cleaned=cleaned))
        if decimals == 1:
            return _fail(Message("{cleaned}: give at most 1 decimal", cleaned=cleaned))
        return _fail(Message("{cleaned}: give at most {decimals} decimals",
                             cleaned=cleaned, decimals=decimals))
    value = Decimal(f"{digits or '0'}.{frac or '0'}")
    if len(str(int(value))) + len(significant) > MAX_DIGITS:
        return _fail(Message("{text} has too many digits", text=_quote(cleaned)))
    if sign == "-":
        value = -value
    return Parsed(_format_decimal(value, decimals))


def _format_decimal(value: Decimal, decimals: int | None) -> str:
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
        text = f"{value:.{decimals}f}"
    else:
        text = f"{value.normalize():f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text


def to_decimal(canonical: str | None) -> Decimal | None:
    """The number of a canonical integer or decimal, None for empty or unreadable text."""
    if canonical is None or not canonical.strip():
        return None
    try:
        value = Decimal(canonical)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


# --------------------------------------------------------------------------- choices

_YES: Final = frozenset({"Y", "YES", "O", "OUI", "1", "TRUE", "VRAI", "X"})
_NO: Final = frozenset({"N", "NO", "NON", "0", "FALSE", "FAUX"})


def parse_yes_no(text: str) -> Parsed:
    """Yes or no in English or French (``Y``, ``oui``, ``1``, ``non``…); canonical ``Y`` / ``N``."""
    cleaned = _clean_line(text)
    if not cleaned:
        return _EMPTY
    folded = _fold(cleaned)
    if folded in _YES:
        return Parsed("Y")
    if folded in _NO:
        return Parsed("N")
    return _fail(Message("{text}: answer yes or no", text=_quote(cleaned)))


def _match_code(
    part: str, codes: Sequence[str], decodes: Mapping[str, Iterable[str]] | None
) -> str | None:
    for code in codes:
        if part == code:
            return code
    folded = _fold(part)
    for code in codes:
        if folded == _fold(code):
            return code
    for code, names in (decodes or {}).items():
        if code in codes and any(folded == _fold(name) for name in names):
            return code
    return None


def parse_choice(
    text: str,
    codes: Sequence[str],
    decodes: Mapping[str, Iterable[str]] | None = None,
) -> Parsed:
    """One code of a code list, given as the code or as one of its decodes (any case)."""
    cleaned = _clean_line(text)
    if not cleaned:
        return _EMPTY
    code = _match_code(cleaned, codes, decodes)
    if code is None:
        return _fail(Message("{text} is not one of the choices", text=_quote(cleaned)))
    return Parsed(code)


def parse_multi_choice(
    text: str,
    codes: Sequence[str],
    decodes: Mapping[str, Iterable[str]] | None = None,
) -> Parsed:
    """Several codes separated by ``,``, ``;``, ``|`` or line breaks; canonical in list order."""
    if not text.strip():
        return _EMPTY
    chosen: set[str] = set()
    for raw_part in re.split(r"[,;|\n\r\t]", text):
        part = _clean_line(raw_part)
        if not part:
            continue
        code = _match_code(part, codes, decodes)
        if code is None:
            return _fail(Message("{text} is not one of the choices", text=_quote(part)))
        chosen.add(code)
    if not chosen:
        return _EMPTY
    return Parsed(",".join(code for code in codes if code in chosen))


# --------------------------------------------------------------------------- text


def parse_text(text: str, max_length: int | None = None, *, multiline: bool = False) -> Parsed:
    """Free text stored safely: NFC, no control characters, length checked.

    Single-line text turns pasted tabs and line breaks into spaces; long text
    (``multiline``) keeps line breaks and turns tabs into spaces. The text is
    stored as data, never interpreted, so SQL-looking text is harmless.
    """
    limit = max_length or (LONG_TEXT_MAX_LENGTH if multiline else DEFAULT_MAX_LENGTH)
    normalised = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept: list[str] = []
    for char in normalised:
        if char == "\n" and multiline:
            kept.append(char)
        elif char in "\t\n\v\f\u2028\u2029\x85" or unicodedata.category(char) == "Zs":
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            continue
        else:
            kept.append(char)
    joined = "".join(kept)
    if multiline:
        lines = [" ".join(line.split(" ")).rstrip() for line in joined.split("\n")]
        cleaned = "\n".join(lines).strip()
    else:
        cleaned = " ".join(joined.split(" ")).strip()
    cleaned = re.sub(r" {2,}", " ", cleaned) if not multiline else cleaned
    if not cleaned:
        return _EMPTY
    if len(cleaned) > limit:
        return _fail(Message("The text is {length} characters long; at most {limit} are allowed",
                             length=len(cleaned), limit=limit))
    return Parsed(cleaned)


# --------------------------------------------------------------------------- display

def format_for_display(item_type: str, canonical: str | None, language: str) -> str:
    """How a stored value is shown: dates ``dd/mm/yyyy``, decimal comma in French, yes/no words.

    Partial dates show their unknown parts as ``UN`` and ``UNK`` (``UN/03/2005``).
    Unknown types and unreadable values are shown as stored.
    """
    if canonical is None:
        return ""
    french = language == "fr"
    if item_type == "date":
        value = to_date(canonical)
        return value.strftime("%d/%m/%Y") if value else canonical
    if item_type == "partial_date":
        pieces = canonical.split("-")
        if len(pieces) == 3:
            return f"{pieces[2]}/{pieces[1]}/{pieces[0]}"
        if len(pieces) == 2:
            return f"UN/{pieces[1]}/{pieces[0]}"
        return f"UN/UNK/{pieces[0]}"
    if item_type in ("decimal", "integer"):
        return canonical.replace(".", ",") if french else canonical
    if item_type == "yes_no":
        words = {"Y": ("Yes", "Oui"), "N": ("No", "Non")}.get(canonical)
        return (words[1] if french else words[0]) if words else canonical
    if item_type == "multi_choice":
        return ", ".join(canonical.split(","))
    return canonical
