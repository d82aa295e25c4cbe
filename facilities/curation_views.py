"""Curation pages: expert corrections reviewed by curators, links to trial products."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from platform_site.permissions import curator_required, expert_required, is_curator, is_expert

from . import services
from .forms import CorrectionDecisionForm, FacilityCorrectionForm
from .models import CorrectionStatus, Facility, FacilityCorrection
from .views import get_visible_facility


# --- Corrections ------------------------------------------------------------------------
@expert_required
@require_http_methods(["GET", "POST"])
def correction_create(request, key: str):
    facility = get_visible_facility(request, key)
    form = FacilityCorrectionForm(request.POST or None, instance=Facility.objects.get(pk=facility.pk))
    if request.method == "POST" and form.is_valid():
        services.correction_propose(
            facility=facility, proposed_by=request.user, changes=form.changes(), reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Thank you: a curator will review your correction. You will get an e-mail.")
        return redirect(facility)
    return render(request, "facilities/correction_form.html", {"facility": facility, "form": form})


@curator_required
def correction_list(request):
    status = request.GET.get("status", CorrectionStatus.PENDING)
    if status not in CorrectionStatus.values and status != "all":
        status = CorrectionStatus.PENDING
    corrections = FacilityCorrection.objects.select_related("facility", "proposed_by", "reviewed_by")
    if status != "all":
        corrections = corrections.filter(status=status)
    page = Paginator(corrections, 50).get_page(request.GET.get("page"))
    for correction in page:
        correction.field_labels = [_field_label(name) for name in correction.changes]
    context = {"page_obj": page, "status": status, "statuses": [*CorrectionStatus.choices, ("all", "All")]}
    return render(request, "facilities/correction_list.html", context)


def _field_label(name: str) -> str:
    try:
        return str(Facility._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


@require_http_methods(["GET", "POST"])
def correction_review(request, pk: int):
    """Curators decide; the expert who proposed it may follow it here."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    correction = get_object_or_404(FacilityCorrection.objects.select_related("facility", "proposed_by"), pk=pk)
    curator = is_curator(request.user)
    if not (curator or (is_expert(request.user) and correction.is_owned_by(request.user))):
        raise PermissionDenied
    form = CorrectionDecisionForm(request.POST or None) if curator else None
    if request.method == "POST":
        if not curator:
            raise PermissionDenied
        if form.is_valid():
            return _decide(request, correction, form)
    known = {f.name for f in Facility._meta.get_fields()}
    rows = [
        (
            name,
            _field_label(name),
            correction.previous.get(name, ""),
            services.field_text(correction.facility, name),
            value,
        )
        for name, value in correction.changes.items()
        if name in known
    ]
    return render(
        request,
        "facilities/correction_review.html",
        {"correction": correction, "rows": rows, "form": form, "is_curator": curator},
    )


def _decide(request, correction, form):
    action = services.correction_accept if form.cleaned_data["decision"] == "accept" else services.correction_reject
    try:
        action(correction=correction, reviewer=request.user, comment=form.cleaned_data["comment"])
    except services.CorrectionAlreadyDecided as error:
        messages.warning(request, f"This correction was already decided ({error}).")
    except ValidationError as error:
        # A proposal made stale by later edits (or invalid values) comes back as a message; nothing changes.
        messages.error(request, f"Nothing was changed: the proposed values are not valid: {'; '.join(error.messages)}")
        return redirect(correction)
    else:
        correction.refresh_from_db()
        messages.success(request, f"Correction {correction.get_status_display().lower()}: the proposer is notified.")
    return redirect(reverse("facilities:corrections"))


# --- Links to trial products ------------------------------------------------------------
@curator_required
def sitelink_suggestions(request):
    suggestions = services.sitelink_suggestions()
    return render(request, "facilities/sitelinks.html", {"suggestions": suggestions})


@curator_required
@require_POST
def sitelink_confirm(request):
    from trials.models import Product

    try:
        product = Product.objects.get(pk=int(request.POST.get("product", "")))
        facility = Facility.objects.get(pk=int(request.POST.get("facility", "")))
    except (ValueError, Product.DoesNotExist, Facility.DoesNotExist):
        raise Http404("No such product or facility") from None
    services.sitelink_confirm(
        product_id=product.pk,
        facility=facility,
        source_text=request.POST.get("source_text", ""),
        confirmed_by=request.user,
    )
    messages.success(request, f"Linked: {product.name} is made at {facility.name}.")
    return redirect("facilities:sitelinks")
