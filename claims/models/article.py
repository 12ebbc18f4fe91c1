"""An article (its URL or pasted input, cleaned text, status, version) and the earlier versions of its text."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Article(models.Model):
    """One ingested news item. Claim offsets point into `text`, which never changes once claims hang off it:
    a changed page becomes a new ArticleVersion and its claims are re-anchored (see services.article_refetch)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        READY = "ready"
        FAILED = "failed"

    class Source(models.TextChoices):
        TEXT = "text"
        HTML = "html"
        URL = "url"

    url = models.URLField(max_length=2000, null=True, blank=True, unique=True)
    outlet = models.ForeignKey(
        "claims.Outlet", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    title = models.CharField(max_length=500, blank=True, default="")
    byline = models.CharField(max_length=300, blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    raw = models.TextField(blank=True, default="")
    text = models.TextField(blank=True, default="")
    content_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # Hash of the input as received, so that posting the same thing twice is answered without new work.
    raw_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # 64-bit SimHash of the cleaned text, as a signed bigint, for the near-duplicate check.
    simhash = models.BigIntegerField(null=True, blank=True)
    # The SimHash cut into four 16-bit bands (claims.ingest.simhash.bands), each indexed: near-duplicates share at
    # least one whole band, so the candidates are an indexed lookup, never a scan of every article.
    simhash_b0 = models.IntegerField(null=True, blank=True, editable=False)
    simhash_b1 = models.IntegerField(null=True, blank=True, editable=False)
    simhash_b2 = models.IntegerField(null=True, blank=True, editable=False)
    simhash_b3 = models.IntegerField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    error = models.TextField(blank=True, default="")
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Soft delete: an editor discarded the article (a failed fetch, usually); it is gone from every list and page,
    # kept for the audit trail (services.article_discard).
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            *(models.Index(fields=[f"simhash_b{i}"], name=f"article_simhash_b{i}_idx") for i in range(4)),
            # the newest live articles first (home page, article lists): without it PostgreSQL reads every article
            models.Index(
                F("created_at").desc(),
                F("id").desc(),
                name="article_live_newest_idx",
                condition=Q(deleted_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["pending", "ready", "failed"]), name="article_status_valid"),
            models.CheckConstraint(condition=Q(source__in=["text", "html", "url"]), name="article_source_valid"),
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"article {self.pk}"


class ArticleVersion(models.Model):
    """An earlier cleaned text of an article, kept when a re-ingested page changed; `changes` says what moved."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    content_hash = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"
