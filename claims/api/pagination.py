"""Page numbers by default (API.md: `{"results", "next", ...}`, follow `next`); a cursor on request.

`?page=N&page_size=M` answers with `count`, `next` and `previous`. Sending `cursor` (empty for the first page)
switches to cursor pagination: no count, `next`/`previous` carry an opaque cursor, and rows inserted or changed
while a client walks the list neither repeat nor go missing. A cursor needs a unique, stable order, so it is
taken only with the orderings a view lists in `cursor_orderings` (id, and updated_at where the model has it); with
any other `ordering` the first of those applies.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, CursorPagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

MAX_PAGE_SIZE = 500


def _page_size(request: Request, default: int) -> int:
    """`page_size` as sent: a whole number from 1 (400 otherwise, naming it); above the maximum it is capped."""
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValidationError({"page_size": ["a whole number from 1"]})
    return min(int(raw), MAX_PAGE_SIZE)


class _PageNumbers(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        return _page_size(request, self.page_size)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        """Page through the ids first (the offset scan then reads one narrow index, not every joined row before
        the page), then load the page's rows with their joins and prefetches: two queries, whatever the page."""
        if not isinstance(queryset, QuerySet):
            return super().paginate_queryset(queryset, request, view)
        ids_page = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if ids_page is None:
            return None
        ids = list(ids_page)
        loaded = page_rows(view, queryset).order_by().filter(pk__in=ids)
        rows = {row["id"] if isinstance(row, dict) else row.pk: row for row in loaded}
        return [rows[pk] for pk in ids if pk in rows]


def page_rows(view: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """What a page shows of `queryset`: the view's `page_rows(queryset)` when it reads rows rather than model
    instances (the count and the ids are still taken from `queryset`, with no join the rows need), else itself."""
    rows = getattr(view, "page_rows", None)
    return rows(queryset) if rows is not None else queryset


class _Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        return _page_size(request, self.page_size)

    def __init__(self, ordering: tuple[str, ...]) -> None:
        self.ordering = ordering


class Pages(BasePagination):
    cursor_query_param = "cursor"

    def __init__(self) -> None:
        self._active: BasePagination = _PageNumbers()

    @staticmethod
    def _cursor_ordering(request: Request, view: Any) -> tuple[str, ...]:
        allowed: dict[str, tuple[str, ...]] = getattr(view, "cursor_orderings", {"id": ("id",), "-id": ("-id",)})
        default = next(iter(allowed))
        # Any other ordering cannot carry a cursor (not unique, or nullable): the view's cursor order applies.
        wanted = request.query_params.get("ordering") or default
        return allowed.get(wanted, allowed[default])

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        page = request.query_params.get("page")
        if page is not None:
            # As the schema states it: a whole number from 1, and only with page numbers (a cursor has none).
            if not (page.isascii() and page.isdigit()) or int(page) < 1:
                raise ValidationError({"page": ["a whole number from 1"]})
            if self.cursor_query_param in request.query_params:
                raise ValidationError({"page": ["page numbers and a cursor exclude each other: send one"]})
        if self.cursor_query_param in request.query_params:
            self._active = _Cursor(self._cursor_ordering(request, view))
            # a cursor page is one query: the rows straight away (no count, no ids first)
            queryset = page_rows(view, queryset) if isinstance(queryset, QuerySet) else queryset
        return self._active.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        return self._active.get_paginated_response(data)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results", "next", "previous"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": "total number of rows (page-number pagination only)",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "URL of the next page; null on the last",
                },
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        orderings = ", ".join(getattr(view, "cursor_orderings", {"id": (), "-id": ()}))
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "page number (from 1)",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"rows per page (default 50; larger values give {MAX_PAGE_SIZE})",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "cursor pagination: send it empty for the first page, then follow `next`; "
                f"it follows ordering {orderings} (other orderings give the first of these)",
                "schema": {"type": "string"},
            },
        ]
