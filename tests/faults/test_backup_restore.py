"""A `pg_dump` of the whole state, restored into a fresh database, serves the same claims and flags.

Runs for real on every pass (on the SQLite pass too): it makes its own throw-away databases on the machine's
PostgreSQL at 127.0.0.1:5432, fills one through the services, dumps and restores it with the commands that
docs/OPERATIONS.md gives, and compares what two servers — one on each database — answer through the API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.faults.conftest import Server, manage

pytestmark = [pytest.mark.e2e]

PG = [
    "-h",
    os.environ.get("BACKUP_TEST_PGHOST", "127.0.0.1"),
    "-p",
    os.environ.get("BACKUP_TEST_PGPORT", "5432"),
    "-U",
    "postgres",
]


def _run(command: list[str], **kwargs: Any) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, **kwargs)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def _psql(sql: str) -> str:
    return _run(["psql", *PG, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-tAc", sql])


def _url(name: str) -> str:
    return f"postgresql://postgres@{PG[1]}:{PG[3]}/{name}"


def _env(database: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "TEST_DB_TAG", "CELERY_QUEUE"}}
    env.update(DATABASE_URL=_url(database), PYTHONUNBUFFERED="1")
    return env


def _everything(server: Server, token: str) -> dict[str, Any]:
    """All claims (an editor's view: suggestions too), flags and articles as the API shows them, absolute links made
    relative to compare servers."""
    seen: dict[str, Any] = {}
    for name, query in (
        ("claims", ""),
        ("suggestions", "&status=suggested"),
        ("contradictions", ""),
        ("articles", ""),
        ("subjects", ""),
    ):
        path = "claims" if name == "suggestions" else name
        status, _, body = server.request("GET", f"/api/v1/{path}/?page_size=200{query}", token=token)
        assert status == 200, body
        page = json.loads(body)
        assert page.get("next") in (None, ""), "the comparison reads one page"
        seen[name] = page["results"]
    for claim in [*seen["claims"], *seen["suggestions"]]:
        status, _, body = server.request("GET", f"/api/v1/claims/{claim['id']}/", token=token)
        assert status == 200, body
        seen[f"claim {claim['id']}"] = json.loads(body)
    for flag in seen["contradictions"]:
        status, _, body = server.request("GET", f"/api/v1/contradictions/{flag['id']}/")
        assert status == 200, body
        seen[f"contradiction {flag['id']}"] = json.loads(body)
    return json.loads(json.dumps(seen).replace(server.base, ""))


def test_a_dump_restored_into_a_fresh_database_serves_the_same_claims_and_flags(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:10]
    source, restored = f"tracker_backup_src_{tag}", f"tracker_backup_dst_{tag}"
    dump = tmp_path / "tracker.dump"
    servers: list[Server] = []
    try:
        _psql(f"CREATE DATABASE {source}")
        manage(_env(source), "migrate", "--noinput")
        made = json.loads(
            _run([sys.executable, "-m", "tests.faults.populate_backup"], cwd=ROOT, env=_env(source))
            .strip()
            .splitlines()[-1]
        )
        assert made["flags"] >= 2, f"the story must produce flags to back up: {made}"

        # The commands of docs/OPERATIONS.md: a custom-format dump, restored into a new, empty database.
        _run(["pg_dump", *PG, "--format=custom", "--no-owner", "--file", str(dump), source])
        _psql(f"CREATE DATABASE {restored}")
        _run(["pg_restore", *PG, "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)])

        for database in (source, restored):
            server = Server(_env(database), tmp_path / f"{database}.log")
            servers.append(server)
            server.start()
        original, copy = (_everything(server, made["token"]) for server in servers)
        confirmed = [claim for claim in original["claims"] if claim["status"] == "confirmed"]
        assert len(confirmed) == 4 and len(original["contradictions"]) == made["flags"]
        assert original["suggestions"], "the suggestions made at ingestion are part of the state too"
        assert any(flag["status"] == "confirmed" for flag in original["contradictions"]), "a reviewed flag"
        assert all(claim["checked_at"] for claim in confirmed)
        assert copy == original

        # The restored database is a working one: the same token writes, ids continue, the worker's check runs.
        status, _, body = servers[1].request(
            "POST",
            "/api/v1/claims/",
            {
                "article": original["claims"][0]["article"],
                "quote": original["claims"][0]["quote"],
                "kind": "quantity",
                "subject": "Dock workers on strike",
                "attribute": "striker count",
                "value": 4000,
                "unit": "workers",
            },
            token=made["token"],
        )
        assert status == 201, body
        new = json.loads(body)
        assert new["id"] > max(claim["id"] for claim in original["claims"]), "sequences were restored"
        status, _, body = servers[1].request("GET", f"/api/v1/claims/{new['id']}/")
        assert json.loads(body)["checked_at"] and json.loads(body)["contradictions"], body
    finally:
        for server in servers:
            server.stop()
        for database in (source, restored):
            _psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
