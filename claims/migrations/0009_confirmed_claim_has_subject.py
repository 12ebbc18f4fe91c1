"""Only a confirmed claim must name a subject; after 0008 every one does."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_move_suggestions_to_proposals")]

    operations = [
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(subject__isnull=False), name="claim_confirmed_has_subject"
            ),
        ),
    ]
