"""Bulk ingestion for `manage.py ingest`: files, folders, JSON Lines and RSS/Atom feeds, each item submitted
through `services.article_submit` — the path `POST /api/v1/articles/` takes — and tallied as new, duplicate or
failed with the reason.

Memory stays flat however long the input: JSON Lines files are read line by line, folders are listed but each
file is read only when its turn comes, nothing keeps the articles it submitted, and only failures are remembered
(their place and reason, for the summary).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from django.db import reset_queries

from claims import selectors, services
from claims.api.serializers import ArticleIn
from claims.errors import InvalidInput
from claims.ingest.extract import ExtractionError, decode_body
from claims.ingest.feeds import FeedError, parse_feed
from claims.ingest.fetch import FetchError, fetch
from claims.models import Article

FILE_KINDS = {".html": "html", ".htm": "html", ".txt": "text", ".md": "text"}
JSONL = ".jsonl"
MAX_FILE_BYTES = 5 * 1024 * 1024  # the same cap as a fetched page
_KNOWN = ", ".join([*FILE_KINDS, JSONL])


@dataclass(frozen=True)
class Item:
    """One article to submit (`fields` as `article_submit` takes them), or a problem found before submitting."""

    where: str
    fields: dict[str, Any] | None = None
    problem: str | None = None


@dataclass(frozen=True)
class Source:
    """A group of items whose number is known before they are read (for the progress bar)."""

    label: str
    count: int
    items: Callable[[], Iterator[Item]]


@dataclass(frozen=True)
class Result:
    where: str
    outcome: str  # "new" | "duplicate" | "failed"
    reason: str = ""
    article_id: int | None = None
    pending: bool = False  # a new article still waiting for the worker


@dataclass
class Summary:
    new: int = 0
    duplicate: int = 0
    pending: int = 0  # new articles a worker has still to extract
    failures: list[tuple[str, str]] = field(default_factory=list)
    pending_ids: list[int] = field(default_factory=list)
    extracted: int = 0  # after waiting for the worker (--wait): how many it made ready, how many failed
    extraction_failed: int = 0

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def total(self) -> int:
        return self.new + self.duplicate + self.failed

    def add(self, result: Result) -> None:
        if result.outcome == "new":
            self.new += 1
            self.pending += result.pending
            if result.pending and result.article_id is not None:
                self.pending_ids.append(result.article_id)
        elif result.outcome == "duplicate":
            self.duplicate += 1
        else:
            self.failures.append((result.where, result.reason))

    def report(self) -> str:
        lines = [f"{self.total} items: {self.new} new, {self.duplicate} duplicate, {self.failed} failed."]
        if self.extracted or self.extraction_failed:
            lines.append(
                f"The worker extracted {self.extracted} of the new articles; {self.extraction_failed} "
                "failed (see /editor/articles/failed/)."
            )
        if self.pending:
            lines.append(f"{self.pending} of the new articles are queued for the worker to extract.")
        if self.failures:
            lines.append("Failed:")
            lines.extend(f"  {where}: {reason}" for where, reason in self.failures)
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- sources


def missing_paths(paths: Iterable[str]) -> list[str]:
    return [p for p in paths if not os.path.exists(p)]


def collect_sources(paths: Iterable[str], feed_urls: Iterable[str] = ()) -> list[Source]:
    """What to ingest, in the order given. Feeds are fetched here, so their item count is known."""
    sources: list[Source] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            sources.extend(_folder_sources(path))
        elif path.suffix.lower() == JSONL:
            sources.append(Source(str(path), _count_lines(path), partial(_jsonl_items, path)))
        elif path.suffix.lower() in FILE_KINDS:
            sources.append(_one(str(path), partial(_file_item, path)))
        else:
            problem = f"unsupported file type {path.suffix or '(none)'!r}; use one of {_KNOWN}, or a folder"
            sources.append(_failed(str(path), problem))
    for url in feed_urls:
        sources.append(_feed_source(url))
    return sources


def _one(label: str, make: Callable[[], Item]) -> Source:
    return Source(label, 1, lambda: iter([make()]))


def _failed(label: str, problem: str) -> Source:
    return _one(label, partial(Item, label, problem=problem))


def _folder_sources(folder: Path) -> list[Source]:
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in FILE_KINDS and p.is_file())
    if not files:
        return [_failed(str(folder), f"no {', '.join(FILE_KINDS)} files in this folder")]
    return [_one(str(p), partial(_file_item, p)) for p in files]


def _file_item(path: Path) -> Item:
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Item(where, problem=f"file is too large ({size} bytes; at most {MAX_FILE_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        return Item(where, problem=f"cannot read the file: {exc.strerror or exc}")
    try:
        body = decode_body(data, None)
    except ExtractionError as exc:
        return Item(where, problem=str(exc).replace("the page", "the file"))
    return Item(where, fields={FILE_KINDS[path.suffix.lower()]: body})


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return 1  # _jsonl_items reports why


def _jsonl_items(path: Path) -> Iterator[Item]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Item(str(path), problem=f"cannot read the file: {exc.strerror or exc}")
        return
    with handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            where = f"{path} line {number}"
            try:
                obj = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield Item(where, problem=f"not valid UTF-8 (at byte {exc.start})")
                continue
            except json.JSONDecodeError as exc:
                yield Item(where, problem=f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(obj, dict):
                yield Item(where, problem=f"must be a JSON object, not {type(obj).__name__}")
                continue
            # The API's own input serializer: a line means exactly what the same JSON POSTed would.
            data = ArticleIn(data=obj)
            if not data.is_valid():
                yield Item(where, problem=_field_errors(data.errors))
                continue
            yield Item(where, fields=dict(data.validated_data))


def _feed_source(url: str) -> Source:
    label = f"feed {url}"
    try:
        page = fetch(url, policy=services.fetch_policy())
        entries = parse_feed(page.body, base_url=page.url)
    except FetchError as exc:
        return _failed(label, f"could not fetch the feed: {exc.reason}")
    except FeedError as exc:
        return _failed(label, str(exc))
    if not entries:
        return _failed(label, "the feed has no items")
    items = [
        Item(f"{label} item {e.position}", fields={"url": e.link})
        if e.link
        else Item(f"{label} item {e.position}", problem=f"the item {e.title or ''!r} has no link")
        for e in entries
    ]
    return Source(label, len(items), lambda: iter(items))


def _field_errors(errors: Any) -> str:
    if isinstance(errors, dict):
        return "; ".join(f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in errors.items())
    return str(errors)


# ---------------------------------------------------------------------------------------------- submitting


def submit_item(item: Item, *, actor: services.Actor, outlet: str | None = None) -> Result:
    if item.fields is None:
        return Result(item.where, "failed", item.problem or "unreadable")
    fields = dict(item.fields)
    if outlet and "outlet" not in fields and ("text" in fields or "html" in fields):
        fields["outlet"] = outlet  # a URL alone takes its outlet from the page (API.md)
    try:
        article, created = services.article_submit(actor=actor, **fields)
    except InvalidInput as exc:
        return Result(item.where, "failed", _field_errors(exc.errors))
    if not created:
        return Result(item.where, "duplicate", f"already stored as article {article.pk}", article.pk)
    # With tasks run in-process the extraction has already happened by now; with a worker it is queued.
    article.refresh_from_db(fields=["status", "error"])
    if article.status == Article.Status.FAILED:
        return Result(item.where, "failed", f"article {article.pk} failed: {article.error}", article.pk)
    return Result(item.where, "new", article_id=article.pk, pending=article.status == Article.Status.PENDING)


def ingest(
    sources: list[Source],
    *,
    actor: services.Actor,
    outlet: str | None = None,
    on_result: Callable[[Result], None] | None = None,
) -> Summary:
    summary = Summary()
    for source in sources:
        for item in source.items():
            result = submit_item(item, actor=actor, outlet=outlet)
            summary.add(result)
            if on_result is not None:
                on_result(result)
            reset_queries()  # with DEBUG on, Django would otherwise keep every query of a long run
    return summary


class ProgressBar:
    """Progress on stderr. On a terminal (`interactive`), one line redrawn in place with a carriage return, at most
    ten times a second; otherwise (a log file, a pipe) a plain line every `every` seconds and at the end, so that
    logs hold lines, not redraws. `write` must put the text out at once, unbuffered."""

    def __init__(
        self,
        total: int,
        *,
        write: Callable[[str], None] | None = None,
        width: int = 30,
        interactive: bool = True,
        every: float = 10.0,
        label: str = "",
    ) -> None:
        self.total, self.done, self.width = max(total, 0), 0, width
        self.write = write or _stderr
        self.interactive, self.every, self.label = interactive, every, label
        self.counts: dict[str, int] = {"new": 0, "duplicate": 0, "failed": 0}
        self._started = time.monotonic()
        self._drawn = 0.0 if interactive else self._started

    def update(self, result: Result) -> None:
        self.advance(result.outcome)

    def advance(self, outcome: str, steps: int = 1) -> None:
        self.done += steps
        self.counts[outcome] = self.counts.get(outcome, 0) + steps
        now = time.monotonic()
        if now - self._drawn >= (0.1 if self.interactive else self.every) or (
            self.interactive and self.done >= self.total
        ):
            self._draw(now)

    def close(self) -> None:
        self._draw(time.monotonic())
        if self.interactive:
            self.write("\n")

    def line(self, now: float) -> str:
        share = self.done / self.total if self.total else 1.0
        rate = self.done / max(now - self._started, 1e-9)
        counts = " ".join(f"{n} {k}" for k, n in self.counts.items())
        return f"{self.done}/{self.total} {share:4.0%} {rate:6.1f}/s  {counts}"

    def _draw(self, now: float) -> None:
        self._drawn = now
        if not self.interactive:
            self.write(f"{self.label}{self.line(now)}\n")
            return
        share = self.done / self.total if self.total else 1.0
        filled = min(self.width, int(share * self.width))
        self.write(f"\r{self.label}[{'#' * filled}{'.' * (self.width - filled)}] {self.line(now)}")


def wait_for_worker(
    article_ids: list[int], *, timeout: float, poll: float = 1.0, on_progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Wait until the worker has extracted every article of `article_ids` (ready or failed), or `timeout` seconds
    pass. `on_progress(ready, failed)` hears each change, those made before the wait began included (a fast worker
    may have finished some already). Returns the counts: ready, failed, pending."""
    deadline = time.monotonic() + timeout
    heard = (0, 0)
    while True:
        counts = selectors.article_status_counts(article_ids)
        if on_progress is not None and (counts["ready"], counts["failed"]) != heard:
            on_progress(counts["ready"] - heard[0], counts["failed"] - heard[1])
            heard = (counts["ready"], counts["failed"])
        if not counts["pending"] or time.monotonic() >= deadline:
            return counts
        time.sleep(poll)


def _stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()
