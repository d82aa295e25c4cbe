"""What every knowledge item shares: who may see it, and its review state."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from platform_site.curation import CuratedModel


class Audience(models.TextChoices):
    PUBLIC = "public", "Everyone"
    EXPERTS = "experts", "Approved experts only"


class Reviewed(CuratedModel):
    """A knowledge item curated through platform_site.curation, with its author as `owner`."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, help_text="Fictional record created by load_demo.")

    class Meta:
        abstract = True

    # The word the knowledge pages use for CuratedModel.is_public.
    is_published = CuratedModel.is_public

    def is_owned_by(self, user) -> bool:
        return self.owner_id is not None and self.owner_id == user.pk
