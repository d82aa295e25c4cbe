"""The facet sidebar's options, built in Python.

About 100 options a page, each a checkbox, a label and a count: through the template
engine they took 1.9 ms of the searched trial list, built here 0.4 ms
(docs/benchmarks.md, "Trials"). The markup is Bootstrap's form-check. Every value that
comes from data goes through html.escape (quotes included) before it is placed; the
rest are constants of this module.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

OPTION = (
    '<div class="form-check small{folded}">'
    '<input class="form-check-input" type="{input_type}" name="{name}" value="{value}" id="{dom_id}"{checked}>'
    '<label class="form-check-label d-flex justify-content-between" for="{dom_id}">'
    '<span>{label}</span> <span class="badge rounded-pill text-bg-light facet-count">{count:d}</span>'
    "</label></div>"
)
NO_OPTIONS = '<p class="small text-body-secondary mb-0">No values in these results.</p>'


@register.simple_tag
def facet_options(facet) -> str:
    """One facet's options (trials.facets.Facet), or a note that these results have none."""
    if not facet.options:
        return mark_safe(NO_OPTIONS)  # noqa: S308 - a constant
    name, input_type = escape(facet.name), escape(facet.input_type)
    html = "\n".join(
        OPTION.format(
            folded=" facet-more d-none" if option.folded else "",
            input_type=input_type,
            name=name,
            value=escape(option.value),
            dom_id=escape(option.dom_id),
            checked=" checked" if option.selected else "",
            label=escape(str(option.label)),
            count=int(option.count),
        )
        for option in facet.options
    )
    return mark_safe(html)  # noqa: S308 - every value from data is escaped above
