"""Experts fixtures: a private photo folder per test, the seeded taxonomy, and profiles with chosen fields."""

from importlib import import_module

import pytest

from experts.models import ExpertiseArea
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _photo_dir(settings, tmp_path):
    settings.EXPERTS_PHOTO_DIR = tmp_path / "photos"


def ensure_expertise_areas() -> None:
    """The taxonomy as its data migration seeds it. Transactional tests (browser, worker) flush the
    database after they run, data migrations included; tests that follow them need it back."""
    if ExpertiseArea.objects.exists():
        return
    seed = import_module("experts.migrations.0004_seed_expertise_areas")
    ExpertiseArea.objects.bulk_create(
        ExpertiseArea(slug=slug, name=name, ordering=position * 10)
        for position, (slug, name) in enumerate(seed.AREAS, start=1)
    )


@pytest.fixture(autouse=True)
def _expertise_areas(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    ensure_expertise_areas()


def make_profile(email: str, *, role: str = "expert", areas=(), **fields):
    """A user of `role` whose profile has these fields (listed for everyone unless told otherwise)."""
    user = make_user(email, role=role)
    profile = user.profile
    fields.setdefault("is_public", True)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    if areas:
        profile.expertise_areas.set(ExpertiseArea.objects.filter(slug__in=areas))
    return profile
