"""Ingestion through the services (tasks run in-process after commit): text in, clean article and suggestions out."""

from __future__ import annotations

from typing import Any

import pytest

from claims import services
from claims.models import Article, Claim

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = """Home
Business
Sport
Harbour cranes stand idle as strike spreads
Share on FacebookShare on Twitter
About 1,300 dock workers joined the strike on Saturday, union spokeswoman Mara Lindqvist told reporters.
The new terminal opened in March 2019 and the dispute could last several months, if not longer.
Contact us: desk@harbour.example +44 20 7946 0958
Popular News
  • City approves 450 Million budget for tram line
"""


def _ingest(**fields: Any) -> Article:
    article, created = services.article_submit(actor=None, **fields)
    assert created
    article.refresh_from_db()
    return article


def test_text_is_cleaned_and_suggestions_are_stored_once() -> None:
    import datetime

    article = _ingest(
        text=PAGE,
        title="Harbour cranes stand idle as strike spreads",
        published_at=datetime.datetime(2025, 3, 17, tzinfo=datetime.UTC),
    )
    assert article.status == Article.Status.READY, article.error
    assert "About 1,300 dock workers joined the strike" in article.text
    for junk in ("desk@harbour.example", "7946", "450 Million", "Share on Facebook"):
        assert junk not in article.text
    suggested = Claim.objects.filter(article=article, status=Claim.Status.SUGGESTED)
    kinds = {claim.kind for claim in suggested}
    assert {"quantity", "date", "duration", "attribution"} <= kinds
    quantity = suggested.get(kind="quantity")
    assert (quantity.qty_min, quantity.qualifier) == (1300, "approx")
    assert suggested.filter(kind="date", date_value=datetime.date(2025, 3, 15)).exists()  # "on Saturday"
    before = suggested.count()
    assert services.article_store_suggestions(article_id=article.pk) == 0  # re-running adds nothing
    assert Claim.objects.filter(article=article).count() == before
    assert all(claim.checked_at is None for claim in suggested)  # suggestions are not compared


def test_posting_the_same_text_again_returns_the_existing_article() -> None:
    first = _ingest(text=PAGE)
    again, created = services.article_submit(actor=None, text=PAGE)
    assert not created
    assert again.pk == first.pk
    assert Article.objects.count() == 1


def test_binary_and_empty_input_are_refused_and_store_nothing() -> None:
    from claims.errors import InvalidInput

    for bad in ("", "   ", "abc\x00def"):
        with pytest.raises(InvalidInput) as problem:
            services.article_submit(actor=None, text=bad)
        assert "text" in problem.value.errors
    with pytest.raises(InvalidInput) as both:
        services.article_submit(actor=None, text="x y z", html="<p>x</p>")
    assert set(both.value.errors) == {"text", "html"}
    assert Article.objects.count() == 0
