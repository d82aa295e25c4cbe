"""Tolerant normalisers from the sheets' free text to the controlled vocabularies.

Every function takes the cell text as written and returns the normalised value,
or "" (None for booleans) when it does not recognise the text. The caller keeps
the original text in the ``<field>_text`` field either way, so nothing is lost;
an unrecognised value is a warning in the import report, not an error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django_countries import countries

from .models import (
    AtmpType,
    CellSource,
    CentreType,
    Disease,
    GeneTransferMode,
    Location,
    LocationKind,
    PatientClassification,
    PatientCohort,
    Phase,
    SheetReviewStatus,
    SponsorType,
    Target,
    TrialStatus,
)


def _key(text) -> str:
    """Lower case, single spaces, hyphens/underscores as spaces: the form we compare."""
    text = str(text or "").strip().lower()
    text = re.sub(r"[\u2010-\u2015\u2212_]", "-", text)
    text = re.sub(r"[\s\-]+", " ", text)
    return text.strip(" .;:")


# --- Multi-valued cells ------------------------------------------------------------
def split_values(text) -> list[str]:
    """ "AML, MDS" -> ["AML", "MDS"]; commas inside parentheses do not split.

    Splits on commas, semicolons and new lines only: " and " and "/" are part of
    many disease names. Keeps the order and drops duplicates (case-insensitively).
    """
    text = str(text or "")
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}"
        if depth <= 0 and char in ",;\n":
            parts.append(current)
            current = ""
            depth = 0
        else:
            current += char
    parts.append(current)
    values: list[str] = []
    seen: set[str] = set()
    for part in parts:
        piece = part.strip(" .")
        if piece and piece.lower() not in seen:
            seen.add(piece.lower())
            values.append(piece)
    return values


# --- Simple vocabularies ------------------------------------------------------------
def parse_yes_no(text) -> bool | None:
    """ "Yes", "yes, rodents", "ja", "y" -> True; "No", "nein" -> False; anything else None."""
    key = _key(text)
    if not key:
        return None
    first = re.split(r"[\s,;(]", key, maxsplit=1)[0]
    if first in {"yes", "y", "ja", "true", "1", "oui", "si", "sí"}:
        return True
    if first in {"no", "n", "nein", "false", "0", "non"}:
        return False
    return None


_ATMP_TYPES = [
    (r"^c ?atmp|combined", AtmpType.CATMP),
    (r"^gtmp.*ex ?vivo|ex ?vivo.*gtmp|gene.*ex ?vivo", AtmpType.GTMP_EX_VIVO),
    (r"^gtmp|gene therapy", AtmpType.GTMP),
    (r"^s ?ctmp|somatic cell", AtmpType.SCTMP),
    (r"^tep\b|tissue engineer", AtmpType.TEP),
]


def normalise_atmp_type(text) -> str:
    key = _key(text)
    for pattern, value in _ATMP_TYPES:
        if re.search(pattern, key):
            return value
    return ""


def normalise_phase(text) -> str:
    """ "Phase 1/2a", "Phase 1 - Phase 2", "Phase I/II", "Phase 1/2 Follow up" -> PHASE_1_2."""
    key = _key(text)
    if not key:
        return ""
    if "preclinical" in key or "pre clinical" in key:
        return Phase.PRECLINICAL
    if re.search(r"\b(n/?a|not applicable)\b", key):
        return Phase.NOT_APPLICABLE
    if "early" in key and re.search(r"\b(1|i)\b", key):
        return Phase.EARLY_PHASE_1
    roman = {"iv": "4", "iii": "3", "ii": "2", "i": "1"}
    key = re.sub(r"\b(iv|iii|ii|i)([ab]?)\b", lambda m: roman[m.group(1)] + m.group(2), key)
    numbers = sorted({int(n) for n in re.findall(r"(?<![\d.])([1-4])[ab]?(?![\d.])", key)})
    by_numbers = {
        (1,): Phase.PHASE_1,
        (1, 2): Phase.PHASE_1_2,
        (2,): Phase.PHASE_2,
        (2, 3): Phase.PHASE_2_3,
        (3,): Phase.PHASE_3,
        (4,): Phase.PHASE_4,
    }
    return by_numbers.get(tuple(numbers), "")


_STATUS_WORDS = [
    (r"not yet recruiting|planned|not started", TrialStatus.PLANNED),
    (r"active,? not recruiting", TrialStatus.ACTIVE_NOT_RECRUITING),
    (r"enrolling|recruiting", TrialStatus.RECRUITING),
    (r"ongoing|on going|running|active|restarted", TrialStatus.ONGOING),
    (r"suspended|halted", TrialStatus.SUSPENDED),
    (r"completed|finished|ended$|closed", TrialStatus.COMPLETED),
    (r"terminated|prematurely ended|stopped", TrialStatus.TERMINATED),
    (r"withdrawn", TrialStatus.WITHDRAWN),
    (r"unknown", TrialStatus.UNKNOWN),
]
_DATE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})|(\d{4})-(\d{2})-(\d{2})")


def parse_status(text) -> tuple[str, dt.date | None]:
    """ "ongoing (23.09.2024)" -> (ONGOING, 2024-09-23); the date is optional."""
    raw = str(text or "")
    date = None
    match = _DATE.search(raw)
    if match:
        try:
            if match.group(1):
                date = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            else:
                date = dt.date(int(match.group(4)), int(match.group(5)), int(match.group(6)))
        except ValueError:
            date = None
    key = _key(_DATE.sub("", raw).replace("(", " ").replace(")", " "))
    # "prematurely ended" must win over the generic "ended"; check the more specific ones first.
    if re.search(r"prematurely ended", key):
        return TrialStatus.TERMINATED, date
    for pattern, value in _STATUS_WORDS:
        if re.search(pattern, key):
            return value, date
    return "", date


def normalise_centre_type(text) -> str:
    """ "multi centre", "multi-center", "multicentric" -> MULTI; "single-center", "mono" -> SINGLE."""
    key = _key(text).replace(" ", "")
    if key.startswith(("multi", "multiple")):
        return CentreType.MULTI
    if key.startswith(("single", "mono", "one")):
        return CentreType.SINGLE
    return ""


def _by_prefix(key: str, table: list[tuple[str, str]]) -> str:
    """The value of the first prefix the normalised text starts with, or ""."""
    return next((value for prefix, value in table if key.startswith(prefix)), "")


def normalise_cell_source(text) -> str:
    return _by_prefix(
        _key(text),
        [
            ("autolog", CellSource.AUTOLOGOUS),
            ("allogen", CellSource.ALLOGENEIC),
            ("xenogen", CellSource.XENOGENEIC),
            ("not applicable", CellSource.NOT_APPLICABLE),
            ("n/a", CellSource.NOT_APPLICABLE),
            ("none", CellSource.NOT_APPLICABLE),
            ("other", CellSource.OTHER),
        ],
    )


def normalise_gene_transfer(text) -> str:
    key = _key(text)
    if not key:
        return ""
    if re.search(r"crispr|talen|zinc finger|base edit|gene edit|editing", key):
        return GeneTransferMode.GENE_EDITING
    if re.search(r"non ?viral|electropor|transposon|plasmid|mrna|lipid|nanoparticle", key):
        return GeneTransferMode.NON_VIRAL
    if re.search(r"vir|aav|lentivir|retrovir|adenovir|\blv\b", key):
        return GeneTransferMode.VIRAL_VECTOR
    if re.search(r"^(none|no|not applicable|n/a)$", key):
        return GeneTransferMode.NONE
    if key == "other":
        return GeneTransferMode.OTHER
    return ""


def normalise_patient_classification(text) -> str:
    """The sheets write "Cancer", "common cancers", "rare non-cancer disease", "common non-cancer diseases"."""
    key = _key(text)
    if not key:
        return ""
    if "non cancer" in key or "noncancer" in key:
        if "rare" in key:
            return PatientClassification.RARE_NON_CANCER
        return PatientClassification.COMMON_NON_CANCER
    if re.search(r"cancer|oncolog|tumou?r|malignan|leuk|lymphoma", key):
        return PatientClassification.COMMON_CANCER if "common" in key else PatientClassification.CANCER
    if key == "other":
        return PatientClassification.OTHER
    return ""


def normalise_sponsor_type(text) -> str:
    key = _key(text)
    for pattern, value in [
        (r"^(sme|small|start ?up|biotech)", SponsorType.SME),
        (r"academ|universit|research institute", SponsorType.ACADEMIC),
        (r"hospital|clinic", SponsorType.HOSPITAL),
        (r"commercial|industr|pharma|company", SponsorType.COMMERCIAL),
        (r"public|government|national", SponsorType.PUBLIC),
        (r"^other", SponsorType.OTHER),
    ]:
        if re.search(pattern, key):
            return value
    return ""


def normalise_sheet_review_status(text) -> str:
    """The sheets' own review status: "in Progress", "submitted", "approved", "rejected"."""
    return _by_prefix(
        _key(text),
        [
            ("in progress", SheetReviewStatus.IN_PROGRESS),
            ("in review", SheetReviewStatus.IN_PROGRESS),
            ("submitted", SheetReviewStatus.SUBMITTED),
            ("approved", SheetReviewStatus.APPROVED),
            ("reviewed", SheetReviewStatus.APPROVED),
            ("rejected", SheetReviewStatus.REJECTED),
        ],
    )


