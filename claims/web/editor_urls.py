"""The editors' workspace, mounted at /editor/ inside the `web` namespace (web:editor-queue, web:editor-annotate)."""

from django.urls import path

from claims.web import editor

urlpatterns = [
    path("", editor.article_queue, name="editor-queue"),
    path("articles/<int:pk>/", editor.annotate, name="editor-annotate"),
]
