"""PostgreSQL restarts under the running site (gunicorn, production settings): requests during the outage fail
quickly and cleanly — 503 with Retry-After, JSON for the API, a short HTML page otherwise, never a traceback —
and once PostgreSQL is back the same server processes answer again, without a restart.

The database is a private cluster made for this test, so restarting it disturbs no one."""

from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import wait_for
from tests.faults.conftest import PrivatePostgres, Server, manage

pytestmark = [pytest.mark.e2e]

TIMEOUT = 15.0  # a request that takes longer than this during the outage counts as a hang


def _site_env(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "TEST_DB_TAG", "CELERY_QUEUE"}}
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=f"faults-{uuid.uuid4().hex}{uuid.uuid4().hex}",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_MANIFEST="false",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        PYTHONUNBUFFERED="1",
    )
    return env


def _assert_clean_failure(path: str, status: int, headers: dict[str, str], body: bytes, elapsed: float) -> None:
    assert elapsed < TIMEOUT, f"{path} took {elapsed:.1f} s during the outage"
    assert status == 503, f"{path} answered {status} during the outage: {body[:500]!r}"
    assert headers.get("Retry-After", "").isdigit(), f"{path}: no Retry-After on the 503"
    assert b"Traceback" not in body and b"OperationalError" not in body and b"psycopg" not in body, body[:500]
    if path.startswith("/api/"):
        assert headers.get("Content-Type", "").startswith("application/json"), headers
        assert "detail" in json.loads(body)
    else:
        assert headers.get("Content-Type", "").startswith("text/html"), headers


def test_requests_fail_cleanly_while_postgres_restarts_and_recover_without_a_server_restart(
    private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    private_postgres.psql("CREATE DATABASE tracker")
    env = _site_env(private_postgres.url("tracker"))
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    token = re.search(r"Generated token (\w+)", manage(env, "drf_create_token", "editor"))
    assert token, "drf_create_token printed no token"
    server = Server(env, tmp_path / "gunicorn.log", gunicorn=True, workers=2)
    server.start()
    try:
        status, _, body = server.request("GET", "/api/v1/claims/?status=confirmed")
        assert status == 200, body
        claims = json.loads(body)["results"]
        assert claims, "the demo data has claims"
        article_id = int(claims[0]["article"])
        paths = [
            "/api/v1/claims/",
            "/api/v1/contradictions/",
            f"/api/v1/claims/{claims[0]['id']}/",
            f"/claims/{claims[0]['id']}/",
            f"/articles/{article_id}/",
        ]
        for path in paths:
            status, _, body = server.request("GET", path)
            assert status == 200, f"{path}: {status} {body[:300]!r}"
        claims_before = len(claims)
        pid = server.proc.pid if server.proc else None

        # Readers keep asking all through the restart; every answer must be a 200 or a clean 503, promptly.
        seen: list[tuple[str, int, float]] = []
        problems: list[str] = []
        stop = threading.Event()

        def hammer() -> None:
            while not stop.is_set():
                for path in paths:
                    started = time.monotonic()
                    try:
                        status, headers, body = server.request("GET", path, timeout=TIMEOUT)
                    except OSError as exc:
                        problems.append(f"{path}: {exc!r}")
                        continue
                    elapsed = time.monotonic() - started
                    seen.append((path, status, elapsed))
                    if status != 200:
                        try:
                            _assert_clean_failure(path, status, headers, body, elapsed)
                        except AssertionError as exc:
                            problems.append(str(exc))

        thread = threading.Thread(target=hammer, daemon=True)
        thread.start()
        time.sleep(1)
        private_postgres.stop()
        try:
            for path in paths:  # certainly during the outage
                started = time.monotonic()
                status, headers, body = server.request("GET", path, timeout=TIMEOUT)
                _assert_clean_failure(path, status, headers, body, time.monotonic() - started)
            write = {
                "article": article_id,
                "quote": claims[0]["quote"],
                "start": claims[0]["start"],
                "end": claims[0]["end"],
                "kind": "quantity",
                "subject": "Outage test subject",
                "attribute": "head count",
                "value": 7,
                "unit": "people",
            }
            started = time.monotonic()
            status, headers, body = server.request(
                "POST", "/api/v1/claims/", write, token=token.group(1), timeout=TIMEOUT
            )
            _assert_clean_failure("/api/v1/claims/", status, headers, body, time.monotonic() - started)
            time.sleep(2)
        finally:
            private_postgres.start()

        def all_ok() -> bool:
            return all(server.request("GET", path)[0] == 200 for path in paths)

        wait_for(all_ok, timeout=30, interval=0.5)
        time.sleep(1)
        stop.set()
        thread.join(timeout=TIMEOUT * 2)
        assert server.proc is not None and server.proc.poll() is None and server.proc.pid == pid, (
            "the same server process must serve again"
        )
        assert not problems, "\n".join(problems[:10])
        statuses = {status for _, status, _ in seen}
        assert statuses <= {200, 503}, statuses
        assert 503 in statuses and 200 in statuses, "the readers saw both the outage and the recovery"
        # The write refused during the outage left nothing behind.
        status, _, body = server.request("GET", "/api/v1/claims/?status=confirmed&page_size=200")
        assert status == 200
        assert len(json.loads(body)["results"]) == claims_before
        assert (
            private_postgres.psql("SELECT count(*) FROM claims_subject WHERE name = 'Outage test subject'", "tracker")
            == "0"
        )
    finally:
        server.stop()
