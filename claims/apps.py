"""The app's configuration; on start it registers the Celery tasks, which services queue by name."""

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the Celery tasks in every process (web, worker, commands): services queue them by name
        # (services.enqueue), and only a registered task runs in-process in eager mode.
        from claims import tasks  # noqa: F401
