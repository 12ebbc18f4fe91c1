"""The editors' annotation workspace: the article queue, intake, failed articles, the page where claims are
tagged, and the subjects page (the review of flags is in editor_review).

Writes happen in the browser through the REST API (session + CSRF); these views only read. The article text
is rendered as escaped text split into segments that each carry their offset into `Article.text`, so that the
script can turn a DOM selection into exact character offsets (see static/claims/annotate.js).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import selectors, services
from claims.api.permissions import is_editor
from claims.errors import Conflict, InvalidInput
from claims.models import Article, Claim
from claims.web.forms import (
    ArticleIntakeForm,
    SubjectMergeForm,
    SubjectNameCheckForm,
)

ARTICLES_PER_PAGE = 50
SUBJECTS_PER_PAGE = 50
STATUS_POLL_MS = 1000
# Paragraphs are separated by any whitespace run that holds a line break; the cleaner joins them with "\n\n".
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")

View = Callable[..., HttpResponse]


def editor_required(view: View) -> View:
    """Anonymous visitors are sent to sign in; a signed-in reader gets 403 (signing in again would not help)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_editor(request.user):
            raise PermissionDenied("The annotation workspace is for editors.")
        return view(request, *args, **kwargs)

    return wrapped


# ---------------------------------------------------------------------------------------------- reads


def claim_json(claim: Claim) -> dict[str, Any]:
    """The fields the script reads, in the shape the API answers with, so both feed the same code."""
    return {
        "id": claim.pk,
        "start": claim.start,
        "end": claim.end,
        "quote": claim.quote,
        "kind": claim.kind,
        "subject": claim.subject.name if claim.subject else None,
        "proposed_subject": claim.proposed_subject or None,
        "proposed_speaker": claim.proposed_speaker or None,
        "proposed_after": claim.proposed_after or None,
        "proposed_speaker_role": claim.proposed_speaker_role or None,
        "attribute": claim.attribute,
        "value": services.claim_value(claim),
        "unit": claim.unit or None,
        "qualifier": claim.qualifier,
        "speaker": claim.speaker.name if claim.speaker else None,
        "after": claim.after.name if claim.after else None,
        "as_of": claim.as_of.isoformat() if claim.as_of else None,
        "polarity": claim.polarity or None,
        "status": claim.status,
        "version": claim.version,
        "orphaned": claim.orphaned,
    }


# ---------------------------------------------------------------------------------------------- text layout


@dataclass(frozen=True)
class Segment:
    offset: int
    text: str
    claims: tuple[Claim, ...]

    @property
    def claim_ids(self) -> str:
        return " ".join(str(claim.pk) for claim in self.claims)

    @property
    def css(self) -> str:
        """Innermost (shortest) claim gives the colour; a segment under a suggestion only is dashed."""
        top = min(self.claims, key=lambda claim: claim.end - claim.start)
        suggested = all(claim.status == Claim.Status.SUGGESTED for claim in self.claims)
        return f"hl kind-{top.kind}" + (" suggested" if suggested else "")


@dataclass(frozen=True)
class Paragraph:
    offset: int
    segments: list[Segment]


def paragraphs(text: str, claims: list[Claim]) -> list[Paragraph]:
    """Split `text` into paragraphs, and each paragraph into segments cut at every claim boundary. The segments'
    texts, placed at their offsets, reproduce `text` exactly (the breaks between paragraphs aside).
    The same layout is recomputed in annotate.js (`layoutParagraph`) after each save; keep them in step."""
    result = []
    begin = 0
    for found in [*_PARAGRAPH_BREAK.finditer(text), None]:
        finish = found.start() if found else len(text)
        if finish > begin:
            result.append(Paragraph(begin, _segments(text, begin, finish, claims)))
        if found:
            begin = found.end()
    return result


def _segments(text: str, begin: int, finish: int, claims: list[Claim]) -> list[Segment]:
    inside = [claim for claim in claims if claim.start < finish and claim.end > begin]
    cuts = sorted({begin, finish, *(max(begin, min(finish, at)) for c in inside for at in (c.start, c.end))})
    return [
        Segment(left, text[left:right], tuple(c for c in inside if c.start < right and c.end > left))
        for left, right in itertools.pairwise(cuts)
    ]


# ---------------------------------------------------------------------------------------------- views


@editor_required
def article_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.article_queue(), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/editor/queue.html", {"page": page, "failed_count": selectors.article_failed_count()})


