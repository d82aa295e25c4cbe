"""Account flows that touch several models: approving and revoking experts."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse

from platform_site.notifications import notify_user
from platform_site.roles import EXPERT_GROUP

from .models import ExpertProfile


@transaction.atomic
def expert_approve(*, profile: ExpertProfile, approved_by) -> bool:
    """Make the profile's user an expert and e-mail them. False if already approved."""
    if profile.is_approved:
        return False
    profile.mark_approved(approved_by)
    profile.save(update_fields=["approved_at", "approved_by", "updated_at"])
    profile.user.groups.add(Group.objects.get(name=EXPERT_GROUP))
    notify_user(
        profile.user,
        subject="You are now an expert on the ATMP Expert Platform",
        template="experts/email/approved.txt",
        context={"profile": profile, "path": reverse("experts:me")},
    )
    return True


@transaction.atomic
def expert_revoke(*, profile: ExpertProfile) -> None:
    profile.approved_at = None
    profile.approved_by = None
    profile.save(update_fields=["approved_at", "approved_by", "updated_at"])
    profile.user.groups.remove(Group.objects.get(name=EXPERT_GROUP))
