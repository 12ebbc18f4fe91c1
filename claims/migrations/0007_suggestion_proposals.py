"""Schema for suggestion proposals (data: 0008, constraint: 0009, apart so that PostgreSQL never alters a table
with deferred checks pending). A suggestion is not a claim yet: its subject, speaker and `after` names become
proposals (text on the claim) and only confirmed claims point at Subject/Speaker rows. Existing data is moved over: every claim that is not confirmed
gives up its rows for proposals; subjects and speakers that only suggestions named are deleted; the placeholder
subject "(unassigned)" goes, and claims confirmed under it go back to waiting for an editor (their flags withdrawn).
Also: Article.deleted_at, for editors discarding failed articles."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_claim_effective_date"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="deleted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="claim",
            name="proposed_after",
            field=models.CharField(blank=True, default="", max_length=300),
        ),
        migrations.AddField(
            model_name="claim",
            name="proposed_speaker",
            field=models.CharField(blank=True, default="", max_length=300),
        ),
        migrations.AddField(
            model_name="claim",
            name="proposed_subject",
            field=models.CharField(blank=True, default="", max_length=300),
        ),
        migrations.AlterField(
            model_name="claim",
            name="subject",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="claims.subject",
            ),
        ),
    ]
