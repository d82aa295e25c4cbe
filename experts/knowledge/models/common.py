"""What every knowledge item shares: who may see it, and its review state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from platform_site.curation import CuratedModel, CurationStatus


class Audience(models.TextChoices):
    PUBLIC = "public", "Everyone"
    EXPERTS = "experts", "Approved experts only"


class ReviewedQuerySet(models.QuerySet):
    """Items published after curator review: public once published, else owner and curators only."""

    def public(self):
        return self.filter(curation_status=CurationStatus.PUBLISHED)

    def visible_to(self, user):
        from platform_site.permissions import is_curator

        if is_curator(user):
            return self
        if user.is_authenticated:
            return self.filter(Q(curation_status=CurationStatus.PUBLISHED) | Q(owner=user))
        return self.public()

    def awaiting_review(self):
        return self.filter(curation_status=CurationStatus.SUBMITTED)


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

    @property
    def is_published(self) -> bool:
        return self.curation_status == CurationStatus.PUBLISHED

    def is_owned_by(self, user) -> bool:
        return self.owner_id is not None and self.owner_id == user.pk
