"""Facet counts beside each filter: how many results each choice would give.

Counts are disjunctive: a facet is counted with every *other* filter applied,
so ticking "Phase 1" still shows how many Phase 2 records there are. The lists
count them in memory (trials/facet_index.py); `facet_counts` here counts them
with one GROUP BY query per facet, the reference the in-memory counts are tested
against (tests/trials/test_facet_index.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.http import QueryDict

from .models import AtmpType, CellSource, GeneTransferMode, PatientClassification, Phase, SponsorType, TrialStatus

SHOWN_BEFORE_MORE = 8  # options listed before a facet's "Show all" button


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    dom_id: str = ""  # set by its Facet
    folded: bool = False  # hidden until "Show all"; a selected option never is


@dataclass
class Facet:
    """One filter's options with their counts, ready for the sidebar (templates/trials/_filters.html).

    What the template would otherwise work out per option (its id, whether it is folded away)
    is set here once: about 100 options a page, each a dozen template lookups fewer.
    """

    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)

    def __post_init__(self):
        for position, option in enumerate(self.options, start=1):
            option.dom_id = f"f-{self.name}-{position}"
            option.folded = position > SHOWN_BEFORE_MORE and not option.selected

    @property
    def input_type(self) -> str:
        return "radio" if self.name == "first_in_human" else "checkbox"

    @property
    def foldable(self) -> bool:
        return len(self.options) > SHOWN_BEFORE_MORE

    @property
    def has_selection(self) -> bool:
        return any(o.selected for o in self.options)


@dataclass(frozen=True)
class FacetSpec:
    name: str  # the filter's URL parameter
    label: str
    path: str  # what to group by
    labels: dict | None = None  # value -> label; None: the value itself or `name_path`
    name_path: str | None = None  # a second column with the display name (locations)
    limit: int = 30


def _yes_no(value) -> str:
    return {True: "yes", False: "no"}.get(value, "")


YES_NO_LABELS = {"yes": "Yes", "no": "No"}


def _specs(prefix: str, trial_prefix: str) -> list[FacetSpec]:
    """The same facets for both lists; `prefix` reaches the product, `trial_prefix` the trials."""
    return [
        FacetSpec("atmp_type", "Type of ATMP", f"{prefix}atmp_type", dict(AtmpType.choices)),
        FacetSpec(
            "patient_classification",
            "Patient classification",
            f"{prefix}patient_classification",
            dict(PatientClassification.choices),
        ),
        FacetSpec("phase", "Phase", f"{trial_prefix}phase", dict(Phase.choices)),
        FacetSpec("status", "Trial status", f"{trial_prefix}status", dict(TrialStatus.choices)),
        FacetSpec(
            "origin", "Country of origin", f"{prefix}origin_locations__code", None, f"{prefix}origin_locations__name"
        ),
        FacetSpec(
            "country", "Trial countries", f"{trial_prefix}countries__code", None, f"{trial_prefix}countries__name"
        ),
        FacetSpec("sponsor_type", "Sponsor type", f"{trial_prefix}sponsor_type", dict(SponsorType.choices)),
        FacetSpec("cell_source", "Cell source", f"{prefix}cell_source", dict(CellSource.choices)),
        FacetSpec("first_in_human", "First in human", f"{trial_prefix}first_in_human", YES_NO_LABELS),
    ]


TRIAL_FACETS = [*_specs("product__", ""), FacetSpec("start_year", "Start year", "start_year", None, limit=40)]
PRODUCT_FACETS = _specs("", "trials__")
# On the product list "development stage" is the product's highest phase, not any trial's.
PRODUCT_FACETS[2] = FacetSpec("phase", "Development stage", "highest_phase", dict(Phase.choices))
PRODUCT_FACETS.append(
    FacetSpec("gene_transfer_mode", "Mode of gene transfer", "gene_transfer_mode", dict(GeneTransferMode.choices))
)


def _without(data: QueryDict, name: str) -> QueryDict:
    rest = data.copy()
    for key in (name, "sort", "page", "per_page"):
        rest.pop(key, None)
    return rest


def facet_counts(*, filterset_class, data: QueryDict, queryset, specs: list[FacetSpec], request=None) -> list[Facet]:
    """One Facet per spec by GROUP BY queries (the product list; the trial list counts in memory,
    trials/facet_index.py, and a test holds the two equal)."""
    facets = []
    for spec in specs:
        narrowed = filterset_class(_without(data, spec.name), queryset=queryset, request=request).qs.order_by()
        columns = [spec.path] + ([spec.name_path] if spec.name_path else [])
        rows = narrowed.values(*columns).annotate(n=Count("pk", distinct=True)).order_by("-n", spec.path)[: spec.limit]
        names = (row.get(spec.name_path) if spec.name_path else None for row in rows)
        counted = [(_value(spec, row[spec.path]), name, row["n"]) for row, name in zip(rows, names, strict=True)]
        facets.append(Facet(spec.name, spec.label, facet_options(spec, counted, data)))
    return facets


def _value(spec: FacetSpec, raw) -> str:
    return _yes_no(raw) if spec.name == "first_in_human" else ("" if raw is None else str(raw))


def facet_options(spec: FacetSpec, counted: list[tuple[str, str | None, int]], data: QueryDict) -> list[FacetOption]:
    """Options from (value, display name or None, count) rows, most frequent first as given;
    a selected value that no longer counts anything is still listed, so it can be unticked."""
    selected = set(data.getlist(spec.name))
    options = []
    for value, name, count in counted:
        if value == "":
            continue  # records without a value are not a choice
        label = (spec.labels or {}).get(value) or name or value
        options.append(FacetOption(value, str(label), count, value in selected))
    shown = {o.value for o in options}
    for value in sorted(selected - shown):
        options.append(FacetOption(value, str((spec.labels or {}).get(value, value)), 0, True))
    return options
