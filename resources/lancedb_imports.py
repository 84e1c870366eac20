"""Two import-time costs of LanceDB that a cold `mm search` need not pay (issue 20).

1. `override`: on Python 3.12 and later LanceDB marks its overriding methods with `typing.override`, a
   marker. On 3.11 (ours) it takes `override` from the `overrides` package, which checks each of its ~105
   decorated methods when the class is defined: it disassembles the class body's bytecode to find the
   base classes, then compares signatures: ~0.1 s of CPU in every process that imports LanceDB, for
   checks meant for LanceDB's own developers. `use_override_marker` gives LanceDB the 3.12 behaviour:
   the same `__override__` mark, which `overrides.EnforceOverrides` (still in force) checks for. Nothing
   else installed uses the `overrides` package.
2. pandas: `pyarrow.dataset`'s module init asks pyarrow's pandas shim whether `True` is a pandas object,
   and the shim imports pandas to answer (0.13-0.17 s of CPU). `import_pyarrow_dataset_without_pandas`
   imports `pyarrow.dataset` while pandas cannot be imported, so the shim records "no pandas" and pandas
   is never loaded by a search. The record stays for the process: pyarrow's checks whether a value is a
   pandas object answer no (`to_pandas`/`from_pandas` still import pandas when called), so only a
   process that ends after its search (the `mm search` command) does it, never a library caller.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Callable
from typing import Any


def _mark_override(method: Callable[..., Any]) -> Callable[..., Any]:
    """What `typing.override` does on 3.12: mark the method, check nothing."""
    method.__override__ = True  # type: ignore[attr-defined]
    return method


def use_override_marker() -> bool:
    """Make `from overrides import override` give the marker; False (nothing done) once LanceDB has
    been imported (it took the checking decorator already) or without the `overrides` package."""
    if "lancedb.db" in sys.modules:
        return False
    try:
        import overrides
    except ImportError:
        return False
    overrides.override = _mark_override
    return True


class _NoPandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError(f"{name} is left out of this process's pyarrow.dataset import")


def import_pyarrow_dataset_without_pandas() -> bool:
    """Import `pyarrow.dataset` with pandas out of reach (see the module doc); False (nothing done) when
    either is imported already. Only for a process that ends after its search."""
    if "pyarrow.dataset" in sys.modules or "pandas" in sys.modules:
        return False
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        import pyarrow.dataset  # noqa: F401 - the import is the point
    finally:
        sys.meta_path.remove(finder)
    return True
