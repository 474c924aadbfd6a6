"""``ctrial imwg`` and ``ctrial dose advise`` with ``--study-settings`` read forms/study.yaml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ctrial_desktop import paths
from ctrial_desktop.cli import main

ADVICE = {"arm": "POM21", "age": 68, "pomalidomide_mg": 4, "dexamethasone_mg": 40,
          "anc": 2.0, "platelets": 40}
IMWG = {"baseline": {"date": "2010-01-04", "serum_m": 8.0},
        "assessments": [{"date": "2010-02-01", "serum_m": 3.0, "urine_m": 0,
                         "serum_ife": "positive", "urine_ife": "negative"},
                        {"date": "2010-03-01", "serum_m": 3.0, "urine_m": 0,
                         "serum_ife": "positive", "urine_ife": "negative"}]}


@pytest.fixture
def changed_study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "forms"
    shutil.copytree(paths.forms_dir(), folder)
    study = folder / "study.yaml"
    text = study.read_text(encoding="utf-8")
    text = text.replace("    platelets_interrupt_below:\n      value: 25",
                        "    platelets_interrupt_below:\n      value: 50", 1)
    text = text.replace("    serum_measurable_g_l:\n      value: 5",
                        "    serum_measurable_g_l:\n      value: 10", 1)
    study.write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "forms_dir", lambda: folder)
    return folder


def _run(capsys, tmp_path: Path, data: dict, *argv: str) -> dict:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main([*argv, str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def test_dose_advice_follows_the_study_settings(changed_study: Path, tmp_path: Path,
                                                capsys) -> None:  # type: ignore[no-untyped-def]
    default = _run(capsys, tmp_path, ADVICE, "dose", "advise")
    study = _run(capsys, tmp_path, ADVICE, "dose", "advise", "--study-settings")
    assert default["pomalidomide"]["action"] == "give"
    assert study["pomalidomide"]["action"] == "interrupt"


def test_imwg_follows_the_study_settings(changed_study: Path, tmp_path: Path,
                                         capsys) -> None:  # type: ignore[no-untyped-def]
    default = _run(capsys, tmp_path, IMWG, "imwg")
    study = _run(capsys, tmp_path, IMWG, "imwg", "--study-settings")
    assert default["assessments"][0]["response"] == "PR"
    assert study["assessments"][0]["response"] != "PR"  # 8 g/L no longer measurable
