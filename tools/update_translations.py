"""Refresh the French translation source and compile it.

    python tools/update_translations.py          # lupdate + lrelease
    python tools/update_translations.py --check  # exit 1 if a string lacks a translation,
                                                 # or a translation breaks its source's
                                                 # placeholders, mnemonics or shortcuts

``pyside6-lupdate`` collects every ``tr()`` / ``QCoreApplication.translate()`` string of
``ctrial_desktop/ui`` into ``resources/translations/ctrial_fr.ts`` (translators fill it,
e.g. with Qt Linguist); ``pyside6-lrelease`` compiles it to ``ctrial_fr.qm``.

The messages of the Qt-free layers (``Message("...")`` in ``services/``, ``domain/``,
``study/`` and ``exchange/``, see :mod:`ctrial_desktop.domain.messages`) are found by an
AST scan and given to lupdate in the ``messages`` context, where the interface's
``tr_message`` looks them up.
IMWG category codes (CR, VGPR, PR, MR, SD, PD, NE) and CTCAE terms stay as they are in the
French translation: CTCAE and its MedDRA terms have no public French version we may ship.

Outside a class, ``tr = QCoreApplication.translate; tr("Context", "text")`` is read by
lupdate as ``tr("Context", disambiguation="text")`` in an unnamed context; the compiled
file files such messages under the context and text that Qt looks up at run time.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "ctrial_fr.ts"
QM = TS.with_suffix(".qm")


#: The Qt-free packages whose ``Message("...")`` templates are translated (``exchange/``
#: for the refusals of an import the interface shows; not ``reports/``, printed in their
#: own language, nor the command line).
MESSAGE_PACKAGES = ("services", "domain", "study", "exchange")
MESSAGE_CONTEXT = "messages"


def sources() -> list[str]:
    """The user-interface modules, relative to the project root."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ctrial_desktop" / "ui").rglob("*.py"))


def message_sources() -> list[Path]:
    """The modules scanned for ``Message("...")`` templates."""
    return sorted(p for package in MESSAGE_PACKAGES
                  for p in (ROOT / "ctrial_desktop" / package).rglob("*.py"))


def _is_message_call(node: ast.AST) -> bool:
    """``Message(...)`` (not ``Message.verbatim``/``Message.join``: glue, not translated)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "Message") or (
        isinstance(func, ast.Attribute) and func.attr == "Message")


def message_calls(path: Path) -> list[ast.Call]:
    """Every ``Message(...)`` call of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [node for node in ast.walk(tree) if _is_message_call(node)]


def message_templates() -> list[str]:
    """The templates of every ``Message("literal", ...)`` call, sorted, once each."""
    found: set[str] = set()
    for path in message_sources():
        for call in message_calls(path):
            if call.args and isinstance(call.args[0], ast.Constant) \
                    and isinstance(call.args[0].value, str):
                found.add(call.args[0].value)
    return sorted(found)


def _messages_module(folder: Path) -> Path:
    """A Python file lupdate reads: one ``translate("messages", template)`` per template."""
    target = folder / "service_messages.py"
    lines = ["from PySide6.QtCore import QCoreApplication", ""]
    lines += [f"QCoreApplication.translate({MESSAGE_CONTEXT!r}, {template!r})"
              for template in message_templates()]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _run(command: list[str]) -> None:
    """Run a Qt tool quietly; on failure raise with what it printed."""
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}):\n"
                           f"{done.stdout[-2000:]}{done.stderr[-2000:]}")


def lupdate(target: Path) -> None:
    """Merge every string of :func:`sources` and every message template into ``target``,
    keeping its translations."""
    with tempfile.TemporaryDirectory() as folder:
        generated = _messages_module(Path(folder))
        _run(["pyside6-lupdate", *sources(), str(generated), "-target-language", "fr_FR",
              "-no-obsolete", "-locations", "none", "-ts", str(target)])


