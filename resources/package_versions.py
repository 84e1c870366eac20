"""Installed package versions, read once per process.

A model resource's id names the versions of the packages it runs, and the kind builder asks for every
model id of a kind before each of its steps (`kind_builder.check_models`): reading a package's metadata
parses its METADATA file each time, ~40 reads per photo upload. The code a process runs is the code it
imported, so an upgrade on disk after that is not the version it runs anyway.
"""

from __future__ import annotations

import importlib.metadata
from functools import cache


@cache
def installed_version(distribution: str) -> str:
    """`importlib.metadata.version(distribution)`, kept; PackageNotFoundError is raised (and asked again)."""
    return importlib.metadata.version(distribution)
