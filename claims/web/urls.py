"""The public pages' routes (the editor's are in editor_urls). Included by tracker.urls."""

from django.urls import include, path

from claims.web import feeds, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_page, name="article"),
    path("claims/<int:pk>/", views.claim_page, name="claim"),
    path("contradictions/<int:pk>/", views.contradiction_page, name="contradiction"),
    path("contradictions/", views.contradiction_list_page, name="contradictions"),
    path("contradictions/feed.rss", feeds.ContradictionFeed(), name="feed-rss"),
    path("contradictions/feed.atom", feeds.ContradictionAtomFeed(), name="feed-atom"),
    path("subjects/<int:pk>/", views.subject_page, name="subject"),
    path("subjects/<int:pk>/feed.rss", feeds.SubjectContradictionFeed(), name="subject-feed-rss"),
    path("subjects/<int:pk>/feed.atom", feeds.SubjectContradictionAtomFeed(), name="subject-feed-atom"),
    path("outlets/", views.outlet_list_page, name="outlets"),
    path("outlets/<int:pk>/", views.outlet_page, name="outlet"),
    path("speakers/", views.speaker_list_page, name="speakers"),
    path("speakers/<int:pk>/", views.speaker_page, name="speaker"),
    path("search/", views.search_page, name="search"),
    path("editor/", include("claims.web.editor_urls")),
]
