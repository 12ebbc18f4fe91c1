"""`manage.py ingest --wait` with a real worker: it reports the articles the worker extracted, not only queued."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from claims.models import Article
from tests.ingest.pages import article_text

pytestmark = pytest.mark.e2e


def test_ingest_waits_for_the_worker_and_reports_what_it_extracted(celery_worker_process: Any, tmp_path: Path) -> None:
    for key in ("ferry", "orchard"):
        (tmp_path / f"{key}.txt").write_text(article_text(key), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")  # becomes a failed article, or fails at once
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", str(tmp_path), "--wait", "60", stdout=out, stderr=err)
    report = out.getvalue()
    ready = Article.objects.filter(status=Article.Status.READY).count()
    assert ready == 2
    assert "The worker extracted 2 of the new articles" in report, report
    assert "queued for the worker" not in report
    assert "\r" not in err.getvalue() and "extracted 2/" in err.getvalue()


def test_without_wait_the_report_says_queued(celery_worker_process: Any, tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(article_text("ferry"), encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", str(tmp_path), "--no-progress", stdout=out, stderr=io.StringIO())
    assert "1 of the new articles are queued for the worker to extract." in out.getvalue()
