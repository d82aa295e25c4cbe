"""Experts fixtures: a private photo folder per test, and profiles with chosen fields."""

import pytest

from experts.models import ExpertiseArea
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _photo_dir(settings, tmp_path):
    settings.EXPERTS_PHOTO_DIR = tmp_path / "photos"


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