# --- Countries and regions ---------------------------------------------------------
@dataclass(frozen=True)
class LocationRef:
    code: str
    name: str
    kind: str


# Regions the sheets name; codes are slugs (never two letters, so they cannot clash with ISO).
REGIONS = {
    "eu": LocationRef("eu-eea", "EU/EEA", LocationKind.REGION),
    "eu europe": LocationRef("eu-eea", "EU/EEA", LocationKind.REGION),
    "europe": LocationRef("eu-eea", "EU/EEA", LocationKind.REGION),
    "eea": LocationRef("eu-eea", "EU/EEA", LocationKind.REGION),
    "eu/eea": LocationRef("eu-eea", "EU/EEA", LocationKind.REGION),
    "european union": LocationRef("eu-eea", "EU/EEA", LocationKind.REGION),
    "north america": LocationRef("north-america", "North America", LocationKind.REGION),
    "asia pacific": LocationRef("asia-pacific", "Asia-Pacific", LocationKind.REGION),
    "asia": LocationRef("asia-pacific", "Asia-Pacific", LocationKind.REGION),
    "worldwide": LocationRef("worldwide", "Worldwide", LocationKind.REGION),
    "international": LocationRef("worldwide", "Worldwide", LocationKind.REGION),
}

# Names and codes the ISO list does not spell the sheets' way. EU texts write EL and UK.
_COUNTRY_ALIASES = {
    "el": "GR",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "united kingdom": "GB",
    "usa": "US",
    "u.s.a": "US",
    "u.s": "US",
    "us": "US",
    "united states": "US",
    "united states of america": "US",
    "america": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "czech republic": "CZ",
    "czechia": "CZ",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "deutschland": "DE",
    "germany": "DE",
    "schweiz": "CH",
    "switzerland": "CH",
    "österreich": "AT",
    "italia": "IT",
    "españa": "ES",
    "espana": "ES",
}


