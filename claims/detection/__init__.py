"""Detection, the Django side: read the claims that could conflict with a claim (prepared SQL built from the pure
rules in claims.detect.rules), weigh each pair with the pure comparator (claims.detect.compare), and bring the
stored flags up to date through claims.services.contradictions.

- `config`: the comparator's Settings from Django's CLAIM_DETECTION.
- `rows`: a claim row as detection reads it, and its comparator facts (the one mapping from columns to facts).
- `sql`: the rules as a WHERE clause, the related subjects, the candidate query.
- `check`: one claim's check (the worker's `check_claim`).
- `reconcile`: every unchecked claim, a partition at a time, with the same rules evaluated in memory.

Imported by claims.tasks, the management commands, benchmarks and tests; never by services (which queue the
check by name), api or web.
"""
