"""Every ``Message("...")`` of the Qt-free layers has exactly the values its template names.

A typo in a placeholder or a forgotten value would otherwise surface only when that
message is raised; the scan checks every call site at once.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from ctrial_desktop.domain.messages import template_fields

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("update_translations",
                                              ROOT / "tools" / "update_translations.py")
assert spec is not None and spec.loader is not None
tools = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tools)


def _problems(path: Path) -> list[str]:
    found = []
    for call in tools.message_calls(path):
        where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{call.lineno}"
        if not call.args or not isinstance(call.args[0], ast.Constant) \
                or not isinstance(call.args[0].value, str):
            found.append(f"{where}: the template is not a literal string")
            continue
        if len(call.args) > 1 or any(k.arg is None for k in call.keywords):
            found.append(f"{where}: values must be named keywords (no *args or **kwargs)")
            continue
        named = template_fields(call.args[0].value)
        given = {k.arg for k in call.keywords if k.arg is not None}
        if named != given:
            found.append(f"{where}: template names {sorted(named)}, call gives {sorted(given)}")
    return found


def test_every_message_names_exactly_its_values() -> None:
    problems = [p for path in tools.message_sources() for p in _problems(path)]
    assert not problems, "\n".join(problems)
    assert len(tools.message_templates()) > 150


def test_the_scan_finds_a_typo_and_an_f_string(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text(
        "from ctrial_desktop.domain.messages import Message\n"
        "a = Message('Patient {numbr} is locked.', number='01-003')\n"
        "b = Message(f'Patient {a}')\n"
        "c = Message('Site {code}', **{'code': '03'})\n"
        "d = Message('Site {code:>3} is {state!r}', code='03', state='x')\n", encoding="utf-8")
    problems = _problems(module)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "template names ['numbr'], call gives ['number']",
        "the template is not a literal string",
        "values must be named keywords (no *args or **kwargs)",
    ]
