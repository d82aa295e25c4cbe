"""Writing case studies: save with their parts, confirm named experts, and the review flow."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from platform_site.curation import CurationFlow, Notification, tag_history

from ..models import CaseStudy, CaseStudyExpert


def _unique_slug(case: CaseStudy) -> str:
    base = slugify(case.title)[:200] or "case-study"
    slug, n = base, 1
    while CaseStudy.objects.filter(slug=slug).exclude(pk=case.pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def case_study_save(*, form, formsets, author) -> CaseStudy:
    """Save a case study form and its inline formsets (timeline, routes, SWOTs, hurdles, experts)."""
    case = form.save(commit=False)
    if case.owner_id is None:
        case.owner = author
    if not case.slug:
        case.slug = _unique_slug(case)
    tag_history(case, user=author, reason="Edited" if case.pk else "Created", source="web")
    case.save()
    for formset in formsets:
        formset.instance = case
        formset.save()
    return case


@transaction.atomic
def case_expert_confirm(*, link: CaseStudyExpert, expert) -> CaseStudyExpert:
    """The named expert confirms their part in the case; only confirmed links are shown."""
    if link.expert_id != expert.pk:
        raise PermissionError("Only the named expert confirms their link.")
    if link.confirmed_at is None:
        link.confirmed_at = timezone.now()
        link.save(update_fields=["confirmed_at"])
    return link


class CaseStudyFlow(CurationFlow):
    """Case studies go through the platform's one submit -> review -> publish flow."""

    contributor_field = "owner"
    label = "case study"

    def on_publish(self, obj, reviewer) -> None:
        if obj.published_at is None:
            obj.published_at = timezone.now()
            obj.save(update_fields=["published_at"])

    def notification(self, obj, *, approved: bool) -> Notification:
        verdict = "approved" if approved else "not approved"
        return Notification(
            subject=f"Your case study “{obj}” was {verdict}",
            template="knowledge/email/reviewed.txt",
            context={"item": obj, "verdict": verdict, "comment": obj.review_comment},
        )


case_flow = CaseStudyFlow()


def case_study_submit(*, case: CaseStudy, submitted_by) -> CaseStudy:
    return case_flow.submit(obj=case, submitted_by=submitted_by, source="web")


def case_study_approve(*, case: CaseStudy, reviewer, comment: str = "") -> CaseStudy:
    return case_flow.approve(obj=case, reviewer=reviewer, comment=comment)


def case_study_reject(*, case: CaseStudy, reviewer, comment: str) -> CaseStudy:
    return case_flow.reject(obj=case, reviewer=reviewer, comment=comment)
