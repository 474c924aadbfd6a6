"""The verifier finds every altered, reused or skipped position and wrong commitment."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.randomization import (
    AllocationList,
    AllocationPosition,
    Assignment,
    MismatchKind,
    append_list,
    commitment,
    generate_allocation_list,
    verify_allocations,
)

ARMS = ("POM21", "POM28")
S1 = "site=03|iss=I-II"
S2 = "site=03|iss=III"


def _setup() -> tuple[list[AllocationList], dict[tuple[str, int], str]]:
    first = generate_allocation_list(b"1" * 32, S1, ARMS, (1, 1), (2, 4), 10)
    second = append_list([first], b"2" * 32, 8)
    other = generate_allocation_list(b"3" * 32, S2, ARMS, (1, 1), (2, 4), 10)
    lists = [first, second, other]
    return lists, {(x.stratum, x.list_number): commitment(x) for x in lists}


def _honest(lists: list[AllocationList], n1: int, n2: int) -> list[Assignment]:
    s1 = [p for x in lists if x.stratum == S1 for p in x.positions][:n1]
    s2 = [p for x in lists if x.stratum == S2 for p in x.positions][:n2]
    out: list[Assignment] = []
    # interleave the strata as patients would arrive
    for k in range(max(n1, n2)):
        if k < n1:
            out.append(Assignment(S1, s1[k].position, s1[k].arm, f"S1-{k}"))
        if k < n2:
            out.append(Assignment(S2, s2[k].position, s2[k].arm, f"S2-{k}"))
    return out


def test_honest_history_verifies() -> None:
    lists, commitments = _setup()
    n1 = len(lists[0]) + 3  # crosses into the appended list
    report = verify_allocations(lists, commitments, _honest(lists, n1, 5))
    assert report.ok, report.mismatches
    assert report.lists_checked == 3
    assert report.assignments_checked == n1 + 5


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_any_altered_reused_or_skipped_position_is_detected(data: st.DataObject) -> None:
    lists, commitments = _setup()
    n1 = data.draw(st.integers(3, len(lists[0]) + len(lists[1])))
    history = _honest(lists, n1, data.draw(st.integers(2, len(lists[2]))))
    tamper = data.draw(st.sampled_from(["arm", "reuse", "skip"]))
    if tamper == "skip":
        # a skip shows only when a later position of the same stratum is used
        candidates = [
            i for i, a in enumerate(history)
            if any(b.stratum == a.stratum for b in history[i + 1 :])
        ]
        index = data.draw(st.sampled_from(candidates))
    else:
        index = data.draw(st.integers(0, len(history) - 1))
    target = history[index]
    if tamper == "arm":
        other = ARMS[1] if target.arm == ARMS[0] else ARMS[0]
        history[index] = dataclasses.replace(target, arm=other)
        expected = MismatchKind.ARM_MISMATCH
    elif tamper == "reuse":
        history.insert(index + 1, dataclasses.replace(target, subject_id="again"))
        expected = MismatchKind.POSITION_REUSED
    else:
        del history[index]
        expected = MismatchKind.POSITION_SKIPPED
    report = verify_allocations(lists, commitments, history)
    kinds = {m.kind for m in report.mismatches}
    assert expected in kinds
    found = [m for m in report.mismatches if m.kind == expected]
    assert any(m.stratum == target.stratum and m.position == target.position for m in found)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_altered_list_position_breaks_its_commitment(data: st.DataObject) -> None:
    lists, commitments = _setup()
    which = data.draw(st.integers(0, len(lists) - 1))
    alloc = lists[which]
    k = data.draw(st.integers(0, len(alloc) - 1))
    entry = alloc.positions[k]
    other = ARMS[1] if entry.arm == ARMS[0] else ARMS[0]
    positions = list(alloc.positions)
    positions[k] = dataclasses.replace(entry, arm=other)
    lists[which] = dataclasses.replace(alloc, positions=tuple(positions))
    report = verify_allocations(lists, commitments, [])
    assert {m.kind for m in report.mismatches} == {
        MismatchKind.COMMITMENT, MismatchKind.LIST_NOT_REPRODUCIBLE
    }
    # re-computing the commitment after tampering does not hide it: the seed does not agree
    commitments[(alloc.stratum, alloc.list_number)] = commitment(lists[which])
    report = verify_allocations(lists, commitments, [])
    assert [m.kind for m in report.mismatches] == [MismatchKind.LIST_NOT_REPRODUCIBLE]


def test_commitment_missing_or_wrong() -> None:
    lists, commitments = _setup()
    del commitments[(S2, 1)]
    commitments[(S1, 2)] = "0" * 64
    report = verify_allocations(lists, commitments, [])
    found = {(m.kind, m.stratum, m.list_number) for m in report.mismatches}
    assert found == {(MismatchKind.COMMITMENT, S2, 1), (MismatchKind.COMMITMENT, S1, 2)}
    # upper-case hexadecimal is the same commitment
    _, commitments = _setup()
    commitments = {k: v.upper() for k, v in commitments.items()}
    assert verify_allocations(lists, commitments, []).ok


def test_unknown_stratum_out_of_range_and_out_of_order() -> None:
    lists, commitments = _setup()
    first = lists[0]
    total = lists[1].last_position
    history = [
        Assignment("site=99|iss=III", 1, "POM21", "x"),
        Assignment(S1, total + 1, "POM21", "y"),
        Assignment(S1, 2, first.at(2).arm, "b"),
        Assignment(S1, 1, first.at(1).arm, "a"),
    ]
    report = verify_allocations(lists, commitments, history)
    assert [m.kind for m in report.mismatches] == [
        MismatchKind.UNKNOWN_STRATUM,
        MismatchKind.POSITION_OUT_OF_RANGE,
        MismatchKind.OUT_OF_ORDER,
    ]
    assert report.of_kind(MismatchKind.OUT_OF_ORDER)[0].subject_id == "a"
    assert not report.ok


def test_broken_list_sequence_and_empty_list() -> None:
    lists, commitments = _setup()
    stray = generate_allocation_list(
        b"4" * 32, S2, ARMS, (1, 1), (2,), 4, list_number=3, first_position=40
    )
    empty = AllocationList(S2, 4, b"5" * 32, ARMS, (1, 1), (2,), ())
    lists += [stray, empty]
    commitments[(S2, 3)] = commitment(stray)
    report = verify_allocations(lists, commitments, [])
    kinds = [(m.kind, m.list_number) for m in report.mismatches]
    assert (MismatchKind.LIST_SEQUENCE, 3) in kinds
    assert (MismatchKind.LIST_NOT_REPRODUCIBLE, 4) in kinds


def test_list_with_invalid_parameters_is_not_reproducible() -> None:
    lists, commitments = _setup()
    bad = dataclasses.replace(lists[2], block_sizes=(3,))
    bad = dataclasses.replace(
        bad, positions=(*bad.positions[:-1], AllocationPosition(bad.last_position, 9, "POM21"))
    )
    lists[2] = bad
    commitments[(S2, 1)] = commitment(bad)
    report = verify_allocations(lists, commitments, [])
    assert [m.kind for m in report.mismatches] == [MismatchKind.LIST_NOT_REPRODUCIBLE]
    assert "multiple" in report.mismatches[0].message
