"""The shape of the code: no import cycles (imports inside functions count too), and ui/ holds no storage.

Read from the source with ast, so an import hidden in a function body is seen as well.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tracker", "ui")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of our own modules in ``path``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
              for n in ast.walk(f) if n is not f}
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # «from . import x» names a module x; «from .m import f» names module m
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
        for target in targets:
            if target in known and target != name:
                found.append((target, node.lineno, id(node) in nested))
    return found


def _graph() -> dict[str, list[tuple[str, int, bool]]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, list[tuple[str, int, bool]]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target, _, _ in graph[node]:
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
                result.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return result


def test_the_import_graph_is_read_whole():
    graph = _graph()
    assert any(t == "tracker.progress.fields" and not inside for t, _, inside in graph["tracker.progress.records"])
    # an import inside a function is an edge too (the report commands load openpyxl only when run)
    assert any(t == "tracker.report.export" and inside for t, _, inside in graph["tracker.cli.reports"])
    assert any(t == "tracker.report.layout" for t, _, _ in graph["tracker.report.export"])  # «from . import layout»


def test_no_import_cycles_counting_imports_inside_functions():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function():
    graph = {"a": [("b", 1, False)], "b": [("c", 1, False)], "c": [("a", 9, True)], "d": [("a", 1, False)]}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_imports_inside_functions_are_few_and_say_why():
    """Kept only where they save start-up time (openpyxl for reports, Qt after the arguments): with a comment."""
    for name, path in _modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    line = lines[node.lineno - 1]
                    assert "#" in line, f"{name}:{node.lineno}: an import inside a function needs a comment saying why"


def test_ui_holds_no_storage_and_no_sql():
    """Qt code asks tracker; it never reaches for peewee or the models itself."""
    offenders = []
    for name, path in _modules().items():
        if not name.startswith("ui"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = []
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for module in modules:
                if module.split(".")[0] in ("peewee", "playhouse", "sqlite3", "psycopg") \
                        or module.startswith("tracker.storage.models"):
                    offenders.append(f"{name}:{node.lineno} imports {module}")
    assert offenders == []


def test_tracker_never_imports_qt():
    offenders = []
    for name, path in _modules().items():
        if name.startswith("tracker"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                    offenders += [f"{name}:{node.lineno}" for m in modules if m.startswith(("PySide6", "shiboken6"))]
    assert offenders == []


def test_every_package_says_what_it_is_for():
    for package in (p for name in PACKAGES for p in (ROOT / name).rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(package.read_text(encoding="utf-8")))
        assert doc, f"{package.relative_to(ROOT)} has no docstring"


def test_no_two_classes_share_a_name():
    seen: dict[str, str] = {}
    clashes = []
    for name, path in _modules().items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                if node.name in seen:
                    clashes.append(f"{node.name}: {seen[node.name]} and {name}")
                seen.setdefault(node.name, name)
    assert clashes == []


def test_an_embedded_database_opens_without_the_servers_driver_and_what_only_some_work_needs(tmp_path):
    """What a start does not use is not imported at the start: psycopg (0.2 s) only for a server database — peewee
    and its migrations would import it with themselves (tracker/__init__.py hides it from them); cryptography (40 ms)
    only to make a key or sign and check a package; openpyxl and python-docx only for a report or a plan's file;
    importlib.metadata (and the email parser, 40 ms) never: the version is in the source."""
    heavy = ("psycopg", "cryptography", "openpyxl", "docx", "email", "importlib.metadata")
    code = ("import sys\nfrom tracker.storage.db import open_database\nimport ui.app, ui.main_window\n"
            "open_database(sys.argv[1])\n"
            f"print(sorted(m for m in sys.modules if m in {heavy!r} or m.split('.')[0] in {heavy!r}))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "tracker.sqlite3")], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
