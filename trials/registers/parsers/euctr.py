"""EU Clinical Trials Register: the full-text protocol export onto the platform.

`GET {EUCTR}/download/full?query={EudraCT}&mode=current_page` answers plain
text, one block per member-state protocol, each opening with the summary
("EudraCT Number: …", "Trial Status: …") followed by "Code label: value" lines
of the protocol form (A.3 full title, B.1.1 sponsor, E.7.1–E.7.4 phase flags,
F.4.2.2 subjects in the whole trial, P. end of trial). A line without a label
continues the value above it. Values are looked up by their section code, so a
label's wording may drift without breaking the parser.
"""

from __future__ import annotations

import re

from . import common as c

STATUSES = {
    "ongoing": c.ONGOING,
    "restarted": c.ONGOING,
    "temporarily halted": c.SUSPENDED,
    "suspended by ca": c.SUSPENDED,
    "completed": c.COMPLETED,
    "prematurely ended": c.TERMINATED,
    "prohibited by ca": c.TERMINATED,
    "not authorised": c.WITHDRAWN,
}
# Protocol statuses that say nothing about the trial as a whole.
TRANSITIONED = "trial now transitioned"
NOT_IN_EU = "gb - no longer in eu/eea"
# When member states disagree, the trial is what its most active protocol says.
_PRECEDENCE = [c.ONGOING, c.SUSPENDED, c.COMPLETED, c.TERMINATED, c.WITHDRAWN]
_ATIMP = {
    "D.3.11.3.1": "Somatic cell therapy medicinal product",
    "D.3.11.3.2": "Gene therapy medicinal product",
    "D.3.11.3.3": "Tissue engineered product",
    "D.3.11.3.4": "Combination ATIMP",
}
_LINE = re.compile(r"^([^:]{1,200}?):\s?(.*)$")
# The summary's labels have no section code; any other "words: more words" line continues a value.
_SUMMARY_LABELS = {
    "EudraCT Number",
    "Sponsor's Protocol Code Number",
    "National Competent Authority",
    "Clinical Trial Type",
    "Trial Status",
    "Date on which this record was first entered in the EudraCT database",
    "Trial results",
}
FIRST_ENTERED = "Date on which this record was first entered in the EudraCT database"
_HEADING = re.compile(r"^[A-Z]\. [A-Z]")
_MARKER = re.compile(r"^[A-Z]\.[A-Za-z]")
_CODE = re.compile(r"^([A-Z]\.(?:\d+(?:\.\d+)*)?(?: and [A-Z]\.\d+(?:\.\d+)*)?)\s")