def misread(context_name: str | None, message: ET.Element) -> bool:
    """True for a ``tr("Context", "text")`` call that lupdate filed as source ``Context``
    with comment ``text`` in the unnamed context."""
    return not context_name and bool(message.findtext("comment"))


def for_runtime(ts: Path) -> ET.ElementTree:
    """The messages of ``ts`` as Qt looks them up: misread calls (see :func:`misread`) moved
    to their context, with their text as source and no comment."""
    tree = ET.parse(ts)
    root = tree.getroot()
    contexts = {c.findtext("name") or "": c for c in root.findall("context")}
    for context in list(contexts.values()):
        for message in context.findall("message"):
            if not misread(context.findtext("name"), message):
                continue
            name, text = message.findtext("source") or "", message.findtext("comment") or ""
            target = contexts.get(name)
            if target is None:
                target = contexts[name] = ET.SubElement(root, "context")
                ET.SubElement(target, "name").text = name
            context.remove(message)
            comment = message.find("comment")
            if comment is not None:
                message.remove(comment)
            source = message.find("source")
            if source is not None:
                source.text = text
            target.append(message)
        if not context.findall("message"):
            root.remove(context)
    return tree


def lrelease() -> None:
    """Compile :data:`TS` (as :func:`for_runtime` files it) into :data:`QM`."""
    with tempfile.TemporaryDirectory() as folder:
        runtime = Path(folder) / TS.name
        for_runtime(TS).write(runtime, encoding="utf-8", xml_declaration=True)
        _run(["pyside6-lrelease", str(runtime), "-qm", str(QM)])


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


#: What a translation must keep from its source: ``{name}`` and ``%n``/``%1`` placeholders,
#: HTML tags, key names (``Ctrl+Shift+S``), tabs (menu shortcut columns).
_KEPT = re.compile(r"\{[^{}]*\}|%L?\d|%n|</?[A-Za-z]+>|(?:Ctrl|Shift|Alt)(?:\+[A-Za-z0-9]+)+|\t")
#: French typography: a no-break space before ``: ; ? !`` and ``%`` (not a bare letter, nor
#: a normal space, where a line may break and leave the mark alone at its start).
_FRENCH_BARE_MARK = re.compile(r"[^\u00a0\d:/]([:;?!])(?=\s|$)| %(?![\dnL])")


def _marks(text: str) -> tuple[list[str], int, int, bool]:
    """The parts of ``text`` a translation must keep: placeholders and the like, the number
    of mnemonics (``&x``) and of literal ampersands (``&&``), and a trailing ellipsis."""
    # a conversion is the translation's choice (French lower-cases after a colon: ``!l``)
    kept = [re.sub(r"!\w(?=[:}])", "", part) for part in _KEPT.findall(text)]
    return (sorted(kept), text.replace("&&", "").count("&"), text.count("&&"),
            text.rstrip().endswith(("\u2026", "...")))


def inconsistent(ts: Path) -> list[str]:
    """``context: source`` of every finished translation that drops or adds a placeholder,
    mnemonic, ``&&``, key name or trailing ellipsis of its source, or (in French) lacks the
    no-break space before ``: ; ? !`` or ``%``."""
    root = ET.parse(ts).getroot()
    french = (root.get("language") or "").startswith("fr")
    problems = []
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "vanished"):
                continue
            source = message.findtext("source") or ""
            if misread(name, message):
                source = message.findtext("comment") or ""
            forms = [f.text or "" for f in translation.iter("numerusform")]
            for text in forms or [translation.text or ""]:
                if _marks(text) != _marks(source) or (french
                                                      and _FRENCH_BARE_MARK.search(text)):
                    problems.append(f"{name}: {source} -> {text}")
    return problems


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
    broken = inconsistent(TS)
    for line in broken:
        print(f"inconsistent: {line}")
    if broken:
        print(f"{len(broken)} inconsistent translation(s)", file=sys.stderr)
    return 1 if (missing or broken) and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
