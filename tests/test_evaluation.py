"""The retrieval evaluation: metrics on hand-made rankings, the sets, and one small real run."""

from __future__ import annotations

import hashlib

import polars as pl
import pytest
from PIL import Image
from polars.testing import assert_frame_equal
from skimage import data as skdata

from mm_assets.definitions import build_definitions
from mm_assets.operations.documents_set import documents_set
from mm_assets.operations.evaluation import (
    RANKINGS,
    EvaluationReport,
    QueryResult,
    evaluate_set,
    metrics_table,
    run_evaluation,
)
from mm_assets.operations.evaluation_base import EvaluationError, evaluation_settings, fresh_folder
from mm_assets.operations.retrieval_metrics import average_precision, metric_names, ndcg_at, ranking_metrics, recall_at
from mm_assets.operations.skimage_set import SKIMAGE_IMAGES, docstring_description, skimage_set
from mm_assets.operations.textile_set import textile_set

# -- metrics ---------------------------------------------------------------------------------------


def test_recall_is_the_share_of_relevant_items_in_the_top_k():
    ranked = ["a", "b", "c", "d"]
    relevant = {"b", "d", "x"}
    assert recall_at(ranked, relevant, 1) == 0.0
    assert recall_at(ranked, relevant, 2) == pytest.approx(1 / 3)
    assert recall_at(ranked, relevant, 10) == pytest.approx(2 / 3)


def test_average_precision_averages_precision_at_each_relevant_rank():
    assert average_precision(["a", "b", "c", "d"], {"a", "c"}) == pytest.approx((1 / 1 + 2 / 3) / 2)
    # A relevant item that was never ranked counts as precision 0.
    assert average_precision(["a", "b"], {"a", "z"}) == pytest.approx(0.5)
    assert average_precision(["b", "c"], {"a"}) == 0.0


def test_ndcg_discounts_late_hits_against_the_ideal_ranking():
    assert ndcg_at(["x", "a", "y", "b"], {"a", "b"}, 10) == pytest.approx(0.6509209, abs=1e-7)
    assert ndcg_at(["a", "b", "x"], {"a", "b"}, 10) == pytest.approx(1.0)
    # The ideal DCG is cut at k too: one hit at rank 1 of k=1 is perfect although two are relevant.
    assert ndcg_at(["a", "x"], {"a", "b"}, 1) == pytest.approx(1.0)
    relevant_at_rank_11 = [f"n{i}" for i in range(10)] + ["a"]
    assert ndcg_at(relevant_at_rank_11, {"a"}, 10) == 0.0


def test_a_query_without_relevant_items_is_refused():
    for metric in (lambda: recall_at(["a"], set(), 1), lambda: average_precision(["a"], set())):
        with pytest.raises(ValueError, match="relevant"):
            metric()


def test_ranking_metrics_names_follow_k():
    assert metric_names(10) == ["recall@1", "recall@5", "recall@10", "map", "ndcg@10"]
    assert metric_names(3) == ["recall@1", "recall@3", "recall@5", "map", "ndcg@3"]
    metrics = ranking_metrics(["x", "a"], {"a"}, 10)
    assert metrics == pytest.approx(
        {"recall@1": 0.0, "recall@5": 1.0, "recall@10": 1.0, "map": 0.5, "ndcg@10": 0.6309298}
    )


def result(query_id: str, subset: str, ranking: str, ranked: tuple[str, ...]) -> QueryResult:
    relevant = frozenset({"a"})
    return QueryResult(
        "mixed",
        subset,
        query_id,
        "q",
        ranking,
        ranked,
        relevant,
        ranking_metrics(ranked, relevant, 10),
    )


def test_the_table_averages_over_queries_overall_and_per_source_set():
    results = [
        result("q1", "skimage", "visual", ("a", "b")),
        result("q2", "documents", "visual", ("b", "a")),
        result("q1", "skimage", "rrf", ("a",)),
        result("q2", "documents", "rrf", ("a",)),
    ]
    table = metrics_table(results, 10)
    overall = {row["ranking"]: row for row in table.filter(pl.col("subset") == "all").iter_rows(named=True)}
    assert overall["visual"]["recall@1"] == pytest.approx(0.5) and overall["visual"]["queries"] == 2
    assert overall["visual"]["map"] == pytest.approx(0.75) and overall["visual"]["kind"] == "channel"
    assert overall["rrf"]["recall@1"] == 1.0 and overall["rrf"]["kind"] == "fused"
    documents = table.filter((pl.col("subset") == "documents") & (pl.col("ranking") == "visual"))
    assert documents["recall@1"].to_list() == [0.0]
    # One source set: no per-subset rows beside `all`.
    assert set(metrics_table(results[:1], 10)["subset"]) == {"all"}


# -- evaluation sets -------------------------------------------------------------------------------


