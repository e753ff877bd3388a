"""The package layering of docs/design.md ("Layout"), checked on the source with `ast`.

(a) A module imports only its own unit and units below it in LAYERS: every import counts,
    module-level or inside a function, and so does a string naming a graphoid module (what
    `importlib.import_module` gets); only `if TYPE_CHECKING:` blocks are exempt (they never run).
(b) The module-level imports of all graphoid modules form no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "graphoid"

# Lowest first. A unit is a package (with its subpackages) or a single module; "graphoid" is the
# public API in graphoid/__init__.py. The distributed runtime sits on the runtime facade (a
# worker is a whole interpreter) and registers its Graphoid module there; the front ends sit on top.
LAYERS = (
    "graphoid.resources",
    "graphoid.usercache",
    "graphoid.errors",
    "graphoid.syntax",
    "graphoid.values",
    "graphoid.compiler",
    "graphoid.graphs",
    "graphoid.messaging",
    "graphoid.concurrency",
    "graphoid.runtime",
    "graphoid.library",
    "graphoid.distributed",
    "graphoid",
    "graphoid.console",
    "graphoid.spec",
    "graphoid.repl",
    "graphoid.cli",
    "graphoid.__main__",
)


class Import(NamedTuple):
    source: str
    target: str
    line: int
    module_level: bool


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _ImportCollector(ast.NodeVisitor):
    """Every graphoid module a module's code names, with whether it runs at import time."""

    def __init__(self, module: str, is_package: bool, known: frozenset[str]) -> None:
        self.module, self.is_package, self.known = module, is_package, known
        self.depth = 0
        self.found: list[Import] = []

    def _nested(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _nested

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        for statement in node.orelse:
            self.visit(statement)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._base(node)
        for alias in node.names:
            self._add(f"{base}.{alias.name}", node.lineno)

    def visit_Constant(self, node: ast.Constant) -> None:
        # importlib.import_module("graphoid.x.y") and tables of such names are imports too
        if isinstance(node.value, str) and node.value.startswith("graphoid.") and node.value in self.known:
            self.found.append(Import(self.module, node.value, node.lineno, False))

    def _base(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        parts = self.module.split(".")
        if not self.is_package:
            parts.pop()
        parts = parts[: len(parts) - (node.level - 1)]
        return ".".join(parts + ([node.module] if node.module else []))

    def _add(self, name: str, line: int) -> None:
        # `from pkg import name` names a submodule or an attribute of pkg: the longest known module
        while name and name not in self.known:
            name = name.rpartition(".")[0]
        if name:
            self.found.append(Import(self.module, name, line, self.depth == 0))


def collect_imports(sources: dict[str, tuple[str, bool]]) -> list[Import]:
    """sources: module name -> (source text, is a package __init__)."""
    known = frozenset(sources)
    found: list[Import] = []
    for module, (text, is_package) in sources.items():
        collector = _ImportCollector(module, is_package, known)
        collector.visit(ast.parse(text))
        found.extend(item for item in collector.found if item.target != module)
    return found


def unit_of(module: str) -> str | None:
    matches = [unit for unit in LAYERS if module == unit or (unit != "graphoid" and module.startswith(unit + "."))]
    return max(matches, key=len) if matches else None


def layer_violations(imports: list[Import]) -> list[str]:
    rank = {unit: index for index, unit in enumerate(LAYERS)}
    problems = []
    for item in imports:
        source_unit, target_unit = unit_of(item.source), unit_of(item.target)
        if source_unit is None or target_unit is None:
            problems.append(f"{item.source}:{item.line}: {item.target}: module outside every layer")
        elif rank[target_unit] > rank[source_unit]:
            problems.append(f"{item.source}:{item.line} imports {item.target} ({target_unit} is above {source_unit})")
    return problems


def find_cycle(imports: list[Import]) -> list[str] | None:
    """One cycle of module-level imports as [a, b, ..., a], or None."""
    edges: dict[str, set[str]] = {}
    for item in imports:
        if item.module_level:
            edges.setdefault(item.source, set()).add(item.target)
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(edges):
        if module not in state:
            cycle = visit(module)
            if cycle:
                return cycle
    return None


def _package_sources() -> Iterator[tuple[str, tuple[str, bool]]]:
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        yield module_name(path, PACKAGE_DIR), (path.read_text(encoding="utf-8"), path.name == "__init__.py")


@pytest.fixture(scope="module")
def graphoid_imports() -> list[Import]:
    return collect_imports(dict(_package_sources()))


def test_every_module_belongs_to_a_layer() -> None:
    assert [name for name, _ in _package_sources() if unit_of(name) is None] == []


def test_imports_point_down_the_layers(graphoid_imports: list[Import]) -> None:
    assert layer_violations(graphoid_imports) == []


def test_module_level_imports_have_no_cycle(graphoid_imports: list[Import]) -> None:
    cycle = find_cycle(graphoid_imports)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


# ------------------------------------------------------------------ the checker itself

def _fake(**modules: str) -> list[Import]:
    return collect_imports({name.replace("__", "."): (text, False) for name, text in modules.items()})


def test_checker_flags_an_upward_import_even_inside_a_function() -> None:
    imports = _fake(
        graphoid__values__ops="def f():\n    from graphoid.graphs.graph import Graph\n",
        graphoid__graphs__graph="X = 1\n",
    )
    assert layer_violations(imports) == [
        "graphoid.values.ops:2 imports graphoid.graphs.graph (graphoid.graphs is above graphoid.values)"
    ]


def test_checker_flags_a_module_name_given_to_importlib() -> None:
    imports = _fake(
        graphoid__syntax__parser="import importlib\nimportlib.import_module('graphoid.runtime.helpers')\n",
        graphoid__runtime__helpers="X = 1\n",
    )
    assert len(layer_violations(imports)) == 1


def test_checker_ignores_type_checking_imports() -> None:
    imports = _fake(
        graphoid__errors="from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from graphoid.syntax.ast import Span\n",
        graphoid__syntax__ast="Span = object\n",
    )
    assert imports == []


def test_checker_finds_a_module_level_cycle_but_not_a_lazy_one() -> None:
    looped = _fake(
        graphoid__graphs__a="from graphoid.graphs import b\n",
        graphoid__graphs__b="from graphoid.graphs.a import X\n",
    )
    assert find_cycle(looped) == ["graphoid.graphs.a", "graphoid.graphs.b", "graphoid.graphs.a"]
    lazy = _fake(
        graphoid__graphs__a="from graphoid.graphs import b\n",
        graphoid__graphs__b="def f():\n    from graphoid.graphs.a import X\n",
    )
    assert find_cycle(lazy) is None
