"""Messages for the user: an English template with named placeholders and its values.

A :class:`Message` *is* its English text (a ``str``), so the command line, the logs, the
JSON outputs and every comparison keep the English wording, while the user interface
can show it in the user's language::

    Message("Patient {number} is locked.", number="01-003")      # "Patient 01-003 is locked."
    Message("serum M-protein {value:.1f} g/L", value=12.0)       # "... 12.0 g/L"

The template is the translation key: ``tools/update_translations.py`` collects the
first argument of every ``Message("...")`` call of ``services/``, ``domain/`` and
``study/`` (a literal, never an f-string) into the ``messages`` context of the
translation file, and the user interface renders a message with :func:`render`, passing
its translation function and its locale (decimal comma, date format). A value may
itself be a message (rendered in the same language), an object with ``en`` and ``fr``
texts (a study :class:`~ctrial_desktop.study.model.Text`), a number (its decimal point
follows the locale) or a date.

:meth:`Message.verbatim` builds glue that is not translated (``"{a}; {b}"``,
``"{value:.1f} g/L"``): it still renders its values in the user's language. The
conversion ``!u`` upper-cases the first letter of a value (``"{reason!u}."``); ``!l``
lower-cases it (:func:`lower_first`), as French wants a sentence put after a colon
(``"Non enregistré : {reason!l}"``).
"""

from __future__ import annotations

import datetime as _dt
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = ["Message", "Style", "lower_first", "render", "template_fields"]


def _iso_date(value: _dt.date) -> str:
    return value.isoformat()


def lower_first(text: str) -> str:
    """``text`` with its first letter lower-case, as a sentence continued after a colon
    (``Votre rôle …`` -> ``votre rôle …``, ``L'événement`` -> ``l'événement``); a first
    word that is an acronym or a code (``IMWG``, ``PD``, ``F.DM``) is kept."""
    if not text[:1].isupper():
        return text
    word = text.split(" ", 1)[0]
    if len(word) > 1 and word[1] not in "'’" and not word[1].islower():
        return text
    return text[0].lower() + text[1:]


@dataclass(frozen=True)
class Style:
    """How to render a message: translation of templates, language and locale.

    ``translate`` maps an English template to the user's language (the template itself
    when there is no translation); ``decimal_point`` and ``group_separator`` are the
    locale's; ``date`` formats a calendar date (ISO ``2011-03-12`` by default).
    """

    translate: Callable[[str], str] = field(default=lambda template: template)
    language: str = "en"
    decimal_point: str = "."
    group_separator: str = ","
    date: Callable[[_dt.date], str] = _iso_date


#: English exactly as an f-string of the template would give it.
ENGLISH = Style()


class _Formatter(string.Formatter):
    """``str.format`` with the values shown in one :class:`Style`."""

    def __init__(self, style: Style) -> None:
        self.style = style

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "u":
            text = _value_text(value, self.style)
            return text[:1].upper() + text[1:]
        if conversion == "l":
            return lower_first(_value_text(value, self.style))
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        style = self.style
        if isinstance(value, Message):
            return format(value.render(style), format_spec)
        if _localized(value):
            return format(_value_text(value, style), format_spec)
        if style is ENGLISH:
            return format(value, format_spec)
        if isinstance(value, bool):
            return format(value, format_spec)
        if isinstance(value, int | float | Decimal):
            text = format(value, format_spec)
            if style.decimal_point == "." and style.group_separator == ",":
                return text
            return (text.replace(",", "\x00").replace(".", style.decimal_point)
                    .replace("\x00", style.group_separator))
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime) \
                and not format_spec:
            return style.date(value)
        return format(_value_text(value, style), format_spec)


def _localized(value: Any) -> bool:
    """A text in every language (``en`` and ``fr`` attributes), e.g. a study ``Text``."""
    return not isinstance(value, str) and hasattr(value, "en") and hasattr(value, "fr")


def _value_text(value: Any, style: Style) -> str:
    """A value that is not a number, in ``style``'s language."""
    if isinstance(value, Message):
        return value.render(style)
    if isinstance(value, str):
        return value
    if _localized(value):
        text = getattr(value, style.language, None)
        return str(text if text else value.en)
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return style.date(value) if style is not ENGLISH else value.isoformat()
    return str(value)


def template_fields(template: str) -> set[str]:
    """The names of the placeholders of ``template`` (``{name:.1f}`` gives ``name``)."""
    names = set()
    for _literal, name, spec, _conversion in string.Formatter().parse(template):
        if name is not None:
            names.add(name.split(".")[0].split("[")[0])
        if spec:
            names |= template_fields(spec)
    return names


class Message(str):
    """A user-facing text: its English wording, plus the template and values to render
    it in another language (see the module docstring)."""

    template: str
    params: Mapping[str, Any]
    translatable: bool

    def __new__(cls, template: str, /, **params: Any) -> Message:
        return cls._make(template, params, translatable=True)

    @classmethod
    def verbatim(cls, template: str, /, **params: Any) -> Message:
        """A message whose template is not translated (glue between messages, a value
        with its unit); its values are still rendered in the user's language."""
        return cls._make(template, params, translatable=False)

    @classmethod
    def join(cls, separator: str, parts: Iterable[object]) -> Message:
        """``separator.join(parts)`` keeping each part renderable.

        ``"; "`` is punctuation a language may space differently (`` ; `` in French): it
        joins through a translatable template."""
        if separator == "; ":
            items = list(parts)
            if not items:
                return cls.verbatim("")
            joined = items[0] if isinstance(items[0], Message) else cls.verbatim(
                "{text}", text=items[0])
            for item in items[1:]:
                joined = Message("{first}; {then}", first=joined, then=item)
            return joined
        values = {f"p{i}": part for i, part in enumerate(parts)}
        template = separator.replace("{", "{{").replace("}", "}}").join(
            "{" + name + "}" for name in values)
        return cls.verbatim(template, **values)

    @classmethod
    def _make(cls, template: str, params: Mapping[str, Any], *, translatable: bool) -> Message:
        missing = template_fields(template) - set(params)
        if missing:
            raise KeyError(f"no value for {sorted(missing)} in message {template!r}")
        text = _Formatter(ENGLISH).vformat(template, (), params)
        made = super().__new__(cls, text)
        made.template = template
        made.params = dict(params)
        made.translatable = translatable
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, dict(self.params), self.translatable))

    def __repr__(self) -> str:
        return f"Message({str.__repr__(self)})"

    def render(self, style: Style = ENGLISH) -> str:
        """The text in ``style``'s language; English (``str(self)``) by default."""
        if style is ENGLISH:
            return str.__str__(self)
        template = style.translate(self.template) if self.translatable else self.template
        try:
            return _Formatter(style).vformat(template, (), self.params)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never hide the message: fall back to English.
            return _Formatter(style).vformat(self.template, (), self.params)


def _rebuild(template: str, params: dict[str, Any], translatable: bool) -> Message:
    return Message._make(template, params, translatable=translatable)


def render(text: object, style: Style = ENGLISH) -> str:
    """``text`` in ``style``'s language: a message rendered, anything else as ``str``.

    An exception whose only argument is a message renders that message.
    """
    if isinstance(text, BaseException) and len(text.args) == 1:
        text = text.args[0]
    if isinstance(text, Message):
        return text.render(style)
    return str(text)
