"""Parts against their whole, added up: "600 permanent" + "1,000 rotating" troops is more than "1,400 in all".
Pure: no Django.

The pairwise rule (numeric.py) flags one part surely larger than its whole. `parts_exceed_whole` weighs several
parts at once: when the parts, at the least they say (each one's lower bound), add up to more than the most the
whole says (its upper bound), the figures cannot all hold. It is conservative by construction:

- the parts are the caller's claims of narrower subjects of the whole's subject (`Subject.broader`, or
  `names.part_whole`), or, on the whole's own subject, claims whose quote names a part next to the figure
  ("600 permanent troops": `numeric.quote_part_words`); increments ("another 1,500") are never parts;
- one figure per part (what it counts: its subject's words with the quote's part words): of several reports of one
  part, the smallest lower bound counts; a part whose words hold another given part's ("northern Hallam County"
  within "Hallam County") is left out, so nothing is counted twice;
- same attribute (`norm_attribute`), units that measure the same thing (converted to the base unit), and the same
  time: for a running tally every part reported no later than the whole (a later part may have grown past an earlier
  whole), for a level or forecast every figure within the attribute's window of each other, for a fixed fact any;
- at least two parts (one part is the pairwise rule's).

`sum_pairs` is the one rule of which claims are added up, used by both detection paths (claims.detection.check for
one claim, claims.detection.reconcile for a partition): a whole's parts are the claims of the subjects linked as
narrower than its subject (`Subject.broader`), and a claim is flagged against a whole or a part only through such a
link (docs/DETECTION.md, "Parts of a whole").
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Protocol, TypeVar

from claims.detect.base import ClaimFacts, Settings, Verdict, _as_of_phrase, _fmt_number
from claims.detect.dynamics import CUMULATIVE, Dynamics, default_dynamics
from claims.detect.intervals import INF
from claims.detect.names import norm_attribute, norm_name
from claims.detect.numeric import _INCREMENT, _order, _part_words, _span, describe_quantity, window_of
from claims.detect.units import comparable, measure

SUM_SCORE = 0.6  # as a single part exceeding its whole


def _part_key(c: ClaimFacts) -> frozenset[str]:
    """What the figure counts, as words: its subject's, with the part words its quote puts next to it. So "600
    permanent troops" of "US troops in Poland" is the same part as 600 of "permanent US troops in Poland"."""
    return frozenset(norm_name(c.subject).split()) | _part_words(c)


def _in_time(whole: ClaimFacts, parts: Sequence[ClaimFacts], moves: Dynamics, settings: Settings) -> bool:
    if moves.kind == CUMULATIVE:
        for part in parts:
            order = _order(part, whole)
            if order is None or (order != "same" and order[0] is not part):
                return False
        return True
    window = window_of(whole.attribute, moves, settings)
    if window is None:
        return True  # a fixed fact
    days = [c.as_of for c in (whole, *parts)]
    if any(day is None for day in days):
        return False
    known = [day for day in days if day is not None]
    return (max(known) - min(known)).days <= window


def parts_exceed_whole(
    whole: ClaimFacts,
    parts: Sequence[ClaimFacts],
    *,
    settings: Settings,
    dynamics: Dynamics | None = None,
) -> list[tuple[ClaimFacts, Verdict]]:
    """Each part counted, with the verdict that the parts add up to more than the whole; [] when they do not (or
    cannot be weighed together: see the module's notes)."""
    if whole.kind != "quantity" or _part_words(whole) & _INCREMENT:
        return []
    whole_key = _part_key(whole)
    whole_measure = measure(whole.unit)
    chosen: dict[frozenset[str], tuple[float, ClaimFacts]] = {}
    for part in parts:
        key = _part_key(part)
        part_measure = measure(part.unit)
        if (
            part.kind != "quantity"
            or key == whole_key
            or _part_words(part) & _INCREMENT
            or norm_attribute(part.attribute) != norm_attribute(whole.attribute)
            or not comparable(whole_measure, part_measure)
        ):
            continue
        factor = part_measure.factor if part_measure else 1.0
        rounded = whole_measure is not None and part_measure is not None and whole_measure.factor != factor
        span = _span(part, settings, factor, rounded)
        if span is None:
            continue
        low = max(span.lo, 0.0)
        if key not in chosen or low < chosen[key][0]:
            chosen[key] = (low, part)
    # A part of another part ("northern Hallam County" in "Hallam County": its words and more) is inside it: only
    # the larger one is counted.
    counted = [(low, c) for key, (low, c) in chosen.items() if not any(other < key for other in chosen)]
    if len(counted) < 2:
        return []
    moves = dynamics or default_dynamics(whole.attribute, (whole.unit, *(c.unit for _, c in counted)))
    if not _in_time(whole, [c for _, c in counted], moves, settings):
        return []
    whole_factor = whole_measure.factor if whole_measure else 1.0
    whole_span = _span(whole, settings, whole_factor, any(_rounded(whole, c) for _, c in counted))
    total = sum(low for low, _ in counted)
    if whole_span is None or whole_span.hi == INF or total <= whole_span.hi:
        return []
    counted.sort(key=lambda item: (norm_name(item[1].subject), item[1].canonical_key))
    added = " + ".join(f"{describe_quantity(c, with_unit=True)} ({c.subject})" for _, c in counted)
    verdict = Verdict(
        "numeric",
        SUM_SCORE,
        f"the parts add up to more than the whole: {added} is at least "
        f"{_fmt_number(round(total / whole_factor, 2))} {whole.unit or ''}".rstrip()
        + f", more than {describe_quantity(whole, with_unit=True)} ({whole.subject}), "
        f"{_as_of_phrase(whole.as_of, counted[0][1].as_of)}",
    )
    return [(c, verdict) for _, c in counted]


