"""Article versions: re-fetching a page, storing a changed copy as a new version and re-anchoring
its claims; retrying a failed article.

Imported through `claims.services` by views, tasks, commands and the admin; imports models, the pure
packages and the other service modules below it, never claims.tasks, api or web."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from claims.errors import Conflict, InvalidInput
from claims.ingest import simhash
from claims.ingest.anchor import reanchor
from claims.ingest.changes import describe_changes
from claims.ingest.clean import ExtractionError
from claims.ingest.extract import extract_html
from claims.ingest.fetch import FetchError, fetch
from claims.ingest.pipeline import read_fetched, read_pasted
from claims.models import (
    Article,
    ArticleVersion,
    Claim,
)
from claims.services.articles import _check_text_input, _set_simhash, article_find_twin, fetch_policy
from claims.services.audit import CONTEXT_CHARS, Actor, _diff, _enqueue_check, audit_record, content_hash, enqueue


def article_retry(*, article: Article, actor: Actor) -> Article:
    """Ingest a failed article again, in the background: a URL article is fetched again (as
    `article_refetch_request` does), pasted text or uploaded HTML is extracted again from the input kept on the
    article. Only a failed article that is not discarded can be retried (Conflict)."""

    if article.deleted_at is not None or article.status != Article.Status.FAILED:
        state = "discarded" if article.deleted_at is not None else article.status
        raise Conflict(f"article {article.pk} is {state}; only a failed article can be retried")
    if article.source == Article.Source.URL:
        return article_refetch_request(article=article, actor=actor)
    with transaction.atomic():
        retried = Article.objects.filter(pk=article.pk, status=Article.Status.FAILED, deleted_at__isnull=True).update(
            status=Article.Status.PENDING, error="", updated_at=timezone.now()
        )
        if retried:
            audit_record(
                entity="article", entity_id=article.pk, action="retry", changes={"error": article.error}, actor=actor
            )
            enqueue("claims.ingest_article", article.pk)
    article.refresh_from_db()
    return article


def article_refetch_request(*, article: Article, actor: Actor) -> Article:
    """Ask for `article`'s page to be fetched again in the background (task `claims.refetch_article`), which makes a
    new version if the cleaned text changed. A URL article whose first ingestion failed is queued for ingestion
    again instead. Needs a URL; a pending article is still being ingested (Conflict)."""

    if not article.url:
        raise Conflict(f"article {article.pk} has no URL to fetch; send its new text or html instead")
    if article.status == Article.Status.PENDING:
        raise Conflict(f"article {article.pk} is still being ingested; try again when it is ready")
    with transaction.atomic():
        if article.status == Article.Status.FAILED:
            if article.source != Article.Source.URL:
                raise Conflict(f"article {article.pk} failed ({article.error}); submit its text or html again")
            still_failed = Article.objects.filter(pk=article.pk, status=Article.Status.FAILED, deleted_at__isnull=True)
            retried = still_failed.update(status=Article.Status.PENDING, error="", updated_at=timezone.now())
            if retried:
                audit_record(entity="article", entity_id=article.pk, action="retry", changes={}, actor=actor)
                enqueue("claims.ingest_article", article.pk)
        else:
            audit_record(
                entity="article", entity_id=article.pk, action="refetch", changes={"url": article.url}, actor=actor
            )
            enqueue("claims.refetch_article", article.pk)
    article.refresh_from_db()
    return article


def article_refetch(
    *, article_id: int, text: str | None = None, html: str | None = None, actor: Actor = None
) -> tuple[Article, ArticleVersion | None]:
    """Take a new copy of a ready article — the `text` or `html` given, or else its URL fetched again — and, when
    its cleaned text differs (whitespace and case aside), make it a new version (see `article_new_version`).
    Returns (article, the ArticleVersion that keeps the replaced text, or None when nothing changed).

    Bad given input raises InvalidInput and changes nothing. A fetch problem does not touch the article, whose
    current text stays good: a transient one propagates (FetchError) for the task to retry, a permanent one or a
    page without an article is recorded as a `refresh_failed` audit event and returns (article, None)."""
    article = Article.objects.get(pk=article_id)
    if text is not None and html is not None:
        raise InvalidInput({"text": ["send one of text or html"], "html": ["send one of text or html"]})
    if article.status != Article.Status.READY:
        raise Conflict(f"article {article.pk} is {article.status}; only a ready article gets new versions")
    if text is not None or html is not None:
        field = "text" if text is not None else "html"
        raw = _check_text_input(field, text if text is not None else html)
        try:
            extracted = (
                read_pasted(raw, title=article.title or None) if field == "text" else extract_html(raw, url=article.url)
            )
        except ExtractionError as exc:
            raise InvalidInput.one(field, str(exc)) from None
        if not extracted.text.strip():
            raise InvalidInput.one(field, "no article text was found")
        return article_new_version(article_id=article.pk, text=extracted.text, raw=raw, actor=actor)
    if not article.url:
        raise Conflict(f"article {article.pk} has no URL to fetch; send its new text or html instead")
    try:
        page = fetch(article.url, policy=fetch_policy())
        extracted, body = read_fetched(page, title=article.title or None)
    except FetchError as exc:
        if exc.transient:
            raise
        return article_refetch_failed(article_id=article.pk, reason=f"could not fetch the page: {exc.reason}"), None
    except ExtractionError as exc:
        return article_refetch_failed(article_id=article.pk, reason=str(exc)), None
    if not extracted.text.strip():
        return article_refetch_failed(article_id=article.pk, reason="no article text was found"), None
    return article_new_version(article_id=article.pk, text=extracted.text, raw=body, actor=actor)


def article_refetch_failed(*, article_id: int, reason: str) -> Article:
    """Record that a new copy of a ready article could not be had; the article keeps its current version."""
    audit_record(
        entity="article", entity_id=article_id, action="refresh_failed", changes={"error": reason[:2000]}, actor=None
    )
    return Article.objects.get(pk=article_id)


def article_new_version(*, article_id: int, text: str, raw: str, actor: Actor) -> tuple[Article, ArticleVersion | None]:
    """Make cleaned `text` the current text of a ready article, keeping the old one as an ArticleVersion.

    In one transaction: the article's text n is kept as ArticleVersion n, created now (when it was replaced), with
    `changes` saying what changed from it to text n+1 (figures that moved, sentences edited, added and removed,
    and which claims moved or lost their quote); the article takes the new text as version n+1. Every claim is
    re-anchored by its quote and context (`claims.ingest.anchor`): a claim whose quote moved gets its new span and
    context; one whose quote is gone is marked `orphaned` (keeping its quote and context, so that it comes back if
    a later version restores the words); each such claim gets a new claim version and, once committed, a re-check
    by the worker (suggestions excepted: they are never compared). The
    duplicate link is worked out again for the new text, and suggestions are made for it. The same text again
    (whitespace and case aside) makes no version and returns (article, None); else (article, the version kept)."""
    digest = content_hash(text)
    fingerprint = simhash.simhash(text)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.status != Article.Status.READY:
            raise Conflict(f"article {article.pk} is {article.status}; only a ready article gets new versions")
        if digest == article.content_hash:
            audit_record(
                entity="article", entity_id=article.pk, action="refresh", changes={"changed": False}, actor=actor
            )
            return article, None
        old_text, old_hash, old_number = article.text, article.content_hash, article.version
        moved: list[int] = []
        orphaned: list[int] = []
        restored: list[int] = []
        still_orphaned: list[int] = []
        recheck: list[int] = []
        claims = list(Claim.objects.select_for_update().filter(article=article).order_by("id"))
        for claim in claims:
            span = reanchor(
                text, start=claim.start, end=claim.end, quote=claim.quote, prefix=claim.prefix, suffix=claim.suffix
            )
            new: dict[str, Any]
            if span is None:
                if claim.orphaned:
                    still_orphaned.append(claim.pk)
                    continue  # lost in an earlier version; keep the context it was saved with
                new = {"orphaned": True}
                orphaned.append(claim.pk)
            else:
                begin, finish = span
                new = {
                    "start": begin,
                    "end": finish,
                    "quote": text[begin:finish],
                    "orphaned": False,
                    "prefix": text[max(0, begin - CONTEXT_CHARS) : begin],
                    "suffix": text[finish : finish + CONTEXT_CHARS],
                }
                if claim.orphaned:
                    restored.append(claim.pk)
                elif (begin, finish, new["quote"]) != (claim.start, claim.end, claim.quote):
                    moved.append(claim.pk)
                else:  # same place, same words: only the context may have changed, which is not an edit
                    if (new["prefix"], new["suffix"]) != (claim.prefix, claim.suffix):
                        claim.prefix, claim.suffix = new["prefix"], new["suffix"]
                        claim.save(update_fields=["prefix", "suffix"])
                    continue
            diff = _diff(claim, {k: v for k, v in new.items() if k not in ("prefix", "suffix")})
            for field, value in new.items():
                setattr(claim, field, value)
            claim.version += 1
            claim.checked_at = None
            claim.save()
            audit_record(
                entity="claim",
                entity_id=claim.pk,
                action="reanchor",
                changes={**diff, "article_version": [old_number, old_number + 1]},
                actor=actor,
            )
            if claim.status != Claim.Status.SUGGESTED:
                recheck.append(claim.pk)
        twin, distance = article_find_twin(article=article, digest=digest, text=text, fingerprint=fingerprint)
        changes = describe_changes(old_text, text)
        changes["claims"] = {
            "moved": moved,
            "orphaned": orphaned,
            "restored": restored,
            "still_orphaned": still_orphaned,
            "kept": len(claims) - len(moved) - len(orphaned) - len(restored) - len(still_orphaned),
        }
        article.text, article.raw, article.content_hash = text, raw, digest
        _set_simhash(article, fingerprint)
        article.duplicate_of = twin
        article.version = old_number + 1
        article.save()
        version = ArticleVersion.objects.create(
            article=article, number=old_number, text=old_text, content_hash=old_hash, changes=changes
        )
        audit_record(
            entity="article",
            entity_id=article.pk,
            action="new_version",
            actor=actor,
            changes={
                "version": [old_number, article.version],
                "summary": changes["summary"],
                "numbers": changes["numbers"][:10],
                "claims": changes["claims"],
                "duplicate_of": twin.pk if twin else None,
                "near_duplicate_bits": distance,
            },
        )
        for claim_id in recheck:
            _enqueue_check(claim_id)
        if twin is None:
            enqueue("claims.suggest_claims", article_id)
    return article, version