def test_docstring_description_is_the_first_paragraph_on_one_line():
    assert docstring_description(skdata.coffee.__doc__) == "Coffee cup."
    assert docstring_description(skdata.astronaut.__doc__) == "Color image of the astronaut Eileen Collins."
    wrapped = "\n    Image sequence of x-radiographs showing the\n    solidification of an alloy.\n\n    Returns\n"
    assert docstring_description(wrapped) == "Image sequence of x-radiographs showing the solidification of an alloy."
    assert docstring_description(None) == ""


def test_skimage_set_queries_each_photo_by_its_docstring(tmp_path):
    eval_set = skimage_set(tmp_path)
    assert len(eval_set.files) == len(eval_set.queries) == len(SKIMAGE_IMAGES)
    coffee = next(query for query in eval_set.queries if query.query_id == "skimage:coffee")
    assert coffee.text == "Coffee cup." and coffee.relevant == {"skimage/coffee"}
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in eval_set.files.values()}
    assert len(digests) == len(eval_set.files)  # distinct bytes: one partition per photo
    for path in eval_set.files.values():
        with Image.open(path) as image:
            assert image.mode == "RGB" and max(image.size) <= 512


def test_textile_set_takes_a_fixed_subset_and_a_class_query_finds_its_whole_class():
    eval_set = textile_set(per_class=5)
    assert len(eval_set.files) == 15 and len(eval_set.queries) == 6
    local = next(query for query in eval_set.queries if query.query_id == "textile:local:1")
    assert local.text == "a textile with a local defect"
    assert len(local.relevant) == 5 and all(name.startswith("textile/local/") for name in local.relevant)
    assert textile_set(per_class=5).files == eval_set.files  # deterministic


def test_documents_set_quotes_a_line_of_each_page_and_paraphrases_it(tmp_path):
    eval_set = documents_set(tmp_path, count=3)
    assert {path.suffix for path in eval_set.files.values()} == {".png", ".pdf"}
    assert len(eval_set.queries) == 6
    with pytest.raises(EvaluationError, match="count must be between"):
        documents_set(tmp_path, count=0)


def test_an_unknown_set_is_refused_with_the_known_names(tmp_path):
    with pytest.raises(EvaluationError, match="skimage, textile, documents, mixed"):
        run_evaluation("photos", tmp_path / "home", tmp_path / "out", build_definitions=build_definitions)


def test_an_evaluation_keeps_the_callers_models_but_never_their_stores(tmp_path, monkeypatch):
    monkeypatch.setenv("MM_INDEX", str(tmp_path / "real-index"))
    monkeypatch.setenv("MM_CATALOG_URL", f"sqlite:///{tmp_path / 'real.db'}")
    monkeypatch.setenv("MM_CAPTIONER_NAME", "efficientnet-lite2")
    settings = evaluation_settings(tmp_path / "eval-home", ocr_engine="tesseract")
    assert settings.home == (tmp_path / "eval-home").resolve()
    assert settings.index_uri == str(settings.home / "index")
    assert settings.catalog_url == f"sqlite:///{settings.home / 'catalog.db'}"
    assert settings.captioner_name == "efficientnet-lite2" and settings.ocr_engine == "tesseract"


def test_a_home_folder_not_made_by_an_evaluation_is_never_replaced(tmp_path):
    foreign = tmp_path / "skimage"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    with pytest.raises(EvaluationError, match="not made by mm eval"):
        fresh_folder(foreign)
    assert (foreign / "keep.txt").exists()
    ours = fresh_folder(tmp_path / "documents")
    (ours / "old-run").mkdir()
    assert list(fresh_folder(ours).iterdir()) == [ours / ".mm-eval"]


# -- one small real evaluation ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def documents_report(tmp_path_factory) -> EvaluationReport:
    root = tmp_path_factory.mktemp("evaluation")
    return evaluate_set(
        documents_set(root / "media", count=4), root / "mm", root / "out", k=10, build_definitions=build_definitions
    )


@pytest.mark.slow
def test_the_table_has_every_ranking_and_metric_with_values_between_0_and_1(documents_report):
    table = documents_report.table
    assert table["ranking"].to_list() == list(RANKINGS)
    assert set(table["subset"]) == {"all"} and set(table["queries"]) == {8}
    for name in metric_names(10):
        values = table[name].to_list()
        assert all(0.0 <= value <= 1.0 for value in values), (name, values)


@pytest.mark.slow
def test_quoted_lines_are_found_first_by_the_ocr_channel(documents_report):
    quotes = [r for r in documents_report.per_query if r.ranking == "ocr" and r.query_id.endswith(":quote")]
    assert len(quotes) == 4
    assert [r.first_relevant_rank for r in quotes] == [1, 1, 1, 1], [r.ranked[:3] for r in quotes]
    # The page's own text, whole (ocr) or as passages (chunks), is the best single channel.
    best = documents_report.best("channel")[0]
    assert best in {"ocr", "chunks"}
    assert f"best single channel by mAP: {best}" in documents_report.summary()


