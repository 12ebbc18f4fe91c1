"""Explicit input serializers (shape and types only: the services judge meaning) and output serializers."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.urls import reverse
from rest_framework import serializers

from claims import selectors, services
from claims.api.claim_json import claim_json, claim_row_of
from claims.models import Article, AuditEvent, Claim, Contradiction, Speaker, Subject

_TEXT_FIELDS = (serializers.CharField, serializers.ChoiceField, serializers.DateField, serializers.DateTimeField)


def _type_errors(fields: Any, data: dict[str, Any]) -> dict[str, list[str]]:
    """JSON types as the schema states them: DRF would turn 5 into "5" for a text field and "5" into 5 for an
    integer one, so that a client's type mistake went unnoticed."""
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        field = fields.get(name)
        if value is None or field is None:
            continue
        if isinstance(field, _TEXT_FIELDS) and not isinstance(value, str):
            errors[name] = ["must be a string"]
        elif isinstance(field, serializers.IntegerField) and (isinstance(value, bool) or not isinstance(value, int)):
            errors[name] = ["must be an integer"]
    return errors


class _Strict(serializers.Serializer):
    """Refuses fields it does not know, so that a typo is an error rather than silently ignored, and values of the
    wrong JSON type."""

    refuses_unknown_fields = True  # the schema says so: claims/api/schema.py

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError({name: ["unknown field"] for name in sorted(unknown)})
            wrong = _type_errors(self.fields, data)
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


# ---------------------------------------------------------------------------------------------- articles


class ArticleIn(_Strict):
    text = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    html = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    url = serializers.CharField(required=False, max_length=2000)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    outlet = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=200)
    published_at = serializers.DateTimeField(required=False, allow_null=True)

    def to_internal_value(self, data: Any) -> Any:
        # Accept a bare date for published_at ("2024-02-08"), as clients naturally send.
        if isinstance(data, dict) and isinstance(data.get("published_at"), str) and len(data["published_at"]) == 10:
            data = {**data, "published_at": data["published_at"] + "T00:00:00Z"}
        return super().to_internal_value(data)


class ArticleOut(serializers.ModelSerializer):
    outlet = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()
    # Versions are numbered 1..version with none skipped, so their count needs no query; listed at .../versions/.
    versions = serializers.IntegerField(
        source="version", read_only=True, help_text="how many versions of the text there are (see versions/)"
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "title",
            "outlet",
            "byline",
            "published_at",
            "status",
            "error",
            "text",
            "content_hash",
            "duplicate_of",
            "version",
            "versions",
            "source",
            "created_at",
            "updated_at",
            "page",
        ]

    def get_outlet(self, obj: Article) -> str | None:
        return obj.outlet.name if obj.outlet else None

    def get_page(self, obj: Article) -> str:
        return reverse("web:article", args=[obj.pk])


class ArticleRefetchIn(_Strict):
    """Empty: fetch the article's URL again. Or the page's new copy as `text` or `html` (not both)."""

    text = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    html = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)


class ArticleVersionOut(serializers.Serializer):
    """One version of an article's text (selectors.article_versions); `changes` is what changed from the one
    before: `summary`, `numbers` (figures that moved: old, new and their sentences), `changed`, `added`,
    `removed` sentences, `chars`, and `claims` (ids moved, orphaned, restored)."""

    number = serializers.IntegerField()
    content_hash = serializers.CharField()
    created_at = serializers.DateTimeField()
    replaced_at = serializers.DateTimeField(allow_null=True)
    changes = serializers.JSONField()
    current = serializers.BooleanField()


class ArticleListOut(ArticleOut):
    class Meta(ArticleOut.Meta):
        fields = [f for f in ArticleOut.Meta.fields if f != "text"]


# ---------------------------------------------------------------------------------------------- claims


