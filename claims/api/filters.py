"""The list endpoints' query filters (django-filter), each parameter validated with a 400 naming it. Imported by
claims.api.views only."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from claims import selectors
from claims.api.permissions import is_editor
from claims.detect.names import norm_attribute, norm_name
from claims.models import Article, Claim, Contradiction, Speaker, Subject

MAX_ID = 2**53


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number in range (a huge or fractional one is a 400 naming the parameter, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcDateTimeField(IsoDateTimeField):
    """ISO 8601 with any offset, turned into UTC here: the database refuses offsets beyond ±16 h, and a moment
    before year 1 once in UTC is out of range — both are a 400 naming the parameter."""

    def to_python(self, value: object) -> datetime.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise ValidationError("date and time out of range") from error


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (also 1/0), nothing else: Django's own reads unknown words such as `null` as no filter."""

    def to_python(self, value: object) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise ValidationError("true or false")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # the default widget reads any unknown word as "no filter"
        super().__init__(*args, **kwargs)


class SinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


def _is_id(value: str) -> bool:
    """A name-or-id parameter names an id when it is ASCII digits in range ("²" and 10**30 are names)."""
    return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID


class StrictFilterSet(django_filters.FilterSet):
    """A typed parameter sent empty (`?updated_since=`) is an error naming it, not silently no filter.

    Each request's filters are shallow copies of the class's (django-filter deep-copies them: a tenth of a cursor
    page's CPU). A filter's own state is its model and parent, set here; a `method=` filter gets a new
    FilterMethod bound to its copy, so no request ever calls another request's filterset."""

    def __init__(
        self, data: Any = None, queryset: Any = None, *, request: Any = None, prefix: str | None = None
    ) -> None:
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            if filter_.method is not None:
                filter_.method = filter_.method  # a FilterMethod of the copy's own, resolved on this filterset
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, spec in self.filters.items():
            if isinstance(spec, django_filters.CharFilter) or name not in self.data:
                continue
            if not str(self.data.get(name, "")).strip():
                self.form.add_error(name, "empty value: give one or leave the parameter out")
                valid = False
        return valid


class StableOrdering(django_filters.OrderingFilter):
    """Whitelisted `ordering` (comma-separated, `-` for descending) with the primary key as the last tie-breaker,
    so that page N and page N+1 never share or skip a row."""

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        if not value:
            return qs
        fields = [self.get_ordering_value(param) for param in value if param not in (None, "")]
        if not fields:
            return qs
        if not any(name.lstrip("-") in ("id", "pk") for name in fields):
            fields.append("-id" if fields[-1].startswith("-") else "id")
        return qs.order_by(*fields)


def _ordering(*names: str, help_text: str = "") -> StableOrdering:
    return StableOrdering(
        fields=[(name, name) for name in names],
        help_text=help_text or f"sort by {', '.join(names)}; prefix `-` for descending",
    )


