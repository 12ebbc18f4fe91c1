"""The Celery application.

With REDIS_URL set, tasks travel through Redis to a `celery -A tracker worker` process. Without it (the embedded
default) the same task functions run eagerly in the web process, right after the transaction that queued them
commits — see `tracker.settings` (CELERY_TASK_ALWAYS_EAGER) and the `on_commit` calls in `claims.services`.
"""

import os
import time

import redis
from celery import Celery
from celery.signals import heartbeat_sent

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Where workers leave their latest heartbeat, read by /readyz (tracker.health).
WORKER_HEARTBEAT_KEY = "claimtracker:worker-heartbeat"
_last_beat = 0.0


@heartbeat_sent.connect
def _record_heartbeat(sender: object = None, **kwargs: object) -> None:
    """Each worker heartbeat (every 2 s) refreshes a timestamp in Redis, at most every 10 s, that /readyz reads
    (tracker.health): "a worker was alive within the last minute"."""
    global _last_beat
    now = time.time()
    if now - _last_beat < 10:
        return
    _last_beat = now
    try:
        client = redis.Redis.from_url(app.conf.broker_url, socket_connect_timeout=1, socket_timeout=1)
        client.set(WORKER_HEARTBEAT_KEY, str(now), ex=300)
        client.close()
    except redis.RedisError:
        _last_beat = 0.0  # try again on the next heartbeat
