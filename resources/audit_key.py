"""The per-home secret that keys the search audit's query hashes.

An unkeyed hash of a query can be confirmed by hashing guesses (a phone number typed as a query is
one of few); an HMAC under a secret that never leaves MM_HOME cannot. The secret is made once, on
first use, as a file only its owner can read (mode 0600), beside the home's other state.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

AUDIT_KEY_FILE = "audit.key"
AUDIT_HASH_SCHEME = "hmac-sha256"


def audit_key(home: Path) -> bytes:
    """The home's audit secret, created (mode 0600, never replaced) if there is none yet."""
    path = home / AUDIT_KEY_FILE
    home.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(descriptor, "w") as handle:  # two first searches at once: one creates, one reads
        handle.write(secrets.token_hex(32) + "\n")
    return bytes.fromhex(path.read_text().strip())


def query_hash(key: bytes, text: str, image: bytes | None = None) -> str:
    """HMAC-SHA256 of the query text (and the query image's bytes), hex."""
    mac = hmac.new(key, (text or "").encode(), hashlib.sha256)
    if image is not None:
        mac.update(image)
    return mac.hexdigest()
