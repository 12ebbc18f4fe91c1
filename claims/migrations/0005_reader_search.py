"""Indexes for the reader pages.

- Full-text search, on PostgreSQL only (the SQLite default searches by substring). They are expression indexes, so
  they must match claims.selectors.article_search_vector() and claim_search_vector() exactly: PostgreSQL uses an
  expression index only for the identical expression (a test runs EXPLAIN to keep them in step).
- A subject's public claims in the two orders its page reads them (newest first for the chart; by attribute for
  the list and its per-attribute counts), so that a subject with thousands of claims reads only what it shows.

Created here with SQL rather than in Claim.Meta because they are partial (confirmed claims only) and belong to the
reader pages' queries; Django's model state does not need to know them."""

from django.db import migrations

INDEXES = {
    "claims_article_search_gin": (
        "claims_article",
        "to_tsvector('english'::regconfig, COALESCE(\"title\", '') || ' ' || "
        "COALESCE(SUBSTRING(\"text\", 1, 100000), ''))",
    ),
    "claims_claim_search_gin": ("claims_claim", "to_tsvector('english'::regconfig, COALESCE(\"quote\", ''))"),
}


SUBJECT_INDEXES = {
    "claims_claim_reader_newest": "claims_claim (subject_id, id DESC) WHERE status = 'confirmed'",
    "claims_claim_reader_by_attr": (
        "claims_claim (subject_id, attribute_key, as_of DESC, id DESC) WHERE status = 'confirmed'"
    ),
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name, definition in SUBJECT_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    names = list(SUBJECT_INDEXES)
    if schema_editor.connection.vendor == "postgresql":
        names += list(INDEXES)
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_article_simhash_bands")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
