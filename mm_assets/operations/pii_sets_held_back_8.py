"""`held_back_8`: the eighth slice held back from tuning the PII redactor, written 2026-12-03 before
the `pii-patterns-v11` changes for precision on single manuals, and run once, at the end, only to report.

It holds one real manual and nothing else: Gutenprint's user manual (`gutenprint-doc`'s
gutenprint-users-manual.pdf, 73 pages, which `make system-deps` installs), a manual no PII slice used
and that was not under /usr/share/doc before our installs. It measures the share of words redacted on a
single manual that nobody tuned on; recall is measured by the earlier slices (all tuning material).
"""

from __future__ import annotations

from mm_assets.operations.pii_sets import Manual

MANUALS: tuple[Manual, ...] = (("gutenprint-doc", "/usr/share/doc/gutenprint-doc/gutenprint-users-manual.pdf"),)
