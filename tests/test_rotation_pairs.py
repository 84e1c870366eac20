"""`mm eval rotation`'s paired figures (each page's turned / upright CER, a seeded paired bootstrap
interval of the ratio) and the dense set's held-back seeds, `held_back_2` and `held_back_3`."""

from __future__ import annotations

import hashlib

import pytest

from mm_assets.definitions import build_definitions
from mm_assets.operations.evaluation_base import EvaluationError
from mm_assets.operations.rotation_evaluation import DEFAULT_SLICES, RotationReport, run_rotation_evaluation, summarise
from mm_assets.operations.rotation_pages import (
    DENSE_SCAN,
    TURN_VARIANTS,
    dense_pages,
    held_back_2_pages,
    scan_options,
    seed_slice_pages,
    slice_pages,
)
from mm_assets.operations.rotation_pairs import bootstrap_interval, page_pairs, paired_ratios


def scan(page: str, variant: str, cer: float, slice_name: str = "held_back_2") -> dict:
    return {"page": page, "variant": variant, "held_back": True, "slice": slice_name, "cer": cer}


def pairs_of(cers: dict[str, tuple[float, float]]) -> list[dict]:
    """page -> (upright CER, turn-90 CER) as scans."""
    return [s for page, (u, t) in cers.items() for s in (scan(page, "upright", u), scan(page, "turn-90", t))]


def test_the_ratio_is_of_the_mean_cers_and_each_page_keeps_its_own():
    scans = pairs_of({"a": (0.01, 0.02), "b": (0.03, 0.02), "c": (0.0, 0.001)})
    pair = paired_ratios({"all": scans}, 1.1)["all"]["90"]
    assert pair.pages == ("a", "b", "c")
    assert pair.ratio == pytest.approx(0.041 / 0.04)
    assert pair.per_page == {"a": 2.0, "b": pytest.approx(2 / 3), "c": None}  # no upright error: no page ratio
    assert pair.as_json()["pages"]["a"] == {"upright_cer": 0.01, "turned_cer": 0.02, "ratio": 2.0}


def test_the_interval_is_seeded_and_holds_the_ratio_of_the_pages_drawn():
    upright = [0.004, 0.01, 0.006, 0.008, 0.003, 0.012]
    turned = [0.006, 0.007, 0.009, 0.008, 0.005, 0.01]
    low, high = bootstrap_interval(upright, turned)
    assert (low, high) == bootstrap_interval(upright, turned)  # the same pages give the same interval
    assert low < sum(turned) / sum(upright) < high
    assert bootstrap_interval(upright, turned, seed=7) != (low, high)
    narrower = bootstrap_interval(upright, turned, level=0.5)
    assert low < narrower[0] <= narrower[1] < high


def test_the_verdict_says_above_within_or_undecided_by_the_whole_interval():
    def verdict(cers: dict[str, tuple[float, float]]) -> str:
        return paired_ratios({"all": pairs_of(cers)}, 1.1)["all"]["90"].verdict

    # every page 1.2x: every resample is 1.2x, so the interval is too
    steady = {page: (0.01 * (n + 1), 0.012 * (n + 1)) for n, page in enumerate("abcd")}
    assert verdict(steady) == "above 1.1x (the whole interval)"
    unchanged = {page: (0.01 * (n + 1), 0.01 * (n + 1)) for n, page in enumerate("abcd")}
    assert verdict(unchanged) == "within 1.1x (the whole interval)"
    noisy = {"a": (0.01, 0.02), "b": (0.01, 0.006), "c": (0.008, 0.01), "d": (0.01, 0.007)}
    assert verdict(noisy) == "undecided: the interval spans 1.1x"
    assert verdict({"a": (0.01, 0.02)}) == "no interval: one page"
    assert verdict({"a": (0.0, 0.0), "b": (0.0, 0.001)}) == "no ratio: upright read without an error"


def test_90_and_270_together_average_each_pages_two_turns_and_skip_a_page_missing_one():
    scans = [
        *pairs_of({"a": (0.01, 0.02), "b": (0.02, 0.01)}),
        scan("a", "turn-270", 0.0),
        scan("a", "turn-180", 0.05),
    ]
    assert page_pairs(scans, ("turn-90", "turn-270")) == [("a", 0.01, 0.01)]
    figures = paired_ratios({"all": scans}, 1.1)["all"]
    assert set(figures) == {"90", "180", "270", "90 and 270"} and figures["180"].pages == ("a",)


