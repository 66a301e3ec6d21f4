"""The layout of the package: no import cycle, and the build's modules in layers."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kg
import kg.build

PACKAGE = Path(kg.__file__).parent
# kg.build's modules from the top down, as its docstring lists them.
BUILD_LAYERS = ("plan", "stages", "engines", "writers", "outdir", "store", "lock", "clock")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path) -> set[str]:
    """The kg modules that module ``name`` imports anywhere in its code (functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"{path}:{node.lineno}: kg imports by absolute names"
            base = node.module or ""
            # ``from kg.x import y`` imports the module kg.x.y when there is one.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                       for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in MODULES and target != name)
    return found


GRAPH = {name: imported(name, path) for name, path in MODULES.items()}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (its nodes in order), None when it has none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def unit(name: str) -> str:
    """The part of kg a module belongs to: ``kg.build``, ``kg.io``, ``kg.cli``, ..."""
    return ".".join(name.split(".")[:2])


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
    ({"a": {"a"}}, ["a", "a"]),
])
def test_cycle_finds_cycles(graph, expected):
    assert cycle(graph) == expected


def test_the_import_parser_sees_imports_inside_functions():
    assert {"kg.build.plan", "kg.build.stages", "kg.build.engines"} <= GRAPH["kg.build"]
    assert "kg.build.stages" in GRAPH["kg.build.plan"]
    assert "kg.build" in GRAPH["kg.cli"]  # imported inside the command functions


def test_no_module_of_kg_imports_itself_back():
    assert cycle(GRAPH) is None


def test_no_part_of_kg_imports_itself_back():
    units: dict[str, set[str]] = {}
    for name, targets in GRAPH.items():
        units.setdefault(unit(name), set()).update(unit(t) for t in targets if unit(t) != unit(name))
    units.pop("kg", None)  # kg/__init__.py: the version only
    assert cycle(units) is None


def test_the_build_modules_import_only_modules_below_them():
    assert sorted(n for n in MODULES if n.startswith("kg.build.")) == sorted(f"kg.build.{m}" for m in BUILD_LAYERS)
    for index, layer in enumerate(BUILD_LAYERS):
        below = {f"kg.build.{m}" for m in BUILD_LAYERS[index + 1:]}
        inside = {t for t in GRAPH[f"kg.build.{layer}"] if t.startswith("kg.build")}
        assert inside <= below, (layer, inside - below)


def test_the_package_docstring_lists_the_layers_in_order():
    doc = kg.build.__doc__ or ""
    positions = [doc.index(f"``{layer}``") for layer in BUILD_LAYERS]
    assert positions == sorted(positions)
