"""Suggestions a confirmed claim already covered before the "covered" rule existed are retired now, as the rule
retires them when a claim is confirmed (claims.services.covered: status rejected, "covered by claim N", an audit
row each), so that the editors' waiting counts are true. Not undone when migrating back: a rejected suggestion stays
rejected, as it does after the rule."""

from django.db import migrations

from claims.services.covered import retire_all_covered


def retire_covered_suggestions(apps, schema_editor):  # type: ignore[no-untyped-def]
    retire_all_covered(
        claim_model=apps.get_model("claims", "Claim"), audit_model=apps.get_model("claims", "AuditEvent")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_merged_names_keep_their_old_id"),
    ]

    operations = [
        migrations.RunPython(retire_covered_suggestions, migrations.RunPython.noop),
    ]
