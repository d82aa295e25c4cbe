# Curation models are registered here; their permissions are declared in platform_site/roles.py.
# Never import leaflet.admin here: it imports GeoDjango (GDAL). The point is picked with our own widget.
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from . import hub_services, services
from .contacts import FacilityContact
from .forms import FacilityAdminForm
from .hub_models import Enquiry, ManufacturingNeed, ServiceOffer
from .import_jobs import ImportJob
from .models import Authorisation, CorrectionStatus, Facility, FacilityCorrection, ManufacturingSiteLink
from .resources import AuthorisationResource, FacilityResource


class HttpsUrlMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AuthorisationInline(HttpsUrlMixin, admin.StackedInline):
    model = Authorisation
    extra = 0
    fields = [
        ("kind", "reference_number"),
        ("issuing_authority", "issued_on", "last_inspection_on"),
        ("source_url", "source_note", "verified_on"),
    ]


@admin.register(Facility)
class FacilityAdmin(HttpsUrlMixin, ExportMixin, SimpleHistoryAdmin):
    form = FacilityAdminForm
    resource_classes = [FacilityResource]
    formats = [CSV, XLSX]
    change_list_template = "admin/facilities/change_list_import_job.html"
    inlines = [AuthorisationInline]
    list_display = ("name", "institution", "city", "country", "institution_type", "status", "is_demo", "updated_at")
    list_filter = ("status", "institution_type", "services_to_third_parties", "is_demo", "country")
    search_fields = ("name", "institution", "city", "region")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = [
        (None, {"fields": ["name", "slug", "institution", "institution_type", "status", "is_demo"]}),
        ("Address and location", {"fields": ["address", "postal_code", "city", "region", "country", "location"]}),
        ("Public contact", {"fields": ["website", "contact_email"]}),
        (
            "Capabilities",
            {
                "fields": [
                    "atmp_categories",
                    "activities",
                    ("cleanroom_grades", "cleanroom_count", "cleanroom_area_m2"),
                    "closed_systems",
                    ("batches_per_year", "capacity_notes"),
                    ("services_to_third_parties", "services_description"),
                ]
            },
        ),
        ("Source", {"fields": ["source_url", "source_note", "verified_on"]}),
    ]


@admin.register(Authorisation)
class AuthorisationAdmin(HttpsUrlMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [AuthorisationResource]
    formats = [CSV, XLSX]
    change_list_template = "admin/facilities/change_list_import_job.html"
    list_display = ("facility", "kind", "reference_number", "issuing_authority", "last_inspection_on", "verified_on")
    list_filter = ("kind",)
    search_fields = ("facility__name", "reference_number", "issuing_authority")
    raw_id_fields = ("facility",)


@admin.register(FacilityCorrection)
class FacilityCorrectionAdmin(SimpleHistoryAdmin):
    list_display = ("facility", "proposed_by", "status", "created_at", "reviewed_by")
    list_filter = ("status",)
    readonly_fields = ("facility", "proposed_by", "changes", "previous", "reason", "reviewed_by", "reviewed_at")
    fields = (*readonly_fields, "review_comment")
    actions = ["accept", "reject"]

    def has_add_permission(self, request):
        return False  # experts propose corrections on the site

    @admin.action(description="Accept and apply the selected corrections", permissions=["change"])
    def accept(self, request, queryset):
        self._decide(request, queryset, services.correction_accept)

    @admin.action(description="Reject the selected corrections", permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, services.correction_reject)

    def _decide(self, request, queryset, decide):
        done = 0
        for correction in queryset.filter(status=CorrectionStatus.PENDING):
            try:
                decide(correction=correction, reviewer=request.user, comment=correction.review_comment)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"#{correction.pk}: {'; '.join(error.messages)}", messages.ERROR)
            except services.CorrectionAlreadyDecided:
                continue
        self.message_user(request, f"{done} correction(s) decided; the experts are told by e-mail.")


@admin.register(ManufacturingSiteLink)
class ManufacturingSiteLinkAdmin(SimpleHistoryAdmin):
    list_display = ("product", "facility", "confirmed_by", "confirmed_at")
    raw_id_fields = ("product", "facility")
    search_fields = ("product__name", "facility__name", "source_text")
    readonly_fields = ("confirmed_by", "confirmed_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.confirmed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(FacilityContact)
class FacilityContactAdmin(admin.ModelAdmin):
    list_display = ("user", "facility", "role", "confirmed_at", "confirmed_by", "created_at")
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__email", "facility__name", "role")
    raw_id_fields = ("facility", "user")
    readonly_fields = ("confirmed_by", "confirmed_at", "created_at")
    actions = ["confirm"]

    @admin.action(description="Confirm the selected contacts", permissions=["change"])
    def confirm(self, request, queryset):
        pending = list(queryset.pending())
        for contact in pending:
            hub_services.contact_confirm(contact=contact, curator=request.user)
        self.message_user(request, f"{len(pending)} contact(s) confirmed; the experts are told by e-mail.")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("filename", "table", "status", "progress", "rows_total", "created_by", "created_at")
    list_filter = ("status", "table")
    exclude = ("content",)
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "content"]

    def has_add_permission(self, request):
        return False  # imports start on the import page, which checks the file first


@admin.register(ManufacturingNeed)
class ManufacturingNeedAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "product_type", "phase", "confidentiality", "status", "is_demo", "created_at")
    list_filter = ("status", "confidentiality", "product_type", "is_demo")
    search_fields = ("title", "owner__email")
    raw_id_fields = ("owner",)


@admin.register(ServiceOffer)
class ServiceOfferAdmin(admin.ModelAdmin):
    list_display = ("facility", "confirmed_on", "lead_time_months", "batches_per_year", "takes_academic")
    search_fields = ("facility__name",)
    raw_id_fields = ("facility", "updated_by")


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ("need", "facility", "answer", "sent_at", "notified_at", "notify_error")
    list_filter = ("answer",)
    raw_id_fields = ("need", "facility", "answered_by")
