"""The directory's one FilterSet, used by /experts/ and /api/experts/, and its facet counts.

Every filter respects per-field visibility: a visitor filtering by country finds only
the experts whose country that visitor may see, so a hidden value can never be found
out by filtering. Multi-valued parameters repeat in the URL (``?area=oncology&area=car-t``),
so a filtered directory is a shareable link; within one facet the values are alternatives.
"""

from __future__ import annotations

import operator
from collections import Counter
from functools import reduce

import django_filters
from django import forms
from django.db.models import Count, Q
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from trials.facets import Facet, FacetOption
from trials.models import AtmpType

from .languages import ISO_639_1
from .models import Availability, ExpertiseArea, ExpertProfile, StakeholderType
from .visibility import EVERYONE_ONLY, audience_levels, visible_to_levels


class CodeListField(forms.MultipleChoiceField):
    """Codes from a known set; empty values (``?country=``) mean "no filter", not an error.

    The codes are checked against a set rather than held as the form's choices: Django
    normalises and deep-copies choices with every form, and with 249 countries and 183
    languages in seven FilterSets a page that cost more than all of the page's SQL.
    """

    def __init__(self, *, codes, **kwargs):
        self.codes = codes  # a set, or a function returning one (the curated taxonomy)
        super().__init__(**kwargs)

    def clean(self, value):
        return super().clean([v for v in (value or []) if v not in ("", None)])

    def valid_value(self, value) -> bool:
        codes = self.codes() if callable(self.codes) else self.codes
        return value in codes


@extend_schema_field(OpenApiTypes.STR)  # repeated: ?country=DE&country=FR
class VisibleChoiceFilter(django_filters.MultipleChoiceFilter):
    """A facet filter: any of the chosen values, among the rows whose field the viewer may see."""

    field_class = CodeListField

    def __init__(self, *args, controlled: str, lookup, **kwargs):
        self.controlled = controlled  # the visibility this filter obeys (experts.visibility)
        self.lookup = lookup  # a field lookup, or a function of the chosen values returning a Q
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if callable(self.lookup):
            matches = self.lookup(value)
        else:
            matches = reduce(operator.or_, (Q(**{self.lookup: v}) for v in value))
        return qs.filter(matches & visible_to_levels(self.controlled, self.parent.levels))


def _in_areas(areas) -> Q:
    """Profiles in any of these areas, as a subquery: no join, so no row repeats and no DISTINCT."""
    through = ExpertProfile.expertise_areas.through.objects
    return Q(pk__in=through.filter(expertisearea__in=areas).values("expertprofile_id"))


def _area_choices():
    return list(ExpertiseArea.objects.values_list("slug", "name"))


def _area_slugs() -> set[str]:
    return set(ExpertiseArea.objects.values_list("slug", flat=True))


def _codes(choices) -> frozenset:
    return frozenset(code for code, _label in choices)


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search name, institution, expertise and bio")
    stakeholder_type = VisibleChoiceFilter(
        label="Stakeholder type", codes=_codes(StakeholderType.choices), controlled="stakeholder_type",
        lookup="stakeholder_type",
    )  # fmt: skip
    area = VisibleChoiceFilter(
        label="Expertise area",
        codes=_area_slugs,
        controlled="expertise",
        lookup=lambda slugs: _in_areas(ExpertiseArea.objects.filter(slug__in=slugs).values("pk")),
    )
    atmp_type = VisibleChoiceFilter(
        label="ATMP type", codes=_codes(AtmpType.choices), controlled="expertise", lookup="atmp_types__has"
    )
    country = VisibleChoiceFilter(label="Country", codes=_codes(countries), controlled="country", lookup="country")
    language = VisibleChoiceFilter(
        label="Language", codes=_codes(ISO_639_1), controlled="languages", lookup="languages__has"
    )
    availability = VisibleChoiceFilter(
        label="Availability",
        codes=_codes(Availability.choices),
        controlled="availability",
        lookup="availability__has",
    )

    class Meta:
        model = ExpertProfile
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A page builds seven FilterSets (the list and one per facet): read the taxonomy once per request.
        if self.request is not None:
            if not hasattr(self.request, "_expertise_area_slugs"):
                self.request._expertise_area_slugs = _area_slugs()
            self.filters["area"].extra["codes"] = self.request._expertise_area_slugs

    @property
    def levels(self) -> frozenset:
        # The directory shows other people's profiles: a viewer's own hidden fields do not count.
        if not hasattr(self, "_levels"):
            self._levels = audience_levels(self.request.user) if self.request else EVERYONE_ONLY
        return self._levels

    def search(self, queryset, name, value):
        """Every word must appear in the name, or in a field the viewer may see."""
        levels = self.levels
        for word in value.split()[:8]:
            areas = ExpertiseArea.objects.filter(name__icontains=word).values("pk")
            queryset = queryset.filter(
                Q(display_name__icontains=word)
                | (Q(affiliation__icontains=word) & visible_to_levels("affiliation", levels))
                | ((Q(expertise__icontains=word) | _in_areas(areas)) & visible_to_levels("expertise", levels))
                | (Q(bio__icontains=word) & visible_to_levels("bio", levels))
            )
        return queryset


