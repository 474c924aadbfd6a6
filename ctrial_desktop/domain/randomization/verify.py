"""Check allocation lists, their commitments and the assignments made from them.

:func:`verify_allocations` reports every mismatch it finds rather than stopping
at the first one:

* for each list: the stored commitment is missing or differs from the one
  recomputed from the list (``commitment``); the list differs from the one its
  seed and parameters generate (``list-not-reproducible``); the lists of a
  stratum are not numbered 1, 2, ... or their positions do not follow each
  other (``list-sequence``);
* for each assignment, taken in the order given (the order of randomization):
  unknown stratum (``unknown-stratum``), position outside every list of the
  stratum (``position-out-of-range``), position already used
  (``position-reused``), position lower than one used before
  (``out-of-order``), arm different from the list (``arm-mismatch``);
* for each stratum at the end: every position below the highest used one that
  was never used (``position-skipped``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ctrial_desktop.domain.randomization.blocks import (
    AllocationError,
    AllocationList,
    regenerate,
)
from ctrial_desktop.domain.randomization.commitment import commitment


class MismatchKind(StrEnum):
    """What a :class:`Mismatch` is about."""

    COMMITMENT = "commitment"
    LIST_NOT_REPRODUCIBLE = "list-not-reproducible"
    LIST_SEQUENCE = "list-sequence"
    UNKNOWN_STRATUM = "unknown-stratum"
    POSITION_OUT_OF_RANGE = "position-out-of-range"
    POSITION_REUSED = "position-reused"
    POSITION_SKIPPED = "position-skipped"
    OUT_OF_ORDER = "out-of-order"
    ARM_MISMATCH = "arm-mismatch"


@dataclass(frozen=True, slots=True)
class Assignment:
    """One randomization as recorded: the stratum, the list position used and the arm given."""

    stratum: str
    position: int
    arm: str
    subject_id: str | None = None


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One discrepancy found by the verifier."""

    kind: MismatchKind
    stratum: str
    message: str
    position: int | None = None
    list_number: int | None = None
    subject_id: str | None = None


@dataclass(frozen=True)
class VerificationReport:
    """All mismatches found, with what was checked."""

    mismatches: tuple[Mismatch, ...]
    lists_checked: int
    assignments_checked: int

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.mismatches

    def of_kind(self, kind: MismatchKind) -> tuple[Mismatch, ...]:
        """The mismatches of one kind."""
        return tuple(m for m in self.mismatches if m.kind == kind)


def _check_lists(
    lists: Sequence[AllocationList],
    commitments: Mapping[tuple[str, int], str],
    out: list[Mismatch],
) -> dict[str, list[AllocationList]]:
    by_stratum: dict[str, list[AllocationList]] = defaultdict(list)
    for item in lists:
        if not item.positions:
            out.append(Mismatch(MismatchKind.LIST_NOT_REPRODUCIBLE, item.stratum,
                                "the list has no positions", list_number=item.list_number))
            continue
        key = (item.stratum, item.list_number)
        stored = commitments.get(key)
        actual = commitment(item)
        if stored is None:
            out.append(Mismatch(MismatchKind.COMMITMENT, item.stratum,
                                "no stored commitment for this list",
                                list_number=item.list_number))
        elif stored.lower() != actual:
            out.append(Mismatch(MismatchKind.COMMITMENT, item.stratum,
                                f"stored commitment {stored} but the list hashes to {actual}",
                                list_number=item.list_number))
        try:
            reproducible = regenerate(item) == item
        except AllocationError as exc:
            reproducible = False
            detail = str(exc)
        else:
            detail = "the list differs from the one its seed generates"
        if not reproducible:
            out.append(Mismatch(MismatchKind.LIST_NOT_REPRODUCIBLE, item.stratum, detail,
                                list_number=item.list_number))
        by_stratum[item.stratum].append(item)

    for stratum, items in by_stratum.items():
        items.sort(key=lambda i: i.list_number)
        expected_first = 1
        for number, item in enumerate(items, start=1):
            if item.list_number != number or item.first_position != expected_first:
                out.append(Mismatch(
                    MismatchKind.LIST_SEQUENCE, stratum,
                    f"list {item.list_number} starts at position {item.first_position};"
                    f" expected list {number} starting at {expected_first}",
                    list_number=item.list_number))
            expected_first = item.last_position + 1
    return by_stratum


def verify_allocations(
    lists: Sequence[AllocationList],
    commitments: Mapping[tuple[str, int], str],
    assignments: Sequence[Assignment],
) -> VerificationReport:
    """Check lists against ``commitments`` (keyed by ``(stratum, list_number)``) and assignments.

    ``assignments`` must be in the order the patients were randomized.
    """
    out: list[Mismatch] = []
    by_stratum = _check_lists(lists, commitments, out)
    used: dict[str, set[int]] = defaultdict(set)
    highest: dict[str, int] = defaultdict(int)

    for a in assignments:
        items = by_stratum.get(a.stratum)
        if items is None:
            out.append(Mismatch(MismatchKind.UNKNOWN_STRATUM, a.stratum,
                                "no allocation list for this stratum",
                                position=a.position, subject_id=a.subject_id))
            continue
        holder = next((i for i in items if i.covers(a.position)), None)
        if holder is None:
            out.append(Mismatch(MismatchKind.POSITION_OUT_OF_RANGE, a.stratum,
                                f"position {a.position} is in no list of the stratum",
                                position=a.position, subject_id=a.subject_id))
            continue
        if a.position in used[a.stratum]:
            out.append(Mismatch(MismatchKind.POSITION_REUSED, a.stratum,
                                f"position {a.position} used again",
                                position=a.position, list_number=holder.list_number,
                                subject_id=a.subject_id))
        elif a.position < highest[a.stratum]:
            out.append(Mismatch(MismatchKind.OUT_OF_ORDER, a.stratum,
                                f"position {a.position} used after position {highest[a.stratum]}",
                                position=a.position, list_number=holder.list_number,
                                subject_id=a.subject_id))
        expected_arm = holder.at(a.position).arm
        if a.arm != expected_arm:
            out.append(Mismatch(MismatchKind.ARM_MISMATCH, a.stratum,
                                f"position {a.position} gives {expected_arm}, recorded {a.arm}",
                                position=a.position, list_number=holder.list_number,
                                subject_id=a.subject_id))
        used[a.stratum].add(a.position)
        highest[a.stratum] = max(highest[a.stratum], a.position)

    for stratum in sorted(used):
        items = by_stratum[stratum]
        for position in range(1, highest[stratum]):
            if position not in used[stratum]:
                holder = next((i for i in items if i.covers(position)), None)
                out.append(Mismatch(MismatchKind.POSITION_SKIPPED, stratum,
                                    f"position {position} was never used",
                                    position=position,
                                    list_number=holder.list_number if holder else None))
    return VerificationReport(
        mismatches=tuple(out), lists_checked=len(lists), assignments_checked=len(assignments)
    )
