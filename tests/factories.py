from __future__ import annotations

import datetime
from typing import Any

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from claims import services
from claims.models import Article, Claim

ARTICLE_TEXT = (
    "Harbour officials said about 2,500 workers remain on strike at the port.\n\n"
    "A union leader said 2,400 workers had walked out by Friday.\n\n"
    "The terminal opened in March 2019, the authority said.\n\n"
    "The terminal opened in March 2021, according to a company statement.\n\n"
    "The dispute could last several months, if not longer."
)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    source = Article.Source.TEXT
    raw = ARTICLE_TEXT
    text = ARTICLE_TEXT
    status = Article.Status.READY
    published_at = factory.LazyFunction(lambda: timezone.make_aware(datetime.datetime(2025, 3, 14)))
    content_hash = factory.Sequence(lambda n: f"{n:064d}")


def make_article(**fields: Any) -> Article:
    return ArticleFactory.create(**fields)


def make_claim(article: Article, quote: str, *, actor: Any = None, **fields: Any) -> Claim:
    """A claim through the service, as the API would make it (defaults: a confirmed quantity)."""
    fields.setdefault("kind", "quantity")
    fields.setdefault("subject", "Port workers on strike")
    fields.setdefault("attribute", "striker count")
    if fields["kind"] == "quantity":
        fields.setdefault("value", 2500)
        fields.setdefault("unit", "workers")
    return services.claim_create(actor=actor, article=article, quote=quote, **fields)


def editor_group() -> Group:
    """The `editor` group as migration 0002 makes it. Transactional tests flush the tables between tests, which
    empties the group the migration made, so tests ask for it through here rather than assuming it is there."""
    group, _ = Group.objects.get_or_create(name="editor")
    if not group.permissions.exists():
        group.permissions.set(Permission.objects.filter(content_type__app_label="claims"))
    return group
