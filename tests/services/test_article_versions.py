"""Article versions through the services: a changed copy of a ready article becomes a new version, every claim is
re-anchored by its quote and context or marked orphaned, and what changed is recorded; near-duplicates are linked.

Tasks run in-process after commit (eager Celery), so the re-check of moved claims is the real detector run."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import services
from claims.errors import Conflict, InvalidInput
from claims.ingest import simhash as sh
from claims.models import Article, ArticleVersion, AuditEvent, Claim
from tests.factories import make_article, make_claim
from tests.ingest.httpserver import LocalServer, local_server  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db(transaction=True)

# Our own story, long enough for the near-duplicate check (it needs simhash.MIN_SHINGLES shingles).
V1 = """Harbour cranes stand idle as dock strike enters second week

About 2,400 dock workers stayed away from the container terminal on Monday, union spokeswoman Mara Lindqvist said.

The port authority said 31 ships were waiting at anchor outside the breakwater, the longest queue since the
terminal opened in March 2019.

Talks between the union and the three stevedoring companies broke down on Friday over night-shift pay and the
use of agency staff, and no new date has been set.

Lindqvist said the strike could last several months if the companies did not return to the table with a better
offer on pay.

Shipping lines have begun diverting vessels to the deep-water port further along the coast, where officials said
they could handle some of the extra traffic but warned of delays for lorry drivers collecting containers.

Local hauliers said their drivers had been paid only for a few hours of work since the stoppage began, and some
had already taken jobs elsewhere.

Supermarkets in the region said they had enough stock for now, but fruit importers warned that refrigerated
containers left on the quay would start to spoil within days if the cranes stayed idle.

The union's members voted by a large majority last month to reject the companies' final offer, which would have
raised basic pay but removed the guaranteed minimum of shifts for part-time crane drivers. The companies say the
guarantee makes it impossible to plan staffing when traffic falls in the winter months.

Residents living near the terminal said the unusual quiet had been a relief after years of night-time noise,
although several small cafés that serve dock workers said they had lost most of their trade."""

# The page a week later: the headcount moved, a paragraph was added, one was cut, the text re-wrapped.
V2 = """Harbour cranes stand idle as dock strike enters second week

About 2,500 dock workers stayed away from the container terminal on Monday, union spokeswoman Mara Lindqvist said.

The port authority said 31 ships were waiting at anchor outside the breakwater, the longest queue since the
terminal-opened in March 2019.

The labour ministry said on Tuesday it had appointed a mediator, a former judge, to meet both sides this week.

Talks between the union and the three stevedoring companies broke down on Friday over night-shift pay and the
use of agency staff, and no new date has been set.

Lindqvist said the strike could last several months if the companies did not return to the table with a better
offer on pay.

Local hauliers said their drivers had been paid only for a few hours of work since the stoppage began, and some
had already taken jobs elsewhere.

Supermarkets in the region said they had enough stock for now, but fruit importers warned that refrigerated
containers left on the quay would start to spoil within days if the cranes stayed idle.

The union's members voted by a large majority last month to reject the companies' final offer, which would have
raised basic pay but removed the guaranteed minimum of shifts for part-time crane drivers. The companies say the
guarantee makes it impossible to plan staffing when traffic falls in the winter months.

