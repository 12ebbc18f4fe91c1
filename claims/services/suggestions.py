"""Suggestions: the suggester's candidates stored as `suggested` claims with proposed names.

Imported through `claims.services` by views, tasks, commands and the admin; imports models, the pure
packages and the other service modules below it, never claims.tasks, api or web."""

from __future__ import annotations

from django.db import transaction

from claims.errors import InvalidInput
from claims.models import (
    Article,
    Claim,
)
from claims.services.audit import log
from claims.services.claims import claim_create
from claims.services.covered import covering
from claims.suggest import Candidate, suggest

# A news article has tens of claims, not thousands; a page of one sentence repeated (hostile or broken input)
# would otherwise store a suggestion per copy and keep the worker busy for minutes.
MAX_SUGGESTIONS_PER_ARTICLE = 500


def article_store_suggestions(*, article_id: int) -> int:
    """Store the suggestion package's candidates for an article as `suggested` claims, their names as proposals
    (no subject or speaker is created); safe to run again (a span already carrying a claim of the same kind, or
    overlapped by a confirmed one of that kind, is skipped). At most MAX_SUGGESTIONS_PER_ARTICLE are kept."""
    article = Article.objects.get(pk=article_id)
    if article.status != Article.Status.READY or not article.text:
        return 0
    # Relative dates ("on Saturday", "last year") need a reference; an undated article is read as of the day it
    # came in, and the editor confirms or corrects what that gives.
    published = (article.published_at or article.created_at).date()
    taken = set(Claim.objects.filter(article=article).values_list("start", "end", "kind"))
    confirmed = Claim.objects.filter(status=Claim.Status.CONFIRMED)
    # An article no editor has worked on yet (the usual case) needs no look-up per candidate.
    any_confirmed = confirmed.filter(article=article).exists()

    def covered(cand: Candidate) -> bool:
        where = covering(article_id=article.pk, kind=cand.kind, start=cand.start, end=cand.end)
        return any_confirmed and confirmed.filter(where).exists()

    made = 0
    # One transaction for the whole article: a commit per suggestion made in-process ingestion (the embedded
    # default) cost about a second per article, nearly all of it in commits.
    with transaction.atomic():
        for cand in suggest(article.text, published):
            if (cand.start, cand.end, cand.kind) in taken or covered(cand):
                continue  # already there, or covered by an editor's claim
            if len(taken) >= MAX_SUGGESTIONS_PER_ARTICLE:
                log.warning("article %s: suggestions stopped at %s", article_id, MAX_SUGGESTIONS_PER_ARTICLE)
                break
            try:
                claim_create(
                    actor=None,
                    article=article,
                    kind=cand.kind,
                    start=cand.start,
                    end=cand.end,
                    subject=cand.subject,
                    attribute=cand.attribute or cand.kind,
                    value=cand.value,
                    unit=cand.unit,
                    qualifier=cand.qualifier,
                    speaker=cand.speaker,
                    after=cand.after,
                    status=Claim.Status.SUGGESTED,
                    speaker_role=cand.speaker_role,
                )
            except InvalidInput as exc:  # a candidate the validator refuses is skipped, not fatal
                log.info("suggestion skipped for article %s at %s: %s", article_id, cand.start, exc)
                continue
            taken.add((cand.start, cand.end, cand.kind))
            made += 1
    return made
