"""The permission matrix for every knowledge URL."""

import datetime

import pytest
from django.utils import timezone

from experts.knowledge.models import Event, NewsPost, Question, Resource
from experts.knowledge.services.questions import answer_post
from tests.matrix import LOGIN, check_row, public, row

from .conftest import ask, make_case

PUBLISHED = "/knowledge/cases/published-case/"
SUBMITTED = "/knowledge/cases/submitted-case/"

ROWS = [
    # Case studies
    public("/knowledge/cases/"),
    public("/knowledge/cases/?atmp_type=gtmp&country=DE&hurdle=regulatory&stage=phase_1&page=x"),
    public(PUBLISHED),
    public(f"{PUBLISHED}swot/"),
    public("/knowledge/cases/compare/?case=published-case&case=submitted-case"),
    public("/knowledge/cases/no-such-case/", 404),
    row(SUBMITTED, 404, 404, 404, 200, 200, 200),
    row(f"{SUBMITTED}swot/", 404, 404, 404, 200, 200, 200),
    row("/knowledge/cases/new/", LOGIN, 403, 200, 200, 200, 200),
    row(f"{SUBMITTED}edit/", LOGIN, 403, 404, 200, 200, 200),
    row(f"{PUBLISHED}edit/", LOGIN, 403, 404, 200, 200, 200),
    row(f"{SUBMITTED}submit/", LOGIN, 403, 403, 302, 302, 302, method="post"),
    row(f"{SUBMITTED}review/", LOGIN, 403, 403, 403, 302, 302, method="post", data={"decision": "bogus"}),
    row(f"{PUBLISHED}confirm/", LOGIN, 403, 404, 404, 404, 404, method="post"),
    # Regulatory resources (the owner submitted the draft)
    public("/knowledge/resources/"),
    public("/knowledge/resources/?kind=x&country=EU&topic=none&q=%ff&stale=1&page=x"),
    public("/knowledge/resources/{resource}/"),
    row("/knowledge/resources/{draft_resource}/", 404, 404, 404, 200, 200, 200),
    row("/knowledge/resources/new/", LOGIN, 403, 200, 200, 200, 200),
    row("/knowledge/resources/{draft_resource}/edit/", LOGIN, 403, 404, 200, 200, 200),
    row("/knowledge/resources/{resource}/edit/", LOGIN, 403, 404, 404, 200, 200),
    row("/knowledge/resources/{draft_resource}/submit/", LOGIN, 403, 403, 302, 302, 302, method="post"),
    row("/knowledge/resources/{draft_resource}/review/", LOGIN, 403, 403, 403, 302, 302, method="post"),
    row("/knowledge/resources/{resource}/verify/", LOGIN, 403, 403, 403, 302, 302, method="post"),
    row("/knowledge/resources/check-links/", LOGIN, 403, 403, 403, 302, 302, method="post"),
    # Events, news, feeds
    public("/knowledge/events/"),
    public("/knowledge/events/?when=past&page=x"),
    public("/knowledge/events/calendar.ics"),
    public("/knowledge/events/{event}/"),
    public("/knowledge/events/{event}/event.ics"),
    row("/knowledge/events/{hidden_event}/", 404, 404, 404, 404, 200, 200),
    public("/knowledge/events/{hidden_event}/event.ics", 404),
    row("/knowledge/events/new/", LOGIN, 403, 403, 403, 200, 200),
    row("/knowledge/events/{event}/edit/", LOGIN, 403, 403, 403, 200, 200),
    public("/knowledge/news/"),
    public("/knowledge/news/{news}/"),
    row("/knowledge/news/{draft_news}/", 404, 404, 404, 404, 200, 200),
    row("/knowledge/news/new/", LOGIN, 403, 403, 403, 200, 200),
    row("/knowledge/news/{news}/edit/", LOGIN, 403, 403, 403, 200, 200),
    public("/knowledge/feeds/articles/"),
    public("/knowledge/feeds/cases/"),
    public("/knowledge/feeds/events/"),
    public("/knowledge/feeds/news/"),
    # Moderation
    row("/knowledge/moderation/", LOGIN, 403, 403, 403, 200, 200),
    row("/knowledge/moderation/act/", LOGIN, 403, 403, 403, 302, 302, method="post", data={"key": "x"}),
    row("/knowledge/report/question/{public}/", LOGIN, 200, 200, 200, 200, 200),
    row("/knowledge/report/question/{experts}/", LOGIN, 404, 200, 200, 200, 200),
    row("/knowledge/report/case/{hidden}/", LOGIN, 404, 404, 404, 404, 404),
    row("/knowledge/report/nothing/1/", LOGIN, 404, 404, 404, 404, 404),
    row("/knowledge/report/answer/{answer}/", LOGIN, 302, 302, 302, 302, 302, method="post", data={"reason": "spam"}),
    # The admin: curators see the knowledge models
    row("/admin/knowledge/casestudy/", 302, 302, 302, 302, 200, 200),
    row("/admin/knowledge/resource/", 302, 302, 302, 302, 200, 200),
    row("/admin/knowledge/moderationaction/", 302, 302, 302, 302, 200, 200),
    # The site search
    public("/search/"),
    public("/search/?q=question&kind=questions&page=2"),
    # Questions and answers (the owner asked the questions and wrote the answers)
    row("/knowledge/me/", LOGIN, 200, 200, 200, 200, 200),
    row("/knowledge/me/", LOGIN, 302, 302, 302, 302, 302, method="post", data={"email_frequency": "never"}),
    public("/knowledge/questions/"),
    public("/knowledge/questions/?topic=car-t&atmp_type=x&unanswered=1&q=%ff&page=9"),
    public("/knowledge/questions/{public}/"),
    public("/knowledge/questions/999999/", 404),
    row("/knowledge/questions/{experts}/", 404, 404, 200, 200, 200, 200),
    row("/knowledge/questions/{hidden}/", 404, 404, 404, 200, 200, 200),
    row("/knowledge/questions/ask/", LOGIN, 403, 200, 200, 200, 200),
    row("/knowledge/questions/{public}/answer/", LOGIN, 403, 302, 302, 302, 302, method="post", data={"body": ""}),
    row("/knowledge/questions/{experts}/answer/", LOGIN, 403, 302, 302, 302, 302, method="post"),
    row("/knowledge/questions/{hidden}/answer/", LOGIN, 403, 404, 302, 302, 302, method="post"),
    row("/knowledge/questions/{public}/follow/", LOGIN, 302, 302, 302, 302, 302, method="post"),
    row("/knowledge/questions/{hidden}/follow/", LOGIN, 404, 404, 302, 302, 302, method="post"),
    row("/knowledge/answers/{answer}/accept/", LOGIN, 403, 403, 302, 403, 403, method="post"),
    row("/knowledge/answers/{answer}/helpful/", LOGIN, 302, 302, 302, 302, 302, method="post"),
    row("/knowledge/answers/{experts_answer}/helpful/", LOGIN, 404, 302, 302, 302, 302, method="post"),
    row("/knowledge/answers/{answer}/comment/", LOGIN, 403, 302, 302, 302, 302, method="post", data={"body": "x"}),
    row("/knowledge/topics/car-t/follow/", LOGIN, 302, 302, 302, 302, 302, method="post"),
    row("/knowledge/topics/no-such-topic/follow/", LOGIN, 404, 404, 404, 404, 404, method="post"),
]


