"""Hub pages: facility contacts (claimed by experts, confirmed by curators)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from platform_site.permissions import curator_required, expert_required

from . import hub_services
from .contacts import FacilityContact
from .views import get_visible_facility


class ContactClaimForm(forms.Form):
    role = forms.CharField(
        label="Your role at the facility",
        max_length=120,
        help_text='e.g. "quality assurance", "head of manufacturing", "qualified person".',
    )


@expert_required
@require_POST
def contact_claim(request, key: str):
    facility = get_visible_facility(request, key)
    form = ContactClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what your role at the facility is.")
        return redirect(facility)
    try:
        hub_services.contact_claim(facility=facility, user=request.user, role=form.cleaned_data["role"])
    except hub_services.AlreadyClaimed:
        messages.info(request, "You are already listed as a contact of this facility.")
    else:
        messages.success(request, "Thank you: a curator will confirm that you are a contact of this facility.")
    return redirect(facility)


@curator_required
def contact_list(request):
    contacts = FacilityContact.objects.select_related("facility", "user", "confirmed_by")
    context = {"pending": contacts.pending(), "confirmed": contacts.confirmed()}
    return render(request, "facilities/contact_list.html", context)


@curator_required
@require_http_methods(["POST"])
def contact_decide(request, pk: int):
    contact = get_object_or_404(FacilityContact.objects.select_related("facility", "user"), pk=pk)
    decision = request.POST.get("decision")
    if decision == "confirm":
        hub_services.contact_confirm(contact=contact, curator=request.user)
        messages.success(request, f"{contact.user} is confirmed as a contact of {contact.facility.name}.")
    elif decision == "remove":
        hub_services.contact_remove(contact=contact)
        messages.success(request, f"{contact.user} is no longer a contact of {contact.facility.name}.")
    else:
        messages.error(request, "Choose confirm or remove.")
    return redirect("facilities:contacts")
