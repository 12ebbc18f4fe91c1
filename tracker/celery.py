"""The Celery application.

With REDIS_URL set, tasks travel through Redis to a `celery -A tracker worker` process. Without it (the embedded
default) the same task functions run eagerly in the web process, right after the transaction that queued them
commits — see `tracker.settings` (CELERY_TASK_ALWAYS_EAGER) and the `on_commit` calls in `claims.services`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
