"""OpenAPI generation: every operation documents the error answers it can give, with one shared error body."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent, force_instance, is_serializer
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class ErrorOut(serializers.Serializer):
    """The body of every 4xx answer (see claims/api/errors.py): `detail` for a general reason, otherwise one entry
    per offending field with its messages (`non_field_errors` for the body as a whole); a 412 adds `current`."""

    detail = serializers.CharField(required=False)


class ErrorOutSchema(OpenApiSerializerExtension):
    target_class = ErrorOut

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "description": "`detail` names a general reason; otherwise each key is an offending field (or "
            "`non_field_errors`) with a list of readable messages. A 412 also carries `current`, "
            "the object as it is now.",
            "properties": {
                "detail": {"type": "string", "description": "readable reason"},
                "current": {"type": "object", "description": "412 only: the current state of the object"},
            },
            "additionalProperties": {
                "description": "messages for the field named by the key",
                "oneOf": [{"type": "array", "items": {}}, {"type": "object"}, {"type": "string"}],
            },
            "example": {"quote": ["this text does not occur in the article"]},
        }


# ---------------------------------------------------------------------------------------------- strict inputs
# The input serializers check shape and type; the services judge the rest (claims/services). The schema states as
# much of both as JSON Schema can, so that clients (and fuzzers) know what is refused before they send it. It must
# never be stricter than the API: schemathesis sends data violating it and expects a refusal.

# Patterns are read with ECMA-262 semantics by validators (schemathesis too): `\w`, `\d` and `\s` are ASCII there,
# unlike Python's, so they are spelled out. Whitespace is what Python's str.strip() removes (U+FEFF is not).
_WS = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# A digit, loosely: an ASCII digit or any non-ASCII character (Python's int() and float() read every Unicode digit).
_DIGIT = r"[^\x00-\x2f\x3a-\x7f]"
NOT_BLANK = rf"[^{_WS}]"
BLANK = rf"^[{_WS}]*$"
# A name (subject, speaker, alias, outlet) must contain a letter or digit: one that folds to nothing is refused.
# Stated loosely for non-ASCII text: any non-ASCII character that is not whitespace.
NAME = r"[0-9A-Za-z]|[^\x00-\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# An optional name: blank after stripping (= none), or a name.
NAME_OR_BLANK = f"{BLANK}|{NAME}"
# Pasted text or HTML: not blank, no NUL character (binary data is refused).
PASTED = rf"^[^\x00]*[^\x00{_WS}][^\x00]*$"
# An http(s) URL as `ingest.urls.validate_url` reads it once stripped: no control character inside, no user name, a
# host of name characters (any non-ASCII letter may be an IDN) or a bracketed IPv6 address, the default port if
# any. Which addresses are public, and a label's exact syntax, are left to the API (`fetch.vet_url`).
_HOST = (
    # an IPv6 address: two to eight groups of up to four hex digits each closed by a colon, then a group or an IPv4
    r"(\[(([0-9A-Fa-f]{1,4})?:){2,8}([0-9A-Fa-f]{1,4}|[0-9]{1,3}(\.[0-9]{1,3}){3})?\]"
    # a name: ASCII name characters, or any non-ASCII character but a C1 control or a space (IDNA refuses those)
    r"|([A-Za-z0-9_.-]|[^\x00-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])+)"
)
URL = rf"^[{_WS}]*[Hh][Tt][Tt][Pp][Ss]?://{_HOST}(:(0*(80|443))?)?([/?#][^\x00-\x1f\x7f]*)?[{_WS}]*$"
DATE = rf"^[{_WS}]*{_DIGIT}{{4}}(-{_DIGIT}{{2}}(-{_DIGIT}{{2}})?)?[{_WS}]*$"
# Named components, not inline enums: drf-spectacular's enum hook would name every one-value choice set.
_NULL: dict[str, Any] = {"$ref": "#/components/schemas/NullEnum"}
_NUMBER: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": -1e15, "maximum": 1e15},
        {"type": "string", "pattern": _DIGIT, "description": 'a number written as a string, e.g. "12,000"'},
    ]
}
_NOT_NEGATIVE: dict[str, Any] = {
    "anyOf": [{"type": "number", "minimum": 0, "maximum": 1e15}, {"type": "string", "pattern": _DIGIT}]
}
_CLAIM_VALUES: dict[str, dict[str, Any]] = {
    "quantity": {
        "description": 'a number, or a range {"min": N, "max": N} with min <= max',
        "anyOf": [
            *_NUMBER["anyOf"],
            {
                "type": "object",
                "properties": {"min": _NUMBER, "max": _NUMBER},
                "required": ["min", "max"],
                "additionalProperties": False,
            },
        ],
    },
    "date": {
        "description": '"YYYY", "YYYY-MM" or "YYYY-MM-DD", a date that exists',
        "type": "string",
        "pattern": DATE,
    },
    "duration": {
        "description": '{"min": N, "max": N or null for open-ended, "unit": ...}, 0 <= min <= max',
        "type": "object",
        "properties": {
            "min": _NOT_NEGATIVE,
            "max": {"nullable": True, **_NOT_NEGATIVE},
            "unit": {"type": "string", "enum": ["day", "week", "month", "year"]},
        },
        "required": ["min", "unit"],
        "additionalProperties": False,
    },
}
_NO_VALUE: dict[str, Any] = {
    "description": "none: null (an empty string or object is taken as null)",
    "nullable": True,
    "anyOf": [{"type": "string", "maxLength": 0}, {"type": "object", "maxProperties": 0}],
}
_KINDS = ("quantity", "date", "duration", "attribution", "statement")
# Where a new claim sits in its article (services.claims._anchor): offsets, or a quote alone that is not blank.
_SPAN: dict[str, Any] = {
    "description": "the span: `start` and `end` as integers (a `quote` with them must agree), or a `quote` alone, "
    "not blank, without offsets",
    "anyOf": [
        {"required": ["start", "end"], "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}}},
        {
            "required": ["quote"],
            "properties": {"quote": {"type": "string", "pattern": NOT_BLANK}, "start": _NULL, "end": _NULL},
        },
    ],
}


def _register(auto_schema: Any, name: str, schema: dict[str, Any]) -> dict[str, Any]:
    component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
    auto_schema.registry.register_on_missing(component)
    ref: dict[str, Any] = component.ref
    return ref


class _Strict(OpenApiSerializerExtension):
    """The schema drf-spectacular makes for an input serializer, with `fields` laid over its properties."""

    target_class: Any = None
    fields: ClassVar[dict[str, dict[str, Any]]] = {}
    body_required = False

    def base(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        _register(auto_schema, "NullEnum", {"enum": [None]})
        schema: dict[str, Any] = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        for name, extra in self.fields.items():
            if name in schema["properties"]:
                schema["properties"][name].update(extra)
        return schema

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return self.base(auto_schema, direction)


class NameInSchema(_Strict):
    target_class = "claims.api.serializers.NameIn"
    fields = {"name": {"pattern": NAME}}


class SubjectUpdateInSchema(NameInSchema):
    target_class = "claims.api.serializers.SubjectUpdateIn"


class SpeakerUpdateInSchema(NameInSchema):
    target_class = "claims.api.serializers.SpeakerUpdateIn"


def _outline(base: dict[str, Any]) -> dict[str, Any]:
    """The serializer's schema reduced to its description and common `required`: the `anyOf` branches state every
    property, each refusing any other."""
    return {key: value for key, value in base.items() if key in ("description", "required")}


def _branch(properties: dict[str, Any], keep: tuple[str, ...], **extra: Any) -> Any:
    """An object with only the `keep` properties (no other is allowed), `extra` laid over them.

    Branches add no `required` of their own here; the serializer's common `required` stays at the top. A caller
    adds one where the branches stay exclusive with it (an article's source); elsewhere what a branch alone needs
    (a quantity's value) is in its description: with `required` sets differing between sibling branches that
    overlap, schemathesis' coverage phase sent values one branch accepts as negatives of another."""
    return {
        "type": "object",
        "properties": {**{name: properties[name] for name in keep}, **extra},
        "minProperties": 1,
        "additionalProperties": False,
    }


_ARTICLE_TEXT = (
    "Port Strike Enters Second Week as Talks Stall\n\nAbout 1,300 dock workers have joined the strike at Kessling, "
    "the union said on Friday."
)
_ARTICLE_HTML = (
    "<html><body><article><h1>Port Strike Enters Second Week as Talks Stall</h1><p>About 1,300 dock workers have "
    "joined the strike at Kessling, the union said on Friday.</p></article></body></html>"
)


class ArticleInSchema(_Strict):
    """One source: `text` or `html` (with optional `url`, `title`, `outlet`, `published_at`), or a `url` alone
    (title, outlet and published_at then come from the page: sent, they must be empty)."""

    target_class = "claims.api.serializers.ArticleIn"
    body_required = True  # an empty body names no source
    fields = {
        # Up to 2,000,000 characters (services.articles.MAX_INPUT_CHARS): not stated as maxLength, which schemathesis
        # would fold into the pattern as a regex too large to compile.
        "text": {"pattern": PASTED, "example": _ARTICLE_TEXT},
        "html": {"pattern": PASTED, "example": _ARTICLE_HTML},
        "outlet": {"pattern": NAME_OR_BLANK},
        # A name, as articles have: an address is refused when it is not a public one (fetch.vet_url), which a
        # pattern cannot state; clients and fuzzers that take the example get a URL the API accepts.
        "url": {"example": "https://news.example.com/2025/03/14/port-strike-second-week"},
    }

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        base = self.base(auto_schema, direction)
        props = base["properties"]
        optional_url = {**props["url"], "anyOf": [{"type": "string", "maxLength": 0}, {"pattern": URL}]}
        alongside = ("url", "title", "outlet", "published_at")
        url_alone = _branch(
            props,
            alongside,
            url={**props["url"], "pattern": URL},
            title={**props["title"], "pattern": BLANK},
            outlet={**props["outlet"], "pattern": BLANK},
            published_at=_NULL,
        )
        url_alone["description"] = "a URL alone: the server fetches the page"
        return {
            **_outline(base),
            "example": {
                "text": _ARTICLE_TEXT,
                "outlet": "Harbour Wire",
                "published_at": "2025-03-14",
            },
            "anyOf": [
                {
                    **_branch(props, ("text", *alongside), url=optional_url),
                    "required": ["text"],
                    "description": "plain text as copied",
                },
                {
                    **_branch(props, ("html", *alongside), url=optional_url),
                    "required": ["html"],
                    "description": "the page's HTML",
                },
                {**url_alone, "required": ["url"]},
            ],
        }


class ArticleRefetchInSchema(_Strict):
    """Empty, or the page's new copy as `text` or `html` (not both)."""

    target_class = "claims.api.serializers.ArticleRefetchIn"
    fields = ArticleInSchema.fields

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        base = self.base(auto_schema, direction)
        props = base["properties"]
        text, html = (_branch(props, (name,)) for name in ("text", "html"))
        for branch in (text, html):
            del branch["minProperties"]
        return {**_outline(base), "anyOf": [text, html]}


class ClaimInSchema(_Strict):
    """One branch per kind: the form of its `value`, and `polarity` for statements only. The span is `start` and
    `end` (integers; a `quote` with them must agree), or a `quote` alone, found once in the article's text."""

    target_class = "claims.api.serializers.ClaimIn"
    body_required = True
    fields = {
        "quote": {"minLength": 1},  # with start and end, a quote may be null, never ""
        "end": {"minimum": 1},
        "subject": {"pattern": NAME},
        "attribute": {"pattern": NOT_BLANK},
        "speaker": {"pattern": NAME_OR_BLANK},
        "after": {"pattern": NAME_OR_BLANK},
    }

    # The demo story's first claim (`manage.py load_demo`).
    example: ClassVar[dict[str, Any]] = {
        "article": 1,
        "quote": "About 1,300 dock workers have joined the strike",
        "kind": "quantity",
        "subject": "Kessling dock workers on strike",
        "attribute": "striker count",
        "value": 1300,
        "unit": "workers",
        "qualifier": "approx",
        "speaker": "Mara Lindqvist",
    }
    span: ClassVar[dict[str, Any] | None] = _SPAN

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        base = self.base(auto_schema, direction)
        props = base["properties"]
        others = tuple(name for name in props if name not in ("kind", "value", "polarity"))
        branches = []
        for kind in _KINDS:
            branch = _branch(
                props,
                others,
                kind=_register(auto_schema, f"ClaimKind{kind.title()}", {"type": "string", "enum": [kind]}),
                value=_CLAIM_VALUES.get(kind, _NO_VALUE),
                polarity=props["polarity"] if kind == "statement" else _NULL,
            )
            branch["description"] = f"a {kind} claim" + (
                " (`value` required)" if kind in _CLAIM_VALUES and "required" in base else ""
            )
            branches.append(branch)
        spans = {"allOf": [self.span]} if self.span else {}
        return {**_outline(base), "example": self.example, "anyOf": branches, **spans}


class ClaimUpdateInSchema(ClaimInSchema):
    """As a new claim, every field optional but `version` (or an If-Match header); without `kind`, `value` is read
    by the claim's current kind."""

    target_class = "claims.api.serializers.ClaimUpdateIn"
    example = {"version": 1, "qualifier": "approx", "unit": "workers"}
    span = None  # an edit may leave the span as it is

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = super().map_serializer(auto_schema, direction)
        schema["required"] = ["version"]
        return schema


_DESCRIPTIONS = {
    "304": "Not modified: the `If-None-Match` header named the current ETag.",
    "400": "Invalid input (or query parameter): the body names each offending field. Nothing was changed.",
    "401": "Writing needs credentials, or the token sent is invalid.",
    "403": "The user is not an editor (or a session write lacks its CSRF token).",
    "404": "No such object (or page / cursor out of range). An id in the body that names nothing is a 400 naming "
    "the field.",
    "409": "The request conflicts with the data as it stands (e.g. a name another object already has: the body "
    "names the field; an article with no URL to fetch again). Nothing was changed.",
    "413": "The request body is larger than the API accepts. Nothing was changed.",
    "412": "The version named (field `version` or `If-Match`) is stale: someone saved in between. The body carries "
    "`current`. Nothing was changed. (An edit the object already holds is a 200 whatever the version named: a "
    "retry of an edit that landed is not a conflict.)",
    "428": "The edit must name the version it was made on (field `version` or an `If-Match` header).",
    "429": "Too many requests: throttled. The `Retry-After` header says how many seconds to wait.",
}


class AutoSchema(openapi.AutoSchema):
    def _get_request_for_media_type(self, serializer: Any, direction: Any = "request") -> tuple[Any, bool]:
        """A body that must name something is required even when no single field is."""
        schema, required = super()._get_request_for_media_type(serializer, direction)
        serializer = force_instance(serializer)
        extension = OpenApiSerializerExtension.get_match(serializer) if is_serializer(serializer) else None
        return schema, required or bool(getattr(extension, "body_required", False))

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        """An input serializer that refuses unknown fields says so (`additionalProperties: false`).

        DRF strips a text field before it checks max_length: `maxLength` would refuse what the API takes (a short
        name with long trailing spaces), so an input's bound is stated in words."""
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        if getattr(serializer, "refuses_unknown_fields", False):
            schema["additionalProperties"] = False
            for name, field in serializer.fields.items():
                prop = schema["properties"].get(name, {})
                if getattr(field, "trim_whitespace", False) and "maxLength" in prop:
                    note = f"at most {prop.pop('maxLength')} characters once leading and trailing spaces are stripped"
                    prop["description"] = f"{prop['description']} ({note})" if prop.get("description") else note
        return schema

    def get_auth(self) -> list[dict[str, Any]]:
        """Reads are open to anonymous clients (API.md): say so, so that clients and fuzzers do not expect a 401."""
        auth: list[dict[str, Any]] = super().get_auth()
        if self.method not in WRITE_METHODS and auth and {} not in auth:
            auth.append({})
        return auth

    def get_filter_backends(self) -> list[Any]:
        """Exports are not lists to the schema (they stream a file) but take the list's filters: document them."""
        if getattr(self.view, "filters_in_schema", False):
            return list(getattr(self.view, "filter_backends", []))
        backends: list[Any] = super().get_filter_backends()
        return backends

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        """`ordering` skips empty entries (`ordering=,-id` is `-id`; filters.StableOrdering): the schema allows them."""
        parameters: list[dict[str, Any]] = super()._get_filter_parameters()
        for parameter in parameters:
            items = parameter.get("schema", {}).get("items", {})
            if parameter.get("name") == "ordering" and "" not in items.get("enum", [""]):
                items["enum"] = [*items["enum"], ""]
        return parameters

    def _error_codes(self) -> list[str]:
        view = self.view
        action = getattr(view, "action", None)
        has_id = "{" in self.path
        codes = ["401", "429"]
        if self.method in WRITE_METHODS:
            codes += ["400", "403", "409", "413"]
            if has_id:
                codes.append("404")
            versioned = getattr(view, "versioned_actions", ())
            if action in versioned:
                codes.append("412")
                if self.method == "PATCH":
                    codes.append("428")
        else:
            if self._is_list_view() or getattr(view, "filterset_class", None):
                codes += ["400", "404"]
            if has_id:
                codes.append("404")
            if action == "retrieve":
                codes.append("304")
        return sorted(set(codes))

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            if code == "304":
                responses[code] = {
                    "description": _DESCRIPTIONS[code],
                    "headers": {"ETag": {"schema": {"type": "string"}}},
                }
                continue
            response = OpenApiResponse(response=ErrorOut, description=_DESCRIPTIONS[code])
            responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _get_response_headers_for_code(self, status_code: str, direction: Any = "response") -> dict[str, Any]:
        headers: dict[str, Any] = super()._get_response_headers_for_code(status_code, direction)
        if status_code == "429":
            headers["Retry-After"] = {"schema": {"type": "integer"}, "description": "seconds to wait"}
        if status_code in ("200", "201", "304") and getattr(self.view, "action", None) in (
            "retrieve",
            "create",
            "partial_update",
        ):
            headers["ETag"] = {"schema": {"type": "string"}, "description": "version tag for If-None-Match / If-Match"}
        return headers
