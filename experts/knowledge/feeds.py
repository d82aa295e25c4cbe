"""Atom feeds of what anyone may read: articles, case studies, events and news."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from experts.markdown import render_markdown
from experts.models import KnowledgeArticle

from .models import CaseStudy, Event, NewsPost

FEED_ITEMS = 30


class _AtomFeed(Feed):
    feed_type = Atom1Feed
    author_name = "ATMP Expert Platform"

    def item_pubdate(self, item):
        return getattr(item, "published_at", None) or getattr(item, "created_at", None)

    def item_updateddate(self, item):
        return getattr(item, "updated_at", None)


class ArticleFeed(_AtomFeed):
    title = "ATMP Expert Platform: knowledge articles"
    link = "/experts/knowledge/"
    subtitle = "Guidance and lessons learned shared by approved ATMP experts."

    def items(self):
        return KnowledgeArticle.objects.visible_to(AnonymousUser())[:FEED_ITEMS]

    def item_description(self, item):
        return item.summary or render_markdown(item.body)


class CaseStudyFeed(_AtomFeed):
    title = "ATMP Expert Platform: case studies"
    link = "/knowledge/cases/"
    subtitle = "ATMP development case studies published after curator review."

    def items(self):
        return CaseStudy.objects.public()[:FEED_ITEMS]

    def item_description(self, item):
        return item.summary or item.indication


class EventFeed(_AtomFeed):
    title = "ATMP Expert Platform: events"
    link = "/knowledge/events/"
    subtitle = "Webinars, workshops and conferences on ATMPs."

    def items(self):
        return Event.objects.filter(is_published=True).order_by("-created_at")[:FEED_ITEMS]

    def item_pubdate(self, item):
        return item.created_at

    def item_description(self, item):
        when = item.local_start.strftime("%d %b %Y %H:%M")
        return f"{item.get_kind_display()}, {when} ({item.time_zone}), organised by {item.organiser}."


class NewsFeed(_AtomFeed):
    title = "ATMP Expert Platform: news"
    link = "/knowledge/news/"
    subtitle = "News from the platform's curators."

    def items(self):
        return NewsPost.objects.visible_to(AnonymousUser())[:FEED_ITEMS]

    def item_description(self, item):
        return render_markdown(item.body)
