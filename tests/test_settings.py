from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from tracker.env import (
    check_redis_url,
    parse_bool,
    parse_database_url,
    parse_int,
    parse_list,
    parse_prepare_threshold,
)

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
        "news",
        "s@cret",
        "db.internal",
        "6543",
        "tracker",
    )
    assert db["CONN_HEALTH_CHECKS"] is True


def test_postgres_url_options_reach_the_connection() -> None:
    db = parse_database_url(
        "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=require&connect_timeout=5",
        ROOT,
        conn_max_age=0,
        health_checks=False,
    )
    assert db["OPTIONS"] == {"sslmode": "require", "connect_timeout": "5"}
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (0, False)
    # On a real server: the options are what psycopg connects with (the local server speaks no TLS, so
    # sslmode=disable; application_name is echoed back by the server).
    url = "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable&connect_timeout=5&application_name=ct_probe"
    params = ConnectionHandler({"default": parse_database_url(url, ROOT, conn_max_age=0)})[
        "default"
    ].get_connection_params()  # what Django hands psycopg.connect
    with psycopg.connect(**params) as connection:
        assert connection.execute("SHOW application_name").fetchone() == ("ct_probe",)
        assert connection.info.get_parameters()["connect_timeout"] == "5"


def test_prepare_threshold_values() -> None:
    assert parse_prepare_threshold(None) == 2
    assert parse_prepare_threshold(" 0 ") == 0
    assert parse_prepare_threshold("off") is None and parse_prepare_threshold("None") is None
    with pytest.raises(ImproperlyConfigured, match="DB_PREPARE_THRESHOLD must be a whole number, not 'soon'"):
        parse_prepare_threshold("soon")
    with pytest.raises(ImproperlyConfigured, match="DB_PREPARE_THRESHOLD must be at least 0"):
        parse_prepare_threshold("-1")


def test_a_query_run_often_is_prepared_on_the_server_unless_preparing_is_off() -> None:
    """With a threshold, Django's cursor binds on the server and psycopg prepares a statement after that many runs
    (pg_prepared_statements lists it); off, the query is bound on the client and never prepared."""
    url = "postgresql://postgres@127.0.0.1:5432/postgres?application_name=ct_prepare"
    for threshold, prepared in ((2, True), (None, False)):
        entry = parse_database_url(url, ROOT, conn_max_age=0, prepare_threshold=threshold)
        params = ConnectionHandler({"default": entry})["default"].get_connection_params()  # what psycopg gets
        with psycopg.connect(**params) as connection, connection.cursor() as cursor:
            for n in range(4):
                cursor.execute("SELECT %s::int + 1 AS ct_probe_sum", [n])
                assert cursor.fetchone() == (n + 1,)
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%ct_probe_sum%"])
            assert cursor.fetchone() == (1 if prepared else 0,), threshold


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("postgresql://u@h:5432/db?sslmod=require", "sslmod"),
        ("postgresql://u@h:5432/db?sslmode=always", "sslmode"),
        ("postgresql://u@h:5432/db?connect_timeout=soon", "connect_timeout"),
    ],
)
def test_bad_postgres_url_options_are_named(url: str, named: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=named):
        parse_database_url(url, ROOT)


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
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, settings.DEBUG)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
    )


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


# --- production settings ----------------------------------------------------------------------------------------

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Jq9-vX2m!Lr8#Tz5wPbY0nHc7@dGs4eFa6uNo1iQ$hKj2RtWpZx9MvBy",  # long and random-looking
    "ALLOWED_HOSTS": "claims.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "HSTS_SECONDS": "31536000",
    "HSTS_INCLUDE_SUBDOMAINS": "true",
    "HSTS_PRELOAD": "true",
}


def _production_process(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE: the browser fixture sets it for the test process; production never has it.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **PRODUCTION, **env},
    )


def test_deploy_check_is_clean_with_production_environment() -> None:
    done = _production_process(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."


def test_deploy_check_names_what_is_missing_without_https_settings() -> None:
    done = _production_process(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], SECURE_SSL_REDIRECT="false", HSTS_SECONDS="0"
    )
    assert done.returncode != 0
    assert "security.W004" in done.stderr and "security.W008" in done.stderr


