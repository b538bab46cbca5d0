"""The shape of the code: no import cycles among `network.*` modules, nothing outside
`network/web/` imports the web layer, and starting the app or the CLI does not load the PDF
and chart stack (fpdf2, Pillow, matplotlib for its fonts), which only a report's rendering
needs."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "network"
# The composition root assembles the API and the pages into one app: the one module outside
# network/web/ that names the web layer (to mount it), as it names every other layer.
COMPOSITION_ROOT = "network.app"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_names(path: Path, name: str) -> Iterator[str]:
    """Every module `name` imports, at the top or inside a function alike (a lazy import
    hides a cycle from Python, not from the design), with relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            # `from network.reports import service` imports the module network.reports.service
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for target in imported_names(path, name):
            if target in known and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each shown as
    one concrete cycle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
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
                found.append(one_cycle(graph, set(component)))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def one_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest path from the component's first module back to itself."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & component):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_inside_functions_count(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from network.reports import service\n")
    assert "network.reports.service" in set(imported_names(module, "network.m"))


def test_no_import_cycles_in_network() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_only_the_web_layer_imports_the_web_layer() -> None:
    offenders = sorted(
        f"{name} imports {target}"
        for name, targets in import_graph().items()
        if name != COMPOSITION_ROOT and not name.startswith("network.web")
        for target in targets if target == "network.web" or target.startswith("network.web.")
    )
    assert not offenders, "outside network/web/:\n" + "\n".join(offenders)


@pytest.mark.parametrize("module", ["network.app", "network.cli"])
def test_starting_does_not_load_the_pdf_and_chart_stack(module: str) -> None:
    probe = (f"import sys, json; import {module}; "
             "print(json.dumps(sorted(m for m in sys.modules"
             " if m.split('.')[0] in ('matplotlib', 'fpdf', 'PIL'))))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_property_tests_are_derandomised_and_free_of_deadlines() -> None:
    """The profile conftest.py loads is in force, and no test's own @settings undoes it."""
    import hypothesis

    assert hypothesis.settings.default.derandomize
    assert hypothesis.settings.default.deadline is None
    overrides = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "settings":
                overrides += [f"{path.name}:{node.lineno} {keyword.arg}"
                              for keyword in node.keywords
                              if keyword.arg in ("deadline", "derandomize", "database")]
    assert not overrides, overrides


def imported_test_modules(path: Path) -> Iterator[tuple[int, str]]:
    """Each import in `path` of a test module or a conftest, in any spelling: `tests.test_x`,
    `test_x`, `tests.conftest`, `conftest`, `from tests import test_x`, with its line."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base] if base else []
            if base in ("", "tests"):  # `from tests import test_x`, `from . import conftest`
                names += [f"{base}.{alias.name}".lstrip(".") for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "tests":
                parts = parts[1:]
            if parts and (parts[0] == "conftest" or parts[0].startswith("test_")):
                yield node.lineno, name


def test_no_test_module_imports_another() -> None:
    """A test module imports shared helpers from tests/support/, never from another test
    module or from conftest.py (which pytest loads itself): so a test module can be moved,
    renamed or run alone, and a helper lives in one place."""
    tests = ROOT / "tests"
    offenders = [f"{path.relative_to(ROOT)}:{line} imports {name}"
                 for path in sorted([*tests.glob("test_*.py"), *tests.rglob("conftest.py"),
                                     *(tests / "support").rglob("*.py")])
                 for line, name in imported_test_modules(path)]
    assert not offenders, "test modules importing test modules:\n" + "\n".join(offenders)
