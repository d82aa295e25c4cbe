"""CSV/XLSX column layout of facilities (import and export), documented in docs/facilities.md.

Rows are matched on `slug` (created from name and city when empty). Multi-valued
columns list codes separated by ";" (e.g. "gtmp; car_t"). Authorisations are an
export-only column: they are curated in the admin, each with its own source.
"""

from __future__ import annotations

from django_countries import countries
from import_export import fields, resources, widgets

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
    atmp_types = fields.Field("atmp_categories", "atmp_types", CodesWidget(AtmpCategory))
    activities = fields.Field("activities", "activities", CodesWidget(Activity))
    services_to_third_parties = fields.Field(
        "services_to_third_parties", "services_to_third_parties", StrictBooleanWidget()
    )
    status = fields.Field("status", "status", ChoiceWidget(FacilityStatus, default=FacilityStatus.PUBLISHED))
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
        super().validate_instance(instance, *args, **kwargs)

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
