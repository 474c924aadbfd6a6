"""Messages: English as a str, rendered in another language with its locale."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctrial_desktop.domain.messages import (
    Message,
    Style,
    lower_first,
    render,
    template_fields,
)

FRENCH = {
    "Patient {number} is locked.": "Le patient {number} est verrouillé.",
    "serum M-protein {value:.1f} g/L": "protéine M sérique {value:.1f} g/L",
    "consent {day} after first procedure": "consentement du {day} après la première procédure",
    "Age": "Âge",
    "{label} is required": "{label} est obligatoire",
    "broken {value}": "cassé {valeur}",
    "Not saved: {reason}": "Non enregistré\u00a0: {reason!l}",
    "Your role cannot sign.": "Votre rôle ne permet pas de signer.",
}
french = Style(translate=lambda t: FRENCH.get(t, t), language="fr", decimal_point=",",
               group_separator="\u202f", date=lambda d: d.strftime("%d/%m/%Y"))


class _Text:
    en = "Platelets"
    fr = "Plaquettes"


def test_a_message_is_its_english_text() -> None:
    message = Message("Patient {number} is locked.", number="01-003")
    assert message == "Patient 01-003 is locked."
    assert str(message) == "Patient 01-003 is locked." and type(str(message)) is str
    assert message.template == "Patient {number} is locked."
    assert message.params == {"number": "01-003"}
    assert json.dumps([message]) == '["Patient 01-003 is locked."]'
    assert "locked" in message and message.startswith("Patient")


def test_english_matches_the_f_string_it_replaces() -> None:
    value, pct = 12.0, -63.08
    assert Message("serum M-protein {value:.1f} g/L, {pct:+.0f}% from baseline",
                   value=value, pct=pct) == (
        f"serum M-protein {value:.1f} g/L, {pct:+.0f}% from baseline")
    assert Message("Unknown drug {drug!r}.", drug="x") == "Unknown drug 'x'."
    assert Message("on {day}", day=dt.date(2011, 3, 12)) == "on 2011-03-12"
    assert Message("{label} is required", label=_Text()) == "Platelets is required"


def test_rendered_in_french_with_decimal_comma_dates_and_nested_messages() -> None:
    value = Message("serum M-protein {value:.1f} g/L", value=12.0)
    assert render(value, french) == "protéine M sérique 12,0 g/L"
    assert render(Message("consent {day} after first procedure", day=dt.date(2011, 3, 12)),
                  french) == "consentement du 12/03/2011 après la première procédure"
    nested = Message("{label} is required", label=Message("Age"))
    assert nested == "Age is required"
    assert render(nested, french) == "Âge est obligatoire"
    assert render(Message("{label} is required", label=_Text()), french) == (
        "Plaquettes est obligatoire")
    assert render(Message.verbatim("{n:,} mg", n=1234.5), french) == "1\u202f234,5 mg"


def test_verbatim_and_join_are_not_translated_but_their_values_are() -> None:
    joined = Message.join("; ", [Message("Age"), Message.verbatim("{v:.1f} g/L", v=2.5)])
    assert joined == "Age; 2.5 g/L"
    assert render(joined, french) == "Âge; 2,5 g/L"
    assert render(Message.verbatim("Age"), french) == "Age"
    assert render(Message.verbatim("{r!u}.", r=Message("{label} is required", label="x")),
                  french) == "X est obligatoire."
    assert Message.join(" {x} ", ["a", "b"]) == "a {x} b"


def test_french_goes_on_lower_case_after_a_colon() -> None:
    refused = Message("Not saved: {reason}", reason=Message("Your role cannot sign."))
    assert refused == "Not saved: Your role cannot sign."
    assert render(refused, french) == "Non enregistré\u00a0: votre rôle ne permet pas de signer."
    assert lower_first("L'événement 3") == "l'événement 3"
    for kept in ("IMWG response", "PD: calcium", "F.DM is locked", "", "écrit", "3 forms"):
        assert lower_first(kept) == kept


def test_a_broken_translation_falls_back_to_english() -> None:
    assert render(Message("broken {value}", value=1.5), french) == "broken 1,5"


def test_render_takes_exceptions_and_plain_text() -> None:
    assert render(ValueError(Message("Age")), french) == "Âge"
    assert render(ValueError("plain"), french) == "plain"
    assert render("Age", french) == "Age"
    assert render(Message("Age")) == "Age"


def test_a_missing_value_is_refused_at_once() -> None:
    with pytest.raises(KeyError):
        Message("Patient {number} is locked.")


def test_template_fields() -> None:
    assert template_fields("{a} {b:.1f} {c!r} {{d}} {e:{width}}") == {"a", "b", "c", "e",
                                                                       "width"}


def test_messages_survive_pickling() -> None:
    message = Message("{label} is required", label=Message("Age"))
    copy = pickle.loads(pickle.dumps(message))
    assert copy == message and render(copy, french) == "Âge est obligatoire"


@given(st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(),
                 st.decimals(allow_nan=False, allow_infinity=False)),
       st.sampled_from(["", ".1f", "g", "+.0f", ".2f"]))
def test_english_numbers_are_exactly_python_format(value: float | int | Decimal,
                                                   spec: str) -> None:
    template = "{v:" + spec + "}" if spec else "{v}"
    try:
        expected = template.format(v=value)
    except ValueError:
        return
    assert Message(template, v=value) == expected
    assert render(Message(template, v=value), french) == expected.replace(".", ",")
