"""Curator pages of the register refresh, and "Add from register" for experts and curators.

Curators see what changed in the registers, decide field by field and follow
refresh jobs. Approved experts may also add a trial from its register record:
they contribute trials anyway, the record only fills in what they would type,
and what they add goes through the same review as any contribution.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from platform_site.permissions import curator_required, expert_required, is_curator
from trials.models import Product, Trial
from trials.vocabulary import normalise_atmp_type

from . import diff, drafts, jobs, services
from .clients import TRIAL_ERRORS, RefreshDisabled
from .forms import AddFromRegisterForm, DecisionForm, DraftSubmitForm
from .models import ProposedChange, RefreshJob, RegisterCheck, RegisterDraft
from .parsers.common import REGISTER_NAMES

PENDING = ProposedChange.State.PENDING


def _rows(changes) -> list[dict]:
    return [
        {
            "change": change,
            "label": diff.LABELS.get(change.field, change.field),
            "current": diff.display(change.field, change.current_value),
            "register": diff.display(change.field, change.register_value),
        }
        for change in changes
    ]


@curator_required
def overview(request):
    changed = (
        Trial.objects.filter(proposed_changes__state=PENDING)
        .annotate(
            pending=Count("proposed_changes", filter=Q(proposed_changes__state=PENDING)),
            record_date=Max("proposed_changes__register_date", filter=Q(proposed_changes__state=PENDING)),
        )
        .select_related("product")
        .order_by("-record_date", "pk")
    )
    failed = RegisterCheck.objects.latest_per_trial().filter(outcome=RegisterCheck.Outcome.FAILED)
    context = {
        "changed": changed,
        "failed": failed.select_related("trial__product").order_by("-checked_at")[:200],
        "jobs": RefreshJob.objects.select_related("requested_by")[:10],
    }
    return render(request, "registers/overview.html", context)


@curator_required
def trial_changes(request, trial_id: int):
    trial = get_object_or_404(Trial.objects.select_related("product"), pk=trial_id)
    decided = trial.proposed_changes.filter(
        state__in=[ProposedChange.State.ACCEPTED, ProposedChange.State.REJECTED]
    ).select_related("decided_by")
    source = services.refresh_source(trial)
    context = {
        "trial": trial,
        "rows": _rows(trial.proposed_changes.filter(state=PENDING).order_by("pk")),
        "decided": _rows(decided.order_by("-decided_at")[:20]),
        "last_check": trial.register_checks.first(),
        "source": source,
        "source_name": REGISTER_NAMES[source[0]] if source else "",
    }
    return render(request, "registers/trial_changes.html", context)


@curator_required
@require_POST
def change_decide(request, pk: int):
    change = get_object_or_404(ProposedChange.objects.select_related("trial"), pk=pk)
    form = DecisionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = "Choose accept or reject."
    else:
        try:
            if form.cleaned_data["decision"] == "accept":
                services.change_accept(
                    change=change, user=request.user, replace_curated=form.cleaned_data["replace_curated"]
                )
            else:
                services.change_reject(change=change, user=request.user)
        except services.DecisionError as exc:
            error = str(exc)
        change.refresh_from_db()
    if request.htmx:
        return render(request, "registers/_change_row.html", {"row": _rows([change])[0], "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{diff.LABELS[change.field]}: {change.get_state_display().lower()}.")
    return redirect("registers:trial_changes", change.trial_id)


@curator_required
@require_POST
def trial_refresh_now(request, trial_id: int):
    trial = get_object_or_404(Trial, pk=trial_id)
    job = jobs.job_create(trigger=RefreshJob.Trigger.CURATOR, trial_ids=[trial.pk], user=request.user)
    jobs.job_dispatch(job)
    messages.info(request, "Refresh queued; the result appears on this page when the job is done.")
    return redirect("registers:job_detail", job.pk)


@curator_required
def job_detail(request, pk: int):
    job = get_object_or_404(RefreshJob.objects.select_related("requested_by"), pk=pk)
    checks = job.checks.select_related("trial__product").order_by("outcome", "pk")[:500]
    return render(request, "registers/job_detail.html", {"job": job, "checks": checks})


@expert_required
def add(request):
    form = AddFromRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = drafts.draft_create(user=request.user, number=form.cleaned_data["number"])
        except (drafts.DraftError, RefreshDisabled, *TRIAL_ERRORS) as exc:
            form.add_error("number", str(exc))
        else:
            return redirect(draft)
    mine = RegisterDraft.objects.filter(created_by=request.user, state=RegisterDraft.State.DRAFT)[:20]
    return render(request, "registers/add.html", {"form": form, "drafts": mine})


def _editable_products(user):
    products = Product.objects.order_by("name")
    return products if is_curator(user) else products.filter(owner=user)


@expert_required
def draft(request, pk: int):
    draft = get_object_or_404(RegisterDraft, pk=pk)
    if draft.created_by_id != request.user.pk and not is_curator(request.user):
        raise Http404("No such draft.")
    record = draft.register_record
    initial = {"atmp_type": normalise_atmp_type(record.intervention_type)}
    form = DraftSubmitForm(request.POST or None, products=_editable_products(request.user), initial=initial)
    if request.method == "POST" and draft.state == RegisterDraft.State.DRAFT and form.is_valid():
        try:
            contribution = drafts.draft_submit(
                draft=draft, user=request.user, product=form.cleaned_data["product"], new_product=form.new_product()
            )
        except drafts.DraftError as exc:
            form.add_error(None, str(exc))
        else:
            product = contribution.product
            if contribution.revision is not None:
                done = "waits for review beside the published record"
            elif contribution.waits_for_review:
                done = "was submitted for review"
            else:
                done = "was added"
            messages.success(request, f"{draft.register_id} ({product}) {done}.")
            return redirect(product)
    values = diff.register_values(record)
    rows = [(diff.LABELS[name], diff.display(name, value)) for name, value in values.items()]
    return render(request, "registers/draft.html", {"draft": draft, "record": record, "rows": rows, "form": form})
