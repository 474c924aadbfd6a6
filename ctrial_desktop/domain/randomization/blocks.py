"""Stratified permuted blocks with random block sizes: allocation lists.

An :class:`AllocationList` is the concealed list of one stratum: numbered
positions, each with the arm it gives and the block it belongs to. A list is a
pure function of ``(seed, stratum, arms, ratio, block_sizes, length)``
(:func:`generate_allocation_list`); the seed comes from :func:`new_seed`
(``secrets``) in the application and from a derived value in simulations.

Generation (version ``ctrial-allocation-list/1``), reproducible on any
platform and Python version because it uses no library random generator:

* A byte stream is produced by HMAC-SHA256 keyed with the seed over the message
  ``b"ctrial-allocation-list/1\\n" + stratum (UTF-8) + b"\\n" + counter``, the
  counter being an unsigned 64-bit big-endian integer starting at 0; the
  32-byte outputs are concatenated.
* A uniform integer in ``[0, n)`` takes the next 8 bytes of the stream as an
  unsigned big-endian integer ``x`` and returns ``x mod n``, rejecting (and
  drawing again) any ``x >= n * floor(2**64 / n)`` so there is no modulo bias.
* Blocks are made one after the other until the list holds at least ``length``
  positions (the last block is always complete, so a list may be a little
  longer than asked): the block size is ``block_sizes[uniform(len(block_sizes))]``;
  the block holds each arm ``ratio[i] * size / sum(ratio)`` times, in arm
  order, and is shuffled by Fisher-Yates (for ``i`` from ``size - 1`` down to
  1, swap items ``i`` and ``uniform(i + 1)``).

A consequence worth knowing: a longer list made from the same seed starts with
the shorter one, block for block.

Lists of one stratum follow each other: when a stratum runs low
(:func:`stratum_stock`), :func:`append_list` makes the next list with its own
seed, numbered ``list_number + 1``, whose positions continue the stratum's
numbering; existing lists and assignments are not touched. Positions are
therefore unique within a stratum across all its lists.
"""

from __future__ import annotations

import hmac
import math
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

#: Version tag of the generation algorithm and of the canonical serialization.
ALGORITHM = "ctrial-allocation-list/1"

#: Length of the seeds made by :func:`new_seed`, in bytes.
SEED_BYTES = 32

#: Shortest seed accepted by :func:`generate_allocation_list`, in bytes.
MIN_SEED_BYTES = 16

#: Characters an arm code may not contain (they separate fields when serialized).
_FORBIDDEN_IN_ARM = frozenset(",;=|\n\r\t ")


class AllocationError(ValueError):
    """Invalid parameters for an allocation list or a randomization step."""


@dataclass(frozen=True, slots=True)
class AllocationPosition:
    """One position of an allocation list: its number in the stratum, block and arm."""

    position: int
    block: int
    arm: str


@dataclass(frozen=True)
class AllocationList:
    """The allocation list of one stratum (or the n-th list appended to it)."""

    stratum: str
    list_number: int
    seed: bytes
    arms: tuple[str, ...]
    ratio: tuple[int, ...]
    block_sizes: tuple[int, ...]
    positions: tuple[AllocationPosition, ...]

    def __len__(self) -> int:
        return len(self.positions)

    @property
    def first_position(self) -> int:
        """Number of the first position (1 for the first list of a stratum)."""
        return self.positions[0].position

    @property
    def last_position(self) -> int:
        """Number of the last position."""
        return self.positions[-1].position

    def covers(self, position: int) -> bool:
        """Whether ``position`` belongs to this list."""
        return self.first_position <= position <= self.last_position

    def at(self, position: int) -> AllocationPosition:
        """The entry for a stratum-wide position number; ``KeyError`` if outside."""
        if not self.covers(position):
            raise KeyError(position)
        return self.positions[position - self.first_position]


@dataclass(frozen=True, slots=True)
class StratumStock:
    """How much of a stratum's lists has been used, and whether it runs low."""

    stratum: str
    total: int
    used: int
    remaining: int
    low: bool
    next_position: int | None


