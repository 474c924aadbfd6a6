"""The clinical-engine commands: ``ctrial imwg``, ``ctrial ctcae``, ``ctrial dose advise``.

Happy paths check the exact public output; every kind of bad input must give one
line on stderr and exit code 2.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ctrial_desktop.cli import main

ROOT = Path(__file__).resolve().parents[2]

IMWG_EXAMPLE = {
    "baseline": {
        "date": "2010-01-04",
        "serum_m": 32.5,
        "urine_m": 480,
        "flc_kappa": 15.1,
        "flc_lambda": 9.0,
        "involved_flc": "kappa",
        "bm_pc": 40,
        "plasmacytoma_spd": None,
    },
    "assessments": [
        {
            "date": "2010-02-01",
            "serum_m": 12.0,
            "serum_ife": "positive",
            "urine_m": 150,
            "urine_ife": "positive",
            "flc_kappa": None,
            "flc_lambda": None,
            "bm_pc": None,
            "bm_clonal": None,
            "plasmacytoma_spd": None,
            "new_lesion": False,
            "corrected_calcium": None,
        }
    ],
    "new_therapy_date": None,
}

DOSE_EXAMPLE = {
    "arm": "POM21",
    "age": 68,
    "pomalidomide_mg": 4,
    "dexamethasone_mg": 40,
    "anc": 0.4,
    "platelets": 120,
    "febrile_neutropenia": False,
    "cycle_start": False,
    "adverse_events": [
        {
            "term": "Rash maculo-papular",
            "grade": 3,
            "related_pomalidomide": True,
            "related_dexamethasone": False,
        }
    ],
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, out: str, err: str, fragment: str) -> None:
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("ctrial: error: "), err
    assert fragment in err


def write_json(tmp_path: Path, data: object, name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------------------- imwg


def test_imwg_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "imwg", write_json(tmp_path, IMWG_EXAMPLE))
    assert code == 0 and err == ""
    assert json.loads(out) == {
        "assessments": [
            {
                "date": "2010-02-01",
                "response": "PR",
                "confirmed": False,
                "reasons": [
                    "serum M-protein 12.0 g/L, -63% from baseline 32.5 g/L",
                    "urine M-protein 150 mg/24 h, -69% from baseline 480 mg/24 h",
                    "serum immunofixation positive",
                    "urine immunofixation positive",
                    "PR: serum M-protein reduced >= 50% and urine M-protein reduced >= 90% "
                    "or < 200 mg/24 h",
                    "PR not confirmed yet: no later assessment",
                ],
            }
        ],
        "best_overall_response": "SD",
        "best_response_date": "2010-02-01",
        "progression_date": None,
    }


def test_imwg_course_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    # PR confirmed by VGPR, then PD confirmed by PD; a visit after new therapy is null.
    data = {
        "baseline": {"date": "2010-01-04", "serum_m": 30.0, "urine_m": 0},
        "assessments": [
            {"date": "2010-02-01", "serum_m": 12.0, "urine_m": 0},
            {"date": "2010-03-01", "serum_m": 2.0, "urine_m": 50},
            {"date": "2010-04-01", "serum_m": 8.0, "urine_m": 0},
            {"date": "2010-05-01", "serum_m": 9.0},
            {"date": "2010-06-01", "serum_m": 20.0},
        ],
        "new_therapy_date": "2010-06-01",
    }
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(data)))
    code, out, _ = run(capsys, "imwg", "-")
    result = json.loads(out)
    assert code == 0
    assert [a["response"] for a in result["assessments"]] == ["PR", "VGPR", "PD", "PD", None]
    assert [a["confirmed"] for a in result["assessments"]] == [True, False, True, False, False]
    assert result["best_overall_response"] == "PR"
    assert result["best_response_date"] == "2010-02-01"
    assert result["progression_date"] == "2010-04-01"


def _imwg_with(**changes: object) -> dict:
    data = json.loads(json.dumps(IMWG_EXAMPLE))
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (_imwg_with(baseline__serum_m=-1), "must not be negative"),
        (_imwg_with(assessments__0__urine_m=-5), "must not be negative"),
        (_imwg_with(assessments__0__date="2010-01-04"), "after the baseline"),
        (_imwg_with(assessments__0__date="2009-12-31"), "after the baseline"),
        (_imwg_with(assessments__0__date="2010-02-30"), "not a date"),
        (_imwg_with(baseline__colour="red"), "unknown key 'colour'"),
        (_imwg_with(assessments__0__serum="x"), "unknown key 'serum'"),
        (_imwg_with(extra=1), "unknown key 'extra'"),
        (_imwg_with(assessments__0__serum_m="12"), "expected a number"),
        (_imwg_with(assessments__0__serum_ife="weak"), "serum_ife"),
        (_imwg_with(assessments__0__new_lesion="yes"), "new_lesion"),
        (_imwg_with(baseline__involved_flc="mu"), "involved_flc"),
        ({"assessments": []}, "missing 'baseline'"),
        ([1, 2], "expected a JSON object"),
        (
            {
                "baseline": {"date": "2010-01-04"},
                "assessments": [{"date": "2010-03-01"}, {"date": "2010-02-01"}],
            },
            "after the previous assessment",
        ),
    ],
)
def test_imwg_bad_input(tmp_path: Path, capsys, data: object, fragment: str) -> None:
    code, out, err = run(capsys, "imwg", write_json(tmp_path, data))
    assert_one_line_error(code, out, err, fragment)


def test_imwg_bad_json_and_missing_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"baseline": ', encoding="utf-8")
    assert_one_line_error(*run(capsys, "imwg", str(path)), "invalid JSON")
    assert_one_line_error(*run(capsys, "imwg", str(tmp_path / "nope.json")), "file not found")


# ------------------------------------------------------------------------------- ctcae

CTCAE_IN = (
    "test,value,lln,uln,albumin,baseline,patient\n"
    "ANC,0.4,1.8,7.5,,,P1\n"
    "PLT,75,150,400,,,P1\n"
    "HGB,99.5,120,160,,,P1\n"
    "CA,2.5,2.2,2.6,25,,P2\n"
    "ALT,130,,40,,60,P2\n"
    "BILI,25,,20,,30,P2\n"
    "GLUC,9,3.9,6.1,,,P3\n"
    "K,3.2,,5.0,,,P3\n"
    "CREAT,90,60,100,,,P3\n"
)


def _grade(tmp_path: Path, capsys, text: str, *extra: str) -> tuple[int, str, str, str]:
    src = tmp_path / "in.csv"
    src.write_text(text, encoding="utf-8")
    dst = tmp_path / "out.csv"
    code, out, err = run(capsys, "ctcae", "grade", str(src), "--out", str(dst), *extra)
    return code, out, err, dst.read_text(encoding="utf-8") if dst.exists() else ""


def test_ctcae_grade_v403(tmp_path: Path, capsys) -> None:
    code, out, err, text = _grade(tmp_path, capsys, CTCAE_IN)
    assert (code, out, err) == (0, "", "")
    assert text == (
        "test,value,lln,uln,albumin,baseline,patient,term,grade\n"
        "ANC,0.4,1.8,7.5,,,P1,Neutrophil count decreased,4\n"
        "PLT,75,150,400,,,P1,Platelet count decreased,1\n"
        "HGB,99.5,120,160,,,P1,Anemia,2\n"
        "CA,2.5,2.2,2.6,25,,P2,Hypercalcemia,1\n"
        "ALT,130,,40,,60,P2,Alanine aminotransferase increased,2\n"
        "BILI,25,,20,,30,P2,Blood bilirubin increased,1\n"
        "GLUC,9,3.9,6.1,,,P3,Hyperglycemia,2\n"
        "K,3.2,,5.0,,,P3,Hypokalemia,\n"
        "CREAT,90,60,100,,,P3,Creatinine increased,0\n"
    )


def test_ctcae_grade_v50(tmp_path: Path, capsys) -> None:
    # v5.0: ALT and bilirubin relative to the abnormal baseline; glucose not gradable.
    code, _, _, text = _grade(tmp_path, capsys, CTCAE_IN, "--version", "5.0")
    assert code == 0
    grades = {row["test"]: row["grade"] for row in csv.DictReader(io.StringIO(text))}
    assert grades == {
        "ANC": "4",
        "PLT": "1",
        "HGB": "2",
        "CA": "1",
        "ALT": "1",
        "BILI": "0",
        "GLUC": "",
        "K": "",
        "CREAT": "0",
    }


def test_ctcae_grade_minimal_columns(tmp_path: Path, capsys) -> None:
    code, _, _, text = _grade(tmp_path, capsys, "test,value,lln,uln\nwbc,2.5,4.0,10.0\n")
    assert code == 0
    assert text == "test,value,lln,uln,term,grade\nwbc,2.5,4.0,10.0,White blood cell decreased,2\n"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("test,value,lln\nANC,1,2\n", "lacks column(s): uln"),
        ("test,value,lln,uln\nNA,140,135,145\n", "unknown test 'NA'"),
        ("test,value,lln,uln\nANC,abc,2,7\n", "not a number"),
        ("test,value,lln,uln\nANC,,2,7\n", "a number is required"),
        ("test,value,lln,uln\nANC,-1,2,7\n", "must not be negative"),
        ("test,value,lln,uln\nANC,1,8,7\n", "is above uln"),
        ("test,value,lln,uln\nANC,1,2,7,9\n", "more fields"),
        ("test,value,lln,uln\nANC,1,2\n", "fewer fields"),
        ("test,value,lln,uln,grade\nANC,1,2,7,\n", "already has a 'grade'"),
        ("test,value,lln,uln,albumin\nCA,2.5,2.2,2.6,x\n", "albumin"),
    ],
)
def test_ctcae_bad_input(tmp_path: Path, capsys, text: str, fragment: str) -> None:
    code, out, err, written = _grade(tmp_path, capsys, text)
    assert_one_line_error(code, out, err, fragment)
    assert written == ""


def test_ctcae_missing_input_and_bad_out(tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "ctcae", "grade", str(tmp_path / "no.csv"), "--out", "x.csv")
    assert_one_line_error(code, out, err, "file not found")
    src = tmp_path / "in.csv"
    src.write_text("test,value,lln,uln\nANC,1,2,7\n", encoding="utf-8")
    bad_out = str(tmp_path / "missing-dir" / "out.csv")
    assert_one_line_error(
        *run(capsys, "ctcae", "grade", str(src), "--out", bad_out), "cannot write"
    )


def test_ctcae_search(capsys) -> None:
    code, out, _ = run(capsys, "ctcae", "search", "neutro", "--limit", "2")
    assert code == 0
    assert out == "10029366\tNeutrophil count decreased\n10016288\tFebrile neutropenia\n"
    assert_one_line_error(*run(capsys, "ctcae", "search", "x", "--limit", "0"), "--limit")


# ------------------------------------------------------------------------------- dose


def test_dose_advise_example(tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "dose", "advise", write_json(tmp_path, DOSE_EXAMPLE))
    assert code == 0 and err == ""
    assert json.loads(out) == {
        "pomalidomide": {
            "action": "interrupt",
            "next_level_mg": 3,
            "rules": [
                "ANC 0.4 x10^9/L < 0.5: interrupt pomalidomide, CBC weekly, resume at 3 mg "
                "when ANC >= 0.5",
                "Rash maculo-papular grade 3 related to pomalidomide: interrupt pomalidomide, "
                "resume at 3 mg when grade <= 2",
            ],
        },
        "dexamethasone": {
            "action": "give",
            "next_level_mg": 40,
            "rules": ["no modification rule applies: give dexamethasone 40 mg (days 1, 8, 15, 22)"],
        },
    }


def test_dose_advise_minimal_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    data = {"arm": "POM28", "age": 80, "pomalidomide_mg": 4, "dexamethasone_mg": 40}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(data)))
    code, out, _ = run(capsys, "dose", "advise", "-")
    result = json.loads(out)
    assert code == 0
    assert result["pomalidomide"]["action"] == "give"
    assert result["dexamethasone"] == {
        "action": "reduce",
        "next_level_mg": 20,
        "rules": ["age 80 > 75: dexamethasone 20 mg (starting dose for patients older than 75)"],
    }


def _dose_with(**changes: object) -> dict:
    data = json.loads(json.dumps(DOSE_EXAMPLE))
    for key, value in changes.items():
        if key.startswith("ae__"):
            data["adverse_events"][0][key[4:]] = value
        elif value is ...:
            del data[key]
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (_dose_with(arm="POM14"), "arm"),
        (_dose_with(arm=21), "arm"),
        (_dose_with(age=...), "missing 'age'"),
        (_dose_with(age="old"), "age: expected a number"),
        (_dose_with(pomalidomide_mg=5), "pomalidomide dose must be a level"),
        (_dose_with(dexamethasone_mg=30), "dexamethasone dose must be a level"),
        (_dose_with(anc=-0.1), "must not be negative"),
        (_dose_with(cycle_start="yes"), "cycle_start: expected true or false"),
        (_dose_with(colour="red"), "unknown key 'colour'"),
        (_dose_with(adverse_events={}), "expected a JSON array"),
        (_dose_with(ae__grade=7), "grade must be 1 to 5"),
        (_dose_with(ae__grade=3.5), "grade: expected an integer"),
        (_dose_with(ae__severity=3), "unknown key 'severity'"),
        (_dose_with(ae__term=None), "term: expected a string"),
        ("text", "expected a JSON object"),
    ],
)
def test_dose_advise_bad_input(tmp_path: Path, capsys, data: object, fragment: str) -> None:
    code, out, err = run(capsys, "dose", "advise", write_json(tmp_path, data))
    assert_one_line_error(code, out, err, fragment)


def test_dose_advise_bad_json(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{arm: POM21}", encoding="utf-8")
    assert_one_line_error(*run(capsys, "dose", "advise", str(path)), "invalid JSON")


# ------------------------------------------------------------------------------- processes


def _ctrial(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctrial_desktop.cli", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )


def test_commands_in_a_real_process(tmp_path: Path) -> None:
    done = _ctrial("imwg", "-", stdin=json.dumps(IMWG_EXAMPLE))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["assessments"][0]["response"] == "PR"
    done = _ctrial("dose", "advise", "-", stdin="{")
    assert done.returncode == 2
    assert done.stdout == "" and done.stderr.count("\n") == 1
    src = tmp_path / "in.csv"
    src.write_text("test,value,lln,uln\nPLT,20,150,400\n", encoding="utf-8")
    done = _ctrial("ctcae", "grade", str(src), "--out", str(tmp_path / "out.csv"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[1].endswith(",4")
