"""What a quantity flag's review card offers to teach: how the flag's attribute moves now (set by an editor, else
the detector's default) and what dismissing the pair as an update would teach (a running tally, or a level with a
window that no longer compares the two reports). Reads only: the review page reads offers here, and
services.contradictions checks a dismissal as an update against the same offer before it writes.

Imports models and the pure packages; never services, tasks, api or web."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min

from claims.detect.dynamics import CUMULATIVE, FORECAST, LEVEL, RULE_NAMES, Dynamics, default_dynamics
from claims.models import AttributeDynamics, Claim, Contradiction

TEACHABLE = (CUMULATIVE, LEVEL)  # the kinds under which a figure that moved is an update, not a conflict


@dataclass(frozen=True)
class UpdateOffer:
    """What a quantity flag's card offers: how its attribute moves now, and what the pair suggests teaching."""

    attribute: str  # the normalised attribute (Claim.attribute_key), as AttributeDynamics keys it
    current: Dynamics  # set by an editor, else the detector's default for this pair
    proposal: str  # CUMULATIVE (the later report is higher), LEVEL, or "" when the pair suggests nothing
    window_days: int | None  # the longest window that no longer compares the two reports (None: no such window)
    days_apart: int | None  # days between the two reports' effective dates, when both are known

    @property
    def current_words(self) -> str:
        return dynamics_words(self.current.kind, self.current.window_days)


def dynamics_words(kind: str, window_days: int | None) -> str:
    """ "a running tally", "a level that moves either way, compared within 3 days"."""
    words = RULE_NAMES.get(kind, kind)
    if kind not in (LEVEL, FORECAST):
        return words
    if window_days is None:
        return f"{words}, compared within the configured window"
    if window_days == 0:
        return f"{words}, compared on the same day only"
    return f"{words}, compared within {window_days} day{'' if window_days == 1 else 's'}"


def refusal_to_teach(flag: Contradiction) -> str:
    """Why this flag cannot teach how figures move ("" when it can)."""
    if flag.kind != Contradiction.Kind.NUMERIC:
        return f"Only a quantity flag can teach how an attribute's figures move; this is a {flag.kind} flag."
    a, b = flag.claim_a, flag.claim_b
    if a.kind != Claim.Kind.QUANTITY or b.kind != Claim.Kind.QUANTITY:
        return "Only a flag between two quantities can teach how an attribute's figures move."
    if a.attribute_key != b.attribute_key:
        return f"The two claims' attributes differ (“{a.attribute}”, “{b.attribute}”): teach each one in the admin."
    return ""


def _timed(moment: datetime.datetime) -> bool:
    """A publication time is known when it is not midnight UTC (a date without a time)."""
    return moment.astimezone(datetime.UTC).time() != datetime.time()


def _in_order(a: Claim, b: Claim) -> tuple[Claim, Claim] | None:
    """The two reports, earlier first: by effective date, on one day by publication time; None when unknown."""
    if a.effective_date is None or b.effective_date is None:
        return None
    if a.effective_date != b.effective_date:
        return (a, b) if a.effective_date < b.effective_date else (b, a)
    first, second = a.article.published_at, b.article.published_at
    if first is None or second is None or not (_timed(first) and _timed(second)) or first == second:
        return None
    return (a, b) if first < second else (b, a)


def _figure(claim: Claim) -> float:
    low = float(claim.qty_min or 0)
    return low if claim.qty_max is None else (low + float(claim.qty_max)) / 2


def kind_now(attribute: str, units: tuple[str | None, ...], known: tuple[str, int | None] | None) -> Dynamics:
    """How the detector reads an attribute's figures now: the editor's setting (`known`: kind and window), else the
    default from the attribute's and units' words."""
    return Dynamics(known[0], known[1], "set by an editor") if known else default_dynamics(attribute, units)


def update_offer(flag: Contradiction, editor_set: dict[str, tuple[str, int | None]]) -> UpdateOffer:
    a, b = flag.claim_a, flag.claim_b
    key = a.attribute_key
    current = kind_now(key, (a.unit or None, b.unit or None), editor_set.get(key))
    days = (
        None
        if a.effective_date is None or b.effective_date is None
        else abs((b.effective_date - a.effective_date).days)
    )
    window = days - 1 if days else None
    ordered = _in_order(a, b)
    proposal = ""
    if ordered is not None and _figure(ordered[1]) > _figure(ordered[0]):
        proposal = CUMULATIVE
    elif ordered is not None and window is not None:
        proposal = LEVEL
    return UpdateOffer(key, current, proposal, window, days)


def contradiction_update_offers(flags: list[Contradiction]) -> dict[int, UpdateOffer]:
    """For the review cards: each quantity flag's offer, by flag id (the claims and their articles are read from the
    flags as loaded; one query reads the editors' kinds of all their attributes). Reads only."""
    teachable = [flag for flag in flags if not refusal_to_teach(flag)]
    keys = sorted({flag.claim_a.attribute_key for flag in teachable})
    editor_set: dict[str, tuple[str, int | None]] = {}
    if keys:
        rows = AttributeDynamics.objects.filter(attribute_key__in=keys)
        editor_set = {
            key: (kind, days) for key, kind, days in rows.values_list("attribute_key", "dynamics", "window_days")
        }
    return {flag.pk: update_offer(flag, editor_set) for flag in teachable}


@dataclass(frozen=True)
class AttributeKind:
    """An attribute of confirmed quantities and how the detector reads its figures' movement."""

    attribute_key: str
    attribute: str  # as the claims write it (the first spelling in alphabetical order)
    confirmed: int
    units: tuple[str, ...]
    moves: Dynamics  # the editor's setting, else the default from the attribute's and units' words
    words: str  # dynamics_words of `moves`


def attribute_kinds(search: str = "") -> list[AttributeKind]:
    """Every attribute of confirmed quantity claims (and every attribute an editor has set), by name, with how its
    figures move: three queries whatever the number of attributes. `search` narrows by a part of the attribute."""
    quantities = Claim.objects.filter(status=Claim.Status.CONFIRMED, kind=Claim.Kind.QUANTITY)
    set_kinds = AttributeDynamics.objects.all()
    if search:
        quantities = quantities.filter(attribute_key__icontains=search)
        set_kinds = set_kinds.filter(attribute_key__icontains=search)
    counted = {
        row["attribute_key"]: (row["attribute"], row["confirmed"])
        for row in quantities.values("attribute_key").annotate(attribute=Min("attribute"), confirmed=Count("id"))
    }
    units: dict[str, set[str]] = {}
    for key, unit in quantities.values_list("attribute_key", "unit").distinct():
        if unit:
            units.setdefault(key, set()).add(unit)
    chosen = {
        key: (kind, days) for key, kind, days in set_kinds.values_list("attribute_key", "dynamics", "window_days")
    }
    out = []
    for key in sorted(set(counted) | set(chosen)):
        attribute, confirmed = counted.get(key, (key, 0))
        unit_names = tuple(sorted(units.get(key, ())))
        moves = kind_now(attribute, unit_names, chosen.get(key))
        out.append(
            AttributeKind(key, attribute, confirmed, unit_names, moves, dynamics_words(moves.kind, moves.window_days))
        )
    return out
