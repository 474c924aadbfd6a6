"""Three-way merge of a site's value into central, and the transfer file's checksum line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctrial_desktop.exchange.transfer import (
    CHECKSUM_PREFIX,
    CHECKSUM_SUFFIX,
    MergeOutcome,
    TransferError,
    merge_outcome,
    verify_checksum,
)

texts = st.one_of(st.none(), st.sampled_from(["", "1", "2", "71", "73", "yes"]))


@given(site=texts, central=texts, base=texts, has_base=st.booleans())
def test_merge_never_overwrites_a_central_change_silently(
        site: str | None, central: str | None, base: str | None, has_base: bool) -> None:
    outcome = merge_outcome(site, central, base, has_base)
    if outcome is MergeOutcome.APPLY:
        # only a value central left as it was received is replaced
        assert has_base and central == base and site != central
    if outcome is MergeOutcome.KEEP:
        assert has_base and site == base and central != base
    if outcome is MergeOutcome.SAME:
        assert site == central
    if outcome is MergeOutcome.CONFLICT:
        assert site != central and not (has_base and base in (site, central))


@given(site=texts, central=texts, base=texts)
def test_a_change_on_one_side_only_is_never_a_conflict(
        site: str | None, central: str | None, base: str | None) -> None:
    if site == base or central == base:
        assert merge_outcome(site, central, base, True) is not MergeOutcome.CONFLICT


def test_examples() -> None:
    assert merge_outcome("73", "70", "70", True) is MergeOutcome.APPLY
    assert merge_outcome("70", "71", "70", True) is MergeOutcome.KEEP
    assert merge_outcome("73", "71", "70", True) is MergeOutcome.CONFLICT
    assert merge_outcome("73", "73", "70", True) is MergeOutcome.SAME
    assert merge_outcome("73", "71", None, False) is MergeOutcome.CONFLICT  # never received
    assert merge_outcome(None, "71", "71", True) is MergeOutcome.APPLY  # cleared at the site


def _file(tmp_path: Path, body: bytes) -> Path:
    path = tmp_path / "t.xml"
    digest = hashlib.sha256(body).hexdigest().encode()
    path.write_bytes(body + CHECKSUM_PREFIX + digest + CHECKSUM_SUFFIX)
    return path


@given(position=st.integers(min_value=0, max_value=10_000), flip=st.integers(1, 255))
def test_any_changed_byte_fails_the_checksum(tmp_path_factory: pytest.TempPathFactory,
                                             position: int, flip: int) -> None:
    folder = tmp_path_factory.mktemp("checksum")
    body = b"<?xml version='1.0'?>\n<ODM>" + b"<x a='1'/>" * 1200 + b"</ODM>\n"
    path = _file(folder, body)
    assert verify_checksum(path) == hashlib.sha256(body).hexdigest()
    data = bytearray(path.read_bytes())
    index = position % len(body)
    data[index] ^= flip
    path.write_bytes(bytes(data))
    with pytest.raises(TransferError, match="fails its checksum"):
        verify_checksum(path)


def test_a_truncated_file_has_no_checksum_line(tmp_path: Path) -> None:
    path = _file(tmp_path, b"<ODM></ODM>\n")
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(TransferError, match="no checksum line"):
        verify_checksum(path)
