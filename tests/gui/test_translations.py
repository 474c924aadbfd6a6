"""Every user-visible string has a French translation, and the shipped .qm is up to date."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("update_translations",
                                              ROOT / "tools" / "update_translations.py")
assert spec is not None and spec.loader is not None
tools = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tools)


def _messages(ts: Path) -> set[tuple[str, str]]:
    return {(c.findtext("name") or "", m.findtext("source") or "")
            for c in ET.parse(ts).getroot().iter("context") for m in c.iter("message")}


def test_every_string_of_the_sources_is_in_the_french_file(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    tools.lupdate(fresh)
    missing = _messages(fresh) - _messages(tools.TS)
    assert not missing, f"{len(missing)} strings not in ctrial_fr.ts, e.g. {sorted(missing)[:5]}"


def test_every_french_string_is_translated() -> None:
    missing = tools.untranslated(tools.TS)
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"


def test_compiled_file_matches_the_source() -> None:
    translator = QTranslator()
    assert translator.load(str(tools.QM))
    root = ET.parse(tools.TS).getroot()
    checked = 0
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            if message.get("numerus") == "yes":
                continue
            source = message.findtext("source") or ""
            expected = message.findtext("translation") or ""
            comment = message.findtext("comment")
            assert translator.translate(name, source, comment) == expected, (name, source)
            checked += 1
    assert checked > 50
