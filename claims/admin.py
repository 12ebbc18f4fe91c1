"""Django admin for every model. Edits of claims and contradictions go through the services so that they are
audited and re-checked like any other edit; a field whose change no service here would carry is read-only, and what
has no audited delete (contradictions, subjects, speakers, attribute dynamics) cannot be deleted here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from claims import services
from claims.errors import ServiceError
from claims.models import (
    Article,
    ArticleVersion,
    AttributeDynamics,
    AuditEvent,
    Claim,
    Contradiction,
    Outlet,
    Speaker,
    SpeakerAlias,
    Subject,
    SubjectAlias,
)


class ServiceAdmin(admin.ModelAdmin):
    """An admin whose saves go through the services: what a service refuses (bad input, a name taken, an object
    that cannot take the change) is shown as an error on the page, the edit rolled back, never a server error."""

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as exc:  # raised inside the view's transaction: nothing of the edit was kept
            self.message_user(request, f"Not saved: {exc}", level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "created_at"]
    search_fields = ["name", "domain"]


class ArticleVersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    readonly_fields = ["number", "content_hash", "changes", "created_at"]
    exclude = ["text"]


@admin.register(Article)
class ArticleAdmin(ServiceAdmin):
    """Metadata edits go through services.article_update (audited; a new date re-dates the claims and re-checks
    them); status, version, text and the ingestion fields are read-only: they change only through ingestion, a
    re-fetch (the action below) or the editors' failed-articles page."""

    list_display = ["id", "title", "outlet", "published_at", "status", "source", "version", "created_at"]
    list_filter = ["status", "source", "outlet"]
    search_fields = ["title", "url", "byline"]
    list_select_related = ["outlet"]
    readonly_fields = [
        "url",
        "source",
        "status",
        "error",
        "version",
        "duplicate_of",
        "deleted_at",
        "created_by",
        "content_hash",
        "raw_hash",
        "simhash",
        "created_at",
        "updated_at",
        "text",
        "raw",
    ]
    exclude = ["simhash_b0", "simhash_b1", "simhash_b2", "simhash_b3"]
    inlines = [ArticleVersionInline]
    date_hierarchy = "created_at"
    actions = ["refetch"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # articles come in through intake (the editor pages, the API, the ingest command)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a failed article is discarded (audited) from the editors' failed-articles page

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        changes = {name: getattr(obj, name) for name in services.ARTICLE_EDITABLE if name in form.changed_data}
        if changes:
            services.article_update(article=obj, actor=request.user, **changes)

    @admin.action(description="Fetch selected URL articles again")
    def refetch(self, request: HttpRequest, queryset: Any) -> None:
        for article in queryset.exclude(url__isnull=True):
            services.article_refetch_request(article=article, actor=request.user)


def _save_aliases(formset: Any, add: Any, actor: Any) -> None:
    """New aliases go through the service (clash check, audit); an edited one is replaced; removed ones go, each
    change audited."""
    for alias in formset.save(commit=False):
        if alias.pk:
            services.alias_remove(alias=alias, actor=actor)
        add(alias.name)
    for gone in formset.deleted_objects:
        services.alias_remove(alias=gone, actor=actor)


class SubjectAliasInline(admin.TabularInline):
    model = SubjectAlias
    extra = 1
    exclude = ["name_key"]


@admin.register(Subject)
class SubjectAdmin(ServiceAdmin):
    list_display = ["name", "group_key", "created_at"]
    search_fields = ["name", "aliases__name"]
    filter_horizontal = ["broader"]
    inlines = [SubjectAliasInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # no audited delete: a subject is merged into another (audited) on /editor/subjects/ or the API

    def save_model(self, request: HttpRequest, obj: Subject, form: Any, change: bool) -> None:
        if change:
            if "name" in form.changed_data:
                services.subject_rename(subject=obj, name=obj.name, actor=request.user)
        else:
            created = services.subject_get_or_create(name=obj.name, actor=request.user)
            obj.pk = created.pk
        if "description" in form.changed_data:
            services.subject_describe(subject=obj, description=obj.description, actor=request.user)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The broader links through the services (audited), not form.save_m2m(); then the alias inline.
        subject, wanted = form.instance, set(form.cleaned_data.get("broader", ()))
        current = set(subject.broader.all())
        for broader in sorted(wanted - current, key=lambda s: s.pk):
            services.subject_link_broader(narrower=subject, broader=broader, actor=request.user)
        for broader in sorted(current - wanted, key=lambda s: s.pk):
            services.subject_unlink_broader(narrower=subject, broader=broader, actor=request.user)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        _save_aliases(
            formset,
            lambda name: services.subject_alias_add(subject=form.instance, name=name, actor=request.user),
            request.user,
        )


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 1
    exclude = ["name_key"]


@admin.register(Speaker)
class SpeakerAdmin(ServiceAdmin):
    list_display = ["name", "description", "created_at"]
    search_fields = ["name", "description", "aliases__name"]
    inlines = [SpeakerAliasInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # no audited delete: a speaker is merged into another (audited) through the API

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        _save_aliases(
            formset,
            lambda name: services.speaker_alias_add(speaker=form.instance, name=name, actor=request.user),
            request.user,
        )

    def save_model(self, request: HttpRequest, obj: Speaker, form: Any, change: bool) -> None:
        if change:
            services.speaker_update(speaker=obj, name=obj.name, description=obj.description, actor=request.user)
        else:
            created = services.speaker_get_or_create(name=obj.name, actor=request.user)
            obj.pk = created.pk


# What an admin edit of a claim hands to services.claim_update. Every other field is read-only: a change to it would
# be dropped here (or, saved around the service, be unaudited and never re-checked). The quote, kind, value and
# names change in the editor's annotation page or the API.
CLAIM_ADMIN_EDITABLE = ("attribute", "unit", "qualifier", "status", "as_of")


@admin.register(Claim)
class ClaimAdmin(ServiceAdmin):
    list_display = ["id", "kind", "subject", "attribute", "quote_short", "status", "checked_at", "article"]
    list_filter = ["kind", "status", "orphaned", "qualifier"]
    search_fields = ["quote", "subject__name", "attribute", "speaker__name"]
    list_select_related = ["subject", "article"]
    readonly_fields = [f.name for f in Claim._meta.fields if f.name != "id" and f.name not in CLAIM_ADMIN_EDITABLE]
    fields = [*CLAIM_ADMIN_EDITABLE, *readonly_fields]
    actions = ["confirm", "reject"]

    @admin.display(description="quote")
    def quote_short(self, obj: Claim) -> str:
        return obj.quote[:80]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # claims are made on an article's text, in the annotation page or the API

    @admin.action(description="Confirm selected claims")
    def confirm(self, request: HttpRequest, queryset: Any) -> None:
        for claim in queryset:
            services.claim_set_status(claim=claim, actor=request.user, status=Claim.Status.CONFIRMED)

    @admin.action(description="Reject selected claims")
    def reject(self, request: HttpRequest, queryset: Any) -> None:
        for claim in queryset:
            services.claim_set_status(claim=claim, actor=request.user, status=Claim.Status.REJECTED)

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        fields = {name: getattr(obj, name) for name in CLAIM_ADMIN_EDITABLE if name in form.changed_data}
        if fields:
            services.claim_update(claim=obj, actor=request.user, expected_version=None, **fields)

    def delete_model(self, request: HttpRequest, obj: Claim) -> None:
        services.claim_delete(claim=obj, actor=request.user)  # audits the claim and each flag that goes with it

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for claim in queryset:
            services.claim_delete(claim=claim, actor=request.user)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A claim's flags go with it, audited by claim_delete: the refusal to delete flags on their own (below)
        # does not stop this.
        perms_needed.discard(Contradiction._meta.verbose_name)
        return to_delete, counts, perms_needed, protected


@admin.register(Contradiction)
class ContradictionAdmin(ServiceAdmin):
    list_display = ["id", "kind", "score", "status", "explanation", "related", "withdrawn_at", "created_at"]
    list_filter = ["kind", "status", "related"]
    search_fields = ["explanation", "note"]
    raw_id_fields = ["claim_a", "claim_b", "reviewer"]
    readonly_fields = ["claim_a", "claim_b", "kind", "score", "explanation", "related", "withdrawn_at", "reviewer"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # flags come from the worker

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # no audited delete: a flag is dismissed (resolved), or withdrawn by the worker

    def save_model(self, request: HttpRequest, obj: Contradiction, form: Any, change: bool) -> None:
        services.contradiction_resolve(contradiction=obj, actor=request.user, status=obj.status, note=obj.note)


@admin.register(AttributeDynamics)
class AttributeDynamicsAdmin(ServiceAdmin):
    """How an attribute's figures move (docs/DETECTION.md): editors set it here; the service re-queues the checks."""

    list_display = ["attribute_key", "dynamics", "window_days", "set_by", "updated_at"]
    list_filter = ["dynamics"]
    search_fields = ["attribute_key"]
    readonly_fields = ["set_by", "updated_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # no audited delete: set another dynamics instead (attribute_dynamics_set, audited)

    def save_model(self, request: HttpRequest, obj: AttributeDynamics, form: Any, change: bool) -> None:
        saved = services.attribute_dynamics_set(
            attribute=obj.attribute_key, dynamics=obj.dynamics, window_days=obj.window_days, actor=request.user
        )
        obj.pk, obj.attribute_key = saved.pk, saved.attribute_key


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "entity", "entity_id", "action", "actor"]
    list_filter = ["entity", "action"]
    search_fields = ["entity_id"]
    readonly_fields = ["entity", "entity_id", "action", "changes", "actor", "at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
