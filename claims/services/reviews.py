"""An editor's review that does more than resolve a flag: dismissing a quantity flag as an update, which also
teaches the attribute how its figures move. Joins contradictions (the review) and claims (the attribute's
dynamics), so it lives above both.

Imported through `claims.services` by views and the admin; imports models, the pure packages and the other
service modules below it, never claims.tasks, api, web or detection."""

from __future__ import annotations

from django.db import transaction

from claims.models import AttributeDynamics, Contradiction
from claims.services.audit import Actor
from claims.services.claims import attribute_dynamics_set
from claims.services.contradictions import contradiction_check_update, contradiction_resolve


def contradiction_dismiss_as_update(
    *, contradiction: Contradiction, actor: Actor, dynamics: str, window_days: int | None = None, note: str = ""
) -> tuple[Contradiction, AttributeDynamics]:
    """Dismiss a quantity flag because the figure moved (an update), and teach its attribute how its figures move:
    `dynamics` "cumulative" (a running tally), or "level" with `window_days` fewer than the days between the two
    reports. In one transaction: the flag is dismissed with `note` (contradiction_resolve, audited) and the kind set
    (attribute_dynamics_set, audited; the attribute's confirmed claims are marked unchecked, so the reconcile weighs
    them again). Everything is checked first (contradiction_check_update): a refusal changes nothing. The kind is
    written before the flag, in the order a check takes its locks (claims, then flags)."""
    offer = contradiction_check_update(
        contradiction=contradiction, dynamics=dynamics, window_days=window_days, note=note
    )
    with transaction.atomic():
        taught = attribute_dynamics_set(
            attribute=offer.attribute, dynamics=dynamics, window_days=window_days, actor=actor
        )
        flag = contradiction_resolve(
            contradiction=contradiction, actor=actor, status=Contradiction.Status.DISMISSED, note=note
        )
    return flag, taught
