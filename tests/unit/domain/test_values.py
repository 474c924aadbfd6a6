"""Parsing typed input into canonical stored text, for every field kind."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.values import (
    Parsed,
    format_for_display,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_multi_choice,
    parse_partial_date,
    parse_text,
    parse_time,
    parse_yes_no,
    partial_date_bounds,
    to_date,
    to_decimal,
)

TODAY = dt.date(2011, 3, 20)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    [
        "120311",
        "12032011",
        "12/03/2011",
        "12/3/2011",
        "12.3.11",
        "12.03.2011",
        "12-03-2011",
        "12 03 2011",
        "2011-03-12",
        "2011-3-12",
        "20110312",
        " 12/03/2011 ",
        "12 / 03 / 2011",
        "１２/０３/２０１１",  # full-width digits pasted from a word processor
    ],
)
def test_every_accepted_date_spelling(text: str) -> None:
    assert parse_date(text, today=TODAY) == Parsed("2011-03-12")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2011", "31/02/2011 is not a date"),
        ("310211", "31/02/2011 is not a date"),
        ("29/02/2011", "29/02/2011 is not a date"),
        ("00/03/2011", "00/03/2011 is not a date"),
        ("12/13/2011", "12/13/2011 is not a date"),
        ("12/03/2031", "12/03/2031 is in the future"),
        ("21/03/2011", "21/03/2011 is in the future"),
        ("01/01/1850", "01/01/1850: the year must be 1900 or later"),
        ("abc", '"abc" is not a date: type it as dd/mm/yyyy'),
        ("12/03", '"12/03" is not a date: type it as dd/mm/yyyy'),
        ("1203201", '"1203201" is not a date: type it as dd/mm/yyyy'),
        ("12/03/2011 10:00", '"12/03/2011 10:00" is not a date: type it as dd/mm/yyyy'),
        ("١٢/٠٣/٢٠١١", '"١٢/٠٣/٢٠١١" is not a date: type it as dd/mm/yyyy'),
    ],
)
def test_refused_dates_name_the_value(text: str, message: str) -> None:
    assert parse_date(text, today=TODAY) == Parsed(None, message)


def test_leap_day_and_today() -> None:
    assert parse_date("29/02/2008", today=TODAY).canonical == "2008-02-29"
    assert parse_date("20/03/2011", today=TODAY).canonical == "2011-03-20"


def test_future_date_allowed_when_the_item_says_so() -> None:
    assert parse_date("12/03/2031", today=TODAY, allow_future=True).canonical == "2031-03-12"
    assert parse_date("01/01/2101", today=TODAY, allow_future=True).error == (
        "01/01/2101: the year must be 2100 or earlier"
    )


def test_two_digit_years_are_never_in_the_future() -> None:
    assert parse_date("12.3.45", today=TODAY).canonical == "1945-03-12"
    assert parse_date("01.01.11", today=TODAY).canonical == "2011-01-01"
    assert parse_date("01.01.12", today=TODAY).canonical == "1912-01-01"


def test_blank_date_is_empty_not_an_error() -> None:
    assert parse_date("   ", today=TODAY).empty
    assert parse_date("", today=TODAY) == Parsed(None, None)


def test_long_garbage_is_quoted_short() -> None:
    error = parse_date("x" * 10_000, today=TODAY).error
    assert error is not None and len(error) < 80


# --------------------------------------------------------------------------- partial dates


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("UN/UNK/2005", "2005"),
        ("UN-UNK-2005", "2005"),
        ("un/unk/2005", "2005"),
        ("UNK/2005", "2005"),
        ("2005", "2005"),
        ("UN-03-2005", "2005-03"),
        ("UN/03/2005", "2005-03"),
        ("03/2005", "2005-03"),
        ("3/2005", "2005-03"),
        ("032005", "2005-03"),
        ("2005-03", "2005-03"),
        ("MAR 2005", "2005-03"),
        ("UN-MAR-2005", "2005-03"),
        ("févr. 2005", "2005-02"),
        ("aout 2005", "2005-08"),
        ("12/03/2005", "2005-03-12"),
        ("120305", "2005-03-12"),
        ("2005-03-12", "2005-03-12"),
        ("2005/03/12", "2005-03-12"),
        ("UN/UNK/05", "2005"),
    ],
)
def test_partial_date_spellings(text: str, canonical: str) -> None:
    assert parse_partial_date(text, today=TODAY) == Parsed(canonical)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2005", "31/02/2005 is not a date"),
        ("UN/13/2005", "UN/13/2005 is not a date: there is no month 13"),
        ("12/UNK/2005", "12/UNK/2005: the day cannot be known when the month is not (UN/UNK/yyyy)"),
        ("2012", "2012 is in the future"),
        ("UN/04/2011", "04/2011 is in the future"),
        ("UNK/1850", "UNK/1850: the year must be 1900 or later"),
        ("UNK/05", '"UNK/05": give the year with 4 digits'),
        ("ABC/2005", '"ABC/2005" is not a date: the month must be 1-12, a month name or UNK'),
        ("XY/03/2005", '"XY/03/2005" is not a date: the day must be a number or UN'),
        ("UNK", '"UNK" is not a date: type it as dd/mm/yyyy, mm/yyyy, UN/mm/yyyy, '
                "UN/UNK/yyyy or yyyy"),
    ],
)
def test_partial_date_refusals(text: str, message: str) -> None:
    assert parse_partial_date(text, today=TODAY) == Parsed(None, message)


def test_partial_date_this_month_is_not_future() -> None:
    assert parse_partial_date("UN/03/2011", today=TODAY).canonical == "2011-03"
    assert parse_partial_date("2012", today=TODAY, allow_future=True).canonical == "2012"


def test_partial_date_bounds() -> None:
    assert partial_date_bounds("2005") == (dt.date(2005, 1, 1), dt.date(2005, 12, 31))
    assert partial_date_bounds("2008-02") == (dt.date(2008, 2, 1), dt.date(2008, 2, 29))
    assert partial_date_bounds("2005-12") == (dt.date(2005, 12, 1), dt.date(2005, 12, 31))
    assert partial_date_bounds("2005-03-12") == (dt.date(2005, 3, 12),) * 2


def test_to_date() -> None:
    assert to_date("2011-03-12") == dt.date(2011, 3, 12)
    assert to_date("2011-03") is None
    assert to_date(None) is None
    assert to_date("2011-02-31") is None


# --------------------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("9h30", "09:30"),
        ("9H30", "09:30"),
        ("0930", "09:30"),
        ("930", "09:30"),
        ("09:30", "09:30"),
        ("9:30", "09:30"),
        ("9.30", "09:30"),
        ("9 30", "09:30"),
        ("21h", "21:00"),
        ("21h05", "21:05"),
        ("0", "00:00"),
        ("23:59", "23:59"),
    ],
)
def test_time_spellings(text: str, canonical: str) -> None:
    assert parse_time(text) == Parsed(canonical)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("24:00", "24:00 is not a time of day (00:00 to 23:59)"),
        ("9h61", "9h61 is not a time of day (00:00 to 23:59)"),
        ("2400", "2400 is not a time of day (00:00 to 23:59)"),
        ("9:3", '"9:3" is not a time: type it as hh:mm, e.g. 09:30'),
        ("noon", '"noon" is not a time: type it as hh:mm, e.g. 09:30'),
        ("12:30:45", '"12:30:45" is not a time: type it as hh:mm, e.g. 09:30'),
    ],
)
def test_time_refusals(text: str, message: str) -> None:
    assert parse_time(text) == Parsed(None, message)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("12", "12"),
        ("+12", "12"),
        ("-12", "-12"),
        ("- 12", "-12"),
        ("007", "7"),
        ("-0", "0"),
        ("12.0", "12"),
        ("12,00", "12"),
        ("10 000", "10000"),
        ("10\u00a0000", "10000"),
        ("10\u202f000", "10000"),
        ("10'000", "10000"),
    ],
)
def test_integer_accepted(text: str, canonical: str) -> None:
    assert parse_integer(text) == Parsed(canonical)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12.5", "12.5 is not a whole number"),
        ("12a", '"12a" is not a number: it contains letters'),
        ("l2", '"l2" is not a number: it contains letters'),
        ("1e3", '"1e3" is not a number: it contains letters'),
        ("twelve", '"twelve" is not a number: it contains letters'),
        ("1 2", '"1 2" is not a number'),
        ("--1", '"--1" is not a number'),
        ("1.234,5", '"1.234,5": use one decimal separator (a comma or a point) and no '
                    "thousands separator"),
        ("1234567890123456", '"1234567890123456" has too many digits'),
        ("٣", '"٣" is not a number'),
        ("NaN", '"NaN" is not a number: it contains letters'),
        ("inf", '"inf" is not a number: it contains letters'),
    ],
)
def test_integer_refused(text: str, message: str) -> None:
    assert parse_integer(text) == Parsed(None, message)


@pytest.mark.parametrize(
    ("text", "decimals", "canonical"),
    [
        ("1,5", None, "1.5"),
        ("1.5", None, "1.5"),
        ("1,50", None, "1.5"),
        ("1,50", 2, "1.50"),
        ("1,5", 2, "1.50"),
        ("72", 1, "72.0"),
        ("72,", 1, "72.0"),
        (",5", None, "0.5"),
        ("-0,0", 1, "0.0"),
        ("-2,25", 2, "-2.25"),
        ("85", 0, "85"),
        ("85.0", 0, "85"),
        ("10 000,5", 1, "10000.5"),
        ("3.000", None, "3"),
    ],
)
def test_decimal_comma_or_point(text: str, decimals: int | None, canonical: str) -> None:
    assert parse_decimal(text, decimals) == Parsed(canonical)


@pytest.mark.parametrize(
    ("text", "decimals", "message"),
    [
        ("72,35", 1, "72,35: give at most 1 decimal"),
        ("2,255", 2, "2,255: give at most 2 decimals"),
        ("85,5", 0, "85,5: give a whole number (no decimals)"),
        ("1,2,3", None, '"1,2,3" is not a number'),
        ("0.5 g/L", None, '"0.5 g/L" is not a number: it contains letters'),
        (".", None, '"." is not a number'),
    ],
)
def test_decimal_refused(text: str, decimals: int | None, message: str) -> None:
    assert parse_decimal(text, decimals) == Parsed(None, message)


def test_to_decimal() -> None:
    assert str(to_decimal("1.50")) == "1.50"
    assert to_decimal("") is None and to_decimal(None) is None and to_decimal("x") is None
    assert to_decimal("NaN") is None


# --------------------------------------------------------------------------- choices

CODES = ("M", "F")
DECODES = {"M": ("Male", "Masculin"), "F": ("Female", "Féminin")}


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("Y", "Y"), ("yes", "Y"), ("Oui", "Y"), ("o", "Y"), ("1", "Y"), ("true", "Y"),
     ("N", "N"), ("no", "N"), ("NON", "N"), ("0", "N"), ("false", "N")],
)
def test_yes_no(text: str, canonical: str) -> None:
    assert parse_yes_no(text) == Parsed(canonical)


def test_yes_no_refused() -> None:
    assert parse_yes_no("maybe") == Parsed(None, '"maybe": answer yes or no')


def test_choice_by_code_or_decode() -> None:
    assert parse_choice("F", CODES, DECODES).canonical == "F"
    assert parse_choice("f", CODES, DECODES).canonical == "F"
    assert parse_choice("feminin", CODES, DECODES).canonical == "F"
    assert parse_choice("Male", CODES, DECODES).canonical == "M"
    assert parse_choice("X", CODES, DECODES).error == '"X" is not one of the choices'
    assert parse_choice(" ", CODES).empty


def test_multi_choice_in_list_order() -> None:
    codes = ("ASPIRIN", "LMWH", "VKA")
    assert parse_multi_choice("lmwh; aspirin", codes).canonical == "ASPIRIN,LMWH"
    assert parse_multi_choice("VKA|VKA\nASPIRIN", codes).canonical == "ASPIRIN,VKA"
    assert parse_multi_choice(" , ", codes).empty
    assert parse_multi_choice("LMWH, HEPARIN", codes).error == (
        '"HEPARIN" is not one of the choices'
    )


# --------------------------------------------------------------------------- text


def test_text_pasted_tabs_and_newlines_become_spaces() -> None:
    assert parse_text("Grade\t3\r\nneutropenia  \n").canonical == "Grade 3 neutropenia"


def test_long_text_keeps_line_breaks() -> None:
    parsed = parse_text("line one\r\n\tline two\rthree", multiline=True)
    assert parsed.canonical == "line one\n line two\nthree"


def test_text_length_limit() -> None:
    assert parse_text("x" * 10_000).error == (
        "The text is 10000 characters long; at most 200 are allowed"
    )
    assert parse_text("x" * 10_000, multiline=True).error == (
        "The text is 10000 characters long; at most 4000 are allowed"
    )
    assert parse_text("x" * 40, 40).canonical == "x" * 40
    assert parse_text("x" * 41, 40).error is not None


def test_text_keeps_accents_and_emoji_and_is_nfc() -> None:
    decomposed = "Ce\u0301line 😀 👩‍⚕️ Œdème"
    assert parse_text(decomposed).canonical == "Céline 😀 👩‍⚕️ Œdème"


def test_sql_looking_text_is_stored_as_is() -> None:
    text = "Robert'); DROP TABLE patient;-- \" OR 1=1"
    assert parse_text(text).canonical == text


def test_control_characters_removed() -> None:
    assert parse_text("a\x00b\x07c\ud800d").canonical == "abcd"
    assert parse_text("\x00\x01").empty


# --------------------------------------------------------------------------- display


@pytest.mark.parametrize(
    ("item_type", "canonical", "language", "shown"),
    [
        ("date", "2011-03-12", "fr", "12/03/2011"),
        ("date", "2011-03-12", "en", "12/03/2011"),
        ("partial_date", "2005", "en", "UN/UNK/2005"),
        ("partial_date", "2005-03", "en", "UN/03/2005"),
        ("partial_date", "2005-03-12", "fr", "12/03/2005"),
        ("decimal", "1.50", "fr", "1,50"),
        ("decimal", "1.50", "en", "1.50"),
        ("yes_no", "Y", "fr", "Oui"),
        ("yes_no", "N", "en", "No"),
        ("multi_choice", "A,B", "en", "A, B"),
        ("text", "free", "en", "free"),
        ("date", None, "en", ""),
    ],
)
def test_format_for_display(item_type: str, canonical: str | None, language: str,
                            shown: str) -> None:
    assert format_for_display(item_type, canonical, language) == shown


# --------------------------------------------------------------------------- properties

PARSERS = {
    "date": lambda t: parse_date(t, today=TODAY),
    "date_future": lambda t: parse_date(t, today=TODAY, allow_future=True),
    "partial_date": lambda t: parse_partial_date(t, today=TODAY),
    "time": parse_time,
    "integer": parse_integer,
    "decimal": lambda t: parse_decimal(t, None),
    "decimal_2": lambda t: parse_decimal(t, 2),
    "yes_no": parse_yes_no,
    "choice": lambda t: parse_choice(t, CODES, DECODES),
    "multi_choice": lambda t: parse_multi_choice(t, ("A", "B", "C")),
    "text": lambda t: parse_text(t, 50),
    "long_text": lambda t: parse_text(t, multiline=True),
}

_typed = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789/.-, :hUNK\t\n", max_size=14),
    st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2120, 1, 1)).map(
        lambda d: d.strftime("%d/%m/%Y")),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.integers(-10**6, 10**6).map(str),
)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(sorted(PARSERS)), text=_typed)
def test_parsers_never_raise_and_canonical_reparses_to_itself(kind: str, text: str) -> None:
    parser = PARSERS[kind]
    result = parser(text)
    assert (result.canonical is None) or (result.error is None)
    if result.error is not None:
        assert result.error.strip() and "\n" not in result.error
    if result.canonical is not None:
        assert parser(result.canonical) == result
        assert result.canonical == result.canonical.strip()


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
def test_every_past_date_round_trips_in_every_spelling(value: dt.date) -> None:
    for spelling in ("%d%m%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"):
        assert parse_date(value.strftime(spelling), today=TODAY).canonical == value.isoformat()
    shown = format_for_display("date", value.isoformat(), "fr")
    assert parse_date(shown, today=TODAY).canonical == value.isoformat()


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False))
def test_french_display_of_a_decimal_parses_back(value: object) -> None:
    canonical = parse_decimal(str(value), 2).canonical
    assert canonical is not None
    assert parse_decimal(format_for_display("decimal", canonical, "fr"), 2).canonical == canonical