def split_protocols(body: str) -> list[dict[str, list[str]]]:
    """One dict per member-state protocol: label (or section code) -> values in order."""
    protocols: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    last_key = ""
    for line in str(body or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match and match.group(1).strip() == "EudraCT Number":
            current = {}
            protocols.append(current)
        if current is None:
            continue
        if (not match and (_HEADING.match(line) or line == "Summary")) or (match and _MARKER.match(match.group(1))):
            last_key = ""  # a section heading ("E. General Information…") or a repeat marker ("D.IMP: 1")
            continue
        code = _CODE.match(match.group(1).strip() + " ") if match else None
        if match and (code or match.group(1).strip() in _SUMMARY_LABELS):
            label, value = match.group(1).strip(), match.group(2).strip()
            # "P." or "N." alone names a whole section: such lines are told apart by their label.
            last_key = code.group(1) if code and not code.group(1).endswith(".") else label
            current.setdefault(last_key, []).append(value)
        elif last_key and current.get(last_key):
            current[last_key][-1] = f"{current[last_key][-1]} {line}".strip()
    return protocols


def _first(protocol: dict, key: str) -> str:
    return next((v for v in protocol.get(key, []) if v), "")


def _overall_status(protocols: list[dict]) -> tuple[str, str, bool]:
    words = [_first(p, "Trial Status") or _first(p, "P. End of Trial Status") for p in protocols]
    words = [w for w in words if w]
    transitioned = any(w.lower() == TRANSITIONED for w in words)
    relevant = [w for w in words if w.lower() not in (TRANSITIONED, NOT_IN_EU)]
    unknown = [w for w in relevant if w.lower() not in STATUSES]
    if unknown:
        raise c.RecordError(f'Unknown trial status "{unknown[0]}" (Trial Status).')
    if not relevant:
        if transitioned:
            return "", "Trial now transitioned", True
        raise c.RecordError("The record has no trial status (Trial Status).")
    statuses = {STATUSES[w.lower()] for w in relevant}
    status = next(s for s in _PRECEDENCE if s in statuses)
    return status, "; ".join(c.unique(relevant)), transitioned


def _phase(protocol: dict) -> tuple[str, str]:
    flags = {n: _first(protocol, f"E.7.{n}").lower() for n in (1, 2, 3, 4)}
    numbers = {n for n, flag in flags.items() if flag.startswith("yes")}
    text = ", ".join(f"Phase {'I' * n if n < 4 else 'IV'}" for n in sorted(numbers))
    if not numbers:
        return "", ""
    phase = c.phase_from_numbers(numbers)
    if not phase:
        raise c.RecordError(f"The phase flags E.7.1-E.7.4 give {text}, a combination the platform has no phase for.")
    return phase, text


def _sponsor_type(status_text: str, name: str) -> str:
    key = status_text.lower().replace("-", " ")
    if key.startswith("non commercial"):
        return c.sponsor_type_from_name(name)
    if key.startswith("commercial"):
        return c.COMMERCIAL
    return ""


def parse(body: str, *, expected_id: str) -> c.RegisterRecord:
    protocols = split_protocols(body)
    if not protocols:
        raise c.RecordError(f"The EU Clinical Trials Register export holds no protocol for {expected_id}.")
    numbers = {_first(p, "EudraCT Number") for p in protocols}
    if numbers != {expected_id}:
        answered = ", ".join(sorted(numbers))
        raise c.RecordError(f"Asked for {expected_id}, the EU Clinical Trials Register answered {answered}.")
    first = protocols[0]
    title = c.title(_first(first, "A.3"), "A.3 Full title of the trial")
    status, status_text, transitioned = _overall_status(protocols)
    phase, phase_text = _phase(first)
    sponsor = c.text(_first(first, "B.1.1"), "B.1.1 Name of Sponsor")
    sponsor_status = c.text(_first(first, "B.3.1 and B.3.2"), "B.3.1 and B.3.2 Status of the sponsor")
    countries = [
        re.sub(r"\s+-\s+.*$", "", _first(p, "A.1")) for p in protocols if "outside" not in _first(p, "A.1").lower()
    ]
    atimp = [label for code, label in _ATIMP.items() if any(v.lower().startswith("yes") for v in first.get(code, []))]
    dates = [
        c.date(value, key)
        for p in protocols
        for key in ("N. Date of Competent Authority Decision", "N. Date of Ethics Committee Opinion", FIRST_ENTERED)
        for value in p.get(key, [])
        if value
    ]
    end = c.date(_first(first, "P. Date of the global end of the trial"), "P. Date of the global end of the trial")

    identifiers = [c.SecondaryId(c.EUDRACT, expected_id)]
    for key in ("A.5.1", "A.5.2", "A.5.3", "A.5.4"):
        for found in c.find_ids(" ".join(first.get(key, []))):
            if found not in identifiers:
                identifiers.append(found)
    return c.RegisterRecord(
        registry=c.EUCTR,
        register_id=expected_id,
        title=title,
        record_date=max(dates + ([end] if end else []), default=None),
        phase=phase,
        phase_text=phase_text,
        status=status,
        status_text=status_text,
        status_date=end if status in (c.COMPLETED, c.TERMINATED) else None,
        sponsor=sponsor,
        sponsor_type=_sponsor_type(sponsor_status, sponsor),
        sponsor_type_text=sponsor_status,
        countries=c.unique(countries),
        conditions=c.unique(first.get("E.1.1", [])),
        intervention_type="; ".join(atimp),
        completion_date=end,
        enrolment=c.count(_first(first, "F.4.2.2"), "F.4.2.2 In the whole clinical trial"),
        identifiers=tuple(identifiers),
        transitioned=transitioned,
    )
