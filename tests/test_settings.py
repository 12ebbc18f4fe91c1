from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tracker.env import check_redis_url, parse_bool, parse_database_url, parse_list

ROOT = Path(__file__).resolve().parent.parent


def test_bool_values() -> None:
    assert parse_bool("DEBUG", "true", False) is True
    assert parse_bool("DEBUG", "0", True) is False
    assert parse_bool("DEBUG", None, True) is True
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        parse_bool("DEBUG", "maybe", True)


def test_list_values() -> None:
    assert parse_list("a.example, b.example,", []) == ["a.example", "b.example"]
    assert parse_list(None, ["x"]) == ["x"]


def test_postgres_url() -> None:
    db = parse_database_url("postgresql://news:s%40cret@db.internal:6543/tracker", ROOT)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "news", "s@cret", "db.internal", "6543", "tracker")
    assert db["CONN_HEALTH_CHECKS"] is True


def test_sqlite_urls_absolute_and_relative() -> None:
    assert parse_database_url("sqlite:////tmp/x/db.sqlite3", ROOT)["NAME"] == "/tmp/x/db.sqlite3"
    assert parse_database_url("sqlite:///data/db.sqlite3", ROOT)["NAME"] == str(ROOT / "data" / "db.sqlite3")


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgresql://u@h:5432/", "sqlite:///", "nonsense"])
def test_bad_database_urls_fail_loudly(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(url, ROOT)


def test_bad_redis_url_fails_loudly() -> None:
    assert check_redis_url("redis://127.0.0.1:6379/0")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        check_redis_url("http://127.0.0.1:6379")


def _settings_process(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}}
    code = "import django; django.setup(); from django.conf import settings; " \
           "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env})


def test_embedded_default_needs_no_environment() -> None:
    done = _settings_process()
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django.db.backends.sqlite3", "True", "True"]


def test_redis_url_sends_tasks_to_a_worker() -> None:
    done = _settings_process(REDIS_URL="redis://127.0.0.1:6379/3", DATABASE_URL="postgresql://u@127.0.0.1/x")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django.db.backends.postgresql", "False", "True"]


def test_production_without_secret_key_refuses_to_start() -> None:
    done = _settings_process(DEBUG="false")
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


def test_bad_debug_value_refuses_to_start() -> None:
    done = _settings_process(DEBUG="perhaps")
    assert done.returncode != 0
    assert "DEBUG must be true or false" in done.stderr

def test_test_db_tag_gives_each_run_its_own_test_database() -> None:
    sqlite = parse_database_url("sqlite:////tmp/x/db.sqlite3", ROOT, "web")
    assert sqlite["TEST"]["NAME"] == "/tmp/x/test_web_db.sqlite3"
    pg = parse_database_url("postgresql://u@h:5432/tracker", ROOT, "w2")
    assert pg["TEST"]["NAME"] == "test_tracker_w2"
    assert parse_database_url("postgresql://u@h:5432/tracker", ROOT)["TEST"]["NAME"] == "test_tracker"
    with pytest.raises(ImproperlyConfigured, match="TEST_DB_TAG"):
        parse_database_url("sqlite:///data/db.sqlite3", ROOT, "a;b")
