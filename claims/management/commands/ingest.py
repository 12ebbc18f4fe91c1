"""`manage.py ingest`: submit files, folders, JSON Lines and RSS/Atom feeds as articles, with a summary."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims import bulk_ingest
from claims.api.permissions import is_editor


class Command(BaseCommand):
    help = (
        "Ingest articles the way POST /api/v1/articles/ does: .html/.htm files as HTML, .txt/.md files as text, "
        "folders (searched recursively for those), .jsonl files (one API request body per line) and RSS/Atom "
        "feeds (--feed URL; each item's link is fetched as a URL article). Prints how many were new, duplicates "
        "or failed, with the reason for each failure."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="*", help="files and folders to ingest")
        parser.add_argument(
            "--feed",
            action="append",
            default=[],
            metavar="URL",
            help="an RSS or Atom feed whose items' links are ingested (may be repeated)",
        )
        parser.add_argument("--user", help="username of the editor recorded as the articles' creator")
        parser.add_argument("--outlet", help="outlet name for text and HTML items that do not name one")
        parser.add_argument("--no-progress", action="store_true", help="do not show progress")
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="with a worker, wait up to this long for the new articles to be extracted and "
            "report how many were (default: 0, report them as queued)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[str] = options["paths"]
        feeds: list[str] = options["feed"]
        if not paths and not feeds:
            raise CommandError("nothing to ingest: give files, folders, .jsonl files or --feed URL")
        missing = bulk_ingest.missing_paths(paths)
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        actor = self._editor(options["user"])
        sources = bulk_ingest.collect_sources(paths, feeds)
        if options["wait"] < 0:
            raise CommandError("--wait: give a number of seconds, 0 or more")
        bar = self._progress(sum(s.count for s in sources), options, "")
        try:
            summary = bulk_ingest.ingest(
                sources, actor=actor, outlet=options["outlet"], on_result=bar.update if bar else None
            )
        finally:
            if bar is not None:
                bar.close()
        if summary.pending and options["wait"]:
            self._wait(summary, options)
        self.stdout.write(summary.report())
        if summary.failed and not (summary.new or summary.duplicate):
            raise CommandError("nothing was ingested: every item failed")

    def _progress(self, total: int, options: dict[str, Any], label: str) -> bulk_ingest.ProgressBar | None:
        if options["no_progress"]:
            return None
        # A bar redrawn in place on a terminal; plain lines now and then in a log or a pipe.
        return bulk_ingest.ProgressBar(total, write=self._write_progress, interactive=self.stderr.isatty(), label=label)

    def _wait(self, summary: bulk_ingest.Summary, options: dict[str, Any]) -> None:
        bar = self._progress(summary.pending, options, "extracted ")
        if bar is not None:
            bar.counts = {"ready": 0, "failed": 0}

        def progress(ready: int, failed: int) -> None:
            if bar is not None:
                bar.advance("ready", ready)
                bar.advance("failed", failed)

        try:
            counts = bulk_ingest.wait_for_worker(summary.pending_ids, timeout=options["wait"], on_progress=progress)
        finally:
            if bar is not None:
                bar.close()
        summary.extracted, summary.extraction_failed, summary.pending = (
            counts["ready"],
            counts["failed"],
            counts["pending"],
        )

    def _write_progress(self, text: str) -> None:
        self.stderr.write(text, style_func=str, ending="")  # plain, not in the error style
        self.stderr.flush()

    def _editor(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--user: no user called {username!r}")
        if not is_editor(user):
            raise CommandError(f"--user: {username!r} is not an editor")
        return user
