from rest_framework.routers import DefaultRouter

from claims.api import views

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("contradictions", views.ContradictionViewSet, basename="contradiction")
router.register("subjects", views.SubjectViewSet, basename="subject")
router.register("speakers", views.SpeakerViewSet, basename="speaker")

urlpatterns = router.urls
