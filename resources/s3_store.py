"""Create-only blob store on any S3 API (AWS S3, MinIO, SeaweedFS, ...): LocalBlobStore at scale.

The endpoint comes from MM_S3_ENDPOINT (unset means AWS itself); credentials come from boto3's
standard chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles) and the
region from AWS_REGION. Nothing is contacted until first use; the bucket is then checked once.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import boto3
import botocore.exceptions as boto_errors
import botocore.loaders
import botocore.session
from boto3.s3.transfer import TransferConfig
from botocore.client import BaseClient
from botocore.config import Config

from resources.blob_store import StoreError, check_digest

ENDPOINT_ENV = "MM_S3_ENDPOINT"
DEFAULT_REGION = "us-east-1"
MIB = 1024 * 1024
DEFAULT_TRANSFER_CONFIG = TransferConfig(multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB, max_concurrency=4)

_MISSING_KEY_CODES = {"404", "NoSuchKey", "NotFound"}
_MISSING_BUCKET_CODES = {"NoSuchBucket"}
_ALREADY_EXISTS_CODES = {"412", "PreconditionFailed"}
_REFUSED_CREDENTIAL_CODES = {
    "403",
    "AccessDenied",
    "Forbidden",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
}


class S3StoreError(StoreError):
    """The S3 store failed; the message names the endpoint, the bucket and what to check."""


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """Split `s3://bucket/some/prefix` into ("bucket", "some/prefix")."""
    if not uri.startswith("s3://"):
        raise ValueError(f"{uri!r} is not an S3 root: write it as s3://bucket or s3://bucket/prefix")
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    if not bucket:
        raise ValueError(f"{uri!r} names no bucket: write it as s3://bucket or s3://bucket/prefix")
    return bucket, prefix.strip("/")


def s3_region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


def s3_client_from_env() -> BaseClient:
    """A boto3 S3 client for MM_S3_ENDPOINT (or AWS), with credentials from the standard chain."""
    endpoint = os.environ.get(ENDPOINT_ENV) or None
    config = Config(
        region_name=s3_region(),
        connect_timeout=5,
        retries={"mode": "standard", "max_attempts": 3},
        # Self-hosted S3 APIs serve path-style URLs; virtual hosts would need DNS for each bucket.
        s3={"addressing_style": "path"} if endpoint else {},
        # botocore's default CRC trailers on every request are refused by some S3-compatible APIs.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return _fresh_session().client("s3", endpoint_url=endpoint, config=config)


def _fresh_session() -> boto3.session.Session:
    # A new session re-reads credentials from the environment; the shared loader keeps the parsed
    # service model, which would otherwise cost a few hundred ms per store.
    core = botocore.session.Session()
    core.register_component("data_loader", _shared_loader())
    return boto3.session.Session(botocore_session=core)


@functools.cache
def _shared_loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


def lance_storage_options() -> dict[str, str]:
    """`storage_options` for `lancedb.connect("s3://...")`, from the environment the store uses."""
    options = {"aws_region": s3_region()}
    endpoint = os.environ.get(ENDPOINT_ENV)
    if endpoint:
        options["aws_endpoint"] = endpoint
        if endpoint.startswith("http://"):
            options["allow_http"] = "true"
    for env_name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        if os.environ.get(env_name):
            options[env_name.lower()] = os.environ[env_name]
    return options


class S3BlobStore:
    """Create-only blob store in one bucket under one prefix; keys are POSIX-style relative paths.

    Every object it writes is created with `If-None-Match: *` (AWS S3 has honoured it since
    2024; SeaweedFS does, as the tests show), so a writer racing another on one key cannot
    overwrite it. Each write also checks with a HEAD first, which saves re-uploading existing
    blobs and still protects existing keys on a server that ignores the condition (there, only an
    exact race can overwrite). A `client` passed in gets that condition on all its PutObject and
    CompleteMultipartUpload calls, so do not share it with code that means to overwrite.
    """

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        client: BaseClient | None = None,
        transfer_config: TransferConfig = DEFAULT_TRANSFER_CONFIG,
        list_page_size: int = 1000,
    ):
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.root = f"s3://{bucket}/{self.prefix}" if self.prefix else f"s3://{bucket}"
        self.client = client or s3_client_from_env()
        self.endpoint = self.client.meta.endpoint_url
        self.transfer_config = transfer_config
        self.list_page_size = list_page_size
        self._bucket_checked = False
        # upload_fileobj accepts no IfNoneMatch argument, so the condition is added per request.
        for operation in ("PutObject", "CompleteMultipartUpload"):
            self.client.meta.events.register(
                f"before-parameter-build.s3.{operation}",
                _require_absent,
                unique_id=f"mm-create-only-{operation}",
            )

    @classmethod
    def from_uri(
        cls,
        uri: str,
        *,
        transfer_config: TransferConfig = DEFAULT_TRANSFER_CONFIG,
        list_page_size: int = 1000,
    ) -> S3BlobStore:
        """The store for `s3://bucket/prefix`, on the endpoint named by MM_S3_ENDPOINT."""
        bucket, prefix = parse_s3_uri(uri)
        return cls(bucket, prefix, transfer_config=transfer_config, list_page_size=list_page_size)

    def object_key(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"invalid store key {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{self.object_key(key)}"

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def size(self, key: str) -> int | None:
        head = self._head(key)
        return None if head is None else int(head["ContentLength"])

    def put_bytes_if_absent(self, key: str, data: bytes) -> bool:
        if self.exists(key):
            return False
        object_key = self.object_key(key)
        return self._create(key, lambda: self.client.put_object(Bucket=self.bucket, Key=object_key, Body=data))

    def put_file_if_absent(self, key: str, source: Path, expected_sha256: str | None = None) -> bool:
        """Stream `source` into `key` (in parts when large); SourceChanged if its bytes moved."""
        if self.exists(key):
            return False
        object_key = self.object_key(key)
        with source.open("rb") as handle:
            reader = _DigestCheckingReader(handle, source, expected_sha256)
            return self._create(
                key,
                lambda: self.client.upload_fileobj(reader, self.bucket, object_key, Config=self.transfer_config),
            )

    def read_bytes(self, key: str) -> bytes:
        object_key = self.object_key(key)
        self._ensure_bucket()
        with self._explained(f"read {key}"):
            try:
                response = self.client.get_object(Bucket=self.bucket, Key=object_key)
            except boto_errors.ClientError as error:
                if _error_code(error) in _MISSING_KEY_CODES:
                    raise FileNotFoundError(f"{self.uri(key)} does not exist") from error
                raise
            return response["Body"].read()

    def delete(self, key: str) -> bool:
        # DeleteObject succeeds whether or not the key existed, so ask first to report which.
        if not self.exists(key):
            return False
        with self._explained(f"delete {key}"):
            self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))
        return True

    def list_keys(self, prefix: str) -> Iterator[str]:
        """Keys (relative to the root) at or under the folder-like `prefix`, in key order."""
        folder = prefix.strip("/")
        if folder and self.exists(folder):
            yield folder
            return
        self._ensure_bucket()
        root_prefix = f"{self.prefix}/" if self.prefix else ""
        listing_prefix = f"{self.object_key(folder)}/" if folder else root_prefix
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket,
            Prefix=listing_prefix,
            PaginationConfig={"PageSize": self.list_page_size},
        )
        with self._explained(f"list {prefix or 'the store'}"):
            for page in pages:
                for entry in page.get("Contents", []):
                    yield entry["Key"].removeprefix(root_prefix)

    def _head(self, key: str) -> dict[str, Any] | None:
        object_key = self.object_key(key)
        self._ensure_bucket()
        with self._explained(f"look up {key}"):
            try:
                return self.client.head_object(Bucket=self.bucket, Key=object_key)
            except boto_errors.ClientError as error:
                if _error_code(error) in _MISSING_KEY_CODES:
                    return None
                raise

    def _create(self, key: str, write: Callable[[], object]) -> bool:
        with self._explained(f"write {key}"):
            try:
                write()
            except boto_errors.ClientError as error:
                if _error_code(error) in _ALREADY_EXISTS_CODES:
                    return False
                raise
        return True

    def _ensure_bucket(self) -> None:
        if self._bucket_checked:
            return
        with self._explained("open the bucket"):
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except boto_errors.ClientError as error:
                if _error_code(error) in _MISSING_KEY_CODES | _MISSING_BUCKET_CODES:
                    raise self._missing_bucket() from error
                raise
        self._bucket_checked = True

    def _missing_bucket(self) -> S3StoreError:
        return S3StoreError(
            f"bucket {self.bucket!r} does not exist at S3 endpoint {self.endpoint}: create it, "
            f"or fix the bucket in the store root {self.root!r} (and {ENDPOINT_ENV} if the "
            "endpoint is wrong)"
        )

    @contextmanager
    def _explained(self, action: str) -> Iterator[None]:
        """Turn botocore failures into S3StoreError messages that say what to check."""
        where = f"bucket {self.bucket!r} at S3 endpoint {self.endpoint}"
        try:
            yield
        except boto_errors.NoCredentialsError as error:
            raise S3StoreError(
                f"no S3 credentials to {action} in {where}: set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY (or an AWS profile)"
            ) from error
        except boto_errors.ConnectionError as error:
            raise S3StoreError(
                f"cannot reach S3 endpoint {self.endpoint} to {action} in bucket "
                f"{self.bucket!r}: check {ENDPOINT_ENV} and that the server is running ({error})"
            ) from error
        except boto_errors.ClientError as error:
            code = _error_code(error)
            if code in _MISSING_BUCKET_CODES:
                raise self._missing_bucket() from error
            if code in _REFUSED_CREDENTIAL_CODES:
                raise S3StoreError(
                    f"{where} refused the credentials to {action} ({code}): check "
                    "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and the key's rights on the bucket"
                ) from error
            raise S3StoreError(f"could not {action} in {where}: {code} {error}") from error
        except boto_errors.BotoCoreError as error:
            raise S3StoreError(f"could not {action} in {where}: {error}") from error


def _require_absent(params: dict[str, Any], **_: Any) -> None:
    params.setdefault("IfNoneMatch", "*")


def _error_code(error: boto_errors.ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class _DigestCheckingReader:
    """A forward-only reader that hashes what it hands out and checks the digest at end of file.

    Being unseekable, it is read exactly once, in order; s3transfer reads such a stream to its
    end before it sends the final PutObject or CompleteMultipartUpload, so a mismatch raised at
    end of file aborts the upload before anything is stored.
    """

    def __init__(self, handle: BinaryIO, source: Path, expected_sha256: str | None):
        self._handle = handle
        self._source = source
        self._expected = expected_sha256
        self._digest = hashlib.sha256()

    def read(self, size: int | None = -1) -> bytes:
        chunk = self._handle.read(size)
        self._digest.update(chunk)
        # A short or unbounded read is end of file, however many times the file grew before it.
        if size is None or size < 0 or len(chunk) < size:
            check_digest(self._source, self._digest.hexdigest(), self._expected)
        return chunk
