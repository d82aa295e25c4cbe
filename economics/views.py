"""Pages of the rNPV tool. Views read input, check permission, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import exports, services
from .engine import InputError
from .engine.defaults import default_inputs
from .engine.model import scalar_paths
from .forms import (
    EvaluationForm,
    ImportForm,
    JobForm,
    PhaseFormSet,
    ShareForm,
    attach_input_errors,
    form_data_from_inputs,
    inputs_from_forms,
)
from .models import Evaluation, JobKind, SimulationJob

DEFAULT_CLASS = ("cell_therapy", "rare_disease", "phase_1")


# --- The tool -----------------------------------------------------------------------
def _bound_forms(request):
    return EvaluationForm(request.POST), PhaseFormSet(request.POST, prefix="phases")


def _forms_for_defaults(kind, indication, start, name="", product=None):
    inputs, citations = default_inputs(kind, indication, start)
    initial, phases = form_data_from_inputs(inputs, atmp_kind=kind, indication=indication, start=start, name=name)
    return EvaluationForm(initial=initial), PhaseFormSet(initial=phases, prefix="phases"), citations


def _calculate(form, phases):
    """(inputs, result) or (None, None) with errors attached to the forms."""
    if not (form.is_valid() and phases.is_valid()):
        return None, None
    inputs = inputs_from_forms(form, phases)
    try:
        from .engine.montecarlo import validate_uncertainty
        from .engine.serialization import inputs_from_dict, uncertainty_from_dict

        engine_inputs = inputs_from_dict(inputs)
        validate_uncertainty(engine_inputs, uncertainty_from_dict(form.cleaned_data["uncertainty"]))
        return inputs, services.evaluation_result(inputs)
    except InputError as error:
        attach_input_errors(error, form, phases)
        return None, None


def tool(request, pk=None):
    """The evaluation form with instant results; POST with action=save stores it (signed-in users)."""
    evaluation = None
    if pk is not None:
        evaluation = get_object_or_404(Evaluation, pk=pk)
        if not evaluation.is_owned_by(request.user):
            raise PermissionDenied
    citations = {}
    product = None
    if request.method == "POST":
        form, phases = _bound_forms(request)
        if request.POST.get("action") == "defaults":
            data = request.POST
            form, phases, citations = _forms_for_defaults(
                data.get("atmp_kind", DEFAULT_CLASS[0]),
                data.get("indication", DEFAULT_CLASS[1]),
                data.get("start", DEFAULT_CLASS[2]),
                data.get("name", ""),
            )
            form.is_bound = False
            return render(request, "economics/tool.html", _tool_context(form, phases, None, citations, evaluation))
        inputs, result = _calculate(form, phases)
        if result is not None and request.POST.get("action") == "save":
            if not request.user.is_authenticated:
                messages.info(request, "Sign in to save evaluations; your inputs are kept in this form meanwhile.")
            else:
                saved = services.evaluation_save(
                    owner=request.user,
                    name=form.cleaned_data["name"],
                    inputs=inputs,
                    evaluation=evaluation,
                    uncertainty=form.cleaned_data["uncertainty"],
                    atmp_kind=form.cleaned_data["atmp_kind"],
                    indication=form.cleaned_data["indication"],
                    source_product=_product(request.POST.get("product")) if evaluation is None else None,
                )
                messages.success(request, f"Saved “{saved.name}”.")
                return redirect(saved)
        return render(request, "economics/tool.html", _tool_context(form, phases, result, citations, evaluation))
    if evaluation is not None:
        initial, phase_rows = form_data_from_inputs(
            evaluation.inputs,
            evaluation.uncertainty,
            name=evaluation.name,
            atmp_kind=evaluation.atmp_kind or DEFAULT_CLASS[0],
            indication=evaluation.indication or DEFAULT_CLASS[1],
        )
        form, phases = EvaluationForm(initial=initial), PhaseFormSet(initial=phase_rows, prefix="phases")
        result = evaluation.result
    else:
        product = _product(request.GET.get("product"))
        if product is not None:
            prefill = services.evaluation_defaults_for_product(product)
            form, phases, citations = _forms_for_defaults(
                prefill["atmp_kind"], prefill["indication"], prefill["start"], prefill["name"]
            )
        else:
            form, phases, citations = _forms_for_defaults(*DEFAULT_CLASS)
        result = services.evaluation_result(_inputs_of_initial(form, phases))
    return render(request, "economics/tool.html", _tool_context(form, phases, result, citations, evaluation, product))


def _inputs_of_initial(form, phases) -> dict:
    bound = EvaluationForm({k: v for k, v in form.initial.items() if v is not None})
    data = {f"phases-{k}": v for k, v in {"TOTAL_FORMS": len(phases.initial), "INITIAL_FORMS": 0}.items()}
    for i, row in enumerate(phases.initial):
        data |= {f"phases-{i}-{k}": v for k, v in row.items() if v is not False}
    bound_phases = PhaseFormSet(data, prefix="phases")
    bound.is_valid()
    bound_phases.is_valid()
    return inputs_from_forms(bound, bound_phases)


def _tool_context(form, phases, result, citations, evaluation, product=None) -> dict:
    return {
        "form": form,
        "phases": phases,
        "result": result,
        "citations": citations,
        "evaluation": evaluation,
        "product": product,
    }


def _product(value):
    if not value or not str(value).isdigit():
        return None
    from trials.models import Product  # imported here: the trials app is optional for the engine

    return Product.objects.public().filter(pk=int(value)).first()


@require_POST
def calculate(request):
    """htmx: the results panel for the current inputs (errors show on the form's fields)."""
    form, phases = _bound_forms(request)
    _, result = _calculate(form, phases)
    return render(request, "economics/_results.html", {"result": result, "form": form, "phases": phases})


# --- Saved evaluations ------------------------------------------------------------
def _visible_evaluation(request, pk) -> Evaluation:
    evaluation = get_object_or_404(Evaluation, pk=pk)
    if not evaluation.can_view(request.user, request.GET.get("token")):
        raise Http404  # do not reveal that a private evaluation exists
    return evaluation


@login_required
def evaluation_list(request):
    qs = Evaluation.objects.visible_to(request.user).select_related("owner")
    sort = request.GET.get("sort", "-updated_at")
    if sort.lstrip("-") not in ("updated_at", "name", "created_at"):
        sort = "-updated_at"
    page = Paginator(qs.order_by(sort), 25).get_page(request.GET.get("page"))
    return render(request, "economics/evaluation_list.html", {"page_obj": page, "sort": sort})


def evaluation_detail(request, pk):
    evaluation = _visible_evaluation(request, pk)
    return _render_detail(request, evaluation)


def shared(request, token):
    evaluation = Evaluation.objects.filter(share_token=token, visibility="link").first()
    if evaluation is None:
        raise Http404
    return _render_detail(request, evaluation, via_link=True)


def _render_detail(request, evaluation, via_link=False):
    SimulationJob.objects.filter(evaluation=evaluation).fail_stale()
    owner = evaluation.is_owned_by(request.user)
    paths = scalar_paths(evaluation.engine_inputs())
    return render(
        request,
        "economics/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "result": evaluation.result,
            "is_owner": owner,
            "via_link": via_link,
            "jobs": evaluation.jobs.all()[:20] if owner else [],
            "job_form": JobForm(paths=paths),
            "share_form": ShareForm(initial={"visibility": evaluation.visibility}),
            "scenarios": evaluation.scenarios.filter(owner=request.user) if request.user.is_authenticated else [],
        },
    )


