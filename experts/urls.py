from django.urls import path

from . import account_views, contact_views, knowledge_views, views

app_name = "experts"

urlpatterns = [
    path("", views.directory, name="index"),
    path("me/", views.profile_edit, name="me"),
    path("me/data.json", account_views.my_data, name="my_data"),
    path("me/delete/", account_views.delete_account, name="delete_account"),
    path("messages/", contact_views.message_list, name="messages"),
    path("messages/<uuid:public_id>/report/", contact_views.message_report, name="message_report"),
    path("claims/<slug:slug>/", account_views.claim_role, name="claim"),
    path("claims/<int:pk>/withdraw/", account_views.claim_withdraw, name="claim_withdraw"),
    path("knowledge/", knowledge_views.ArticleListView.as_view(), name="knowledge"),
    path("knowledge/new/", knowledge_views.article_create, name="article_create"),
    path("knowledge/<int:pk>/", knowledge_views.article_detail, name="article"),
    path("knowledge/<int:pk>/edit/", knowledge_views.article_edit, name="article_edit"),
    path("<int:pk>/", views.profile_detail, name="detail"),
    path("<int:pk>/photo/", views.profile_photo, name="photo"),
    path("<int:pk>/contact/", contact_views.contact, name="contact"),
]
