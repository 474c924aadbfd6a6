"""The casebook's audit appendix: short, never wrapped values fit their columns."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table

from ctrial_desktop.reports.casebook import _audit_story
from ctrial_desktop.services.audit_review import AuditEntry


def _entry(seq: int, action: str, username: str) -> AuditEntry:
    return AuditEntry(seq=seq, timestamp_utc=dt.datetime(2026, 11, 25, 23, 59, 58),
                      local_time=dt.datetime(2026, 11, 25, 23, 59, 58), username=username,
                      role="coordinator", site_code="01", action=action, table_name="form_data",
                      record_id=1, item="status", old_value="in_progress", new_value="complete",
                      reason="form first saved", patient_number="01-001", form_oid="F.HEM",
                      item_oid="", clinical_date=None, flags=())


@pytest.mark.parametrize("page", [A4, LETTER])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_plain_audit_columns_hold_their_values(page: tuple[float, float], language: str) -> None:
    entries = tuple(_entry(9_999_999, action, "coord01")
                    for action in ("INSERT", "UPDATE", "DELETE", "FORM_SAVED"))
    story = _audit_story(SimpleNamespace(audit=entries), language,  # type: ignore[arg-type]
                         page[0] - 4 * cm)
    table = next(f for f in story if isinstance(f, Table))
    body = table._cellvalues[1:]
    for column, width in enumerate(table._colWidths):
        style = table._cellStyles[1][column]
        room = width - style.leftPadding - style.rightPadding
        for row in body:
            value = row[column]
            if type(value) is str:  # a string the table draws as it is, never wrapped
                assert stringWidth(value, style.fontname, style.fontsize) <= room, value
