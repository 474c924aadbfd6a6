"""Canonical serialization of an allocation list and its SHA-256 commitment.

The canonical form is UTF-8 text without byte-order mark, made of lines each
ended by a single line feed (``\\n``, also after the last line), with no other
whitespace. The header lines come first, in this order::

    ctrial-allocation-list/1
    stratum=<stratum label, verbatim>
    list=<list number, decimal>
    arms=<arm codes in list order, separated by ",">
    ratio=<ratio terms in arm order, decimal, separated by ",">
    block_sizes=<block sizes in increasing order, decimal, separated by ",">
    seed=<seed, lowercase hexadecimal>
    positions=<number of positions, decimal>

then one line per position, in increasing position order::

    <position>;<block>;<arm code>

Numbers are written in decimal without sign, leading zeros or spaces. Example
(the first lines of a list of stratum ``site=03|iss=I-II``)::

    ctrial-allocation-list/1
    stratum=site=03|iss=I-II
    list=1
    arms=POM21,POM28
    ratio=1,1
    block_sizes=2,4
    seed=5f0c...e1 (64 hexadecimal digits)
    positions=42
    1;1;POM28
    2;1;POM21
    3;2;POM21
    ...

The commitment is the SHA-256 digest of these bytes, written as 64 lowercase
hexadecimal digits. Because the serialization contains the 256-bit seed, the
commitment reveals nothing about the list, and anyone holding the list can
recompute both the list (from the seed) and its commitment.
"""

from __future__ import annotations

import hashlib

from ctrial_desktop.domain.randomization.blocks import (
    ALGORITHM,
    AllocationError,
    AllocationList,
    AllocationPosition,
    validate_arms,
    validate_stratum,
)

_HEADER_KEYS = ("stratum", "list", "arms", "ratio", "block_sizes", "seed", "positions")


def canonical_text(allocation_list: AllocationList) -> str:
    """The canonical serialization of ``allocation_list`` (format in the module docstring)."""
    lines = [
        ALGORITHM,
        f"stratum={allocation_list.stratum}",
        f"list={allocation_list.list_number}",
        "arms=" + ",".join(allocation_list.arms),
        "ratio=" + ",".join(str(r) for r in allocation_list.ratio),
        "block_sizes=" + ",".join(str(s) for s in allocation_list.block_sizes),
        f"seed={allocation_list.seed.hex()}",
        f"positions={len(allocation_list.positions)}",
    ]
    lines.extend(f"{p.position};{p.block};{p.arm}" for p in allocation_list.positions)
    return "\n".join(lines) + "\n"


def canonical_bytes(allocation_list: AllocationList) -> bytes:
    """The canonical serialization encoded in UTF-8: the bytes that are hashed."""
    return canonical_text(allocation_list).encode("utf-8")


def commitment(allocation_list: AllocationList) -> str:
    """SHA-256 of the canonical serialization, 64 lowercase hexadecimal digits."""
    return hashlib.sha256(canonical_bytes(allocation_list)).hexdigest()


def _decimal(text: str, what: str) -> int:
    if not text.isdigit() or not text.isascii() or (len(text) > 1 and text[0] == "0"):
        raise AllocationError(f"{what}: not a canonical decimal number: {text!r}")
    return int(text)


def parse_canonical_text(text: str) -> AllocationList:
    """Read back a list from its canonical serialization (strict: refuses any other form)."""
    if not text.endswith("\n"):
        raise AllocationError("canonical text must end with a line feed")
    lines = text[:-1].split("\n")
    if len(lines) < 1 + len(_HEADER_KEYS) or lines[0] != ALGORITHM:
        raise AllocationError(f"not a {ALGORITHM} document")
    header: dict[str, str] = {}
    for key, line in zip(_HEADER_KEYS, lines[1 : 1 + len(_HEADER_KEYS)], strict=True):
        prefix = key + "="
        if not line.startswith(prefix):
            raise AllocationError(f"expected a {key}= line, got {line!r}")
        header[key] = line[len(prefix) :]
    arms = validate_arms(header["arms"].split(","))
    stratum = validate_stratum(header["stratum"])
    try:
        seed = bytes.fromhex(header["seed"])
    except ValueError:
        raise AllocationError("seed is not hexadecimal") from None
    if seed.hex() != header["seed"]:
        raise AllocationError("seed is not in lowercase hexadecimal")
    count = _decimal(header["positions"], "positions")
    body = lines[1 + len(_HEADER_KEYS) :]
    if len(body) != count or count == 0:
        raise AllocationError(f"expected {count} positions, found {len(body)}")
    positions = []
    for line in body:
        fields = line.split(";")
        if len(fields) != 3 or fields[2] not in arms:
            raise AllocationError(f"invalid position line {line!r}")
        positions.append(
            AllocationPosition(
                position=_decimal(fields[0], "position"),
                block=_decimal(fields[1], "block"),
                arm=fields[2],
            )
        )
    parsed = AllocationList(
        stratum=stratum,
        list_number=_decimal(header["list"], "list"),
        seed=seed,
        arms=arms,
        ratio=tuple(_decimal(r, "ratio") for r in header["ratio"].split(",")),
        block_sizes=tuple(_decimal(s, "block_sizes") for s in header["block_sizes"].split(",")),
        positions=tuple(positions),
    )
    if canonical_text(parsed) != text:
        raise AllocationError("text is not in canonical form")
    return parsed
