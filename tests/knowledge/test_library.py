import datetime
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from experts.knowledge.models import Resource
from experts.knowledge.tasks import check_resource_links
from experts.models import ExpertiseArea

from .conftest import XSS_PAYLOADS, assert_inert


class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        codes = {"/ok": 200, "/missing": 404, "/moved": 301}
        self.send_response(codes.get(self.path, 500))
        if self.path == "/moved":
            self.send_header("Location", "/ok")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_seeded_authorities_are_listed_unverified(client):
    authorities = Resource.objects.filter(kind="authority")
    assert authorities.filter(country="").get().title == "European Medicines Agency (EMA)"
    assert {"DE", "FR", "NO", "IS", "LI"} <= {a.country.code for a in authorities}
    assert authorities.count() == authorities.stale().count() >= 31
    assert not authorities.exclude(scientific_advice="").exists()  # no unsourced facts
    page = client.get("/knowledge/resources/?kind=authority&country=DE").content.decode()
    assert "Paul-Ehrlich-Institut" in page and "Unverified" in page and "AEMPS" not in page


@pytest.mark.django_db
def test_the_link_check_records_each_links_status_against_a_local_server(local_server, client_for):
    Resource.objects.all().delete()  # the seeded sources point at the internet
    ok = Resource.objects.create(title="OK", kind="guideline", source_url=f"{local_server}/ok")
    missing = Resource.objects.create(
        title="Missing", kind="guideline", source_url=f"{local_server}/missing", curation_status="published"
    )
    moved = Resource.objects.create(title="Moved", kind="guideline", source_url=f"{local_server}/moved")
    closed = Resource.objects.create(title="Closed", kind="guideline", source_url="http://127.0.0.1:9/nothing")
    Resource.objects.create(title="No URL", kind="guideline")
    assert check_resource_links() == 4
    for resource, status in [(ok, 200), (missing, 404), (moved, 301), (closed, None)]:
        resource.refresh_from_db()
        assert resource.link_checked_at is not None and resource.link_status == status, resource.title
    assert closed.link_error and missing.link_ok is False and ok.link_ok is True
    assert "Link broken (404)" in client_for("anonymous").get(missing.get_absolute_url()).content.decode()
    # The curators' button runs the same check.
    response = client_for("curator").post("/knowledge/resources/check-links/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_verification_badge_filters_and_search(client_for, curator, time_machine):
    Resource.objects.all().delete()
    area = ExpertiseArea.objects.get(slug="hospital-exemption")
    fresh = Resource.objects.create(title="HE template", kind="template", country="ES", curation_status="published",
                                    last_verified_on=datetime.date.today())  # fmt: skip
    fresh.topics.add(area)
    old = Resource.objects.create(title="Old guideline", kind="guideline", country="FR", curation_status="published",
                                  last_verified_on=datetime.date.today() - datetime.timedelta(days=400))  # fmt: skip
    client = client_for("anonymous")
    assert "more than 12 months" in client.get(old.get_absolute_url()).content.decode()
    assert "more than 12 months" not in client.get(fresh.get_absolute_url()).content.decode()
    assert b"Old guideline" not in client.get("/knowledge/resources/?topic=hospital-exemption").content
    assert b"HE template" not in client.get("/knowledge/resources/?stale=1").content
    assert b"Old guideline" in client.get("/knowledge/resources/?q=old&kind=guideline&country=fr").content
    client_for("curator").post(f"/knowledge/resources/{old.pk}/verify/")
    old.refresh_from_db()
    assert old.last_verified_on == datetime.date.today() and old.verified_by == curator


@pytest.mark.django_db
def test_an_expert_submits_a_resource_and_a_curator_publishes_it(client_for, owner, django_capture_on_commit_callbacks):
    form = {"title": "Academic fee waiver", "kind": "advice", "country": "IT", "description": XSS_PAYLOADS[2],
            "source_url": "https://example.org/fees", "languages": XSS_PAYLOADS[0][:150], "submit": "1"}  # fmt: skip
    client_for("owner").post("/knowledge/resources/new/", form)
    resource = Resource.objects.get(title="Academic fee waiver")
    assert resource.curation_status == "submitted" and resource.owner == owner
    assert client_for("anonymous").get(resource.get_absolute_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client_for("curator").post(f"/knowledge/resources/{resource.pk}/review/", {"decision": "approve"})
    resource.refresh_from_db()
    assert resource.is_published and mail.outbox[0].to == [owner.email]
    assert_inert(client_for("anonymous").get(resource.get_absolute_url()).content.decode())
    # A curator's own resource is published at once.
    client_for("curator").post("/knowledge/resources/new/", {**form, "title": "Curated", "submit": ""})
    assert Resource.objects.get(title="Curated").is_published
