"""The server's search answer (mm_assets/server/routers/search.py: `search_json`) carries the same JSON
values as `mm search --json` (`SearchResponse.as_json()`), for every evidence shape, in one pass."""

from __future__ import annotations

import json

from mm_assets.operations.search import SearchResponse
from mm_assets.server.routers.search import search_json
from mm_assets.server.schemas import SearchBody
from resources.index_fusion import SearchHit


def _hits() -> list[SearchHit]:
    return [
        SearchHit(
            content_hash="a" * 64,
            tenant_id="demo",
            score=2.237460970878601,
            channels={"ocr": {"score": 0.5969634056091309, "rank": 1}, "chunk_text": {"score": 0.53, "rank": 2}},
            provenance={"ocr": {"artifact_id": "x1", "model": "tesseract-5.3", "params": {"dpi": 200}}},
            caption="an invoice",
            modality="document",
            evidence=[
                {
                    "page": 1,
                    "bbox": [10.0, 20.5, 300.0, 44.0],
                    "block_bbox": [10.0, 20.5, 600.0, 200.0],
                    "text": "Total due: 1,234.00 €",
                    "channel": "chunk_text",
                    "score": 0.53,
                },
            ],
        ),
        SearchHit(
            content_hash="b" * 64,
            tenant_id="demo",
            score=0.9,
            channels={"chunk_text": {"score": 0.41, "rank": 3}},
            provenance={},
            caption="",
            modality="audio",
            evidence=[{"t_start": 1.5, "t_end": 4.25, "text": "call me back", "channel": "chunk_text", "score": 0.41}],
        ),
        SearchHit("c" * 64, "demo", 0.1, {"visual": {"score": -0.007, "rank": 8}}, {"pages": None}, "a cat", "image"),
    ]


def test_the_server_answer_holds_the_cli_json_values():
    for caption in (None, "a rocket on its launch pad"):
        response = SearchResponse(results=_hits(), query_caption=caption, stage_ms={"total": 1.0})
        answer = search_json(response)
        assert answer.media_type == "application/json"
        cli = json.loads(json.dumps(response.as_json()))
        assert json.loads(answer.body) == cli
        # and it is what the documented response model says
        assert SearchBody.model_validate_json(answer.body).model_dump(mode="json") == json.loads(answer.body)


def test_no_results_is_an_empty_list():
    answer = search_json(SearchResponse(results=[], query_caption=None))
    assert json.loads(answer.body) == {"results": [], "query_caption": None}
