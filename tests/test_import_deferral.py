"""A deferred package runs its `__init__` only when asked for one of its names, and LanceDB works with
its REST client deferred (resources/import_deferral.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from resources.import_deferral import defer_package_init, is_deferred, run_deferred_init


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A real package on disk whose `__init__` leaves a mark in a file each time it runs."""
    root = tmp_path / "deferred_pkg_probe"
    (root / "sub").mkdir(parents=True)
    marks = tmp_path / "marks.txt"
    (root / "__init__.py").write_text(
        textwrap.dedent(f"""
            from pathlib import Path
            with Path({str(marks)!r}).open("a") as f:
                f.write("init\\n")
            from deferred_pkg_probe.heavy import HEAVY
            ANSWER = 42
        """)
    )
    (root / "heavy.py").write_text("HEAVY = 'heavy'\n")
    (root / "sub" / "__init__.py").write_text("from deferred_pkg_probe.sub.leaf import LEAF\n")
    (root / "sub" / "leaf.py").write_text("LEAF = 'leaf'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "deferred_pkg_probe", marks
    for name in [name for name in sys.modules if name.startswith("deferred_pkg_probe")]:
        del sys.modules[name]


def test_submodules_import_without_the_init_and_a_name_runs_it_once(package):
    name, marks = package
    assert defer_package_init(name) and is_deferred(name)
    from deferred_pkg_probe.sub import LEAF

    assert LEAF == "leaf" and not marks.exists()  # the subpackage came without the package's __init__
    assert "deferred_pkg_probe.heavy" not in sys.modules
    import deferred_pkg_probe

    assert deferred_pkg_probe.ANSWER == 42  # a name the __init__ defines: it runs now
    assert marks.read_text() == "init\n" and not is_deferred(name)
    from deferred_pkg_probe import HEAVY

    assert HEAVY == "heavy" and marks.read_text() == "init\n"  # once only
    with pytest.raises(AttributeError):
        deferred_pkg_probe.no_such_name  # noqa: B018 - a missing name is still missing, after the init


def test_nothing_is_deferred_when_already_imported_missing_or_a_plain_module(package):
    name, _ = package
    __import__(name)
    assert not defer_package_init(name)  # already imported
    assert not defer_package_init("no_such_package_anywhere_xyz")
    assert not defer_package_init("json")  # a package, but imported already
    assert not defer_package_init("textwrap")  # a module, not a package


def test_an_init_that_fails_is_a_failed_import_and_the_next_import_tries_again(package, tmp_path):
    name, _ = package
    init = tmp_path / name / "__init__.py"
    good = init.read_text()
    init.write_text("raise RuntimeError('broken on purpose')\n")
    assert defer_package_init(name)
    module = sys.modules[name]
    with pytest.raises(RuntimeError, match="broken on purpose"):
        run_deferred_init(module)
    assert name not in sys.modules
    init.write_text(good)
    for cached in (tmp_path / name / "__pycache__").glob("__init__*"):
        cached.unlink()
    assert __import__(name).ANSWER == 42


def test_lancedb_works_with_its_rest_client_deferred(tmp_path):
    """A fresh process: `import resources` defers the client, a local table is written and searched,
    the API classes never load, and asking the package for its client still gives the real one."""
    probe = textwrap.dedent(f"""
        import json, sys
        import resources, lancedb
        db = lancedb.connect({str(tmp_path / "db")!r})
        table = db.create_table("t", data=[{{"id": 1, "vector": [1.0, 0.0]}}, {{"id": 2, "vector": [0.0, 1.0]}}])
        hit = table.search([0.9, 0.1]).limit(1).to_list()[0]["id"]
        api_loaded = "lance_namespace_urllib3_client.api" in sys.modules
        import lance_namespace_urllib3_client as client
        print(json.dumps({{"hit": hit, "api_loaded": api_loaded, "client": client.ApiClient.__name__,
                          "api_after": "lance_namespace_urllib3_client.api" in sys.modules}}))
    """)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "hit": 1,
        "api_loaded": False,
        "client": "ApiClient",
        "api_after": True,
    }