def _country_by_name(key: str) -> str | None:
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    if len(key) == 2 and key.upper() in dict(countries):
        return key.upper()
    code = countries.by_name(key, insensitive=True)
    return code or None


def parse_locations(text) -> tuple[list[LocationRef], list[str]]:
    """ "EU-Europe, England, USA" -> [EU/EEA region, GB, US]; and the parts it did not recognise."""
    found: list[LocationRef] = []
    unknown: list[str] = []
    for part in split_values(text):
        key = _key(part)
        ref = REGIONS.get(key) or REGIONS.get(key.replace(" ", "/"))
        if ref is None:
            code = _country_by_name(key) or _country_by_name(part.strip().lower())
            if code:
                ref = LocationRef(code, str(dict(countries)[code]), LocationKind.COUNTRY)
        if ref is None:
            unknown.append(part)
        elif ref not in found:
            found.append(ref)
    return found, unknown


def locations_for(text) -> tuple[list[Location], list[str]]:
    """Location rows for a countries cell (created on first use); and the parts not recognised."""
    refs, unknown = parse_locations(text)
    rows = [
        Location.objects.get_or_create(code=ref.code, defaults={"name": ref.name, "kind": ref.kind})[0] for ref in refs
    ]
    return rows, unknown


# --- Lookup rows for many-valued cells ----------------------------------------------
_COHORTS = {
    "adult": "adult",
    "adults": "adult",
    "pediatric": "pediatric",
    "paediatric": "pediatric",
    "paediatrics": "pediatric",
    "pädiatrisch": "pediatric",
    "pediatric patients": "pediatric",
    "paediatric patients": "pediatric",
    "adult patients": "adult",
    "pediatrics": "pediatric",
    "children": "pediatric",
    "child": "pediatric",
    "kids": "pediatric",
    "adolescent": "adolescent",
    "adolescents": "adolescent",
    "elderly": "elderly",
    "older adults": "elderly",
    "infant": "infant",
    "infants": "infant",
    "neonates": "neonate",
    "neonate": "neonate",
}


def cohort_name(part) -> str | None:
    """ "paediatric" -> "pediatric"; None for a word that is not a cohort we know."""
    return _COHORTS.get(_key(part))


def cohort_names(text) -> list[str]:
    """ "adult, pediatric, adolescents" -> ["adult", "pediatric", "adolescent"] (normalised spelling).

    Unknown words are left out: the cohort list is controlled, the text keeps them.
    """
    names: list[str] = []
    for part in split_values(text):
        name = cohort_name(part)
        if name is not None and name not in names:
            names.append(name)
    return names


def cohorts_for(text) -> list[PatientCohort]:
    return [PatientCohort.objects.get_or_create(name=name)[0] for name in cohort_names(text)]


def _lookup_rows(model, text) -> list:
    rows = []
    for name in split_values(text):
        name = name[: model._meta.get_field("name").max_length]
        row = model.objects.filter(name__iexact=name).first() or model.objects.create(name=name)
        if row not in rows:
            rows.append(row)
    return rows


# Words that say "not in the list" rather than name a disease.
NOT_A_DISEASE = {"other", "others", "other indication", "n/a", "na"}


def diseases_for(text) -> list[Disease]:
    """ "AML, MDS" -> two Disease rows (matched case-insensitively, created on first use); "other" is none."""
    names = [name for name in split_values(text) if _key(name) not in NOT_A_DISEASE]
    return _lookup_rows(Disease, "\n".join(names))


def targets_for(text) -> list[Target]:
    return _lookup_rows(Target, text)
