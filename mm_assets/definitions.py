"""The Definitions object: only assembles assets, sensors and resources from the settings."""

from __future__ import annotations

import warnings

import dagster as dg

from mm_assets.sensors import build_landing_sensor
from mm_assets.settings import Settings, load_settings
from mm_assets.source_media import build_source_media
from resources.catalog import CatalogResource
from resources.media_store import MediaStoreResource

GRAPH_JOB = "mm_graph"
# BackfillPolicy is beta in 1.13; the warning says nothing a user can act on.
warnings.filterwarnings("ignore", category=dg.BetaWarning)


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    settings = settings or load_settings()
    assets = [build_source_media(settings.run_batch_size)]
    graph_job = dg.define_asset_job(
        GRAPH_JOB,
        selection=dg.AssetSelection.assets(*assets),
        description="Every artifact kind for a batch of content hashes.",
    )
    return dg.Definitions(
        assets=assets,
        jobs=[graph_job],
        sensors=[build_landing_sensor(settings, graph_job)],
        resources={
            "catalog": CatalogResource(url=settings.catalog_url),
            "media_store": MediaStoreResource(root=settings.store_root),
        },
    )


defs = build_definitions()
