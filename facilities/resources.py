"""CSV/XLSX column layout of facilities (import and export), documented in docs/facilities.md.

Rows are matched on `slug` (created from name and city when empty). Multi-valued
columns list codes separated by ";" (e.g. "gtmp; car_t"). Authorisations are an
export-only column: they are curated in the admin, each with its own source.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django_countries import countries
from import_export import fields, resources, widgets

from .hub_models import ProcessType, Scale, Service, ServiceOffer
from .models import (
    Activity,
    AtmpCategory,
    Authorisation,
    AuthorisationKind,
    Facility,
    FacilityStatus,
    InstitutionType,
    bars_from_codes,
    codes_from_bars,
)

OFFER_COLUMNS = (
    "offer_services",
    "offer_atmp_categories",
    "offer_process_types",
    "offer_scales",
    "offer_batches_per_year",
    "offer_lead_time_months",
    "offer_takes_academic",
    "offer_languages",
    "offer_confirmed_on",
)


def _codes(choices) -> str:
    return "codes separated by ';': " + ", ".join(choices.values)


COLUMN_HELP = {
    "slug": "empty = new facility (made from name and city); an existing slug updates that facility",
    "institution_type": "one of: " + ", ".join(InstitutionType.values) + " (or its label)",
    "country": "ISO 3166-1 alpha-2 (DE), the EU's EL/UK, or the English name",
    "latitude": "decimal degrees, -90 to 90, up to 6 decimals",
    "longitude": "decimal degrees, -180 to 180, up to 6 decimals",
    "website": "URL",
    "contact_email": "a role address (it is public)",
    "atmp_types": _codes(AtmpCategory),
    "activities": _codes(Activity),
    "cleanroom_grades": "letters in order, e.g. ABCD",
    "cleanroom_count": "whole number",
    "cleanroom_area_m2": "whole number",
    "batches_per_year": "whole number",
    "services_to_third_parties": "yes/no; empty = no",
    "source_url": "URL of the public source",
    "verified_on": "YYYY-MM-DD",
    "status": "published (default) or draft",
    "offer_services": "the hub's service offer; empty = no offer change. " + _codes(Service),
    "offer_atmp_categories": _codes(AtmpCategory),
    "offer_process_types": _codes(ProcessType),
    "offer_scales": _codes(Scale),
    "offer_batches_per_year": "whole number: batches a year for third parties",
    "offer_lead_time_months": "whole number of months, 0 to 120",
    "offer_takes_academic": "yes/no: takes academic or non-commercial projects; empty = no",
    "offer_languages": "text, e.g. German, English",
    "offer_confirmed_on": "YYYY-MM-DD; empty = today",
}

# EU texts write EL and UK (Interinstitutional Style Guide 7.1); ISO 3166-1 says GR and GB.
COUNTRY_ALIASES = {"EL": "GR", "UK": "GB"}


class CodesWidget(widgets.Widget):
    """'gtmp; car_t' <-> '|gtmp|car_t|'; labels are accepted too; unknown codes are a row error."""

    def __init__(self, choices_class, **kwargs):
        self.choices_class = choices_class
        self.by_label = {label.lower(): value for value, label in choices_class.choices}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        items = [item.strip() for item in str(value or "").replace("|", ";").replace(",", ";").split(";")]
        codes = [self.by_label.get(item.lower(), item.lower()) for item in items if item]
        return bars_from_codes(codes, self.choices_class)

    def render(self, value, obj=None, **kwargs):
        return "; ".join(codes_from_bars(value))


class ChoiceWidget(widgets.Widget):
    """A code or its label; an unknown value is a row error naming the allowed codes."""

    def __init__(self, choices_class, default=None, **kwargs):
        self.choices_class = choices_class
        self.default = default
        self.by_label = {label.lower(): value for value, label in choices_class.choices}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text and self.default:
            return self.default
        code = self.by_label.get(text.lower(), text.lower())
        if code not in self.choices_class.values:
            raise ValueError(f"'{text}' is not one of: {', '.join(self.choices_class.values)}")
        return code

    def render(self, value, obj=None, **kwargs):
        return value or ""


class StrictBooleanWidget(widgets.BooleanWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in ("", "0", "false", "no", "n"):
            return False
        if text in ("1", "true", "yes", "y"):
            return True
        raise ValueError(f"'{value}' is not yes/no")


class CountryWidget(widgets.Widget):
    """ISO alpha-2 ('DE'), the EU's own code ('EL') or the English name ('Germany')."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            raise ValueError("a country is required")
        code = COUNTRY_ALIASES.get(text.upper(), text.upper())
        if code in dict(countries):
            return code
        by_name = countries.by_name(text)
        if by_name:
            return by_name
        raise ValueError(f"unknown country '{text}': use an ISO 3166-1 alpha-2 code such as DE")

    def render(self, value, obj=None, **kwargs):
        return str(getattr(value, "code", value) or "")