class ClaimIn(_Strict):
    article = serializers.IntegerField(min_value=1)
    quote = serializers.CharField(required=False, allow_null=True, trim_whitespace=False, max_length=10000)
    start = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    end = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    kind = serializers.ChoiceField(choices=Claim.Kind.choices)
    subject = serializers.CharField(max_length=300)
    attribute = serializers.CharField(max_length=200)
    value = serializers.JSONField(required=False, allow_null=True)
    unit = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=60)
    qualifier = serializers.ChoiceField(choices=Claim.Qualifier.choices, required=False, allow_null=True)
    speaker = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=300)
    as_of = serializers.DateField(required=False, allow_null=True)
    polarity = serializers.ChoiceField(choices=Claim.Polarity.choices, required=False, allow_null=True)
    after = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=300)
    status = serializers.ChoiceField(choices=Claim.Status.choices, required=False)


class ClaimUpdateIn(_Strict):
    version = serializers.IntegerField(required=False, min_value=1)
    quote = serializers.CharField(required=False, allow_null=True, trim_whitespace=False, max_length=10000)
    start = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    end = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    kind = serializers.ChoiceField(choices=Claim.Kind.choices, required=False)
    subject = serializers.CharField(max_length=300, required=False)
    attribute = serializers.CharField(max_length=200, required=False)
    value = serializers.JSONField(required=False, allow_null=True)
    unit = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=60)
    qualifier = serializers.ChoiceField(choices=Claim.Qualifier.choices, required=False, allow_null=True)
    speaker = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=300)
    as_of = serializers.DateField(required=False, allow_null=True)
    polarity = serializers.ChoiceField(choices=Claim.Polarity.choices, required=False, allow_null=True)
    after = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=300)
    status = serializers.ChoiceField(choices=Claim.Status.choices, required=False)


class ClaimOut(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField(help_text="the subject's name; null until an editor confirms the claim")
    speaker = serializers.SerializerMethodField()
    after = serializers.SerializerMethodField()
    proposed_subject = serializers.SerializerMethodField(
        help_text="a suggestion's (or rejected claim's) proposed subject name, used when it is confirmed; else null"
    )
    proposed_speaker = serializers.SerializerMethodField()
    proposed_after = serializers.SerializerMethodField()
    proposed_speaker_role = serializers.SerializerMethodField(
        help_text="the proposed speaker's role as the article gives it ('fire chief'); it becomes the speaker's "
        "description when the claim is confirmed with that speaker; else null"
    )
    value = serializers.SerializerMethodField(method_name="value_of")
    polarity = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    outlet = serializers.SerializerMethodField()
    contradictions = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "article",
            "quote",
            "start",
            "end",
            "kind",
            "subject",
            "attribute",
            "value",
            "unit",
            "qualifier",
            "speaker",
            "as_of",
            "polarity",
            "after",
            "proposed_subject",
            "proposed_speaker",
            "proposed_after",
            "proposed_speaker_role",
            "status",
            "checked_at",
            "contradictions",
            "version",
            "orphaned",
            "outlet",
            "created_at",
            "updated_at",
            "page",
        ]

    def get_subject(self, obj: Claim) -> str | None:
        return obj.subject.name if obj.subject else None

    def get_proposed_subject(self, obj: Claim) -> str | None:
        return obj.proposed_subject or None

    def get_proposed_speaker(self, obj: Claim) -> str | None:
        return obj.proposed_speaker or None

    def get_proposed_after(self, obj: Claim) -> str | None:
        return obj.proposed_after or None

    def get_proposed_speaker_role(self, obj: Claim) -> str | None:
        return obj.proposed_speaker_role or None

    def get_speaker(self, obj: Claim) -> str | None:
        return obj.speaker.name if obj.speaker else None

    def get_after(self, obj: Claim) -> str | None:
        return obj.after.name if obj.after else None

    def value_of(self, obj: Claim) -> Any:
        return services.claim_value(obj)

    def get_polarity(self, obj: Claim) -> str | None:
        return obj.polarity or None

    def get_unit(self, obj: Claim) -> str | None:
        return obj.unit or None

    def get_outlet(self, obj: Claim) -> str | None:
        return obj.article.outlet.name if obj.article.outlet else None

    def get_contradictions(self, obj: Claim) -> list[int]:
        return selectors.claim_contradiction_ids(obj)

    def get_page(self, obj: Claim) -> str | None:
        """Only a confirmed claim has a public page."""
        return reverse("web:claim", args=[obj.pk]) if obj.status == Claim.Status.CONFIRMED else None

    def to_representation(self, instance: Claim) -> dict[str, Any]:
        """The fields above, built directly (claim_json): the generic field-by-field path cost most of a 100-claim
        page's time. tests/api/test_serializers.py holds it equal to the generic output."""
        return claim_json(claim_row_of(instance), selectors.claim_contradiction_ids(instance))


