from django.urls import path

from . import knowledge_views, views

app_name = "experts"

urlpatterns = [
    path("", views.ExpertListView.as_view(), name="index"),
    path("me/", views.profile_edit, name="me"),
    path("knowledge/", knowledge_views.ArticleListView.as_view(), name="knowledge"),
    path("knowledge/new/", knowledge_views.article_create, name="article_create"),
    path("knowledge/<int:pk>/", knowledge_views.article_detail, name="article"),
    path("knowledge/<int:pk>/edit/", knowledge_views.article_edit, name="article_edit"),
    path("<int:pk>/", views.ExpertDetailView.as_view(), name="detail"),
]
