"""A kind's asset checks, declared on its spec: a verdict function and how the check runs.

Partitioned checks judge each partition of a run (one evaluation each, see checks.py); the builder
writes the decorator, the resources and the reporting once.
"""

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dagster as dg
from dagster import AssetCheckExecutionContext

from mm_assets.artifacts import current_artifacts, open_review
from mm_assets.checks import report_partition_checks
from partitions import content_hash_partitions
from resources.catalog import CatalogResource

Verdict = tuple[bool, dict[str, Any]]


@dataclass(frozen=True)
class KindCheck:
    """One check of a kind's asset. `verdicts(resources, keys)` judges the run's partitions
    (partition -> (passed, metadata)); for an unpartitioned check it judges the asset once."""

    name: str
    verdicts: Callable[[Any, list[str]], Mapping[str, Verdict]] | Callable[[Any, list[str]], Verdict]
    resources: tuple[str, ...] = ("catalog", "media_store")
    blocking: bool = False
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.WARN
    additional_deps: tuple[str, ...] = ()
    partitioned: bool = True
    # the severity from what was found, when it depends on it (a leak masked, or one still there)
    severity_of: Callable[[Any, Mapping[str, Verdict]], dg.AssetCheckSeverity] | None = None

    def build(self, asset: dg.AssetsDefinition) -> dg.AssetChecksDefinition:
        @dg.asset_check(
            asset=asset,
            name=self.name,
            blocking=self.blocking,
            additional_deps=[dg.AssetKey(kind) for kind in self.additional_deps] or None,
            partitions_def=content_hash_partitions if self.partitioned else None,
            required_resource_keys=set(self.resources),
            description=inspect.cleandoc(self.verdicts.__doc__ or "") or None,
        )
        def check(context: AssetCheckExecutionContext) -> dg.AssetCheckResult:  # Dagster reads the annotation
            keys = list(context.partition_keys) if self.partitioned else []
            verdicts = self.verdicts(context.resources, keys)
            if self.partitioned:
                severity = self.severity_of(context.resources, verdicts) if self.severity_of else self.severity  # type: ignore[arg-type]
                return report_partition_checks(  # type: ignore[arg-type]
                    context, asset.key, self.name, verdicts, severity=severity, run_keys=keys
                )
            passed, metadata = verdicts  # type: ignore[misc]
            return dg.AssetCheckResult(passed=passed, severity=self.severity, metadata=metadata)

        return check


def quality_verdicts(
    catalog: CatalogResource,
    kind: str,
    keys: Sequence[str],
    problems_of: Callable[[dict[str, Any], dict[str, Any]], list[str]],
    review_details: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None,
) -> dict[str, Verdict]:
    """Each current artifact's quality figures (its attributes) against `problems_of(row, quality)`;
    one with problems goes to review under `<kind>_quality`, with `review_details` when given."""
    verdicts = {}
    for key, row in current_artifacts(catalog, kind, list(keys)).items():
        quality = row["attributes"] or {}
        problems = problems_of(row, quality)
        if problems:
            details = review_details(row, quality) if review_details else quality
            open_review(catalog, row, f"{kind}_quality: " + "; ".join(problems), details)
        verdicts[key] = (not problems, {**quality, "reason": "; ".join(problems) or "ok"})
    return verdicts
