"""Every write of the domain goes through a function here: `<entity>_<action>(*, keyword-only args)`.

Each validates its input completely before it writes anything (a refused request changes nothing), writes in
one transaction, leaves an AuditEvent per changed row, and queues background work only once the transaction has
committed (`transaction.on_commit`), so that a task never runs before the row it needs exists.

One module per entity or stage: audit (shared plumbing), names, claims, contradictions, articles,
article_versions, suggestions, reviews. Callers use `from claims import services` and `services.<name>`."""

from claims.services.article_versions import (
    article_new_version,
    article_refetch,
    article_refetch_failed,
    article_refetch_request,
    article_retry,
)
from claims.services.articles import (
    ARTICLE_EDITABLE,
    MAX_INPUT_CHARS,
    NEAR_DUPLICATE_CANDIDATES,
    article_discard,
    article_fail,
    article_find_twin,
    article_ingest,
    article_near_candidates,
    article_submit,
    article_update,
    fetch_policy,
)
from claims.services.audit import CONTEXT_CHARS, Actor, audit_record, content_hash, enqueue, on_commit_enqueue
from claims.services.claims import (
    CLAIM_EDITABLE,
    NAMED,
    SUBJECT_NEEDED,
    attribute_dynamics_set,
    claim_create,
    claim_delete,
    claim_names,
    claim_set_status,
    claim_update,
    claim_value,
)
from claims.services.contradictions import (
    contradiction_check_update,
    contradiction_resolve,
    contradictions_mark_checked,
    contradictions_record,
    contradictions_withdraw,
)
from claims.services.names import (
    alias_remove,
    outlet_get_or_create,
    speaker_alias_add,
    speaker_find,
    speaker_get_or_create,
    speaker_merge,
    speaker_update,
    subject_alias_add,
    subject_find,
    subject_get_or_create,
    subject_link_broader,
    subject_merge,
    subject_rename,
)
from claims.services.reviews import contradiction_dismiss_as_update
from claims.services.suggestions import MAX_SUGGESTIONS_PER_ARTICLE, article_store_suggestions

__all__ = [
    "ARTICLE_EDITABLE",
    "CLAIM_EDITABLE",
    "CONTEXT_CHARS",
    "MAX_INPUT_CHARS",
    "MAX_SUGGESTIONS_PER_ARTICLE",
    "NAMED",
    "NEAR_DUPLICATE_CANDIDATES",
    "SUBJECT_NEEDED",
    "Actor",
    "alias_remove",
    "article_discard",
    "article_fail",
    "article_find_twin",
    "article_ingest",
    "article_near_candidates",
    "article_new_version",
    "article_refetch",
    "article_refetch_failed",
    "article_refetch_request",
    "article_retry",
    "article_store_suggestions",
    "article_submit",
    "article_update",
    "attribute_dynamics_set",
    "audit_record",
    "claim_create",
    "claim_delete",
    "claim_names",
    "claim_set_status",
    "claim_update",
    "claim_value",
    "content_hash",
    "contradiction_check_update",
    "contradiction_dismiss_as_update",
    "contradiction_resolve",
    "contradictions_mark_checked",
    "contradictions_record",
    "contradictions_withdraw",
    "enqueue",
    "fetch_policy",
    "on_commit_enqueue",
    "outlet_get_or_create",
    "speaker_alias_add",
    "speaker_find",
    "speaker_get_or_create",
    "speaker_merge",
    "speaker_update",
    "subject_alias_add",
    "subject_find",
    "subject_get_or_create",
    "subject_link_broader",
    "subject_merge",
    "subject_rename",
]
