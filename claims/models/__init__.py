"""The app's tables, one module per entity. Written only by claims.services (the admin too goes through them);
read by selectors, detection and services."""

from claims.models.article import Article, ArticleVersion
from claims.models.audit import AuditEvent
from claims.models.claim import Claim
from claims.models.contradiction import Contradiction
from claims.models.dynamics import AttributeDynamics
from claims.models.outlet import Outlet
from claims.models.speaker import Speaker, SpeakerAlias
from claims.models.subject import Subject, SubjectAlias

__all__ = [
    "Article",
    "ArticleVersion",
    "AttributeDynamics",
    "AuditEvent",
    "Claim",
    "Contradiction",
    "Outlet",
    "Speaker",
    "SpeakerAlias",
    "Subject",
    "SubjectAlias",
]
