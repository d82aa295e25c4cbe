"""Formatting of money and input names on the evaluation pages."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat

register = template.Library()

_UNITS = {"_eur": " (€)", "_years": " (years)", "_per_year": " per year"}


@register.filter
def eur(value, decimals: int = 0) -> str:
    """-10873279.4 -> "−€10,873,279": the sign before the currency, as people write it."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    sign = "−" if number < 0 else ""
    return f"{sign}€{intcomma(floatformat(abs(number), decimals))}"


@register.filter
def input_label(path: str) -> str:
    """ "phases.2.duration_years" -> "Phase 3: duration (years)"; "market.price_per_treatment_eur" -> "Market: …"."""
    parts = str(path).split(".")
    field = parts[-1]
    unit = next((text for suffix, text in _UNITS.items() if field.endswith(suffix)), "")
    for suffix in _UNITS:
        field = field.removesuffix(suffix)
    words = field.replace("_", " ")
    if parts[0] == "phases" and len(parts) == 3 and parts[1].isdigit():
        return f"Phase {int(parts[1]) + 1}: {words}{unit}"
    if parts[0] == "market" and len(parts) == 2:
        return f"Market: {words}{unit}"
    return f"{words.capitalize()}{unit}"
