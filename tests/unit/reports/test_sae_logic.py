"""SAE report form: study-drug exposure around the onset and medications taken at onset."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ctrial_desktop.reports.sae import _exposure, _medication_at
from ctrial_desktop.services.forms import ValueKey

STATUSES = ("TAKEN", "NOT_TAKEN", "INTERRUPTED")


def _cycle(level: str, days: list[tuple[int, str, str]]) -> dict[ValueKey, str]:
    values = {ValueKey("IG.POM.CYCLE", 1, "I.POM.LEVEL"): level}
    for row, (day, dose, status) in enumerate(days, start=1):
        values[ValueKey("IG.POM.DAY", row, "I.POM.DAY")] = str(day)
        values[ValueKey("IG.POM.DAY", row, "I.POM.DOSE")] = dose
        values[ValueKey("IG.POM.DAY", row, "I.POM.STATUS")] = status
    return values


day_rows = st.lists(st.tuples(st.integers(1, 28), st.sampled_from(["0", "2", "3", "4"]),
                              st.sampled_from(STATUSES)), max_size=10)


@settings(max_examples=80, deadline=None)
@given(st.lists(day_rows, min_size=1, max_size=5), st.integers(0, 160))
def test_last_dose_is_the_last_dosed_day_up_to_the_onset(cycles: list[list[tuple[int, str,
                                                                                  str]]],
                                                         onset_day: int) -> None:
    start = dt.date(2010, 1, 4)
    day1s = {n: start + dt.timedelta(days=28 * (n - 1)) for n in range(1, len(cycles) + 1)}
    values = {n: _cycle(str(5 - n), rows) for n, rows in enumerate(cycles, start=1)}
    onset = start + dt.timedelta(days=onset_day)
    exposure = _exposure("pomalidomide", "POM", values, day1s, onset)
    dosed = sorted(day1s[n] + dt.timedelta(days=day - 1)
                   for n, rows in enumerate(cycles, start=1)
                   for day, dose, status in rows if status != "NOT_TAKEN" and dose != "0")
    before = [d for d in dosed if d <= onset]
    assert exposure.first_dose == (dosed[0] if dosed else None)
    assert exposure.last_dose == (before[-1] if before else None)
    started = [n for n in day1s if day1s[n] <= onset]
    assert exposure.level_at_onset == (str(5 - max(started)) if started else "")
    shown = [c.cycle for c in exposure.cycles]
    assert shown == started + [n for n in sorted(day1s) if n not in started][:1]
    for c in exposure.cycles:
        assert c.days == sum(1 for day, dose, status in cycles[c.cycle - 1]
                             if status != "NOT_TAKEN" and dose != "0")


def test_medications_at_onset_follow_partial_dates() -> None:
    onset = dt.date(2011, 4, 24)
    assert _medication_at({"I.CM.STARTDAT": "2011-04", "I.CM.ONGOING": "Y"}, onset)
    assert _medication_at({"I.CM.STARTDAT": "2010", "I.CM.STOPDAT": "2011-04",
                           "I.CM.ONGOING": "N"}, onset)
    assert not _medication_at({"I.CM.STARTDAT": "2011-05"}, onset)
    assert not _medication_at({"I.CM.STARTDAT": "2010-01-01", "I.CM.STOPDAT": "2011-03",
                               "I.CM.ONGOING": "N"}, onset)
    assert _medication_at({"I.CM.STARTDAT": "2011-04-24", "I.CM.STOPDAT": "2011-04-24",
                           "I.CM.ONGOING": "N"}, onset)
