"""Contradiction detection at 10k, 100k and 1M claims, on PostgreSQL, in two shapes of data.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tracker_bench_detect REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python bench/bench_detect.py [--sizes 10000,100000,1000000] [--shape constant,dense] \\
        [--sample 300] [--rebuild] [--profile 1]

Shapes: `constant` (the default) grows the subjects with the claims — a place of ten subjects per 10,000 claims,
about 1,000 claims a subject at every size — so the sizes differ in size only; `dense` keeps 1,000 subjects whatever
the size (the stress case: 1M claims put ten times more reports in every window than 100k).

Each (shape, size) has a database of its own, named after DATABASE_URL's: <name>_<shape>_<10k|100k|1m>, a copy of
DATABASE_URL's database (created if missing and migrated: the template) filled by COPY, and kept: a later run with
the same seed reuses it (cleaned first: flags, audit rows, stamps and rows added by a run go), --rebuild builds it
again. At each size and shape, on a sample of new confirmed claims drawn from the same mix:
  * check_claim, the raw floor and the comparator alone, interleaved (check, floor, check, floor... on the same
    claim, each from the same state: bench/detect_floor.py). The raw floor is the check's related-subjects query
    and candidate query, the upsert and audit insert of the same flags and the checked_at update, on a plain
    psycopg connection; the comparator alone is compare() (and timeline_check) on the same candidates' facts.
    Goals: check median <= 2x the raw floor, and its growth from 10k to 1M < 1.3x;
  * naive: the same claims compared in Python against every claim (loaded once, not counted), to show the gap;
    its flags must equal check_claim's, which checks the SQL narrowing at scale;
  * EXPLAIN ANALYZE of a candidate query: it must use the candidate index, never a sequential scan of claims;
  * reconcile: claims.reconcile_claims (its bulk path, claims/detection/reconcile.py) over the never-checked claims,
    stopped after the partition that ends past --reconcile-seconds; the time for all of them is extrapolated from
    its rate (the target is all 1M within 60 s). --reconcile-seconds 0 runs it to the end.
At the last size of the first shape, POST a claim through the API -> its flag visible through the API, with a real
`celery -A tracker worker` subprocess on a private queue (target p50 < 250 ms).

The data: places (50 in the dense shape; one per 10,000 claims in the constant one), each with subjects that are
names of one counted group in the place ("US troops in X", "coalition forces in X", ...: one group key), events
(dates; some responses to another event), policies (withdrawal timelines, deadlines, statements, attributed quotes)
and economic figures; 400 speakers, 40 outlets; articles over 2015-2025 with 8 claims each. Reports agree with a
per-subject truth that moves in steps over time, except for a few per cent of near misses (3 % of figures), ranges
and lower bounds (3 %), wrong dates (5 % of event dates), wrong deadlines and denials (7 % of statements), as in
real coverage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import detect_floor  # noqa: E402 — bench/detect_floor.py, beside this script
from pgadmin import ensure_database, with_database  # noqa: E402 — bench/pgadmin.py, beside this script

START = dt.date(2015, 1, 1)
SPAN_DAYS = (dt.date(2025, 6, 30) - START).days
CLAIMS_PER_ARTICLE = 8
PLACES = [
    f"{a}{b}" for a in ("Vel", "Kor", "Sal", "Ther", "Mar", "Ost", "Dun", "Pra", "Lys", "Qar")
    for b in ("dria", "avia", "enia", "ostan", "ica")
]  # fmt: skip
# The constant-density shape needs a place per 10,000 claims: 200 places (2M claims), the dense shape's 50 first.
ALL_PLACES = PLACES + [
    f"{a}{b}" for a in ("Bel", "Cor", "Tal", "Ner", "Vos", "Ard", "Lun", "Pel", "Zan", "Hor", "Gal", "Ist", "Mor",
                        "Rud", "Sev", "Tor", "Ulm", "Van", "Wen", "Yar", "Bri", "Cas", "Del", "Fen", "Jor", "Kal",
                        "Lom", "Nav", "Orb", "Pim")
    for b in ("dria", "avia", "enia", "ostan", "ica")
]  # fmt: skip
SHAPES = ("constant", "dense")
CLAIMS_PER_SUBJECT = 1000  # the constant shape: a place of ten subjects per 10,000 claims
GROUP_NAMES = [
    "US troops in {}",
    "American soldiers in {}",
    "coalition forces in {}",
    "non-US coalition troops in {}",
    "foreign troops stationed in {}",
    "NATO personnel in {}",
]
EVENT_NAMES = [
    "the attack on the airbase in {}",
    "the parliament vote after the airbase attack in {}",
    "the election in {}",
    "the ceasefire in {}",
    "the bridge bombing in {}",
    "the protest after the bridge bombing in {}",
]
POLICY_NAMES = [
    "the {} withdrawal plan",
    "the {} security agreement",
    "the {} training mission",
    "the {} reconstruction programme",
    "the {} border deal",
]
ECONOMY_NAMES = ["the {} reconstruction fund", "the population of {}", "the {} aid package"]
FIRST = [
    "Amira",
    "Tomas",
    "Leila",
    "Ken",
    "Sara",
    "Omar",
    "Ines",
    "Pavel",
    "Nadia",
    "Jonas",
    "Rania",
    "Malik",
    "Elif",
    "Dario",
    "Hana",
    "Viktor",
    "Lucia",
    "Samir",
    "Greta",
    "Idris",
]
LAST = [
    "Haddad",
    "Varga",
    "Noor",
    "Ito",
    "Lindqvist",
    "Okafor",
    "Brandt",
    "Moreau",
    "Quispe",
    "Nakamura",
    "Osei",
    "Petrov",
    "Castell",
    "Rahimi",
    "Doyle",
    "Szabo",
    "Yilmaz",
    "Fontaine",
    "Achebe",
    "Kowal",
]
WORDS = [
    "forces",
    "withdrawal",
    "talks",
    "border",
    "agreement",
    "security",
    "region",
    "capital",
    "training",
    "mission",
    "troops",
    "timeline",
    "government",
    "parliament",
    "partners",
    "allies",
    "support",
    "plan",
    "months",
    "years",
    "progress",
    "reforms",
]


# --- the synthetic world ----------------------------------------------------------------------------------------


class World:
    """Subjects with a hidden truth per subject; claims report it, mostly right.

    shape "dense": 1,000 subjects whatever the size (50 places of 20: six names of one counted group, six events,
    five policies, three economic figures), so a larger size puts more claims on every subject and in every window.
    shape "constant" (the default): a place of ten subjects (three names of one group, three events — the second a
    response to the first —, three policies, one economic figure) per 10,000 claims, so every size holds about 1,000
    claims a subject and the sizes differ in size only."""

    def __init__(self, seed: int, shape: str = "dense", size: int = 0) -> None:
        rng = random.Random(seed)
        if shape == "dense":
            self.places = PLACES
            groups, events, policies, economy = GROUP_NAMES, EVENT_NAMES, POLICY_NAMES, ECONOMY_NAMES
        elif shape == "constant":
            count = max(1, round(size / (10 * CLAIMS_PER_SUBJECT)))
            if count > len(ALL_PLACES):
                raise SystemExit(f"--shape constant goes up to {len(ALL_PLACES) * 10 * CLAIMS_PER_SUBJECT:,} claims")
            self.places = ALL_PLACES[:count]
            groups, events, policies, economy = GROUP_NAMES[:3], EVENT_NAMES[:3], POLICY_NAMES[:3], ECONOMY_NAMES[:1]
        else:
            raise SystemExit(f"unknown shape {shape!r}: one of {', '.join(SHAPES)}")
        self.subjects: list[tuple[str, str, int]] = []  # (name, type, place index)
        for place, name in enumerate(self.places):
            self.subjects += [(n.format(name), "group", place) for n in groups]
            self.subjects += [(n.format(name), "event", place) for n in events]
            self.subjects += [(n.format(name), "policy", place) for n in policies]
            self.subjects += [(n.format(name), "economy", place) for n in economy]
        assert shape != "dense" or len(self.subjects) == 1000
        self.index = {name: i for i, (name, _, _) in enumerate(self.subjects)}
        self.base = [rng.uniform(0.5, 2.0) for _ in self.subjects]
        self.event_day: dict[int, dt.date] = {}
        for i, (_, kind, _) in enumerate(self.subjects):
            if kind == "event":
                self.event_day[i] = START + dt.timedelta(days=rng.randint(0, SPAN_DAYS - 120))
        for i, (name, kind, _) in enumerate(self.subjects):  # responses come 3-60 days after their cause
            if kind == "event" and "after the" in name:
                self.event_day[i] = self.event_day[i - 1] + dt.timedelta(days=rng.randint(3, 60))
        self.speakers = [f"{f} {last}" for f in FIRST for last in LAST]
        self.famous = {
            i: [self._sentence(random.Random(i * 10 + k), 10) for k in range(5)]
            for i, (_, kind, _) in enumerate(self.subjects)
            if kind == "policy"
        }

    @staticmethod
    def _sentence(rng: random.Random, words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words))

    def group_truth(self, subject: int, day: dt.date) -> float:
        """A troop level shared by every name of the group, changing by 10-30 % every two years or so."""
        place = self.subjects[subject][2]
        offset = random.Random(place).randrange(700)
        step = ((day - START).days + offset) // 700
        level = random.Random(place * 7919).uniform(800, 30000)
        for k in range(step):
            level *= random.Random(place * 7919 + k + 1).choice([0.7, 0.8, 0.9, 1.1, 1.2, 1.3])
        return round(level, -2)

    def claim(self, rng: random.Random, article_day: dt.date) -> dict[str, Any]:
        subject = rng.randrange(len(self.subjects))
        name, kind, place = self.subjects[subject]
        as_of = article_day - dt.timedelta(days=rng.randint(0, 10)) if rng.random() < 0.3 else None
        day = as_of or article_day
        row: dict[str, Any] = {
            "subject": subject,
            "as_of": as_of,
            "qualifier": "exact",
            "unit": "",
            "quote": "",
            "speaker": None,
            "after": None,
            "polarity": "",
        }
        roll = rng.random()
        if kind == "group" and roll < 0.8:
            truth = self.group_truth(subject, day)
            if roll < 0.65:
                row.update(
                    kind="quantity",
                    attribute=rng.choice(["troop count", "number of troops", "troop levels"]),
                    unit=rng.choice(["troops", "soldiers", "personnel"]),
                )
            else:
                truth = round(truth * 0.01 * self.base[subject]) + 3
                row.update(kind="quantity", attribute="casualties", unit="people")
            self._figure(rng, row, truth)
        elif kind == "group":
            row.update(
                kind="statement", attribute="combat role", polarity="affirms" if rng.random() < 0.93 else "denies"
            )
        elif kind == "event" and roll < 0.75:
            row.update(kind="date", attribute="event date")
            self._date(rng, row, self.event_day[subject])
            if "after the" in name:
                row["after"] = subject - 1
        elif kind == "event":
            row.update(kind="quantity", attribute=rng.choice(["death toll", "fatalities"]), unit="people")
            self._figure(rng, row, round(40 * self.base[subject]))
        elif kind == "policy" and roll < 0.3:
            row.update(
                kind="duration",
                attribute="withdrawal timeline",
                dur_unit="year",
                dur_min=2.0,
                dur_max=4.0,
                qualifier=rng.choice(["exact", "exact", "approx"]),
            )
            if rng.random() < 0.08:
                row.update(dur_min=6.0, dur_max=12.0, dur_unit="month")
        elif kind == "policy" and roll < 0.33:
            wrong = rng.random() < 0.1
            year = rng.randint(2016, 2019) if wrong else 2031
            row.update(
                kind="date",
                attribute="withdrawal timeline",
                qualifier="at_most",
                date_value=dt.date(year, 1, 1),
                date_precision="year",
            )
        elif kind == "policy" and roll < 0.6:
            row.update(
                kind="statement", attribute="agreement reached", polarity="affirms" if rng.random() < 0.93 else "denies"
            )
        elif kind == "policy":
            row.update(kind="attribution", attribute="statement", speaker=rng.randrange(len(self.speakers)))
            if rng.random() < 0.1:
                row["quote"] = f'said "{rng.choice(self.famous[subject])}"'
            else:
                row["quote"] = f"said {self._sentence(rng, 12)}"
        else:
            which = ECONOMY_NAMES.index(name.replace(self.places[place], "{}"))
            attribute, unit, scale = [
                ("budget", "USD", 1e8),
                ("population", "people", 1e6),
                ("aid pledged", "USD", 1e7),
            ][which]
            row.update(kind="quantity", attribute=attribute, unit=unit)
            self._figure(rng, row, round(scale * self.base[subject], -3))
        if row["kind"] in ("attribution", "statement") and row["speaker"] is None and rng.random() < 0.7:
            row["speaker"] = rng.randrange(len(self.speakers))
        return row

    @staticmethod
    def _figure(rng: random.Random, row: dict[str, Any], truth: float) -> None:
        roll = rng.random()
        if roll < 0.94:
            row.update(qty_min=truth, qty_max=truth, qualifier=rng.choice(["exact", "exact", "approx"]))
        elif roll < 0.97:  # a near miss: 2,400 against 2,500
            off = truth * rng.choice([-1, 1]) * rng.uniform(0.03, 0.1)
            row.update(qty_min=round(truth + off), qty_max=round(truth + off))
        elif roll < 0.99:
            row.update(qty_min=round(truth * 0.9), qty_max=round(truth * 1.1))
        else:
            row.update(qty_min=round(truth * 0.8), qty_max=round(truth * 0.8), qualifier="at_least")

    @staticmethod
    def _date(rng: random.Random, row: dict[str, Any], truth: dt.date) -> None:
        if rng.random() < 0.05:  # a wrong date: months or years off
            truth += dt.timedelta(days=rng.choice([-1, 1]) * rng.randint(40, 800))
        precision = rng.choices(["day", "month", "year"], [5, 3, 2])[0]
        first = {"day": truth, "month": truth.replace(day=1), "year": truth.replace(month=1, day=1)}[precision]
        row.update(date_value=first, date_precision=precision, qualifier="approx" if rng.random() < 0.15 else "exact")


# --- loading --------------------------------------------------------------------------------------------------------


CLAIM_COLUMNS = (
    "article_id",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "orphaned",
    "kind",
    "subject_id",
    "attribute",
    "attribute_key",
    "qty_min",
    "qty_max",
    "unit",
    "qualifier",
    "date_value",
    "date_precision",
    "dur_min",
    "dur_max",
    "dur_unit",
    "polarity",
    "after_id",
    "speaker_id",
    "as_of",
    "status",
    "created_at",
    "updated_at",
    "version",
    "checked_at",
    "effective_date",
    "proposed_subject",
    "proposed_speaker",
    "proposed_after",
)


def reset(world: World) -> tuple[dict[int, int], dict[int, int], list[int]]:
    from django.db import connection

    from claims.detect.names import group_key, norm_name
    from claims.models import Outlet, Speaker, Subject

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE claims_contradiction, claims_claim, claims_article, claims_subject, claims_speaker, "
            "claims_outlet, claims_auditevent RESTART IDENTITY CASCADE"
        )
    subjects = Subject.objects.bulk_create(
        Subject(name=n, name_key=norm_name(n), group_key=group_key(n)) for n, _, _ in world.subjects
    )
    speakers = Speaker.objects.bulk_create(Speaker(name=n, name_key=norm_name(n)) for n in world.speakers)
    outlets = Outlet.objects.bulk_create(
        Outlet(name=f"The {p} Courier", name_key=norm_name(f"The {p} Courier")) for p in PLACES[:40]
    )
    return (
        {i: s.pk for i, s in enumerate(subjects)},
        {i: s.pk for i, s in enumerate(speakers)},
        [o.pk for o in outlets],
    )


def existing_world(world: World) -> tuple[dict[int, int], dict[int, int], list[int]]:
    """The ids of the world's subjects, speakers and outlets already in the database (--reuse)."""
    from claims.models import Outlet, Speaker, Subject

    subjects = dict(Subject.objects.values_list("name", "id"))
    speakers = dict(Speaker.objects.values_list("name", "id"))
    outlets = dict(Outlet.objects.values_list("name", "id"))
    try:
        return (
            {i: subjects[n] for i, (n, _, _) in enumerate(world.subjects)},
            {i: speakers[n] for i, n in enumerate(world.speakers)},
            [outlets[f"The {p} Courier"] for p in PLACES[:40]],
        )
    except KeyError as missing:
        sys.exit(f"--reuse: the database does not hold this bench's data ({missing} is missing); run without it")


