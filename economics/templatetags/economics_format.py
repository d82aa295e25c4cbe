"""Formatting of money and input names on the evaluation pages."""

import math

from django import template

from economics.engine.labels import input_label as _input_label

register = template.Library()


@register.filter
def eur(value, decimals: int = 0) -> str:
    """-10873279.4 -> "−€10,873,279": the sign before the currency, as people write it.

    Never scientific notation, never "nan": a value that is not a finite number shows as "—".
    """
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return "—"
    sign = "−" if round(number, int(decimals)) < 0 else ""
    return f"{sign}€{abs(number):,.{int(decimals)}f}"


@register.filter
def input_label(path: str, phase_names=()) -> str:
    """ "phases.0.success_probability" -> "Phase 1 success probability" (see engine/labels.py)."""
    return _input_label(path, phase_names or ())


@register.filter
def words(value) -> str:
    """ "start_of_year" -> "start of year": a stored choice read aloud."""
    return str(value).replace("_", " ")
