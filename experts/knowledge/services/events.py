"""Writing events and news posts (curators)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import Event, NewsPost


@transaction.atomic
def event_save(*, form, by) -> Event:
    event = form.save(commit=False)
    if event.created_by_id is None:
        event.created_by = by
    event.save()
    form.save_m2m()
    return event


@transaction.atomic
def news_save(*, form, by) -> NewsPost:
    post = form.save(commit=False)
    if post.pk is None:
        post.author = by
    if form.cleaned_data["publish"]:
        post.published_at = post.published_at or timezone.now()
    else:
        post.published_at = None
    post.save()
    return post
