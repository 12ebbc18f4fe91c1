"""`manage.py ingest`: files, folders, JSON Lines and feeds in; articles, duplicates and readable failures out.

Tasks run in-process after each commit (the eager setting of the unit tests), so an article the command submits
has been extracted — or has failed — by the time the summary is printed."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from claims import bulk_ingest
from claims.ingest import fetch as fetch_module
from claims.models import Article, AuditEvent
from tests.factories import make_article
from tests.ingest.httpserver import LocalServer, local_server  # noqa: F401 - pytest fixture
from tests.ingest.pages import article_html, article_text, first_sentence

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def editor(transactional_db: Any) -> User:
    """conftest's editor, but the group is made here: transactional tests flush what the data migration made."""
    user = User.objects.create_user("ed", "ed@example.org", "ed-password-123")
    user.groups.add(Group.objects.get_or_create(name="editor")[0])
    return user


def run(*args: str, progress: bool = False) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *args, *([] if progress else ["--no-progress"]), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("ingest", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), str(caught.value)


# --- files and folders ----------------------------------------------------------------------------------------


def test_files_and_a_folder_become_ready_articles(tmp_path: Path, editor: User) -> None:
    (tmp_path / "ferry.html").write_text(article_html("ferry"), encoding="utf-8")
    folder = tmp_path / "desk"
    (folder / "spring").mkdir(parents=True)
    (folder / "orchard.TXT").write_text(article_text("orchard"), encoding="utf-8")
    (folder / "spring" / "library.md").write_text(article_text("library"), encoding="utf-8")
    (folder / "spring" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not an article")  # skipped in folders

    out, err = run(str(tmp_path / "ferry.html"), str(folder), "--user", editor.username, "--outlet", "Coast Post")

    assert out.strip() == "3 items: 3 new, 0 duplicate, 0 failed."
    assert err == ""
    articles = list(Article.objects.order_by("id"))
    assert [a.source for a in articles] == ["html", "text", "text"]  # argument order, then the folder sorted
    for article, key in zip(articles, ["ferry", "orchard", "library"], strict=True):
        assert article.status == Article.Status.READY, article.error
        assert first_sentence(key) in article.text
        assert "newsdesk@coastpost.example" not in article.text
        assert article.created_by == editor
        assert article.outlet is not None and article.outlet.name == "Coast Post"


def test_running_again_counts_duplicates_and_stores_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(article_html("ferry"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(article_text("orchard"), encoding="utf-8")
    (tmp_path / "b-copy.txt").write_text(article_text("orchard"), encoding="utf-8")  # same content, other name

    first, _ = run(str(tmp_path))
    assert first.startswith("3 items: 2 new, 1 duplicate, 0 failed.")
    events = AuditEvent.objects.count()
    again, _ = run(str(tmp_path))
    assert again.strip() == "3 items: 0 new, 3 duplicate, 0 failed."
    assert Article.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_unreadable_files_fail_with_their_reason(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(article_text("library"), encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 au lait, 3 euros".encode("latin-1"))
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02\x03" * 50)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.7")

    out, _ = run(str(tmp_path), str(tmp_path / "notes.pdf"))

    assert out.splitlines()[0] == "5 items: 1 new, 0 duplicate, 4 failed."
    failures = _failures(out)
    assert failures[str(tmp_path / "latin.txt")] == "the file declares no charset and is not valid UTF-8 (at byte 3)"
    assert failures[str(tmp_path / "empty.html")] == "the file is empty"
    assert "binary" in failures[str(tmp_path / "binary.md")]
    assert failures[str(tmp_path / "notes.pdf")].startswith("unsupported file type '.pdf'")
    assert Article.objects.count() == 1


def test_missing_paths_stop_the_command_before_anything_is_stored(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(article_text("ferry"), encoding="utf-8")
    out, error = run_failing(str(tmp_path / "a.txt"), str(tmp_path / "nope.txt"))
    assert error == f"no such file or folder: {tmp_path / 'nope.txt'}"
    assert out == ""
    assert Article.objects.count() == 0


def test_unknown_or_non_editor_user_is_refused(tmp_path: Path, reader: User) -> None:
    (tmp_path / "a.txt").write_text(article_text("ferry"), encoding="utf-8")
    assert run_failing(str(tmp_path), "--user", "nobody")[1] == "--user: no user called 'nobody'"
    assert run_failing(str(tmp_path), "--user", reader.username)[1] == "--user: 'reader' is not an editor"
    assert Article.objects.count() == 0


def test_exit_status_is_non_zero_when_a_path_is_missing(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "ingest", "--no-progress", str(tmp_path / "missing")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert f"no such file or folder: {tmp_path / 'missing'}" in done.stderr


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_is_drawn_in_place_on_a_terminal(tmp_path: Path) -> None:
    for key in ("ferry", "orchard"):
        (tmp_path / f"{key}.txt").write_text(article_text(key), encoding="utf-8")
    out, err = io.StringIO(), Terminal()
    call_command("ingest", str(tmp_path), stdout=out, stderr=err)
    assert out.getvalue().startswith("2 items: 2 new")
    last = err.getvalue().rstrip("\n").split("\r")[-1]
    assert last.startswith("[" + "#" * 30 + "] 2/2 100%")
    assert last.endswith("2 new 0 duplicate 0 failed")
    assert err.getvalue().endswith("\n")


def test_progress_in_a_log_is_plain_lines_without_redraws(tmp_path: Path) -> None:
    for key in ("ferry", "orchard"):
        (tmp_path / f"{key}.txt").write_text(article_text(key), encoding="utf-8")
    out, err = run(str(tmp_path), progress=True)  # stderr is a StringIO: not a terminal
    assert out.startswith("2 items: 2 new")
    assert "\r" not in err
    lines = err.splitlines()
    assert lines and lines[-1].startswith("2/2 100%") and lines[-1].endswith("2 new 0 duplicate 0 failed")


# --- JSON Lines -----------------------------------------------------------------------------------------------


def test_jsonl_bad_lines_are_reported_by_number_and_skipped(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "text": article_text("ferry"),
                "title": "Island ferry timetable cut as fuel costs climb",
                "published_at": "2025-04-08",
            }
        ),
        "{not json",
        "",  # blank lines are ignored
        json.dumps(["a", "list"]),
        json.dumps({"text": article_text("orchard"), "html": article_html("orchard")}),
        json.dumps({"html": article_html("library"), "outlet": "Coast Post", "author": "someone"}),
        json.dumps({"html": article_html("library"), "published_at": "last Tuesday"}),
        json.dumps({"html": article_html("library"), "outlet": "Valley Times", "url": "https://valley.example/lib"}),
        json.dumps({"text": article_text("ferry")}),  # the first line's article again
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    out, _ = run(str(path))

    assert out.splitlines()[0] == "8 items: 2 new, 1 duplicate, 5 failed."
    failures = _failures(out)
    assert failures[f"{path} line 2"].startswith("not valid JSON (")
    assert failures[f"{path} line 4"] == "must be a JSON object, not list"
    both = "send exactly one of text, html or url"
    assert failures[f"{path} line 5"] == f"text: {both}; html: {both}"
    assert failures[f"{path} line 6"] == "author: unknown field"
    assert failures[f"{path} line 7"].startswith("published_at: Datetime has wrong format")
    ferry = Article.objects.get(source="text")
    assert ferry.published_at is not None and ferry.published_at.date().isoformat() == "2025-04-08"
    library = Article.objects.get(source="html")
    assert library.url == "https://valley.example/lib"
    assert library.outlet is not None and library.outlet.name == "Valley Times"
    assert library.status == Article.Status.READY


def test_a_jsonl_file_of_only_bad_lines_exits_non_zero(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"text": ""}\n\xff\xfe{}\n')
    out, error = run_failing(str(path))
    assert error == "nothing was ingested: every item failed"
    assert out.splitlines()[0] == "2 items: 0 new, 0 duplicate, 2 failed."
    assert _failures(out) == {f"{path} line 1": "text: is empty", f"{path} line 2": "not valid UTF-8 (at byte 0)"}
    assert Article.objects.count() == 0


# --- feeds ----------------------------------------------------------------------------------------------------


def _rss(items: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Coast Post</title>'
        f"{items}</channel></rss>"
    ).encode()


def test_rss_feed_items_are_fetched_as_url_articles(local_server: LocalServer, settings: Any) -> None:  # noqa: F811
    settings.INGEST_FETCH_POLICY = local_server.policy()
    local_server.route("/news/ferry", body=article_html("ferry").encode())
    local_server.route("/news/orchard", body=article_html("orchard").encode())
    local_server.route(
        "/feed.xml",
        headers={"Content-Type": "application/rss+xml; charset=utf-8"},
        body=_rss(
            "<item><title>Ferry</title><link>/news/ferry</link></item>"
            f"<item><title>Orchard</title><link>{local_server.url('/news/orchard?utm_source=rss')}</link></item>"
            "<item><title>No link at all</title><description>x</description></item>"
            "<item><title>Ferry again</title><link>/news/ferry#comments</link></item>"
        ),
    )

    out, _ = run("--feed", local_server.url("/feed.xml"))

    feed = f"feed {local_server.url('/feed.xml')}"
    assert out.splitlines()[0] == "4 items: 2 new, 1 duplicate, 1 failed."
    assert _failures(out) == {f"{feed} item 3": "the item 'No link at all' has no link"}
    ferry = Article.objects.get(url=local_server.url("/news/ferry"))
    assert ferry.status == Article.Status.READY, ferry.error
    assert ferry.source == "url"
    assert first_sentence("ferry") in ferry.text
    # The canonical URL (tracking parameter dropped) is stored and fetched; the repeated link is never fetched.
    orchard = Article.objects.get(url=local_server.url("/news/orchard"))
    assert first_sentence("orchard") in orchard.text
    assert [r.path for r in local_server.requests] == ["/feed.xml", "/news/ferry", "/news/orchard"]


def test_atom_feed_and_files_in_one_run(tmp_path: Path, local_server: LocalServer, settings: Any) -> None:  # noqa: F811
    settings.INGEST_FETCH_POLICY = local_server.policy()
    local_server.route("/2025/library.html", body=article_html("library").encode())
    local_server.route(
        "/atom",
        headers={"Content-Type": "application/atom+xml"},
        body=(
            b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Coast Post</title>'
            b'<entry><title>Library</title><link rel="enclosure" href="/cover.jpg"/>'
            b'<link href="/2025/library.html"/></entry></feed>'
        ),
    )
    (tmp_path / "ferry.txt").write_text(article_text("ferry"), encoding="utf-8")

    out, _ = run(str(tmp_path / "ferry.txt"), "--feed", local_server.url("/atom"))

    assert out.strip() == "2 items: 2 new, 0 duplicate, 0 failed."
    library = Article.objects.get(source="url")
    assert library.status == Article.Status.READY, library.error
    assert first_sentence("library") in library.text


def test_a_feed_that_is_not_a_feed_fails_readably(local_server: LocalServer, settings: Any) -> None:  # noqa: F811
    settings.INGEST_FETCH_POLICY = local_server.policy()
    local_server.route("/page", body=article_html("ferry").encode())
    local_server.route(
        "/bomb",
        headers={"Content-Type": "application/xml"},
        body=(
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<rss><channel><item><title>&b;</title><link>/x</link></item></channel></rss>"
        ),
    )
    local_server.route("/gone", status=404, headers={"Content-Type": "text/html"}, body=b"gone")

    out, error = run_failing(
        "--feed", local_server.url("/page"), "--feed", local_server.url("/bomb"), "--feed", local_server.url("/gone")
    )

    assert error == "nothing was ingested: every item failed"
    failures = _failures(out)
    assert failures[f"feed {local_server.url('/page')}"] == "the feed is not well-formed XML (line 1, column 0)"
    assert failures[f"feed {local_server.url('/bomb')}"].startswith("the feed declares XML entities, which are refused")
    assert failures[f"feed {local_server.url('/gone')}"] == "could not fetch the feed: HTTP 404"
    assert Article.objects.count() == 0


# --- the refusal matrix through the command ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("feed", "reason"),
    [
        ("http://127.0.0.1/feed.xml", "refused: address 127.0.0.1 is a loopback address"),
        ("http://10.20.30.40/rss", "refused: address 10.20.30.40 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "refused: address 169.254.169.254 is a link-local address"),
        ("http://[::1]/feed", "refused: address ::1 is a loopback address"),
        ("http://[::ffff:192.168.1.1]/feed", "embeds 192.168.1.1, which is a private address"),
        ("http://2130706433/feed", "refused: address 127.0.0.1 is a loopback address"),
        ("http://0177.0.0.1/feed", "refused: address 127.0.0.1 is a loopback address"),
        ("http://example.org:8080/feed", "port 8080 is not allowed"),
        ("http://user:secret@example.org/feed", "URLs with user names or passwords are refused"),
        ("file:///etc/passwd", "only http and https URLs are accepted"),
    ],
)
def test_feeds_at_refused_addresses_are_never_contacted(connections: list[Any], feed: str, reason: str) -> None:
    out, error = run_failing("--feed", feed)
    assert error == "nothing was ingested: every item failed"
    ((where, got),) = _failures(out).items()
    assert where == f"feed {feed}"
    assert got.startswith("could not fetch the feed: ")
    assert reason in got
    assert connections == []
    assert Article.objects.count() == 0


def test_jsonl_urls_at_refused_addresses_fail_readably_and_are_never_contacted(
    tmp_path: Path, connections: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only fetching can tell where a name leads: this one resolves inside.
    monkeypatch.setattr(fetch_module, "_resolve", lambda host, port: ["10.0.0.9"])
    urls = {
        "http://127.0.0.1/a": "url: address 127.0.0.1 is a loopback address",
        "http://10.0.0.7/a": "url: address 10.0.0.7 is a private address",
        "http://169.254.169.254/latest/": "url: address 169.254.169.254 is a link-local address",
        "http://[::1]/a": "url: address ::1 is a loopback address",
        "http://[::ffff:127.0.0.2]/a": "url: address ::ffff:7f00:2 embeds 127.0.0.2, which is a loopback address",
        "http://2130706435/a": "url: address 127.0.0.3 is a loopback address",
        "http://0177.0.0.4/a": "url: address 127.0.0.4 is a loopback address",
        "http://127.0.0.1:2375/a": "url: address 127.0.0.1 is a loopback address",
        "http://example.org:2375/a": "url: port 2375 is not allowed",
        "https://admin:hunter2@example.org/a": "url: URLs with user names or passwords are refused",
        "file:///etc/passwd": "url: only http and https URLs are accepted",
        "http://intranet.example.org/a": "could not fetch the page: refused: intranet.example.org resolves to "
        "10.0.0.9, which is a private address",
    }
    path = tmp_path / "urls.jsonl"
    path.write_text("".join(json.dumps({"url": url}) + "\n" for url in urls), encoding="utf-8")

    out, error = run_failing(str(path))

    assert error == "nothing was ingested: every item failed"
    failures = _failures(out)
    for number, (url, reason) in enumerate(urls.items(), 1):
        got = failures[f"{path} line {number}"]
        if reason.startswith("url: "):
            assert got == reason, url
        else:  # stored, then failed by the fetcher with the reason an editor reads
            article_id = int(got.split()[1])
            assert got == f"article {article_id} failed: {reason}", url
            assert Article.objects.get(pk=article_id).status == Article.Status.FAILED
    assert connections == []
    # Refused by validation: nothing stored. Refused at fetch time: a failed article with no text.
    assert Article.objects.count() == 1
    assert not Article.objects.exclude(text="").exists()


def _failures(out: str) -> dict[str, str]:
    lines = out.splitlines()
    assert "Failed:" in lines, out
    found: dict[str, str] = {}
    for line in lines[lines.index("Failed:") + 1 :]:
        # Places never contain ": " (paths, "line N", URLs); reasons may.
        where, _, reason = line.strip().partition(": ")
        found[where] = reason
    return found


def test_waiting_hears_the_articles_the_worker_extracted_before_the_wait_began() -> None:
    """A fast worker may have extracted some of the new articles before `--wait` starts polling: the progress counts
    them too, so that its last line agrees with the report (found in CI: "extracted 1/2" beside "extracted 2")."""
    done = make_article(status=Article.Status.READY)
    failed = make_article(status=Article.Status.FAILED)
    waiting = make_article(status=Article.Status.PENDING)
    heard: list[tuple[int, int]] = []
    ids = [done.pk, failed.pk, waiting.pk]
    counts = bulk_ingest.wait_for_worker(ids, timeout=0, on_progress=lambda r, f: heard.append((r, f)))
    assert heard == [(1, 1)] and counts == {"ready": 1, "failed": 1, "pending": 1}
    Article.objects.filter(pk=waiting.pk).update(status=Article.Status.READY)
    heard.clear()
    counts = bulk_ingest.wait_for_worker(ids, timeout=5, poll=0.01, on_progress=lambda r, f: heard.append((r, f)))
    assert heard == [(2, 1)] and counts == {"ready": 2, "failed": 1, "pending": 0}
