"""Speaker aliases become rows with a unique key, so that a merged speaker's old name finds the survivor."""

import django.db.models.deletion
from django.db import migrations, models


def _key(name: str) -> str:
    # The same folding as claims.detect.names.norm_name at the time of writing, frozen here for the migration.
    from claims.detect.names import norm_name

    return norm_name(name)


def copy_aliases(apps, schema_editor):  # type: ignore[no-untyped-def]
    Speaker = apps.get_model("claims", "Speaker")
    SpeakerAlias = apps.get_model("claims", "SpeakerAlias")
    taken = set(Speaker.objects.values_list("name_key", flat=True))
    for speaker in Speaker.objects.exclude(aliases=[]):
        for name in speaker.aliases or []:
            key = _key(str(name))
            if key and key not in taken:
                taken.add(key)
                SpeakerAlias.objects.create(speaker=speaker, name=str(name)[:300], name_key=key)


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_editor_group")]

    operations = [
        migrations.CreateModel(
            name="SpeakerAlias",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=300)),
                ("name_key", models.CharField(editable=False, max_length=300, unique=True)),
                (
                    "speaker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="aliases", to="claims.speaker"
                    ),
                ),
            ],
            options={"ordering": ["name"], "verbose_name_plural": "speaker aliases"},
        ),
        migrations.RunPython(copy_aliases, migrations.RunPython.noop),
        migrations.RemoveField(model_name="speaker", name="aliases"),
    ]
