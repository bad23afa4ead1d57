"""The house rules of DESIGN.md, checked on the source: layers import only downward,
no module imports another in a loop, and the library face is imported by no layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Floors, top first: a module may import its own floor and the floors below it.
LAYERS = ("servicesim", "experiments", "scenarios", "simulation", "forecasting")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            found[module_name(path)] = path
    return found


def _runtime_nodes(tree: ast.AST):
    """Import nodes outside ``if TYPE_CHECKING:`` blocks (those never run)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                stack.extend(child.orelse)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            stack.append(child)


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules that ``name`` imports (module-level or inside functions)."""
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def test_every_layer_is_walked(graph):
    assert {name.split(".")[0] for name in graph} == set(LAYERS)
    assert len(graph) > 60


def test_no_upward_imports(graph):
    floor = {layer: i for i, layer in enumerate(LAYERS)}
    upward = sorted(
        f"{src} imports {dst}"
        for src, targets in graph.items()
        for dst in targets
        if floor[dst.split(".")[0]] < floor[src.split(".")[0]]
    )
    assert upward == []


def find_cycles(graph: dict[str, set[str]]) -> list[str]:
    """Depth-first search for back edges; each loop is shown as ``a -> b -> a``."""
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_no_import_cycles(graph):
    assert find_cycles(graph) == []


def test_find_cycles_shows_the_loop():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a -> b -> c -> a"]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path):
    """The walker resolves ``from a import b`` to the module a.b, so a loop is seen."""
    known = {"simulation.a", "simulation.b", "experiments.c"}
    a = tmp_path / "a.py"
    a.write_text("from simulation import b\nfrom experiments.c import thing\n")
    assert imports_of("simulation.a", a, known) == {"simulation.b", "experiments.c"}
    hidden = tmp_path / "h.py"
    hidden.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import simulation.b\n"
    )
    assert imports_of("simulation.a", hidden, known) == set()