class Loader:
    def __init__(
        self,
        world: World,
        subject_ids: dict[int, int],
        speaker_ids: dict[int, int],
        outlets: list[int],
        seed: int | str,
    ) -> None:
        self.world, self.subject_ids, self.speaker_ids, self.outlets = world, subject_ids, speaker_ids, outlets
        self.rng = random.Random(seed)
        self.now = dt.datetime.now(dt.UTC)

    def _articles(self, count: int) -> list[tuple[int, dt.date]]:
        from django.db import connection

        rows = []
        for _ in range(count):
            day = START + dt.timedelta(days=self.rng.randint(0, SPAN_DAYS))
            published = dt.datetime.combine(day, dt.time(self.rng.randint(5, 22)), tzinfo=dt.UTC)
            rows.append((self.rng.choice(self.outlets), published))
        with connection.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM claims_article")
            first = cur.fetchone()[0] + 1
            with cur.connection.cursor().copy(
                "COPY claims_article (id, title, byline, published_at, source, raw, text, content_hash, raw_hash,"
                " status, error, version, created_at, updated_at, outlet_id) FROM STDIN"
            ) as copy:
                for n, (outlet, published) in enumerate(rows):
                    copy.write_row(
                        (
                            first + n,
                            f"Synthetic article {first + n}",
                            "",
                            published,
                            "text",
                            "",
                            "Synthetic article text.",
                            "",
                            "",
                            "ready",
                            "",
                            1,
                            self.now,
                            self.now,
                            outlet,
                        )
                    )
            cur.execute("SELECT setval(pg_get_serial_sequence('claims_article', 'id'), %s)", [first + count])
        return [(first + n, published.date()) for n, (_, published) in enumerate(rows)]

    def rows(self, count: int, articles: list[tuple[int, dt.date]]) -> Iterator[dict[str, Any]]:
        from claims.detect.names import norm_attribute

        for article_id, day in articles:
            for _ in range(CLAIMS_PER_ARTICLE):
                if count == 0:
                    return
                count -= 1
                row = self.world.claim(self.rng, day)
                row["article_id"] = article_id
                row["article_day"] = day  # the publication day (UTC): the effective date without an as_of
                row["attribute_key"] = norm_attribute(row["attribute"])
                yield row

    def insert(self, count: int) -> list[int]:
        """COPY `count` new confirmed, never-checked claims; returns their ids."""
        from django.db import connection

        articles = self._articles(math.ceil(count / CLAIMS_PER_ARTICLE))  # one COPY at a time per connection
        with connection.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM claims_claim")
            first = cur.fetchone()[0] + 1
            columns = ", ".join(f'"{c}"' for c in CLAIM_COLUMNS)
            with cur.connection.cursor().copy(f"COPY claims_claim (id, {columns}) FROM STDIN") as copy:
                for n, row in enumerate(self.rows(count, articles)):
                    quote = row["quote"] or "synthetic claim"
                    copy.write_row((
                        first + n, row["article_id"], 0, len(quote), quote, "", "", False, row["kind"],
                        self.subject_ids[row["subject"]], row["attribute"], row["attribute_key"], row.get("qty_min"),
                        row.get("qty_max"), row["unit"], row["qualifier"], row.get("date_value"),
                        row.get("date_precision", ""), row.get("dur_min"), row.get("dur_max"), row.get("dur_unit", ""),
                        row["polarity"], None if row["after"] is None else self.subject_ids[row["after"]],
                        None if row["speaker"] is None else self.speaker_ids[row["speaker"]], row["as_of"],
                        "confirmed", self.now, self.now, 1, None, row["as_of"] or row["article_day"], "", "", "",
                    ))  # fmt: skip
            cur.execute("SELECT setval(pg_get_serial_sequence('claims_claim', 'id'), %s)", [first + count])
        return list(range(first, first + count))