@pytest.mark.slow
def test_the_report_writes_the_table_the_per_query_rows_and_a_chart(documents_report):
    assert_frame_equal(pl.read_csv(documents_report.csv_path), documents_report.table, check_dtypes=False)
    per_query = pl.read_csv(documents_report.per_query_csv_path)
    assert per_query.height == 8 * len(RANKINGS)
    with Image.open(documents_report.chart_path) as chart:
        assert chart.format == "PNG" and chart.size[0] > 600
    assert set(documents_report.timings) == {"ingest", "materialize", "search"}
    assert documents_report.as_json()["queries"] == 8
    # every page of the documents set is a picture of a page: one segment, the others say why not
    assert documents_report.segments["scanned"]["queries"] == 8
    assert set(documents_report.as_json()["segments_not_applicable"]) == {
        "born-digital",
        "rotated",
        "skewed",
        "multi-column",
        "long",
    }
    assert "per segment (weighted fusion)" in documents_report.summary()


def test_every_page_question_has_its_answer_once_on_its_page(tmp_path):
    from mm_assets.operations.page_evaluation import QUESTIONS, page_truths, write_excerpts

    files = write_excerpts(tmp_path)
    truths = page_truths(files, 150)

    assert len(truths) == len(QUESTIONS) and set(files) == {truth.item for truth in truths.values()}
    for truth in truths.values():
        x0, y0, x1, y1 = truth.box
        assert 0 <= x0 < x1 <= 1275 and 0 <= y0 < y1 <= 1650  # a letter page at 150 dpi
        assert y1 - y0 < 200  # a phrase: a line or two, not the page


def test_page_scores_read_the_answering_page_and_box_from_the_evidence():
    from mm_assets.operations.page_evaluation import EvidencePage, PageTruth, page_scores

    truth = PageTruth("pages/a", 3, (100.0, 100.0, 300.0, 120.0))
    ranked = [
        EvidencePage("pages/b", 3, (100.0, 100.0, 300.0, 120.0)),
        EvidencePage("pages/a", 2, (0.0, 0.0, 10.0, 10.0)),
        EvidencePage("pages/a", 3, (90.0, 90.0, 310.0, 160.0)),
    ]

    scores = page_scores(ranked, truth)

    assert scores["page_recall@1"] == 0.0 and scores["page_recall@3"] == 1.0
    assert scores["box_iou"] == pytest.approx(200 * 20 / (220 * 70))
    assert scores["answer_inside"] == 1.0
    assert page_scores([], truth)["box_iou"] == 0.0


# -- per segment (issue 21) ------------------------------------------------------------------------


def test_each_segment_gets_the_figures_of_its_queries_and_the_rest_say_why_they_have_none():
    from mm_assets.operations.evaluation import segment_figures
    from mm_assets.operations.evaluation_base import SEGMENTS, EvalQuery, EvalSet

    queries = (
        EvalQuery("q1", "one", frozenset({"a"}), "documents"),
        EvalQuery("q2", "two", frozenset({"b"}), "documents"),
    )
    eval_set = EvalSet("documents", {}, queries, segments={"a": ("born-digital", "long"), "b": ("scanned",)})
    results = [
        result("q1", "documents", "weighted", ("a", "b")),
        result("q2", "documents", "weighted", ("a", "b")),
        result("q1", "documents", "rrf", ("b", "a")),
        result("q2", "documents", "rrf", ("b",)),
    ]
    figures, not_applicable = segment_figures(eval_set, results, 10)
    assert set(figures) == {"born-digital", "long", "scanned"}
    assert (
        figures["born-digital"]["queries"] == 1 and figures["born-digital"]["rankings"]["weighted"]["recall@1"] == 1.0
    )
    # `result` makes "a" the relevant item: q1 (born-digital) finds it second by rrf, q2 (scanned) never
    assert figures["born-digital"]["rankings"]["rrf"]["map"] == 0.5
    assert figures["scanned"]["rankings"]["rrf"]["map"] == 0.0 and figures["scanned"]["queries"] == 1
    assert set(not_applicable) == {"rotated", "skewed", "multi-column"}
    photos = EvalSet("skimage", {}, queries)
    assert set(segment_figures(photos, results, 10)[1]) == set(SEGMENTS)
    assert "not documents" in segment_figures(photos, results, 10)[1]["scanned"]


def test_the_sets_name_their_segments_and_av_says_why_none_applies(tmp_path):
    from mm_assets.operations.av_evaluation import SEGMENTS_NOT_APPLICABLE
    from mm_assets.operations.evaluation_base import SEGMENTS
    from mm_assets.operations.page_evaluation import pages_set

    documents = documents_set(tmp_path / "d", count=2)
    assert set(documents.segments.values()) == {("scanned",)}
    pages = pages_set(tmp_path / "p")
    assert pages.segments["pages/glpk-introduction"] == ("born-digital", "long")
    assert pages.segments["pages/cnfsat"] == ("born-digital",)
    assert set(SEGMENTS_NOT_APPLICABLE) == set(SEGMENTS) and all(SEGMENTS_NOT_APPLICABLE.values())
