"""Properties of the IMWG engine over random patient histories (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.imwg import Assessment, Baseline, Response, evaluate_response

D0 = dt.date(2010, 1, 4)

maybe = st.none() | st.floats(min_value=0, max_value=80, allow_nan=False).map(lambda x: round(x, 1))
ife = st.sampled_from([None, "positive", "negative"])
flag = st.sampled_from([None, False, True])

baselines = st.builds(
    Baseline,
    date=st.just(D0),
    serum_m=maybe,
    urine_m=st.none() | st.floats(min_value=0, max_value=3000, allow_nan=False),
    flc_kappa=st.none() | st.floats(min_value=0, max_value=1000, allow_nan=False),
    flc_lambda=st.none() | st.floats(min_value=0.1, max_value=1000, allow_nan=False),
    involved_flc=st.sampled_from([None, "kappa", "lambda"]),
    bm_pc=st.none() | st.floats(min_value=0, max_value=100, allow_nan=False),
    plasmacytoma_spd=st.none() | st.floats(min_value=0, max_value=20, allow_nan=False),
)


@st.composite
def histories(draw: st.DrawFn) -> tuple[Baseline, list[Assessment], dt.date | None]:
    baseline = draw(baselines)
    count = draw(st.integers(min_value=0, max_value=7))
    gaps = draw(st.lists(st.integers(1, 60), min_size=count, max_size=count))
    items = []
    date = D0
    for gap in gaps:
        date = date + dt.timedelta(days=gap)
        items.append(
            Assessment(
                date=date,
                serum_m=draw(maybe),
                serum_ife=draw(ife),
                urine_m=draw(st.none() | st.floats(min_value=0, max_value=3000, allow_nan=False)),
                urine_ife=draw(ife),
                flc_kappa=draw(st.none() | st.floats(min_value=0, max_value=1000, allow_nan=False)),
                flc_lambda=draw(
                    st.none() | st.floats(min_value=0.1, max_value=1000, allow_nan=False)
                ),
                bm_pc=draw(st.none() | st.floats(min_value=0, max_value=100, allow_nan=False)),
                bm_clonal=draw(flag),
                plasmacytoma_spd=draw(
                    st.none() | st.floats(min_value=0, max_value=20, allow_nan=False)
                ),
                new_lesion=draw(st.sampled_from([None, False, False, False, True])),
                corrected_calcium=draw(
                    st.none() | st.floats(min_value=1.5, max_value=3.5, allow_nan=False)
                ),
            )
        )
    new_therapy = draw(st.none() | st.integers(1, 400).map(lambda d: D0 + dt.timedelta(days=d)))
    return baseline, items, new_therapy


@settings(max_examples=300, deadline=None)
@given(histories())
def test_confirmed_category_is_supported_by_the_next_assessment(history) -> None:
    # A confirmed response needs the next assessment (before new therapy) to be the same
    # or better; a confirmed PD needs the next to be PD unless confirmed at once.
    baseline, items, new_therapy = history
    result = evaluate_response(baseline, items, new_therapy)
    active = [a for a in result.assessments if a.response is not None]
    for index, item in enumerate(active):
        if not item.confirmed:
            continue
        assert item.response is not Response.NE
        following = active[index + 1].response if index + 1 < len(active) else None
        if item.response.is_response:
            assert following is not None and following.at_least(item.response)
        elif item.response is Response.PD and not item.pd_confirmed_at_once:
            assert following is Response.PD


@settings(max_examples=300, deadline=None)
@given(histories())
def test_best_overall_response_is_consistent(history) -> None:
    # BOR is the best counted category, dated at its first occurrence, none after the
    # first confirmed PD or on/after new therapy; progression date is a confirmed PD.
    baseline, items, new_therapy = history
    result = evaluate_response(baseline, items, new_therapy)
    counted = [c for c in result.counted if c is not None]
    if not counted:
        assert result.best_overall_response is Response.NE
        assert result.best_response_date is None
    else:
        best = min(counted, key=lambda c: c.rank)
        assert result.best_overall_response is best
        first = next(
            a.date for a, c in zip(result.assessments, result.counted, strict=True) if c is best
        )
        assert result.best_response_date == first
    for item, counts in zip(result.assessments, result.counted, strict=True):
        if new_therapy is not None and item.date >= new_therapy:
            assert item.response is None and counts is None
        if counts is not None and counts is not Response.SD:
            assert item.confirmed and counts is item.response
    if result.progression_date is not None:
        pd = next(a for a in result.assessments if a.date == result.progression_date)
        assert pd.response is Response.PD and pd.confirmed