# --- measurements ---------------------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def load_everything() -> tuple[list[Any], dict[int, Any], float]:
    """Every claim as ClaimFacts, with what the naive check needs, read once in bulk (not part of its time)."""
    from claims.detect.compare import ClaimFacts
    from claims.models import Claim, Outlet, Speaker, Subject
    from claims.values import StoredValue, from_columns

    started = time.perf_counter()
    subjects = {s.pk: s for s in Subject.objects.all()}
    speakers = dict(Speaker.objects.values_list("id", "name"))
    outlets = dict(Outlet.objects.values_list("id", "name"))
    rows = Claim.objects.filter(status="confirmed").values_list(
        "id", "kind", "subject_id", "attribute", "attribute_key", "qty_min", "qty_max", "date_value",
        "date_precision", "dur_min", "dur_max", "dur_unit", "unit", "qualifier", "speaker_id", "as_of", "polarity",
        "after_id", "quote", "article__published_at", "article__outlet_id",
    )  # fmt: skip
    everything = []
    for (
        pk,
        kind,
        subject_id,
        attribute,
        key,
        qmin,
        qmax,
        dvalue,
        dprec,
        dmin,
        dmax,
        dunit,
        unit,
        qualifier,
        speaker_id,
        as_of,
        polarity,
        after_id,
        quote,
        published,
        outlet_id,
    ) in rows.iterator(chunk_size=20000):
        value = from_columns(
            kind,
            StoredValue(
                qty_min=qmin,
                qty_max=qmax,
                date_value=dvalue,
                date_precision=dprec,
                dur_min=dmin,
                dur_max=dmax,
                dur_unit=dunit,
            ),
        )
        facts = ClaimFacts(
            id=pk, kind=kind, subject=subjects[subject_id].name, attribute=attribute, value=value, unit=unit or None,
            qualifier=qualifier, speaker=speakers.get(speaker_id),
            as_of=as_of or (published.date() if published else None),
            polarity=polarity or None, after=subjects[after_id].name if after_id else None, quote=quote,
            outlet=outlets.get(outlet_id),
        )  # fmt: skip
        everything.append((facts, subject_id, key, after_id, subjects[subject_id].group_key))
    return everything, subjects, time.perf_counter() - started


