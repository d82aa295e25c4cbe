"""Experts linked to the catalogue: a role on a product or a trial, confirmed by a curator.

Confirmed links show on the expert's profile and on the product page, for public
profiles only; an unconfirmed claim is visible to its expert and to curators.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CatalogueRole(models.TextChoices):
    PRINCIPAL_INVESTIGATOR = "principal_investigator", "Principal investigator"
    SPONSOR_CONTACT = "sponsor_contact", "Sponsor contact"
    DEVELOPER = "developer", "Developer"
    MANUFACTURER = "manufacturer", "Manufacturer"
    ADVISOR = "advisor", "Advisor"


class CatalogueLinkQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def awaiting_confirmation(self):
        return self.filter(confirmed_at__isnull=True)

    def shown_publicly(self):
        """Confirmed links of public profiles on published records: what a product page lists."""
        from experts.models import ExpertProfile

        return self.confirmed().filter(profile__in=ExpertProfile.objects.public(), product__curation_status="published")

    def for_product_page(self, product):
        return (
            self.shown_publicly()
            .filter(product=product)
            .select_related("profile__user", "trial")
            .order_by("role", "profile__display_name")
        )


class CatalogueLink(models.Model):
    """An expert's role on a product (and, if given, one of its trials)."""

    profile = models.ForeignKey("experts.ExpertProfile", on_delete=models.CASCADE, related_name="catalogue_links")
    product = models.ForeignKey("trials.Product", on_delete=models.CASCADE, related_name="expert_links")
    trial = models.ForeignKey(
        "trials.Trial", null=True, blank=True, on_delete=models.CASCADE, related_name="expert_links"
    )
    role = models.CharField(max_length=32, choices=CatalogueRole.choices)
    note = models.CharField(max_length=300, blank=True, help_text="For the curator: how they can check this role.")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CatalogueLinkQuerySet.as_manager()

    class Meta:
        ordering = ["product__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "product", "trial", "role"], name="cataloguelink_unique"),
        ]

    def __str__(self) -> str:
        target = f"{self.product} / {self.trial}" if self.trial_id else str(self.product)
        return f"{self.get_role_display()} on {target}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