# facet name -> (controlled field, column, kind); kinds: "column", "list" (ChoiceListField), "areas" (M2M)
FACETS = {
    "stakeholder_type": ("stakeholder_type", "stakeholder_type", "column"),
    "area": ("expertise", None, "areas"),
    "atmp_type": ("expertise", "atmp_types", "list"),
    "country": ("country", "country", "column"),
    "language": ("languages", "languages", "list"),
    "availability": ("availability", "availability", "list"),
}
LIMIT = 40  # options a facet lists at most


def _without(data, name: str):
    rest = data.copy()
    for key in (name, "page"):
        rest.pop(key, None)
    return rest


def count_values(queryset, column: str, kind: str) -> Counter:
    """value -> number of profiles, with one GROUP BY query."""
    counts: Counter = Counter()
    if kind == "areas":
        through = ExpertProfile.expertise_areas.through.objects.filter(expertprofile__in=queryset.values("pk"))
        for row in through.values("expertisearea__slug").annotate(n=Count("pk")).order_by():
            counts[row["expertisearea__slug"]] = row["n"]
        return counts
    for row in queryset.order_by().values(column).annotate(n=Count("pk")):
        value = row[column]
        # A choice list groups by whole lists ("de,en"), a few hundred at most: split them here.
        for code in value if kind == "list" else [value]:
            if code:
                counts[code] += row["n"]
    return counts


def directory_facets(*, data, queryset, request) -> list[Facet]:
    """Disjunctive facet counts: each facet counted with every *other* filter applied."""
    labels = {
        "stakeholder_type": dict(StakeholderType.choices),
        "area": dict(_area_choices()),
        "atmp_type": dict(AtmpType.choices),
        "country": dict(countries),
        "language": dict(ISO_639_1),
        "availability": dict(Availability.choices),
    }
    facets = []
    for name, (controlled, column, kind) in FACETS.items():
        filterset = ExpertFilter(_without(data, name), queryset=queryset, request=request)
        narrowed = filterset.qs.filter(visible_to_levels(controlled, filterset.levels))
        counts = count_values(narrowed, column, kind)
        selected = set(data.getlist(name))
        ranked = sorted(counts.items(), key=lambda item: (-item[1], str(labels[name].get(item[0], item[0]))))
        options = [
            FacetOption(value, str(labels[name].get(value, value)), n, value in selected) for value, n in ranked[:LIMIT]
        ]
        listed = {option.value for option in options}
        options += [
            FacetOption(value, str(labels[name].get(value, value)), 0, True)
            for value in sorted(selected - listed)
            if value in labels[name]
        ]
        facets.append(Facet(name, str(ExpertFilter.base_filters[name].label), options))
    return facets


def network_reach(*, queryset, request) -> list[dict]:
    """Experts per country and per stakeholder type, among the profiles this visitor can list."""
    levels = audience_levels(request.user)
    by_country = count_values(queryset.filter(visible_to_levels("country", levels)), "country", "column")
    by_type = count_values(queryset.filter(visible_to_levels("stakeholder_type", levels)), "stakeholder_type", "column")
    country_names = dict(countries)
    type_names = dict(StakeholderType.choices)
    return [
        {
            "key": "country",
            "title": "Experts per country",
            "column": "Country",
            "bars": _bars(by_country, country_names),
        },
        {
            "key": "stakeholder",
            "title": "Experts per stakeholder type",
            "column": "Stakeholder type",
            "bars": _bars(by_type, type_names),
        },
    ]


def _bars(counts: Counter, names: dict) -> list[dict]:
    top = max(counts.values(), default=0)
    return [
        {"label": str(names.get(value, value)), "count": n, "percent": round(100 * n / top) if top else 0}
        for value, n in sorted(counts.items(), key=lambda item: (-item[1], str(names.get(item[0], item[0]))))
    ]
