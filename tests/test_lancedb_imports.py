"""LanceDB imports with the override marker, still enforcing it; a one-shot `mm search` loads no pandas,
a library caller of the CLI keeps pyarrow's pandas integration (resources/lancedb_imports.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE_ENV = {"PATH": "/usr/bin:/bin", "PYTHONPATH": "."}


def run_probe(code: str, env: dict[str, str] | None = None) -> dict:
    """Run `code` in a fresh interpreter; it prints one JSON line last on stderr."""
    result = subprocess.run(
        [sys.executable, "-c", code], env={**PROBE_ENV, **(env or {})}, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stderr.strip().splitlines()[-1])


def test_lancedb_methods_carry_the_marker_and_an_unmarked_override_is_still_refused():
    found = run_probe(
        "import json, sys, resources, overrides, lancedb\n"
        "from lancedb.db import DBConnection, LanceDBConnection\n"
        "marked = getattr(LanceDBConnection.serialize, '__override__', False)\n"
        "try:\n"
        "    class Unmarked(DBConnection):\n"
        "        def serialize(self): return ''\n"
        "    refused = False\n"
        "except TypeError:\n"
        "    refused = True\n"
        "marker = overrides.override.__module__\n"
        "print(json.dumps({'marked': marked, 'refused': refused, 'marker': marker}), file=sys.stderr)\n"
    )
    assert found == {"marked": True, "refused": True, "marker": "resources.lancedb_imports"}


def test_the_marker_is_not_installed_once_lancedb_is_imported():
    found = run_probe(
        "import json, sys, lancedb\n"
        "from resources.lancedb_imports import use_override_marker\n"
        "print(json.dumps({'installed': use_override_marker()}), file=sys.stderr)\n"
    )
    assert found == {"installed": False}


def search_probe(call: str) -> str:
    return (
        "import gc, json, sys\n"
        "from mm_assets.cli import main\n"
        f"code = {call}\n"
        "pandas_loaded, collecting = 'pandas' in sys.modules, gc.isenabled()\n"
        "import pyarrow as pa\n"
        "frame = pa.table({'a': [1, 2]}).to_pandas()\n"  # pyarrow still converts, importing pandas on demand
        "found = {'code': code, 'pandas': pandas_loaded, 'gc': collecting, 'rows': len(frame)}\n"
        "print(json.dumps(found), file=sys.stderr)\n"
    )


@pytest.mark.parametrize(
    ("call", "library_caller"),
    [
        ("(sys.argv.__setitem__(slice(None), ['mm', 'search', 'a cat', '--tenant', 'demo']), main())[1]", False),
        ("main(['search', 'a cat', '--tenant', 'demo'])", True),
    ],
    ids=["the mm program", "a library caller"],
)
def test_only_a_one_shot_text_search_leaves_pandas_and_the_collector_out(tmp_path, call, library_caller):
    """The `mm` program's text search loads no pandas and turns the cyclic GC off (mm_assets/cli/search.py);
    a caller of `main(argv)` keeps both. pyarrow converts to pandas afterwards either way."""
    found = run_probe(search_probe(call), {"MM_HOME": str(tmp_path / "mm_home")})
    assert found == {"code": 0, "pandas": library_caller, "gc": library_caller, "rows": 2}


def test_nothing_is_done_when_pyarrow_dataset_is_imported_already():
    found = run_probe(
        "import json, sys, pyarrow.dataset\n"
        "from resources.lancedb_imports import import_pyarrow_dataset_without_pandas\n"
        "print(json.dumps({'done': import_pyarrow_dataset_without_pandas(), 'pandas': 'pandas' in sys.modules}),"
        " file=sys.stderr)\n"
    )
    assert found == {"done": False, "pandas": True}
