"""Embedded fonts of the PDF reports: DejaVu Sans (a family) and DejaVu Sans Mono.

The base-14 Helvetica of PDF viewers lacks "≥" and many accented capitals, so every
report embeds (a subset of) these TrueType fonts, read from the project's
``resources/fonts`` folder. Registration is idempotent and cheap after the first call.
String widths in these fonts are memoised (the same labels and values are measured
many times while tables are laid out).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Final

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ctrial_desktop.paths import resources_dir

SANS: Final = "DejaVuSans"
SANS_BOLD: Final = "DejaVuSans-Bold"
SANS_ITALIC: Final = "DejaVuSans-Oblique"
SANS_BOLD_ITALIC: Final = "DejaVuSans-BoldOblique"
MONO: Final = "DejaVuSansMono"

_FILES: Final[dict[str, str]] = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}


class FontError(RuntimeError):
    """A report font file is missing from the installation."""


def fonts_dir() -> Path:
    """Folder of the TrueType files embedded in reports."""
    return resources_dir() / "fonts"


def register_fonts() -> None:
    """Register the DejaVu fonts with ReportLab (once per process)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    if all(name in registered for name in _FILES):
        return
    folder = fonts_dir()
    for name, filename in _FILES.items():
        if name in registered:
            continue
        path = folder / filename
        if not path.is_file():
            raise FontError(f"report font {filename} is missing from {folder}")
        font = TTFont(name, str(path))
        # Text widths are measured again and again (line breaking, alignment): the
        # width of a string in a size never changes, so it is measured once.
        font.stringWidth = lru_cache(maxsize=65_536)(font.stringWidth)  # type: ignore[method-assign]
        pdfmetrics.registerFont(font)
    # <b> and <i> in paragraphs map to the right faces of the family.
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD_ITALIC)
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC,
                                  boldItalic=SANS_BOLD_ITALIC)


def clear_width_caches() -> None:
    """Forget the memoised string widths (benchmarks time a cold layout)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in _FILES:
        if name in registered:
            cache_clear = getattr(pdfmetrics.getFont(name).stringWidth, "cache_clear", None)
            if cache_clear is not None:
                cache_clear()
