"""Every user-visible string has a French translation, and the shipped .qm is up to date."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.i18n import LanguageSwitcher
from ctrial_desktop.ui.main_window import MainWindow
from ctrial_desktop.ui.session import make_ui_session
from tests.gui.conftest import PASSWORD

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
    root = tools.for_runtime(tools.TS).getroot()
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


def test_misread_tr_calls_are_compiled_under_their_context(tmp_path: Path) -> None:
    ts = tmp_path / "misread.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="fr_FR">'
        "<context><name></name><message><source>ScreeningDialog</source>"
        "<comment>Record a screen failure</comment>"
        "<translation>Enregistrer un échec de sélection</translation></message></context>"
        "<context><name>ScreeningDialog</name><message><source>Choose the sex.</source>"
        "<translation>Choisissez le sexe.</translation></message></context></TS>",
        encoding="utf-8")
    root = tools.for_runtime(ts).getroot()
    assert [c.findtext("name") for c in root.iter("context")] == ["ScreeningDialog"]
    messages = {(m.findtext("source"), m.findtext("comment"), m.findtext("translation"))
                for m in root.iter("message")}
    assert messages == {("Choose the sex.", None, "Choisissez le sexe."),
                        ("Record a screen failure", None, "Enregistrer un échec de sélection")}
    shipped = QTranslator()
    assert shipped.load(str(tools.QM))
    assert shipped.translate("ScreeningDialog", "Record a screen failure") == (
        "Enregistrer un échec de sélection")


def test_translations_keep_placeholders_mnemonics_and_french_spacing() -> None:
    broken = tools.inconsistent(tools.TS)
    assert not broken, f"{len(broken)} inconsistent, e.g. {broken[:5]}"


def _ts(path: Path, pairs: list[tuple[str, str]]) -> Path:
    messages = "".join(
        f"<message><source>{escape(s)}</source><translation>{escape(t)}</translation></message>"
        for s, t in pairs)
    path.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" '
                    f'language="fr_FR"><context><name>C</name>{messages}</context></TS>',
                    encoding="utf-8")
    return path


def test_the_consistency_check_names_each_kind_of_broken_translation(tmp_path: Path) -> None:
    good = [("&Save", "&Enregistrer"), ("Save && &next", "Enregistrer && suiva&nt"),
            ("Patient {number} opened", "Patient {number} ouvert"),
            ("Save (Ctrl+S)", "Enregistrer (Ctrl+S)"), ("&Users…", "&Utilisateurs…"),
            ("<b>Field</b>", "<b>Champ</b>"), ("Site:", "Centre\u00a0:"), ("hh:mm", "hh:mm"),
            ("Restore it?", "La restaurer\u00a0?"), ("50%", "50\u00a0%"), ("%n rows", "%n lignes")]
    bad = [("Patient {number} opened", "Patient {numero} ouvert"),
           ("&Save", "Enregistrer"), ("Save && &next", "Enregistrer et &suivant"),
           ("Save (Ctrl+S)", "Enregistrer (Ctrl+E)"), ("&Users…", "&Utilisateurs"),
           ("<b>Field</b>", "Champ"), ("Site:", "Centre:"), ("Restore it?", "La restaurer?"),
           ("%n rows", "%1 lignes"), ("Site:", "Centre :"), ("Restore it?", "La restaurer ?"),
           ("50%", "50 %")]
    assert tools.inconsistent(_ts(tmp_path / "good.ts", good)) == []
    found = tools.inconsistent(_ts(tmp_path / "bad.ts", bad))
    assert found == [f"C: {s} -> {t}" for s, t in bad]


@pytest.fixture
def private_settings(tmp_path: Path) -> Iterator[None]:
    """QSettings written by the main window go to a temporary folder, never the user's."""
    old_org, old_app = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    old_format = QSettings.defaultFormat()
    QCoreApplication.setOrganizationName("ctrial-tests")
    QCoreApplication.setApplicationName("translation-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    yield
    QSettings.setDefaultFormat(old_format)
    QCoreApplication.setOrganizationName(old_org)
    QCoreApplication.setApplicationName(old_app)


def _mnemonic(text: str) -> str | None:
    match = re.search(r"(?<!&)&([^&\s])", text.split("\t")[0])
    return match.group(1).lower() if match else None


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_french_main_window_menus_have_distinct_mnemonics(
        qtbot: QtBot, qapp: QApplication, db: Database, admin: Actor,
        study: StudyDefinition, private_settings: None) -> None:
    sites = SiteService(db, admin)
    sites.create_site("03", "CHU de Toulouse", "Toulouse")
    sites.set_active("03", True, "site initiation visit done")
    UserService(db, admin).create_user("marie", "Marie", "Durand", PASSWORD,
                                       [RoleGrant(Role.COORDINATOR, "03")],
                                       must_change_password=False)
    actor = AuthService(db).login("marie", PASSWORD)
    switcher = LanguageSwitcher(qapp)
    assert switcher.apply("fr")
    try:
        window = MainWindow(make_ui_session(db, actor, study))
        qtbot.addWidget(window)
        menus = [a for a in window.menuBar().actions() if a.isVisible()]
        titles = [a.text() for a in menus]
        assert "&Fichier" in titles and "&Outils" in titles
        assert "TEC / coordinateur·rice d'étude" in window.user_status.text()
        groups = [titles] + [[a.text() for a in m.menu().actions()
                              if a.isVisible() and not a.isSeparator()] for m in menus]
        for texts in groups:
            keys = [_mnemonic(t) for t in texts]
            assert None not in keys, texts
            assert len(set(keys)) == len(keys), texts
    finally:
        switcher.apply("en")
