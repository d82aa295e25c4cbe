import pytest
from django.core import mail

from trials.models import CurationStatus, Product
from trials.services import ReviewError, product_approve, product_reject, product_submit

from .factories import ProductFactory, TrialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(owner):
    product = ProductFactory(curation_status=CurationStatus.DRAFT, owner=owner)
    TrialFactory(product=product)
    return product_submit(product=product, submitted_by=owner)


def test_submit_puts_the_product_in_the_queue(submission):
    assert submission.curation_status == CurationStatus.SUBMITTED
    assert submission.submitted_at is not None
    assert list(Product.objects.awaiting_review()) == [submission]
    assert not Product.objects.public().exists()


def test_approve_publishes_and_mails_the_contributor(submission, curator, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product_approve(product=submission, reviewer=curator, comment="Looks right")
    submission.refresh_from_db()
    assert submission.curation_status == CurationStatus.PUBLISHED
    assert submission.reviewed_by == curator
    assert submission.review_comment == "Looks right"
    assert submission.highest_phase == "phase_1"
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "approved" in mail.outbox[0].subject
    assert "Looks right" in mail.outbox[0].body
    latest = submission.history.first()
    assert latest.history_user == curator
    assert latest.history_change_reason.startswith("Approved")


def test_reject_needs_a_comment_and_mails_it(submission, curator, owner, django_capture_on_commit_callbacks):
    with pytest.raises(ReviewError):
        product_reject(product=submission, reviewer=curator, comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        product_reject(product=submission, reviewer=curator, comment="Phase is missing")
    submission.refresh_from_db()
    assert submission.curation_status == CurationStatus.REJECTED
    assert "Phase is missing" in mail.outbox[0].body
    assert "not approved" in mail.outbox[0].subject


def test_nobody_approves_their_own_submission(curator):
    product = ProductFactory(curation_status=CurationStatus.DRAFT, owner=curator)
    product_submit(product=product, submitted_by=curator)
    with pytest.raises(ReviewError, match="Four eyes"):
        product_approve(product=product, reviewer=curator)
    product.refresh_from_db()
    assert product.curation_status == CurationStatus.SUBMITTED


def test_a_curator_who_edited_the_submission_cannot_approve_it(submission, curator, admin_user):
    trial = submission.trials.get()
    trial.title = "Corrected title"
    trial._history_user = curator
    trial.save()
    with pytest.raises(ReviewError, match="Four eyes"):
        product_approve(product=submission, reviewer=curator)
    product_approve(product=submission, reviewer=admin_user)
    submission.refresh_from_db()
    assert submission.curation_status == CurationStatus.PUBLISHED


def test_experts_cannot_review(submission, expert):
    with pytest.raises(ReviewError):
        product_approve(product=submission, reviewer=expert)


def test_only_submitted_products_are_reviewed(curator):
    product = ProductFactory(curation_status=CurationStatus.PUBLISHED)
    with pytest.raises(ReviewError, match="not waiting"):
        product_approve(product=product, reviewer=curator)
