"""The one site search: every kind, grouped with counts, respecting visibility."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from experts.knowledge.models import Event, Resource
from experts.models import KnowledgeArticle
from tests.trials.factories import ProductFactory, TrialFactory
from trials.models import CurationStatus

from .conftest import XSS_PAYLOADS, ask, assert_inert, make_case


@pytest.fixture
def corpus(db, owner, cast):
    published = ProductFactory(name="Zebrafin lentiviral product", slug="zebrafin")
    TrialFactory(product=published, title="Zebrafin phase 1 trial")
    ProductFactory(name="Zebrafin draft product", slug="zebrafin-draft", owner=owner,
                   curation_status=CurationStatus.SUBMITTED)  # fmt: skip
    make_case(owner, title="Zebrafin case published", slug="zc1")
    make_case(owner, title="Zebrafin case submitted", slug="zc2", status="submitted")
    KnowledgeArticle.objects.create(title="Zebrafin article", body="x", topic="regulatory", author=owner,
                                    status="published")  # fmt: skip
    KnowledgeArticle.objects.create(title="Zebrafin experts article", body="x", topic="regulatory", author=owner,
                                    status="published", audience="experts")  # fmt: skip
    Resource.objects.create(title="Zebrafin guideline", kind="guideline", curation_status="published")
    Resource.objects.create(title="Zebrafin draft template", kind="template", owner=owner)
    when = timezone.now() + datetime.timedelta(days=3)
    Event.objects.create(title="Zebrafin webinar", kind="webinar", starts_at=when, ends_at=when, organiser="Demo",
                         online_url="https://example.org/w")  # fmt: skip
    Event.objects.create(title="Zebrafin hidden event", kind="webinar", starts_at=when, ends_at=when,
                         organiser="Demo", place="Paris", is_published=False)  # fmt: skip
    ask(owner, title="Zebrafin public question")
    ask(owner, title="Zebrafin experts question", audience="experts")
    profile = cast["expert"].profile
    profile.display_name, profile.bio, profile.is_public = "Dr Zebrafin", "Works on zebrafin", True
    profile.save()


def _counts(page: str) -> dict:
    import re

    found = re.findall(r'kind=(\w+)">[^<]+<span class="badge text-bg-light">(\d+)</span>', page)
    return {kind: int(n) for kind, n in found}


@pytest.mark.django_db
def test_search_groups_every_kind_with_counts_and_respects_visibility(corpus, client_for):
    anonymous = _counts(client_for("anonymous").get("/search/?q=zebrafin").content.decode())
    assert anonymous == {"products": 1, "trials": 1, "facilities": 0, "experts": 1, "articles": 1, "cases": 1,
                         "resources": 1, "questions": 1, "events": 1}  # fmt: skip
    expert = _counts(client_for("expert").get("/search/?q=zebrafin").content.decode())
    assert expert["articles"] == 2 and expert["questions"] == 2 and expert["cases"] == 1 and expert["products"] == 1
    owner = _counts(client_for("owner").get("/search/?q=zebrafin").content.decode())
    assert owner["cases"] == 2 and owner["products"] == 2 and owner["resources"] == 2
    curator = _counts(client_for("curator").get("/search/?q=zebrafin").content.decode())
    assert curator["cases"] == 2 and curator["products"] == 2 and curator["questions"] == 2 and curator["events"] == 2

    page = client_for("anonymous").get("/search/?q=zebrafin").content.decode()
    assert "Zebrafin case published" in page and "Zebrafin case submitted" not in page
    assert "Zebrafin experts question" not in page and "owner@example.org" not in page
    one_kind = client_for("anonymous").get("/search/?q=zebrafin&kind=cases&page=7").content.decode()
    assert "Zebrafin case published" in one_kind and "Zebrafin public question" not in one_kind


@pytest.mark.django_db
def test_search_costs_the_same_number_of_queries_whatever_it_finds(corpus, client):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries("/search/?q=zebrafin") == queries("/search/?q=nothingmatchesthis")
    assert queries("/search/?q=zebrafin&kind=trials") == queries("/search/?q=nothing&kind=trials")


@pytest.mark.django_db
def test_search_input_is_bounded_and_escaped(client, owner):
    make_case(owner, title=XSS_PAYLOADS[0], slug="xss-case")
    for q in ["", "   ", "%ff%fe", "a" * 5000, XSS_PAYLOADS[0], "-", '"unclosed', "or and"]:
        response = client.get("/search/", {"q": q, "kind": "nope"})
        assert response.status_code == 200
        assert_inert(response.content.decode())
    assert b'id="site-search"' in client.get("/").content


@pytest.mark.postgres
@pytest.mark.django_db
def test_stored_vectors_follow_saves_and_deletes(owner):
    if connection.vendor != "postgresql":
        pytest.skip(reason="stored vectors are PostgreSQL-only: run `make test-services`")
    from django.contrib.auth.models import AnonymousUser

    from experts.knowledge.models import SearchDocument
    from platform_site.search import kind_by_key, matches

    case = make_case(owner, title="Okapiform case", slug="okapi")
    cases = kind_by_key("cases")
    assert [c.pk for c in matches(cases, AnonymousUser(), "okapiform")] == [case.pk]
    case.title = "Renamed case"
    case.save()
    assert not matches(cases, AnonymousUser(), "okapiform").exists()
    assert matches(cases, AnonymousUser(), "renamed").exists()
    case.delete()
    assert not SearchDocument.objects.filter(kind="case", object_id=case.pk).exists()
