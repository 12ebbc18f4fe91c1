"""The OpenAPI schema validates without a warning and describes every endpoint, filter and error answer."""

from __future__ import annotations

import importlib.util
import io
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest
import yaml
from django.core.management import call_command
from schemathesis.config import SchemathesisConfig

from claims.api import schema as strict
from claims.ingest.fetch import vet_url
from claims.ingest.urls import UrlError
from claims.models import Claim, Contradiction, Speaker
from tests.factories import make_article

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


def _strict_body(schema: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[-1]
    component: dict[str, Any] = schema["components"]["schemas"][name]
    return component


def test_inputs_are_as_strict_as_the_validation(schema: dict[str, Any]) -> None:
    """What the API refuses, the schema refuses too (schemathesis holds the two together in CI)."""
    article = _strict_body(schema, "/api/v1/articles/", "post")
    assert schema["paths"]["/api/v1/articles/"]["post"]["requestBody"]["required"] is True
    # One source: text, html, or a url alone; each branch allows no other source and no unknown field.
    text, html, url_alone = article["anyOf"]
    for branch in article["anyOf"]:
        assert branch["additionalProperties"] is False and branch["minProperties"] == 1
    assert "text" in text["properties"] and "html" not in text["properties"]
    assert "html" in html["properties"] and "text" not in html["properties"]
    assert not {"text", "html"} & set(url_alone["properties"])
    assert url_alone["properties"]["url"]["pattern"] == strict.URL
    assert url_alone["properties"]["title"]["pattern"] == strict.BLANK
    assert url_alone["properties"]["published_at"] == {"$ref": "#/components/schemas/NullEnum"}
    assert text["properties"]["text"]["pattern"] == strict.PASTED
    assert text["properties"]["outlet"]["pattern"] == strict.NAME_OR_BLANK

    # The patterns mean the same to Python (the API, hypothesis) and to ECMA-262 (OpenAPI validators): no \w, \d, \s.
    cases = {
        strict.NAME: (["Kessling", "Ì", "١٢", "0"], ["", "  ", "!!", "_", "\u3000"]),
        strict.NAME_OR_BLANK: (["", " \n", "Mara", "é"], ["-", "_ _"]),
        strict.NOT_BLANK: (["x", "\ufeff"], ["", " \t\n", "\x85\u3000"]),
        strict.PASTED: (["text", " a "], ["", "   ", "a\x00b"]),
        strict.DATE: (["2024", " 2024-02 ", "2024-02-08", "١٩٩٩"], ["24", "2024-2", "2024-02-08T00:00"]),
    }
    for pattern, (matching, refused) in cases.items():
        assert all(re.search(pattern, text) for text in matching), pattern
        assert not any(re.search(pattern, text) for text in refused), pattern

    # Names must contain a letter or digit (one that folds to nothing is refused); an optional name may be blank.
    for path in ("/api/v1/subjects/", "/api/v1/speakers/", "/api/v1/subjects/{id}/aliases/"):
        name = _strict_body(schema, path, "post")
        assert name["properties"]["name"] == {
            "type": "string",
            "pattern": strict.NAME,
            "description": "at most 300 characters once leading and trailing spaces are stripped",
        }, path
        assert name["required"] == ["name"] and name["additionalProperties"] is False

    # Claims: one branch per kind, the form of `value` and `polarity` following the kind.
    claim = _strict_body(schema, "/api/v1/claims/", "post")
    assert schema["paths"]["/api/v1/claims/"]["post"]["requestBody"]["required"] is True
    assert set(claim["required"]) == {"article", "kind", "subject", "attribute"}
    by_kind: dict[str, dict[str, Any]] = {}
    for branch in claim["anyOf"]:
        kind = branch["properties"]["kind"]["$ref"].rsplit("ClaimKind", 1)[-1].lower()
        by_kind[kind] = branch["properties"]
        assert branch["additionalProperties"] is False
        assert branch["properties"]["subject"]["pattern"] == strict.NAME
        assert branch["properties"]["speaker"]["pattern"] == strict.NAME_OR_BLANK
        assert branch["properties"]["attribute"]["pattern"] == strict.NOT_BLANK
        assert branch["properties"]["quote"]["minLength"] == 1
    assert list(by_kind) == ["quantity", "date", "duration", "attribution", "statement"]
    assert by_kind["date"]["value"]["pattern"] == strict.DATE
    quantity = by_kind["quantity"]["value"]["anyOf"]
    assert quantity[0] == {"type": "number", "minimum": -1e15, "maximum": 1e15}
    assert quantity[2]["required"] == ["min", "max"] and quantity[2]["additionalProperties"] is False
    duration = by_kind["duration"]["value"]
    assert duration["required"] == ["min", "unit"] and duration["additionalProperties"] is False
    assert duration["properties"]["unit"]["enum"] == ["day", "week", "month", "year"]
    assert by_kind["attribution"]["value"]["nullable"] is True
    for kind in ("quantity", "date", "duration", "attribution"):
        assert by_kind[kind]["polarity"] == {"$ref": "#/components/schemas/NullEnum"}, kind
    assert "PolarityEnum" in str(by_kind["statement"]["polarity"])

    # A claim edit names its version; every other field is optional, the value still following the kind.
    patch = _strict_body(schema, "/api/v1/claims/{id}/", "patch")
    assert patch["required"] == ["version"]
    assert len(patch["anyOf"]) == 5 and all(branch["additionalProperties"] is False for branch in patch["anyOf"])

    # Every strict input serializer refuses unknown fields; `ordering` skips empty entries.
    for component in (
        "MergeIn",
        "LinkIn",
        "PatchedContradictionReviewIn",
        "PatchedSpeakerUpdateIn",
        "PatchedSubjectUpdateIn",
    ):
        assert schema["components"]["schemas"][component]["additionalProperties"] is False, component
    ordering = {p["name"]: p for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}["ordering"]
    assert "" in ordering["schema"]["items"]["enum"]


def test_the_url_pattern_refuses_only_what_the_api_refuses() -> None:
    """The schema's URL pattern states the syntax `vet_url` checks (no control character inside, no user name, a
    host of name characters or a bracketed IPv6 address, the default port): every URL it refuses, the API refuses
    too; the public ones it accepts, the API accepts."""
    accepted = [
        "https://news.example.com/2025/03/14/port?page=2#top",
        " http://例え.jp/",
        "HTTP://[2606:4700::1111]:443/x",
        "http://[::ffff:8.8.8.8]/",
        "http://[2606:4700:4700:0:0:0:1111::]/",
        "http://example.com:80",
        "http://example.com./",
        "http://example.com/p@th%20x q",
        "https://example.com\t",
    ]
    refused = [
        "http://exa mple.com/",
        "http://a\x01b.com/",
        "http://user@example.com/",
        "ftp://example.com/",
        "http://example.com:8080/",
        "http:///path",
        "http://example.com/p\x00",
        "http://example.com/p\tq",
        "http://a\\b.com/",
        "http://example.com:0/",
        "http://example.com\u3000.org/",
        "http://[1C]/",
        "http://[:FF]/",
        "http://[6.9B4AaBD54]/",
        "http://[39D58:BF3c2:deFc9c]/",
        "http://[cEfC:3a4fD:]/",
        "http://ex\x86ample.com/",
    ]
    for url in accepted:
        assert re.search(strict.URL, url), url
        vet_url(url)
    for url in refused:
        assert not re.search(strict.URL, url), url
        with pytest.raises(UrlError):
            vet_url(url)


@pytest.mark.django_db
def test_a_new_claims_span_rule_is_the_same_in_the_schema_and_the_api(
    schema: dict[str, Any], editor_client: Any
) -> None:
    """A new claim is placed by `start` and `end`, or by a quote alone that is not blank. Each shape of span is
    judged alike by the schema (an independent JSON Schema validator) and by the API: what one refuses, so does the
    other (the rest of the body is a valid statement claim, and the offsets and quote agree with the text)."""
    sys.path.insert(0, str(ROOT / ".ci"))
    try:
        import schemathesis_hooks as hooks
    finally:
        sys.path.remove(str(ROOT / ".ci"))
    article = make_article()
    quote = "about 2,500 workers"
    at = article.text.index(quote)
    spans: list[dict[str, Any]] = [
        {"quote": quote},
        {"quote": quote, "start": None, "end": None},
        {"start": at, "end": at + len(quote)},
        {"start": at, "end": at + len(quote), "quote": quote},
        {"start": at, "end": at + len(quote), "quote": None},
        {},
        {"quote": None},
        {"quote": "   "},
        {"quote": quote, "start": at},
        {"quote": quote, "end": at + len(quote)},
        {"start": at, "end": None},
    ]
    validator = jsonschema.Draft4Validator(hooks._body_schema(_fuzz_case(schema, "/api/v1/claims/", None)))
    for n, span in enumerate(spans):
        body = {"article": article.pk, "kind": "statement", "subject": f"Port strike {n}", "attribute": "walkout"}
        body.update(span)
        answer = editor_client.post("/api/v1/claims/", body, format="json")
        assert answer.status_code in (201, 400), answer.content
        assert validator.is_valid(body) == (answer.status_code == 201), (span, answer.content)


def _fuzz_case(schema: dict[str, Any], path: str, body: Any, location: str = "BODY") -> Any:
    """What the hook reads of a schemathesis Case, for a POST to `path` whose negative part is at `location`."""
    operation = SimpleNamespace(
        definition=SimpleNamespace(raw=schema["paths"][path]["post"]),
        schema=SimpleNamespace(raw_schema=schema),
        label=f"POST {path}",
    )
    data = SimpleNamespace(parameter_location=SimpleNamespace(name=location))
    return SimpleNamespace(
        operation=operation,
        body=body,
        media_type="application/json",
        meta=SimpleNamespace(phase=SimpleNamespace(data=data)),
    )


def test_the_fuzzers_hook_drops_only_negatives_that_the_schema_accepts(schema: dict[str, Any]) -> None:
    """.ci/schemathesis_hooks.py drops an ST201 ("schema-violating request accepted") only when the body sent is in
    fact valid for the operation's schema; a truly invalid body accepted by the API still fails the run."""
    sys.path.insert(0, str(ROOT / ".ci"))
    try:
        import schemathesis_hooks as hooks
    finally:
        sys.path.remove(str(ROOT / ".ci"))
    st201 = SimpleNamespace(code="ST201")
    keep = hooks.filter_failure
    valid = {"html": "0", "outlet": "", "published_at": "2000-01-01T00:00:00Z", "title": ""}
    assert keep(None, st201, _fuzz_case(schema, "/api/v1/articles/", valid), None) is False
    for invalid in ({"title": "no source"}, {"html": "x", "text": "y"}, {"text": ""}, {"html": "x", "page": 1}):
        assert keep(None, st201, _fuzz_case(schema, "/api/v1/articles/", invalid), None) is True, invalid
    # Only the body is judged, and only ST201: a negative query or header, or another failure, is kept.
    assert keep(None, st201, _fuzz_case(schema, "/api/v1/articles/", valid, location="QUERY"), None) is True
    assert keep(None, SimpleNamespace(code="ST202"), _fuzz_case(schema, "/api/v1/articles/", valid), None) is True


@pytest.mark.django_db
def test_the_fuzzers_known_data_names_real_rows_and_operations_of_the_schema(
    schema: dict[str, Any], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """.ci/schemathesis_data.py offers the fuzzer real ids and quotes of the demo story: the configuration it writes
    loads in schemathesis, every operation it binds is in the schema, and every id it offers exists."""
    with django_capture_on_commit_callbacks(execute=True):  # the demo's checks run on commit, as in the fuzzing run
        call_command("load_demo", stdout=io.StringIO())
    spec = importlib.util.spec_from_file_location("schemathesis_data", ROOT / ".ci" / "schemathesis_data.py")
    assert spec is not None and spec.loader is not None
    data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(data)
    out = tmp_path / "schemathesis.toml"
    data.main(ROOT / ".ci" / "schemathesis.toml", out)

    SchemathesisConfig.from_path(str(out))  # schemathesis itself accepts it
    config = tomllib.loads(out.read_text())
    names = {f"{method} {path}" for method, path, _ in _operations(schema)}
    bound = [op["include-name"] for op in config["operations"]]
    assert set(bound) <= names and len(bound) == 5
    dictionaries = {name: entry["values"] for name, entry in config["dictionaries"].items()}
    assert set(dictionaries["speakers"]) == set(Speaker.objects.values_list("id", flat=True))
    assert len(dictionaries["speakers"]) > data.SPARE_SPEAKERS  # the demo's and the spares made for merging
    assert set(dictionaries["claims"]) == set(Claim.objects.values_list("id", flat=True))
    reviewed = Contradiction.objects.get(pk=dictionaries["reviewed"][0])
    assert reviewed.status == Contradiction.Status.DISMISSED
    texts = Claim.objects.values_list("article__text", flat=True)
    assert all(any(quote in text for text in texts) for quote in dictionaries["quotes"])
    assert config["checks"] == tomllib.loads((ROOT / ".ci" / "schemathesis.toml").read_text())["checks"]