@pytest.fixture(autouse=True)
def matrix_records(db, owner) -> dict:
    make_case(owner, title="Published case", slug="published-case")
    make_case(owner, title="Submitted case", slug="submitted-case", status="submitted")
    public_question = ask(owner, title="Public question")
    experts_question = ask(owner, title="Experts-only question", audience="experts")
    hidden = ask(owner, title="Hidden question")
    Question.objects.filter(pk=hidden.pk).update(is_hidden=True)
    Resource.objects.exclude(kind="authority").delete()
    when = timezone.now() + datetime.timedelta(days=1)
    event_fields = {"kind": "webinar", "starts_at": when, "ends_at": when, "organiser": "O", "place": "Rome"}
    return {
        "event": Event.objects.create(title="Event", **event_fields).pk,
        "hidden_event": Event.objects.create(title="Hidden", is_published=False, **event_fields).pk,
        "news": NewsPost.objects.create(title="News", body="x", author=owner, published_at=timezone.now()).pk,
        "draft_news": NewsPost.objects.create(title="Draft", body="x", author=owner).pk,
        "resource": Resource.objects.create(title="A guideline", kind="guideline", curation_status="published").pk,
        "draft_resource": Resource.objects.create(title="A draft", kind="template", owner=owner).pk,
        "public": public_question.pk,
        "experts": experts_question.pk,
        "hidden": hidden.pk,
        "answer": answer_post(question=public_question, author=owner, body="An answer").pk,
        "experts_answer": answer_post(question=experts_question, author=owner, body="For experts").pk,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("matrix_row", ROWS, ids=lambda r: f"{r.method} {r.url}")
def test_permission_matrix(client_for, matrix_row, matrix_records):
    matrix_row.url = matrix_row.url.format(**matrix_records)
    check_row(client_for, matrix_row)
