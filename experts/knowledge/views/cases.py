"""Case studies: list with filters, detail, the comparison pages, writing and review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_countries import countries

from platform_site.curation import CurationStatus, ReviewError
from platform_site.permissions import can_edit, curator_required, expert_required, is_curator
from trials.models import AtmpType, Phase

from ..forms import CaseStudyForm, ReviewForm, case_formsets
from ..models import CaseStudy, CaseStudyExpert, CountrySwot, HurdleCategory
from ..services.cases import (
    case_expert_confirm,
    case_study_approve,
    case_study_reject,
    case_study_save,
    case_study_submit,
)

MAX_COMPARED = 4


def _visible(request):
    return CaseStudy.objects.visible_to(request.user)


def case_list(request):
    params = {key: request.GET.get(key, "") for key in ("atmp_type", "country", "hurdle", "stage")}
    cases = _visible(request).filtered(**params).select_related("owner__profile")
    page = Paginator(cases, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/case_list.html",
        {
            "page_obj": page,
            "cases": page.object_list,
            "params": params,
            "atmp_types": AtmpType.choices,
            "stages": Phase.choices,
            "hurdle_categories": HurdleCategory.choices,
            "countries": list(countries),
            "filtered": any(params.values()),
        },
    )


def _get_case(request, slug):
    return get_object_or_404(_visible(request).select_related("product", "owner__profile"), slug=slug)


def case_detail(request, slug):
    case = _get_case(request, slug)
    links = case.expert_links.select_related("expert__profile")
    return render(
        request,
        "knowledge/case_detail.html",
        {
            "case": case,
            "confirmed_experts": [link for link in links if link.confirmed_at],
            "my_unconfirmed_link": next(
                (link for link in links if link.expert_id == request.user.pk and not link.confirmed_at), None
            ),
            "hurdles": [(label, cells[0]) for label, cells in _hurdles_by_category([case])],
            "can_edit": can_edit(request.user, case),
            "review_form": ReviewForm() if is_curator(request.user) else None,
        },
    )


def _hurdles_by_category(cases):
    """[(category label, [[hurdles of case 1], [hurdles of case 2], ...]), ...] for cases side by side."""
    rows = []
    for value, label in HurdleCategory.choices:
        cells = [[h for h in case.hurdles.all() if h.category == value] for case in cases]
        if any(cells):
            rows.append((label, cells))
    return rows


def case_swot(request, slug):
    """The SWOTs of one case side by side across its countries."""
    case = _get_case(request, slug)
    swots = list(case.swots.all())
    quadrants = [(name, CountrySwot._meta.get_field(name).verbose_name, [getattr(s, name) for s in swots])
                 for name in CountrySwot.QUADRANTS]  # fmt: skip
    return render(request, "knowledge/case_swot.html", {"case": case, "swots": swots, "quadrants": quadrants})


def case_compare(request):
    """The hurdles of several cases side by side (?case=slug&case=slug)."""
    slugs = [s for s in request.GET.getlist("case") if s][:MAX_COMPARED]
    by_slug = {c.slug: c for c in _visible(request).filter(slug__in=slugs).prefetch_related("hurdles")}
    cases = [by_slug[s] for s in dict.fromkeys(slugs) if s in by_slug]
    choices = _visible(request).filter(curation_status=CurationStatus.PUBLISHED).values_list("slug", "title")
    return render(
        request,
        "knowledge/case_compare.html",
        {"cases": cases, "rows": _hurdles_by_category(cases), "choices": choices, "selected": slugs},
    )


def _case_form_page(request, case=None):
    form = CaseStudyForm(request.POST or None, instance=case, user=request.user)
    formsets = case_formsets(request.POST or None, instance=case or CaseStudy())
    if request.method == "POST" and form.is_valid() and all(fs.is_valid() for _t, fs in formsets):
        was_published = case is not None and case.is_public
        case = case_study_save(form=form, formsets=[fs for _t, fs in formsets], author=request.user)
        if "submit" in request.POST or (was_published and not is_curator(request.user)):
            # An edit of a published case goes back to review, as trials records do.
            case_study_submit(case=case, submitted_by=request.user)
            messages.success(request, "Case study submitted for review.")
        else:
            messages.success(request, "Case study saved as a draft.")
        return redirect(case)
    return render(request, "knowledge/case_form.html", {"form": form, "formsets": formsets, "case": case})


@expert_required
def case_create(request):
    return _case_form_page(request)


@expert_required
def case_edit(request, slug):
    case = get_object_or_404(CaseStudy, slug=slug)
    if not can_edit(request.user, case):
        raise Http404
    return _case_form_page(request, case)


@require_POST
@expert_required
def case_submit(request, slug):
    case = get_object_or_404(CaseStudy, slug=slug)
    if not can_edit(request.user, case):
        raise PermissionDenied
    case_study_submit(case=case, submitted_by=request.user)
    messages.success(request, "Case study submitted for review.")
    return redirect(case)


@require_POST
@curator_required
def case_review(request, slug):
    case = get_object_or_404(CaseStudy, slug=slug)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or reject.")
        return redirect(case)
    review = case_study_approve if form.cleaned_data["decision"] == "approve" else case_study_reject
    try:
        review(case=case, reviewer=request.user, comment=form.cleaned_data["comment"])
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Review recorded; the author is e-mailed.")
    return redirect(case)


@require_POST
@expert_required
def case_confirm(request, slug):
    case = _get_case(request, slug)
    link = get_object_or_404(CaseStudyExpert, case=case, expert=request.user)
    case_expert_confirm(link=link, expert=request.user)
    messages.success(request, "You are now shown as an expert on this case study.")
    return redirect(case)
