"""10,000 fictional expert profiles (9,000 listed publicly), for the directory benchmarks."""

from __future__ import annotations

import os
import random
import time

import pytest

N_PROFILES = int(os.environ.get("EXPERTS_BENCH_PROFILES", "10000"))
COUNTRIES = ["DE", "FR", "IT", "ES", "NL", "BE", "SE", "PL", "AT", "DK", "FI", "PT", "IE", "CZ", "GR", "NO"]
WORDS = ["vector", "cell", "release", "potency", "comparability", "sterility", "AAV", "lentiviral", "CAR-T", "HTA"]
EMAIL_DOMAIN = "bench.atmp-platform.invalid"


def populate(n: int = N_PROFILES) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from experts.languages import ISO_639_1
    from experts.models import Availability, ExpertiseArea, ExpertProfile, StakeholderType
    from trials.models import AtmpType

    started = time.monotonic()
    rng = random.Random(10_000)
    User = get_user_model()
    User.objects.bulk_create(
        [User(email=f"bench{i}@{EMAIL_DOMAIN}", password="!", first_name="Bench", last_name=str(i)) for i in range(n)],
        batch_size=2000,
    )
    users = list(User.objects.filter(email__endswith=EMAIL_DOMAIN).values_list("pk", flat=True))
    languages = [code for code, _ in ISO_639_1[:60]] + ["en"] * 20 + ["de"] * 8 + ["fr"] * 8
    now = timezone.now()
    ExpertProfile.objects.bulk_create(
        [
            ExpertProfile(
                user_id=pk,
                display_name=f"Bench Expert {i:05d}",
                title="Dr.",
                affiliation=f"Bench institute {i % 900}",
                country=rng.choice(COUNTRIES),
                stakeholder_type=rng.choice(StakeholderType.values),
                expertise=" ".join(rng.sample(WORDS, 2)),
                bio=f"Works on {' and '.join(rng.sample(WORDS, 3))}. " * 3,
                atmp_types=rng.sample(AtmpType.values, rng.randint(0, 3)),
                languages=sorted(set(rng.sample(languages, rng.randint(1, 3)))),
                availability=rng.sample(Availability.values, rng.randint(0, 2)),
                is_public=i % 10 != 0,
                approved_at=now,
                is_demo=True,
                affiliation_visibility="experts" if i % 7 == 0 else "everyone",
            )
            for i, pk in enumerate(users)
        ],
        batch_size=2000,
    )
    areas = list(ExpertiseArea.objects.values_list("pk", flat=True))
    Through = ExpertProfile.expertise_areas.through
    profiles = ExpertProfile.objects.filter(user__email__endswith=EMAIL_DOMAIN).values_list("pk", flat=True)
    Through.objects.bulk_create(
        [Through(expertprofile_id=pk, expertisearea_id=a) for pk in profiles for a in rng.sample(areas, 3)],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"profiles": n, "seconds": round(time.monotonic() - started, 1)}


def remove() -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(email__endswith=EMAIL_DOMAIN).delete()


@pytest.fixture(scope="session")
def ten_thousand_experts(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        info = populate()
        print(f"\ngenerated {info['profiles']} expert profiles in {info['seconds']} s")
        yield info
        remove()  # other benchmarks expect the test database as it was