def _rounded(a: ClaimFacts, b: ClaimFacts) -> bool:
    ma, mb = measure(a.unit), measure(b.unit)
    return (ma.factor if ma else 1.0) != (mb.factor if mb else 1.0)


class Placed(Protocol):
    """A claim as the detection paths hold it (check's Stored, reconcile's Row): its subject and its facts."""

    @property
    def subject_id(self) -> int | None: ...

    @property
    def facts(self) -> ClaimFacts: ...


P = TypeVar("P", bound=Placed)


def _id(c: Placed) -> int:
    return int(c.facts.id or 0)


def sum_pairs(
    mine: P,
    rows_of: Callable[[int], Sequence[P]],
    broader_of: Callable[[int], Collection[int]],
    narrower_of: Callable[[int], Collection[int]],
    *,
    settings: Settings,
    dynamics: Dynamics | None = None,
    cache: dict[int, list[tuple[P, Verdict]]] | None = None,
) -> list[tuple[P, Verdict]]:
    """The sum flags that involve `mine`, as (other claim, verdict), in order of the other's id.

    `rows_of(subject)` gives the confirmed quantity claims of `mine`'s attribute on a subject (the caller reads them:
    those of `mine`'s subject, its narrower and broader subjects, and the broader ones' other narrower subjects);
    `broader_of` / `narrower_of` the subject links. A whole's parts are the claims of its subject's narrower subjects
    (`parts_exceed_whole`); so `mine`, as a whole, is paired with each part counted against it, and, as a part, with
    each whole of a broader subject it is counted against. The flags of a whole depend only on the rows, not on which
    claim asks: `cache` (whole id -> flagged parts) may be shared by every claim of one read. When one pair is found
    both ways (subjects linked both ways), the verdict of the whole with the lower id is kept, whichever claim asks.
    """
    subject = mine.subject_id
    if subject is None or mine.facts.kind != "quantity":
        return []
    known: dict[int, list[tuple[P, Verdict]]] = {} if cache is None else cache

    def over_whole(whole: P) -> list[tuple[P, Verdict]]:
        if _id(whole) not in known:
            parts = sorted((p for s in narrower_of(whole.subject_id or 0) for p in rows_of(s)), key=_id)
            by_facts = {id(p.facts): p for p in parts}
            known[_id(whole)] = [
                (by_facts[id(part)], verdict)
                for part, verdict in parts_exceed_whole(
                    whole.facts, [p.facts for p in parts], settings=settings, dynamics=dynamics
                )
            ]
        return known[_id(whole)]

    found: dict[int, tuple[int, P, Verdict]] = {}  # other id -> (id of the whole, other, verdict)

    def add(other: P, verdict: Verdict, whole: int) -> None:
        if _id(other) not in found or whole < found[_id(other)][0]:
            found[_id(other)] = (whole, other, verdict)

    if narrower_of(subject):
        for part, verdict in over_whole(mine):
            add(part, verdict, _id(mine))
    for broader in sorted(broader_of(subject)):
        for whole in sorted(rows_of(broader), key=_id):
            for part, verdict in over_whole(whole):
                if _id(part) == _id(mine):
                    add(whole, verdict, _id(whole))
    return [(other, verdict) for _, (_, other, verdict) in sorted(found.items())]
