"""Imports point down and never go round in a circle.

The product code is layered; a module may import its own layer or a lower one, never a higher one:

    4  mm_assets.cli, mm_assets.definitions,     assemble and drive everything (the server is
       mm_assets.server                          `mm serve`: it drives what the CLI drives)
    3  mm_assets.kinds.*                         one module per artifact kind
    2  mm_assets.operations.*,                   what users do: ingest, search, evaluate, status;
       mm_assets.artifacts, mm_assets.checks,    and the kinds' shared shell: the spec, the
       mm_assets.kind_spec, kind_builder,        builder that turns a spec into an asset, and
       kind_checks                               the checks a spec declares
    1  mm_assets.orchestration.*                 how runs happen: instance, runs, sensors, alerts
    0  mm_assets.model_resources, resources.*,   the parts: models, stores, catalog, index, page
       partitions, expectations,                 layout, the catalog's Great Expectations suites
       mm_assets.page_layout, mm_assets.dagster_internals (Dagster's private API, fenced)
   -1  mm_assets.settings, mm_assets.caps,       configuration and the defaults it needs
       mm_assets (the package itself, which every module imports)

`artifacts` is the kinds' shell (asset factory, batch, reuse) but also how an artifact is recorded
and read (current rows, supersede), which operations need (lifecycle, search, fsck); it uses
operations/compare and orchestration, never a kind, so it sits with operations, below the kinds.
`checks` (per-partition check results) and `payload_staging` (how its batch publishes payloads) go with it.
`expectations` builds an asset check, but it
checks the catalog's tables and reads only resources, so it sits with them. Operations drive
orchestration (ingest submits runs), never the reverse: a sensor that needs ingest gets it handed
in. Every import counts, including ones inside functions and under TYPE_CHECKING: a deferred import
still couples the two modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_PACKAGES = ("mm_assets", "resources", "partitions", "expectations")

# Most specific prefix first; a module takes the layer of the first prefix it equals or lies under.
LAYERS: list[tuple[str, int]] = [
    ("mm_assets.cli", 4),
    ("mm_assets.definitions", 4),
    ("mm_assets.server", 4),
    ("mm_assets.kinds", 3),
    ("mm_assets.operations", 2),
    ("mm_assets.artifacts", 2),
    ("mm_assets.payload_staging", 2),
    ("mm_assets.checks", 2),
    ("mm_assets.kind_spec", 2),
    ("mm_assets.kind_builder", 2),
    ("mm_assets.kind_checks", 2),
    ("mm_assets.orchestration", 1),
    ("mm_assets.model_resources", 0),
    ("mm_assets.page_layout", 0),
    ("mm_assets.dagster_internals", 0),
    ("resources", 0),
    ("partitions", 0),
    ("expectations", 0),
    ("mm_assets.settings", -1),
    ("mm_assets.caps", -1),
    ("mm_assets", -1),
]

# Upward imports another part of issue 17 removes while rewriting the file (each: who, how). Any
# other upward import fails the test, and so does an entry here once its import is gone.
PENDING_UPWARD: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_modules() -> dict[str, Path]:
    modules = {}
    for package in PRODUCT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            modules[module_name(path)] = path
    return modules


def layer_of(module: str) -> int:
    for prefix, layer in LAYERS:
        if module == prefix or module.startswith(prefix + "."):
            return layer
    raise AssertionError(f"{module} has no layer: add it to LAYERS in tests/test_layers.py")


def imported_modules(module: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """Yield (product module imported, line) for every import in the file, at any depth."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _innermost_known(alias.name, known)
                if target:
                    yield target, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _absolute_base(module, is_package, node)
            for alias in node.names:
                # `from pkg import name` imports the submodule pkg.name when there is one.
                target = _innermost_known(f"{base}.{alias.name}", known) or _innermost_known(base, known)
                if target:
                    yield target, node.lineno


def _absolute_base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def _innermost_known(name: str, known: dict[str, Path]) -> str | None:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return None


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {imported product module: first line importing it}."""
    modules = product_modules()
    graph: dict[str, dict[str, int]] = {name: {} for name in modules}
    for name, path in modules.items():
        for target, line in imported_modules(name, path, modules):
            if target != name:
                graph[name].setdefault(target, line)
    return graph


def upward_imports(graph: dict[str, dict[str, int]]) -> list[str]:
    found = []
    for module, targets in sorted(graph.items()):
        for target, line in sorted(targets.items()):
            if layer_of(target) > layer_of(module) and (module, target) not in PENDING_UPWARD:
                found.append(f"{module}:{line} imports {target} (layer {layer_of(module)} -> {layer_of(target)})")
    return found


def import_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def describe_cycle(component: list[str], graph: dict[str, dict[str, int]]) -> str:
    members = set(component)
    edges = [
        f"{module}:{line} -> {target}"
        for module in component
        for target, line in sorted(graph[module].items())
        if target in members
    ]
    return "; ".join(edges)


def test_every_product_module_has_a_layer():
    for module in product_modules():
        layer_of(module)


def test_no_module_imports_a_higher_layer():
    upward = upward_imports(import_graph())
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)


def test_pending_upward_imports_are_still_there():
    graph = import_graph()
    gone = [f"{module} -> {target}" for module, target in PENDING_UPWARD if target not in graph.get(module, {})]
    assert not gone, "fixed, so remove from PENDING_UPWARD: " + ", ".join(gone)


def test_no_import_cycle():
    graph = import_graph()
    cycles = [describe_cycle(component, graph) for component in import_cycles(graph)]
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_checker_sees_imports_inside_functions_and_relative_imports(tmp_path):
    # The checks above pass only if the reader finds every import; pin that it does.
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def f():\n    from .high import g\n    return g\n")
    (package / "high.py").write_text("import pkg.low\nfrom pkg import low as again\n")
    known = {"pkg": package / "__init__.py", "pkg.low": package / "low.py", "pkg.high": package / "high.py"}
    assert list(imported_modules("pkg.low", known["pkg.low"], known)) == [("pkg.high", 2)]
    assert sorted(imported_modules("pkg.high", known["pkg.high"], known)) == [("pkg.low", 1), ("pkg.low", 2)]
    graph = {"pkg": {}, "pkg.low": {"pkg.high": 2}, "pkg.high": {"pkg.low": 1}}
    assert import_cycles(graph) == [["pkg.high", "pkg.low"]]


def defined_names(path: Path) -> set[str]:
    """The names a module binds at its top level (in if/try/with blocks too)."""
    names: set[str] = set()
    body = list(ast.parse(path.read_text(), filename=str(path)).body)
    while body:
        node = body.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            body += [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]
            body += [statement for handler in getattr(node, "handlers", []) for statement in handler.body]
    return names


def test_every_name_imported_from_a_product_module_is_defined_there():
    # A split module leaves importers behind; a deferred import fails only when its command runs
    # (`mm eval av` imported `skimage_pixels` from evaluation after it had moved to skimage_set).
    known = product_modules()
    defined = {module: defined_names(path) for module, path in known.items()}
    missing = []
    for module, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.ImportFrom):
                continue
            base = _absolute_base(module, path.name == "__init__.py", node)
            if base not in known:
                continue
            for alias in node.names:
                if alias.name != "*" and alias.name not in defined[base] and f"{base}.{alias.name}" not in known:
                    missing.append(f"{module}:{node.lineno} imports {alias.name} from {base}, which has none")
    assert not missing, "\n".join(missing)
