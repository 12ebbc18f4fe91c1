"""docker-compose.yml cannot be started here (no Docker engine), so it is checked by reading it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _command(service: dict[str, Any]) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_services_are_all_there() -> None:
    assert set(_compose()["services"]) == {"postgres", "redis", "web", "worker", "beat"}


def test_commands_start_the_right_processes() -> None:
    services = _compose()["services"]
    assert "gunicorn tracker.wsgi:application" in _command(services["web"])
    assert "migrate --noinput" in _command(services["web"])
    assert _command(services["worker"]).startswith("celery -A tracker worker")
    assert _command(services["beat"]).startswith("celery -A tracker beat")


def test_every_service_has_a_health_check_or_depends_on_healthy_ones() -> None:
    services = _compose()["services"]
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_app_services_share_the_documented_environment() -> None:
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= set(env)
    postgres_env = services["postgres"]["environment"]
    url = services["web"]["environment"]["DATABASE_URL"]
    assert f"{postgres_env['POSTGRES_USER']}:{postgres_env['POSTGRES_PASSWORD']}@postgres:5432/" in url
    assert url.endswith("/" + postgres_env["POSTGRES_DB"])


def test_the_dockerfile_exists_for_the_build() -> None:
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()


def test_gunicorn_takes_its_settings_from_its_config_file() -> None:
    web = _command(_compose()["services"]["web"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    for command in (web, dockerfile):
        assert "gunicorn.conf.py" in command
        assert "--workers" not in command and "--threads" not in command


def test_the_web_health_check_asks_readyz() -> None:
    check = " ".join(_compose()["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/readyz" in check
    # No Host header is sent: the probe relies on tracker/probes.py answering any Host (tested in test_settings).
    assert "Host" not in check
    assert "tracker.probes.HealthProbeMiddleware" in (ROOT / "tracker" / "settings.py").read_text()
