"""The one formula escaper (platform_site/spreadsheets.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from platform_site.spreadsheets import neutralise_formula, restore_formula_text, safe_cell, safe_row

# The payloads every export is fed (tests/platform/test_export_injection.py uses the same list).
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://evil.invalid","click")',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_payloads_become_text_and_come_back(payload):
    escaped = neutralise_formula(payload)
    assert escaped == "'" + payload
    assert restore_formula_text(escaped) == payload
    assert safe_cell(payload) == escaped


def test_plain_values_are_untouched():
    assert neutralise_formula("plain") == "plain"
    assert neutralise_formula(None) == ""
    assert neutralise_formula("a=b") == "a=b"
    assert restore_formula_text("'quoted") == "'quoted"
    # Typed values are data, not formulas: a negative number stays a number.
    for value in (-5, -2.5, Decimal("-1.5"), True, dt.date(2026, 1, 2), None):
        assert safe_cell(value) == value
    assert safe_row(["=1", -1, None]) == ["'=1", -1, None]
