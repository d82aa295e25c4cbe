"""Pending revisions: an edit of a published record waits beside it; web form, API and sheet re-upload."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import make_user
from trials.imports import cover_sheet_import
from trials.models import CurationStatus, Product, ProductRevision
from trials.revisions import revision_approve, revision_diff, revision_reject
from trials.services import ReviewError, RevisionRefused, TrialChange, product_contribute, product_save

from .factories import ProductFactory, TrialFactory
from .sheet_builder import OLD_TEMPLATE, build_sheet, replace

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(owner):
    product = ProductFactory(name="Revision product", owner=owner, category="", cell_type="T cells")
    TrialFactory(product=product, column_index=0, title="First title", phase="phase_1")
    return product


def _propose(product, user, **data):
    return product_contribute(product=product, data=data, user=user, reason="Fix", source="web").revision


def test_an_experts_edit_waits_and_the_published_version_stays_public(published, owner, client_for):
    revision = _propose(published, owner, category="CAR-T")
    published.refresh_from_db()
    assert published.category == "" and published.curation_status == CurationStatus.PUBLISHED
    assert revision.curation_status == CurationStatus.SUBMITTED
    assert Product.objects.public().filter(pk=published.pk).exists()
    page = client_for("anonymous").get(published.get_absolute_url())
    assert "CAR-T" not in page.content.decode()
    owner_page = client_for("owner").get(published.get_absolute_url()).content.decode()
    assert 'data-testid="pending-revision"' in owner_page


def test_approve_applies_the_change_and_tells_the_author(published, owner, curator, django_capture_on_commit_callbacks):
    trial = published.trials.get()
    revision = product_contribute(
        product=published,
        data={"category": "CAR-T"},
        trials=[TrialChange(trial, {"title": "Better title"}), TrialChange(None, {"phase": "phase_2"})],
        user=owner,
        reason="Titles from the register",
        source="api",
    ).revision
    with django_capture_on_commit_callbacks(execute=True):
        revision_approve(revision=revision, reviewer=curator)
    published.refresh_from_db()
    assert (published.category, published.highest_phase) == ("CAR-T", "phase_2")
    assert list(published.trials.values_list("title", flat=True)) == ["Better title", ""]
    assert published.curation_status == CurationStatus.PUBLISHED
    assert "applied" in mail.outbox[0].subject and mail.outbox[0].to == [owner.email]
    row = published.history.filter(category="CAR-T").last()
    assert (row.history_user, row.history_source) == (owner, "api")


def test_reject_discards_the_change(published, owner, curator):
    revision = _propose(published, owner, category="CAR-T")
    with pytest.raises(ReviewError):
        revision_reject(revision=revision, reviewer=curator, comment="")
    revision_reject(revision=revision, reviewer=curator, comment="Not what the sheet says")
    published.refresh_from_db()
    assert published.category == ""
    assert ProductRevision.objects.get().curation_status == CurationStatus.REJECTED
    assert _propose(published, owner, category="CAR-T") is not None, "a new change may follow a rejected one"


def test_four_eyes_the_author_does_not_approve_their_own_change(published, curator):
    direct = product_contribute(product=published, data={"category": "x"}, user=curator, reason="", source="web")
    assert direct.revision is None, "a curator's own edit of a published record is written directly"
    author = make_user("curating-expert@example.org", role="expert")
    revision = _propose(published, author, category="y")
    author.is_staff = True
    author.save()
    author.groups.set(curator.groups.all())
    with pytest.raises(ReviewError, match="Four eyes"):
        revision_approve(revision=revision, reviewer=type(author).objects.get(pk=author.pk))


def test_a_second_change_is_refused_with_a_message_naming_the_first(published, owner, expert):
    _propose(published, owner, category="CAR-T")
    with pytest.raises(RevisionRefused, match="already has a change waiting"):
        _propose(published, expert, cell_type="NK cells")
    assert ProductRevision.objects.count() == 1


def test_nothing_changed_stores_no_revision(published, owner):
    assert _propose(published, owner, category="", cell_type="T cells") is None
    assert not ProductRevision.objects.exists()


def test_a_conflicting_direct_change_blocks_approval_instead_of_being_overwritten(published, owner, curator):
    revision = _propose(published, owner, cell_type="NK cells")
    product_save(product=published, data={"cell_type": "B cells"}, user=curator, reason="Fixed", source="admin")
    other = make_user("second-curator@example.org", role="curator")
    with pytest.raises(ReviewError, match="changed since this revision"):
        revision_approve(revision=revision, reviewer=other)
    published.refresh_from_db()
    assert published.cell_type == "B cells"
    assert ProductRevision.objects.get().curation_status == CurationStatus.SUBMITTED


def test_the_web_form_refuses_a_second_change_and_the_curator_sees_the_diff(published, owner, client_for):
    _propose(published, owner, category="CAR-T")
    revision = ProductRevision.objects.get()
    assert [(r.label, r.old, r.new) for r in revision_diff(revision)] == [("ATMP_Category", "—", "CAR-T")]
    page = client_for("curator").get(reverse("trials:revision_detail", args=[revision.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "CAR-T" in body and "Apply the change" in body
    queue = client_for("curator").get(reverse("trials:review_queue")).content.decode()
    assert reverse("trials:revision_detail", args=[revision.pk]) in queue
    response = client_for("curator").post(
        reverse("trials:revision_detail", args=[revision.pk]), {"decision": "approve", "comment": ""}
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.category == "CAR-T"


def test_the_api_answers_202_with_the_diff_and_409_for_a_second_change(published, client_for):
    url = f"/api/products/{published.slug}/"
    response = client_for("owner").patch(
        url, {"category": "CAR-T", "change_reason": "From the protocol"}, content_type="application/json"
    )
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["diff"] == [{"where": "Product", "field": "ATMP_Category", "published": "—", "proposed": "CAR-T"}]
    assert Product.objects.get(pk=published.pk).category == ""
    trial = published.trials.get()
    response = client_for("owner").patch(
        f"/api/trials/{trial.pk}/", {"title": "x", "change_reason": "y"}, content_type="application/json"
    )
    assert response.status_code == 409 and "already has a change waiting" in response.json()["detail"]


def test_a_sheet_re_upload_by_the_owner_waits_beside_the_published_record(owner, curator):
    first = cover_sheet_import(file=build_sheet(), imported_by=None, name="car.xlsx")
    assert first.ok, first.as_text()
    product = Product.objects.get(name="DEMO-CAR-19")
    product.owner = owner
    product.save()
    changed = replace(OLD_TEMPLATE, "Cell type", ["NK cells"])
    report = cover_sheet_import(file=build_sheet(changed), imported_by=owner, update=True, name="car.xlsx")
    assert report.ok and report.files[0].action == "update", report.as_text()
    assert "wait for a curator's review" in report.as_text()
    product.refresh_from_db()
    assert product.cell_type == "T cells" and product.curation_status == CurationStatus.PUBLISHED
    revision = ProductRevision.objects.get()
    assert revision.changes["product"] == {"cell_type": {"old": "T cells", "new": "NK cells"}}
    assert revision.source == "sheet"
    revision_approve(revision=revision, reviewer=curator)
    product.refresh_from_db()
    assert product.cell_type == "NK cells"
