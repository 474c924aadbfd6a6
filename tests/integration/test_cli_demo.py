"""``ctrial demo``: a small clinical demo in a subprocess, the screening-only option, errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ctrial_desktop.cli import main


def test_demo_builds_a_small_clinical_trial(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "ctrial_desktop.cli", "--db", url, "demo", "--patients", "1",
         "--sites", "1", "--seed", "5"],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("demo trial built in ") and "patients screened" in lines[0]
    assert lines[1].startswith("randomized: 1 (POM2") and "cycles: " in lines[1]
    assert "forms saved: " in lines[1] and "adverse events: " in lines[1]
    assert lines[2].startswith("best overall responses: ")
    assert lines[3] == ("accounts (password demo-password-2010): admin, dm, monitor, coord01, "
                        "inv01")
    assert main(["--db", url, "audit", "verify"]) == 0
    assert "audit trail OK" in capsys.readouterr().out
    assert main(["--db", url, "demo", "--patients", "2", "--screening-only"]) == 2
    err = capsys.readouterr().err
    assert "empty database" in err and err.count("\n") == 1


def test_screening_only_and_bad_input(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    assert main(["--db", url, "demo", "--patients", "30", "--sites", "3",
                 "--screening-only"]) == 0
    out = capsys.readouterr().out
    assert "30 patients screened" in out and "at 3 sites" in out
    assert "randomized:" not in out
    other = f"sqlite:///{tmp_path / 'bad.sqlite3'}"
    assert main(["--db", other, "demo", "--sites", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sites" in err
    assert main(["--db", other, "demo", "--patients", "-3", "--screening-only"]) == 2
    assert "negative" in capsys.readouterr().err
