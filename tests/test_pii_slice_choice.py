"""`mm eval pii --slices`: a held-back slice runs only when named, so a plain `mm eval pii` cannot
spend it by accident."""

import pytest

from mm_assets.cli.common import UsageError
from mm_assets.cli.search import chosen_pii_slices
from mm_assets.operations import pii_slices


def test_by_default_every_slice_that_is_not_held_back_runs(monkeypatch: pytest.MonkeyPatch):
    held_back = pii_slices.SLICES[-1]
    monkeypatch.setattr(pii_slices, "HELD_BACK_SLICES", frozenset({held_back}))
    chosen = chosen_pii_slices(None)
    assert held_back not in chosen
    assert chosen == pii_slices.SLICES[:-1]


def test_a_held_back_slice_runs_when_named(monkeypatch: pytest.MonkeyPatch):
    held_back = pii_slices.SLICES[-1]
    monkeypatch.setattr(pii_slices, "HELD_BACK_SLICES", frozenset({held_back}))
    assert chosen_pii_slices(f"tuning, {held_back}") == ("tuning", held_back)


def test_the_real_held_back_slices_are_left_out_by_default():
    assert not set(chosen_pii_slices(None)) & pii_slices.HELD_BACK_SLICES
    assert set(chosen_pii_slices(None)) | pii_slices.HELD_BACK_SLICES == set(pii_slices.SLICES)


def test_an_unknown_slice_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown --slices"):
        chosen_pii_slices("tuning,no_such_slice")
