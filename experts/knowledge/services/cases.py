"""Writing case studies: save with their parts, confirm named experts, and the review flow."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

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
    case._history_user = author
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
