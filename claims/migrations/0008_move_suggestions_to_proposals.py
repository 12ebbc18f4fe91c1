"""Move existing suggestions' names to proposals (see 0007)."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

PLACEHOLDER = "(unassigned)"


def move_to_proposals(apps, schema_editor):  # type: ignore[no-untyped-def]
    Claim = apps.get_model("claims", "Claim")
    Subject = apps.get_model("claims", "Subject")
    Speaker = apps.get_model("claims", "Speaker")
    Contradiction = apps.get_model("claims", "Contradiction")

    placeholder = list(Subject.objects.filter(name=PLACEHOLDER).values_list("id", flat=True))
    if placeholder:
        stuck = Claim.objects.filter(subject_id__in=placeholder, status="confirmed")
        ids = list(stuck.values_list("id", flat=True))
        Contradiction.objects.filter(Q(claim_a_id__in=ids) | Q(claim_b_id__in=ids), withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        stuck.update(status="suggested", checked_at=None)

    named_subjects: set[int] = set()
    named_speakers: set[int] = set()
    batch = []
    waiting = (
        Claim.objects.exclude(status="confirmed")
        .select_related("subject", "speaker", "after")
        .only("id", "subject__name", "speaker__name", "after__name")
    )
    for claim in waiting.iterator(chunk_size=2000):
        for fk in (claim.subject_id, claim.after_id):
            if fk is not None:
                named_subjects.add(fk)
        if claim.speaker_id is not None:
            named_speakers.add(claim.speaker_id)
        name = claim.subject.name if claim.subject_id else ""
        claim.proposed_subject = "" if name == PLACEHOLDER else name
        claim.proposed_speaker = claim.speaker.name if claim.speaker_id else ""
        claim.proposed_after = claim.after.name if claim.after_id else ""
        claim.subject = claim.speaker = claim.after = None
        batch.append(claim)
        if len(batch) >= 2000:
            Claim.objects.bulk_update(
                batch, ["proposed_subject", "proposed_speaker", "proposed_after", "subject", "speaker", "after"]
            )
            batch = []
    Claim.objects.bulk_update(
        batch, ["proposed_subject", "proposed_speaker", "proposed_after", "subject", "speaker", "after"]
    )

    # What only suggestions named goes; what an editor created directly (no claim at all) stays.
    still_used = Q(claims__isnull=False) | Q(followers__isnull=False)
    Subject.objects.filter(Q(pk__in=named_subjects) | Q(pk__in=placeholder)).exclude(still_used).delete()
    Speaker.objects.filter(pk__in=named_speakers, claims__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_suggestion_proposals")]

    operations = [migrations.RunPython(move_to_proposals, migrations.RunPython.noop)]
