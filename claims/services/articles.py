"""Articles: intake (text, HTML, URL), ingestion (fetch -> decode -> extract -> clean), failure, metadata
edits, discarding, and the near-duplicate check.

Imported through `claims.services` by views, tasks, commands and the admin; imports models, the pure
packages and the other service modules below it, never claims.tasks, api or web."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from claims.errors import Conflict, InvalidInput
from claims.ingest import simhash
from claims.ingest.extract import ExtractionError, extract_html
from claims.ingest.fetch import FetchError, FetchPolicy, fetch, vet_url
from claims.ingest.pipeline import read_fetched, read_pasted
from claims.ingest.urls import UrlError, canonical_url
from claims.models import (
    Article,
    Claim,
)
from claims.models.claim import effective_date as claim_effective_date
from claims.services.audit import Actor, _diff, _enqueue_check, _user, audit_record, content_hash, enqueue
from claims.services.names import outlet_get_or_create, outlet_name

MAX_INPUT_CHARS = 2_000_000


def _check_text_input(field: str, raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput.one(field, "is empty")
    if len(raw) > MAX_INPUT_CHARS:
        raise InvalidInput.one(field, f"is too large ({len(raw)} characters; at most {MAX_INPUT_CHARS})")
    if "\x00" in raw:
        raise InvalidInput.one(field, "contains NUL characters: this looks like binary data, not text")
    controls = sum(1 for ch in raw[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 20:
        raise InvalidInput.one(field, "contains control characters: this looks like binary data, not text")
    return raw


def fetch_policy() -> FetchPolicy:
    """The FetchPolicy for fetching articles and feeds. Tests that fetch from their own local server set
    `settings.INGEST_FETCH_POLICY` to that server's policy; production never sets it and gets the strict default."""
    policy = getattr(settings, "INGEST_FETCH_POLICY", None)
    return policy if isinstance(policy, FetchPolicy) else FetchPolicy()


def article_submit(
    *,
    actor: Actor,
    text: str | None = None,
    html: str | None = None,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published_at: datetime.datetime | None = None,
) -> tuple[Article, bool]:
    """Take an article in one of three forms. Returns (article, created); an article seen before (same canonical
    URL, or the same input) is returned as it is instead of being stored twice. Extraction runs in the background.

    A URL refused for what it says (scheme, credentials, a literal non-public address or localhost, port — see
    `fetch.vet_url`) raises InvalidInput naming `url` and stores nothing; only what fetching finds out (a name that
    resolves inside, a redirect there, HTTP errors) makes a failed article. A discarded article whose URL comes
    again takes the new submission in its row (the URL is unique), as a new article."""
    if text is not None and html is not None:
        raise InvalidInput(
            {"text": ["send exactly one of text, html or url"], "html": ["send exactly one of text, html or url"]}
        )
    source = Article.Source.TEXT if text is not None else Article.Source.HTML if html is not None else None
    if source is None:
        if not url:
            raise InvalidInput({"text": ["send exactly one of text, html or url"]})
        if title or outlet or published_at:
            raise InvalidInput({"url": ["a URL alone is fetched; title, outlet and published_at come from the page"]})
        source = Article.Source.URL
    if outlet:  # checked before the look-up of an earlier copy: a bad name is refused, never passed over
        outlet = outlet_name(outlet)
    raw = ""
    if source != Article.Source.URL:
        raw = _check_text_input(source, text if source == Article.Source.TEXT else html)
    canonical = None
    if url:
        try:
            canonical = canonical_url(vet_url(url, fetch_policy()))
        except UrlError as exc:
            raise InvalidInput.one("url", str(exc)) from None
    if published_at is not None and published_at.tzinfo is None:
        published_at = timezone.make_aware(published_at, datetime.UTC)
    raw_digest = content_hash(raw or canonical or "")
    existing = None
    if canonical:
        existing = Article.objects.filter(url=canonical).first()
    if existing is None and raw:
        existing = Article.objects.filter(raw_hash=raw_digest, deleted_at__isnull=True).order_by("id").first()
    if existing is not None and existing.deleted_at is None:
        return existing, False
    with transaction.atomic():
        fields = {
            "url": canonical,
            "title": (title or "").strip()[:500],
            "outlet": outlet_get_or_create(name=outlet, actor=actor) if outlet else None,
            "published_at": published_at,
            "source": source,
            "raw": raw,
            "raw_hash": raw_digest,
            "created_by": _user(actor),
        }
        if existing is None:
            article = Article.objects.create(**fields)
        else:
            reused = _article_reuse(existing, fields)
            if reused is None:  # brought back by a concurrent submission of the same URL
                return Article.objects.get(pk=existing.pk), False
            article = reused
        audit_record(
            entity="article",
            entity_id=article.pk,
            action="submit",
            changes={"source": source, "url": canonical, "reused_discarded": existing is not None},
            actor=actor,
        )

        enqueue("claims.ingest_article", article.pk)
    return article, True


