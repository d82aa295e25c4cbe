"""What an expert does with their own account: catalogue role claims, their data, deleting it."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from platform_site.permissions import expert_required
from trials.models import Product

from .forms import CatalogueClaimForm, DeleteAccountForm
from .gdpr import account_delete, account_export
from .models import CatalogueLink
from .services import catalogue_link_claim, catalogue_link_withdraw


@expert_required
def claim_role(request, slug: str):
    product = get_object_or_404(Product.objects.public(), slug=slug)
    form = CatalogueClaimForm(request.POST or None, product=product)
    if request.method == "POST" and form.is_valid():
        catalogue_link_claim(
            profile=request.user.profile,
            product=product,
            role=form.cleaned_data["role"],
            trial=form.cleaned_data["trial"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, "Your claim was recorded: a curator will confirm it.")
        return redirect("experts:me")
    return render(request, "experts/claim.html", {"form": form, "product": product})


@login_required
@require_POST
def claim_withdraw(request, pk: int):
    link = get_object_or_404(CatalogueLink, pk=pk, profile__user=request.user)
    catalogue_link_withdraw(link=link)
    messages.success(request, "The role was withdrawn.")
    return redirect("experts:me")


@login_required
def my_data(request):
    """Everything the platform holds about the signed-in member, as one JSON file."""
    body = json.dumps(account_export(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-atmp-platform-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user)
        logout(request)
        messages.success(
            request, "Your account and personal data were deleted. Your contributions stay, as a former member's."
        )
        return redirect("home")
    return render(request, "experts/delete_account.html", {"form": form})
