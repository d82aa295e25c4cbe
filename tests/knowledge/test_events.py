import datetime
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.utils import timezone

from experts.knowledge.models import CaseStudy, Event, NewsPost
from experts.models import KnowledgeArticle

from .conftest import XSS_PAYLOADS, assert_inert, make_case

ATOM = "{http://www.w3.org/2005/Atom}"


def _event(title="Potency assays webinar", days=10, **fields):
    start = timezone.now() + datetime.timedelta(days=days)
    defaults = {"kind": "webinar", "starts_at": start, "ends_at": start + datetime.timedelta(hours=2),
                "time_zone": "Europe/Berlin", "organiser": "Demo Society (fictional)",
                "online_url": "https://example.org/webinar"}  # fmt: skip
    return Event.objects.create(title=title, **{**defaults, **fields})


@pytest.mark.django_db
def test_upcoming_and_past_lists_and_visibility(client_for):
    _event("Coming webinar")
    _event("Finished workshop", days=-30, kind="workshop", online_url="", place="Vienna")
    hidden = _event("Unpublished conference", is_published=False)
    anonymous = client_for("anonymous")
    upcoming = anonymous.get("/knowledge/events/").content.decode()
    assert "Coming webinar" in upcoming and "Finished workshop" not in upcoming and "Unpublished" not in upcoming
    past = anonymous.get("/knowledge/events/?when=past").content.decode()
    assert "Finished workshop" in past and "Coming webinar" not in past
    assert anonymous.get(hidden.get_absolute_url()).status_code == 404
    assert client_for("curator").get(hidden.get_absolute_url()).status_code == 200
    assert anonymous.get(f"/knowledge/events/{hidden.pk}/event.ics").status_code == 404


@pytest.mark.django_db
def test_a_curator_adds_an_event_in_its_own_time_zone(client_for):
    form = {"title": "GMP workshop", "kind": "workshop", "time_zone": "America/New_York", "organiser": "Org",
            "starts_at": "2030-06-01T09:00", "ends_at": "2030-06-01T17:00", "place": "Boston",
            "is_published": "on"}  # fmt: skip
    response = client_for("curator").post("/knowledge/events/new/", form)
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.starts_at == datetime.datetime(2030, 6, 1, 13, 0, tzinfo=datetime.UTC)  # EDT is UTC-4
    page = client_for("anonymous").get(event.get_absolute_url()).content.decode()
    assert "09:00" in page and "13:00" in page and "America/New_York" in page
    bad = client_for("curator").post("/knowledge/events/new/", {**form, "ends_at": "2030-05-01T09:00", "place": ""})
    assert bad.status_code == 200 and Event.objects.count() == 1


@pytest.mark.django_db
def test_the_ics_file_and_the_calendar_feed_parse_with_icalendar(client):
    event = _event(description="Bring **questions**.")
    _event("Older event", days=-5)
    response = client.get(f"/knowledge/events/{event.pk}/event.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    # The same instant (to the second), written in Europe/Berlin.
    assert entry.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert str(entry.decoded("DTSTART").tzinfo) == "Europe/Berlin"
    assert "Demo Society" in str(entry["DESCRIPTION"]) and "**" not in str(entry["DESCRIPTION"])
    assert calendar.walk("VTIMEZONE")
    feed = icalendar.Calendar.from_ical(client.get("/knowledge/events/calendar.ics").content)
    assert {str(e["SUMMARY"]) for e in feed.walk("VEVENT")} == {event.title, "Older event"}


def _check_atom(content: bytes) -> list:
    """The elements RFC 4287 requires of a feed and of each entry."""
    root = ET.fromstring(content)  # noqa: S314 - our own output
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}") is not None and entry.find(f"{ATOM}{name}").text, name
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    return [e.find(f"{ATOM}title").text for e in entries]


@pytest.mark.django_db
def test_atom_feeds_are_valid_and_public_only(client, owner, curator):
    make_case(owner, title="Feed case", slug="feed-case")
    make_case(owner, title="Draft case", slug="draft-case", status="draft")
    CaseStudy.objects.filter(slug="feed-case").update(published_at=timezone.now())
    KnowledgeArticle.objects.create(title="Feed article", body="x", topic="regulatory", author=owner,
                                    status="published", published_at=timezone.now())  # fmt: skip
    KnowledgeArticle.objects.create(title="Experts article", body="x", topic="regulatory", author=owner,
                                    status="published", audience="experts")  # fmt: skip
    _event("Feed event")
    NewsPost.objects.create(title="Feed news", body=XSS_PAYLOADS[0], author=curator, published_at=timezone.now())
    NewsPost.objects.create(title="Draft news", body="x", author=curator)
    expected = {"articles": ["Feed article"], "cases": ["Feed case"], "events": ["Feed event"], "news": ["Feed news"]}
    for name, titles in expected.items():
        response = client.get(f"/knowledge/feeds/{name}/")
        assert response["Content-Type"].startswith("application/atom+xml")
        assert _check_atom(response.content) == titles
        assert b"<script>" not in response.content


@pytest.mark.django_db
def test_news_drafts_and_xss_in_events_and_news(client_for, curator):
    client = client_for("curator")
    client.post("/knowledge/news/new/", {"title": XSS_PAYLOADS[5], "body": "\n\n".join(XSS_PAYLOADS)})
    post = NewsPost.objects.get()
    assert post.published_at is None and client_for("anonymous").get(post.get_absolute_url()).status_code == 404
    client.post(f"/knowledge/news/{post.pk}/edit/", {"title": post.title, "body": post.body, "publish": "on"})
    event = _event(XSS_PAYLOADS[0], description="\n\n".join(XSS_PAYLOADS), organiser=XSS_PAYLOADS[1][:200],
                   place=XSS_PAYLOADS[4])  # fmt: skip
    for url in (post.get_absolute_url(), "/knowledge/news/", event.get_absolute_url(), "/knowledge/events/",
                "/search/?q=alert"):  # fmt: skip
        response = client_for("anonymous").get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
