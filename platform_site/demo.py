"""Demo content for the embedded portal: one account per role, then each app's demo loader."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .roles import CURATOR_GROUP, EXPERT_GROUP, Role

DEMO_APPS = ("experts", "experts.knowledge", "trials", "facilities", "economics")


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    email: str
    name: str


DEMO_ACCOUNTS = [
    DemoAccount(Role.ADMIN, "admin@demo.atmp-platform.invalid", "Ada Admin"),
    DemoAccount(Role.CURATOR, "curator@demo.atmp-platform.invalid", "Cora Curator"),
    DemoAccount(Role.EXPERT, "expert@demo.atmp-platform.invalid", "Eli Expert"),
    DemoAccount(Role.EXPERT, "expert2@demo.atmp-platform.invalid", "Esme Second-Expert"),
    DemoAccount(Role.PENDING, "pending@demo.atmp-platform.invalid", "Pat Pending"),
]


def _ensure_account(account: DemoAccount, password: str):
    User = get_user_model()
    first, last = account.name.split(" ", 1)
    user, created = User.objects.get_or_create(email=account.email, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(password)
    user.is_superuser = account.role == Role.ADMIN
    user.is_staff = account.role in (Role.ADMIN, Role.CURATOR)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=account.email, defaults={"verified": True, "primary": True})
    if account.role == Role.CURATOR:
        user.groups.add(Group.objects.get(name=CURATOR_GROUP))
    if account.role in (Role.EXPERT, Role.CURATOR):
        user.groups.add(Group.objects.get(name=EXPERT_GROUP))
        profile = user.profile
        if not profile.is_approved:
            profile.mark_approved(None)
        profile.display_name = profile.display_name or f"{account.name} (demo)"
        profile.affiliation = profile.affiliation or "Demo University Hospital (fictional)"
        profile.is_public = True
        profile.save()
    return user, created


@transaction.atomic
def load_demo_content(*, stdout=None) -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts and every app's demo records. Safe to run again."""
    password = settings.DEMO_PASSWORD
    accounts = [(account, _ensure_account(account, password)[1]) for account in DEMO_ACCOUNTS]
    for app in DEMO_APPS:
        import_module(f"{app}.demo").load(stdout=stdout)
    return accounts
