"""`mm search` against a running `mm serve` (MM_SERVER_URL, key in MM_API_KEY): stdlib HTTP only,
so the CLI imports no models, no index and no Dagster for it."""

from __future__ import annotations

import argparse
import json
import mimetypes
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

TIMEOUT_S = 120


class RemoteError(RuntimeError):
    """The server answered an error; the message is its own."""


def remote_search(server_url: str, key: str, args: argparse.Namespace) -> dict[str, Any]:
    if not key:
        raise RemoteError("MM_SERVER_URL is set but MM_API_KEY is not: create a key with `mm keys create`")
    params = {"k": str(args.k), "fusion": args.fusion}
    if args.where is not None:
        params["where"] = args.where
    if getattr(args, "include_sensitive", False):
        params["include_sensitive"] = "true"  # the server allows it for admin keys only
    if args.tenant:
        params["tenant"] = args.tenant  # honoured for admin keys; a tenant key may only name its own
    base = server_url.rstrip("/") + "/v1/search"
    if args.image:
        fields = {**params, **({"q": args.text} if args.text else {})}
        body, content_type = _multipart(fields, "image", Path(args.image))
        request = urllib.request.Request(base, data=body, method="POST", headers={"Content-Type": content_type})
    else:
        request = urllib.request.Request(f"{base}?{urllib.parse.urlencode({'q': args.text, **params})}")
    request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        try:
            problem = json.loads(exc.read())
            message = f"{problem.get('error')}: {problem.get('message')}"
        except ValueError:
            message = str(exc)
        raise RemoteError(f"{server_url} answered {exc.code}: {message}") from exc
    except urllib.error.URLError as exc:
        raise RemoteError(f"cannot reach {server_url}: {exc.reason}") from exc


def _multipart(fields: dict[str, str], file_field: str, path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{path.name}"\r\n'
        f"Content-Type: {mime}\r\n\r\n".encode()
        + path.read_bytes()
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
