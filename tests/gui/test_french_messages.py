"""In French, what the services and the clinical rules say is shown in French: a refused
action, the eligibility sentences, the IMWG reasons (decimal comma), strata and units."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ctrial_desktop.domain.imwg import Assessment, Baseline, evaluate_response
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.eligibility import EligibilityService
from ctrial_desktop.services.errors import PermissionDenied, ValidationError
from ctrial_desktop.services.forms import FormService, ReasonRequired, ValueKey
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Action, Role
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.eligibility_panel import EligibilityPanel
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.forms.form_controller import FormEditor
from ctrial_desktop.ui.forms.response_panel import ResponsePanel
from ctrial_desktop.ui.i18n import LanguageSwitcher, tr_message
from ctrial_desktop.ui.login_dialog import LoginDialog
from ctrial_desktop.ui.randomize_dialog import stratum_text
from ctrial_desktop.ui.session import make_ui_session
from ctrial_desktop.ui.sites_dialog import SitesDialog
from tests.gui import test_form_engine as base

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                       "does not support raise",
                                       "does not support grabbing the keyboard")

coordinator = base.coordinator
patient_id = base.patient_id
open_editor = base.open_editor
SERUM = "IG.DA.SERUM"
#: Set CTRIAL_SCREENSHOTS to a folder to keep pictures of the French screens.
SHOTS = os.environ.get("CTRIAL_SCREENSHOTS")


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    switcher = LanguageSwitcher(qapp)
    assert switcher.apply("fr")
    yield
    switcher.apply("en")


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


def test_a_refused_site_code_is_explained_in_french(qtbot: QtBot, db: Database, admin: Actor,
                                                    french: None) -> None:
    dialog = SitesDialog(SiteService(db, admin), ())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.code_edit, "ab")
    qtbot.keyClicks(dialog.name_edit, "CHU de Toulouse")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert error_text(dialog.errors["code"]) == (
        "Un code de centre comporte 1 à 3 chiffres, par exemple 03.")


def test_a_failed_login_is_explained_in_french(qtbot: QtBot, db: Database, coordinator: Actor,
                                               french: None) -> None:
    dialog = LoginDialog(AuthService(db))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username_edit, "marie")
    qtbot.keyClicks(dialog.password_edit, "not the password")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert error_text(dialog.message_label).startswith(
        "Identifiant inconnu ou mot de passe incorrect (encore ")


def test_eligibility_panel_in_french(qtbot: QtBot, db: Database, study: StudyDefinition,
                                     coordinator: Actor, patient_id: int,
                                     french: None) -> None:
    panel = EligibilityPanel(study)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.set_report(EligibilityService(db, coordinator, study,
                                        today=base.TODAY).evaluate(patient_id))
    rows = {panel.table.item(r, 0).text(): [panel.table.item(r, c).text() for c in range(5)]
            for r in range(panel.table.rowCount())}
    assert rows["IN01"][2] == "Âge adulte"
    assert rows["IN01"][3] == "63 ans"
    assert rows["IN01"][4] == "Liste de contrôle sans réponse."
    assert rows["IN07"][4] == "Liste de contrôle sans réponse\u00a0; PNN\u00a0: valeur non saisie."
    assert rows["IN12"][4] == ("Liste de contrôle sans réponse\u00a0; date de la première "
                               "procédure de l'étude non saisie.")
    assert rows["IN12"][3] == "10/01/2011"
    panel.show()
    _shot(panel, "eligibility_fr.png")


def test_imwg_reasons_in_french_with_a_decimal_comma(
        qtbot: QtBot, db: Database, study: StudyDefinition, admin: Actor,
        coordinator: Actor, patient_id: int, french: None) -> None:
    investigator = base.another_user(db, admin, "julie", Role.INVESTIGATOR, "03")
    forms = FormService(db, investigator, study, today=base.TODAY)
    forms.save(patient_id, "SE.SCREEN", 1, "F.DA",
               {ValueKey(SERUM, 1, "I.DA.DAT"): "2011-01-12",
                ValueKey(SERUM, 1, "I.DA.SPEP_DONE"): "Y",
                ValueKey(SERUM, 1, "I.DA.SMP"): "32.5"}, expected_version=0)
    forms.save(patient_id, "SE.CYCLE", 1, "F.DA",
               {ValueKey(SERUM, 1, "I.DA.DAT"): "2011-02-09",
                ValueKey(SERUM, 1, "I.DA.SPEP_DONE"): "Y",
                ValueKey(SERUM, 1, "I.DA.SMP"): "12"}, expected_version=0)
    panel = ResponsePanel(make_ui_session(db, investigator, study), patient_id, "SE.CYCLE", 1)
    qtbot.addWidget(panel)
    panel.resize(900, 200)
    reasons = panel.reasons_label.text()
    assert ("protéine monoclonale sérique 12,0 g/L, -63\u00a0% par rapport à l'inclusion "
            "(32,5 g/L)") in reasons
    assert "PR pas encore confirmée\u00a0: pas d'évaluation ultérieure" in reasons
    panel.show()
    _shot(panel, "imwg_fr.png")


def test_strata_and_word_units_in_french(study: StudyDefinition, french: None) -> None:
    assert stratum_text("site=03|iss=I-II") == "centre 03 \u00b7 ISS I-II"
    assert study.unit("MU.CAPSULES").shown("fr") == "gélules"
    assert study.unit("MU.G_L").shown("fr") == "g/L"


def test_strata_in_english(study: StudyDefinition) -> None:
    assert stratum_text("site=03|iss=I-II") == "site 03 \u00b7 iss I-II"


def test_a_monitor_is_told_in_french_why_the_form_is_read_only(
        qtbot: QtBot, db: Database, admin: Actor, open_editor, french: None) -> None:
    monitor = base.another_user(db, admin, "claire", Role.MONITOR, None)
    editor = open_editor("F.HEM", actor=monitor)
    banner = editor.view.banner_text.text()
    assert "Lecture seule\u00a0: votre rôle ne permet pas de modifier les données" in banner
    assert "Your role" not in banner


def _french_editor(qtbot: QtBot, db: Database, study: StudyDefinition, actor: Actor,
                   patient_id: int, form_oid: str) -> FormEditor:
    editor = FormEditor(make_ui_session(db, actor, study),
                        FormService(db, actor, study, today=base.TODAY), patient_id,
                        "SE.CYCLE", 1, form_oid, draft_interval_ms=60_000, language="fr")
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    qtbot.waitExposed(editor)
    base.activate(qtbot, editor)
    return editor


def test_a_monitor_who_tries_to_save_reads_why_in_french(
        qtbot: QtBot, db: Database, study: StudyDefinition, admin: Actor, coordinator: Actor,
        patient_id: int, french: None) -> None:
    forms = FormService(db, coordinator, study, today=base.TODAY)
    forms.save(patient_id, "SE.CYCLE", 1, "F.HEM",
               {ValueKey("IG.HEM.MAIN", 1, "I.HEM.DAT"): "2011-03-12",
                ValueKey("IG.HEM.MAIN", 1, "I.HEM.PLT"): "95"}, expected_version=0)
    monitor = base.another_user(db, admin, "claire", Role.MONITOR, None)
    editor = _french_editor(qtbot, db, study, monitor, patient_id, "F.HEM")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not editor.save()
    banner = editor.view.banner_text.text()
    assert banner.startswith("Lecture seule\u00a0: votre rôle ne permet pas de modifier")
    assert "Read only" not in banner and "role" not in banner
    assert not editor.view.status_label.text().startswith("Enregistré")
    # The service refuses the save in French too, whatever the screen allows.
    with pytest.raises(PermissionDenied) as refused:
        FormService(db, monitor, study, today=base.TODAY).save(
            patient_id, "SE.CYCLE", 1, "F.HEM",
            {ValueKey("IG.HEM.MAIN", 1, "I.HEM.PLT"): "90"}, expected_version=1,
            reasons={ValueKey("IG.HEM.MAIN", 1, "I.HEM.PLT"): "erreur de saisie"})
    assert tr_message(refused.value) == ("Hématologie de 03-001 ne peut pas être modifié\u00a0: "
                                         "votre rôle ne permet pas de modifier les données.")


def test_a_change_without_a_reason_is_refused_in_french(
        qtbot: QtBot, db: Database, study: StudyDefinition, coordinator: Actor,
        patient_id: int, french: None) -> None:
    plt = ValueKey("IG.HEM.MAIN", 1, "I.HEM.PLT")
    date = ValueKey("IG.HEM.MAIN", 1, "I.HEM.DAT")
    forms = FormService(db, coordinator, study, today=base.TODAY)
    forms.save(patient_id, "SE.CYCLE", 1, "F.HEM", {date: "2011-03-12", plt: "95"},
               expected_version=0)
    editor = _french_editor(qtbot, db, study, coordinator, patient_id, "F.HEM")
    widget = base.field(editor, "IG.HEM.MAIN", "I.HEM.PLT")
    widget.setFocus()
    widget.selectAll()
    base.type_and_tab(qtbot, "97")
    asked: list[str] = []

    def cancel(title: str, explanation: str, requests: object) -> dict[object, str]:
        asked.append(title)
        return {}

    editor.ask_reasons = cancel
    assert not editor.save()
    assert asked == ["Motif de modification"]
    assert editor.view.status_label.text() == (
        "Non enregistré\u00a0: un motif est requis pour chaque modification.")
    assert editor.is_dirty()
    # What the service says when a change comes without its reason, as the screen shows it.
    with pytest.raises(ReasonRequired) as refused:
        forms.save(patient_id, "SE.CYCLE", 1, "F.HEM", {date: "2011-03-12", plt: "97"},
                   expected_version=1)
    assert tr_message(refused.value) == (
        "Donnez un motif pour la modification des données enregistrées\u00a0: Plaquettes.")
    assert tr_message(refused.value.fields[str(plt)]) == (
        "Un motif de modification est obligatoire.")
    assert str(refused.value) == "Give a reason for changing saved data: Platelets."


def _serum(day: dt.date, value: float, calcium: float | None = None) -> Assessment:
    return Assessment(date=day, serum_m=value, serum_ife=None, urine_m=None, urine_ife=None,
                      flc_kappa=None, flc_lambda=None, bm_pc=None, bm_clonal=None,
                      plasmacytoma_spd=None, new_lesion=False, corrected_calcium=calcium)


def test_imwg_rule_lines_in_french_and_unchanged_in_english(french: None) -> None:
    baseline = Baseline(date=dt.date(2011, 1, 12), serum_m=32.5, urine_m=None, flc_kappa=None,
                        flc_lambda=None, involved_flc=None, bm_pc=None, plasmacytoma_spd=None)
    result = evaluate_response(baseline, [
        _serum(dt.date(2011, 2, 9), 12.0), _serum(dt.date(2011, 3, 9), 2.5),
        _serum(dt.date(2011, 4, 6), 20.0, calcium=2.95)])
    pr, _, pd = ([tr_message(r) for r in a.reasons] for a in result.assessments)
    assert "PR\u00a0: protéine monoclonale sérique diminuée d'au moins 50\u00a0%" in pr
    assert "CR non retenue\u00a0: immunofixation sérique non faite" in pr
    assert "CR non retenue\u00a0: plasmocytes médullaires non évalués" in pr
    assert ("PD\u00a0: protéine monoclonale sérique 20,0 g/L, en hausse de 17,5 g/L depuis le "
            "nadir de 2,5 g/L (+25\u00a0% par rapport au nadir et augmentation absolue "
            "≥\u00a05 g/L)") in pd
    assert ("PD\u00a0: calcémie corrigée 2,95 mmol/L >\u00a02,875 mmol/L (hypercalcémie, "
            "considérée comme imputable au myélome)") in pd
    # The words of the command line's JSON stay English, whatever the interface shows.
    english = [str(r) for r in result.assessments[2].reasons]
    assert ("PD: serum M-protein 20.0 g/L up 17.5 g/L from nadir 2.5 g/L "
            "(+25% from nadir and absolute increase >= 5 g/L)") in english
    assert ("PD: corrected calcium 2.95 mmol/L > 2.875 mmol/L "
            "(hypercalcaemia, counted as attributed to myeloma)") in english


def test_a_clearance_that_cannot_be_computed_says_why_in_french(
        db: Database, study: StudyDefinition, coordinator: Actor, patient_id: int,
        french: None) -> None:
    report = EligibilityService(db, coordinator, study, today=base.TODAY).evaluate(patient_id)
    in09 = next(c for c in report.criteria if c.item_oid == "I.ELIG.IN09")
    assert in09.status == "missing"
    assert str(in09.sentence) == ("Checklist not answered; Creatinine clearance cannot be "
                                  "computed: no creatinine, weight.")
    assert tr_message(in09.sentence) == (
        "Liste de contrôle sans réponse\u00a0; clairance de la créatinine non calculable "
        "(données manquantes\u00a0: créatinine, poids).")


def test_a_refused_screening_is_explained_in_french(
        db: Database, coordinator: Actor, french: None) -> None:
    with pytest.raises(ValidationError) as refused:
        PatientService(db, coordinator, today=base.TODAY).screen_patient(
            "03", "MD", "F", birth_date=dt.date(1947, 5, 2),
            consent_date=base.TODAY + dt.timedelta(days=1))
    assert tr_message(refused.value.fields["consent_date"]) == (
        "La date du consentement est dans le futur.")
    assert tr_message(refused.value) == (
        "Veuillez corriger\u00a0: la date du consentement est dans le futur.")
    assert str(refused.value) == "Please correct: The consent date is in the future."


def test_a_refusal_names_the_roles_in_words_in_french(
        db: Database, coordinator: Actor, french: None) -> None:
    with pytest.raises(PermissionDenied) as refused:
        coordinator.require(Action.VIEW_AUDIT, "03")
    shown = tr_message(refused.value)
    assert "coordinator" not in shown and "@" not in shown
    assert "(TEC / coordinateur·rice d'étude, centre 03)" in shown
    assert shown.endswith("n'est pas autorisé à consulter l'audit dans le centre 03")
    # the command line keeps its English
    assert "(coordinator@03) is not allowed to view audit at site 03" in str(refused.value)


def test_marrow_plasma_cells_in_french_have_a_spaced_percent_sign(french: None) -> None:
    baseline = Baseline(date=dt.date(2011, 1, 12), serum_m=32.5, urine_m=None, flc_kappa=None,
                        flc_lambda=None, involved_flc=None, bm_pc=60.0, plasmacytoma_spd=None)
    marrow = Assessment(date=dt.date(2011, 2, 9), serum_m=12.0, serum_ife=None, urine_m=None,
                        urine_ife=None, flc_kappa=None, flc_lambda=None, bm_pc=30.0,
                        bm_clonal=None, plasmacytoma_spd=None, new_lesion=False,
                        corrected_calcium=None)
    result = evaluate_response(baseline, [marrow])
    english = " ".join(str(r) for r in result.assessments[0].reasons)
    shown = " ".join(tr_message(r) for r in result.assessments[0].reasons)
    assert "bone-marrow plasma cells 30%, -50% from baseline 60%" in english
    assert "plasmocytes médullaires 30\u00a0%, -50\u00a0% par rapport à l'inclusion " \
        "(60\u00a0%)" in shown


def test_why_a_response_cannot_be_derived_is_said_in_french(french: None) -> None:
    from ctrial_desktop.domain.imwg import ImwgInputError
    from ctrial_desktop.services.clinical import imwg_inputs

    assert tr_message(imwg_inputs([])) == "pas d'évaluation de la maladie à la sélection"
    baseline = Baseline(date=dt.date(2011, 1, 12), serum_m=32.5, urine_m=None, flc_kappa=None,
                        flc_lambda=None, involved_flc=None, bm_pc=None, plasmacytoma_spd=None)
    with pytest.raises(ImwgInputError) as refused:
        evaluate_response(baseline, [_serum(dt.date(2011, 3, 9), 12.0),
                                     _serum(dt.date(2011, 2, 9), 10.0)])
    assert str(refused.value) == ("assessment 2 (2011-02-09): date must be after the previous "
                                  "assessment")
    assert tr_message(refused.value) == ("évaluation 2 (09/02/2011)\u00a0: la date doit être "
                                         "postérieure à celle de l'évaluation précédente")
