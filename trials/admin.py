"""The curators' workbench for products and trials.

History (who, when, what changed, with a diff per version, and revert) comes
from SimpleHistoryAdmin. Changes to a published product need a short reason,
stored as the history row's change reason. Approve/reject go through
``trials.services`` so the four-eyes rule and the contributor's e-mail apply
here exactly as on the review-queue page.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    WP1_FIELDS,
    CurationStatus,
    Disease,
    Location,
    PatientCohort,
    Product,
    SheetCell,
    Target,
    Trial,
    TrialIdentifier,
)


class TrialInline(admin.StackedInline):
    model = Trial
    extra = 0
    show_change_link = True
    fields = [
        ("column_index", "registry_id_text", "primary_identifier"),
        "title",
        ("phase", "phase_text", "status", "status_text", "status_as_of"),
        ("sponsor", "sponsor_type", "sponsor_type_text"),
        ("principal_investigator", "pi_email", "sponsor_email"),
        ("centre_type", "centre_type_text", "countries_text"),
        ("first_in_human", "mechanism_known", "start_year"),
    ]
    classes = ["collapse"]


class SheetCellInline(admin.TabularInline):
    model = SheetCell
    extra = 0
    fields = ["kind", "section", "label", "column", "value"]
    classes = ["collapse"]


class TrialIdentifierInline(admin.TabularInline):
    model = TrialIdentifier
    extra = 0
    fields = ["registry", "value", "register_link"]
    readonly_fields = ["register_link"]

    @admin.display(description="register")
    def register_link(self, obj):
        from django.utils.html import format_html

        return format_html('<a href="{}" rel="noopener" target="_blank">open</a>', obj.register_url) if obj.pk else ""


class _ReasonFormMixin:
    """A published record changes only with a short reason, stored as the history row's change reason."""

    def _is_published(self) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self._is_published() and self.has_changed():
            if not (cleaned.get("change_reason") or "").strip():
                self.add_error("change_reason", "Give a short reason for changing a published record.")
        return cleaned


REASON_HELP = "Why this change? Required for published records; shown in the history."


class ProductAdminForm(_ReasonFormMixin, forms.ModelForm):
    change_reason = forms.CharField(max_length=100, required=False, help_text=REASON_HELP)

    class Meta:
        model = Product
        fields = "__all__"  # noqa: DJ007 - the admin fieldsets choose the fields shown

    def _is_published(self) -> bool:
        return self.instance.curation_status == CurationStatus.PUBLISHED


class TrialAdminForm(_ReasonFormMixin, forms.ModelForm):
    change_reason = forms.CharField(max_length=100, required=False, help_text=REASON_HELP)

    class Meta:
        model = Trial
        fields = "__all__"  # noqa: DJ007 - the admin chooses the fields shown

    def _is_published(self) -> bool:
        return self.instance.product.curation_status == CurationStatus.PUBLISHED


class RejectForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="The contributor reads this.")


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    form = ProductAdminForm
    change_list_template = "trials/sheets/admin_product_changelist.html"
    list_display = [
        "name",
        "atmp_type",
        "highest_phase",
        "patient_classification",
        "curation_status",
        "owner",
        "is_demo",
        "updated_at",
    ]
    list_filter = [
        "curation_status",
        "atmp_type",
        "highest_phase",
        "patient_classification",
        "cell_source",
        "gene_transfer_mode",
        "sheet_review_status",
        "is_demo",
        ("origin_locations", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "disease_text", "target_text", "cell_type", "trials__title", "trials__primary_identifier"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["diseases", "targets", "patient_cohorts", "origin_locations"]
    readonly_fields = ["created_at", "updated_at", "submitted_at", "reviewed_at", "reviewed_by"]
    list_select_related = ["owner"]
    inlines = [TrialInline, SheetCellInline]
    actions = ["approve_selected", "reject_selected", "download_sheets"]
    history_list_display = ["curation_status"]
    fieldsets = [
        ("Change", {"fields": ["change_reason"]}),
        (
            "ATMP cover sheet",
            {
                "fields": [
                    "name",
                    "slug",
                    ("atmp_type", "atmp_type_text"),
                    "category",
                    ("country_of_origin_text", "origin_locations"),
                    ("cell_source", "cell_source_text"),
                    "cell_type",
                    "route_of_administration",
                    ("disease_text", "diseases"),
                    ("patient_cohort_text", "patient_cohorts"),
                    ("patient_classification", "patient_classification_text"),
                    ("target_text", "targets"),
                    ("gene_transfer_mode", "gene_transfer_mode_text"),
                    "conducted_trials_text",
                    "cover_trial_status_text",
                    "highest_phase",
                ]
            },
        ),
        (
            "WP 1: preclinical development",
            {
                "classes": ["collapse"],
                "fields": WP1_FIELDS,
            },
        ),
        (
            "Review status (JOIN4ATMP sheet)",
            {"fields": [("sheet_review_status", "sheet_review_status_text"), "sheet_reviewer"]},
        ),
        (
            "Curation on this platform",
            {
                "fields": [
                    "curation_status",
                    "owner",
                    ("submitted_at", "reviewed_at", "reviewed_by"),
                    "review_comment",
                    ("source_file", "sheet_name"),
                    "is_demo",
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("change_reason") or "").strip()
        obj._change_reason = reason or ("Created in the admin" if not change else "Edited in the admin")
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # Inline trials changed together with the product carry the product's reason in their history.
        reason = (form.cleaned_data.get("change_reason") or "").strip() or "Edited in the admin"
        for instance in formset.save(commit=False):
            instance._change_reason = reason
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "sheet_upload_url": reverse("trials:sheet_upload")}
        return super().changelist_view(request, extra_context=extra_context)

    @admin.action(description="Approve selected submissions (publish)")
    def approve_selected(self, request, queryset):
        from .services import ReviewError, product_approve

        approved = 0
        for product in queryset:
            try:
                product_approve(product=product, reviewer=request.user)
            except ReviewError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                approved += 1
        if approved:
            self.message_user(request, f"{approved} product(s) approved and published.", messages.SUCCESS)

    @admin.action(description="Reject selected submissions (with a comment)…")
    def reject_selected(self, request, queryset):
        from .services import ReviewError, product_reject

        form = RejectForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Reject submissions",
                "form": form,
                "products": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return render(request, "trials/sheets/admin_reject.html", context)
        rejected = 0
        for product in queryset:
            try:
                product_reject(product=product, reviewer=request.user, comment=form.cleaned_data["comment"])
            except ReviewError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                rejected += 1
        if rejected:
            self.message_user(request, f"{rejected} product(s) rejected; the contributors are told why.")
        return None

    @admin.action(description="Download selected as cover sheets (zip)")
    def download_sheets(self, request, queryset):
        from django.http import HttpResponse

        from .exports import sheets_zip_bytes

        response = HttpResponse(sheets_zip_bytes(queryset, user=request.user), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="atmp-cover-sheets.zip"'
        return response


@admin.register(Trial)
class TrialAdmin(SimpleHistoryAdmin):
    form = TrialAdminForm
    list_display = ["__str__", "product", "phase", "status", "status_as_of", "sponsor_type", "first_in_human"]
    list_filter = [
        "phase",
        "status",
        "sponsor_type",
        "centre_type",
        "first_in_human",
        "product__atmp_type",
        "product__curation_status",
        ("countries", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "primary_identifier", "registry_id_text", "sponsor", "product__name"]
    list_select_related = ["product"]
    autocomplete_fields = ["product", "countries"]
    inlines = [TrialIdentifierInline]
    history_list_display = ["status", "phase"]

    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("change_reason") or "").strip()
        obj._change_reason = reason or ("Edited in the admin" if change else "Created in the admin")
        super().save_model(request, obj, form, change)


@admin.register(SheetCell)
class SheetCellAdmin(admin.ModelAdmin):
    list_display = ["product", "kind", "section", "label", "column", "value"]
    list_filter = ["kind", "section"]
    search_fields = ["product__name", "label", "value"]
    autocomplete_fields = ["product"]


@admin.register(TrialIdentifier)
class TrialIdentifierAdmin(admin.ModelAdmin):
    list_display = ["value", "registry", "trial"]
    list_filter = ["registry"]
    search_fields = ["value", "trial__title", "trial__product__name"]
    autocomplete_fields = ["trial"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Disease)
class DiseaseAdmin(admin.ModelAdmin):
    list_display = ["name", "therapeutic_area", "is_rare", "orpha_code", "icd10_code"]
    list_filter = ["therapeutic_area", "is_rare"]
    search_fields = ["name", "orpha_code", "icd10_code"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(PatientCohort)
class PatientCohortAdmin(admin.ModelAdmin):
    search_fields = ["name"]
