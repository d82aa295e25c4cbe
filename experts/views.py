"""The directory, profiles and the owner's profile form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from facilities.contacts import FacilityContact
from facilities.models import Facility
from platform_site.permissions import is_curator

from .filters import ExpertFilter, directory_facets, network_reach
from .forms import ExpertProfileForm
from .models import ExpertProfile
from .services import profile_update
from .visibility import shown_profile

PAGE_SIZE = 24


@require_GET
def directory(request):
    """/experts/: filters with facet counts, search, the network's reach, one page of profiles."""
    listable = ExpertProfile.objects.listable_by(request.user)
    filterset = ExpertFilter(request.GET, queryset=listable, request=request)
    results = filterset.qs.for_directory().order_by("display_name", "pk")
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    has_filters = any(value for key, value in request.GET.items() if key != "page")
    return render(
        request,
        "experts/index.html",
        {
            "filterset": filterset,
            "facets": directory_facets(data=request.GET, queryset=listable, request=request),
            "reach_charts": network_reach(queryset=listable, request=request),
            "page_obj": page,
            "cards": [shown_profile(profile, request.user) for profile in page.object_list],
            "has_filters": has_filters,
        },
    )


def _visible_profile(request, pk: int) -> ExpertProfile:
    queryset = ExpertProfile.objects.visible_to(request.user).select_related("user")
    return get_object_or_404(queryset.prefetch_related("expertise_areas"), pk=pk)


@require_GET
def profile_detail(request, pk: int):
    profile = _visible_profile(request, pk)
    links = profile.catalogue_links.select_related("product", "trial")
    is_own = profile.is_owned_by(request.user)
    if not (is_own or is_curator(request.user)):
        links = links.confirmed()
    facility_contacts = (
        FacilityContact.objects.confirmed()
        .filter(user=profile.user, facility__in=Facility.objects.public())
        .select_related("facility")
    )
    return render(
        request,
        "experts/detail.html",
        {
            "profile": profile,
            "shown": shown_profile(profile, request.user),
            "links": links,
            "facility_contacts": facility_contacts,
            "is_own": is_own,
            "can_contact": profile.can_be_contacted_by(request.user),
        },
    )


@require_GET
def profile_photo(request, pk: int):
    """The photo, for viewers its owner allows; never a public media URL."""
    profile = _visible_profile(request, pk)
    if not profile.photo or shown_profile(profile, request.user).photo is None:
        raise Http404("No photo")
    try:
        handle = profile.photo.open("rb")
    except FileNotFoundError:
        raise Http404("No photo") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def profile_edit(request):
    profile = request.user.profile
    form = ExpertProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile_update(
            profile=profile,
            fields=form.profile_fields(),
            expertise_areas=form.cleaned_data["expertise_areas"],
            photo=form.cleaned_data["photo"],
            remove_photo=form.cleaned_data["remove_photo"],
        )
        messages.success(request, "Your profile was saved.")
        return redirect("experts:me")
    if request.method == "POST":
        # The form kept the posted values on the instance; show the stored profile beside it.
        profile.refresh_from_db()
    return render(
        request,
        "experts/me.html",
        {"form": form, "profile": profile, "hints": profile.completeness_hints()},
    )
