"""Writing to an expert, the messages a member sent and received, and reporting one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from .forms import ContactForm, ReportForm
from .models import ContactMessage, ExpertProfile
from .services import ContactRefused, contact_message_report, contact_message_send


@login_required
def contact(request, pk: int):
    profile = get_object_or_404(ExpertProfile.objects.visible_to(request.user).select_related("user"), pk=pk)
    if not profile.can_be_contacted_by(request.user):
        raise PermissionDenied("This expert does not accept messages through the platform.")
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            contact_message_send(sender=request.user, recipient=profile, **form.cleaned_data)
        except ContactRefused as refusal:
            form.add_error(None, str(refusal))
            status = 429
        else:
            messages.success(request, f"Your message to {profile.name} was sent.")
            return redirect("experts:messages")
    return render(request, "experts/contact.html", {"form": form, "profile": profile}, status=status)


@login_required
def message_list(request):
    mine = ContactMessage.objects.filter(Q(sender=request.user) | Q(recipient__user=request.user))
    mine = mine.select_related("sender__profile", "recipient__user")[:200]
    return render(
        request,
        "experts/messages.html",
        {
            "sent": [m for m in mine if m.sender_id == request.user.pk],
            "received": [m for m in mine if m.recipient.user_id == request.user.pk],
        },
    )


@login_required
def message_report(request, public_id):
    """Only the recipient reports a message (the link is in the e-mail they received)."""
    message = get_object_or_404(
        ContactMessage.objects.select_related("sender__profile"), public_id=public_id, recipient__user=request.user
    )
    form = ReportForm(request.POST or None, initial={"reason": message.report_reason})
    if request.method == "POST" and form.is_valid():
        contact_message_report(message=message, reason=form.cleaned_data["reason"])
        messages.success(request, "Thank you: a curator will look at this message.")
        return redirect("experts:messages")
    return render(request, "experts/message_report.html", {"form": form, "message": message})
