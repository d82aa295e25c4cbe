"""The curation workflow: experts submit, curators approve or reject (four eyes).

A product and its trials are reviewed together: the product's
``curation_status`` decides whether either is public. Nobody approves a record
they submitted or changed since it was submitted, so every published record has
been seen by a second person. The contributor is e-mailed after commit.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from platform_site.notifications import notify_user
from platform_site.permissions import is_curator

from .models import CurationStatus, Product, Trial


class ReviewError(ValueError):
    """A review step that is not allowed; the message says why, for the reviewer."""


def product_contributors_since_submission(product: Product) -> set[int]:
    """Ids of everyone who submitted or changed the product or its trials in this round.

    History rows written since the submission name who made each change; the
    owner counts too (they submitted it), even when no history user was recorded.
    """
    users: set[int] = set()
    if product.owner_id:
        users.add(product.owner_id)
    since = product.submitted_at
    product_history = Product.history.filter(id=product.pk)
    trial_history = Trial.history.filter(product_id=product.pk)
    if since is not None:
        product_history = product_history.filter(history_date__gte=since)
        trial_history = trial_history.filter(history_date__gte=since)
    for history in (product_history, trial_history):
        users.update(uid for uid in history.values_list("history_user_id", flat=True).distinct() if uid)
    return users


def _save_with_reason(product: Product, reason: str, fields: list[str]) -> None:
    # simple_history stores the reason on the history row this save creates.
    product._change_reason = reason[:100]
    product.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def product_submit(*, product: Product, submitted_by, reason: str = "") -> Product:
    """Send a draft, a rejected record or an edit of a published one to the review queue."""
    if product.curation_status == CurationStatus.SUBMITTED and product.submitted_at:
        return product
    product.curation_status = CurationStatus.SUBMITTED
    product.submitted_at = timezone.now()
    product.reviewed_by = None
    product.reviewed_at = None
    product.review_comment = ""
    if product.owner_id is None:
        product.owner = submitted_by
    product._history_user = submitted_by
    _save_with_reason(
        product,
        reason or "Submitted for review",
        ["curation_status", "submitted_at", "reviewed_by", "reviewed_at", "review_comment", "owner"],
    )
    return product


def _check_reviewer(product: Product, reviewer) -> None:
    if not is_curator(reviewer):
        raise ReviewError("Only curators review submissions.")
    if product.curation_status != CurationStatus.SUBMITTED:
        raise ReviewError(f"“{product}” is not waiting for review (it is {product.get_curation_status_display()}).")
    if reviewer.pk in product_contributors_since_submission(product):
        raise ReviewError(f"Four eyes: you submitted or changed “{product}”, so another curator must review it.")


def _notify_contributor(product: Product, *, approved: bool) -> None:
    owner = product.owner
    if owner is None or not owner.email:
        return
    verdict = "approved" if approved else "not approved"
    notify_user(
        owner,
        subject=f"Your ATMP record “{product.name}” was {verdict}",
        template="trials/email/reviewed.txt",
        context={
            "product": product,
            "approved": approved,
            "comment": product.review_comment,
            "path": reverse("trials:product_detail", args=[product.slug]),
        },
    )


def _record_decision(product: Product, reviewer, status: str, comment: str, reason: str) -> Product:
    """Lock the product, check the four eyes, and save the decision with its reason in the history."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    _check_reviewer(product, reviewer)
    product.curation_status = status
    product.reviewed_by = reviewer
    product.reviewed_at = timezone.now()
    product.review_comment = comment
    product._history_user = reviewer
    _save_with_reason(product, reason, ["curation_status", "reviewed_by", "reviewed_at", "review_comment"])
    return product


@transaction.atomic
def product_approve(*, product: Product, reviewer, comment: str = "") -> Product:
    """Publish a submitted product with its trials; raises ReviewError when not allowed."""
    comment = comment.strip()
    reason = f"Approved: {comment}" if comment else "Approved"
    product = _record_decision(product, reviewer, CurationStatus.PUBLISHED, comment, reason)
    product.refresh_highest_phase()
    _notify_contributor(product, approved=True)
    return product


@transaction.atomic
def product_reject(*, product: Product, reviewer, comment: str) -> Product:
    """Send a submission back to its contributor; a comment saying why is required."""
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError("Say why the submission is rejected: the contributor reads this comment.")
    product = _record_decision(product, reviewer, CurationStatus.REJECTED, comment, f"Rejected: {comment}")
    _notify_contributor(product, approved=False)
    return product
