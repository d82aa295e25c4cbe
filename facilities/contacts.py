"""Facility contacts: experts who speak for a facility once a curator has confirmed it.

A confirmed contact keeps the facility's service offer and answers the hub's
requests for it. The claim is made by the expert on the facility page; a curator
confirms it (review page or admin action). Other apps read the confirmed links
through ``user.facility_contacts.confirmed()``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class FacilityContactQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at__isnull=True)

    def of(self, facility):
        return self.filter(facility=facility)


class FacilityContact(models.Model):
    """An expert's link to a facility, in a role there (e.g. "quality assurance")."""

    facility = models.ForeignKey("facilities.Facility", on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facility_contacts")
    role = models.CharField(max_length=120, help_text='The role at the facility, e.g. "quality assurance".')
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FacilityContactQuerySet.as_manager()

    class Meta:
        ordering = ["facility", "-confirmed_at", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "user"], name="facilitycontact_one_per_user"),
            # Confirmation names who confirmed (until that curator's account is deleted) and when.
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True, confirmed_by__isnull=True)
                | models.Q(confirmed_at__isnull=False),
                name="facilitycontact_confirmed_by_only_when_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) at {self.facility.name}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def get_absolute_url(self) -> str:
        return reverse("facilities:contacts")


def is_confirmed_contact(user, facility) -> bool:
    if not user.is_authenticated:
        return False
    return FacilityContact.objects.confirmed().filter(facility=facility, user=user).exists()


def can_keep_offer(user, facility) -> bool:
    """The facility's service offer is kept by its confirmed contacts (while experts) and by curators."""
    from platform_site.permissions import is_curator, is_expert

    return is_curator(user) or (is_expert(user) and is_confirmed_contact(user, facility))
