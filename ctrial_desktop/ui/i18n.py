"""Languages: Qt translators for French and English, and locale-aware number parsing.

The user interface is written in English; ``resources/translations/ctrial_fr.ts``
holds the French translation (compiled to ``ctrial_fr.qm``). The language comes
from the user's preference, else from the system locale.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from ctrial_desktop.paths import resources_dir

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}


def translations_dir():  # type: ignore[no-untyped-def]
    return resources_dir() / "translations"


def system_language() -> str:
    """``fr`` when the system locale is French, else ``en``."""
    return "fr" if QLocale.system().language() == QLocale.Language.French else "en"


class LanguageSwitcher:
    """Installs the translator of one language into the application and remembers it."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translators: list[QTranslator] = []
        self.language = "en"

    def apply(self, language: str) -> bool:
        """Switch to ``language`` (``en`` or ``fr``); False when its file is missing."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        for installed in self._translators:
            self._app.removeTranslator(installed)
        self._translators = []
        ok = True
        if language != "en":
            translator = QTranslator(self._app)
            ok = translator.load(str(translations_dir() / f"ctrial_{language}.qm"))
            if ok:
                self._app.installTranslator(translator)
                self._translators.append(translator)
                # Qt's own strings (standard buttons, message boxes, file dialogs).
                qt_base = QTranslator(self._app)
                if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(
                        QLibraryInfo.LibraryPath.TranslationsPath)):
                    self._app.installTranslator(qt_base)
                    self._translators.append(qt_base)
        self.language = language if ok else "en"
        QLocale.setDefault(QLocale(QLocale.Language.French if self.language == "fr"
                                   else QLocale.Language.English,
                                   QLocale.Country.France if self.language == "fr"
                                   else QLocale.Country.UnitedKingdom))
        return ok


def current_language() -> str:
    """``fr`` when the interface is in French (the default locale), else ``en``."""
    return "fr" if QLocale().language() == QLocale.Language.French else "en"


def _translate_message(template: str) -> str:
    return QCoreApplication.translate("messages", template)


def _date_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def tr_message(text: object) -> str:
    """A message of the services or the domain in the interface's language.

    ``text`` is a :class:`~ctrial_desktop.domain.messages.Message`, an exception carrying
    one (a service error), or anything else (shown as ``str``). The template is translated
    in the ``messages`` context, then its values are put in: numbers with the locale's
    decimal point (``12,0 g/L`` in French), dates ``dd/mm/yyyy`` as everywhere in the
    interface, study texts in the interface's language.
    """
    # Imported here: this module is on screen with the login dialog, before anything else.
    from ctrial_desktop.domain.messages import Style, render

    locale = QLocale()
    style = Style(translate=_translate_message, language=current_language(),
                  decimal_point=locale.decimalPoint(), group_separator=locale.groupSeparator(),
                  date=_date_text)
    return render(text, style)


def tr_after_colon(text: object) -> str:
    """:func:`tr_message` for a text shown after a colon (``Not saved: {reason}``): in
    French the sentence goes on lower-case (``Non enregistré : votre rôle …``)."""
    from ctrial_desktop.domain.messages import lower_first

    shown = tr_message(text)
    return lower_first(shown) if current_language() == "fr" else shown


def parse_decimal(text: str) -> float | None:
    """A decimal number typed with a point or (as in French) a comma; None if not a number."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        return None
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


LANGUAGE_KEY = "ui/language"


def saved_language(settings: QSettings) -> str | None:
    """The language the user chose earlier, or None (then the system locale decides)."""
    value = settings.value(LANGUAGE_KEY, "")
    code = str(value) if value else ""
    return code if code in LANGUAGES else None


def save_language(settings: QSettings, language: str) -> None:
    """Remember ``language`` for the next start."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    settings.setValue(LANGUAGE_KEY, language)
    settings.sync()
