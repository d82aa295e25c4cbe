"""Per-field visibility: each expert chooses, field by field, who sees what on their profile.

Three audiences: everyone, approved experts only, or hidden (the owner and curators only).
The display name is always shown with a listed profile; the e-mail address never is,
except to curators. Pages, the API and the directory's filters all ask this module, so a
value hidden from a visitor can neither be read nor found by filtering on it.
"""

from __future__ import annotations

from django.db import models


class Visibility(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    EXPERTS = "experts", "Approved experts only"
    HIDDEN = "hidden", "Only me (and curators)"


# Field (as the templates and the API name it) -> label in the profile form.
CONTROLLED_FIELDS = {
    "title": "Title",
    "affiliation": "Institution",
    "country": "Country",
    "stakeholder_type": "Stakeholder type",
    "expertise": "Expertise (areas, ATMP types, other)",
    "languages": "Languages",
    "orcid": "ORCID iD",
    "website": "Website",
    "bio": "Short bio",
    "photo": "Photo",
    "availability": "Availability",
}

EVERYONE_ONLY = frozenset({Visibility.EVERYONE})
EXPERTS_TOO = frozenset({Visibility.EVERYONE, Visibility.EXPERTS})
ALL_LEVELS = frozenset(Visibility)


def visibility_column(field: str) -> str:
    return f"{field}_visibility"


def audience_levels(user) -> frozenset:
    """What a viewer may see on other people's profiles (and filter the directory by)."""
    from platform_site.permissions import is_curator, is_expert

    if is_curator(user):
        return ALL_LEVELS
    if is_expert(user):
        return EXPERTS_TOO
    return EVERYONE_ONLY


def levels_for(user, profile) -> frozenset:
    if user.is_authenticated and profile.is_owned_by(user):
        return ALL_LEVELS
    return audience_levels(user)


def visible_to_levels(field: str, levels) -> models.Q:
    """Rows whose `field` the audience with these levels may see."""
    if levels == ALL_LEVELS:
        return models.Q()
    return models.Q(**{f"{visibility_column(field)}__in": sorted(levels)})


class ShownProfile:
    """A profile as one viewer sees it: each controlled field is its value, or None when hidden from them.

    Built once per profile and page; templates and the API serializer read only this.
    """

    def __init__(self, profile, levels: frozenset, *, show_email: bool = False):
        self.profile = profile
        self.pk = profile.pk
        self.name = profile.name
        self.levels = levels
        self.email = profile.user.email if show_email else None
        for field in CONTROLLED_FIELDS:
            shown = getattr(profile, visibility_column(field)) in levels
            setattr(self, field, self._value(field) if shown else None)

    def _value(self, field: str):
        profile = self.profile
        if field == "expertise":
            return {
                "areas": list(profile.expertise_areas.all()),
                "atmp_types": profile.atmp_type_labels,
                "other": profile.expertise,
            }
        if field == "stakeholder_type":
            return profile.get_stakeholder_type_display() if profile.stakeholder_type else ""
        if field == "languages":
            return profile.language_labels
        if field == "availability":
            return profile.availability_labels
        if field == "photo":
            return profile.photo_url
        return getattr(profile, field)

    @property
    def bio_html(self):
        from .markdown import render_markdown

        return render_markdown(self.bio) if self.bio else ""

    def get_absolute_url(self) -> str:
        return self.profile.get_absolute_url()


def shown_profile(profile, user) -> ShownProfile:
    from platform_site.permissions import is_curator

    return ShownProfile(profile, levels_for(user, profile), show_email=is_curator(user))
