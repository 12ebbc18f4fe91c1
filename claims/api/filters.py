from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from claims.detect.names import norm_attribute, norm_name
from claims.models import Article, Claim, Contradiction


class ClaimFilter(django_filters.FilterSet):
    article = django_filters.NumberFilter(field_name="article_id")
    subject = django_filters.CharFilter(method="by_subject", help_text="subject name (any case) or id")
    attribute = django_filters.CharFilter(method="by_attribute")
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices)
    speaker = django_filters.CharFilter(method="by_speaker", help_text="speaker name (any case) or id")
    outlet = django_filters.CharFilter(method="by_outlet", help_text="outlet name (any case) or id")
    as_of_after = django_filters.DateFilter(field_name="as_of", lookup_expr="gte")
    as_of_before = django_filters.DateFilter(field_name="as_of", lookup_expr="lte")
    published_after = django_filters.DateFilter(field_name="article__published_at", lookup_expr="date__gte")
    published_before = django_filters.DateFilter(field_name="article__published_at", lookup_expr="date__lte")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    orphaned = django_filters.BooleanFilter()

    class Meta:
        model = Claim
        fields: list[str] = []

    @staticmethod
    def _name_or_id(queryset: QuerySet[Claim], field: str, value: str) -> QuerySet[Claim]:
        if value.isdigit():
            return queryset.filter(**{f"{field}_id": int(value)})
        condition = Q(**{f"{field}__name_key": norm_name(value)})
        if field == "subject":
            condition |= Q(subject__aliases__name_key=norm_name(value))
        return queryset.filter(condition).distinct() if field == "subject" else queryset.filter(condition)

    def by_subject(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return self._name_or_id(queryset, "subject", value)

    def by_speaker(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return self._name_or_id(queryset, "speaker", value)

    def by_outlet(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        if value.isdigit():
            return queryset.filter(article__outlet_id=int(value))
        return queryset.filter(article__outlet__name_key=norm_name(value))

    def by_attribute(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return queryset.filter(attribute_key=norm_attribute(value))


class ArticleFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Article.Status.choices)
    outlet = django_filters.CharFilter(method="by_outlet")
    published_after = django_filters.DateFilter(field_name="published_at", lookup_expr="date__gte")
    published_before = django_filters.DateFilter(field_name="published_at", lookup_expr="date__lte")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Article
        fields: list[str] = []

    def by_outlet(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        if value.isdigit():
            return queryset.filter(outlet_id=int(value))
        return queryset.filter(outlet__name_key=norm_name(value))


class ContradictionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Contradiction.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Contradiction.Kind.choices)
    claim = django_filters.NumberFilter(method="by_claim")
    subject = django_filters.CharFilter(method="by_subject")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Contradiction
        fields: list[str] = []

    def by_claim(self, queryset: QuerySet[Contradiction], name: str, value: int) -> QuerySet[Contradiction]:
        return queryset.filter(Q(claim_a_id=value) | Q(claim_b_id=value))

    def by_subject(self, queryset: QuerySet[Contradiction], name: str, value: str) -> QuerySet[Contradiction]:
        key = norm_name(value)
        return queryset.filter(Q(claim_a__subject__name_key=key) | Q(claim_b__subject__name_key=key))
