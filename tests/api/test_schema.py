"""The OpenAPI schema validates without a warning and describes every endpoint, filter and error answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("schema") / "schema.yaml"
    done = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stderr, done.stderr
    loaded: dict[str, Any] = yaml.safe_load(out.read_text())
    return loaded


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_operation_documents_its_errors_with_the_shared_body(schema: dict[str, Any]) -> None:
    operations = _operations(schema)
    assert len(operations) >= 30
    for method, path, op in operations:
        codes = set(op["responses"])
        assert {"401", "429"} <= codes, (method, path)
        if method != "GET":
            assert {"400", "403"} <= codes, (method, path)
        if "{id}" in path:
            assert "404" in codes, (method, path)
        for code in codes & {"400", "401", "403", "404", "409", "412", "428", "429"}:
            content = op["responses"][code]["content"]
            assert any(body["schema"] == {"$ref": "#/components/schemas/ErrorOut"} for body in content.values()), (
                method,
                path,
                code,
            )
        assert "Retry-After" in op["responses"]["429"]["headers"]
    claim_patch = schema["paths"]["/api/v1/claims/{id}/"]["patch"]["responses"]
    assert {"409", "412", "428"} <= set(claim_patch)
    assert "ETag" in schema["paths"]["/api/v1/claims/{id}/"]["get"]["responses"]["304"]["headers"]


def test_lists_document_their_filters_ordering_and_both_paginations(schema: dict[str, Any]) -> None:
    expected = {
        "/api/v1/claims/": {
            "subject",
            "attribute",
            "kind",
            "status",
            "outlet",
            "speaker",
            "article",
            "as_of_after",
            "as_of_before",
            "published_after",
            "published_before",
            "updated_since",
        },
        "/api/v1/articles/": {"status", "outlet", "published_after", "published_before", "updated_since"},
        "/api/v1/contradictions/": {"status", "kind", "claim", "subject", "updated_since"},
        "/api/v1/subjects/": {"q", "name"},
        "/api/v1/speakers/": {"q", "name"},
        "/api/v1/exports/claims.csv": {"subject", "kind", "updated_since"},
        "/api/v1/exports/claims.jsonl": {"subject", "kind", "updated_since"},
    }
    for path, filters in expected.items():
        params = {p["name"]: p for p in schema["paths"][path]["get"].get("parameters", [])}
        assert filters | {"ordering"} <= set(params), (path, filters - set(params))
        if not path.startswith("/api/v1/exports/"):
            assert {"page", "page_size", "cursor"} <= set(params), path
    ordering = {p["name"]: p for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}["ordering"]
    assert {"id", "-id", "updated_at", "-updated_at"} <= set(ordering["schema"]["items"]["enum"])
    kinds = schema["components"]["schemas"]["ClaimKindEnum"]["enum"]
    assert kinds == ["quantity", "date", "duration", "attribution", "statement"]
    csv_ok = schema["paths"]["/api/v1/exports/claims.csv"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in csv_ok
    assert (
        "application/ld+json"
        in schema["paths"]["/api/v1/claims/{id}/annotation/"]["get"]["responses"]["200"]["content"]
    )


def test_anonymous_reads_and_token_writes_are_stated(schema: dict[str, Any]) -> None:
    for method, path, op in _operations(schema):
        security = op.get("security", [])
        assert {"tokenAuth": []} in security, (method, path)
        assert ({} in security) == (method == "GET"), (method, path)
