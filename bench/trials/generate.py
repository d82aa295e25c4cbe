"""A large, fictional trials database for the benchmarks: N products, 5 trials each.

Deterministic (seeded) and fast: bulk inserts only, so no history rows and no
signals; on PostgreSQL the stored search vectors are refreshed in one UPDATE per
table afterwards, then ANALYZE, as after a real bulk import. Every record is
fictional ("BENCHSQL-" names, NCT numbers from 90000000 up).
"""

from __future__ import annotations

import random
import time

from django.db import connection, transaction

from trials.models import (
    AtmpType,
    CellSource,
    CurationStatus,
    Disease,
    Location,
    LocationKind,
    PatientClassification,
    Phase,
    Product,
    SponsorType,
    Target,
    Trial,
    TrialIdentifier,
    TrialStatus,
)
from trials.search import search_vectors_refresh

COUNTRIES = [
    ("DE", "Germany"), ("FR", "France"), ("IT", "Italy"), ("ES", "Spain"), ("NL", "Netherlands"),
    ("BE", "Belgium"), ("AT", "Austria"), ("CH", "Switzerland"), ("GB", "United Kingdom"), ("US", "United States"),
    ("SE", "Sweden"), ("DK", "Denmark"), ("FI", "Finland"), ("PL", "Poland"), ("CZ", "Czechia"),
    ("PT", "Portugal"), ("IE", "Ireland"), ("GR", "Greece"), ("NO", "Norway"), ("HU", "Hungary"),
]  # fmt: skip
DISEASE_WORDS = [
    ("acute lymphoblastic leukaemia", "haematology"), ("acute myeloid leukaemia", "haematology"),
    ("multiple myeloma", "haematology"), ("diffuse large B-cell lymphoma", "haematology"),
    ("retinitis pigmentosa", "ophthalmology"), ("Leber congenital amaurosis", "ophthalmology"),
    ("spinal muscular atrophy", "neurology"), ("Parkinson disease", "neurology"),
    ("Duchenne muscular dystrophy", "neuromuscular"), ("haemophilia A", "haematology"),
    ("haemophilia B", "haematology"), ("sickle cell disease", "haematology"), ("beta thalassaemia", "haematology"),
    ("glioblastoma", "oncology"), ("melanoma", "oncology"), ("pancreatic cancer", "oncology"),
    ("osteoarthritis", "musculoskeletal"), ("cartilage defect", "musculoskeletal"), ("heart failure", "cardiology"),
    ("critical limb ischaemia", "cardiology"), ("epidermolysis bullosa", "dermatology"), ("burns", "dermatology"),
    ("type 1 diabetes", "endocrinology"), ("Crohn's disease", "gastroenterology"),
    ("graft-versus-host disease", "immunology"),
]  # fmt: skip
TARGETS = ["CD19", "BCMA", "CD22", "GD2", "RPE65", "SMN1", "FVIII", "FIX", "HBB", "CD34", "dystrophin", "MAGE-A4"]
SPONSORS = [
    "Fictional University Hospital", "Imaginary Biotech GmbH", "Example Therapeutics SA", "Invented Cell Institute",
    "Placeholder Gene Co.", "Nowhere Medical Centre", "Sample Pharma AG", "Made-up Research Foundation",
]  # fmt: skip
WORDS = ["autologous", "allogeneic", "engineered", "lentiviral", "AAV", "CRISPR", "matrix", "scaffold", "dose"]
PHASES = [Phase.PHASE_1, Phase.PHASE_1_2, Phase.PHASE_2, Phase.PHASE_2_3, Phase.PHASE_3, Phase.PRECLINICAL]
STATUSES = [TrialStatus.ONGOING, TrialStatus.RECRUITING, TrialStatus.COMPLETED, TrialStatus.TERMINATED]
BATCH = 5000
PREFIX = "benchsql-"  # slugs of the generated products (names: upper case)


def _lookups(created: list):
    """Lookup rows, reusing existing ones; `created` collects the new ones (for clean-up)."""

    def get(model, **kwargs):
        row, new = model.objects.get_or_create(**kwargs)
        if new:
            created.append(row)
        return row

    locations = [
        get(Location, code=code, defaults={"name": name, "kind": LocationKind.COUNTRY}) for code, name in COUNTRIES
    ]
    diseases = [get(Disease, name=name, defaults={"therapeutic_area": area}) for name, area in DISEASE_WORDS]
    targets = [get(Target, name=name) for name in TARGETS]
    return locations, diseases, targets