Residents living near the terminal said the unusual quiet had been a relief after years of night-time noise,
although several small cafés that serve dock workers said they had lost most of their trade."""

# "terminal opened" moves onto the line before: the same words with other whitespace.
V2 = V2.replace("since the\nterminal-opened", "since the terminal opened")


def _ready(text: str, **fields: Any) -> Article:
    article, created = services.article_submit(actor=None, text=text, **fields)
    assert created
    article.refresh_from_db()
    assert article.status == Article.Status.READY, article.error
    return article


def _claims(article: Article) -> dict[str, Claim]:
    made = {
        "count": make_claim(article, "About 2,400 dock workers", value=2400, unit="workers"),
        "ships": make_claim(
            article, "31 ships were waiting", value=31, unit="ships", subject="Ships at anchor", attribute="ship count"
        ),
        "opened": make_claim(
            article,
            "terminal opened in March 2019",
            kind="date",
            value="2019-03",
            subject="Container terminal",
            attribute="opening date",
        ),
        "duration": make_claim(
            article,
            "could last several months",
            kind="duration",
            value={"min": 2, "max": None, "unit": "month"},
            subject="Dock strike",
            attribute="expected length",
        ),
        "diverting": make_claim(
            article,
            "Shipping lines have begun diverting vessels",
            kind="statement",
            subject="Shipping lines",
            attribute="diversions",
        ),
    }
    return made


def test_a_changed_copy_becomes_a_version_and_every_claim_is_reanchored_or_orphaned() -> None:
    article = _ready(V1, title="Harbour cranes stand idle as dock strike enters second week")
    old_text = article.text
    claims = _claims(article)
    before = timezone.now()

    article, kept = services.article_refetch(article_id=article.pk, text=V2)

    assert kept is not None
    assert article.version == 2
    assert "About 2,500 dock workers" in article.text and "2,400" not in article.text
    # The old text is kept as version 1, with what changed on the way to version 2.
    assert (kept.number, kept.text, kept.content_hash) == (1, old_text, services.content_hash(old_text))
    changes = kept.changes
    assert [(n["old"], n["new"]) for n in changes["numbers"]] == [("2,400", "2,500")]
    assert any("appointed a mediator" in sentence for sentence in changes["added"])
    assert any("Shipping lines have begun diverting" in sentence for sentence in changes["removed"])
    assert changes["summary"].startswith("1 figure changed")

    fresh = {name: Claim.objects.get(pk=claim.pk) for name, claim in claims.items()}
    # Gone: the figure moved, and the diversion paragraph was cut. They keep their quote for the editor.
    for name in ("count", "diverting"):
        assert fresh[name].orphaned, name
        assert fresh[name].quote == claims[name].quote
        assert fresh[name].version == claims[name].version + 1
    # Still there: re-anchored, each span reading its quote in the new text.
    for name in ("ships", "opened", "duration"):
        claim = fresh[name]
        assert not claim.orphaned, name
        assert " ".join(article.text[claim.start : claim.end].split()) == " ".join(claims[name].quote.split())
        assert claim.prefix == article.text[max(0, claim.start - 80) : claim.start]
    # "terminal opened in March 2019" was re-wrapped onto one line: the stored quote now reads the new text.
    assert fresh["opened"].quote == "terminal opened in March 2019"
    # The duration claim moved down (a paragraph was added before it) and was re-checked by the worker.
    assert fresh["duration"].start > claims["duration"].start
    assert fresh["duration"].version == claims["duration"].version + 1
    assert fresh["duration"].checked_at is not None and fresh["duration"].checked_at >= before
    assert fresh["count"].checked_at is not None and fresh["count"].checked_at >= before

    mine = {claim.pk for claim in claims.values()}
    assert set(changes["claims"]["orphaned"]) & mine == {claims["count"].pk, claims["diverting"].pk}
    # The system's own suggestions are re-anchored too: those orphaned read words the new text lacks.
    for claim in Claim.objects.filter(pk__in=set(changes["claims"]["orphaned"]) - mine):
        # (suggested, or rejected as covered by the editor's claim on the same span)
        assert claim.status != Claim.Status.CONFIRMED and claim.quote not in article.text
    assert claims["duration"].pk in changes["claims"]["moved"]
    event = AuditEvent.objects.get(entity="article", entity_id=article.pk, action="new_version")
    assert event.changes["version"] == [1, 2]
    assert event.changes["numbers"][0]["new"] == "2,500"
    reanchored = AuditEvent.objects.filter(entity="claim", action="reanchor")
    assert {e.entity_id for e in reanchored} >= {claims["count"].pk, claims["duration"].pk}
    assert reanchored.get(entity_id=claims["count"].pk).changes["orphaned"] == [False, True]


def test_a_quote_that_comes_back_is_restored_and_the_same_copy_again_changes_nothing() -> None:
    article = _ready(V1)
    count = make_claim(article, "About 2,400 dock workers", value=2400, unit="workers")
    original = (count.start, count.end)
    services.article_refetch(article_id=article.pk, text=V2)
    assert Claim.objects.get(pk=count.pk).orphaned

    article, kept = services.article_refetch(article_id=article.pk, text=V1)  # the outlet corrected itself
    assert kept is not None and kept.number == 2
    assert article.version == 3
    restored = Claim.objects.get(pk=count.pk)
    assert not restored.orphaned
    assert (restored.start, restored.end) == original
    assert count.pk in kept.changes["claims"]["restored"]

    # The same copy once more, or re-wrapped: no new version, nothing touched.
    for same in (V1, re.sub(r"(?<!\n)\n(?!\n)", " ", V1)):  # the same, then with paragraphs re-wrapped
        article, kept = services.article_refetch(article_id=article.pk, text=same)
        assert kept is None
    assert article.version == 3
    assert ArticleVersion.objects.filter(article=article).count() == 2
    assert Claim.objects.get(pk=count.pk).version == restored.version


def test_bad_refresh_input_is_refused_and_changes_nothing() -> None:
    article = _ready(V1)
    claim = make_claim(article, "About 2,400 dock workers", value=2400, unit="workers")
    for text, html, field in (("", None, "text"), ("a\x00b", None, "text"), (V2, "<p>x</p>", "html")):
        with pytest.raises(InvalidInput) as problem:
            services.article_refetch(article_id=article.pk, text=text, html=html)
        assert field in problem.value.errors
    no_url = make_article(url=None)
    # An article with no URL to fetch again is the article as it is, not bad input.
    with pytest.raises(Conflict, match="has no URL to fetch"):
        services.article_refetch_request(article=no_url, actor=None)
    with pytest.raises(Conflict, match="has no URL to fetch"):
        services.article_refetch(article_id=no_url.pk)
    pending = make_article(status=Article.Status.PENDING, text="", url="https://news.example/pending")
    with pytest.raises(Conflict):
        services.article_refetch(article_id=pending.pk, text=V2)
    with pytest.raises(Conflict):
        services.article_refetch_request(article=pending, actor=None)
    article.refresh_from_db()
    assert article.version == 1
    assert not ArticleVersion.objects.exists()
    assert Claim.objects.get(pk=claim.pk).version == claim.version


def _page(body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n")[1:])
    return (
        f"<html><head><title>Dock strike</title></head><body><nav>Home | Business | Sport</nav>"
        f"<article><h1>{body.splitlines()[0]}</h1>{paragraphs}</article>"
        f"<footer>Contact the newsdesk</footer></body></html>"
    ).encode()


def test_refetching_a_url_makes_a_version_in_the_background(
    local_server: LocalServer,  # noqa: F811
    settings: Any,
) -> None:
    settings.INGEST_FETCH_POLICY = local_server.policy()
    route = local_server.route("/2025/dock-strike", body=_page(V1))
    article, created = services.article_submit(actor=None, url=local_server.url("/2025/dock-strike"))
    article.refresh_from_db()
    assert created and article.status == Article.Status.READY, article.error
    count = make_claim(article, "About 2,400 dock workers", value=2400, unit="workers")
    ships = make_claim(
        article, "31 ships were waiting", value=31, unit="ships", subject="Ships at anchor", attribute="ship count"
    )

    # Posting the same URL again answers with the article as it is: no fetch, no version.
    again, created = services.article_submit(actor=None, url=local_server.url("/2025/dock-strike?utm_source=x"))
    assert (again.pk, created) == (article.pk, False)
    assert len(local_server.requests) == 1

    route.body = _page(V2)
    services.article_refetch_request(article=article, actor=None)  # the task runs on commit (eager)
    article.refresh_from_db()
    assert article.version == 2
    assert "About 2,500 dock workers" in article.text
    assert Claim.objects.get(pk=count.pk).orphaned
    moved = Claim.objects.get(pk=ships.pk)
    assert not moved.orphaned and article.text[moved.start : moved.end] == "31 ships were waiting"
    assert AuditEvent.objects.filter(entity="article", entity_id=article.pk, action="refetch").exists()

    # Run again with the page unchanged: safe, no new version.
    services.article_refetch_request(article=article, actor=None)
    article.refresh_from_db()
    assert article.version == 2

    # A page that has gone keeps the article as it is and records why.
    route.status, route.body = 404, b"gone"
    services.article_refetch_request(article=article, actor=None)
    article.refresh_from_db()
    assert article.version == 2 and article.status == Article.Status.READY
    failed = AuditEvent.objects.get(entity="article", entity_id=article.pk, action="refresh_failed")
    assert "404" in failed.changes["error"]


# ---------------------------------------------------------------------------------------------- near-duplicates

BOILERPLATE = "\n\nFollow our coverage of the dispute on the live page."


def test_a_near_duplicate_is_linked_to_the_original() -> None:
    original = _ready(V1)
    assert original.simhash is not None
    assert (original.simhash_b0, original.simhash_b1, original.simhash_b2, original.simhash_b3) == sh.bands(
        original.simhash
    )
    copy = _ready(V1 + BOILERPLATE, url="https://other.example/dock-strike")
    assert copy.content_hash != original.content_hash  # not an exact twin
    distance = sh.hamming(copy.simhash, original.simhash)  # type: ignore[arg-type]
    assert distance <= sh.MAX_DISTANCE
    assert copy.duplicate_of_id == original.pk
    ready = AuditEvent.objects.get(entity="article", entity_id=copy.pk, action="ready")
    assert ready.changes["near_duplicate_bits"] == distance
    # A copy of the copy links to the original, never to a duplicate.
    third = _ready(V1 + BOILERPLATE + "\n\nShare this story.", url="https://third.example/dock")
    assert third.duplicate_of_id == original.pk
    # Duplicates get no suggestions of their own.
    assert not Claim.objects.filter(article__in=[copy, third]).exists()


def test_a_near_copy_whose_figures_moved_is_a_different_report() -> None:
    original = _ready(V1)
    updated = _ready(V1.replace("About 2,400", "About 2,500"), url="https://other.example/dock-strike-update")
    assert sh.hamming(updated.simhash, original.simhash) <= sh.MAX_DISTANCE  # type: ignore[arg-type]
    assert updated.duplicate_of_id is None


def test_unrelated_and_short_articles_are_not_linked() -> None:
    _ready(V1)
    other = _ready(
        "Council votes to close the old stone bridge\n\nCity engineers closed the old stone bridge over "
        "the river on Friday after divers found cracks in two of its supporting piers, diverting around "
        "9,000 vehicles a day onto the ring road. The council said the bridge would stay shut for at "
        "least six weeks while a specialist firm assessed the damage to the piers and the riverbed."
    )
    assert other.duplicate_of_id is None
    short = _ready("Ferry services resume.\n\nThe first ferry left at 6 a.m. on Tuesday, the operator said.")
    short_again = _ready(
        "Ferry services resume!\n\nThe first ferry left at 6 a.m. on Tuesday, the operator said.",
        url="https://x.example/ferry",
    )
    assert short.duplicate_of_id is None and short_again.duplicate_of_id is None


def test_the_candidate_lookup_is_one_indexed_query_whatever_the_number_of_articles() -> None:
    original = _ready(V1)
    for i in range(30):
        make_article(
            text=f"Unrelated story number {i} about the weather in town {i}.",
            simhash=sh.to_signed(i * 7919),
            simhash_b0=i,
            simhash_b1=i,
            simhash_b2=i,
            simhash_b3=i,
        )
    text = V1 + BOILERPLATE
    fingerprint = sh.simhash(text)
    probe = Article(pk=None)
    with CaptureQueriesContext(connection) as queries:
        twin, distance = services.article_find_twin(
            article=probe, digest=services.content_hash(text), text=text, fingerprint=fingerprint
        )
    assert twin is not None and twin.pk == original.pk
    assert distance is not None and distance <= sh.MAX_DISTANCE
    # exact-hash lookup, band lookup, the one candidate's text: never a query per stored article.
    assert len(queries) == 3
    band_query = queries[1]["sql"]
    assert all(f"simhash_b{i}" in band_query for i in range(4))


def test_the_migration_backfills_the_bands_of_existing_articles() -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("claims.migrations.0004_article_simhash_bands")
    article = _ready(V1)
    Article.objects.filter(pk=article.pk).update(
        simhash=None, simhash_b0=None, simhash_b1=None, simhash_b2=None, simhash_b3=None
    )
    migration.fill_simhashes(apps, None)
    article.refresh_from_db()
    assert article.simhash == sh.to_signed(sh.simhash(article.text))
    assert article.simhash_b2 == sh.bands(sh.simhash(article.text))[2]


def test_published_dates_are_untouched_by_a_new_version() -> None:
    published = datetime.datetime(2025, 3, 17, tzinfo=datetime.UTC)
    article = _ready(V1, published_at=published, outlet="Harbour Gazette")
    article, _kept = services.article_refetch(article_id=article.pk, text=V2)
    assert article.published_at == published
    assert article.outlet is not None and article.outlet.name == "Harbour Gazette"


def test_the_band_lookup_uses_the_band_indexes_not_a_table_scan() -> None:
    import random

    rng = random.Random(11)
    rows = []
    for i in range(5000):
        value = rng.getrandbits(64)
        b0, b1, b2, b3 = sh.bands(value)
        rows.append(
            Article(
                title=f"filler {i}",
                source=Article.Source.TEXT,
                status=Article.Status.READY,
                text=f"filler {i}",
                content_hash=f"{i:064x}",
                simhash=sh.to_signed(value),
                simhash_b0=b0,
                simhash_b1=b1,
                simhash_b2=b2,
                simhash_b3=b3,
            )
        )
    Article.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    candidates = services.article_near_candidates(Article.objects.filter(status=Article.Status.READY), sh.simhash(V1))
    plan = candidates.values_list("id", "simhash")[: services.NEAR_DUPLICATE_CANDIDATES].explain()
    for i in range(4):
        assert f"article_simhash_b{i}_idx" in plan, plan
    # PostgreSQL: a BitmapOr of four Bitmap Index Scans; SQLite: MULTI-INDEX OR of four index searches.
    assert "Seq Scan" not in plan and "SCAN claims_article\n" not in plan + "\n", plan
