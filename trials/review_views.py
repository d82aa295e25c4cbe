"""The curators' review pages: the queue, a decision on a submission, a pending change beside its record."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from platform_site.permissions import curator_required

from .forms import ReviewForm
from .models import Product, ProductRevision
from .revisions import revision_approve, revision_diff, revision_reject
from .services import ReviewError, product_approve, product_reject


# --- Review ---------------------------------------------------------------------------
@curator_required
def review_queue(request):
    products = (
        Product.objects.awaiting_review()
        .select_related("owner")
        .annotate(trial_count=Count("trials"))
        .order_by("submitted_at")
    )
    revisions = ProductRevision.objects.pending().select_related("product", "author").order_by("submitted_at")
    context = {"products": products, "revisions": revisions, "review_form": ReviewForm()}
    return render(request, "trials/review_queue.html", context)


def _decide(request, form, approve, reject, **target) -> bool:
    """Run the curator's decision; a message either way. True when it was recorded."""
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    try:
        if decision == "approve":
            approve(**target, reviewer=request.user, comment=comment)
        else:
            reject(**target, reviewer=request.user, comment=comment)
    except ReviewError as error:
        messages.error(request, str(error))
        return False
    return True


@curator_required
@require_POST
def product_review(request, slug: str):
    product = get_object_or_404(Product, slug=slug)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or reject.")
    elif _decide(request, form, product_approve, product_reject, product=product):
        if form.cleaned_data["decision"] == "approve":
            messages.success(request, f"“{product.name}” is published; the contributor is told by e-mail.")
        else:
            messages.success(request, f"“{product.name}” was sent back to its contributor.")
    return HttpResponseRedirect(reverse("trials:review_queue"))


@curator_required
def revision_detail(request, pk: int):
    """A pending change beside its published record: the diff, field by field, and the decision."""
    revision = get_object_or_404(ProductRevision.objects.select_related("product", "author", "reviewed_by"), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and _decide(request, form, revision_approve, revision_reject, revision=revision):
            applied = form.cleaned_data["decision"] == "approve"
            verdict = "applied to the published record" if applied else "discarded; the record stays as it was"
            messages.success(request, f"The change to “{revision.product.name}” was {verdict}.")
            return HttpResponseRedirect(reverse("trials:review_queue"))
    context = {"revision": revision, "diff": revision_diff(revision), "review_form": form}
    return render(request, "trials/revision_detail.html", context)
