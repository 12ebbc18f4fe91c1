"""The editors' annotation workspace: the article queue and the page where claims are tagged and reviewed.

Writes happen in the browser through the REST API (session + CSRF); these views only read. The article text
is rendered as escaped text split into segments that each carry their offset into `Article.text`, so that the
script can turn a DOM selection into exact character offsets (see static/claims/annotate.js).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from claims import selectors, services
from claims.api.permissions import is_editor
from claims.models import Article, Claim

ARTICLES_PER_PAGE = 50
# Paragraphs are separated by any whitespace run that holds a line break; the cleaner joins them with "\n\n".
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")

View = Callable[..., HttpResponse]


def editor_required(view: View) -> View:
    """Anonymous visitors are sent to sign in; a signed-in reader gets 403 (signing in again would not help)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_editor(request.user):
            raise PermissionDenied("The annotation workspace is for editors.")
        return view(request, *args, **kwargs)

    return wrapped


# ---------------------------------------------------------------------------------------------- reads

def claim_json(claim: Claim) -> dict[str, Any]:
    """The fields the script reads, in the shape the API answers with, so both feed the same code."""
    return {
        "id": claim.pk,
        "start": claim.start,
        "end": claim.end,
        "quote": claim.quote,
        "kind": claim.kind,
        "subject": claim.subject.name,
        "attribute": claim.attribute,
        "value": services.claim_value(claim),
        "unit": claim.unit or None,
        "qualifier": claim.qualifier,
        "speaker": claim.speaker.name if claim.speaker else None,
        "as_of": claim.as_of.isoformat() if claim.as_of else None,
        "polarity": claim.polarity or None,
        "status": claim.status,
        "version": claim.version,
        "orphaned": claim.orphaned,
    }


# ---------------------------------------------------------------------------------------------- text layout

@dataclass(frozen=True)
class Segment:
    offset: int
    text: str
    claims: tuple[Claim, ...]

    @property
    def claim_ids(self) -> str:
        return " ".join(str(claim.pk) for claim in self.claims)

    @property
    def css(self) -> str:
        """Innermost (shortest) claim gives the colour; a segment under a suggestion only is dashed."""
        top = min(self.claims, key=lambda claim: claim.end - claim.start)
        suggested = all(claim.status == Claim.Status.SUGGESTED for claim in self.claims)
        return f"hl kind-{top.kind}" + (" suggested" if suggested else "")


@dataclass(frozen=True)
class Paragraph:
    offset: int
    segments: list[Segment]


def paragraphs(text: str, claims: list[Claim]) -> list[Paragraph]:
    """Split `text` into paragraphs, and each paragraph into segments cut at every claim boundary. The segments'
    texts, placed at their offsets, reproduce `text` exactly (the breaks between paragraphs aside).
    The same layout is recomputed in annotate.js (`layoutParagraph`) after each save; keep them in step."""
    result = []
    begin = 0
    for found in [*_PARAGRAPH_BREAK.finditer(text), None]:
        finish = found.start() if found else len(text)
        if finish > begin:
            result.append(Paragraph(begin, _segments(text, begin, finish, claims)))
        if found:
            begin = found.end()
    return result


def _segments(text: str, begin: int, finish: int, claims: list[Claim]) -> list[Segment]:
    inside = [claim for claim in claims if claim.start < finish and claim.end > begin]
    cuts = sorted({begin, finish, *(max(begin, min(finish, at)) for c in inside for at in (c.start, c.end))})
    return [
        Segment(left, text[left:right], tuple(c for c in inside if c.start < right and c.end > left))
        for left, right in itertools.pairwise(cuts)
    ]


# ---------------------------------------------------------------------------------------------- views

@editor_required
def article_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.article_queue(), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/editor/queue.html", {"page": page})


@editor_required
def annotate(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(selectors.article_list(), pk=pk)
    claims = list(selectors.claim_list().filter(article=article).exclude(status=Claim.Status.REJECTED)
                  .order_by("start", "id"))
    data = {
        "article": {"id": article.pk, "published": article.published_at.date().isoformat()
                    if article.published_at else None, "length": len(article.text)},
        "claims": [claim_json(claim) for claim in claims],
        "api": {"claims": reverse("claim-list"), "subjects": reverse("subject-list"),
                "speakers": reverse("speaker-list")},
    }
    ready = article.status == Article.Status.READY
    return render(request, "claims/editor/annotate.html", {
        "article": article,
        "ready": ready,
        "paragraphs": paragraphs(article.text, claims) if ready else [],
        "suggestions": [claim for claim in claims if claim.status == Claim.Status.SUGGESTED],
        "workspace": data,
        "kinds": Claim.Kind.values,
        "qualifiers": Claim.Qualifier.choices,
        "duration_units": Claim.DurationUnit.values,
    })