def article_ingest(*, article_id: int) -> Article:
    """Fetch (for URLs), extract and clean a pending article, then mark it ready or failed with a readable
    error. A transient fetch error propagates as FetchError(transient=True) for the task to retry; any other
    problem fails the article. Running it on an article that is no longer pending does nothing."""
    article = Article.objects.select_related("outlet").get(pk=article_id)
    if article.status != Article.Status.PENDING:
        return article
    try:
        if article.source == Article.Source.URL:
            assert article.url
            page = fetch(article.url, policy=fetch_policy())
            extracted, raw = read_fetched(page)
        elif article.source == Article.Source.HTML:
            extracted, raw = extract_html(article.raw, url=article.url), article.raw
        else:
            extracted, raw = read_pasted(article.raw, title=article.title or None), article.raw
    except FetchError as exc:
        if exc.transient:
            raise
        return article_fail(article_id=article.pk, reason=f"could not fetch the page: {exc.reason}")
    except ExtractionError as exc:
        return article_fail(article_id=article.pk, reason=str(exc))
    if not extracted.text.strip():
        return article_fail(article_id=article.pk, reason="no article text was found")
    found_url = None
    if extracted.url and not article.url:
        try:
            found_url = canonical_url(extracted.url)
        except UrlError:
            found_url = None
    digest = content_hash(extracted.text)
    fingerprint = simhash.simhash(extracted.text)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.status != Article.Status.PENDING:
            return article
        twin, distance = article_find_twin(article=article, digest=digest, text=extracted.text, fingerprint=fingerprint)
        if found_url and not Article.objects.filter(url=found_url).exclude(pk=article.pk).exists():
            article.url = found_url
        elif found_url and twin is None:
            twin = Article.objects.filter(url=found_url).exclude(pk=article.pk).first()
        article.raw = raw
        article.text = extracted.text
        article.content_hash = digest
        article.title = article.title or (extracted.title or "")[:500]
        article.byline = article.byline or (extracted.byline or "")[:300]
        article.published_at = article.published_at or extracted.published_at
        if article.outlet is None and extracted.outlet:
            article.outlet = outlet_get_or_create(name=extracted.outlet[:200])
        article.duplicate_of = twin
        _set_simhash(article, fingerprint)
        article.status = Article.Status.READY
        article.error = ""
        article.save()
        audit_record(
            entity="article",
            entity_id=article.pk,
            action="ready",
            changes={
                "duplicate_of": twin.pk if twin else None,
                "chars": len(article.text),
                "near_duplicate_bits": distance,
            },
            actor=None,
        )
        if twin is None:
            enqueue("claims.suggest_claims", article_id)
    return article


def article_fail(*, article_id: int, reason: str) -> Article:
    """Mark a pending article failed with a reason an editor can read (a no-op on one that is not pending)."""
    with transaction.atomic():
        updated = Article.objects.filter(pk=article_id, status=Article.Status.PENDING).update(
            status=Article.Status.FAILED, error=reason[:2000], updated_at=timezone.now()
        )
        if updated:
            audit_record(entity="article", entity_id=article_id, action="fail", changes={"error": reason}, actor=None)
    return Article.objects.get(pk=article_id)


def _article_reuse(discarded: Article, fields: dict[str, Any]) -> Article | None:
    """Give a discarded article's row to a new submission: every field as if just created. Only failed articles
    are discarded, so no claim or version hangs off it. None when it is no longer discarded."""
    now = timezone.now()
    reset = {
        "byline": "",
        "text": "",
        "content_hash": "",
        "simhash": None,
        "simhash_b0": None,
        "simhash_b1": None,
        "simhash_b2": None,
        "simhash_b3": None,
        "status": Article.Status.PENDING,
        "error": "",
        "duplicate_of": None,
        "version": 1,
        "deleted_at": None,
        "created_at": now,
        "updated_at": now,
    }
    if not Article.objects.filter(pk=discarded.pk, deleted_at__isnull=False).update(**fields, **reset):
        return None
    return Article.objects.get(pk=discarded.pk)


