"""Events (webinars, workshops, conferences) and news posts by curators."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .cases import MARKDOWN_HELP

TIME_ZONES = sorted(tz for tz in zoneinfo.available_timezones() if "/" in tz and not tz.startswith("Etc/"))


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Not a known time zone, e.g. Europe/Brussels.")


class EventKind(models.TextChoices):
    WEBINAR = "webinar", "Webinar"
    WORKSHOP = "workshop", "Workshop"
    CONFERENCE = "conference", "Conference"
    OTHER = "other", "Other"


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        from platform_site.permissions import is_curator

        return self if is_curator(user) else self.filter(is_published=True)

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")


class Event(models.Model):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    description = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # No choices on the column: the list comes from the system's tz database, which differs between machines.
    time_zone = models.CharField(
        max_length=64, default="Europe/Brussels", validators=[validate_time_zone],
        help_text="The organiser's time zone (IANA name): the dates are shown in it.",
    )  # fmt: skip
    online_url = models.URLField("online link", max_length=500, blank=True)
    place = models.CharField(max_length=200, blank=True, help_text="Venue and city, for events held in person.")
    organiser = models.CharField(max_length=200)
    topics = models.ManyToManyField("experts.ExpertiseArea", blank=True, related_name="events")
    is_published = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:event_detail", args=[self.pk])

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": "The event cannot end before it starts."})
        if not self.online_url and not self.place:
            raise ValidationError("Give an online link, a place, or both.")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)


class NewsQuerySet(models.QuerySet):
    def visible_to(self, user):
        from platform_site.permissions import is_curator

        return self if is_curator(user) else self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class NewsPost(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=MARKDOWN_HELP)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty: a draft only curators see.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    objects = NewsQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "news post"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:news_detail", args=[self.pk])
