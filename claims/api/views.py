"""Thin API views: parse with an input serializer, call a service or selector, answer with an output serializer."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import Http404, HttpResponsePermanentRedirect
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from claims import selectors, services
from claims.api import linked
from claims.api import serializers as s
from claims.api.claim_json import claim_rows_json
from claims.api.filters import ArticleFilter, ClaimFilter, ContradictionFilter, SpeakerFilter, SubjectFilter
from claims.api.permissions import EditorOnly, is_editor
from claims.errors import StaleVersion
from claims.models import Article, Claim, Contradiction, Speaker, Subject

# Cursor pagination needs a unique order: these are the `ordering` values it accepts (the first is the default).
BY_ID = {"id": ("id",), "-id": ("-id",)}
MOVED = OpenApiResponse(
    description="This id was merged into another: `Location` gives the address of the one it lives on as (an "
    "alias keeps its name)."
)
BY_ID_OR_UPDATE = {**BY_ID, "updated_at": ("updated_at", "id"), "-updated_at": ("-updated_at", "-id")}


def _pk(raw: str) -> int:
    """A path id as an int; anything else is an unknown id (404), never a 500."""
    if not raw.isdigit() or len(raw) > 12:
        raise NotFound("Not found.")
    return int(raw)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request: Request) -> Response:
    raise NotFound("Not found.")


def _digest(data: Any) -> str:
    return hashlib.sha1(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:12]


def _etag(claim: Claim, data: Any = None) -> str:
    """`"claim-ID-vN-DIGEST"`: the version for If-Match, a digest of the representation for If-None-Match (the
    worker's `checked_at` and the contradiction ids change without a new version)."""
    digest = _digest(data if data is not None else s.ClaimOut(claim).data)
    return f'"claim-{claim.pk}-v{claim.version}-{digest}"'


def _expected_version(request: Request, body_version: int | None) -> int | None:
    header = request.headers.get("If-Match", "")
    found = re.search(r'-v(\d+)(?:-[0-9a-f]+)?"?\s*$', header) or re.fullmatch(r'\s*(?:W/)?"?v?(\d+)"?\s*', header)
    if found:
        return int(found.group(1))
    return body_version


def conditional(request: Request, data: Any, etag: str) -> Response:
    """The representation with its ETag, or 304 Not Modified when the client's If-None-Match names it."""
    sent = request.headers.get("If-None-Match", "")
    tags = {tag.strip().removeprefix("W/") for tag in sent.split(",") if tag.strip()}
    if etag in tags or "*" in tags:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return Response(data, headers={"ETag": etag})


def tagged(request: Request, kind: str, pk: int, data: Any) -> Response:
    return conditional(request, data, f'"{kind}-{pk}-{_digest(data)}"')


class ArticleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    filterset_class = ArticleFilter
    cursor_orderings = {
        "-id": ("-id",),
        "id": ("id",),
        "updated_at": ("updated_at", "id"),
        "-updated_at": ("-updated_at", "-id"),
    }

    def get_queryset(self) -> QuerySet[Article]:
        # Failed articles are for editors only; discarded ones for nobody. A list's rows carry no text.
        return selectors.article_visible(editor=is_editor(self.request.user), with_text=self.action != "list")

    def get_serializer_class(self) -> type:
        return s.ArticleListOut if self.action == "list" else s.ArticleOut

    @extend_schema(responses={200: s.ArticleOut})
    def retrieve(self, request: Request, pk: str) -> Response:
        article = self.get_queryset().get(pk=_pk(pk))
        return tagged(request, "article", article.pk, s.ArticleOut(article).data)

    @extend_schema(request=s.ArticleIn, responses={200: s.ArticleOut, 201: s.ArticleOut, 202: s.ArticleOut})
    def create(self, request: Request) -> Response:
        data = s.ArticleIn(data=request.data)
        data.is_valid(raise_exception=True)
        article, created = services.article_submit(actor=request.user, **data.validated_data)
        article = selectors.article_get(article.pk)
        code: int = status.HTTP_200_OK
        if created:
            code = status.HTTP_201_CREATED if article.status != Article.Status.PENDING else status.HTTP_202_ACCEPTED
        return Response(s.ArticleOut(article).data, status=code)

    @extend_schema(
        request=s.ArticleRefetchIn,
        responses={200: s.ArticleOut, 202: s.ArticleOut},
        description="Editors only. With `text` or `html`: that is the page's new copy, applied now "
        "(200; a changed text becomes a new version, claims are re-anchored). With an empty "
        "body: the article's URL is fetched again in the background (202); a changed text "
        "becomes a new version. Posting the same URL to the list never changes an article.",
    )
    @action(detail=True, methods=["post"])
    def refetch(self, request: Request, pk: str) -> Response:
        article = selectors.article_get(_pk(pk))
        data = s.ArticleRefetchIn(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data:
            services.article_refetch(article_id=article.pk, actor=request.user, **data.validated_data)
            return Response(s.ArticleOut(selectors.article_get(article.pk)).data)
        services.article_refetch_request(article=article, actor=request.user)
        return Response(s.ArticleOut(selectors.article_get(article.pk)).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: s.ArticleVersionOut(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def versions(self, request: Request, pk: str) -> Response:
        article = self.get_queryset().get(pk=_pk(pk))
        return Response(s.ArticleVersionOut(selectors.article_versions(article), many=True).data)


class ClaimViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ClaimOut
    filterset_class = ClaimFilter
    cursor_orderings = BY_ID_OR_UPDATE
    versioned_actions = ("partial_update", "destroy")

    def get_queryset(self) -> QuerySet[Claim]:
        return selectors.claim_list()

    # A page shows rows, not model instances (selectors.claim_api_rows, claim_json.claim_rows_json): a page of 100
    # claims made about 500 instances through the ORM, most of the list's time (docs/PERFORMANCE.md).
    page_rows = staticmethod(selectors.claim_api_rows)

    def list(self, request: Request) -> Response:
        rows: list[Any] = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []  # page_rows' rows
        return self.get_paginated_response(claim_rows_json(rows))

    @extend_schema(responses={200: s.ClaimOut})
    def retrieve(self, request: Request, pk: str) -> Response:
        claim = selectors.claim_get(_pk(pk), editor=is_editor(request.user))
        data = s.ClaimOut(claim).data
        return conditional(request, data, _etag(claim, data))

    @extend_schema(
        responses={200: linked.AnnotationOut},
        description="The claim as a W3C Web Annotation (JSON-LD): a TextQuoteSelector (exact, prefix, "
        "suffix) and a TextPositionSelector (start, end) on the article's cleaned text; the "
        "target source is the article's URL, or its API URL when it has none.",
    )
    @action(detail=True, methods=["get"], renderer_classes=linked.LD_RENDERERS)
    def annotation(self, request: Request, pk: str) -> Response:
        rows = selectors.claim_visible_rows(_pk(pk), editor=is_editor(request.user), fields=linked.CLAIM_ROW_FIELDS)
        if not rows:
            raise NotFound("Not found.")
        data = linked.annotation(request, rows[0])
        return tagged(request, "annotation", rows[0]["id"], data)

    @extend_schema(request=s.ClaimIn, responses={201: s.ClaimOut})
    def create(self, request: Request) -> Response:
        data = s.ClaimIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        article = selectors.by_id(Article, fields.pop("article"))
        if article is None:
            return Response({"article": ["no article with this id"]}, status=status.HTTP_400_BAD_REQUEST)
        claim = services.claim_create(actor=request.user, article=article, **fields)
        claim = selectors.claim_get(claim.pk)
        shown = s.ClaimOut(claim).data
        return Response(shown, status=status.HTTP_201_CREATED, headers={"ETag": _etag(claim, shown)})

    @extend_schema(request=s.ClaimUpdateIn, responses={200: s.ClaimOut})
    def partial_update(self, request: Request, pk: str) -> Response:
        claim = selectors.claim_get(_pk(pk))
        data = s.ClaimUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        expected = _expected_version(request, fields.pop("version", None))
        if expected is None:
            return Response(
                {"version": ["send the version you edited (field `version` or an If-Match header)"]},
                status=status.HTTP_428_PRECONDITION_REQUIRED,
            )
        try:
            claim = services.claim_update(claim=claim, actor=request.user, expected_version=expected, **fields)
        except StaleVersion as stale:
            current = selectors.claim_get(stale.current.pk)
            shown = s.ClaimOut(current).data
            return Response(
                {"detail": str(stale), "current": shown},
                status=status.HTTP_412_PRECONDITION_FAILED,
                headers={"ETag": _etag(current, shown)},
            )
        claim = selectors.claim_get(claim.pk)
        shown = s.ClaimOut(claim).data
        return Response(shown, headers={"ETag": _etag(claim, shown)})

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        claim = selectors.claim_get(_pk(pk))
        try:
            services.claim_delete(claim=claim, actor=request.user, expected_version=_expected_version(request, None))
        except StaleVersion as stale:
            current = selectors.claim_get(stale.current.pk)
            return Response(
                {"detail": str(stale), "current": s.ClaimOut(current).data}, status=status.HTTP_412_PRECONDITION_FAILED
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: s.AuditEventOut(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk: str) -> Response:
        claim = selectors.claim_get(_pk(pk), editor=is_editor(request.user))
        events = selectors.claim_history(claim.pk)
        return Response(s.AuditEventOut(events, many=True).data)


class ContradictionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ContradictionOut
    filterset_class = ContradictionFilter
    cursor_orderings = {
        "-id": ("-id",),
        "id": ("id",),
        "updated_at": ("updated_at", "id"),
        "-updated_at": ("-updated_at", "-id"),
    }

    def get_queryset(self) -> QuerySet[Contradiction]:
        return selectors.contradiction_list()

    def retrieve(self, request: Request, pk: str) -> Response:
        flag = self.get_object()
        return tagged(request, "contradiction", flag.pk, s.ContradictionOut(flag).data)

    @extend_schema(
        responses={200: linked.ClaimReviewOut},
        description="A reviewed contradiction as a schema.org ClaimReview (JSON-LD). 404 while the flag "
        "is still open: only an editor's review makes it a ClaimReview.",
    )
    @action(detail=True, methods=["get"], renderer_classes=linked.LD_RENDERERS)
    def claimreview(self, request: Request, pk: str) -> Response:
        flag = self.get_object()
        if flag.status == Contradiction.Status.OPEN:
            raise NotFound("This contradiction has not been reviewed yet, so there is no ClaimReview.")
        data = linked.claim_review(request, flag)
        return tagged(request, "claimreview", flag.pk, data)

    @extend_schema(request=s.ContradictionReviewIn, responses={200: s.ContradictionOut})
    def partial_update(self, request: Request, pk: str) -> Response:
        flag = self.get_object()
        data = s.ContradictionReviewIn(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.contradiction_resolve(contradiction=flag, actor=request.user, **data.validated_data)
        return Response(s.ContradictionOut(flag).data)


class _NamedViewSet(viewsets.GenericViewSet):
    """Subjects and speakers: `merge` and `aliases` work alike for both. A view names its model, the entity's
    name and its two services; both actions answer with the view's `serializer_class`."""

    named_model: ClassVar[type[Subject] | type[Speaker]]
    named_kind: ClassVar[str]  # "subject": in messages, and the keyword its alias service takes
    merge_service: ClassVar[Callable[..., Subject | Speaker]]  # (source=, target=, actor=) -> the survivor
    alias_add_service: ClassVar[Callable[..., Any]]  # (<named_kind>=, name=, actor=)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # The answers' schema depends on the view's serializer, which a decorator up here cannot name.
        super().__init_subclass__(**kwargs)
        extend_schema_view(
            merge=extend_schema(responses={200: cls.serializer_class}),
            aliases=extend_schema(responses={201: cls.serializer_class}),
            retrieve=extend_schema(responses={200: cls.serializer_class, 301: MOVED}),
        )(cls)

    def retrieve(self, request: Request, pk: str) -> Response | HttpResponsePermanentRedirect:
        # The object, or a 301 to the one its id was merged into (clients holding an old id follow it).
        try:
            found = self.get_object()
        except Http404:
            into = selectors.merged_into(self.named_model, _pk(pk))
            if into is None:
                raise
            return HttpResponsePermanentRedirect(
                reverse(f"{self.basename}-detail", kwargs={"pk": into}, request=request)
            )
        return tagged(request, self.named_kind, found.pk, self.get_serializer_class()(found).data)

    def _answer(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer_class()(self.get_queryset().get(pk=pk)).data, status=status_code)

    @extend_schema(request=s.MergeIn)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        source = self.get_object()
        data = s.MergeIn(data=request.data)
        data.is_valid(raise_exception=True)
        target = selectors.by_id(self.named_model, data.validated_data["into"])
        if target is None:
            return Response({"into": [f"no {self.named_kind} with this id"]}, status=status.HTTP_400_BAD_REQUEST)
        merged = self.merge_service(source=source, target=target, actor=request.user)
        return self._answer(merged.pk)

    @extend_schema(request=s.NameIn)
    @action(detail=True, methods=["post"])
    def aliases(self, request: Request, pk: str) -> Response:
        owner = self.get_object()
        data = s.NameIn(data=request.data)
        data.is_valid(raise_exception=True)
        self.alias_add_service(**{self.named_kind: owner}, name=data.validated_data["name"], actor=request.user)
        return self._answer(owner.pk, status.HTTP_201_CREATED)


class SubjectViewSet(mixins.ListModelMixin, _NamedViewSet):
    serializer_class = s.SubjectOut
    filterset_class = SubjectFilter
    cursor_orderings = BY_ID
    named_model, named_kind = Subject, "subject"
    merge_service = staticmethod(services.subject_merge)
    alias_add_service = staticmethod(services.subject_alias_add)

    def get_queryset(self) -> QuerySet[Subject]:
        return selectors.subject_list(editor=is_editor(self.request.user))

    @extend_schema(
        parameters=[s.SubjectNearIn],
        responses={200: s.SubjectNearOut},
        description="Editors only, read-only. `GET /api/v1/subjects/near/?name=...[&limit=5]` answers "
        '`{"near": [{"id": 3, "name": "Kessling dock workers on strike"}]}`: the '
        "existing subjects whose name or alias is close to `name` (case, spacing and "
        "punctuation folded; word order, plurals and -ing forms tolerated; small typos "
        "caught), nearest first; a subject already called `name` comes first. For a "
        '"did you mean…?" warning before a new subject is made: advisory only, creating '
        "a claim or subject with a near name is never refused. A missing or blank `name` "
        "is a 400 naming the field.",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="near",
        permission_classes=[EditorOnly],
        filter_backends=[],
        pagination_class=None,
    )
    def near(self, request: Request) -> Response:
        """`GET /api/v1/subjects/near/?name=<new name>[&limit=1..20, default 5]`, editors only (token or session),
        read-only: `{"near": [{"id": 3, "name": "Kessling dock workers on strike"}, ...]}`, the existing subjects
        whose name or alias is near `name` (claims.detect.near_names), nearest first. For the annotation page's
        "did you mean…?" hint before a new subject is typed in; advisory, nothing is ever refused for a near name."""
        # A plain dict, not the QueryDict: DRF reads an empty `limit=` in form data as "not sent" and would
        # take the default; as the schema says, `limit` is a whole number from 1 to 20 when it is sent.
        data = s.SubjectNearIn(data=request.query_params.dict())
        data.is_valid(raise_exception=True)
        found = selectors.subjects_near(data.validated_data["name"], limit=data.validated_data["limit"])
        return Response(s.SubjectNearOut({"near": found}).data)

    @extend_schema(request=s.NameIn, responses={201: s.SubjectOut, 200: s.SubjectOut})
    def create(self, request: Request) -> Response:
        data = s.NameIn(data=request.data)
        data.is_valid(raise_exception=True)
        existing = services.subject_find(data.validated_data["name"])
        subject = existing or services.subject_get_or_create(name=data.validated_data["name"], actor=request.user)
        return Response(s.SubjectOut(subject).data, status=status.HTTP_200_OK if existing else status.HTTP_201_CREATED)

    @extend_schema(request=s.SubjectUpdateIn, responses={200: s.SubjectOut})
    def partial_update(self, request: Request, pk: str) -> Response:
        subject = self.get_object()
        data = s.SubjectUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        if "name" in data.validated_data:
            subject = services.subject_rename(subject=subject, name=data.validated_data["name"], actor=request.user)
        return Response(s.SubjectOut(selectors.subject_list().get(pk=subject.pk)).data)

    @extend_schema(request=s.LinkIn, responses={200: s.SubjectOut})
    @action(detail=True, methods=["post"])
    def broader(self, request: Request, pk: str) -> Response:
        subject = self.get_object()
        data = s.LinkIn(data=request.data)
        data.is_valid(raise_exception=True)
        broader = selectors.by_id(Subject, data.validated_data["broader"])
        if broader is None:
            return Response({"broader": ["no subject with this id"]}, status=status.HTTP_400_BAD_REQUEST)
        services.subject_link_broader(narrower=subject, broader=broader, actor=request.user)
        return Response(s.SubjectOut(selectors.subject_list().get(pk=subject.pk)).data)


class SpeakerViewSet(mixins.ListModelMixin, _NamedViewSet):
    serializer_class = s.SpeakerOut
    filterset_class = SpeakerFilter
    cursor_orderings = BY_ID
    named_model, named_kind = Speaker, "speaker"
    merge_service = staticmethod(services.speaker_merge)
    alias_add_service = staticmethod(services.speaker_alias_add)

    def get_queryset(self) -> QuerySet[Speaker]:
        return selectors.speaker_list(editor=is_editor(self.request.user))

    @extend_schema(request=s.NameIn, responses={201: s.SpeakerOut, 200: s.SpeakerOut})
    def create(self, request: Request) -> Response:
        data = s.NameIn(data=request.data)
        data.is_valid(raise_exception=True)
        existing = services.speaker_find(data.validated_data["name"])
        speaker = existing or services.speaker_get_or_create(name=data.validated_data["name"], actor=request.user)
        return Response(
            s.SpeakerOut(selectors.speaker_list().get(pk=speaker.pk)).data,
            status=status.HTTP_200_OK if existing else status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.SpeakerUpdateIn, responses={200: s.SpeakerOut})
    def partial_update(self, request: Request, pk: str) -> Response:
        speaker = self.get_object()
        data = s.SpeakerUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        speaker = services.speaker_update(speaker=speaker, actor=request.user, **data.validated_data)
        return Response(s.SpeakerOut(selectors.speaker_list().get(pk=speaker.pk)).data)