class _ByteStream:
    """HMAC-SHA256 counter-mode stream (see the module docstring)."""

    def __init__(self, seed: bytes, stratum: str) -> None:
        self._key = seed
        self._prefix = ALGORITHM.encode("ascii") + b"\n" + stratum.encode("utf-8") + b"\n"
        self._counter = 0
        self._words: list[int] = []

    def _next_word(self) -> int:
        """The next 8 bytes of the stream as an unsigned big-endian integer."""
        if not self._words:
            message = self._prefix + self._counter.to_bytes(8, "big")
            digest = hmac.digest(self._key, message, "sha256")
            self._counter += 1
            # reversed so that pop() yields the digest's 8-byte words in order
            self._words = [int.from_bytes(digest[i : i + 8], "big") for i in (24, 16, 8, 0)]
        return self._words.pop()

    def below(self, n: int) -> int:
        """A uniform integer in ``[0, n)``."""
        limit = (2**64 // n) * n
        while True:
            x = self._next_word()
            if x < limit:
                return x % n


def new_seed() -> bytes:
    """A fresh cryptographic seed (``secrets.token_bytes``) for one list."""
    return secrets.token_bytes(SEED_BYTES)


def validate_arms(arms: Sequence[str]) -> tuple[str, ...]:
    """Check arm codes (at least two, unique, no separator characters)."""
    arms_t = tuple(arms)
    if len(arms_t) < 2:
        raise AllocationError("at least two arms are needed")
    if len(set(arms_t)) != len(arms_t):
        raise AllocationError(f"arm codes must be unique: {', '.join(arms_t)}")
    for arm in arms_t:
        if not arm or any(ch in _FORBIDDEN_IN_ARM for ch in arm) or not arm.isprintable():
            raise AllocationError(f"invalid arm code {arm!r}")
    return arms_t


def validate_stratum(stratum: str) -> str:
    """Check a stratum label (non-empty, printable, one line)."""
    if not stratum or not stratum.isprintable():
        raise AllocationError(f"invalid stratum label {stratum!r}")
    return stratum


def validate_block_sizes(block_sizes: Iterable[int], ratio: Sequence[int]) -> tuple[int, ...]:
    """Check block sizes: unique, sorted, each a positive multiple of ``sum(ratio)``."""
    sizes = tuple(sorted(set(block_sizes)))
    if not sizes:
        raise AllocationError("at least one block size is needed")
    unit = sum(ratio)
    for size in sizes:
        if size <= 0 or size % unit:
            raise AllocationError(
                f"block size {size} is not a positive multiple of {unit} (sum of the ratio)"
            )
    return sizes


def _validate_ratio(ratio: Sequence[int], n_arms: int) -> tuple[int, ...]:
    ratio_t = tuple(ratio)
    if len(ratio_t) != n_arms:
        raise AllocationError(f"ratio has {len(ratio_t)} terms for {n_arms} arms")
    if any(not isinstance(r, int) or r <= 0 for r in ratio_t):
        raise AllocationError("ratio terms must be positive integers")
    g = math.gcd(*ratio_t)
    return tuple(r // g for r in ratio_t)


def generate_allocation_list(
    seed: bytes,
    stratum: str,
    arms: Sequence[str],
    ratio: Sequence[int],
    block_sizes: Iterable[int],
    length: int,
    *,
    list_number: int = 1,
    first_position: int = 1,
) -> AllocationList:
    """Make the allocation list of ``stratum`` (algorithm in the module docstring).

    ``length`` is the minimum number of positions; the last block is completed.
    ``list_number`` and ``first_position`` place an appended list after the
    previous ones of its stratum; they do not change the sequence of arms.
    """
    if len(seed) < MIN_SEED_BYTES:
        raise AllocationError(f"seed must be at least {MIN_SEED_BYTES} bytes")
    validate_stratum(stratum)
    arms_t = validate_arms(arms)
    ratio_t = _validate_ratio(ratio, len(arms_t))
    sizes = validate_block_sizes(block_sizes, ratio_t)
    if length < 1:
        raise AllocationError("a list needs at least one position")
    if list_number < 1 or first_position < 1:
        raise AllocationError("list numbers and positions start at 1")

    unit = sum(ratio_t)
    stream = _ByteStream(seed, stratum)
    entries: list[AllocationPosition] = []
    block = 0
    while len(entries) < length:
        block += 1
        size = sizes[stream.below(len(sizes))]
        content = [
            arm for arm, r in zip(arms_t, ratio_t, strict=True) for _ in range(r * size // unit)
        ]
        for i in range(size - 1, 0, -1):
            j = stream.below(i + 1)
            content[i], content[j] = content[j], content[i]
        base = first_position + len(entries)
        entries.extend(
            AllocationPosition(position=base + k, block=block, arm=arm)
            for k, arm in enumerate(content)
        )
    return AllocationList(
        stratum=stratum,
        list_number=list_number,
        seed=bytes(seed),
        arms=arms_t,
        ratio=ratio_t,
        block_sizes=sizes,
        positions=tuple(entries),
    )


def regenerate(allocation_list: AllocationList) -> AllocationList:
    """Make again, from its seed and parameters, the list ``allocation_list`` claims to be."""
    return generate_allocation_list(
        allocation_list.seed,
        allocation_list.stratum,
        allocation_list.arms,
        allocation_list.ratio,
        allocation_list.block_sizes,
        len(allocation_list),
        list_number=allocation_list.list_number,
        first_position=allocation_list.first_position,
    )


def list_length_for(
    target_enrolment: int, reserve_fraction: float = 0.5, min_reserve: int = 4
) -> int:
    """Positions to generate for a stratum of a site expecting ``target_enrolment`` patients.

    Every stratum of a site gets the whole site target (nobody knows in advance
    how the site's patients split between ISS groups) plus a reserve of
    ``max(ceil(target * reserve_fraction), min_reserve)`` positions.
    """
    if target_enrolment < 1:
        raise AllocationError("target enrolment must be at least 1")
    if reserve_fraction < 0 or min_reserve < 0:
        raise AllocationError("the reserve cannot be negative")
    return target_enrolment + max(math.ceil(target_enrolment * reserve_fraction), min_reserve)


def generate_site_lists(
    strata: Sequence[str],
    target_enrolment: int,
    arms: Sequence[str],
    ratio: Sequence[int] = (1, 1),
    block_sizes: Iterable[int] = (2, 4),
    *,
    reserve_fraction: float = 0.5,
    min_reserve: int = 4,
    seed_source: Callable[[], bytes] = new_seed,
) -> tuple[AllocationList, ...]:
    """The first list of every stratum of a site, each from its own fresh seed."""
    if len(set(strata)) != len(strata):
        raise AllocationError("strata must be unique")
    length = list_length_for(target_enrolment, reserve_fraction, min_reserve)
    sizes = tuple(block_sizes)
    return tuple(
        generate_allocation_list(seed_source(), stratum, arms, ratio, sizes, length)
        for stratum in strata
    )


def _stratum_lists(lists: Sequence[AllocationList]) -> list[AllocationList]:
    if not lists:
        raise AllocationError("a stratum needs at least one list")
    ordered = sorted(lists, key=lambda item: item.list_number)
    stratum = ordered[0].stratum
    expected_first = 1
    for number, item in enumerate(ordered, start=1):
        if item.stratum != stratum:
            raise AllocationError("lists of different strata given together")
        if item.list_number != number or item.first_position != expected_first:
            raise AllocationError(
                f"lists of stratum {stratum!r} are not contiguous at list {item.list_number}"
            )
        expected_first = item.last_position + 1
    return ordered


def stratum_stock(
    lists: Sequence[AllocationList], used_positions: Iterable[int], low_threshold: int
) -> StratumStock:
    """Remaining positions of a stratum and whether they are at or below ``low_threshold``.

    Positions are consumed in order, so the next one follows the highest used.
    """
    ordered = _stratum_lists(lists)
    used = set(used_positions)
    total = ordered[-1].last_position
    highest = max(used, default=0)
    remaining = max(total - highest, 0)
    return StratumStock(
        stratum=ordered[0].stratum,
        total=total,
        used=len(used),
        remaining=remaining,
        low=remaining <= low_threshold,
        next_position=highest + 1 if remaining else None,
    )


def next_allocation(
    lists: Sequence[AllocationList], used_positions: Iterable[int]
) -> AllocationPosition | None:
    """The position the next patient of the stratum takes, or ``None`` if the lists ran dry."""
    ordered = _stratum_lists(lists)
    position = max(set(used_positions), default=0) + 1
    for item in ordered:
        if item.covers(position):
            return item.at(position)
    return None


def append_list(
    lists: Sequence[AllocationList],
    seed: bytes,
    length: int,
    block_sizes: Iterable[int] | None = None,
) -> AllocationList:
    """The next list of a stratum, continuing its position numbering.

    The new list has its own seed (and so its own commitment); arms and ratio
    are those of the stratum, block sizes too unless given. The lists passed in
    are not modified: the caller stores the returned list beside them.
    """
    ordered = _stratum_lists(lists)
    last = ordered[-1]
    return generate_allocation_list(
        seed,
        last.stratum,
        last.arms,
        last.ratio,
        last.block_sizes if block_sizes is None else block_sizes,
        length,
        list_number=last.list_number + 1,
        first_position=last.last_position + 1,
    )
