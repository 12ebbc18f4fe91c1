"""Atom and RSS feeds of new contradictions, overall and per subject (django.contrib.syndication).

A subject's feed exists only for a public subject (selectors.reader_subject_get: one an editor has confirmed a claim
about), as its page does: a subject only suggestions or rejected claims name is a 404 here too. Only confirmed claims
are flagged, and a claim taken back loses its flags, so no item names a suggestion.

Feed items are plain text: the syndication framework escapes titles and descriptions, and nothing from an
article is passed as markup.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims import selectors
from claims.models import Contradiction, Subject

FEED_ITEMS = 30


class ContradictionFeed(Feed):
    title = "Claim tracker: new contradictions"
    description = "Claims in news reports that contradict each other, newest first."

    def link(self) -> str:
        return reverse("web:contradictions")

    def items(self) -> list[Contradiction]:
        return selectors.reader_with_sides(selectors.reader_contradiction_list()[:FEED_ITEMS])

    def item_title(self, item: Contradiction) -> str:
        about = item.claim_a.subject.name if item.claim_a.subject else item.claim_a.attribute
        return f"{about}: {item.get_kind_display()} contradiction ({item.status})"

    def item_description(self, item: Contradiction) -> str:
        a, b = item.claim_a, item.claim_b
        outlet_a = a.article.outlet.name if a.article.outlet else "unknown outlet"
        outlet_b = b.article.outlet.name if b.article.outlet else "unknown outlet"
        return f"{item.explanation} — “{a.quote}” ({outlet_a}) vs “{b.quote}” ({outlet_b})"

    def item_link(self, item: Contradiction) -> str:
        return reverse("web:contradiction", args=[item.pk])

    def item_pubdate(self, item: Contradiction) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Contradiction) -> datetime.datetime:
        return item.updated_at


class ContradictionAtomFeed(ContradictionFeed):
    feed_type = Atom1Feed
    subtitle = ContradictionFeed.description


class SubjectContradictionFeed(ContradictionFeed):
    def get_object(self, request: HttpRequest, pk: int) -> Subject:
        try:
            return selectors.reader_subject_get(pk)
        except Subject.DoesNotExist as exc:
            raise Http404("no such subject") from exc

    def title(self, obj: Subject) -> str:  # type: ignore[override]
        return f"Claim tracker: contradictions about {obj.name}"

    def description(self, obj: Subject) -> str:  # type: ignore[override]
        return f"New contradictions between claims about {obj.name}."

    def link(self, obj: Subject) -> str:  # type: ignore[override]
        return reverse("web:subject", args=[obj.pk])

    def items(self, obj: Subject) -> list[Contradiction]:  # type: ignore[override]
        return selectors.reader_subject_feed_contradictions(obj, FEED_ITEMS)


class SubjectContradictionAtomFeed(SubjectContradictionFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Subject) -> str:
        return self.description(obj)
