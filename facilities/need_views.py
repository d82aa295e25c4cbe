"""Hub pages: needs posted by developers, their matches, enquiries and answers, offers, the overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from platform_site.permissions import curator_required, expert_required, is_curator

from . import hub_queries, hub_services
from .contacts import can_keep_offer, is_confirmed_contact
from .hub_forms import AnswerForm, ModerationForm, NeedForm, OfferForm
from .hub_models import Confidentiality, Enquiry, ManufacturingNeed, NeedStatus, ServiceOffer
from .views import get_visible_facility


def hub_overview(request):
    """For everyone: counts of open needs and of offers, never a need's details."""
    return render(request, "facilities/hub.html", hub_queries.overview())


@curator_required
def hub_activity(request):
    needs = hub_queries.hub_activity()
    enquiries = Enquiry.objects.select_related("need", "facility", "answered_by").order_by("-sent_at")[:100]
    return render(request, "facilities/hub_activity.html", {"needs": needs, "enquiries": enquiries})


@expert_required
def need_list(request):
    user = request.user
    visible = ManufacturingNeed.objects.visible_to(user)
    context = {
        "mine": visible.filter(owner=user),
        "shared": visible.open().filter(confidentiality=Confidentiality.EXPERTS).exclude(owner=user),
        "my_enquiries": Enquiry.objects.filter(
            facility__contacts__user=user, facility__contacts__confirmed_at__isnull=False
        ).select_related("need", "facility"),
    }
    return render(request, "facilities/need_list.html", context)


@expert_required
@require_http_methods(["GET", "POST"])
def need_create(request):
    form = NeedForm(request.POST or None, instance=ManufacturingNeed(owner=request.user))
    if request.method == "POST" and form.is_valid():
        need = hub_services.need_save(need=form.instance)
        messages.success(request, "Your need is posted. The facilities below match it best.")
        return redirect(need)
    return render(request, "facilities/need_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request, pk: int):
    need = _visible_need(request, pk)
    if not need.is_owned_by(request.user) or need.status != NeedStatus.OPEN:
        raise PermissionDenied
    form = NeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        hub_services.need_save(need=form.instance)
        messages.success(request, "Your need is updated; the matches below follow it.")
        return redirect(need)
    return render(request, "facilities/need_form.html", {"form": form, "need": need})


def _visible_need(request, pk: int) -> ManufacturingNeed:
    if not request.user.is_authenticated:
        raise PermissionDenied
    return get_object_or_404(ManufacturingNeed.objects.visible_to(request.user).select_related("owner"), pk=pk)


def need_detail(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    need = _visible_need(request, pk)
    owner = need.is_owned_by(request.user)
    curator = is_curator(request.user)
    context = {"need": need, "is_owner": owner, "is_curator": curator}
    if owner or curator:
        context["enquiries"] = need.enquiries.select_related("facility", "answered_by")
    if owner and need.status == NeedStatus.OPEN:
        context["ranked"] = hub_queries.ranked_facilities(need)
    if curator:
        context["moderation_form"] = ModerationForm()
    # A facility contact sees their facility's enquiry on this need.
    context["contact_enquiries"] = need.enquiries.filter(
        facility__contacts__user=request.user, facility__contacts__confirmed_at__isnull=False
    )
    return render(request, "facilities/need_detail.html", context)


@login_required
@require_POST
def need_contact(request, pk: int):
    need = _visible_need(request, pk)
    if not need.is_owned_by(request.user) or need.status != NeedStatus.OPEN:
        raise PermissionDenied
    chosen = [int(v) for v in request.POST.getlist("facility") if v.isdigit()]
    matches = [r.match for r in hub_queries.ranked_facilities(need)]
    sent = hub_services.enquiries_send(need=need, facility_ids=chosen, matches=matches)
    if sent:
        messages.success(
            request, f"Sent to {len(sent)} facilit{'y' if len(sent) == 1 else 'ies'}; their contacts get an e-mail."
        )
    else:
        messages.info(request, "Choose at least one facility you have not contacted yet.")
    return redirect(need)


@login_required
@require_POST
def need_close(request, pk: int):
    need = _visible_need(request, pk)
    if not need.is_owned_by(request.user):
        raise PermissionDenied
    hub_services.need_close(need=need)
    messages.success(request, "The need is closed; facilities can no longer be contacted for it.")
    return redirect(need)


@curator_required
@require_POST
def need_moderate(request, pk: int):
    need = get_object_or_404(ManufacturingNeed, pk=pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        hide = form.cleaned_data["action"] == "hide"
        hub_services.need_moderate(need=need, hide=hide, note=form.cleaned_data["note"])
        messages.success(request, "The need is hidden." if hide else "The need is shown again.")
    return redirect(need)


def _enquiry_for(request, pk: int) -> Enquiry:
    if not request.user.is_authenticated:
        raise PermissionDenied
    enquiry = get_object_or_404(Enquiry.objects.select_related("need__owner", "facility", "answered_by"), pk=pk)
    if is_curator(request.user):
        return enquiry
    if not is_confirmed_contact(request.user, enquiry.facility):
        raise PermissionDenied
    if enquiry.need.status == NeedStatus.HIDDEN:
        raise Http404("This need was hidden by a curator.")
    return enquiry


@require_http_methods(["GET", "POST"])
def enquiry_answer(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    enquiry = _enquiry_for(request, pk)
    contact = is_confirmed_contact(request.user, enquiry.facility)
    form = AnswerForm(request.POST or None) if contact else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            hub_services.enquiry_answer(
                enquiry=enquiry,
                user=request.user,
                answer=form.cleaned_data["answer"],
                message=form.cleaned_data["message"],
                share_email=form.cleaned_data["share_email"],
            )
            messages.success(request, "Your answer is sent to the developer.")
            return redirect("facilities:enquiry_answer", pk=enquiry.pk)
    return render(request, "facilities/enquiry.html", {"enquiry": enquiry, "need": enquiry.need, "form": form})


@login_required
@require_POST
def enquiry_share(request, pk: int):
    if not request.user.is_authenticated:
        raise PermissionDenied
    enquiry = get_object_or_404(Enquiry.objects.select_related("need"), pk=pk)
    if not enquiry.need.is_owned_by(request.user):
        raise PermissionDenied
    hub_services.enquiry_share_email(enquiry=enquiry, share=request.POST.get("share") == "yes")
    return redirect(enquiry.need)


@require_http_methods(["GET", "POST"])
def offer_edit(request, key: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    facility = get_visible_facility(request, key)
    if not can_keep_offer(request.user, facility):
        raise PermissionDenied
    instance = ServiceOffer.objects.filter(facility=facility).first() or ServiceOffer(facility=facility)
    form = OfferForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in OfferForm.Meta.fields}
        hub_services.offer_save(facility=facility, values=values, user=request.user)
        messages.success(request, "The service offer is saved and confirmed as of today.")
        return redirect(facility)
    return render(request, "facilities/offer_form.html", {"facility": facility, "form": form})
