"""The product's review: platform_site.curation's flow with the trials' hooks."""

from __future__ import annotations

from django.urls import reverse

from platform_site.curation import CurationFlow, Notification

from ..models import Product, Trial
from .records import follow_highest_phase


# --- Review ------------------------------------------------------------------------------
class ProductCuration(CurationFlow):
    """The product's review: a product and its trials are reviewed together."""

    contributor_field = "owner"
    label = "ATMP record"

    def contributor_ids(self, obj: Product) -> set[int]:
        users = super().contributor_ids(obj)
        trial_history = Trial.history.filter(product_id=obj.pk)
        if obj.submitted_at is not None:
            trial_history = trial_history.filter(history_date__gte=obj.submitted_at)
        users.update(uid for uid in trial_history.values_list("history_user_id", flat=True).distinct() if uid)
        return users

    def on_publish(self, obj: Product, reviewer) -> None:
        follow_highest_phase(obj, user=reviewer, reason="Approved", source="review")

    def notification(self, obj: Product, *, approved: bool) -> Notification:
        verdict = "approved" if approved else "not approved"
        return Notification(
            subject=f"Your ATMP record “{obj.name}” was {verdict}",
            template="trials/email/reviewed.txt",
            context={
                "product": obj,
                "approved": approved,
                "comment": obj.review_comment,
                "path": reverse("trials:product_detail", args=[obj.slug]),
            },
        )


PRODUCT_CURATION = ProductCuration()


def product_submit(*, product: Product, submitted_by, reason: str = "", source: str = "review") -> Product:
    """Send a draft, a rejected record or an edit to the review queue; a waiting one stays as it is.

    Sets status SUBMITTED and the submission time, clears the last decision, makes
    ``submitted_by`` the owner when there is none; one history row with the reason.
    """
    return PRODUCT_CURATION.submit(obj=product, submitted_by=submitted_by, reason=reason, source=source)


def product_approve(*, product: Product, reviewer, comment: str = "") -> Product:
    """Publish a submitted product with its trials (four eyes); raises ReviewError when not allowed.

    Records reviewer, time and comment; history reason "Approved[: comment]"; e-mails the owner.
    """
    return PRODUCT_CURATION.approve(obj=product, reviewer=reviewer, comment=comment)


def product_reject(*, product: Product, reviewer, comment: str) -> Product:
    """Send a submission back to its owner; ``comment`` (why) is required; raises ReviewError.

    Records reviewer, time and comment; history reason "Rejected: comment"; e-mails the owner.
    """
    return PRODUCT_CURATION.reject(obj=product, reviewer=reviewer, comment=comment)
