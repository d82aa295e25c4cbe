"""The regulatory resource library: filter and search, detail, writing, review, verification, link check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_countries import countries

from experts.models import ExpertiseArea
from platform_site.curation import ReviewError
from platform_site.permissions import can_edit, curator_required, expert_required, is_curator

from ..forms import ResourceForm, ReviewForm
from ..models import Resource, ResourceKind
from ..services import library as service
from ..tasks import check_resource_links


def resource_list(request):
    resources = Resource.objects.visible_to(request.user).prefetch_related("topics")
    params = {key: request.GET.get(key, "").strip()[:200] for key in ("kind", "country", "topic", "q", "stale")}
    if params["kind"] in ResourceKind.values:
        resources = resources.filter(kind=params["kind"])
    if params["country"] == "EU":
        resources = resources.filter(country="")
    elif len(params["country"]) == 2:
        resources = resources.filter(country=params["country"].upper())
    if params["topic"]:
        resources = resources.filter(topics__slug=params["topic"])
    if params["q"]:
        resources = resources.filter(Q(title__icontains=params["q"]) | Q(description__icontains=params["q"]))
    if params["stale"] == "1":
        resources = resources.stale()
    page = Paginator(resources.distinct(), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/resource_list.html",
        {
            "page_obj": page,
            "resources": page.object_list,
            "params": params,
            "kinds": ResourceKind.choices,
            "countries": list(countries),
            "topics": ExpertiseArea.objects.all(),
        },
    )


def resource_detail(request, pk):
    resource = get_object_or_404(Resource.objects.visible_to(request.user).select_related("authority"), pk=pk)
    return render(
        request,
        "knowledge/resource_detail.html",
        {
            "resource": resource,
            "offers": Resource.objects.visible_to(request.user).filter(authority=resource),
            "can_edit": can_edit(request.user, resource),
            "review_form": ReviewForm() if is_curator(request.user) else None,
        },
    )


def _resource_form_page(request, resource=None):
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        was_published = resource is not None and resource.is_public
        resource = service.resource_save(form=form, author=request.user)
        if not is_curator(request.user) and ("submit" in request.POST or was_published):
            service.resource_submit(resource=resource, submitted_by=request.user)
            messages.success(request, "Resource submitted for review.")
        else:
            messages.success(request, "Resource saved.")
        return redirect(resource)
    return render(request, "knowledge/resource_form.html", {"form": form, "resource": resource})


@expert_required
def resource_create(request):
    return _resource_form_page(request)


@expert_required
def resource_edit(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    if not can_edit(request.user, resource):
        raise Http404
    return _resource_form_page(request, resource)


@require_POST
@expert_required
def resource_submit(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    if not can_edit(request.user, resource):
        raise PermissionDenied
    service.resource_submit(resource=resource, submitted_by=request.user)
    messages.success(request, "Resource submitted for review.")
    return redirect(resource)


@require_POST
@curator_required
def resource_review(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or reject.")
        return redirect(resource)
    review = service.resource_approve if form.cleaned_data["decision"] == "approve" else service.resource_reject
    try:
        review(resource=resource, reviewer=request.user, comment=form.cleaned_data["comment"])
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Review recorded; the author is e-mailed.")
    return redirect(resource)


@require_POST
@curator_required
def resource_verify(request, pk):
    resource = get_object_or_404(Resource, pk=pk)
    service.resource_verify(resource=resource, curator=request.user)
    messages.success(request, "Marked as verified today.")
    return redirect(resource)


@require_POST
@curator_required
def resource_check_links(request):
    transaction.on_commit(check_resource_links.delay)
    messages.success(request, "The link check is running; each resource shows its link's last answer.")
    return redirect("knowledge:resource_list")
