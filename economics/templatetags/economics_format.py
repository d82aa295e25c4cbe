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


@register.filter
def number(value) -> str:
    """A plain number with thousands grouped and at most 3 significant decimals: 350,000 or 0.125."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    if not math.isfinite(number):
        return "—"
    return f"{number:,.0f}" if abs(number) >= 100 else f"{number:,.3g}"


@register.filter
def number_or_text(value) -> str:
    """A stored input for the report: numbers grouped, choices read aloud, lists joined."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list | tuple):
        return ", ".join(number_or_text(v) for v in value) or "—"
    return words(value)
