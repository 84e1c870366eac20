"""Manual pages as real documents without personal data: text nobody here wrote, as a born-digital PDF.

A manual page's source (roff, under /usr/share/man) is set as plain text by groff, then written as a
born-digital PDF by pdf_samples.born_digital_pdf, so `mm eval pii` reads it from a text layer like the
Debian manuals. The words are the package authors'; only the page layout is ours. The pages used are
those of packages every Debian system has (priority `required`); a system without them or without
groff (slim images drop /usr/share/man) skips them.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

from mm_assets.operations.pdf_samples import born_digital_pdf

# characters a line and lines a page: what one page of born_digital_pdf holds (14 pt Helvetica, 1 in margins)
MAN_WIDTH = 64
LINES_PER_PAGE = 27


def is_man_page(path: Path) -> bool:
    return "/man/" in str(path) and path.name.endswith(".gz")


def man_page_available(path: Path) -> bool:
    return path.exists() and shutil.which("groff") is not None


def man_page_lines(path: Path) -> list[str]:
    """The page as groff sets it for a terminal: no bold or underline overstrikes, no hyphenation, one
    continuous page (no running headers repeated every 66 lines)."""
    setting = subprocess.run(
        ["groff", "-man", "-Tutf8", "-P-cbou", "-rHY=0", "-rcR=1", f"-rLL={MAN_WIDTH}n"],
        input=gzip.decompress(path.read_bytes()),
        capture_output=True,
        check=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    lines = [line.strip() for line in setting.stdout.decode("utf-8").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def man_page_pdf(path: Path) -> bytes:
    lines = man_page_lines(path)
    return born_digital_pdf([lines[start : start + LINES_PER_PAGE] for start in range(0, len(lines), LINES_PER_PAGE)])


def manual_pdf(path: Path) -> bytes:
    """A manual's PDF: the file itself, or a manual page set as one."""
    return man_page_pdf(path) if is_man_page(path) else path.read_bytes()
