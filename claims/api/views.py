"""Thin API views: parse with an input serializer, call a service or selector, answer with an output serializer."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims import selectors, services
from claims.api import serializers as s
from claims.api.filters import ArticleFilter, ClaimFilter, ContradictionFilter
from claims.detect.names import norm_name
from claims.errors import StaleVersion
from claims.models import Article, Claim, Contradiction, Speaker, Subject


def _etag(claim: Claim) -> str:
    return f'"claim-{claim.pk}-v{claim.version}"'


def _expected_version(request: Request, body_version: int | None) -> int | None:
    header = request.headers.get("If-Match", "")
    found = re.search(r"v?(\d+)\"?\s*$", header)
    if found:
        return int(found.group(1))
    return body_version


class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = ArticleFilter

    def get_queryset(self) -> QuerySet[Article]:
        return selectors.article_list()

    def get_serializer_class(self) -> type:
        return s.ArticleListOut if self.action == "list" else s.ArticleOut

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


class ClaimViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ClaimOut
    filterset_class = ClaimFilter

    def get_queryset(self) -> QuerySet[Claim]:
        return selectors.claim_list()

    def retrieve(self, request: Request, pk: str) -> Response:
        claim = selectors.claim_get(int(pk))
        return Response(s.ClaimOut(claim).data, headers={"ETag": _etag(claim)})

    @extend_schema(request=s.ClaimIn, responses={201: s.ClaimOut})
    def create(self, request: Request) -> Response:
        data = s.ClaimIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        article = Article.objects.filter(pk=fields.pop("article")).first()
        if article is None:
            return Response({"article": ["no article with this id"]}, status=status.HTTP_400_BAD_REQUEST)
        claim = services.claim_create(actor=request.user, article=article, **fields)
        claim = selectors.claim_get(claim.pk)
        return Response(s.ClaimOut(claim).data, status=status.HTTP_201_CREATED, headers={"ETag": _etag(claim)})

    @extend_schema(request=s.ClaimUpdateIn, responses={200: s.ClaimOut, 412: s.ClaimOut})
    def partial_update(self, request: Request, pk: str) -> Response:
        claim = selectors.claim_get(int(pk))
        data = s.ClaimUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        expected = _expected_version(request, fields.pop("version", None))
        if expected is None:
            return Response({"version": ["send the version you edited (field `version` or an If-Match header)"]},
                            status=status.HTTP_428_PRECONDITION_REQUIRED)
        try:
            claim = services.claim_update(claim=claim, actor=request.user, expected_version=expected, **fields)
        except StaleVersion as stale:
            current = selectors.claim_get(stale.current.pk)
            return Response({"detail": str(stale), "current": s.ClaimOut(current).data},
                            status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": _etag(current)})
        claim = selectors.claim_get(claim.pk)
        return Response(s.ClaimOut(claim).data, headers={"ETag": _etag(claim)})

    def destroy(self, request: Request, pk: str) -> Response:
        claim = selectors.claim_get(int(pk))
        try:
            services.claim_delete(claim=claim, actor=request.user,
                                  expected_version=_expected_version(request, None))
        except StaleVersion as stale:
            current = selectors.claim_get(stale.current.pk)
            return Response({"detail": str(stale), "current": s.ClaimOut(current).data},
                            status=status.HTTP_412_PRECONDITION_FAILED)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: s.AuditEventOut(many=True)})
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str) -> Response:
        selectors.claim_get(int(pk))
        events = selectors.claim_history(int(pk))
        return Response(s.AuditEventOut(events, many=True).data)


class ContradictionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ContradictionOut
    filterset_class = ContradictionFilter

    def get_queryset(self) -> QuerySet[Contradiction]:
        return selectors.contradiction_list()

    @extend_schema(request=s.ContradictionReviewIn, responses={200: s.ContradictionOut})
    def partial_update(self, request: Request, pk: str) -> Response:
        flag = self.get_object()
        data = s.ContradictionReviewIn(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.contradiction_resolve(contradiction=flag, actor=request.user, **data.validated_data)
        return Response(s.ContradictionOut(flag).data)


class SubjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.SubjectOut

    def get_queryset(self) -> QuerySet[Subject]:
        queryset = selectors.subject_list()
        query = self.request.query_params.get("q")
        if query:
            key = norm_name(query)
            queryset = queryset.filter(Q(name_key__startswith=key) | Q(aliases__name_key__startswith=key)).distinct()
        return queryset

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

    @extend_schema(request=s.MergeIn, responses={200: s.SubjectOut})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        source = self.get_object()
        data = s.MergeIn(data=request.data)
        data.is_valid(raise_exception=True)
        target = Subject.objects.filter(pk=data.validated_data["into"]).first()
        if target is None:
            return Response({"into": ["no subject with this id"]}, status=status.HTTP_400_BAD_REQUEST)
        merged = services.subject_merge(source=source, target=target, actor=request.user)
        return Response(s.SubjectOut(selectors.subject_list().get(pk=merged.pk)).data)

    @extend_schema(request=s.NameIn, responses={201: s.SubjectOut})
    @action(detail=True, methods=["post"])
    def aliases(self, request: Request, pk: str) -> Response:
        subject = self.get_object()
        data = s.NameIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.subject_alias_add(subject=subject, name=data.validated_data["name"], actor=request.user)
        return Response(s.SubjectOut(selectors.subject_list().get(pk=subject.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.LinkIn, responses={200: s.SubjectOut})
    @action(detail=True, methods=["post"])
    def broader(self, request: Request, pk: str) -> Response:
        subject = self.get_object()
        data = s.LinkIn(data=request.data)
        data.is_valid(raise_exception=True)
        broader = Subject.objects.filter(pk=data.validated_data["broader"]).first()
        if broader is None:
            return Response({"broader": ["no subject with this id"]}, status=status.HTTP_400_BAD_REQUEST)
        services.subject_link_broader(narrower=subject, broader=broader, actor=request.user)
        return Response(s.SubjectOut(selectors.subject_list().get(pk=subject.pk)).data)


class SpeakerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.SpeakerOut

    def get_queryset(self) -> QuerySet[Speaker]:
        queryset = selectors.speaker_list()
        query = self.request.query_params.get("q")
        if query:
            key = norm_name(query)
            queryset = queryset.filter(Q(name_key__startswith=key) | Q(aliases__name_key__startswith=key)).distinct()
        return queryset

    @extend_schema(request=s.NameIn, responses={201: s.SpeakerOut, 200: s.SpeakerOut})
    def create(self, request: Request) -> Response:
        data = s.NameIn(data=request.data)
        data.is_valid(raise_exception=True)
        existing = services.speaker_find(data.validated_data["name"])
        speaker = existing or services.speaker_get_or_create(name=data.validated_data["name"], actor=request.user)
        return Response(s.SpeakerOut(selectors.speaker_list().get(pk=speaker.pk)).data,
                        status=status.HTTP_200_OK if existing else status.HTTP_201_CREATED)

    @extend_schema(request=s.SpeakerUpdateIn, responses={200: s.SpeakerOut})
    def partial_update(self, request: Request, pk: str) -> Response:
        speaker = self.get_object()
        data = s.SpeakerUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        speaker = services.speaker_update(speaker=speaker, actor=request.user, **data.validated_data)
        return Response(s.SpeakerOut(selectors.speaker_list().get(pk=speaker.pk)).data)

    @extend_schema(request=s.MergeIn, responses={200: s.SpeakerOut})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        source = self.get_object()
        data = s.MergeIn(data=request.data)
        data.is_valid(raise_exception=True)
        target = Speaker.objects.filter(pk=data.validated_data["into"]).first()
        if target is None:
            return Response({"into": ["no speaker with this id"]}, status=status.HTTP_400_BAD_REQUEST)
        merged = services.speaker_merge(source=source, target=target, actor=request.user)
        return Response(s.SpeakerOut(selectors.speaker_list().get(pk=merged.pk)).data)

    @extend_schema(request=s.NameIn, responses={201: s.SpeakerOut})
    @action(detail=True, methods=["post"])
    def aliases(self, request: Request, pk: str) -> Response:
        speaker = self.get_object()
        data = s.NameIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.speaker_alias_add(speaker=speaker, name=data.validated_data["name"], actor=request.user)
        return Response(s.SpeakerOut(selectors.speaker_list().get(pk=speaker.pk)).data, status=status.HTTP_201_CREATED)