def naive_check(claim_id: int, everything: list[Any]) -> set[tuple[int, str]]:
    """The claim against every claim in Python: the subject test, compare(), and the timeline links."""
    from claims.detect.compare import compare, timeline_check

    mine = next(item for item in everything if item[0].id == claim_id)
    facts, subject_id, _, after_id, group = mine
    found: set[tuple[int, str]] = set()
    for other, other_subject, _, _, other_group in everything:
        if other.id == claim_id:
            continue
        same = other_subject == subject_id
        if not same and (group is None or other_group != group):
            continue
        verdict = compare(facts, other, related=not same)
        if verdict is not None:
            found.add((int(other.id or 0), verdict.kind))
    if facts.kind == "date":
        dates = [item for item in everything if item[0].kind == "date"]
        if after_id:
            for other, verdict in timeline_check(facts, [d[0] for d in dates if d[1] == after_id]):
                found.add((int(other.id or 0), verdict.kind))
        for follower in (d for d in dates if d[3] == subject_id and d[0].id != claim_id):
            for other, verdict in timeline_check(follower[0], [d[0] for d in dates if d[1] == subject_id]):
                if other.id == claim_id:
                    found.add((int(follower[0].id or 0), verdict.kind))
    return found


def explain(sample: list[int]) -> list[str]:
    from django.db import connection

    from claims.detection import config, rows, sql
    from claims.models import Claim

    notes = []
    for kind in ("quantity", "date", "attribution"):
        claim_id = Claim.objects.filter(pk__in=sample, kind=kind).values_list("id", flat=True).first()
        mine = rows.load(claim_id) if claim_id is not None else None
        query = sql.candidate_sql(mine, config.detection_settings()) if mine is not None else None
        if query is None:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + query[0], query[1])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        uses_index = "claim_candidates_date_idx" in plan
        seq_on_claims = "Seq Scan on claims_claim" in plan
        notes.append(
            f"  {kind}: candidate index used={uses_index}, seq scan of claims={seq_on_claims}; "
            + (plan.splitlines()[-1].strip())
        )
        if not uses_index or seq_on_claims:
            notes.append(plan)
    return notes


