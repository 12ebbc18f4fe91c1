"""gunicorn settings for production: `gunicorn tracker.wsgi:application` reads this file from the working directory
(the repository root). Every value can be overridden by the environment named next to it; see README "Deploying".
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Requests mostly wait on PostgreSQL, so a few threads per worker process use the cores well; (2 x cores) + 1
# processes is gunicorn's usual starting point.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# Ingestion and contradiction checks run in the Celery worker, never in a request, so no request needs long: a
# request still running after 30 s is stuck and its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (with jitter, so they do not all restart at once) to bound slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Caps on the request line and headers; bodies are capped by Django (DATA_UPLOAD_MAX_MEMORY_SIZE).
limit_request_line = 8190
limit_request_fields = 100
# Logs go to stdout/stderr for the container runtime or systemd to collect. "-" means stdout.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The request id (tracker.request_id) ends each line, as in the application's own log lines.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" [%({x-request-id}o)s]'
# Behind a reverse proxy on the same host, trust its X-Forwarded-* headers (set FORWARDED_ALLOW_IPS otherwise).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
