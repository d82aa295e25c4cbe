"""Fixtures for the register refresh: saved records and a local stand-in for the registers."""

from __future__ import annotations

from pathlib import Path

RECORDS = Path(__file__).parent / "records"


def record_text(registry: str, name: str) -> str:
    """A saved record (constructed in the register's format; see records/README.md)."""
    suffix = ".txt" if registry == "euctr" else ".json"
    return (RECORDS / registry / f"{name}{suffix}").read_text(encoding="utf-8")
