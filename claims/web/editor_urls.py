"""The editors' workspace, mounted at /editor/ inside the `web` namespace (web:editor-queue, web:editor-annotate,
web:editor-article-new, web:editor-article-status, web:editor-failed (and its -retry, -delete posts),
web:editor-contradictions, web:editor-contradiction,
web:editor-subjects, web:editor-subject-merge, web:editor-attributes, web:editor-attribute-set)."""

from django.urls import path

from claims.web import editor, editor_attributes, editor_review

urlpatterns = [
    path("", editor.article_queue, name="editor-queue"),
    path("articles/new/", editor.article_new, name="editor-article-new"),
    path("articles/<int:pk>/", editor.annotate, name="editor-annotate"),
    path("articles/<int:pk>/status/", editor.article_status, name="editor-article-status"),
    path("articles/failed/", editor.failed_articles, name="editor-failed"),
    path("articles/<int:pk>/retry/", editor.failed_article_retry, name="editor-failed-retry"),
    path("articles/<int:pk>/delete/", editor.failed_article_discard, name="editor-failed-delete"),
    path("contradictions/", editor_review.contradiction_review, name="editor-contradictions"),
    path("contradictions/<int:pk>/", editor_review.contradiction_review_one, name="editor-contradiction"),
    path("subjects/", editor.subject_list, name="editor-subjects"),
    path("subjects/merge/", editor.subject_merge, name="editor-subject-merge"),
    path("attributes/", editor_attributes.attribute_list, name="editor-attributes"),
    path("attributes/set/", editor_attributes.attribute_set, name="editor-attribute-set"),
]
