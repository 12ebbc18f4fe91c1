"""The structure STYLE.md draws: pure packages know nothing of Django; views and tasks write only via services."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Pure: no Django, DRF, Celery, psycopg, nor the models. Detection's Django side is claims/detection; claims/present
# holds one Django module (reviews.py: model rows in), the rest of it is pure.
PURE = [
    "claims/suggest",
    "claims/ingest",
    "claims/detect",
    "claims/values.py",
    "claims/present/formats.py",
    "claims/present/values.py",
]


def _modules(target: str) -> list[Path]:
    path = ROOT / target
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


@pytest.mark.parametrize("target", PURE)
def test_pure_packages_do_not_import_django(target: str) -> None:
    for module in _modules(target):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert not name.startswith(("django", "rest_framework", "celery", "psycopg", "claims.models")), (
                    f"{module.relative_to(ROOT)} imports {name}"
                )


WRITES = {"save", "create", "update", "delete", "bulk_create", "get_or_create", "update_or_create"}


WRITING_SQL = re.compile(r"\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b", re.IGNORECASE)
WRITE_THROUGH_SERVICES = ["claims/api", "claims/web", "claims/tasks.py", "claims/detection"]


@pytest.mark.parametrize("target", WRITE_THROUGH_SERVICES)
def test_views_tasks_and_detection_write_no_sql_of_their_own(target: str) -> None:
    """Hand-written SQL that writes (the worker's flag upserts, audit rows, checked_at stamps) lives in services."""
    for module in _modules(target):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and WRITING_SQL.match(node.value):
                raise AssertionError(f"{module.relative_to(ROOT)}:{node.lineno} writes SQL: {node.value[:60]!r}")


@pytest.mark.parametrize("target", WRITE_THROUGH_SERVICES)
def test_views_tasks_and_detection_do_not_write_the_database_themselves(target: str) -> None:
    for module in _modules(target):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
                # `mapping[key].update(...)`: a dict or set in memory (a queryset is never subscripted before a write)
                and not isinstance(node.func.value, ast.Subscript)
            ):
                chain = ast.unparse(node.func)
                assert "services" in chain or chain.startswith(("super()", "client.")), (
                    f"{module.relative_to(ROOT)}:{node.lineno} writes directly: {chain}"
                )


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _project_imports() -> dict[str, set[str]]:
    """Every claims/ and tracker/ module and the project modules it imports, at the top or inside a function."""
    paths = {
        _module_name(p): p
        for top in ("claims", "tracker")
        for p in (ROOT / top).rglob("*.py")
        if "migrations" not in p.parts
    }
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                found.update(
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in paths else base for alias in node.names
                )
        graph[name] = {module for module in found if module in paths and module != name}
    return graph


def test_no_import_cycle_among_the_projects_modules() -> None:
    """Imports inside functions count: a cycle hidden by a late import is still a cycle."""
    graph = _project_imports()
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        for imported in sorted(graph[module]):
            walk(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        walk(module, [])


def test_services_never_import_tasks_views_or_the_api() -> None:
    for module, imported in _project_imports().items():
        if module.startswith("claims.services"):
            wrong = {m for m in imported if m.startswith(("claims.tasks", "claims.api", "claims.web"))}
            assert not wrong, f"{module} imports {sorted(wrong)}"


# Modules over the 450-line bound, each held at its present size (after `ruff format`) until it is split (issue
# 21): the safe fetcher and the junk rules for text blocks.
TOO_LONG_FOR_NOW: dict[str, int] = {}  # none left: every module under claims/ is within the bound


def test_no_module_is_over_450_lines() -> None:
    for relative in TOO_LONG_FOR_NOW:
        assert (ROOT / relative).exists(), f"{relative} is gone: take it off TOO_LONG_FOR_NOW"
    for path in sorted((ROOT / "claims").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = str(path.relative_to(ROOT))
        length = len(path.read_text(encoding="utf-8").splitlines())
        assert length <= TOO_LONG_FOR_NOW.get(relative, 450), f"{relative} has {length} lines"


def test_every_module_says_at_its_top_what_lives_there() -> None:
    bare = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "claims").rglob("*.py"))
        if "migrations" not in path.parts and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not bare, f"modules without a docstring at the top: {bare}"


def test_the_contradiction_model_has_one_name_in_the_code() -> None:
    """Functions, classes and methods that name the Contradiction model say "contradiction", never "flag".

    "flag" stays a verb and a word of the pages' prose; a definition named after the model uses its name."""
    named_flag = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
        for path in sorted((ROOT / "claims").rglob("*.py"))
        if "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and "flag" in node.name.lower()
    ]
    assert not named_flag, f"definitions named 'flag' for the Contradiction model: {named_flag}"


NARROWING = {"filter", "exclude", "order_by", "annotate", "extra", "select_related", "defer", "values"}


@pytest.mark.parametrize("target", ["claims/api", "claims/web"])
def test_views_take_what_selectors_return_and_add_no_filters_of_their_own(target: str) -> None:
    """A read's joins, filters and order are the selector's (which pins its query count), not the view's; a view
    reads no model manager either (a DRF view's placeholder `queryset = Model.objects.all()` aside)."""
    for module in _modules(target):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in NARROWING:
                inner = node.func.value
                if isinstance(inner, ast.Call) and ast.unparse(inner.func).startswith("selectors."):
                    raise AssertionError(f"{module.relative_to(ROOT)}:{node.lineno} narrows a selector's result")
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                line = module.read_text(encoding="utf-8").splitlines()[node.lineno - 1].strip()
                assert line.startswith("queryset = "), f"{module.relative_to(ROOT)}:{node.lineno} reads a manager"