def generate(*, products: int = 20_000, trials_per_product: int = 5, seed: int = 4) -> dict:
    """Insert the records; returns counts and the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    created_lookups: list = []
    with transaction.atomic():
        locations, diseases, targets = _lookups(created_lookups)
        product_rows = []
        for i in range(products):
            disease, _area = rng.choice(DISEASE_WORDS)
            target = rng.choice(TARGETS)
            name = f"{PREFIX.upper()}{i:05d} {rng.choice(WORDS)} {target}"
            product_rows.append(
                Product(
                    name=name,
                    slug=f"{PREFIX}{i:05d}",
                    atmp_type=rng.choice(AtmpType.values),
                    atmp_type_text="bench",
                    cell_source=rng.choice(CellSource.values),
                    patient_classification=rng.choice(PatientClassification.values),
                    disease_text=disease,
                    target_text=target,
                    route_of_administration=rng.choice(["intravenous", "subretinal", "intramuscular", "implant"]),
                    curation_status=CurationStatus.PUBLISHED if rng.random() < 0.95 else CurationStatus.SUBMITTED,
                )
            )
        created = Product.objects.bulk_create(product_rows, batch_size=BATCH)
        by_disease = {d.name: d for d in diseases}
        by_target = {t.name: t for t in targets}
        Product.diseases.through.objects.bulk_create(
            [Product.diseases.through(product_id=p.pk, disease_id=by_disease[p.disease_text].pk) for p in created],
            batch_size=BATCH,
        )
        Product.targets.through.objects.bulk_create(
            [Product.targets.through(product_id=p.pk, target_id=by_target[p.target_text].pk) for p in created],
            batch_size=BATCH,
        )
        Product.origin_locations.through.objects.bulk_create(
            [Product.origin_locations.through(product_id=p.pk, location_id=rng.choice(locations).pk) for p in created],
            batch_size=BATCH,
        )
        trial_rows, highest = [], {}
        for p in created:
            for column in range(trials_per_product):
                phase = rng.choice(PHASES)
                n = len(trial_rows)
                trial_rows.append(
                    Trial(
                        product_id=p.pk,
                        column_index=column,
                        title=f"A {phase.label.lower()} study of {p.name} in {p.disease_text}",
                        phase=phase,
                        phase_text=phase.label,
                        status=rng.choice(STATUSES),
                        status_text="bench",
                        sponsor=rng.choice(SPONSORS),
                        sponsor_type=rng.choice(SponsorType.values),
                        start_year=rng.randint(2004, 2025),
                        first_in_human=rng.random() < 0.4,
                        primary_identifier=f"NCT{90_000_000 + n}",
                        registry_id_text=f"NCT{90_000_000 + n}",
                        principal_investigator=f"Dr. Bench {n}",
                    )
                )
                if Phase.rank(phase) > Phase.rank(highest.get(p.pk)):
                    highest[p.pk] = phase
        trials = Trial.objects.bulk_create(trial_rows, batch_size=BATCH)
        through = Trial.countries.through
        country_rows = []
        for t in trials:
            for location in rng.sample(locations, rng.choice([1, 1, 2, 3])):
                country_rows.append(through(trial_id=t.pk, location_id=location.pk))
        through.objects.bulk_create(country_rows, batch_size=BATCH)
        TrialIdentifier.objects.bulk_create(
            [TrialIdentifier(trial_id=t.pk, registry="nct", value=t.primary_identifier) for t in trials],
            batch_size=BATCH,
        )
        for p in created:
            p.highest_phase = highest.get(p.pk, "")
        Product.objects.bulk_update(created, ["highest_phase"], batch_size=BATCH)
    if connection.vendor == "postgresql":
        # Fresh tables have no statistics: without them the vector UPDATE's join is planned
        # as a nested loop over every product per trial (minutes instead of seconds).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    search_vectors_refresh()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "products": len(created),
        "trials": len(trials),
        "trial_countries": len(country_rows),
        "seconds": round(time.perf_counter() - started, 1),
        "created_lookups": created_lookups,
    }


def remove(info: dict) -> None:
    """Delete what generate() inserted, fast (no cascade collection, no signals)."""
    mine = {"product__slug__startswith": PREFIX}
    Trial.countries.through.objects.filter(**{f"trial__{k}": v for k, v in mine.items()})._raw_delete("default")
    TrialIdentifier.objects.filter(**{f"trial__{k}": v for k, v in mine.items()})._raw_delete("default")
    Trial.objects.filter(**mine)._raw_delete("default")
    for through in (Product.diseases.through, Product.targets.through, Product.origin_locations.through):
        through.objects.filter(**mine)._raw_delete("default")
    Product.objects.filter(slug__startswith=PREFIX)._raw_delete("default")
    for row in info.get("created_lookups", []):
        row.delete()
