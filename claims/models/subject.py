"""A subject (what a claim is about), its other names, and its broader subjects (a county within a province)."""

from django.db import models


class Subject(models.Model):
    """What a claim is about, by canonical name ("US troops in Iraq").

    `name_key` folds case and spacing so that names match case-insensitively and stay unique. `group_key` names
    the counted group and place a subject stands for ("personnel@iraq"), so that differently worded subjects
    about the same group can be compared by an indexed lookup.
    """

    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, unique=True, editable=False)
    group_key = models.CharField(max_length=300, null=True, blank=True, db_index=True, editable=False)
    description = models.TextField(blank=True, default="")
    broader = models.ManyToManyField("self", symmetrical=False, related_name="narrower", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SubjectAlias(models.Model):
    """Another name of a subject ("American soldiers" for "US troops"). Alias keys share no space with names."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, unique=True, editable=False)
    # The id the subject of this name had until it was merged into this one: its old pages and API address move here.
    merged_from = models.PositiveBigIntegerField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "subject aliases"

    def __str__(self) -> str:
        return self.name