def reconcile(seconds: float | None, case_url: str) -> tuple[int, float, int, dict[str, float]]:
    """claims.reconcile_claims (the bulk path, claims/detection/reconcile.py) in this process; with `seconds`,
    stopped after the first partition that ends after that long. Also its write floor (write_floor)."""
    from claims.detection import reconcile as bulk
    from claims.models import AuditEvent, Claim, Contradiction

    left = Claim.objects.filter(status="confirmed", checked_at__isnull=True).count()
    last_flag = Contradiction.objects.order_by("-id").values_list("id", flat=True).first() or 0
    last_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started = time.perf_counter()
    done = bulk.reconcile(deadline=time.monotonic() + seconds if seconds else None)
    took = time.perf_counter() - started
    return done, took, left, write_floor(case_url, last_flag, last_audit)


def write_floor(case_url: str, last_flag: int, last_audit: int) -> dict[str, float]:
    """The least any reconcile must spend writing what this one wrote: its new flag and audit rows (read back),
    COPYed in binary into empty tables made LIKE the real ones (their indexes included) and committed, on a plain
    psycopg connection: no comparator, no reads, no upsert. Returns the rows and the seconds."""
    import psycopg

    from claims.models import AuditEvent, Contradiction

    tables = {"flags": (Contradiction._meta.db_table, last_flag), "audit": (AuditEvent._meta.db_table, last_audit)}
    out: dict[str, float] = {}
    with psycopg.connect(case_url, autocommit=False) as conn:
        data: dict[str, list[bytes]] = {}
        for name, (table, after) in tables.items():
            with (
                conn.cursor() as cursor,
                cursor.copy(
                    f"COPY (SELECT * FROM {table} WHERE id > {int(after)} ORDER BY id) TO STDOUT (FORMAT BINARY)"
                ) as copy,
            ):
                data[name] = [bytes(chunk) for chunk in copy]
            conn.execute(f"DROP TABLE IF EXISTS bench_floor_{name}")
            conn.execute(f"CREATE TABLE bench_floor_{name} (LIKE {table} INCLUDING ALL)")
            out[f"{name}_rows"] = float(
                conn.execute(f"SELECT count(*) FROM {table} WHERE id > {int(after)}").fetchone()[0]  # type: ignore[index]
            )
        conn.commit()
        started = time.perf_counter()
        for name in tables:
            with conn.cursor() as cursor, cursor.copy(f"COPY bench_floor_{name} FROM STDIN (FORMAT BINARY)") as copy:
                for chunk in data[name]:
                    copy.write(chunk)
        conn.commit()
        out["seconds"] = time.perf_counter() - started
        for name in tables:
            conn.execute(f"DROP TABLE bench_floor_{name}")
        conn.commit()
    return out


