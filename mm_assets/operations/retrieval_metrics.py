"""Ranking metrics of the retrieval evaluation, with binary relevance: Recall@k, mAP, NDCG@k."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence


def recall_at(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Share of the relevant items found in the top k."""
    if not relevant:
        raise ValueError("a query needs at least one relevant item")
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def average_precision(ranked: Sequence[str], relevant: Collection[str]) -> float:
    """Mean of precision@r over the ranks r of the relevant items; unranked relevant ones add 0."""
    if not relevant:
        raise ValueError("a query needs at least one relevant item")
    hits, total = 0, 0.0
    for rank, name in enumerate(ranked, 1):
        if name in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def ndcg_at(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """DCG of the top k (gain 1 per relevant item, discount log2(rank + 1)) over the ideal DCG."""
    if not relevant:
        raise ValueError("a query needs at least one relevant item")
    dcg = sum(1.0 / math.log2(rank + 1) for rank, name in enumerate(ranked[:k], 1) if name in relevant)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


def metric_names(k: int) -> list[str]:
    return [f"recall@{cut}" for cut in recall_cutoffs(k)] + ["map", f"ndcg@{k}"]


def recall_cutoffs(k: int) -> list[int]:
    return sorted({1, 5, k})


def ranking_metrics(ranked: Sequence[str], relevant: Collection[str], k: int) -> dict[str, float]:
    metrics = {f"recall@{cut}": recall_at(ranked, relevant, cut) for cut in recall_cutoffs(k)}
    metrics["map"] = average_precision(ranked, relevant)
    metrics[f"ndcg@{k}"] = ndcg_at(ranked, relevant, k)
    return metrics