class CoordinateWidget(widgets.DecimalWidget):
    """Decimal degrees; text that is not a number is a row error in words, not a decimal module repr."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ArithmeticError, ValueError, TypeError):
            raise ValueError(f"'{value}' is not a number of decimal degrees") from None


class BlankTextMixin:
    """Empty spreadsheet cells arrive as None; text columns store "" (they are NOT NULL)."""

    def before_import_row(self, row, **kwargs):
        model = self._meta.model
        for field in model._meta.concrete_fields:
            if field.get_internal_type() in ("CharField", "TextField", "SlugField", "URLField", "EmailField"):
                for column in {field.name, getattr(self.fields.get(field.name), "column_name", None)} - {None}:
                    if column in row and row[column] is None:
                        row[column] = ""
        super().before_import_row(row, **kwargs)


class FacilityResource(BlankTextMixin, resources.ModelResource):
    country = fields.Field("country", "country", CountryWidget())
    institution_type = fields.Field("institution_type", "institution_type", ChoiceWidget(InstitutionType))
    latitude = fields.Field("latitude", "latitude", CoordinateWidget())
    longitude = fields.Field("longitude", "longitude", CoordinateWidget())
    atmp_types = fields.Field("atmp_categories", "atmp_types", CodesWidget(AtmpCategory))
    activities = fields.Field("activities", "activities", CodesWidget(Activity))
    services_to_third_parties = fields.Field(
        "services_to_third_parties", "services_to_third_parties", StrictBooleanWidget()
    )
    status = fields.Field("status", "status", ChoiceWidget(FacilityStatus, default=FacilityStatus.PUBLISHED))
    # The service offer on the hub (one per facility): empty offer_services = no offer change.
    offer_services = fields.Field("offer_services", "offer_services", CodesWidget(Service))
    offer_atmp_categories = fields.Field("offer_atmp_categories", "offer_atmp_categories", CodesWidget(AtmpCategory))
    offer_process_types = fields.Field("offer_process_types", "offer_process_types", CodesWidget(ProcessType))
    offer_scales = fields.Field("offer_scales", "offer_scales", CodesWidget(Scale))
    offer_batches_per_year = fields.Field("offer_batches_per_year", "offer_batches_per_year", widgets.IntegerWidget())
    offer_lead_time_months = fields.Field("offer_lead_time_months", "offer_lead_time_months", widgets.IntegerWidget())
    offer_takes_academic = fields.Field("offer_takes_academic", "offer_takes_academic", StrictBooleanWidget())
    offer_languages = fields.Field("offer_languages", "offer_languages", widgets.CharWidget())
    offer_confirmed_on = fields.Field("offer_confirmed_on", "offer_confirmed_on", widgets.DateWidget())
    authorisations = fields.Field(column_name="authorisations", readonly=True)

    class Meta:
        model = Facility
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "institution",
            "institution_type",
            "address",
            "postal_code",
            "city",
            "region",
            "country",
            "latitude",
            "longitude",
            "website",
            "contact_email",
            "atmp_types",
            "activities",
            "cleanroom_grades",
            "cleanroom_count",
            "cleanroom_area_m2",
            "closed_systems",
            "batches_per_year",
            "capacity_notes",
            "services_to_third_parties",
            "services_description",
            "source_url",
            "source_note",
            "verified_on",
            "status",
            *OFFER_COLUMNS,
            "authorisations",
        )
        export_order = fields
        clean_model_instances = True  # full_clean(): ranges, choices, URLs, e-mails -> row errors
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def dehydrate_authorisations(self, facility):
        return "; ".join(
            f"{a.short_label}{' ' + a.reference_number if a.reference_number else ''} ({a.issuing_authority})"
            for a in facility.authorisations.all()
        )

    def validate_instance(self, instance, *args, **kwargs):
        # A new facility's slug comes from its name and city, before validation asks for one.
        if not instance.slug and instance.name:
            instance.slug = instance._unique_slug()
        try:
            super().validate_instance(instance, *args, **kwargs)
        except ValidationError as error:
            offer_errors = _offer_errors(instance)
            raise ValidationError({**error.message_dict, **offer_errors}) from error
        offer_errors = _offer_errors(instance)
        if offer_errors:
            raise ValidationError(offer_errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if _offer_values(instance) is not None and _offer_values(instance) != _current_offer(original):
            return False
        # The offer columns are compared above; the original (a copy, from the database) has none.
        for column in OFFER_COLUMNS:
            setattr(original, column, getattr(instance, column, None))
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        values = _offer_values(instance)
        if values is not None and not kwargs.get("dry_run"):
            from .hub_services import offer_save

            offer_save(facility=instance, values=values, user=kwargs.get("user"))

    def before_export(self, queryset, **kwargs):
        # One query for every exported facility's offer, not nine per row.
        self._offers = {
            o.facility_id: o for o in ServiceOffer.objects.filter(facility__in=queryset.order_by().values("pk"))
        }
        super().before_export(queryset, **kwargs)

    def _offer_column(self, facility, name):
        offers = getattr(self, "_offers", None)
        offer = (
            offers.get(facility.pk) if offers is not None else ServiceOffer.objects.filter(facility=facility).first()
        )
        return _offer_text(offer, name) if offer else ""

    def dehydrate_offer_services(self, facility):
        return self._offer_column(facility, "services")

    def dehydrate_offer_atmp_categories(self, facility):
        return self._offer_column(facility, "atmp_categories")

    def dehydrate_offer_process_types(self, facility):
        return self._offer_column(facility, "process_types")

    def dehydrate_offer_scales(self, facility):
        return self._offer_column(facility, "scales")

    def dehydrate_offer_batches_per_year(self, facility):
        return self._offer_column(facility, "batches_per_year")

    def dehydrate_offer_lead_time_months(self, facility):
        return self._offer_column(facility, "lead_time_months")

    def dehydrate_offer_takes_academic(self, facility):
        return self._offer_column(facility, "takes_academic")

    def dehydrate_offer_languages(self, facility):
        return self._offer_column(facility, "languages")

    def dehydrate_offer_confirmed_on(self, facility):
        return self._offer_column(facility, "confirmed_on")


OFFER_FIELDS = ("services", "atmp_categories", "process_types", "scales", "batches_per_year", "lead_time_months",
                "takes_academic", "languages", "confirmed_on")  # fmt: skip


def _offer_values(facility) -> dict | None:
    """The offer columns set on the row's facility, or None when the row names no offer services."""
    if not getattr(facility, "offer_services", ""):
        return None
    values = {name: getattr(facility, f"offer_{name}", None) for name in OFFER_FIELDS}
    values["takes_academic"] = bool(values["takes_academic"]) if values["takes_academic"] is not None else True
    for name in ("atmp_categories", "process_types", "scales", "languages"):
        values[name] = values[name] or ""
    return values


