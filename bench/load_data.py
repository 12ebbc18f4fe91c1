"""Data for the load test: synthetic articles (our own sentence templates) and a few thousand confirmed claims made
through the services, with contradicting figures and dates, checked in-process as they are made.

    DATABASE_URL=postgresql://... .venv/bin/python bench/load_data.py OUT.json [N_ARTICLES] [CLAIMS_PER_ARTICLE]

Run by bench/load_test.py against a freshly migrated database (without REDIS_URL, so checks run in this process).
Writes OUT.json: the editor's token and the ids and spans the simulated users read and write.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# 400 made-up town names: each appears in a handful of articles, so each subject has a few claims to compare.
_HEADS = [
    "Ab",
    "Bel",
    "Cor",
    "Dun",
    "El",
    "Fal",
    "Gar",
    "Hes",
    "Il",
    "Jor",
    "Kes",
    "Lor",
    "Mir",
    "Nor",
    "Os",
    "Pel",
    "Quar",
    "Ren",
    "Sal",
    "Tar",
]
_TAILS = [
    "renna",
    "var",
    "sk",
    "mere",
    "vora",
    "reach",
    "row",
    "sel",
    "vane",
    "vik",
    "bay",
    "ne",
    "field",
    "hollow",
    "kara",
    "lan",
    "by",
    "holm",
    "moor",
    "ten",
]
TOWNS = [head + tail for head in _HEADS for tail in _TAILS]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
OUTLETS = ["Valley Courier", "Coastal Herald", "Radio Lumen", "The Morning Ledger", "Northline News"]


def article_text(rng: random.Random, number: int, towns: list[str]) -> tuple[str, list[tuple[str, str, object]]]:
    """Text and the (sentence, quote, value) of each claim in it: evacuee counts and bridge reopening dates."""
    lines = [f"Flood update {number}: evacuations continue across the valley", ""]
    claims: list[tuple[str, str, object]] = []
    for index, town in enumerate(towns):
        if index % 4 == 3:
            year = rng.choice([2019, 2019, 2019, 2021])  # mostly agreeing, sometimes not
            month = MONTHS[(len(town) + year) % 12]
            quote = f"{month} {year}"
            sentence = f"The old bridge at {town} reopened in {quote}, the council said."
            claims.append((sentence, quote, f"{year}-{MONTHS.index(month) + 1:02d}"))
        else:
            base = 500 + 10 * (sum(map(ord, town)) % 400)
            value = base if rng.random() < 0.8 else int(base * rng.choice([0.7, 0.8, 1.25, 1.4]))
            quote = f"{value:,} residents"
            sentence = f"Officials in {town} said {quote} had left their homes by the weekend."
            claims.append((sentence, quote, value))
        lines.append(claims[-1][0])
        lines.append("")
    return "\n".join(lines), claims


def main() -> None:
    out = Path(sys.argv[1])
    n_articles = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    per_article = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from claims import services
    from claims.models import Article, Claim, Contradiction, Subject

    rng = random.Random(9)
    editor = User.objects.create_user("load-editor", "load@example.org", "load-editor-pass-1")
    editor.groups.add(Group.objects.get(name="editor"))
    token = Token.objects.create(user=editor).key
    started = time.monotonic()
    spans: list[dict[str, object]] = []
    made = 0
    for number in range(n_articles):
        towns = rng.sample(TOWNS, min(per_article, len(TOWNS)))
        text, claims = article_text(rng, number, towns)
        published = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=number % 20)
        article, _ = services.article_submit(
            actor=editor,
            text=text,
            title=f"Flood update {number}",
            outlet=OUTLETS[number % len(OUTLETS)],
            published_at=published,
        )
        article.refresh_from_db()
        if article.status == Article.Status.PENDING:
            services.article_ingest(article_id=article.pk)
            article.refresh_from_db()
        if article.status != Article.Status.READY:
            raise SystemExit(f"article {number} did not become ready: {article.status} {article.error}")
        for town, (sentence, quote, value) in zip(towns, claims, strict=True):
            at = article.text.find(sentence)
            if at < 0:
                raise SystemExit(f"cleaning changed a sentence of article {number}: {sentence!r}")
            start = at + sentence.index(quote)
            fields: dict[str, Any]
            if isinstance(value, int):
                fields = {
                    "kind": "quantity",
                    "subject": f"Evacuations in {town}",
                    "attribute": "evacuee count",
                    "value": value,
                    "unit": "residents",
                    "qualifier": "exact",
                }
            else:
                fields = {
                    "kind": "date",
                    "subject": f"{town} bridge reopening",
                    "attribute": "event date",
                    "value": value,
                }
            services.claim_create(
                actor=editor, article=article, quote=quote, start=start, end=start + len(quote), **fields
            )
            made += 1
            if fields["kind"] == "quantity":
                spans.append(
                    {
                        "article": article.pk,
                        "start": start,
                        "end": start + len(quote),
                        "quote": quote,
                        "subject": fields["subject"],
                        "base": value,
                    }
                )
        if number % 25 == 24:
            print(f"  {number + 1} articles, {made} claims, {time.monotonic() - started:.0f} s", flush=True)
    summary = {
        "token": token,
        "claims": list(Claim.objects.filter(status=Claim.Status.CONFIRMED).values_list("id", flat=True)),
        "subjects": list(Subject.objects.values_list("id", flat=True)),
        "contradictions": list(Contradiction.objects.values_list("id", flat=True)),
        "spans": spans,
        "all_claims": Claim.objects.count(),
        "unchecked": Claim.objects.filter(status=Claim.Status.CONFIRMED, checked_at__isnull=True).count(),
        "seconds": round(time.monotonic() - started, 1),
    }
    out.write_text(json.dumps(summary))
    print(
        f"loaded {n_articles} articles, {len(summary['claims'])} confirmed claims ({summary['all_claims']} in all), "
        f"{len(summary['contradictions'])} contradictions in {summary['seconds']} s"
    )


if __name__ == "__main__":
    main()
