"""The app's configuration; on start it registers the Celery tasks, which services queue by name, and the fast
timestamp reading of PostgreSQL connections."""

from django.apps import AppConfig
from django.db.backends.signals import connection_created

from claims.db import use_c_timestamps


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the Celery tasks in every process (web, worker, commands): services queue them by name
        # (services.enqueue), and only a registered task runs in-process in eager mode.
        from claims import tasks  # noqa: F401

        # Every new PostgreSQL connection reads timestamps with psycopg's C parser (claims.db).
        connection_created.connect(use_c_timestamps, dispatch_uid="claims.use_c_timestamps")
