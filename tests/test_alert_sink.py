"""Alerts on S3: when the store is on S3, every alert is an object beside it, written and read through
dagster-aws's S3 resource, against a real S3 server (SeaweedFS)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from dagster_aws.s3 import S3Resource

from mm_assets.definitions import build_definitions
from mm_assets.settings import load_settings


def test_alerts_on_an_s3_store_are_objects_beside_it_through_dagster_aws(tmp_path, s3_env, monkeypatch):
    prefix = f"alerts-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("MM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MM_STORE", f"s3://{s3_env.bucket}/{prefix}/store")
    sink = build_definitions(load_settings()).resources["alert_sink"]
    assert isinstance(sink.s3, S3Resource)

    sink.send({"type": "run_failed", "asset": "ocr", "message": "first"})
    sink.send({"type": "asset_check_failed", "asset": "pii", "message": "second"})

    assert [alert["message"] for alert in sink.read()] == ["first", "second"]
    listed = s3_env.client().list_objects_v2(Bucket=s3_env.bucket, Prefix=f"{prefix}/store/alerts/")
    keys = [item["Key"] for item in listed.get("Contents", [])]
    assert len(keys) == 2 and all(key.endswith(".json") for key in keys)
    body = s3_env.client().get_object(Bucket=s3_env.bucket, Key=keys[0])["Body"].read()
    assert json.loads(body)["asset"] in {"ocr", "pii"}
    assert not Path(sink.path).exists()  # nothing on the local disk


def test_alerts_on_a_local_store_append_to_the_jsonl_file_and_need_no_s3(mm_settings):
    sink = build_definitions(mm_settings).resources["alert_sink"]
    assert sink.s3 is None
    sink.send({"type": "run_failed", "asset": "ocr", "message": "local"})
    assert [alert["message"] for alert in sink.read()] == ["local"]
    assert Path(sink.path).read_text().count("\n") == 1
