"""Protocol factors of IFM 2009-02 and stratum labels.

* ISS stage at entry is grouped ``I-II`` (stages 1 and 2) versus ``III``
  (stage 3); age is grouped ``<65`` versus ``>=65`` years (PROTOCOL section 5).
* A stratum label joins ``name=value`` pairs with ``|`` in the given order,
  e.g. ``site=03|iss=I-II``. Names and values may not contain ``=``, ``|`` or
  line breaks.
"""

from __future__ import annotations

from collections.abc import Iterable

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.domain.randomization.blocks import AllocationError

ISS_GROUPS: tuple[str, str] = ("I-II", "III")
AGE_GROUPS: tuple[str, str] = ("<65", ">=65")
AGE_CUTOFF_YEARS = 65


def iss_group(stage: int) -> str:
    """``I-II`` for ISS stage 1 or 2, ``III`` for stage 3."""
    if stage in (1, 2):
        return ISS_GROUPS[0]
    if stage == 3:
        return ISS_GROUPS[1]
    raise AllocationError(f"ISS stage must be 1, 2 or 3, got {stage!r}")


def age_group(age_years: float) -> str:
    """``<65`` or ``>=65`` (age in completed years at randomization)."""
    if age_years < 0:
        raise AllocationError(f"age cannot be negative: {age_years}")
    return AGE_GROUPS[1] if age_years >= AGE_CUTOFF_YEARS else AGE_GROUPS[0]


def _check_part(text: str) -> str:
    if not text or "=" in text or "|" in text or not text.isprintable():
        raise AllocationError(f"invalid stratum part {text!r}")
    return text


def stratum_label(parts: Iterable[tuple[str, str]]) -> str:
    """``name=value`` pairs joined by ``|``.

    ``[("site", "03"), ("iss", "I-II")]`` gives ``site=03|iss=I-II``.
    """
    items = [f"{_check_part(name)}={_check_part(value)}" for name, value in parts]
    if not items:
        raise AllocationError("a stratum needs at least one factor")
    return "|".join(items)


def site_iss_stratum(site: str, iss_stage: int) -> str:
    """The default stratum of PROTOCOL section 5: site x ISS group."""
    return stratum_label([("site", site), ("iss", iss_group(iss_stage))])


#: Factor names in words, as a stratum is shown (``site 03 · iss I-II``).
FACTOR_WORDS: dict[str, Message] = {
    "site": Message("site"),
    "iss": Message("iss"),
    "iss_group": Message("iss"),
    "age": Message("age"),
    "age_group": Message("age"),
    "sex": Message("sex"),
}


def stratum_words(stratum: str) -> Message:
    """``site=03|iss=I-II`` (or ``site:03|...``) as ``site 03 · iss I-II``, each factor
    name a message in the user's language."""
    parts = []
    for part in stratum.split("|"):
        name, sep, level = part.replace(":", "=", 1).partition("=")
        if sep:
            parts.append(Message.verbatim("{name} {level}", name=FACTOR_WORDS.get(name, name),
                                          level=level.replace("=", " ").replace(":", " ")))
        else:
            parts.append(Message.verbatim("{part}", part=part))
    return Message.join(" \u00b7 ", parts)
