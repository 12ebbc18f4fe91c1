# The foreign keys of a flag's two claims lose their own indexes, which repeated the pair's unique index (claim_a) and
# contradiction_b_idx (claim_b).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_article_live_newest_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contradiction",
            name="claim_a",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="contradictions_as_a",
                to="claims.claim",
            ),
        ),
        migrations.AlterField(
            model_name="contradiction",
            name="claim_b",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="contradictions_as_b",
                to="claims.claim",
            ),
        ),
    ]
