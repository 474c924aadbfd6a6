"""The small helpers the reports share: numbers, colons, roles, sites and the audit reasons
the application writes, in English (unchanged) and in French."""

from __future__ import annotations

from ctrial_desktop.reports.common import (
    colon,
    fmt_number,
    fmt_percent,
    role_label,
    site_label,
    system_reason,
)


def test_numbers_and_colons_follow_the_language() -> None:
    assert fmt_number(1.5, ".1f") == "1.5" and fmt_number(1.5, ".1f", "fr") == "1,5"
    assert fmt_percent(0.6) == "60.0%" and fmt_percent(0.6, "fr") == "60,0\u00a0%"
    assert colon("Patient") == "Patient:" and colon("Patient", "fr") == "Patient\u00a0:"


def test_sites_and_roles_in_words() -> None:
    assert site_label("01", {"01": "CHRU de Lille"}) == "Site 01 CHRU de Lille"
    assert site_label("01", {"01": "CHRU de Lille"}, "fr") == "Centre 01 CHRU de Lille"
    assert role_label("coordinator") == "coordinator"
    assert role_label("data_manager", "fr") == "data manager"
    assert role_label("monitor", "fr") == "ARC moniteur"


def test_the_application_s_audit_reasons_in_french_and_users_reasons_as_typed() -> None:
    assert system_reason("form first saved") == "form first saved"
    assert system_reason("form first saved", "fr") == (
        "formulaire enregistré pour la première fois")
    assert system_reason("F.HEM version 1.0 saved, complete", "fr") == (
        "F.HEM version 1.0 enregistré, complet")
    assert system_reason("Haematology saved", "fr", {"Haematology": "Hématologie"}) == (
        "Hématologie enregistré")
    assert system_reason("dose advice overridden: patient frail", "fr") == (
        "conseil de dose non suivi\u00a0: patient frail")
    assert system_reason("erreur de transcription", "fr") == "erreur de transcription"
