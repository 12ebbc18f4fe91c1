"""A small story written for the reader-page tests (no seed text): two outlets disagree about the troops at a
fictional Fort Alder and about when its base opened; a third article adds `extra` claims so that tests can compare
a page's cost at different sizes. Contradictions come from the real detector."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from claims import services
from claims.detection.check import check_claim
from claims.models import Article, Claim, Contradiction
from tests.factories import make_article, make_claim

HERALD_TEXT = (
    "Garrison cut at Fort Alder\n\n"
    "About 1,200 troops remain at Fort Alder, the defence ministry said on Monday.\n\n"
    "The base was opened in May 2011, according to the ministry.\n\n"
    "The drawdown should finish within two to three years."
)
TIMES_TEXT = (
    "Fort Alder drawdown stalls\n\n"
    "Some 1,500 troops are still stationed at Fort Alder, a council member said.\n\n"
    "The base first opened in May 2014, the council member added."
)
SUBJECT = "Troops at Fort Alder"
BASE = "Fort Alder base"


def _day(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 9, 0))


@dataclass
class Story:
    herald: Article
    times: Article
    troops_a: Claim
    troops_b: Claim
    opened_a: Claim
    opened_b: Claim
    extra_article: Article | None = None
    extra: list[Claim] = field(default_factory=list)

    @property
    def subject_id(self) -> int:
        assert self.troops_a.subject_id is not None
        return self.troops_a.subject_id

    def flags(self) -> list[Contradiction]:
        return list(Contradiction.objects.filter(withdrawn_at__isnull=True).order_by("id"))


def build_story(extra: int = 0) -> Story:
    herald_outlet = services.outlet_get_or_create(name="Coast Herald", domain="herald.example")
    times_outlet = services.outlet_get_or_create(name="Valley Times", domain="times.example")
    herald = make_article(
        title="Garrison cut at Fort Alder",
        text=HERALD_TEXT,
        raw=HERALD_TEXT,
        outlet=herald_outlet,
        published_at=_day(2025, 3, 10),
        url="https://herald.example/alder",
    )
    times = make_article(
        title="Fort Alder drawdown stalls",
        text=TIMES_TEXT,
        raw=TIMES_TEXT,
        outlet=times_outlet,
        published_at=_day(2025, 3, 12),
        url="https://times.example/alder",
    )
    troops_a = make_claim(
        herald,
        "About 1,200 troops",
        subject=SUBJECT,
        attribute="troop count",
        value=1200,
        unit="troops",
        qualifier="approx",
        speaker="Defence ministry",
    )
    troops_b = make_claim(
        times,
        "Some 1,500 troops",
        subject=SUBJECT,
        attribute="troop count",
        value=1500,
        unit="troops",
        qualifier="approx",
        speaker="A council member",
    )
    opened_a = make_claim(
        herald, "opened in May 2011", kind="date", subject=BASE, attribute="opening date", value="2011-05"
    )
    opened_b = make_claim(
        times, "opened in May 2014", kind="date", subject=BASE, attribute="opening date", value="2014-05"
    )
    make_claim(
        herald,
        "within two to three years",
        kind="duration",
        subject=SUBJECT,
        attribute="drawdown time",
        value={"min": 2, "max": 3, "unit": "year"},
    )
    story = Story(herald, times, troops_a, troops_b, opened_a, opened_b)
    if extra:
        add_extra(story, extra)
    for claim in Claim.objects.order_by("id"):
        check_claim(claim.pk)
    return story


def add_extra(story: Story, count: int) -> None:
    """`count` more troop counts in a third outlet's article, each far from the others (so each is flagged)."""
    outlet = services.outlet_get_or_create(name="Northern Wire")
    sentences = [f"At gate {k}, officers counted {2000 + 400 * k} troops on duty." for k in range(count)]
    text = "Counting the garrison\n\n" + "\n\n".join(sentences)
    article = make_article(
        title="Counting the garrison", text=text, raw=text, outlet=outlet, published_at=_day(2025, 4, 2)
    )
    story.extra_article = article
    for k in range(count):
        story.extra.append(
            make_claim(
                article,
                f"counted {2000 + 400 * k} troops",
                subject=SUBJECT,
                attribute="troop count",
                value=2000 + 400 * k,
                unit="troops",
                speaker=f"Gate officer {k % 3}",
                as_of=f"2025-0{1 + k % 9}-{1 + k % 27:02d}",
            )
        )
