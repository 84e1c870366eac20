"""Values a line's or a cell's end broke in two (pii-patterns-v21).

A form's narrow cell breaks an e-mail address after its `@` (`results to jane-doe@` then `example.org` on the
next line), and the page's joined text shows the break as a space. The address is rejoined by its structure, a
local part, the `@` at the break and a domain with a dot and a top-level domain, whatever its letters, and
redacted on both lines: the finding spans the break, so each line's span gets its own box
(resources/pii_redaction.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from resources.pii_patterns import PiiFinding

# a local part, the `@` and a break after it (spaces, a line's end), then a domain; a break before the `@` is left
# alone (`a @ b.shape` is a matrix product in a manual's code, `use @functools.wraps` a decorator)
_BROKEN_EMAIL_RE = re.compile(
    r"(?<![\w.@%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[ \t\n]+"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{2,}(?![\w@-])"
)
MAX_LOCAL_CHARS = 64


def broken_emails(text: str) -> Iterator[PiiFinding]:
    """E-mail addresses broken at their `@` by a line's end or a space."""
    for match in _BROKEN_EMAIL_RE.finditer(text):
        local = match.group().split("@", 1)[0]
        if len(local) <= MAX_LOCAL_CHARS:
            yield PiiFinding("email", match.start(), match.end(), 0.9, "broken")


# (v23) a break before the `@` too, inside a personal document only (resources/pii_default_deny.py), where no
# manual's code stands: OCR put a space into `YAMANI.NAY @TSKL.NET.KI`; the domain holds a dot
_SPACED_EMAIL_RE = re.compile(
    r"(?<![\w.@%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*[ \t]+@[ \t]*"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{2,}(?![\w@-])"
)


def spaced_emails(text: str) -> Iterator[PiiFinding]:
    """E-mail addresses OCR or a line's end broke before their `@`."""
    for match in _SPACED_EMAIL_RE.finditer(text):
        if len(match.group().split("@", 1)[0].rstrip()) <= MAX_LOCAL_CHARS:
            yield PiiFinding("email", match.start(), match.end(), 0.9, "default-deny")
