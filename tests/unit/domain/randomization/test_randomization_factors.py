"""Protocol factor groups and stratum labels."""

from __future__ import annotations

import pytest

from ctrial_desktop.domain.randomization import (
    AllocationError,
    age_group,
    iss_group,
    site_iss_stratum,
    stratum_label,
)


def test_iss_group() -> None:
    assert [iss_group(s) for s in (1, 2, 3)] == ["I-II", "I-II", "III"]
    for bad in (0, 4):
        with pytest.raises(AllocationError):
            iss_group(bad)


def test_age_group_boundary() -> None:
    assert age_group(64.99) == "<65"
    assert age_group(65) == ">=65"
    assert age_group(18) == "<65"
    with pytest.raises(AllocationError):
        age_group(-1)


def test_stratum_labels() -> None:
    assert site_iss_stratum("03", 2) == "site=03|iss=I-II"
    assert site_iss_stratum("12", 3) == "site=12|iss=III"
    assert stratum_label([("site", "03")]) == "site=03"
    for bad in ([], [("site", "")], [("si=te", "1")], [("site", "a|b")]):
        with pytest.raises(AllocationError):
            stratum_label(bad)