def article_discard(*, article: Article, actor: Actor) -> Article:
    """Soft-delete a failed article: `deleted_at` is set, and every list, page and API read leaves it out (see
    selectors), while the row and its audit trail stay. Only failed articles are discarded — a ready one carries
    claims that readers and the detector rely on, a pending one is still being ingested (Conflict). Discarding a
    discarded article again changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        discarded = Article.objects.filter(pk=article.pk, status=Article.Status.FAILED, deleted_at__isnull=True).update(
            deleted_at=now, updated_at=now
        )
        if discarded:
            audit_record(
                entity="article",
                entity_id=article.pk,
                action="discard",
                changes={"deleted_at": [None, now.isoformat()], "url": article.url, "error": article.error},
                actor=actor,
            )
    article.refresh_from_db()
    if article.deleted_at is None:
        raise Conflict(f"article {article.pk} is {article.status}; only a failed article can be discarded")
    return article


ARTICLE_EDITABLE = ("title", "byline", "published_at", "outlet")


def article_update(*, article: Article, actor: Actor, **changes: Any) -> Article:
    """Edit an article's metadata (title, byline, published_at, outlet) with an audit row. A new publication date
    re-dates its claims (their stored effective date) and queues a check of each confirmed one, since the
    detector's change-over-time windows read that date. Status, version and text change only through ingestion."""
    unknown = set(changes) - set(ARTICLE_EDITABLE)
    if unknown:
        raise InvalidInput({name: ["is not editable here"] for name in sorted(unknown)})
    published = changes.get("published_at", article.published_at)
    if published is not None and not isinstance(published, datetime.datetime):
        raise InvalidInput.one("published_at", "must be a date and time")
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        diff = _diff(current, changes)
        if not diff:
            return current
        for field, value in changes.items():
            setattr(current, field, value)
        current.save(update_fields=[*changes, "updated_at"])
        audit_record(entity="article", entity_id=current.pk, action="update", changes=diff, actor=actor)
        if "published_at" in diff:
            redated = []
            for claim in Claim.objects.select_for_update().filter(article=current, as_of__isnull=True):
                claim.effective_date = claim_effective_date(None, current.published_at)
                claim.checked_at = None
                redated.append(claim)
            Claim.objects.bulk_update(redated, ["effective_date", "checked_at"])
            for claim in redated:
                if claim.status == Claim.Status.CONFIRMED:
                    _enqueue_check(claim.pk)
    return current


# At most this many articles sharing a SimHash band are compared; a band shared by more is a degenerate hash
# (e.g. of very repetitive texts), and the exact content hash still catches true copies among them.
NEAR_DUPLICATE_CANDIDATES = 200


def _set_simhash(article: Article, fingerprint: int) -> None:
    article.simhash = simhash.to_signed(fingerprint)
    article.simhash_b0, article.simhash_b1, article.simhash_b2, article.simhash_b3 = simhash.bands(fingerprint)


def article_find_twin(
    *, article: Article, digest: str, text: str, fingerprint: int
) -> tuple[Article | None, int | None]:
    """The ready article that `text` (about to become `article`'s) is a copy of, and how many SimHash bits apart.

    First the same content hash (distance 0): the same words, whitespace and case aside. Then a near-duplicate: a
    SimHash at most `simhash.MAX_DISTANCE` bits away, found through the four indexed band columns (pigeonhole: a
    hash that close shares a whole band) and checked in Python — unless the two state different figures, for a
    number that moved is news and the two are different reports. Texts shorter than `simhash.MIN_SHINGLES`
    shingles are matched by the content hash only. A twin that is itself a duplicate gives its original, so links
    never chain; articles that are duplicates of `article` are never its twin (no cycles)."""
    others = Article.objects.filter(status=Article.Status.READY).exclude(pk=article.pk)
    if article.pk is not None:
        others = others.exclude(duplicate_of=article.pk)
    exact = others.filter(content_hash=digest).order_by("id").only("id", "duplicate_of_id").first()
    if exact is not None:
        return _original(exact, article), 0
    if len(simhash.shingles(text)) < simhash.MIN_SHINGLES:
        return None, None
    near = article_near_candidates(others, fingerprint).values_list("id", "simhash")[:NEAR_DUPLICATE_CANDIDATES]
    close = sorted(
        (simhash.hamming(fingerprint, value), pk)
        for pk, value in near
        if value is not None and simhash.hamming(fingerprint, value) <= simhash.MAX_DISTANCE
    )
    for distance, pk in close:
        candidate = Article.objects.only("id", "text", "duplicate_of_id").get(pk=pk)
        if not simhash.figures_differ(candidate.text, text):
            return _original(candidate, article), distance
    return None, None


def article_near_candidates(articles: QuerySet[Article], fingerprint: int) -> QuerySet[Article]:
    """The articles among `articles` sharing at least one SimHash band with `fingerprint`: four indexed equality
    tests (PostgreSQL combines them in a BitmapOr), never a scan of the table."""
    b0, b1, b2, b3 = simhash.bands(fingerprint)
    return articles.filter(Q(simhash_b0=b0) | Q(simhash_b1=b1) | Q(simhash_b2=b2) | Q(simhash_b3=b3)).order_by("id")


def _original(found: Article, article: Article) -> Article | None:
    root_id = found.duplicate_of_id or found.pk
    if root_id == article.pk:
        return None
    return found if root_id == found.pk else Article.objects.get(pk=root_id)