def _current_offer(facility) -> dict | None:
    offer = ServiceOffer.objects.filter(facility_id=facility.pk).first() if facility and facility.pk else None
    return {name: getattr(offer, name) for name in OFFER_FIELDS} if offer else None


def _offer_errors(facility) -> dict[str, list[str]]:
    values = _offer_values(facility)
    if values is None:
        return {}
    offer = ServiceOffer(facility_id=facility.pk or 0, **{k: v for k, v in values.items() if v is not None})
    try:
        # Field checks only: the one-offer-per-facility rule holds by construction (update_or_create).
        offer.full_clean(exclude=["facility", "updated_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return {f"offer_{name}": messages for name, messages in error.message_dict.items()}
    return {}


def _offer_text(offer, name: str) -> str:
    value = getattr(offer, name)
    if name in ("services", "atmp_categories", "process_types", "scales"):
        return "; ".join(codes_from_bars(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)

    def get_instance(self, instance_loader, row):
        if not (row.get("slug") or "").strip():
            return None
        return super().get_instance(instance_loader, row)


class AuthorisationResource(BlankTextMixin, resources.ModelResource):
    """One row per regulatory status record; the facility is named by its slug."""

    facility = fields.Field("facility", "facility", widgets.ForeignKeyWidget(Facility, field="slug"))
    kind = fields.Field("kind", "kind", ChoiceWidget(AuthorisationKind))

    class Meta:
        model = Authorisation
        import_id_fields = ("facility", "kind", "reference_number")
        fields = (
            "facility",
            "kind",
            "reference_number",
            "issuing_authority",
            "issued_on",
            "last_inspection_on",
            "source_url",
            "source_note",
            "verified_on",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
