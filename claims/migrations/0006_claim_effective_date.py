"""Claim.effective_date: as_of, else the article's publication day (UTC), stored and indexed with the candidate
columns so that the detector's change-over-time window is an index range (docs/DETECTION.md)."""

import datetime

from django.db import migrations, models


def fill_effective_date(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor == "postgresql":  # one statement: a 1M-claim table is filled in seconds
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_claim c SET effective_date = COALESCE(c.as_of, (a.published_at AT TIME ZONE 'UTC')::date)"
                " FROM claims_article a WHERE a.id = c.article_id"
            )
        return
    Claim = apps.get_model("claims", "Claim")
    batch = []
    for claim in Claim.objects.select_related("article").only("id", "as_of", "article__published_at").iterator():
        published = claim.article.published_at
        claim.effective_date = claim.as_of or (published.astimezone(datetime.UTC).date() if published else None)
        batch.append(claim)
        if len(batch) >= 2000:
            Claim.objects.bulk_update(batch, ["effective_date"])
            batch = []
    Claim.objects.bulk_update(batch, ["effective_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_reader_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="effective_date",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_effective_date, migrations.RunPython.noop, elidable=False),
        migrations.RemoveIndex(model_name="claim", name="claim_candidates_idx"),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["subject", "attribute_key", "status", "effective_date"], name="claim_candidates_date_idx"
            ),
        ),
    ]