# --- POST -> flag through the API with a real worker ------------------------------------------------------------------


def api_latency(count: int, queue: str) -> tuple[list[float], str]:
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from claims.models import Article, Claim, Subject
    from tracker.celery import app as celery_app

    editor, _ = User.objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name="editor"))
    token, _ = Token.objects.get_or_create(user=editor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    for name in ("queues", "default_queue", "router"):
        celery_app.amqp.__dict__.pop(name, None)

    log_path = ROOT / "artifacts" / "bench_detect_worker.log"
    log_path.parent.mkdir(exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115 — the worker's log for its lifetime
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tracker", "worker", "--loglevel=INFO", "--concurrency=1", "-Q", queue,
         "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=dict(os.environ, CELERY_QUEUE=queue), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.time() + 60
        while b"ready." not in log_path.read_bytes():
            if worker.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"the worker did not start; see {log_path}")
            time.sleep(0.1)
        times = []
        for n in range(count):
            # A subject of its own per round: the time measured is the pipeline's, not that of writing the flags a
            # claim on a crowded subject raises (that cost is in the check_claim figures).
            name = f"bench round {uuid.uuid4().hex[:8]}"
            subject = Subject.objects.create(name=name, name_key=name)
            day = dt.date(2024, 1, 1) + dt.timedelta(days=n * 3)
            text = f"Officials said 2,500 troops remain. A second report said 3,100 troops remain ({n})."
            article = Article.objects.create(
                title=f"bench api {n}",
                source="text",
                text=text,
                raw=text,
                status="ready",
                published_at=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
            )
            base = {
                "article": article.pk,
                "kind": "quantity",
                "subject": subject.name,
                "attribute": "troop count",
                "unit": "troops",
                "as_of": day.isoformat(),
            }
            first = client.post("/api/v1/claims/", {**base, "quote": "2,500 troops", "value": 2500}, format="json")
            assert first.status_code == 201, first.content
            # the first claim is checked too; wait for it so the timed claim does not queue behind it
            waited = time.perf_counter()
            while not Claim.objects.filter(pk=first.json()["id"], checked_at__isnull=False).exists():
                if time.perf_counter() - waited > 30:
                    raise RuntimeError(f"the worker did not check claim {first.json()['id']}; see {log_path}")
                time.sleep(0.005)
            started = time.perf_counter()
            second = client.post("/api/v1/claims/", {**base, "quote": "3,100 troops", "value": 3100}, format="json")
            assert second.status_code == 201, second.content
            url = f"/api/v1/claims/{second.json()['id']}/"
            while not client.get(url).json().get("contradictions"):
                if time.perf_counter() - started > 30:
                    raise RuntimeError(f"no flag within 30 s; see {log_path}")
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
        return times, str(log_path)
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)
        log.close()
        celery_app.conf.task_always_eager = True


def forget_flags() -> None:
    from django.db import connection

    with connection.cursor() as cur:  # and fresh statistics: those of the truncated rows would mislead the planner
        cur.execute("TRUNCATE claims_contradiction, claims_auditevent; ANALYZE claims_contradiction")


# --- one database per shape and size, kept between runs ----------------------------------------------------------

META = "bench_detect_meta"  # the bench's own table in each case database: what was built, and where its rows end
DATA_VERSION = 2  # bump when the generated data changes: databases built by another version are rebuilt


def size_label(size: int) -> str:
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k" if size % 1000 == 0 else str(size)


