"""Pure parsers, one per register: the register's answer (text) -> `RegisterRecord`.

`parse(registry, body, expected_id=...)` is the one entry point; any shape the
parser did not expect (a list where an object belongs, a number where text
does) becomes a `RecordError` naming the register, never a crash.
"""

from __future__ import annotations

from . import ctgov, ctis, euctr
from .common import REGISTER_NAMES, RecordError, RegisterRecord, SecondaryId

PARSERS = {"ctgov": ctgov.parse, "ctis": ctis.parse, "euctr": euctr.parse}

__all__ = ["PARSERS", "REGISTER_NAMES", "RecordError", "RegisterRecord", "SecondaryId", "parse"]


def parse(registry: str, body: str, *, expected_id: str) -> RegisterRecord:
    try:
        return PARSERS[registry](body, expected_id=expected_id)
    except RecordError:
        raise
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        raise RecordError(f"The {REGISTER_NAMES[registry]} record has an unexpected shape ({exc}).") from exc
