"""The editors' workspace, mounted at /editor/ inside the `web` namespace (web:editor-queue, web:editor-annotate,
web:editor-article-new, web:editor-article-status, web:editor-contradictions, web:editor-contradiction)."""

from django.urls import path

from claims.web import editor

urlpatterns = [
    path("", editor.article_queue, name="editor-queue"),
    path("articles/new/", editor.article_new, name="editor-article-new"),
    path("articles/<int:pk>/", editor.annotate, name="editor-annotate"),
    path("articles/<int:pk>/status/", editor.article_status, name="editor-article-status"),
    path("contradictions/", editor.contradiction_review, name="editor-contradictions"),
    path("contradictions/<int:pk>/", editor.contradiction_review_one, name="editor-contradiction"),
]
