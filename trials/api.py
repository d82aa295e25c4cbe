"""REST API: /api/products/ and /api/trials/ with the same filters and search as the lists.

Anyone reads what is public (no personal data); approved experts create
records, which wait for review, and edit their own; curators edit everything.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from platform_site.permissions import IsOwnerOrCurator, ReadOnlyOrExpert, can_edit, is_curator

from .filters import ProductFilter, TrialFilter
from .models import CurationStatus, Product, Trial
from .serializers import ProductSerializer, TrialSerializer
from .services import product_submit


def _after_change(product: Product, user, reason: str) -> None:
    """Experts' changes go (back) to the review queue; curators' edits of published records stay published."""
    if not (is_curator(user) and product.curation_status == CurationStatus.PUBLISHED):
        product_submit(product=product, submitted_by=user, reason=reason or "Submitted for review")


@extend_schema_view(
    list=extend_schema(summary="List ATMP products (filters and full-text search in `q`)"),
    retrieve=extend_schema(summary="One ATMP product with a summary of its trials"),
    create=extend_schema(summary="Contribute a product (experts); it waits for a curator's review"),
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

    @transaction.atomic
    def perform_create(self, serializer):
        reason = serializer.validated_data.pop("change_reason", "")
        product = serializer.save(owner=self.request.user)
        product_submit(product=product, submitted_by=self.request.user, reason=reason or "Submitted for review")

    @transaction.atomic
    def perform_update(self, serializer):
        reason = serializer.validated_data.pop("change_reason", "")
        instance = serializer.instance
        instance._history_user = self.request.user
        instance._change_reason = (reason or "Edited")[:100]
        product = serializer.save()
        _after_change(product, self.request.user, reason)

    def perform_destroy(self, instance):
        if not is_curator(self.request.user) and instance.curation_status == CurationStatus.PUBLISHED:
            raise PermissionDenied("Published records are removed by curators only.")
        instance.delete()


@extend_schema_view(
    list=extend_schema(summary="List trials (filters and full-text search in `q`)"),
    retrieve=extend_schema(summary="One trial"),
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

    @transaction.atomic
    def perform_create(self, serializer):
        product = serializer.validated_data["product"]
        reason = serializer.validated_data.get("change_reason", "")
        self._check_product(product, reason)
        last = product.trials.order_by("-column_index").values_list("column_index", flat=True).first()
        trial = serializer.save_trial(column_index=0 if last is None else last + 1)
        product.refresh_highest_phase()
        _after_change(product, self.request.user, reason)
        return trial

    @transaction.atomic
    def perform_update(self, serializer):
        reason = serializer.validated_data.get("change_reason", "")
        product = serializer.validated_data.get("product", serializer.instance.product)
        self._check_product(serializer.instance.product, reason)
        self._check_product(product, reason)
        serializer.instance._history_user = self.request.user
        serializer.instance._change_reason = (reason or "Edited")[:100]
        serializer.save_trial()
        product.refresh_highest_phase()
        _after_change(product, self.request.user, reason)

    def perform_destroy(self, instance):
        product = instance.product
        if not is_curator(self.request.user) and product.curation_status == CurationStatus.PUBLISHED:
            raise PermissionDenied("Trials of published records are removed by curators only.")
        instance.delete()
        product.refresh_highest_phase()


ROUTES = [
    ("products", ProductViewSet, "product"),
    ("trials", TrialViewSet, "trial"),
]