def test_production_security_settings() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; import json; print(json.dumps("
        "[s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_REFERRER_POLICY, s.X_FRAME_OPTIONS, "
        "s.STORAGES['staticfiles']['BACKEND'], getattr(s, 'SECURE_PROXY_SSL_HEADER', None)]))"
    )
    done = _production_process(["-c", code], HSTS_SECONDS="600", BEHIND_TLS_PROXY="true")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        True,
        True,
        600,
        True,
        True,
        "same-origin",
        "DENY",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ["HTTP_X_FORWARDED_PROTO", "https"],
    ]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("HSTS_SECONDS", "a year", "HSTS_SECONDS must be a whole number"),
        ("HSTS_SECONDS", "-5", "HSTS_SECONDS must be at least 0"),
        ("SECURE_SSL_REDIRECT", "sometimes", "SECURE_SSL_REDIRECT must be true or false"),
        ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT must be at least 0"),
    ],
)
def test_bad_security_values_refuse_to_start(name: str, value: str, message: str) -> None:
    done = _production_process(["-c", "import django; django.setup()"], **{name: value})
    assert done.returncode != 0
    assert message in done.stderr


def test_int_values() -> None:
    assert parse_int("N", None, 7) == 7
    assert parse_int("N", " 42 ", 7) == 42
    with pytest.raises(ImproperlyConfigured, match="N must be a whole number"):
        parse_int("N", "4.5", 7)


def test_collected_static_files_are_served_hashed_by_whitenoise(tmp_path: Path) -> None:
    """In production the pages link content-hashed files that `collectstatic` wrote, and whitenoise serves them
    (compressed too) from the same process, with a far-future cache header."""
    static_root = str(tmp_path / "static")
    env = {"STATIC_ROOT": static_root, "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    collected = _production_process(["manage.py", "collectstatic", "--noinput"], **env)
    assert collected.returncode == 0, collected.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    code = """
import django, json, re; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
client = Client(HTTP_HOST="claims.example.org")
page = client.get("/")
css = re.search(r'href="(/static/claims/site\\.[0-9a-f]{12}\\.css)"', page.content.decode()).group(1)
served = client.get(css, HTTP_ACCEPT_ENCODING="gzip")
print(json.dumps([page.status_code, css, served.status_code, served["Cache-Control"], served.get("Content-Encoding")]))
"""
    done = _production_process(["-c", code], **env)
    assert done.returncode == 0, done.stderr
    status, css, served, cache, encoding = json.loads(done.stdout.strip().splitlines()[-1])
    assert status == 200
    assert served == 200, css
    assert "immutable" in cache
    assert encoding == "gzip"


def test_health_probes_answer_docker_composes_plain_http_probe_in_production(tmp_path: Path) -> None:
    """docker-compose probes http://127.0.0.1:8000/readyz: a Host production's ALLOWED_HOSTS refuses, over plain
    HTTP that SECURE_SSL_REDIRECT redirects. The probes answer anyway; every other path keeps both checks."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db", "STATIC_ROOT": str(tmp_path / "static")}
    code = """
import django, json; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
probe = Client(HTTP_HOST="127.0.0.1:8000")
site = Client(HTTP_HOST="claims.example.org")
answers = {
    "healthz": probe.get("/healthz"), "readyz": probe.get("/readyz"), "readyz-site": site.get("/readyz"),
    "page-bad-host": probe.get("/api/v1/articles/"), "page": site.get("/api/v1/articles/"),
    "near-miss": probe.get("/readyz/extra"),
}
print(json.dumps({name: [a.status_code, a.get("Location")] for name, a in answers.items()}
                 | {"body": answers["readyz"].json()}))
"""
    done = _production_process(["-c", code], **env)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["healthz"] == [200, None]
    assert got["readyz"] == [200, None] and got["readyz-site"] == [200, None]
    assert got["body"] == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    # Host validation and the HTTPS redirect are intact everywhere else.
    assert got["page-bad-host"][0] == 400 and got["near-miss"][0] == 400
    assert got["page"] == [301, "https://claims.example.org/api/v1/articles/"]


def test_gunicorn_config_is_read_and_follows_the_environment() -> None:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    done = subprocess.run(
        [str(gunicorn), "--print-config", "tracker.wsgi:application"],
        cwd=ROOT,
        text=True,
        capture_output=True,
        timeout=60,
        env={**os.environ, "GUNICORN_WORKERS": "3"},
    )
    assert done.returncode == 0, done.stderr
    config = {
        key.strip(): value
        for key, value in (line.split(" = ", 1) for line in done.stdout.splitlines() if " = " in line)
    }
    assert {key: config[key].strip() for key in ("workers", "worker_class", "timeout", "accesslog")} == {
        "workers": "3",
        "worker_class": "gthread",
        "timeout": "30",
        "accesslog": "-",
    }
