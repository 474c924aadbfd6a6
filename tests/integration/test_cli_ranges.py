"""``ctrial ranges``: list, export and import the per-site normal ranges."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctrial_desktop.cli import main
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import RoleGrant
from ctrial_desktop.services.normal_ranges import NormalRangeService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import open_database

PASSWORD = "Correct-horse-42"


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'trial.sqlite3'}"
    db = open_database(url)
    admin = AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
    SiteService(db, admin).create_site("01", "CHRU de Lille", "Lille")
    UserService(db, admin).create_user("dora", "Dora", "Manager", PASSWORD,
                                       [RoleGrant(Role.DATA_MANAGER, None)],
                                       must_change_password=False)
    NormalRangeService(db, AuthService(db).login("dora", PASSWORD)).set_range(
        "01", "PLT", "", "150", "400", "10^9/L", "lab sheet")
    db.dispose()
    monkeypatch.setenv("CTRIAL_PASSWORD", PASSWORD)
    return url


def test_export_edit_import_and_list(url: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ranges.csv"
    assert main(["--db", url, "ranges", "export", str(out), "--user", "dora"]) == 0
    assert out.read_text(encoding="utf-8") == "site,test,sex,lln,uln,unit\n01,PLT,,150,400,10^9/L\n"
    out.write_text(out.read_text(encoding="utf-8").replace(",150,", ",140,")
                   + "01,HGB,F,120,155,g/L\n", encoding="utf-8")
    assert main(["--db", url, "ranges", "import", str(out), "--reason", "annual update",
                 "--user", "dora"]) == 0
    assert "2 ranges changed" in capsys.readouterr().out
    assert main(["--db", url, "ranges", "list", "--user", "dora"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "01\tPLT\t-\t140\t400\t10^9/L", "01\tHGB\tF\t120\t155\tg/L"]


def test_bad_row_is_one_line_error(url: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("site,test,sex,lln,uln,unit\n01,PLT,,400,150,10^9/L\n", encoding="utf-8")
    code = main(["--db", url, "ranges", "import", str(bad), "--reason", "x", "--user", "dora"])
    err = capsys.readouterr().err
    assert code == 2 and "Line 2" in err and "below the ULN" in err
