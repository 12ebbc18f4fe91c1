"""The editors' page of attributes (/editor/attributes/): how each attribute's figures move as the detector reads
them (a running tally, a level within a window, a fixed fact, a forecast), and the form that sets it through
services.attribute_dynamics_set (audited; the attribute's claims are checked again by the periodic reconcile)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from claims import selectors, services
from claims.errors import InvalidInput
from claims.models import AttributeDynamics
from claims.web.editor import editor_required
from claims.web.forms import AttributeKindForm

ATTRIBUTES_PER_PAGE = 50


def _page(request: HttpRequest, failed: AttributeKindForm | None = None, status: int = 200) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:200]
    page = Paginator(selectors.attribute_kinds(search=search), ATTRIBUTES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/editor/attributes.html",
        {"page": page, "search": search, "failed": failed, "kinds": AttributeDynamics.Kind.choices},
        status=status,
    )


@editor_required
@require_GET
def attribute_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@editor_required
@require_POST
def attribute_set(request: HttpRequest) -> HttpResponse:
    form = AttributeKindForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.attribute_dynamics_set(
                attribute=data["attribute"],
                dynamics=data["dynamics"],
                window_days=data["window_days"],
                actor=request.user,
            )
        except InvalidInput as exc:
            form.show_service_errors(exc)
        else:
            how = selectors.dynamics_words(saved.dynamics, saved.window_days)
            messages.success(request, f"«{saved.attribute_key}» is now {how}: its claims are checked again.")
            return redirect(f"{reverse('web:editor-attributes')}?{urlencode({'q': saved.attribute_key})}")
    return _page(request, form, status=400)
