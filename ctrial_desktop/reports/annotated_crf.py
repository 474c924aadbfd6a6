"""Annotated case report forms for data managers (an aCRF, as for SDTM mapping).

The same layout as the blank CRF, plus for every item its OID, type and ODM data
type, unit, decimals, hard and soft ranges, required-ness, code list OID with the
code printed beside each decode, computation and visibility condition; every group
its OID and repeat limits; every form its OID and a table of its edit checks with
their expressions (or the cross-form check they name) and messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from ctrial_desktop.reports.base import Cancelled, PageSize, Progress, RenderResult
from ctrial_desktop.reports.blank_crf import CrfOptions, build_crf
from ctrial_desktop.study import StudyDefinition


def build_annotated_crf(study: StudyDefinition, out: Path | BinaryIO, *,
                        language: str = "en", event_oid: str | None = None,
                        form_oids: Sequence[str] = (), printed_by: str = "",
                        printed_at: dt.datetime | None = None, page_size: PageSize = "A4",
                        progress: Progress | None = None,
                        cancelled: Cancelled | None = None) -> RenderResult:
    """Annotated CRF of every form, of one event's set, or of the listed forms."""
    opts = CrfOptions(language, True, event_oid, tuple(form_oids))
    return build_crf(study, out, opts, printed_by=printed_by, printed_at=printed_at,
                     page_size=page_size, progress=progress, cancelled=cancelled)
