"""The list filters' FilterSets (claims.api.filters): each request works on its own filters, shallow copies of the
class's, and a `method=` filter calls the filterset of its own request."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict

from claims.api.filters import ClaimFilter
from claims.models import Claim
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def test_each_request_has_its_own_filters_bound_to_it() -> None:
    one = ClaimFilter(QueryDict("subject=Port workers on strike"), queryset=Claim.objects.all())
    two = ClaimFilter(QueryDict("subject=Ferry crossings"), queryset=Claim.objects.all())
    for name, base in ClaimFilter.base_filters.items():
        mine, theirs = one.filters[name], two.filters[name]
        assert mine is not base and mine is not theirs
        assert mine.parent is one and theirs.parent is two and getattr(base, "parent", None) is None
        if base.method is not None:  # the FilterMethod that calls the filterset's method is the copy's own
            assert mine.filter.f is mine and theirs.filter.f is theirs and mine.filter.method.__self__ is one


def test_two_filtersets_alive_at_once_filter_by_their_own_values(editor: Any) -> None:
    article = make_article(text="About 2,400 dock workers struck, and the ferry ran 12 crossings a day.")
    make_claim(article, "About 2,400 dock workers", subject="Port workers on strike")
    make_claim(article, "12 crossings a day", subject="Ferry crossings", value=12, unit="crossings")
    one = ClaimFilter(QueryDict("subject=Port workers on strike"), queryset=Claim.objects.all())
    two = ClaimFilter(QueryDict("subject=ferry CROSSINGS"), queryset=Claim.objects.all())
    assert [c.quote for c in two.qs] == ["12 crossings a day"]
    assert [c.quote for c in one.qs] == ["About 2,400 dock workers"]
