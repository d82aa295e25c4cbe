from django.urls import path

from .feeds import ArticleFeed, CaseStudyFeed, EventFeed, NewsFeed
from .views import cases, events, library, me, moderation, questions

app_name = "knowledge"

urlpatterns = [
    path("me/", me.me, name="me"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/act/", moderation.act, name="moderation_act"),
    path("report/<slug:key>/<int:pk>/", moderation.report_item, name="report"),
    # Case studies
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/compare/", cases.case_compare, name="case_compare"),
    path("cases/<slug:slug>/", cases.case_detail, name="case_detail"),
    path("cases/<slug:slug>/swot/", cases.case_swot, name="case_swot"),
    path("cases/<slug:slug>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<slug:slug>/submit/", cases.case_submit, name="case_submit"),
    path("cases/<slug:slug>/review/", cases.case_review, name="case_review"),
    path("cases/<slug:slug>/confirm/", cases.case_confirm, name="case_confirm"),
    # Regulatory resource library
    path("resources/", library.resource_list, name="resource_list"),
    path("resources/new/", library.resource_create, name="resource_create"),
    path("resources/check-links/", library.resource_check_links, name="resource_check_links"),
    path("resources/<int:pk>/", library.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", library.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/submit/", library.resource_submit, name="resource_submit"),
    path("resources/<int:pk>/review/", library.resource_review, name="resource_review"),
    path("resources/<int:pk>/verify/", library.resource_verify, name="resource_verify"),
    # Events and news
    path("events/", events.event_list, name="event_list"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/calendar.ics", events.calendar_feed, name="calendar_feed"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/event.ics", events.event_ics, name="event_ics"),
    path("news/", events.news_list, name="news_list"),
    path("news/new/", events.news_create, name="news_create"),
    path("news/<int:pk>/", events.news_detail, name="news_detail"),
    path("news/<int:pk>/edit/", events.news_edit, name="news_edit"),
    # Atom feeds
    path("feeds/articles/", ArticleFeed(), name="feed_articles"),
    path("feeds/cases/", CaseStudyFeed(), name="feed_cases"),
    path("feeds/events/", EventFeed(), name="feed_events"),
    path("feeds/news/", NewsFeed(), name="feed_news"),
    # Questions and answers
    path("questions/", questions.question_list, name="question_list"),
    path("questions/ask/", questions.question_ask, name="question_ask"),
    path("questions/<int:pk>/", questions.question_detail, name="question_detail"),
    path("questions/<int:pk>/answer/", questions.answer_post, name="answer_post"),
    path("questions/<int:pk>/follow/", questions.question_follow, name="question_follow"),
    path("answers/<int:pk>/accept/", questions.answer_accept, name="answer_accept"),
    path("answers/<int:pk>/helpful/", questions.answer_helpful, name="answer_helpful"),
    path("answers/<int:pk>/comment/", questions.comment_post, name="comment_post"),
    path("topics/<slug:slug>/follow/", questions.topic_follow, name="topic_follow"),
]
