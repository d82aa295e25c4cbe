"""REST API: /api/products/ and /api/trials/ with the same filters and search as the lists.

Anyone reads what is public (no personal data); approved experts create
records, which wait for review, and edit their own; curators edit everything.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from platform_site.permissions import IsOwnerOrCurator, ReadOnlyOrExpert, can_edit, is_curator

from .filters import ProductFilter, TrialFilter
from .models import CurationStatus, Product, Trial
from .serializers import PendingRevisionSerializer, ProductSerializer, TrialSerializer
from .services import RevisionRefused, TrialChange, product_contribute, trial_delete

WRITE_ERRORS = {
    400: OpenApiResponse(description="Invalid input: a JSON object naming each field's problem."),
    403: OpenApiResponse(description="Not allowed: anonymous, not an approved expert, or not your record."),
    409: OpenApiResponse(description="Another change of this record already waits for review."),
}
PENDING = OpenApiResponse(
    response=PendingRevisionSerializer,
    description="The record is published: the change is kept beside it and waits for a curator's review.",
)


def _pending(contribution) -> Response | None:
    """202 with the waiting revision when the change did not go into the published record."""
    if contribution.revision is None:
        return None
    data = PendingRevisionSerializer(contribution.revision).data
    return Response(data, status=status.HTTP_202_ACCEPTED)


def _conflict(refused: RevisionRefused) -> Response:
    return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)


@extend_schema_view(
    list=extend_schema(summary="List ATMP products (filters and full-text search in `q`)"),
    retrieve=extend_schema(summary="One ATMP product with a summary of its trials"),
    create=extend_schema(
        summary="Contribute a product (experts); it waits for a curator's review",
        responses={201: ProductSerializer, **WRITE_ERRORS},
    ),
    update=extend_schema(responses={200: ProductSerializer, 202: PENDING, **WRITE_ERRORS}),
    partial_update=extend_schema(responses={200: ProductSerializer, 202: PENDING, **WRITE_ERRORS}),
)
class ProductViewSet(viewsets.ModelViewSet):
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, ReadOnlyOrExpert, IsOwnerOrCurator]
    lookup_field = "slug"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Product.objects.visible_to(self.request.user)
            .prefetch_related("origin_locations", "trials")
            .order_by("name")
        )

    def _contribute(self, product, serializer):
        data = dict(serializer.validated_data)
        reason = data.pop("change_reason", "")
        return product_contribute(
            product=product,
            data=data,
            user=self.request.user,
            reason=reason or ("Created" if product is None else "Edited"),
            source="api",
        )

    def perform_create(self, serializer):
        serializer.instance = self._contribute(None, serializer).product

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        try:
            contribution = self._contribute(Product.objects.get(pk=instance.pk), serializer)
        except RevisionRefused as refused:
            return _conflict(refused)
        pending = _pending(contribution)
        if pending is not None:
            return pending
        product = self.get_queryset().get(pk=contribution.product.pk)
        return Response(self.get_serializer(product).data)

    def perform_destroy(self, instance):
        if not is_curator(self.request.user) and instance.curation_status == CurationStatus.PUBLISHED:
            raise PermissionDenied("Published records are removed by curators only.")
        instance.delete()


@extend_schema_view(
    list=extend_schema(summary="List trials (filters and full-text search in `q`)"),
    retrieve=extend_schema(summary="One trial"),
    create=extend_schema(responses={201: TrialSerializer, 202: PENDING, **WRITE_ERRORS}),
    update=extend_schema(responses={200: TrialSerializer, 202: PENDING, **WRITE_ERRORS}),
    partial_update=extend_schema(responses={200: TrialSerializer, 202: PENDING, **WRITE_ERRORS}),
)
class TrialViewSet(viewsets.ModelViewSet):
    serializer_class = TrialSerializer
    filterset_class = TrialFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, ReadOnlyOrExpert, IsOwnerOrCurator]

    def get_queryset(self):
        return (
            Trial.objects.visible_to(self.request.user)
            .select_related("product")
            .prefetch_related("identifiers", "countries")
            .order_by("product__name", "column_index")
        )

    def _check_product(self, product: Product, reason: str) -> None:
        if not can_edit(self.request.user, product):
            raise PermissionDenied("You can add trials only to your own submissions.")
        if product.curation_status == CurationStatus.PUBLISHED and not reason:
            raise ValidationError({"change_reason": "Say briefly why you change this published record."})

    def _contribute(self, trial: Trial | None, serializer) -> Response:
        data = dict(serializer.validated_data)
        reason = data.pop("change_reason", "")
        product = data.pop("product", None) or trial.product
        self._check_product(product, reason)
        if trial is not None and product.pk != trial.product_id:
            raise ValidationError({"product": "A trial stays with its product; remove it and add it to the other."})
        try:
            contribution = product_contribute(
                product=Product.objects.get(pk=product.pk),
                data={},
                trials=[TrialChange(trial, data)],
                user=self.request.user,
                reason=reason or ("Trial added" if trial is None else "Trial edited"),
                source="api",
            )
        except RevisionRefused as refused:
            return _conflict(refused)
        pending = _pending(contribution)
        if pending is not None:
            return pending
        trials = self.get_queryset().filter(product=product)
        saved = trials.get(pk=trial.pk) if trial is not None else trials.order_by("-pk").first()
        code = status.HTTP_200_OK if trial is not None else status.HTTP_201_CREATED
        return Response(self.get_serializer(saved).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._contribute(None, serializer)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        return self._contribute(Trial.objects.get(pk=instance.pk), serializer)

    def perform_destroy(self, instance):
        product = instance.product
        if not is_curator(self.request.user) and product.curation_status == CurationStatus.PUBLISHED:
            raise PermissionDenied("Trials of published records are removed by curators only.")
        trial_delete(trial=instance, user=self.request.user, reason="Removed through the API", source="api")


ROUTES = [
    ("products", ProductViewSet, "product"),
    ("trials", TrialViewSet, "trial"),
]
