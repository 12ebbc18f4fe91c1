"""The claim output built by hand (for speed) says exactly what DRF's generic field-by-field path says."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from claims import selectors
from claims.api.claim_json import claim_rows_json
from claims.api.serializers import ClaimOut
from claims.models import Claim
from tests.api import bulk

pytestmark = pytest.mark.django_db


def test_the_fast_claim_output_equals_the_generic_one(editor: object) -> None:
    made = bulk.claims(25)
    bulk.contradictions(made)
    Claim.objects.filter(pk=made[0].pk).update(checked_at=None, unit="", polarity="")
    claims = list(selectors.claim_list())
    assert {claim.kind for claim in claims} == {"quantity", "date", "duration", "attribution", "statement"}
    assert any(claim.after_id for claim in claims) and any(claim.speaker_id for claim in claims)
    for claim in claims:
        out = ClaimOut(claim)
        fast = out.to_representation(claim)
        generic = serializers.ModelSerializer.to_representation(out, claim)
        assert fast == dict(generic), claim.pk
        assert list(fast) == list(generic)
    assert ClaimOut(claims, many=True).data[3] == ClaimOut(claims[3]).data


def test_a_list_page_built_from_rows_says_what_the_claim_output_says(editor: object) -> None:
    """The list reads rows (selectors.claim_api_rows) and its flags in one query; each claim must read exactly as
    ClaimOut writes it from the model instance, flags, names, values and page included."""
    made = bulk.claims(30)
    bulk.contradictions(made)
    Claim.objects.filter(pk=made[1].pk).update(checked_at=None, unit="", polarity="")
    rows = claim_rows_json(list(selectors.claim_api_rows(selectors.claim_list())))
    by_instance = [ClaimOut(claim).data for claim in selectors.claim_list()]
    assert rows == by_instance
    assert any(row["contradictions"] for row in rows) and len({row["kind"] for row in rows}) == 5
