"""The layout holds: packages by layer, the rule between them, and no import cycle anywhere.

The rule is written as import-linter contracts in pyproject.toml; this file runs them, and adds what
contracts cannot say: no cycle between any two modules, counting imports written inside functions
and under TYPE_CHECKING; no module importing its own package's __init__; faces that never reach past
the service into its store; a service that never prints or prompts.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "src" / "tactful"
FACES = ("cli", "web", "worker")


def import_graph(package: str) -> dict[str, set[str]]:
    """Each module of `package` and the modules of it that it imports, wherever the import is written."""
    graph = grimp.build_graph(package, cache_dir=None)
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another, directly or not (Tarjan's strong components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycle() -> None:
    assert cycles(import_graph("tactful")) == []


def test_no_module_imports_its_own_package_init() -> None:
    """Except the root's, which holds the version and imports nothing, so it can close no cycle."""
    graph = import_graph("tactful")
    assert graph["tactful"] == set()
    wrong = [(m, p) for m in graph for p in graph[m] if p != "tactful" and m.rsplit(".", 1)[0] == p]
    assert wrong == []


def test_the_cycle_check_counts_imports_in_functions_and_under_type_checking(
    tmp_path: Path, monkeypatch
) -> None:
    """A package whose only cycles run through an import inside a function and one under TYPE_CHECKING."""
    made = tmp_path / "cyclic"
    made.mkdir()
    (made / "__init__.py").write_text("")
    (made / "a.py").write_text("def f():\n    from . import b\n    return b\n")
    (made / "b.py").write_text("from . import a\n")
    (made / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .d import D\n")
    (made / "d.py").write_text("from .c import *\nclass D: ...\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cycles(import_graph("cyclic")) == [["cyclic.a", "cyclic.b"], ["cyclic.c", "cyclic.d"]]


def test_the_import_contracts_hold(monkeypatch) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_the_top_level_is_a_short_list_of_nouns() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert len(entries) <= 17, entries
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert packages == {
        "playbook",
        "review",
        "compose",
        "formats",
        "store",
        "mail",
        "service",
        "cli",
        "web",
        "worker",
    }


def _modules(folder: str) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("face", FACES)
def test_no_face_reaches_past_the_service_into_its_store(face: str) -> None:
    def is_service(node: ast.expr) -> bool:
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
        return name in ("svc", "service")

    reached = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path, tree in _modules(face)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "store" and is_service(node.value)
    ]
    assert reached == []


def test_the_service_never_prints_or_prompts() -> None:
    said = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path, tree in _modules("service")
        for node in ast.walk(tree)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("print", "input")
        )
        or (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr", "stdin"))
    ]
    assert said == []


def test_the_core_loads_without_the_faces() -> None:
    """Importing the service, and through it the whole core, loads no face and no web library."""
    import subprocess

    script = (
        "import sys, tactful.service.followups, tactful.service.drafting, tactful.service.transfer\n"
        "loaded = [m for m in ('click', 'rich', 'fastapi', 'jinja2', 'tactful.cli', 'tactful.web') if m in sys.modules]\n"
        "print(loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_data_file_of_the_package_is_in_its_package_data() -> None:
    """A wheel carries what pyproject.toml's globs name; a data file that none names would be lost."""
    import fnmatch
    import tomllib

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = globs["package-data"]["tactful"]
    data = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert data, "no data files found"
    lost = [
        f for f in data if not any(fnmatch.fnmatch(f, g) and f.count("/") == g.count("/") for g in patterns)
    ]
    assert lost == []
