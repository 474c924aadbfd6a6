"""Canonical serialization and SHA-256 commitment of allocation lists."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.randomization import (
    AllocationError,
    AllocationPosition,
    canonical_bytes,
    canonical_text,
    commitment,
    generate_allocation_list,
    parse_canonical_text,
)

ARMS = ("POM21", "POM28")
STRATUM = "site=03|iss=I-II"


def _list(seed: bytes = b"c" * 32, length: int = 12):
    return generate_allocation_list(seed, STRATUM, ARMS, (1, 1), (2, 4), length)


def test_canonical_text_format() -> None:
    alloc = _list(bytes(range(32)), 4)
    text = canonical_text(alloc)
    lines = text.split("\n")
    assert lines[:8] == [
        "ctrial-allocation-list/1",
        "stratum=site=03|iss=I-II",
        "list=1",
        "arms=POM21,POM28",
        "ratio=1,1",
        "block_sizes=2,4",
        "seed=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        f"positions={len(alloc)}",
    ]
    assert lines[8:-1] == [f"{p.position};{p.block};{p.arm}" for p in alloc.positions]
    assert lines[-1] == ""  # final line feed
    assert canonical_bytes(alloc) == text.encode("utf-8")
    assert commitment(alloc) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert len(commitment(alloc)) == 64 and commitment(alloc) == commitment(alloc).lower()


def test_parse_round_trip_and_strictness() -> None:
    alloc = _list(bytes(range(200, 232)))
    text = canonical_text(alloc)
    assert parse_canonical_text(text) == alloc
    bad_texts = [
        text.rstrip("\n"),
        text.replace("ctrial-allocation-list/1", "other/1", 1),
        text.replace("\n", "\r\n"),
        text.replace("list=1", "list=01", 1),
        text.replace("seed=", "seed=ZZ", 1),
        text.replace(f"seed={alloc.seed.hex()}", f"seed={alloc.seed.hex().upper()}", 1),
        text.replace(f"positions={len(alloc)}", f"positions={len(alloc) + 1}", 1),
        text.replace("1;1;", "1;1;X", 1),
        text.replace("arms=POM21,POM28", "arms=POM21", 1),
        text.replace("ratio=1,1", "ratio=1, 1", 1),
        text.replace("stratum=", "stratum =", 1),
    ]
    for bad in bad_texts:
        with pytest.raises(AllocationError):
            parse_canonical_text(bad)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), seed=st.binary(min_size=16, max_size=32))
def test_commitment_changes_if_any_position_changes(data: st.DataObject, seed: bytes) -> None:
    alloc = _list(seed, 20)
    original = commitment(alloc)
    index = data.draw(st.integers(0, len(alloc) - 1))
    entry = alloc.positions[index]
    change = data.draw(st.sampled_from(["arm", "block", "position"]))
    if change == "arm":
        other = ARMS[1] if entry.arm == ARMS[0] else ARMS[0]
        new = dataclasses.replace(entry, arm=other)
    elif change == "block":
        new = dataclasses.replace(entry, block=entry.block + data.draw(st.integers(1, 5)))
    else:
        new = dataclasses.replace(entry, position=entry.position + data.draw(st.integers(1, 5)))
    positions = list(alloc.positions)
    positions[index] = new
    tampered = dataclasses.replace(alloc, positions=tuple(positions))
    assert commitment(tampered) != original


def test_commitment_covers_header_fields() -> None:
    alloc = _list()
    original = commitment(alloc)
    variants = [
        dataclasses.replace(alloc, stratum="site=03|iss=III"),
        dataclasses.replace(alloc, list_number=2),
        dataclasses.replace(alloc, seed=b"d" * 32),
        dataclasses.replace(alloc, block_sizes=(2,)),
        dataclasses.replace(alloc, positions=alloc.positions[:-1]),
        dataclasses.replace(
            alloc, positions=(*alloc.positions, AllocationPosition(len(alloc) + 1, 99, "POM21"))
        ),
    ]
    for variant in variants:
        assert commitment(variant) != original
