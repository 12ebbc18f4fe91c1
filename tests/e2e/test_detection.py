"""Detection with a real worker process on real Redis and the test database."""

from __future__ import annotations

import pytest
from kombu.exceptions import OperationalError as BrokerDown

from claims import services, tasks
from claims.detection.check import check_claim
from claims.models import Claim, Contradiction
from tests.conftest import Worker, wait_for
from tests.factories import ARTICLE_TEXT, make_article, make_claim

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _all_checked(ids: list[int]) -> bool:
    return Claim.objects.filter(pk__in=ids, checked_at__isnull=False).count() == len(ids)


def _active_flags() -> set[tuple[int, int, str]]:
    return set(Contradiction.objects.filter(withdrawn_at__isnull=True).values_list("claim_a", "claim_b", "kind"))


def test_an_edit_withdraws_flags_that_no_longer_hold(celery_worker_process: Worker) -> None:
    article = make_article()
    low = make_claim(article, "2,400 workers", value=2400)
    high = make_claim(article, "about 2,500 workers", qualifier="approx")
    wait_for(lambda: _all_checked([low.pk, high.pk]))
    flag = Contradiction.objects.get()
    assert flag.withdrawn_at is None
    services.claim_update(claim=low, actor=None, expected_version=1, value=2500)
    wait_for(lambda: _all_checked([low.pk]))
    flag.refresh_from_db()
    assert flag.withdrawn_at is not None, "the flag should be withdrawn once both say 2,500"
    assert Contradiction.objects.count() == 1  # kept, with its history
    services.claim_update(claim=low, actor=None, expected_version=2, value=2400)
    wait_for(lambda: _all_checked([low.pk]))
    flag.refresh_from_db()
    assert flag.withdrawn_at is None, "the conflict is back, so is the flag"


def test_a_claim_saved_while_the_broker_is_down_is_checked_by_reconcile(
    celery_worker_process: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = make_article()

    def broker_down(*args: object, **kwargs: object) -> None:
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.check_claim, "apply_async", broker_down)  # what services.enqueue calls
        low = make_claim(article, "2,400 workers", value=2400)  # the save itself succeeds
        high = make_claim(article, "about 2,500 workers", qualifier="approx")
    assert Claim.objects.filter(pk__in=[low.pk, high.pk], checked_at__isnull=True).count() == 2
    tasks.reconcile_claims.delay()  # what beat sends every minute, now that the broker is back
    wait_for(lambda: _all_checked([low.pk, high.pk]))
    assert Contradiction.objects.filter(claim_a=min(low.pk, high.pk), claim_b=max(low.pk, high.pk)).count() == 1


def test_killing_the_worker_mid_batch_leaves_no_duplicate_and_no_missing_flag(celery_worker_process: Worker) -> None:
    article = make_article()
    quotes = ["about 2,500 workers", "2,400 workers"]
    ids = []
    for index in range(40):
        quote = quotes[index % 2]
        at = ARTICLE_TEXT.index(quote)
        ids.append(make_claim(article, quote, start=at, end=at + len(quote), value=2300 + 10 * index).pk)
    wait_for(lambda: Claim.objects.filter(pk__in=ids, checked_at__isnull=False).exists(), timeout=60, interval=0.01)
    celery_worker_process.kill()  # SIGKILL, mid-batch
    celery_worker_process.start()
    tasks.reconcile_claims.delay()
    wait_for(lambda: _all_checked(ids), timeout=120)
    after_worker = _active_flags()
    assert after_worker, "40 distinct figures on one subject must produce flags"
    for claim_id in ids:  # a full re-check in this process finds nothing more and nothing less
        check_claim(claim_id)
    assert _active_flags() == after_worker
