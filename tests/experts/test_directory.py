"""The directory: filters with facet counts, search, shareable URLs, the API's same FilterSet, the reach."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experts.models import ExpertProfile
from tests.conftest import make_user
from tests.experts.conftest import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    return {
        "anna": make_profile("anna@example.org", display_name="Anna Weber", country="DE", stakeholder_type="clinician",
                             atmp_types=["gtmp_ex_vivo"], languages=["de", "en"], availability=["mentoring"],
                             affiliation="Heidelberg Hospital", areas=["car-t", "oncology"]),
        "luc": make_profile("luc@example.org", display_name="Luc Martin", country="FR", stakeholder_type="regulator",
                            atmp_types=["sctmp"], languages=["fr"], bio="Scientific advice on cell therapy.",
                            areas=["regulatory-strategy"]),
        "jan": make_profile("jan@example.org", display_name="Jan de Vries", country="DE", stakeholder_type="cdmo",
                            atmp_types=["gtmp", "gtmp_ex_vivo"], languages=["nl", "de"],
                            availability=["peer_review", "mentoring"], areas=["vector-production", "car-t"]),
        "hidden": make_profile("hidden@example.org", display_name="Unlisted Expert", is_public=False, country="DE"),
    }  # fmt: skip


def _names(response) -> set[str]:
    return {card.name for card in response.context["cards"]}


def _facet(response, name) -> dict:
    facet = next(f for f in response.context["facets"] if f.name == name)
    return {o.value: o.count for o in facet.options}


def test_filters_combine_across_facets_and_alternate_within_one(client, network):
    assert _names(client.get("/experts/?country=DE")) == {"Anna Weber", "Jan de Vries"}
    assert _names(client.get("/experts/?country=DE&country=FR")) == {"Anna Weber", "Jan de Vries", "Luc Martin"}
    assert _names(client.get("/experts/?area=car-t&language=nl")) == {"Jan de Vries"}
    assert _names(client.get("/experts/?atmp_type=gtmp")) == {"Jan de Vries"}  # not gtmp_ex_vivo
    assert _names(client.get("/experts/?availability=mentoring&stakeholder_type=clinician")) == {"Anna Weber"}
    assert _names(client.get("/experts/?area=car-t&area=oncology")) == {"Anna Weber", "Jan de Vries"}  # listed once


def test_search_covers_name_institution_expertise_and_bio(client, network):
    assert _names(client.get("/experts/?q=weber")) == {"Anna Weber"}
    assert _names(client.get("/experts/?q=heidelberg")) == {"Anna Weber"}
    assert _names(client.get("/experts/?q=vector")) == {"Jan de Vries"}  # an expertise area's name
    assert _names(client.get("/experts/?q=advice+cell")) == {"Luc Martin"}  # every word, in the bio
    assert _names(client.get("/experts/?q=nobody")) == set()


def test_facet_counts_are_disjunctive_and_follow_other_filters(client, network):
    response = client.get("/experts/?country=DE")
    assert _facet(response, "country") == {"DE": 2, "FR": 1}  # its own filter left out
    assert _facet(response, "language") == {"de": 2, "en": 1, "nl": 1}
    assert _facet(response, "area") == {"car-t": 2, "oncology": 1, "vector-production": 1}
    assert _facet(response, "atmp_type") == {"gtmp_ex_vivo": 2, "gtmp": 1}
    assert _facet(response, "availability") == {"mentoring": 2, "peer_review": 1}
    page = response.content.decode()
    assert 'name="country" value="DE" id="f-country-1" checked' in page  # the URL's state is the form's


def test_the_network_reach_is_a_chart_with_a_table(client, network):
    response = client.get("/experts/")
    countries = response.context["reach_charts"][0]["bars"]
    assert [(bar["label"], bar["count"]) for bar in countries] == [("Germany", 2), ("France", 1)]
    page = response.content.decode()
    assert "As a table" in page and '<th scope="row" class="fw-normal">Germany</th><td class="text-end">2</td>' in page


def test_approved_experts_see_the_whole_network_anonymous_visitors_the_public_part(client_for, network):
    assert "Unlisted Expert" not in _names(client_for("anonymous").get("/experts/"))
    assert "Unlisted Expert" in _names(client_for("expert").get("/experts/"))


def test_the_home_page_counts_what_a_visitor_can_list(client, network):
    make_user("pending@example.org", role="pending")
    make_user("admin@example.org", role="admin")
    listed = client.get("/experts/").context["page_obj"].paginator.count
    headline = next(h for h in client.get("/").context["headlines"] if h["label"] == "Experts")
    assert headline["count"] == listed == 3


def test_the_api_uses_the_same_filters(client, network):
    body = client.get("/api/experts/?country=DE&area=car-t&language=nl").json()
    assert [p["name"] for p in body["results"]] == ["Jan de Vries"]
    assert body["results"][0]["languages"] == ["de", "nl"]
    assert client.get("/api/experts/?country=&language=").json()["count"] == 3  # empty values: no filter
    bad = client.get("/api/experts/?language=xx")
    assert bad.status_code == 400 and "language" in bad.json()


def test_unknown_values_in_the_page_url_are_ignored_not_an_error(client, network):
    response = client.get("/experts/?country=ZZ&language=xx&page=abc")
    assert response.status_code == 200


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_directory_runs_a_constant_number_of_queries(client_for):
    url = "/experts/?country=DE&area=car-t&q=a"
    client = client_for("expert")
    for i in range(3):
        make_profile(f"few{i}@example.org", display_name=f"A Few {i}", country="DE", areas=["car-t", "oncology"])
    few = _queries(client, url)
    for i in range(30):
        make_profile(f"many{i}@example.org", display_name=f"A Many {i}", country="DE", areas=["car-t", "ethics"],
                     languages=["de", "en"], atmp_types=["tep"])  # fmt: skip
    assert _queries(client, url) == few


def test_approval_email_greets_by_name_or_address(cast, django_capture_on_commit_callbacks):
    from django.core import mail

    from experts.services import expert_approve

    nameless = make_user("nameless@example.org", role="pending")
    named = make_user("named@example.org", role="pending", first_name="Nora", last_name="Named")
    with django_capture_on_commit_callbacks(execute=True):
        for user in (nameless, named):
            expert_approve(profile=user.profile, approved_by=cast["curator"])
    bodies = [m.body for m in mail.outbox]
    assert any(b.startswith("Hello nameless@example.org,") for b in bodies)
    assert any(b.startswith("Hello Nora Named,") for b in bodies)
    assert not any("Unnamed expert" in b for b in bodies)


def test_the_admin_pending_list_shows_only_accounts_waiting_for_approval(client_for, cast):
    response = client_for("curator").get("/admin/experts/expertprofile/?approval=pending")
    listed = {p.user.email for p in response.context["cl"].result_list}
    assert listed == {"pending@example.org"}
    assert set(ExpertProfile.objects.pending().values_list("user__email", flat=True)) == {"pending@example.org"}
