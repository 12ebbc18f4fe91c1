"""The API's error bodies: the project's InvalidInput and Conflict, Django's and DRF's exceptions, each turned into
the JSON shape API.md gives (a field -> messages map, or {"detail": ...}). Used by DRF as its exception handler."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from claims.errors import Conflict, InvalidInput, Taken


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Service errors become 400/409 answers naming the fields (a name another object has is a 409); everything
    else is DRF's usual handling."""
    if isinstance(exc, Taken):  # well formed, but another object has that name: a conflict with the data
        return Response(exc.errors, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, InvalidInput):
        return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RequestDataTooBig):
        # Django would answer with a bare HTML 400 and log an error with a traceback; say it in JSON instead.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return Response(
            {"detail": f"The request body is larger than the {limit} MB this API accepts."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, ObjectDoesNotExist):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return drf_handler(exc, context)
