"""Receive one multipart upload into a private temporary folder, capping the body while it streams.

The cap is the gate's own byte cap (MM_MAX_BYTES) plus room for the multipart framing: a body past
it is refused (413) as soon as that many bytes have arrived, before the rest is read or stored.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from mm_assets.server.errors import ApiError

FRAMING_BYTES = 64 * 1024  # headers, boundaries and the small form fields around the file
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ReceivedUpload:
    folder: Path  # removed by discard()
    path: Path | None  # the uploaded file, named as the client named it (made safe)
    fields: dict[str, str]

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


async def receive_upload(request: Request, max_bytes: int, work_dir: Path, file_field: str) -> ReceivedUpload:
    limit = max_bytes + FRAMING_BYTES
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "too_large", f"the body is {declared} bytes; the limit is {max_bytes} bytes per file")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(415, "unsupported_type", f"send multipart/form-data with the file in the field {file_field!r}")
    try:
        form = await MultiPartParser(request.headers, _capped(request.stream(), limit, max_bytes), max_files=1).parse()
    except MultiPartException as exc:
        raise ApiError(400, "bad_request", f"the multipart body does not parse: {exc}") from exc
    work_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=work_dir))
    received = ReceivedUpload(folder, None, {})
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                if name == file_field:
                    received.path = folder / _safe_name(value.filename)
                    with received.path.open("wb") as out:
                        shutil.copyfileobj(value.file, out, 1 << 20)
                await value.close()
            else:
                received.fields[name] = value
    except BaseException:
        received.discard()
        raise
    return received


async def _capped(stream: AsyncIterator[bytes], limit: int, max_bytes: int) -> AsyncIterator[bytes]:
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > limit:
            raise ApiError(413, "too_large", f"the body passed {limit} bytes; the limit is {max_bytes} bytes per file")
        yield chunk


def _safe_name(filename: str | None) -> str:
    """The client's file name without folders or odd characters (it becomes original_name)."""
    name = _UNSAFE_NAME.sub("_", Path(filename or "upload").name).strip("._") or "upload"
    return name[:128]
