"""The structure STYLE.md draws: pure packages know nothing of Django; views and tasks write only via services."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = ["claims/suggest", "claims/ingest", "claims/detect/compare.py", "claims/detect/names.py", "claims/values.py"]


def _modules(target: str) -> list[Path]:
    path = ROOT / target
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


@pytest.mark.parametrize("target", PURE)
def test_pure_packages_do_not_import_django(target: str) -> None:
    for module in _modules(target):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert not name.startswith(("django", "rest_framework", "celery", "claims.models")), \
                    f"{module.relative_to(ROOT)} imports {name}"


WRITES = {"save", "create", "update", "delete", "bulk_create", "get_or_create", "update_or_create"}


@pytest.mark.parametrize("target", ["claims/api", "claims/web", "claims/tasks.py"])
def test_views_and_tasks_do_not_write_the_database_themselves(target: str) -> None:
    for module in _modules(target):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
                chain = ast.unparse(node.func)
                assert "services" in chain or chain.startswith(("super()", "client.")), \
                    f"{module.relative_to(ROOT)}:{node.lineno} writes directly: {chain}"
