"""Packages whose `__init__` runs only when something asks it for a name.

`import lancedb` imports the LanceDB REST namespace client, `lance_namespace_urllib3_client`, whose
`__init__` imports every generated API class; each decorates its ~30 methods with pydantic's
`validate_call`, which builds a validator per method at import time. That was 0.8 of the 2.0 s of
CPU `import lancedb` took (the largest single cost of a cold `mm search`), for a client
that only a `db://` or namespace connection uses; a local or S3 index never does. LanceDB itself
needs only the package's `models` subpackage, which imports normally.

A deferred package is registered with its real `__path__`, so its submodules import as usual; the
first lookup of a name the `__init__` would have defined (`ApiClient`, `TableApi`, ...) runs the
real `__init__` into the same module object, then answers. So nothing changes for a caller except
when the work is done.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import types
from typing import Any

REST_CLIENT = "lance_namespace_urllib3_client"

_LOCK = threading.RLock()


class _DeferredPackage(types.ModuleType):
    """A package module whose `__init__` has not run yet; the first missing name runs it."""

    def __getattr__(self, name: str) -> Any:
        run_deferred_init(self)
        return types.ModuleType.__getattribute__(self, name)


def defer_package_init(name: str) -> bool:
    """Register `name` with its `__init__` deferred; False (and nothing done) when it is already
    imported, is not installed, or is a plain module rather than a package."""
    with _LOCK:
        if name in sys.modules:
            return False
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            return False
        module = importlib.util.module_from_spec(spec)
        module.__class__ = _DeferredPackage
        sys.modules[name] = module
        return True


def run_deferred_init(module: types.ModuleType) -> None:
    """Run a deferred package's real `__init__` now (once; later calls do nothing)."""
    with _LOCK:
        if not isinstance(module, _DeferredPackage):
            return
        module.__class__ = types.ModuleType  # a plain module again, also while its `__init__` runs
        try:
            module.__spec__.loader.exec_module(module)  # type: ignore[union-attr]
        except BaseException:
            sys.modules.pop(module.__name__, None)  # as a failed import: the next import tries afresh
            raise


def is_deferred(name: str) -> bool:
    return isinstance(sys.modules.get(name), _DeferredPackage)
