"""Server-rendered reader pages. Article content is always rendered as escaped text, never as HTML."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from claims import selectors
from claims.models import Article, Claim


def home(request: HttpRequest) -> HttpResponse:
    latest = selectors.contradiction_list()[:20]
    articles = selectors.article_list().filter(status=Article.Status.READY)[:20]
    return render(request, "claims/home.html", {"contradictions": latest, "articles": articles})


def article_page(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(selectors.article_list(), pk=pk)
    claims = list(selectors.claim_list().filter(article=article).exclude(status=Claim.Status.REJECTED))
    return render(request, "claims/article.html", {"article": article, "claims": claims})


def claim_page(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(selectors.claim_list(), pk=pk)
    flags = selectors.contradiction_list().filter(pk__in=selectors.claim_contradiction_ids(claim))
    return render(request, "claims/claim.html", {"claim": claim, "flags": flags})


def contradiction_page(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(selectors.contradiction_list(), pk=pk)
    return render(request, "claims/contradiction.html", {"flag": flag})