@login_required
@require_POST
def evaluation_duplicate(request, pk):
    evaluation = _visible_evaluation(request, pk)
    copy = services.evaluation_duplicate(evaluation=evaluation, owner=request.user, name=request.POST.get("name", ""))
    messages.success(request, "Scenario created: change its inputs and compare it with the original.")
    return redirect("economics:evaluation_edit", pk=copy.pk)


@login_required
@require_POST
def evaluation_share(request, pk):
    evaluation = _owned(request, pk)
    form = ShareForm(request.POST)
    if form.is_valid():
        services.evaluation_share(evaluation=evaluation, **form.cleaned_data)
        messages.success(request, f"Visibility: {evaluation.get_visibility_display()}.")
    else:
        messages.error(request, "Choose who may see this evaluation.")
    return redirect(evaluation)


@login_required
@require_POST
def evaluation_delete(request, pk):
    evaluation = _owned(request, pk)
    evaluation.delete()
    messages.success(request, f"Deleted “{evaluation.name}”.")
    return redirect("economics:evaluation_list")


def _owned(request, pk) -> Evaluation:
    evaluation = get_object_or_404(Evaluation, pk=pk)
    if not evaluation.is_owned_by(request.user):
        raise PermissionDenied
    return evaluation


def evaluation_export(request, pk, fmt):
    evaluation = _visible_evaluation(request, pk)
    filename = f"rnpv-{evaluation.pk}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(evaluation), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(evaluation),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def evaluation_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            name, inputs, uncertainty = exports.read_export(upload.name, upload.read())
            evaluation = services.evaluation_save(owner=request.user, name=name, inputs=inputs, uncertainty=uncertainty)
        except InputError as error:
            for path, msgs in error.errors.items():
                for message in msgs:
                    form.add_error("file", message if path == "file" else f"{path}: {message}")
        else:
            messages.success(request, f"Imported “{evaluation.name}”.")
            return redirect(evaluation)
    return render(request, "economics/import.html", {"form": form})


