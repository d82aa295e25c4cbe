"""iCalendar (RFC 5545) files for events, built with the icalendar package."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from experts.markdown import render_markdown


def _plain(markdown_text: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(render_markdown(markdown_text)).strip()


def calendar_for(events, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//ATMP Expert Platform//Knowledge events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    now = timezone.now()
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('//')[-1].split('/')[0]}")
        entry.add("dtstamp", now)
        # Start and end in the organiser's zone; icalendar writes the TZID and a VTIMEZONE.
        entry.add("dtstart", event.local_start)
        entry.add("dtend", event.local_end)
        entry.add("summary", event.title)
        # ORGANIZER needs an e-mail address, which we do not publish: the organiser goes in the text.
        entry.add("description", f"Organised by {event.organiser}.\n\n{_plain(event.description)}".strip())
        entry.add("location", event.place or event.online_url)
        entry.add("url", event.online_url or f"{settings.SITE_URL}{event.get_absolute_url()}")
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
