"""OpenAPI generation: every operation documents the error answers it can give, with one shared error body."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
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


_DESCRIPTIONS = {
    "304": "Not modified: the `If-None-Match` header named the current ETag.",
    "400": "Invalid input (or query parameter): the body names each offending field. Nothing was changed.",
    "401": "Writing needs credentials, or the token sent is invalid.",
    "403": "The user is not an editor (or a session write lacks its CSRF token).",
    "404": "No such object (or page / cursor out of range).",
    "409": "The request conflicts with the object's current state. Nothing was changed.",
    "413": "The request body is larger than the API accepts. Nothing was changed.",
    "412": "The version named (field `version` or `If-Match`) is stale: someone saved in between. The body carries "
    "`current`. Nothing was changed.",
    "428": "The edit must name the version it was made on (field `version` or an `If-Match` header).",
    "429": "Too many requests: throttled. The `Retry-After` header says how many seconds to wait.",
}


class AutoSchema(openapi.AutoSchema):
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
