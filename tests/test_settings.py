"""Settings come from one place: defaults < YAML file named by MM_CONFIG < environment."""

from __future__ import annotations

import pytest

from mm_assets.settings import SettingsError, load_settings


def test_defaults_put_everything_under_mm_home(tmp_path):
    settings = load_settings({"MM_HOME": str(tmp_path)})
    assert settings.catalog_url == f"sqlite:///{tmp_path / 'catalog.db'}"
    assert settings.store_root == str(tmp_path / "store")
    assert settings.dagster_home == tmp_path / "dagster"
    assert settings.dagster_postgres_url is None and settings.landing is None


def test_yaml_file_is_read_and_environment_wins_over_it(tmp_path):
    config = tmp_path / "mm.yaml"
    config.write_text(f"home: {tmp_path}/h\nmax_pdf_pages: 7\nrun_batch_size: 50\n")
    settings = load_settings({"MM_CONFIG": str(config), "MM_RUN_BATCH_SIZE": "25"})
    assert settings.home == tmp_path / "h"
    assert settings.caps.max_pdf_pages == 7
    assert settings.run_batch_size == 25
    assert settings.source["run_batch_size"] == "$MM_RUN_BATCH_SIZE"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("colour: red\n", "unknown settings"),
        ("max_bytes: lots\n", "must be an integer"),
        ("- a\n", "mapping"),
        ("dagster_event_log: fast\n", "must be one of"),
        ("pii_coverage_mode: ignore\n", "must be one of"),
    ],
)
def test_bad_config_files_name_the_problem(tmp_path, content, message):
    config = tmp_path / "mm.yaml"
    config.write_text(content)
    with pytest.raises(SettingsError, match=message):
        load_settings({"MM_CONFIG": str(config)})


def test_a_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings({"MM_CONFIG": str(tmp_path / "nope.yaml")})


def test_the_pii_coverage_mode_reaches_the_detector_and_its_model_id(tmp_path):
    from mm_assets.model_resources import model_resources

    masking = model_resources(load_settings({"MM_HOME": str(tmp_path)}))["pii_detector"]
    blocking = model_resources(load_settings({"MM_HOME": str(tmp_path), "MM_PII_COVERAGE_MODE": "block"}))[
        "pii_detector"
    ]
    assert (masking.coverage_mode, blocking.coverage_mode) == ("mask", "block")
    assert blocking.model_id() == masking.model_id() + "+coverage-block"  # the other output is another version
