"""Writing the resource library: save, the review flow, a curator's verification, the link check."""

from __future__ import annotations

import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from platform_site.curation import CurationFlow, CurationStatus, Notification, tag_history
from platform_site.permissions import is_curator

from ..models import Resource


class ResourceFlow(CurationFlow):
    """Resources submitted by experts are published after curator review, like case studies."""

    contributor_field = "owner"
    label = "resource"

    def notification(self, obj, *, approved: bool) -> Notification:
        verdict = "approved" if approved else "not approved"
        return Notification(
            subject=f"Your resource “{obj}” was {verdict}",
            template="knowledge/email/reviewed.txt",
            context={"item": obj, "verdict": verdict, "comment": obj.review_comment},
        )


resource_flow = ResourceFlow()


@transaction.atomic
def resource_save(*, form, author) -> Resource:
    """Curators publish directly; an expert's resource waits as a draft until they submit it."""
    resource = form.save(commit=False)
    if resource.owner_id is None:
        resource.owner = author
    if resource.pk is None and is_curator(author):
        resource.curation_status = CurationStatus.PUBLISHED
    tag_history(resource, user=author, reason="Edited" if resource.pk else "Created", source="web")
    resource.save()
    form.save_m2m()
    return resource


def resource_submit(*, resource: Resource, submitted_by) -> Resource:
    return resource_flow.submit(obj=resource, submitted_by=submitted_by, source="web")


def resource_approve(*, resource: Resource, reviewer, comment: str = "") -> Resource:
    return resource_flow.approve(obj=resource, reviewer=reviewer, comment=comment)


def resource_reject(*, resource: Resource, reviewer, comment: str) -> Resource:
    return resource_flow.reject(obj=resource, reviewer=reviewer, comment=comment)


@transaction.atomic
def resource_verify(*, resource: Resource, curator) -> Resource:
    """A curator checked the resource against its source today."""
    if not is_curator(curator):
        raise PermissionError("Only curators verify resources.")
    resource.last_verified_on = timezone.localdate()
    resource.verified_by = curator
    tag_history(resource, user=curator, reason="Verified against its source", source="web")
    resource.save(update_fields=["last_verified_on", "verified_by", "updated_at"])
    return resource


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Record a redirect as the link's answer instead of following it elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def resource_link_check(*, resource_id: int) -> Resource | None:
    """Fetch the source URL once (HEAD) and record its status or error; returns None if claimed elsewhere."""
    started = timezone.now()
    # Claim: a second check of the same resource within a minute (a re-delivered task) does nothing.
    recently = started - timezone.timedelta(minutes=1)
    claimed = (
        Resource.objects.filter(pk=resource_id)
        .exclude(source_url="")
        .exclude(link_checked_at__gt=recently)
        .update(link_checked_at=started)
    )
    if not claimed:
        return None
    resource = Resource.objects.get(pk=resource_id)
    status, error = None, ""
    if not resource.source_url.lower().startswith(("http://", "https://")):
        error = "Not an http(s) URL"
    else:
        request = urllib.request.Request(  # noqa: S310 - scheme checked just above
            resource.source_url, method="HEAD", headers={"User-Agent": "ATMP-Expert-Platform link check"}
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=settings.KNOWLEDGE_LINK_CHECK_TIMEOUT) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, OSError, ValueError) as exc:
            error = str(getattr(exc, "reason", exc))[:200] or exc.__class__.__name__
    Resource.objects.filter(pk=resource_id).update(link_status=status, link_error=error)
    resource.link_status, resource.link_error = status, error
    return resource
