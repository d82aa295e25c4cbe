"""Events (upcoming and past, .ics per event, a calendar feed) and curators' news."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from platform_site.permissions import curator_required

from ..calendar import calendar_for
from ..forms import EventForm, NewsForm
from ..models import Event, NewsPost
from ..services.events import event_save, news_save

CALENDAR_PAST_EVENTS = 50


def event_list(request):
    past = request.GET.get("when") == "past"
    events = Event.objects.visible_to(request.user).prefetch_related("topics")
    events = events.past() if past else events.upcoming()
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    return render(request, "knowledge/event_list.html", {"page_obj": page, "events": page.object_list, "past": past})


def event_detail(request, pk):
    event = get_object_or_404(Event.objects.visible_to(request.user), pk=pk)
    return render(request, "knowledge/event_detail.html", {"event": event})


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, pk):
    event = get_object_or_404(Event.objects.filter(is_published=True), pk=pk)
    return _ics(calendar_for([event], name=event.title), f"event-{event.pk}.ics")


def calendar_feed(request):
    """Every upcoming published event and the most recent past ones, for calendar subscriptions."""
    published = Event.objects.filter(is_published=True)
    events = [*published.upcoming(), *published.past()[:CALENDAR_PAST_EVENTS]]
    return _ics(calendar_for(events, name="ATMP Expert Platform events"), "atmp-events.ics")


def _event_form_page(request, event=None):
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        event = event_save(form=form, by=request.user)
        messages.success(request, "Event saved.")
        return redirect(event)
    return render(request, "knowledge/event_form.html", {"form": form, "event": event})


@curator_required
def event_create(request):
    return _event_form_page(request)


@curator_required
def event_edit(request, pk):
    return _event_form_page(request, get_object_or_404(Event, pk=pk))


def news_list(request):
    page = Paginator(NewsPost.objects.visible_to(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "knowledge/news_list.html", {"page_obj": page, "posts": page.object_list})


def news_detail(request, pk):
    post = get_object_or_404(NewsPost.objects.visible_to(request.user), pk=pk)
    return render(request, "knowledge/news_detail.html", {"post": post})


def _news_form_page(request, post=None):
    form = NewsForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        post = news_save(form=form, by=request.user)
        messages.success(request, "News post saved.")
        return redirect(post)
    return render(request, "knowledge/news_form.html", {"form": form, "post": post})


@curator_required
def news_create(request):
    return _news_form_page(request)


@curator_required
def news_edit(request, pk):
    return _news_form_page(request, get_object_or_404(NewsPost, pk=pk))