@editor_required
def annotate(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(selectors.article_list(), pk=pk)
    claims = selectors.article_annotation_claims(article)
    data = {
        "article": {
            "id": article.pk,
            "published": article.published_at.date().isoformat() if article.published_at else None,
            "length": len(article.text),
        },
        "claims": [claim_json(claim) for claim in claims],
        "api": {
            "claims": reverse("claim-list"),
            "subjects": reverse("subject-list"),
            "speakers": reverse("speaker-list"),
        },
    }
    ready = article.status == Article.Status.READY
    return render(
        request,
        "claims/editor/annotate.html",
        {
            "article": article,
            "ready": ready,
            "paragraphs": paragraphs(article.text, claims) if ready else [],
            "suggestions": [claim for claim in claims if claim.status == Claim.Status.SUGGESTED],
            "workspace": data,
            "kinds": Claim.Kind.values,
            "qualifiers": Claim.Qualifier.choices,
            "duration_units": Claim.DurationUnit.values,
        },
    )


# ---------------------------------------------------------------------------------------------- intake


@editor_required
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    """Paste, upload or give a URL. A plain form post (no script needed); the status page then follows the
    extraction live. A refused submission re-renders the form with the errors and stores nothing."""
    form = ArticleIntakeForm(request.POST, request.FILES) if request.method == "POST" else ArticleIntakeForm()
    if request.method == "POST" and form.is_valid():
        try:
            article, created = services.article_submit(actor=request.user, **form.submission())
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            target = reverse("web:editor-article-status", args=[article.pk])
            return redirect(target if created else f"{target}?already=1")
    return render(request, "claims/editor/intake.html", {"form": form}, status=400 if form.errors else 200)


@editor_required
@require_GET
def article_status(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(selectors.articles_watched(), pk=pk)
    watch = {
        "id": article.pk,
        "status": article.status,
        "api": reverse("article-detail", args=[article.pk]),
        "annotate": reverse("web:editor-annotate", args=[article.pk]),
        # The twin's page, when extraction finds the same content already in the tracker: "{id}" is replaced.
        "annotate_pattern": reverse("web:editor-annotate", args=[987654321]).replace("987654321", "{id}"),
        "interval_ms": STATUS_POLL_MS,
    }
    return render(
        request,
        "claims/editor/intake_status.html",
        {
            "article": article,
            "already": request.GET.get("already") == "1",
            "watch": watch,
        },
    )


@editor_required
@require_GET
def failed_articles(request: HttpRequest) -> HttpResponse:
    """Articles whose ingestion failed, with the reason, each with Retry and Delete (plain form posts)."""
    page = Paginator(selectors.article_failed(), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/editor/failed.html", {"page": page})


@editor_required
@require_POST
def failed_article_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Ingest a failed article again (services.article_retry): its URL is fetched again, or its pasted text or
    HTML extracted again. Back to the failed list, which the article leaves unless it fails again."""
    article = get_object_or_404(selectors.article_failed(), pk=pk)
    name = article.title or article.url or f"Article {article.pk}"
    try:
        article = services.article_retry(article=article, actor=request.user)
    except (Conflict, InvalidInput) as exc:
        messages.error(request, f"{name} was not retried: {exc}")
    else:
        if article.status == Article.Status.FAILED:
            messages.error(request, f"{name} failed again: {article.error}")
        elif article.status == Article.Status.READY:
            messages.success(request, f"{name} is ready now.")
        else:
            messages.success(request, f"{name} is being ingested again; it is listed with the other articles.")
    return redirect("web:editor-failed")


@editor_required
@require_POST
def failed_article_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a failed article (services.article_discard: a soft delete, audited): it leaves every list and page."""
    article = get_object_or_404(selectors.article_failed(), pk=pk)
    name = article.title or article.url or f"Article {article.pk}"
    try:
        services.article_discard(article=article, actor=request.user)
    except Conflict as exc:
        messages.error(request, f"{name} was not deleted: {exc}")
    else:
        messages.success(request, f"{name} was deleted.")
    return redirect("web:editor-failed")


# ---------------------------------------------------------------------------------------------- subjects


def _subjects_page(request: HttpRequest, merge: SubjectMergeForm, status: int = 200) -> HttpResponse:
    """The subjects with their claim counts (`q` narrows by name or alias), the merge form, and the near-name
    check of `name`: which existing subjects a new name would nearly duplicate (advisory; nothing is refused)."""
    search = request.GET.get("q", "").strip()[:300]
    check = SubjectNameCheckForm(request.GET if "name" in request.GET else None)
    name = check.cleaned_data["name"].strip() if check.is_valid() else ""
    page = Paginator(selectors.editor_subjects(search=search), SUBJECTS_PER_PAGE).get_page(request.GET.get("page"))
    same = services.subject_find(name) if name else None
    return render(
        request,
        "claims/editor/subjects.html",
        {
            "page": page,
            "search": search,
            "merge": merge,
            "check": check,
            "name": name,
            "same": same,
            "near": [row for row in selectors.subjects_near(name) if same is None or row["id"] != same.pk]
            if name
            else [],
        },
        status=status,
    )


@editor_required
@require_GET
def subject_list(request: HttpRequest) -> HttpResponse:
    return _subjects_page(request, SubjectMergeForm(initial={"source": request.GET.get("source", "")[:300]}))


@editor_required
@require_POST
def subject_merge(request: HttpRequest) -> HttpResponse:
    """Fold one subject into another through services.subject_merge (claims move, the name becomes an alias, an
    audit record is written). Names are matched as the services match them: case-insensitively, aliases too."""
    form = SubjectMergeForm(request.POST)
    if form.is_valid():
        found = {field: services.subject_find(form.cleaned_data[field]) for field in ("source", "target")}
        for field, subject in found.items():
            if subject is None:
                form.add_error(
                    field, f"No subject is called “{form.cleaned_data[field]}” (names and aliases were searched)."
                )
        source, target = found["source"], found["target"]
        if source is not None and target is not None:
            counted = selectors.editor_subject_get(source.pk)
            try:
                services.subject_merge(source=source, target=target, actor=request.user)
            except Conflict:
                form.add_error(
                    "target",
                    f"“{form.cleaned_data['source']}” and “{form.cleaned_data['target']}” "
                    f"are the same subject ({target.name}): a subject cannot be merged into "
                    "itself. Nothing was changed.",
                )
            except InvalidInput as exc:
                form.show_service_errors(exc)
            else:
                moved = int(getattr(counted, "claim_count", 0))  # annotated by selectors.editor_subjects
                messages.success(
                    request,
                    f"Merged “{source.name}” into “{target.name}”: {moved} "
                    f"claim{'s' if moved != 1 else ''} moved, and “{source.name}” is now an "
                    f"alias of “{target.name}”.",
                )
                return redirect(f"{reverse('web:editor-subjects')}?{urlencode({'q': target.name})}")
    return _subjects_page(request, form, status=400)