def test_the_report_prints_each_pages_ratio_and_the_interval_per_slice(tmp_path):
    scans = {
        f"{s['page']}-{s['variant']}": s
        for s in [*pairs_of({"x": (0.01, 0.011), "y": (0.02, 0.018)}), scan("t", "upright", 0.01, "tuning")]
    }
    report = RotationReport(summarise(scans), scans, 1.0, tmp_path / "r.json", "dense")
    text = report.summary()
    assert "held-back-2 90: 2 pages, 0.967 [" in text and "per page: x 1.10, y 0.90" in text
    assert set(report.figures) == {"all", "tuned", "held-back-2"}  # tuned has its upright scan alone
    paired = report.as_json()["paired_ratios"]
    assert paired["held-back-2"]["90"]["pages"]["y"]["ratio"] == 0.9 and "tuned" not in paired
    assert paired["all"]["90"]["ratio"] == paired["held-back-2"]["90"]["ratio"]  # tuned's upright scan has no pair
    alone = {name: s for name, s in scans.items() if s["slice"] == "held_back_2"}
    assert set(RotationReport(summarise(alone), alone, 1.0, tmp_path / "r.json").pairs) == {"held-back-2"}


def test_held_back_2_is_a_new_seed_of_the_dense_pages_scanned_upright_and_turned_only():
    pages, first_seed = held_back_2_pages(), dense_pages(6)
    assert len(pages) == 12 and {p.slice for p in pages} == {"held_back_2"}
    assert {p.variants for p in pages} == {TURN_VARIANTS} and {p.scan for p in pages} == {DENSE_SCAN}
    # the same make-up as the first seed's dense pages: every third 7.5 pt in two columns
    assert [len(p.columns) for p in pages] == [len(p.columns) for p in dense_pages(12)]
    assert {p.size for p in pages} == {7.0, 7.5} and all(len(p.truth) > 2000 for p in pages)
    assert not {p.truth for p in pages} & {p.truth for p in dense_pages(12)}
    assert not {p.name for p in pages} & {p.name for p in dense_pages(12)}
    grain_seeds = [scan_options(p)["grain_seed"] for p in pages]
    assert len(set(grain_seeds)) == 12 and not set(grain_seeds) & {scan_options(p)["grain_seed"] for p in first_seed}
    # its text is what was fixed in the commit before any of it was run
    digest = hashlib.sha256("\n".join(p.truth for p in pages).encode()).hexdigest()[:16]
    assert digest == HELD_BACK_2_DIGEST


HELD_BACK_2_DIGEST = "783c21a9c3d98fdc"


def test_held_back_3_is_a_third_seed_scanned_upright_and_at_the_target_turns_only():
    pages, earlier = seed_slice_pages("held_back_3"), held_back_2_pages() + dense_pages(12)
    assert len(pages) == 12 and {p.slice for p in pages} == {"held_back_3"}
    assert {p.variants for p in pages} == {("upright", "turn-90", "turn-180")} and {p.scan for p in pages} == {
        DENSE_SCAN
    }
    assert [len(p.columns) for p in pages] == [len(p.columns) for p in dense_pages(12)]
    assert not {p.truth for p in pages} & {p.truth for p in earlier}
    assert not {p.name for p in pages} & {p.name for p in earlier}
    grain_seeds = {scan_options(p)["grain_seed"] for p in pages}
    assert len(grain_seeds) == 12 and not grain_seeds & {scan_options(p)["grain_seed"] for p in earlier}
    # its text is what was fixed in the commit before any of it was run
    assert hashlib.sha256("\n".join(p.truth for p in pages).encode()).hexdigest()[:16] == HELD_BACK_3_DIGEST


HELD_BACK_3_DIGEST = "a5dc861f7121a461"


def test_the_default_slices_leave_held_back_2_out_and_clean_pages_have_none(tmp_path):
    assert [p.name for p in slice_pages("dense", 6, DEFAULT_SLICES)] == [p.name for p in dense_pages(6)]
    both = slice_pages("dense", 3, ("held_back", "held_back_2"))
    assert [p.slice for p in both] == ["held_back"] + ["held_back_2"] * 12
    with pytest.raises(EvaluationError, match="held_back_2 and held_back_3 slices are dense pages"):
        run_rotation_evaluation(tmp_path / "home", tmp_path / "out", build_definitions, slices=("held_back_2",))
    assert not (tmp_path / "home").exists()
