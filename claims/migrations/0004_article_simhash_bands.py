"""The SimHash of each article in four indexed 16-bit bands, for the near-duplicate lookup; filled for the
articles already stored."""

from django.db import migrations, models


def fill_simhashes(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The pure SimHash module is stable API; a change to it would come with its own migration to recompute.
    from claims.ingest.simhash import bands, simhash, to_signed

    Article = apps.get_model("claims", "Article")
    ready = Article.objects.filter(status="ready").exclude(text="").only("id", "text")
    for article in ready.iterator(chunk_size=500):
        value = simhash(article.text)
        b0, b1, b2, b3 = bands(value)
        Article.objects.filter(pk=article.pk).update(
            simhash=to_signed(value), simhash_b0=b0, simhash_b1=b1, simhash_b2=b2, simhash_b3=b3
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_speaker_alias")]

    operations = [
        *[
            migrations.AddField(
                model_name="article",
                name=f"simhash_b{i}",
                field=models.IntegerField(blank=True, editable=False, null=True),
            )
            for i in range(4)
        ],
        *[
            migrations.AddIndex(
                model_name="article",
                index=models.Index(fields=[f"simhash_b{i}"], name=f"article_simhash_b{i}_idx"),
            )
            for i in range(4)
        ],
        migrations.RunPython(fill_simhashes, migrations.RunPython.noop),
    ]
