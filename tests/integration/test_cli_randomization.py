"""``ctrial randomization simulate``: happy paths and every kind of bad input."""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from ctrial_desktop.cli import main

HEADER = "seq,subject_id,sex,age,iss,site"


def _patients_csv(n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = [HEADER + ",extra"]
    order = list(range(1, n + 1))
    rng.shuffle(order)  # file order differs from seq order
    for seq in order:
        lines.append(
            f"{seq},P{seq:04d},{rng.choice('MF')},{rng.randint(40, 85)},"
            f"{rng.choice('123')},{rng.choice(['01', '02', '03'])},x"
        )
    return "\n".join(lines) + "\n"


def _write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["randomization", "simulate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_blocks_happy_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write(tmp_path, _patients_csv(120))
    out = tmp_path / "out.csv"
    args = ["--method", "blocks", "--patients", str(src), "--seed", "42", "--out", str(out)]
    code, stdout, err = _run(args, capsys)
    assert (code, err) == (0, "")
    assert "randomized 120 patients" in stdout
    rows = _read(out)
    assert list(rows[0]) == ["seq", "subject_id", "arm", "stratum"]
    assert [int(r["seq"]) for r in rows] == list(range(1, 121))
    patients = {r["seq"]: r for r in csv.DictReader(io.StringIO(src.read_text("utf-8")))}
    by_stratum: dict[str, Counter[str]] = {}
    for row in rows:
        p = patients[row["seq"]]
        group = "I-II" if p["iss"] in "12" else "III"
        assert row["stratum"] == f"site={p['site']}|iss={group}"
        assert row["subject_id"] == p["subject_id"]
        by_stratum.setdefault(row["stratum"], Counter())[row["arm"]] += 1
    for counts in by_stratum.values():
        assert set(counts) <= {"POM21", "POM28"}
        assert abs(counts["POM21"] - counts["POM28"]) <= 2  # half the largest block
    first = out.read_bytes()
    assert _run(args, capsys)[0] == 0
    assert out.read_bytes() == first  # deterministic
    args[args.index("42")] = "43"
    assert _run(args, capsys)[0] == 0
    assert out.read_bytes() != first


def test_blocks_custom_sizes_and_arms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write(tmp_path, _patients_csv(30))
    out = tmp_path / "out.csv"
    code, _, err = _run(
        ["--method", "blocks", "--patients", str(src), "--seed", "1", "--out", str(out),
         "--block-sizes", "3,6", "--arms", "A,B,C"],
        capsys,
    )
    assert (code, err) == (0, "")
    assert {r["arm"] for r in _read(out)} <= {"A", "B", "C"}


def test_minimization_happy_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write(tmp_path, _patients_csv(200))
    out = tmp_path / "out.csv"
    args = ["--method", "minimization", "--patients", str(src), "--seed", "9", "--out", str(out)]
    code, _, err = _run(args, capsys)
    assert (code, err) == (0, "")
    rows = _read(out)
    assert list(rows[0]) == ["seq", "subject_id", "arm", "probability"]
    assert rows[0]["probability"] == "0.5"  # empty trial: both arms tie
    assert {r["probability"] for r in rows} <= {"0.5", "0.8", "0.2"}
    assert Counter(r["probability"] for r in rows)["0.8"] > 100
    arms = Counter(r["arm"] for r in rows)
    assert abs(arms["POM21"] - arms["POM28"]) <= 4
    first = out.read_bytes()
    assert _run(args, capsys)[0] == 0
    assert out.read_bytes() == first


def test_minimization_options_and_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _write(tmp_path, _patients_csv(40))
    code, stdout, err = _run(
        ["--method", "minimization", "--patients", str(src), "--seed", "3", "--out", "-",
         "--factors", "site,sex,age", "--weights", "2,1,0.5", "--p", "1",
         "--measure", "variance", "--arms", "X,Y,Z"],
        capsys,
    )
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert len(rows) == 40
    assert {r["arm"] for r in rows} <= {"X", "Y", "Z"}
    # p = 1: the minimizing arm is certain unless arms tie
    assert {r["probability"] for r in rows} <= {"1", "0.5", "0.333333"}


BAD_CASES = {
    "missing column": ("seq,subject_id,sex,age,site\n1,P1,M,60,01\n", [], "missing column"),
    "empty file": ("", [], "empty file"),
    "header only": (HEADER + "\n", [], "no patients"),
    "duplicate subject": (HEADER + "\n1,P1,M,60,1,01\n2,P1,F,61,2,01\n", [], "duplicate subject"),
    "duplicate seq": (HEADER + "\n1,P1,M,60,1,01\n1,P2,F,61,2,01\n", [], "duplicate seq"),
    "bad seq": (HEADER + "\nA,P1,M,60,1,01\n", [], "seq is not an integer"),
    "bad iss": (HEADER + "\n1,P1,M,60,4,01\n", [], "iss must be"),
    "bad age": (HEADER + "\n1,P1,M,old,1,01\n", [], "age is not a number"),
    "empty site": (HEADER + "\n1,P1,M,60,1,\n", [], "empty site"),
    "too many fields": (HEADER + "\n1,P1,M,60,1,01,zz\n", [], "more fields"),
    "unknown factor": (None, ["--factors", "site,weight"], "unknown factor"),
    "repeated factor": (None, ["--factors", "site,site"], "repeated"),
    "weights count": (None, ["--weights", "1,1"], "weights for 3 factors"),
    "negative weight": (None, ["--weights", "1,-1,1"], "positive"),
    "bad p": (None, ["--p", "0.3"], "--p"),
    "bad measure": (None, ["--measure", "sd"], "--measure"),
    "bad seed": (None, ["--seed", "x"], "--seed"),
    "bad arms": (None, ["--arms", "A,A"], "--arms"),
    "blocks option for minimization": (None, ["--block-sizes", "2"], "blocks only"),
    "missing sex": (HEADER + "\n1,P1,,60,1,01\n", ["--factors", "sex"], "empty sex"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_one_line_exit_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, extra, message = BAD_CASES[case]
    src = _write(tmp_path, _patients_csv(10) if text is None else text)
    args = ["--method", "minimization", "--patients", str(src), "--seed", "1",
            "--out", str(tmp_path / "out.csv")]
    for flag, value in zip(extra[::2], extra[1::2], strict=True):
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    code, stdout, err = _run(args, capsys)
    assert code == 2
    assert stdout == ""
    assert err.count("\n") == 1 and err.startswith("ctrial: error: ")
    assert message in err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--p", "0.8"], "minimization only"),
        (["--factors", "site"], "minimization only"),
        (["--block-sizes", "2,3"], "multiple of 2"),
        (["--block-sizes", "0"], "multiple of 2"),
    ],
)
def test_bad_block_options(
    extra: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _write(tmp_path, _patients_csv(10))
    code, _, err = _run(
        ["--method", "blocks", "--patients", str(src), "--seed", "1",
         "--out", str(tmp_path / "o.csv"), *extra],
        capsys,
    )
    assert code == 2 and err.count("\n") == 1 and message in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(
        ["--method", "blocks", "--patients", str(tmp_path / "none.csv"), "--seed", "1",
         "--out", str(tmp_path / "o.csv")],
        capsys,
    )
    assert code == 2 and "file not found" in err and err.count("\n") == 1


# The package has no ``__main__`` module yet, so run the entry point the console script uses.
CTRIAL = [sys.executable, "-c", "import sys; from ctrial_desktop.cli import main; sys.exit(main())"]
ROOT = Path(__file__).resolve().parents[2]


def test_real_subprocess(tmp_path: Path) -> None:
    src = _write(tmp_path, _patients_csv(12))
    out = tmp_path / "out.csv"
    ok = subprocess.run(
        [*CTRIAL, "randomization", "simulate",
         "--method", "blocks", "--patients", str(src), "--seed", "5", "--out", str(out)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert ok.returncode == 0, ok.stderr
    assert len(_read(out)) == 12
    bad = subprocess.run(
        [*CTRIAL, "randomization", "simulate",
         "--method", "blocks", "--patients", str(_write(tmp_path, "", "empty.csv")),
         "--seed", "5", "--out", str(out)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "empty file" in bad.stderr


def test_unwritable_output_and_negative_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _write(tmp_path, _patients_csv(6))
    base = ["--method", "blocks", "--patients", str(src)]
    code, _, err = _run([*base, "--seed", "1", "--out", str(tmp_path / "no" / "o.csv")], capsys)
    assert code == 2 and "cannot write" in err and err.count("\n") == 1
    code, _, err = _run([*base, "--seed", "-3", "--out", str(tmp_path / "o.csv")], capsys)
    assert code == 2 and "negative" in err and err.count("\n") == 1