class ClaimFilter(StrictFilterSet):
    article = IdFilter(field_name="article_id")
    subject = django_filters.CharFilter(method="by_subject", help_text="subject name (any case) or id")
    attribute = django_filters.CharFilter(method="by_attribute")
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices)
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices,
        method="by_status",
        help_text="default `confirmed`; editors may ask for `suggested` or `rejected` (others get an empty list)",
    )
    speaker = django_filters.CharFilter(method="by_speaker", help_text="speaker name (any case) or id")
    outlet = django_filters.CharFilter(method="by_outlet", help_text="outlet name (any case) or id")
    as_of_after = django_filters.DateFilter(field_name="as_of", lookup_expr="gte")
    as_of_before = django_filters.DateFilter(field_name="as_of", lookup_expr="lte")
    published_after = django_filters.DateFilter(field_name="article__published_at", lookup_expr="date__gte")
    published_before = django_filters.DateFilter(field_name="article__published_at", lookup_expr="date__lte")
    updated_since = SinceFilter(
        field_name="updated_at", lookup_expr="gte", help_text="changed at or after this moment (ISO 8601), for syncing"
    )
    orphaned = StrictBooleanFilter(help_text="claims whose span was lost when the article's text changed")
    ordering = _ordering("id", "updated_at", "created_at", "as_of", "article", "subject", "kind", "status")

    class Meta:
        model = Claim
        fields: list[str] = []

    @staticmethod
    def _name_or_id(queryset: QuerySet[Claim], field: str, value: str) -> QuerySet[Claim]:
        if _is_id(value):
            return queryset.filter(**{f"{field}_id": int(value)})
        condition = Q(**{f"{field}__name_key": norm_name(value)})
        if field == "subject":
            condition |= Q(subject__aliases__name_key=norm_name(value))
        return queryset.filter(condition).distinct() if field == "subject" else queryset.filter(condition)

    def by_status(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return queryset  # applied in filter_queryset, also when the parameter is absent

    def filter_queryset(self, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        user = getattr(self.request, "user", None)
        return selectors.claims_visible(
            super().filter_queryset(queryset), editor=is_editor(user), status=self.form.cleaned_data.get("status") or ""
        )

    def by_subject(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return self._name_or_id(queryset, "subject", value)

    def by_speaker(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return self._name_or_id(queryset, "speaker", value)

    def by_outlet(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        if _is_id(value):
            return queryset.filter(article__outlet_id=int(value))
        return queryset.filter(article__outlet__name_key=norm_name(value))

    def by_attribute(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return queryset.filter(attribute_key=norm_attribute(value))


class ArticleFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=Article.Status.choices)
    outlet = django_filters.CharFilter(method="by_outlet")
    published_after = django_filters.DateFilter(field_name="published_at", lookup_expr="date__gte")
    published_before = django_filters.DateFilter(field_name="published_at", lookup_expr="date__lte")
    updated_since = SinceFilter(
        field_name="updated_at", lookup_expr="gte", help_text="changed at or after this moment (ISO 8601), for syncing"
    )
    ordering = _ordering("id", "created_at", "updated_at", "published_at", "title")

    class Meta:
        model = Article
        fields: list[str] = []

    def by_outlet(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        if _is_id(value):
            return queryset.filter(outlet_id=int(value))
        return queryset.filter(outlet__name_key=norm_name(value))


class ContradictionFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=Contradiction.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Contradiction.Kind.choices)
    claim = IdFilter(method="by_claim", help_text="flags involving this claim id")
    subject = django_filters.CharFilter(method="by_subject")
    updated_since = SinceFilter(
        field_name="updated_at", lookup_expr="gte", help_text="changed at or after this moment (ISO 8601), for syncing"
    )
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    score_min = django_filters.NumberFilter(field_name="score", lookup_expr="gte", min_value=0, max_value=1)
    ordering = _ordering("id", "created_at", "updated_at", "score", "status", "kind")

    class Meta:
        model = Contradiction
        fields: list[str] = []

    def by_claim(self, queryset: QuerySet[Contradiction], name: str, value: int) -> QuerySet[Contradiction]:
        return queryset.filter(Q(claim_a_id=value) | Q(claim_b_id=value))

    def by_subject(self, queryset: QuerySet[Contradiction], name: str, value: str) -> QuerySet[Contradiction]:
        key = norm_name(value)
        return queryset.filter(Q(claim_a__subject__name_key=key) | Q(claim_b__subject__name_key=key))


class _NamedFilter(StrictFilterSet):
    """Subjects and speakers: found by name or alias, case-insensitively (both keep aliases with a name_key)."""

    q = django_filters.CharFilter(method="by_prefix", help_text="names or aliases starting with this (any case)")
    name = django_filters.CharFilter(method="by_name", help_text="exact name or alias (any case)")
    ordering = _ordering("name", "id", "created_at")

    def by_prefix(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        key = norm_name(value)
        return queryset.filter(Q(name_key__startswith=key) | Q(aliases__name_key__startswith=key)).distinct()

    def by_name(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        key = norm_name(value)
        return queryset.filter(Q(name_key=key) | Q(aliases__name_key=key)).distinct()


class SubjectFilter(_NamedFilter):
    class Meta:
        model = Subject
        fields: list[str] = []


class SpeakerFilter(_NamedFilter):
    class Meta:
        model = Speaker
        fields: list[str] = []
