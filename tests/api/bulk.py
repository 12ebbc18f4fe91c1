"""Many rows fast (bulk_create) for query-count and export tests: articles, subjects with aliases and links,
speakers with aliases, claims of every kind and contradictions, some of them reviewed."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth.models import User
from django.utils import timezone

from claims.detect.names import norm_attribute, norm_name
from claims.models import Article, Claim, Contradiction, Outlet, Speaker, SpeakerAlias, Subject, SubjectAlias

TEXT = (
    "Harbour officials said about 2,500 workers remain on strike at the port.\n\n"
    "The terminal opened in March 2019, the authority said; the dispute could last several months."
)
SPANS = {
    "quantity": "about 2,500 workers",
    "date": "March 2019",
    "duration": "several months",
    "attribution": "Harbour officials said",
    "statement": "remain on strike at the port",
}
_serial = itertools.count(1)


def _kind_columns(kind: str, index: int) -> dict[str, object]:
    if kind == "quantity":
        return {"qty_min": 2400 + index % 200, "qty_max": 2400 + index % 200, "unit": "workers", "qualifier": "approx"}
    if kind == "date":
        return {"date_value": datetime.date(2019, 3, 1), "date_precision": "month"}
    if kind == "duration":
        return {"dur_min": 2, "dur_max": None if index % 2 else 6, "dur_unit": "month"}
    if kind == "statement":
        return {"polarity": "affirms" if index % 2 else "denies"}
    return {}


def articles(count: int) -> list[Article]:
    batch = next(_serial)
    outlets = Outlet.objects.bulk_create(
        [Outlet(name=f"Outlet {batch}-{i}", name_key=norm_name(f"Outlet {batch}-{i}")) for i in range(3)]
    )
    published = timezone.make_aware(datetime.datetime(2025, 3, 14))
    return Article.objects.bulk_create(
        [
            Article(
                title=f"Bulk {batch}-{i}",
                url=f"https://news.example.org/{batch}/{i}",
                outlet=outlets[i % 3],
                source=Article.Source.TEXT,
                raw=TEXT,
                text=TEXT,
                status=Article.Status.READY,
                published_at=published,
                content_hash=f"{batch:032d}{i:032d}",
            )
            for i in range(count)
        ]
    )


def subjects(count: int) -> list[Subject]:
    batch = next(_serial)
    made = Subject.objects.bulk_create(
        [Subject(name=f"Subject {batch}-{i}", name_key=norm_name(f"Subject {batch}-{i}")) for i in range(count)]
    )
    SubjectAlias.objects.bulk_create(
        [SubjectAlias(subject=s, name=f"Alias of {s.name}", name_key=norm_name(f"Alias of {s.name}")) for s in made]
    )
    for narrower, broader in itertools.pairwise(made):
        narrower.broader.add(broader)
    return made


def speakers(count: int) -> list[Speaker]:
    batch = next(_serial)
    made = Speaker.objects.bulk_create(
        [Speaker(name=f"Speaker {batch}-{i}", name_key=norm_name(f"Speaker {batch}-{i}")) for i in range(count)]
    )
    SpeakerAlias.objects.bulk_create(
        [SpeakerAlias(speaker=s, name=f"Also {s.name}", name_key=norm_name(f"Also {s.name}")) for s in made]
    )
    return made


def claims(count: int, *, on: list[Article] | None = None, batch_size: int = 5000) -> list[Claim]:
    """`count` confirmed claims spread over the given articles (or 10 new ones), subjects and speakers."""
    on = on or articles(10)
    subject_rows = subjects(min(count, 20))
    speaker_rows = speakers(min(count, 20))
    kinds = list(SPANS)
    rows: list[Claim] = []
    made: list[Claim] = []
    checked = timezone.now()
    for index in range(count):
        kind = kinds[index % len(kinds)]
        quote = SPANS[kind]
        start = TEXT.index(quote)
        rows.append(
            Claim(
                article=on[index % len(on)],
                start=start,
                end=start + len(quote),
                quote=quote,
                prefix=TEXT[max(0, start - 32) : start],
                suffix=TEXT[start + len(quote) : start + len(quote) + 32],
                kind=kind,
                subject=subject_rows[index % len(subject_rows)],
                attribute="striker count",
                attribute_key=norm_attribute("striker count"),
                speaker=speaker_rows[index % len(speaker_rows)],
                after=subject_rows[(index + 1) % len(subject_rows)] if index % 3 == 0 else None,
                as_of=datetime.date(2025, 1, 1) + datetime.timedelta(days=index % 300),
                status=Claim.Status.CONFIRMED,
                checked_at=checked,
                **_kind_columns(kind, index),
            )
        )
        if len(rows) == batch_size:
            made += Claim.objects.bulk_create(rows)
            rows = []
    made += Claim.objects.bulk_create(rows)
    return made


def contradictions(pairs_of: list[Claim], *, reviewer: User | None = None) -> list[Contradiction]:
    """A flag for each consecutive pair of claims; every other one reviewed (confirmed / dismissed / superseded)."""
    statuses = ["open", "confirmed", "open", "dismissed", "open", "superseded"]
    flags = []
    for index, (one, two) in enumerate(zip(pairs_of[::2], pairs_of[1::2], strict=False)):
        low, high = sorted((one, two), key=lambda claim: claim.pk)
        status = statuses[index % len(statuses)]
        flags.append(
            Contradiction(
                claim_a=low,
                claim_b=high,
                kind="numeric",
                score=0.5 + (index % 5) / 10,
                explanation=f"{low.quote} vs {high.quote}",
                status=status,
                reviewer=reviewer if status != "open" else None,
                note="checked by phone" if status != "open" else "",
            )
        )
    return Contradiction.objects.bulk_create(flags)