def use_database(name: str) -> None:
    """Point Django's connection at `name` (the next query connects to it) and migrate it."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)


def read_meta(url: str) -> dict[str, Any] | None:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            found = conn.execute(
                f"SELECT shape, size, seed, version, max_claim, max_article, max_subject FROM {META}"
            ).fetchone()
    except psycopg.Error:
        return None
    keys = ("shape", "size", "seed", "version", "max_claim", "max_article", "max_subject")
    return dict(zip(keys, found, strict=True)) if found else None


def write_meta(shape: str, size: int, seed: int, seconds: float) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE {META} (shape text, size bigint, seed bigint, version int, max_claim bigint,"
            " max_article bigint, max_subject bigint, built_at timestamptz, build_seconds float8)"
        )
        cur.execute(
            f"INSERT INTO {META} SELECT %s, %s, %s, %s, (SELECT max(id) FROM claims_claim),"
            " (SELECT max(id) FROM claims_article), (SELECT max(id) FROM claims_subject), now(), %s",
            [shape, size, seed, DATA_VERSION, seconds],
        )
        cur.execute(f"SELECT max_claim, max_article, max_subject FROM {META}")
        claim, article, subject = cur.fetchone()
    return {"shape": shape, "size": size, "seed": seed, "max_claim": claim, "max_article": article,
            "max_subject": subject}  # fmt: skip


def clean(meta: dict[str, Any]) -> None:
    """The built data and nothing else: no flags or audit rows, no claim checked, no row a run added (sample claims,
    the API step's subjects, articles and claims), dead rows vacuumed, fresh statistics."""
    from django.db import connection

    forget_flags()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM claims_claim WHERE id > %s", [meta["max_claim"]])
        cur.execute("DELETE FROM claims_article WHERE id > %s", [meta["max_article"]])
        cur.execute("DELETE FROM claims_subject WHERE id > %s", [meta["max_subject"]])
        cur.execute("UPDATE claims_claim SET checked_at = NULL WHERE checked_at IS NOT NULL")
        cur.execute("VACUUM ANALYZE claims_claim")
        cur.execute("ANALYZE claims_article; ANALYZE claims_subject")


def open_case(
    url: str, shape: str, size: int, seed: int, rebuild: bool
) -> tuple[World, str, dict[str, Any], tuple[dict[int, int], dict[int, int], list[int]], str]:
    """The database of (shape, size): reused when an earlier run built it with this seed and data version, else
    built (a copy of the migrated template database, then COPY). Returns the world, the database's URL, its meta,
    the ids of the world's rows and what happened."""
    import psycopg

    template = urlsplit(url).path.lstrip("/")
    name = f"{template}_{shape}_{size_label(size)}"
    case_url = with_database(url, name)
    world = World(seed, shape, size)
    meta = read_meta(case_url)
    wanted = {"shape": shape, "size": size, "seed": seed, "version": DATA_VERSION}
    if meta is not None and not rebuild and all(meta[k] == v for k, v in wanted.items()):
        use_database(name)
        started = time.perf_counter()
        clean(meta)
        how = f"reused (cleaned in {time.perf_counter() - started:.1f} s)"
        return world, case_url, meta, existing_world(world), how
    from django.db import connections

    connections.close_all()  # nobody may be connected to the template while it is copied
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    use_database(name)
    started = time.perf_counter()
    ids = reset(world)
    Loader(world, *ids, seed).insert(size)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE claims_claim")
        cur.execute("ANALYZE claims_article; ANALYZE claims_subject")
    seconds = time.perf_counter() - started
    meta = write_meta(shape, size, seed, seconds)
    return world, case_url, meta, ids, f"built in {seconds:.1f} s"


def ensure_template(url: str) -> None:
    """The database of DATABASE_URL, created if missing and migrated: the template every case database copies."""
    ensure_database(url)
    use_database(urlsplit(url).path.lstrip("/"))


# --- main -------------------------------------------------------------------------------------------------------------


def summary_row(size: int, shape: str, t: detect_floor.Timings) -> dict[str, Any]:
    check, floor = statistics.median(t.check), statistics.median(t.floor)
    return {
        "size": size,
        "shape": shape,
        "check": check,
        "check_p95": pct(t.check, 0.95),
        "floor": floor,
        "floor_p95": pct(t.floor, 0.95),
        "compare": statistics.median(t.compare),
        "compare_p95": pct(t.compare, 0.95),
        "ratio": check / floor,
        "paired": statistics.median(c / f for c, f in zip(t.check, t.floor, strict=True)),
        "flags": t.flags,
        "n": len(t.check),
    }


def report(t: detect_floor.Timings) -> None:
    row = summary_row(0, "", t)
    print(
        f"check_claim:       median {ms(row['check'])}, p95 {ms(row['check_p95'])}, max {ms(max(t.check))}, "
        f"{t.flags} flags for {row['n']} claims\n"
        f"raw floor:         median {ms(row['floor'])}, p95 {ms(row['floor_p95'])} (flags written differ from the "
        f"check's for {t.mismatches} claims)\n"
        f"comparator alone:  median {ms(row['compare'])}, p95 {ms(row['compare_p95'])}\n"
        f"check / raw floor: {row['ratio']:.2f}x (ratio of medians), {row['paired']:.2f}x (median of per-claim ratios)"
    )
    by_kind: dict[str, list[int]] = defaultdict(list)
    for n, kind in enumerate(t.kinds):
        by_kind[kind].append(n)
    for kind, ns in sorted(by_kind.items()):
        check = statistics.median(t.check[n] for n in ns)
        floor = statistics.median(t.floor[n] for n in ns)
        compare = statistics.median(t.compare[n] for n in ns)
        print(
            f"  {kind:12} n={len(ns):4} check {ms(check)} (p95 {ms(pct([t.check[n] for n in ns], 0.95))}), "
            f"floor {ms(floor)}, comparator {ms(compare)}, ratio {check / floor:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument(
        "--shape",
        default="constant",
        help="constant (about 1,000 claims a subject at every size), dense (1,000 subjects whatever the size), "
        "or both, comma-separated",
    )
    parser.add_argument("--sample", type=int, default=300, help="new claims checked at each size")
    parser.add_argument("--naive", type=int, default=20, help="claims of the sample also checked naively")
    parser.add_argument("--api", type=int, default=40, help="POST -> flag round trips (0: skip)")
    parser.add_argument(
        "--reconcile-seconds",
        type=float,
        default=60.0,
        help="stop reconciling after this long and extrapolate (0: run the task to the end; <0: skip)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="build the data again even if a database holds it")
    parser.add_argument("--no-explain", action="store_true", help="skip the EXPLAIN ANALYZE of candidate queries")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="cProfile this many checks (the sample claims closest to the median check time) at each size",
    )
    parser.add_argument("--profile-top", type=int, default=30, help="lines of the profile printed")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_detect.py runs on PostgreSQL: set DATABASE_URL=postgresql://.../tracker_bench_detect")
    shapes = [s.strip() for s in args.shape.split(",") if s.strip()]
    for shape in shapes:
        if shape not in SHAPES:
            sys.exit(f"unknown shape {shape!r}: one of {', '.join(SHAPES)}")
    queue = f"bench-detect-{uuid.uuid4().hex[:8]}"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    # Production settings: with DEBUG on, Django's cursor also writes every statement out with its parameters
    # (mogrify), which cost the reconcile a tenth of its time on the flags' arrays and the floor pays no such cost.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    import django

    django.setup()
    from django.db import connection

    from tracker.celery import app as celery_app

    celery_app.conf.task_always_eager = True  # bulk rows never queue tasks; the API step switches this off
    sizes = sorted(int(s) for s in args.sizes.split(","))
    print(
        f"bench_detect: sizes {sizes}, shapes {shapes}, sample {args.sample}, load {os.getloadavg()}, "
        f"{os.cpu_count()} cores, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    ensure_template(url)
    rows: list[dict[str, Any]] = []
    for size in sizes:
        for shape in shapes:
            world, case_url, meta, ids, how = open_case(url, shape, size, args.seed, args.rebuild)
            print(
                f"\n== {size:,} claims, shape {shape} ({len(world.subjects):,} subjects, about "
                f"{size / len(world.subjects):,.0f} claims a subject): {how}; load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            loader = Loader(world, *ids, f"{args.seed}-{shape}-{size}-sample")
            sample = loader.insert(args.sample)
            cases = detect_floor.prepare(sample)
            timings = detect_floor.interleaved(cases, case_url)
            report(timings)
            rows.append(summary_row(size, shape, timings))
            if args.profile:
                middle = statistics.median(timings.check)
                nearest = sorted(range(len(cases)), key=lambda n: abs(timings.check[n] - middle))[: args.profile]
                print(f"cProfile of {len(nearest)} check(s) near the median, by cumulative time:")
                print(detect_floor.profile([cases[n] for n in nearest], case_url, args.profile_top))
            if not args.no_explain:
                print("EXPLAIN ANALYZE of candidate queries:")
                print("\n".join(explain(sample)))
            if args.naive:
                naive(sample[: args.naive])
            clean(meta)
            if args.reconcile_seconds >= 0:
                done, seconds, left, floor = reconcile(args.reconcile_seconds or None, case_url)
                rate = done / seconds if seconds else 0.0
                rows[-1]["reconcile"] = rate
                written = floor["flags_rows"] + floor["audit_rows"]
                if done and floor["seconds"]:
                    whole = floor["seconds"] * left / done
                    print(  # the whole's floor scaled from the part's: see the caveat below
                        f"reconcile's write floor: its {floor['flags_rows']:,.0f} flags and {floor['audit_rows']:,.0f} "
                        f"audit rows ({floor['flags_rows'] / done:.1f} flags a claim) COPYed in "
                        f"{floor['seconds']:.2f} s "
                        f"({written / floor['seconds']:,.0f} rows/s); for all {left:,} claims about {whole:,.0f} s"
                    )
                if done == left:
                    print(f"reconcile_claims: all {done:,} unchecked claims checked in {seconds:.1f} s ({rate:,.0f}/s)")
                else:
                    print(
                        f"reconcile_claims: {done:,} of {left:,} unchecked claims in {seconds:.1f} s ({rate:,.0f}/s); "
                        f"all of them would take about {left / rate:,.0f} s at that rate"
                        if rate
                        else "reconcile: none"
                    )
                    # Partitions go in attribute order and their flags a claim differ (1 in the first ones at 1M,
                    # 13-16 over a whole set): a rate of the first seconds is not the whole run's.
                    print("  (the first partitions only, in attribute order; --reconcile-seconds 0 measures them all)")
            if args.api and shape == shapes[0] and size == sizes[-1]:
                os.environ["DATABASE_URL"] = case_url  # the worker's database
                times, log_path = api_latency(args.api, queue)
                rows[-1]["api"] = statistics.median(times)
                print(
                    f"POST claim -> flag visible through the API, real worker ({log_path}): p50 "
                    f"{ms(statistics.median(times))}, p95 {ms(pct(times, 0.95))}, n={len(times)}"
                )
            clean(meta)
            connection.close()
    print(f"\nsummary ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()}):")
    print("| size | shape | check median | p95 | raw floor median | comparator-alone median | ratio | reconcile |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        reconcile_rate = f"{row['reconcile']:,.0f}/s" if "reconcile" in row else "-"
        print(
            f"| {row['size']:,} | {row['shape']} | {ms(row['check'])} | {ms(row['check_p95'])} | {ms(row['floor'])} "
            f"| {ms(row['compare'])} | {row['ratio']:.2f}x | {reconcile_rate} |"
        )
    for shape in shapes:
        mine = [row for row in rows if row["shape"] == shape]
        if len(mine) > 1:
            print(
                f"{shape}: check median growth {mine[0]['size']:,} -> {mine[-1]['size']:,}: "
                f"{mine[-1]['check'] / mine[0]['check']:.2f}x (raw floor {mine[-1]['floor'] / mine[0]['floor']:.2f}x)"
            )
    print(f"done; load {os.getloadavg()[0]:.2f}")


def naive(claim_ids: list[int]) -> None:
    """The claims against every claim in memory: the flags must equal check_claim's (the SQL narrowing at scale)."""
    from claims.detection import check, rows

    everything, _, load_time = load_everything()
    naive_times, mismatches = [], 0
    for claim_id in claim_ids:
        started = time.perf_counter()
        expected = naive_check(claim_id, everything)
        naive_times.append(time.perf_counter() - started)
        mine = rows.load(claim_id)
        assert mine is not None
        got = {(f.other.pk, f.verdict.kind) for f in check.find_conflicts(mine)}
        mismatches += got != expected
    print(
        f"naive all-pairs: median {ms(statistics.median(naive_times))} per claim over {len(everything):,} "
        f"claims in memory (loading them took {load_time:.1f} s, not counted); "
        f"flags differ from check_claim's for {mismatches} of {len(naive_times)} claims"
    )


if __name__ == "__main__":
    main()