class AuditEventOut(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["id", "action", "changes", "actor", "at"]

    def get_actor(self, obj: AuditEvent) -> str | None:
        return obj.actor.get_username() if obj.actor else None


# ---------------------------------------------------------------------------------------------- contradictions


class ContradictionOut(serializers.ModelSerializer):
    reviewer = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = Contradiction
        fields = [
            "id",
            "claim_a",
            "claim_b",
            "kind",
            "score",
            "explanation",
            "related",
            "status",
            "note",
            "reviewer",
            "created_at",
            "updated_at",
            "page",
        ]

    def get_reviewer(self, obj: Contradiction) -> str | None:
        return obj.reviewer.get_username() if obj.reviewer else None

    def get_page(self, obj: Contradiction) -> str:
        return reverse("web:contradiction", args=[obj.pk])


class ContradictionReviewIn(_Strict):
    status = serializers.ChoiceField(choices=Contradiction.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


# ---------------------------------------------------------------------------------------------- subjects, speakers


class SubjectOut(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField()
    broader = serializers.SerializerMethodField()
    narrower = serializers.SerializerMethodField()

    class Meta:
        model = Subject
        fields = ["id", "name", "aliases", "broader", "narrower", "description", "created_at"]

    def get_aliases(self, obj: Subject) -> list[str]:
        return [a.name for a in obj.aliases.all()]

    def get_broader(self, obj: Subject) -> list[int]:
        return [s.pk for s in obj.broader.all()]

    def get_narrower(self, obj: Subject) -> list[int]:
        return [s.pk for s in obj.narrower.all()]


_NOT_ONLY_SPACES = "must contain something other than spaces"


def _name_field(**kwargs: Any) -> serializers.CharField:
    """A name: up to 300 characters, not only spaces (stated in the schema as a pattern, so clients know it)."""
    return serializers.CharField(
        max_length=300,
        validators=[RegexValidator(r"\S", _NOT_ONLY_SPACES)],
        error_messages={"blank": _NOT_ONLY_SPACES},
        **kwargs,
    )


class NameIn(_Strict):
    name = _name_field()


class SubjectUpdateIn(_Strict):
    name = _name_field(required=False)


class MergeIn(_Strict):
    into = serializers.IntegerField(min_value=1)


class LinkIn(_Strict):
    broader = serializers.IntegerField(min_value=1)


class SpeakerOut(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField()

    class Meta:
        model = Speaker
        fields = ["id", "name", "description", "aliases", "created_at"]

    def get_aliases(self, obj: Speaker) -> list[str]:
        return [a.name for a in obj.aliases.all()]


class SpeakerUpdateIn(_Strict):
    name = _name_field(required=False)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class SubjectNearIn(serializers.Serializer):
    """Query parameters (always strings, so not _Strict's JSON type check; other parameters such as `format` pass)."""

    name = _name_field()
    limit = serializers.IntegerField(min_value=1, max_value=20, required=False, default=5)


class SubjectRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SubjectNearOut(serializers.Serializer):
    near = SubjectRefOut(many=True)
