"""The facet sidebar's options, built in Python.

About 100 options a page, each a checkbox, a label and a count: through the template
engine they took 1.9 ms of the searched trial list, built here 0.5 ms
(docs/benchmarks.md, "Trials"). The markup is the one of Bootstrap's form-check;
every value is escaped by format_html_join.
"""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

OPTION = (
    '<div class="form-check small{folded}">'
    '<input class="form-check-input" type="{input_type}" name="{name}" value="{value}" id="{dom_id}"{checked}>'
    '<label class="form-check-label d-flex justify-content-between" for="{dom_id}">'
    '<span>{label}</span> <span class="badge rounded-pill text-bg-light facet-count">{count}</span>'
    "</label></div>"
)
NO_OPTIONS = mark_safe('<p class="small text-body-secondary mb-0">No values in these results.</p>')  # noqa: S308 - constant


@register.simple_tag
def facet_options(facet) -> str:
    """One facet's options (trials.facets.Facet), or a note that these results have none."""
    if not facet.options:
        return NO_OPTIONS
    return format_html_join(
        "\n",
        OPTION,
        (
            {
                "folded": " facet-more d-none" if option.folded else "",
                "input_type": facet.input_type,
                "name": facet.name,
                "value": option.value,
                "dom_id": option.dom_id,
                "checked": " checked" if option.selected else "",
                "label": option.label,
                "count": option.count,
            }
            for option in facet.options
        ),
    )
