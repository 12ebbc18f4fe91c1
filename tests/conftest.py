"""Shared fixtures. Tests run on the database DATABASE_URL names (PostgreSQL in CI's second pass) and, for the
end-to-end ones, a real Celery worker process on the real Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import editor_group
from tracker.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(autouse=True)
def _eager_celery(request: pytest.FixtureRequest) -> Iterator[None]:
    """Unit and API tests run tasks in-process; only tests marked `e2e` talk to a real worker."""
    if request.node.get_closest_marker("e2e"):
        yield
        return
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _private_throttle_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Throttle counters live in the cache (Redis on the PostgreSQL run): one test's anonymous requests must not
    use up another's allowance, so each test counts in a private, empty cache."""
    from django.core.cache.backends.locmem import LocMemCache
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4()}", {}))


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every outgoing TCP connect attempted during the test, refused instead of made."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise ConnectionRefusedError("test: connections are not allowed here")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield attempts


@pytest.fixture
def editor(db: Any) -> User:
    user = User.objects.create_user("ed", "ed@example.org", "ed-password-123")
    user.groups.add(editor_group())
    return user


@pytest.fixture
def reader(db: Any) -> User:
    return User.objects.create_user("reader", "reader@example.org", "reader-password-123")


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def editor_client(editor: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=editor)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def reader_client(reader: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=reader)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def database_url_for_tests() -> str:
    """The URL of the database the test run is using right now (pytest-django's test database)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _redis_alive(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


class Worker:
    def __init__(self, env: dict[str, str], log_path: Path, queue: str) -> None:
        self.env, self.log_path, self.queue = env, log_path, queue
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # A restarted worker appends to the same log: only a "ready." after this point means the new one is up.
        seen = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")  # noqa: SIM115 — kept open for the worker's lifetime
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tracker",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_path.read_text()[-3000:]
                raise RuntimeError(f"the worker died at start; see {self.log_path}:\n{tail}")
            if b"ready." in self.log_path.read_bytes()[seen:]:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the worker did not become ready; see {self.log_path}")

    def kill(self, sig: int = 9) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def _forget_queues() -> None:
    """Celery caches its queue table on first use; drop it so a changed default queue takes effect."""
    for name in ("queues", "default_queue", "router"):
        celery_app.amqp.__dict__.pop(name, None)


@pytest.fixture
def celery_worker_process(transactional_db: Any, tmp_path: Path) -> Iterator[Worker]:
    """A real `celery -A tracker worker` process on the real Redis, against this test run's database.

    A private queue keeps it from taking anyone else's tasks. Fails loudly when Redis is not there."""
    broker = settings.CELERY_BROKER_URL
    if not _redis_alive(broker):
        pytest.fail(f"the end-to-end tests need Redis at {broker}; start it (see README) and run again")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = dict(
        os.environ, DATABASE_URL=database_url_for_tests(), REDIS_URL=broker, CELERY_QUEUE=queue, PYTHONUNBUFFERED="1"
    )
    before = {key: celery_app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    _forget_queues()
    worker = Worker(env, tmp_path / "worker.log", queue)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        celery_app.conf.update(before)
        _forget_queues()


def wait_for(predicate: Any, timeout: float = 30.0, interval: float = 0.1) -> Any:
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
