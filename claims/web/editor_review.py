"""The editors' review of flags: the queue of contradictions to review and one flag's page, where an editor
confirms, dismisses (and may teach how an attribute moves) or supersedes a flag. Mounted by editor_urls; writes go
through services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from claims import selectors, services
from claims.errors import InvalidInput
from claims.models import Claim, Contradiction
from claims.present.values import value_text
from claims.web.editor import editor_required
from claims.web.forms import (
    REVIEW_ACTIONS,
    ContradictionFilterForm,
    ContradictionResolveForm,
    taught_words,
)

FLAGS_PER_PAGE = 20


# ---------------------------------------------------------------------------------------------- review


def _context_before(claim: Claim) -> str:
    """The stored words before the quote; when they were cut out of a longer text, the cut word goes too."""
    text = claim.prefix
    if claim.start > len(text):
        text = "…" + (text.split(None, 1)[1] if len(text.split(None, 1)) == 2 else text).lstrip()
    return text


def _context_after(claim: Claim) -> str:
    text = claim.suffix
    if len(text) >= services.CONTEXT_CHARS:  # cut from a longer text (see services: prefix/suffix)
        text = (text.rsplit(None, 1)[0] if len(text.rsplit(None, 1)) == 2 else text).rstrip() + "…"
    return text


@dataclass(frozen=True)
class ContradictionSide:
    claim: Claim
    before: str
    after: str
    value: str


@dataclass(frozen=True)
class ContradictionCard:
    flag: Contradiction
    sides: tuple[ContradictionSide, ContradictionSide]
    form: ContradictionResolveForm
    notices: tuple[str, ...] = ()  # the result of a decision just taken on this flag, shown inside its card
    offer: selectors.UpdateOffer | None = None  # a quantity flag's: how its attribute moves, what dismissing may teach


def _side(claim: Claim) -> ContradictionSide:
    return ContradictionSide(claim, _context_before(claim), _context_after(claim), value_text(claim))


def _card(flag: Contradiction, form: ContradictionResolveForm | None = None, **more: Any) -> ContradictionCard:
    offer = more.get("offer")
    form = form or ContradictionResolveForm.for_contradiction(
        flag, more.get("next_url", ""), offer and offer.window_days
    )
    return ContradictionCard(flag, (_side(flag.claim_a), _side(flag.claim_b)), form, more.get("notices", ()), offer)


_FLAG_TAG = re.compile(r"\bflag-(\d+)\b")


@dataclass(frozen=True)
class Notice:
    text: str
    flag_id: int | None  # the flag a decision message is about, when it is not on this page (a link to it)


def _contradiction_notices(request: HttpRequest, on_page: set[int]) -> tuple[dict[int, tuple[str, ...]], list[Notice]]:
    """The pending messages, split: a decision's result goes into its flag's card, where the redirect's
    `#flag-<id>` anchor puts the editor; the rest, and decisions on flags this page does not show (resolved out
    of a `status=open` filter, or moved to another page), go at the top."""
    by_flag: dict[int, tuple[str, ...]] = {}
    top: list[Notice] = []
    for message in messages.get_messages(request):
        found = _FLAG_TAG.search(message.extra_tags or "")
        flag_id = int(found.group(1)) if found else None
        if flag_id is not None and flag_id in on_page:
            by_flag[flag_id] = (*by_flag.get(flag_id, ()), str(message))
        else:
            top.append(Notice(str(message), flag_id))
    return by_flag, top


def _review_home(request: HttpRequest, wanted: str) -> str:
    """Where to go back after a decision: the queue page (with its filters) the editor came from."""
    queue = reverse("web:editor-contradictions")
    if wanted.startswith(queue) and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return queue


@editor_required
@require_GET
def contradiction_review(request: HttpRequest) -> HttpResponse:
    filters = ContradictionFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    queryset = selectors.contradiction_queue(kind=chosen.get("kind") or None, status=chosen.get("status") or None)
    page = Paginator(queryset, FLAGS_PER_PAGE).get_page(request.GET.get("page"))
    here = request.get_full_path()
    query = request.GET.copy()
    query.pop("page", None)
    flags = list(page.object_list)
    by_flag, notices = _contradiction_notices(request, {flag.pk for flag in flags})
    offers = selectors.contradiction_update_offers(flags)
    cards = [_card(flag, next_url=here, notices=by_flag.get(flag.pk, ()), offer=offers.get(flag.pk)) for flag in flags]
    return render(
        request,
        "claims/editor/review.html",
        {
            "page": page,
            "cards": cards,
            "notices": notices,
            "filters": filters,
            "filter_query": query.urlencode(),
            "actions": REVIEW_ACTIONS,
        },
    )


@editor_required
@require_http_methods(["GET", "POST"])
def contradiction_review_one(request: HttpRequest, pk: int) -> HttpResponse:
    """One flag with its decision form; the queue's per-flag forms post here. A valid decision goes through services
    (contradiction_resolve, or contradiction_dismiss_as_update when it teaches) and returns to the queue."""
    flag = get_object_or_404(selectors.contradiction_queue(), pk=pk)
    offer = selectors.contradiction_update_offers([flag]).get(flag.pk)
    if request.method == "POST":
        form = ContradictionResolveForm(request.POST, prefix=f"f{flag.pk}")
        if form.is_valid():
            decision, note, lesson = form.cleaned_data["status"], form.cleaned_data["note"], form.lesson()
            try:
                if lesson:  # dismissed as an update, teaching how the attribute moves (the form: with Dismiss only)
                    row = services.contradiction_dismiss_as_update(contradiction=flag, actor=request.user, **lesson)
                else:
                    services.contradiction_resolve(contradiction=flag, actor=request.user, status=decision, note=note)
            except InvalidInput as exc:
                form.show_service_errors(exc)
            else:
                tag = f"flag-{flag.pk}"  # the queue shows these inside that card (see _contradiction_notices)
                messages.success(request, f"Flag {flag.pk} ({flag.kind}) is now {decision}.", extra_tags=tag)
                if lesson:
                    messages.success(request, taught_words(row[1]), extra_tags=tag)
                return redirect(f"{_review_home(request, form.cleaned_data['next'])}#flag-{flag.pk}")
        card = _card(flag, form, offer=offer)
    else:
        card = _card(flag, next_url=reverse("web:editor-contradictions"), offer=offer)
    return render(
        request,
        "claims/editor/review_one.html",
        {"card": card, "actions": REVIEW_ACTIONS},
        status=400 if card.form.errors else 200,
    )
