from django.urls import include, path

from claims.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_page, name="article"),
    path("claims/<int:pk>/", views.claim_page, name="claim"),
    path("contradictions/<int:pk>/", views.contradiction_page, name="contradiction"),
    path("editor/", include("claims.web.editor_urls")),
]
