"""REST API: evaluations (deterministic result in the response) and Monte Carlo / sensitivity jobs."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from . import services
from .engine import InputError
from .models import Evaluation, JobKind, SimulationJob, Visibility


def _field_errors(error: InputError) -> ValidationError:
    return ValidationError(error.errors)


class EvaluationSerializer(serializers.ModelSerializer):
    inputs = serializers.JSONField(
        help_text="Engine inputs: phases, market, discount_rate, tax_rate, horizon_years, "
        "conventions, licensing (see docs/economics.md)."
    )
    uncertainty = serializers.JSONField(required=False, help_text="Distributions by input path.")
    result = serializers.JSONField(read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "name",
            "inputs",
            "uncertainty",
            "result",
            "visibility",
            "atmp_kind",
            "indication",
            "scenario_of",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["result", "scenario_of", "created_at", "updated_at"]


class CalculateSerializer(serializers.Serializer):
    inputs = serializers.JSONField()


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = SimulationJob
        fields = [
            "id",
            "evaluation",
            "kind",
            "status",
            "progress",
            "chunks_done",
            "chunks_total",
            "n",
            "seed",
            "parameters",
            "error",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class JobCreateSerializer(serializers.Serializer):
    evaluation = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=JobKind.choices)
    n = serializers.IntegerField(required=False, min_value=1, max_value=settings.ECONOMICS_MAX_SIMULATIONS)
    seed = serializers.IntegerField(required=False, min_value=0, max_value=2**63 - 1)
    parameters = serializers.JSONField(
        required=False, help_text="Two-way: input_a, input_b, low_a, high_a, low_b, high_b, steps."
    )


class EvaluationViewSet(viewsets.ModelViewSet):
    """Your evaluations (and, for experts, those shared with the expert community)."""

    serializer_class = EvaluationSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Evaluation.objects.none()  # for the schema; get_queryset narrows to the user
    http_method_names = ["get", "post", "put", "patch", "delete"]

    def get_queryset(self):
        return Evaluation.objects.visible_to(self.request.user).order_by("-updated_at")

    def _save(self, serializer, evaluation=None):
        data = serializer.validated_data
        try:
            saved = services.evaluation_save(
                owner=self.request.user,
                evaluation=evaluation,
                name=data.get("name", evaluation.name if evaluation else ""),
                inputs=data.get("inputs", evaluation.inputs if evaluation else None),
                uncertainty=data.get("uncertainty", evaluation.uncertainty if evaluation else {}),
                atmp_kind=data.get("atmp_kind", ""),
                indication=data.get("indication", ""),
            )
        except InputError as error:
            raise _field_errors(error) from None
        if "visibility" in data and data["visibility"] in Visibility.values:
            services.evaluation_share(evaluation=saved, visibility=data["visibility"])
        serializer.instance = saved

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        if not serializer.instance.is_owned_by(self.request.user):
            raise permissions.exceptions.PermissionDenied("Only the owner may change an evaluation.")
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        if not instance.is_owned_by(self.request.user):
            raise permissions.exceptions.PermissionDenied("Only the owner may delete an evaluation.")
        instance.delete()

    @extend_schema(
        request=CalculateSerializer,
        responses={200: inline_serializer("CalculateResult", {"result": serializers.JSONField()})},
        description="Evaluate inputs without saving them; open to anonymous visitors.",
    )
    @action(detail=False, methods=["post"], permission_classes=[permissions.AllowAny])
    def calculate(self, request):
        serializer = CalculateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            return Response({"result": services.evaluation_result(serializer.validated_data["inputs"])})
        except InputError as error:
            raise _field_errors(error) from None


class JobViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Start a Monte Carlo or sensitivity job on one of your evaluations, poll it, read its result."""

    serializer_class = JobSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = SimulationJob.objects.none()  # for the schema; get_queryset narrows to the user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SimulationJob.objects.none()
        return SimulationJob.objects.filter(requested_by=self.request.user).order_by("-created_at")

    def list(self, request, *args, **kwargs):
        self.get_queryset().fail_stale()
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        self.get_queryset().filter(pk=kwargs.get("pk")).fail_stale()
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=JobCreateSerializer, responses={202: JobSerializer})
    def create(self, request, *args, **kwargs):
        serializer = JobCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evaluation = Evaluation.objects.owned_by(request.user).filter(pk=data["evaluation"]).first()
        if evaluation is None:
            raise ValidationError({"evaluation": ["Not one of your evaluations."]})
        try:
            job = services.job_start(
                evaluation=evaluation,
                user=request.user,
                kind=data["kind"],
                n=data.get("n"),
                seed=data.get("seed"),
                parameters=data.get("parameters") or {},
            )
        except InputError as error:
            raise _field_errors(error) from None
        job.refresh_from_db()
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=True, methods=["post"])
    def rerun(self, request, pk=None):
        job = services.job_rerun(job=self.get_object())
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


ROUTES = [
    ("economics/evaluations", EvaluationViewSet, "economics-evaluation"),
    ("economics/jobs", JobViewSet, "economics-job"),
]
