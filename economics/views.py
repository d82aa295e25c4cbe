"""Pages of the rNPV tool. Views read input, check permission, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import exports, previews, services, workbook
from .engine import InputError
from .engine.defaults import default_inputs
from .engine.labels import input_label
from .engine.model import scalar_paths
from .evaluation_forms import EvaluationForms
from .forms import ImportForm, JobForm, ShareForm
from .models import Evaluation, JobKind, JobStatus, SimulationJob

DEFAULT_CLASS = ("cell_therapy", "rare_disease", "phase_1")


# --- The tool -----------------------------------------------------------------------
def _forms_for_defaults(kind, indication, start, name=""):
    inputs, citations = default_inputs(kind, indication, start)
    forms = EvaluationForms.from_inputs(inputs, atmp_kind=kind, indication=indication, start=start, name=name)
    return forms, citations


def _calculate(forms: EvaluationForms):
    """(inputs, result) or (None, None) with errors attached to the forms."""
    if not forms.is_valid():
        return None, None
    inputs = forms.inputs()
    try:
        from .engine.montecarlo import validate_uncertainty
        from .engine.serialization import inputs_from_dict, uncertainty_from_dict

        engine_inputs = inputs_from_dict(inputs)
        validate_uncertainty(engine_inputs, uncertainty_from_dict(forms.cleaned_uncertainty))
        return inputs, services.evaluation_result(inputs)
    except InputError as error:
        forms.attach(error)
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
        if request.POST.get("action") == "defaults":
            data = request.POST
            forms, citations = _forms_for_defaults(
                data.get("atmp_kind", DEFAULT_CLASS[0]),
                data.get("indication", DEFAULT_CLASS[1]),
                data.get("start", DEFAULT_CLASS[2]),
                data.get("name", ""),
            )
            return render(request, "economics/tool.html", _tool_context(forms, None, citations, evaluation))
        forms = EvaluationForms(request.POST)
        inputs, result = _calculate(forms)
        if result is not None and request.POST.get("action") == "save":
            if not request.user.is_authenticated:
                messages.info(request, "Sign in to save evaluations; your inputs are kept in this form meanwhile.")
            else:
                cleaned = forms.form.cleaned_data
                saved = services.evaluation_save(
                    owner=request.user,
                    name=cleaned["name"],
                    inputs=inputs,
                    evaluation=evaluation,
                    uncertainty=forms.cleaned_uncertainty,
                    atmp_kind=cleaned["atmp_kind"],
                    indication=cleaned["indication"],
                    source_product=_product(request.POST.get("product")) if evaluation is None else None,
                )
                messages.success(request, f"Saved “{saved.name}”.")
                return redirect(saved)
        return render(request, "economics/tool.html", _tool_context(forms, result, citations, evaluation))
    prefilled = []
    if evaluation is not None:
        forms = EvaluationForms.from_inputs(
            evaluation.inputs,
            evaluation.uncertainty,
            name=evaluation.name,
            atmp_kind=evaluation.atmp_kind or DEFAULT_CLASS[0],
            indication=evaluation.indication or DEFAULT_CLASS[1],
        )
        result = evaluation.result
    else:
        product = _product(request.GET.get("product"))
        if product is not None:
            prefill = services.evaluation_defaults_for_product(product)
            forms, citations = _forms_for_defaults(
                prefill["atmp_kind"], prefill["indication"], prefill["start"], prefill["name"]
            )
            prefilled = prefill["prefilled"]
        else:
            forms, citations = _forms_for_defaults(*DEFAULT_CLASS)
            prefilled = []
        inputs, _ = default_inputs(*_class_of(forms))
        result = services.evaluation_result(inputs)
    context = _tool_context(forms, result, citations, evaluation, product) | {"prefilled": prefilled}
    return render(request, "economics/tool.html", context)


def _class_of(forms: EvaluationForms) -> tuple[str, str, str]:
    initial = forms.form.initial
    return initial["atmp_kind"], initial["indication"], initial["start"]


_PHASE_SOURCE_LABELS = {"duration_years": "Duration", "cost_eur": "Cost", "success_probability": "Probability"}


def _tool_context(forms: EvaluationForms, result, citations, evaluation, product=None) -> dict:
    # Each default phase value's source beside the phase, while the phases are still the defaults'.
    phase_rows = [
        (
            phase,
            [
                (label, citations[f"phases.{i}.{field}"])
                for field, label in _PHASE_SOURCE_LABELS.items()
                if f"phases.{i}.{field}" in citations
            ],
        )
        for i, phase in enumerate(forms.phases)
    ]
    return {
        "phase_rows": phase_rows,
        "forms": forms,
        "form": forms.form,
        "phases": forms.phases,
        "milestones": forms.milestones,
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
    forms = EvaluationForms(request.POST)
    _, result = _calculate(forms)
    return render(request, "economics/_results.html", _tool_context(forms, result, {}, None))


def distribution_preview(request):
    """htmx: the shape of one distribution row (its fields posted with any formset prefix)."""
    values = {key.rsplit("-", 1)[-1]: value for key, value in request.GET.items()}
    return render(request, "economics/_distribution_preview.html", {"preview": previews.distribution_preview(values)})


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
    engine_inputs = evaluation.engine_inputs()
    paths, names = scalar_paths(engine_inputs), [p.name for p in engine_inputs.phases]
    return render(
        request,
        "economics/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "result": evaluation.result,
            "is_owner": owner,
            "via_link": via_link,
            "jobs": evaluation.jobs.all()[:20] if owner else [],
            "job_form": JobForm(paths=paths, phase_names=names),
            "share_form": ShareForm(initial={"visibility": evaluation.visibility}),
            "scenarios": evaluation.scenarios.filter(owner=request.user) if request.user.is_authenticated else [],
        },
    )


def evaluation_report(request, pk):
    """A printable A4 report: inputs, conventions, results and the latest finished jobs."""
    evaluation = _visible_evaluation(request, pk)
    inputs = evaluation.engine_inputs()
    names = [p.name for p in inputs.phases]
    finished = evaluation.jobs.filter(status=JobStatus.SUCCEEDED)
    citations = {}
    if evaluation.atmp_kind and evaluation.indication:
        _, citations = default_inputs(evaluation.atmp_kind, evaluation.indication, "preclinical")
    market = [(input_label(f"market.{k}", names), v) for k, v in evaluation.inputs["market"].items()]
    return render(
        request,
        "economics/report.html",
        {
            "evaluation": evaluation,
            "result": evaluation.result,
            "market": market,
            "citations": citations,
            "uncertainty": [
                (input_label(p, names), d) for p, d in evaluation.uncertainty.items() if p != "correlations"
            ],
            "monte_carlo": finished.filter(kind=JobKind.MONTE_CARLO).first(),
            "tornado": finished.filter(kind=JobKind.SENSITIVITY_ONE_WAY).first(),
            "token": request.GET.get("token", ""),
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


def evaluation_workbook(request, pk):
    """The deterministic model as live spreadsheet formulas, to audit or change in a spreadsheet."""
    evaluation = _visible_evaluation(request, pk)
    response = HttpResponse(
        workbook.rnpv_workbook(evaluation.engine_inputs(), evaluation.name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="rnpv-model-{evaluation.pk}.xlsx"'
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
    engine_inputs = evaluation.engine_inputs()
    form = JobForm(request.POST, paths=scalar_paths(engine_inputs), phase_names=[p.name for p in engine_inputs.phases])
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(f"{form[k].label if k in form.fields else k}: {' '.join(v)}" for k, v in form.errors.items()),
        )
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
        messages.error(request, "; ".join(f"{_job_field(form, k)}: {' '.join(v)}" for k, v in error.errors.items()))
        return redirect(evaluation)
    return redirect(job)


def _job_field(form: JobForm, key: str) -> str:
    """A job form field's label, or an input path in words."""
    labels = {"low_a": "First input's range", "high_a": "First input's range"}
    labels |= {"low_b": "Second input's range", "high_b": "Second input's range"}
    if key in labels:
        return labels[key]
    return str(form[key].label) if key in form.fields else input_label(key.removeprefix("uncertainty."))


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