@login_required
def compare(request):
    ids = [int(x) for x in request.GET.getlist("ids") if str(x).isdigit()][:6]
    evaluations = list(Evaluation.objects.visible_to(request.user).filter(pk__in=ids))
    return render(
        request,
        "economics/compare.html",
        {"evaluations": evaluations, "choices": Evaluation.objects.visible_to(request.user)[:50]},
    )


# --- Jobs ---------------------------------------------------------------------------
@login_required
@require_POST
def job_start(request, pk):
    evaluation = _owned(request, pk)
    form = JobForm(request.POST, paths=scalar_paths(evaluation.engine_inputs()))
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect(evaluation)
    data = form.cleaned_data
    try:
        job = services.job_start(
            evaluation=evaluation,
            user=request.user,
            kind=data["kind"],
            n=data["n"],
            seed=data["seed"],
            parameters={k: data[k] for k in ("input_a", "input_b", "low_a", "high_a", "low_b", "high_b", "steps")},
        )
    except InputError as error:
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items()))
        return redirect(evaluation)
    return redirect(job)


def _visible_job(request, pk) -> SimulationJob:
    job = get_object_or_404(SimulationJob.objects.select_related("evaluation"), pk=pk)
    if not (job.is_owned_by(request.user) or job.evaluation.can_view(request.user)):
        raise Http404
    return job


@login_required
def job_detail(request, pk):
    SimulationJob.objects.filter(pk=pk).fail_stale()
    job = _visible_job(request, pk)
    return render(request, "economics/job_detail.html", {"job": job, "JobKind": JobKind})


@login_required
def job_status(request, pk):
    SimulationJob.objects.filter(pk=pk).fail_stale()
    job = _visible_job(request, pk)
    return render(request, "economics/_job_status.html", {"job": job, "JobKind": JobKind})


@login_required
@require_POST
def job_rerun(request, pk):
    job = _visible_job(request, pk)
    if not job.is_owned_by(request.user):
        raise PermissionDenied
    services.job_rerun(job=job)
    messages.info(request, "The job is queued again.")
    return redirect(job)
