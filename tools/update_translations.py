"""Refresh the French translation source and compile it.

    python tools/update_translations.py          # lupdate + lrelease
    python tools/update_translations.py --check  # exit 1 if a string lacks a translation

``pyside6-lupdate`` collects every ``tr()`` / ``QCoreApplication.translate()`` string of
``ctrial_desktop/ui`` into ``resources/translations/ctrial_fr.ts`` (translators fill it,
e.g. with Qt Linguist); ``pyside6-lrelease`` compiles it to ``ctrial_fr.qm``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "ctrial_fr.ts"
QM = TS.with_suffix(".qm")


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ctrial_desktop" / "ui").rglob("*.py"))


def lupdate(target: Path) -> None:
    subprocess.run(["pyside6-lupdate", *sources(), "-target-language", "fr_FR", "-no-obsolete",
                    "-locations", "none", "-ts", str(target)], cwd=ROOT, check=True,
                   capture_output=True)


def lrelease() -> None:
    subprocess.run(["pyside6-lrelease", str(TS), "-qm", str(QM)], cwd=ROOT, check=True,
                   capture_output=True)


def untranslated(ts: Path) -> list[str]:
    """``context: source`` of every message without a finished translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [] if translation is None else list(translation.iter("numerusform"))
            texts = [f.text for f in forms] if forms else [None if translation is None
                                                           else translation.text]
            unfinished = translation is None or translation.get("type") in ("unfinished",
                                                                            "vanished")
            if unfinished or not all(t and t.strip() for t in texts):
                missing.append(f"{name}: {message.findtext('source')}")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report missing translations")
    args = parser.parse_args()
    if not args.check:
        TS.parent.mkdir(parents=True, exist_ok=True)
        lupdate(TS)
        lrelease()
    missing = untranslated(TS)
    for line in missing:
        print(line)
    print(f"{len(missing)} untranslated string(s) in {TS.relative_to(ROOT)}", file=sys.stderr)
    return 1 if missing and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
