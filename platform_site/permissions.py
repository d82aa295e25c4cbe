"""Who may do what: the one set of checks that views, templates and the API use.

Role membership is declared in ``platform_site.roles``; this module answers the
questions views ask ("is this user an approved expert?", "may they edit this
record?") and wraps them as decorators, mixins and DRF permission classes.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework import permissions as drf_permissions

from .roles import CURATOR_GROUP, EXPERT_GROUP, Role


def _in_group(user, name: str) -> bool:
    # Cache group names on the user object: templates ask several times a page.
    if not hasattr(user, "_platform_groups"):
        user._platform_groups = set(user.groups.values_list("name", flat=True))
    return name in user._platform_groups


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_curator(user) -> bool:
    """Curators are staff in the Curator group; administrators curate too."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.is_staff and _in_group(user, CURATOR_GROUP))


def is_expert(user) -> bool:
    """An approved expert. Curators and administrators have every expert right."""
    if not (user.is_authenticated and user.is_active):
        return False
    return is_curator(user) or _in_group(user, EXPERT_GROUP)


def role_of(user) -> Role:
    if not user.is_authenticated:
        return Role.ANONYMOUS
    if is_admin(user):
        return Role.ADMIN
    if is_curator(user):
        return Role.CURATOR
    if is_expert(user):
        return Role.EXPERT
    return Role.PENDING


def is_owner(user, obj: Any) -> bool:
    """Records name their owner in `owner_id` (or answer `is_owned_by`)."""
    if not user.is_authenticated:
        return False
    if hasattr(obj, "is_owned_by"):
        return bool(obj.is_owned_by(user))
    return getattr(obj, "owner_id", None) == user.pk


def can_edit(user, obj: Any) -> bool:
    """Owners edit their own records while they are experts; curators edit any."""
    return is_curator(user) or (is_expert(user) and is_owner(user, obj))


def can_see_personal_data(user) -> bool:
    """PI names and e-mail addresses: approved experts and curators only."""
    return is_expert(user)


# --- Function-view decorators ----------------------------------------------------
def _require(check, login_first: bool = True):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if login_first and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


expert_required = _require(is_expert)
curator_required = _require(is_curator)


# --- DRF permission classes -----------------------------------------------------
class ReadOnlyOrExpert(drf_permissions.BasePermission):
    """Anyone reads; approved experts and curators write."""

    def has_permission(self, request, view) -> bool:
        return request.method in drf_permissions.SAFE_METHODS or is_expert(request.user)


class IsOwnerOrCurator(drf_permissions.BasePermission):
    """Object level: reads follow the queryset; writes need owner or curator."""

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in drf_permissions.SAFE_METHODS or can_edit(request.user, obj)
