"""The API's routes under /api/v1/ (the router's viewsets, the exports and the schema). Included by tracker.urls."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from claims.api import exports, views

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("contradictions", views.ContradictionViewSet, basename="contradiction")
router.register("subjects", views.SubjectViewSet, basename="subject")
router.register("speakers", views.SpeakerViewSet, basename="speaker")

urlpatterns = [
    path("exports/claims.csv", exports.ClaimsCsv.as_view(), name="export-claims-csv"),
    path("exports/claims.jsonl", exports.ClaimsJsonl.as_view(), name="export-claims-jsonl"),
    path("exports/annotations.jsonld", exports.AnnotationsJsonld.as_view(), name="export-annotations"),
    path("exports/claimreviews.jsonld", exports.ClaimReviewsJsonld.as_view(), name="export-claimreviews"),
    *router.urls,
    # Anything else under the API (an id that is not a number, a misspelt path) is a JSON 404, not an HTML page.
    re_path(r"^[\s\S]*/$", views.not_found),  # [\s\S], not ".": a path with an encoded newline too
]
