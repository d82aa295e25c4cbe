"""The one declaration of the platform's roles and what each may do.

Roles, from least to most trusted:

* anonymous visitor: browses public records, the facility map, the public tools;
* registered user ("pending"): signed up and verified the e-mail address, not yet
  approved; browses like a visitor and may use the public tools;
* expert: approved by a curator (member of the ``Expert`` group); contributes
  records, shares knowledge, saves evaluations;
* curator: staff member of the ``Curator`` group; reviews and edits content in
  the admin, limited to the curation models below;
* administrator: superuser.

Groups and their model permissions are created from this module by the data
migration ``platform_site.0001_roles`` and kept in step after every ``migrate``
(``sync_after_migrate``). Never edit groups by hand in the admin: change this
file instead. Views and the API ask ``platform_site.permissions``, which reads
the same names.
"""

from __future__ import annotations

import enum
import logging

logger = logging.getLogger(__name__)

EXPERT_GROUP = "Expert"
CURATOR_GROUP = "Curator"


class Role(enum.StrEnum):
    ANONYMOUS = "anonymous"
    PENDING = "pending"
    EXPERT = "expert"
    CURATOR = "curator"
    ADMIN = "admin"


# Models curators manage in the admin, "app_label.modelname" -> allowed actions.
# Each app adds its curation models here (one line per model).
ALL_ACTIONS = ("view", "add", "change", "delete")
CURATION_MODELS: dict[str, tuple[str, ...]] = {
    "experts.expertprofile": ("view", "change"),
    "experts.knowledgearticle": ALL_ACTIONS,
    "experts.expertisearea": ALL_ACTIONS,
    "experts.contactmessage": ("view", "change", "delete"),
    "experts.cataloguelink": ("view", "change", "delete"),
    "trials.product": ALL_ACTIONS,
    "trials.trial": ALL_ACTIONS,
    "trials.trialidentifier": ALL_ACTIONS,
    "trials.sheetcell": ALL_ACTIONS,
    "trials.location": ALL_ACTIONS,
    "trials.disease": ALL_ACTIONS,
    "trials.target": ALL_ACTIONS,
    "trials.patientcohort": ALL_ACTIONS,
    "facilities.facility": ALL_ACTIONS,
    "facilities.authorisation": ALL_ACTIONS,
    "facilities.facilitycorrection": ("view", "change"),
    "facilities.manufacturingsitelink": ALL_ACTIONS,
    "facilities.facilitycontact": ALL_ACTIONS,
    "facilities.serviceoffer": ALL_ACTIONS,
    "facilities.manufacturingneed": ("view", "change"),
    "facilities.enquiry": ("view",),
    "facilities.importjob": ("view",),
    # Knowledge sharing (experts/knowledge)
    "knowledge.casestudy": ALL_ACTIONS,
    "knowledge.milestone": ALL_ACTIONS,
    "knowledge.regulatoryroute": ALL_ACTIONS,
    "knowledge.countryswot": ALL_ACTIONS,
    "knowledge.hurdle": ALL_ACTIONS,
    "knowledge.resource": ALL_ACTIONS,
    "knowledge.question": ("view", "change"),
    "knowledge.event": ALL_ACTIONS,
    "knowledge.newspost": ALL_ACTIONS,
    "knowledge.report": ("view",),
    "knowledge.moderationaction": ("view",),
}

# Experts work through the site's own pages, never the admin, so their group
# carries no model permissions; object-level rules live in permissions.py.
GROUP_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    CURATOR_GROUP: CURATION_MODELS,
    EXPERT_GROUP: {},
}


def declared_codenames(group: str) -> set[tuple[str, str]]:
    """(app_label, codename) pairs the declaration grants to `group`."""
    pairs = set()
    for model_label, actions in GROUP_PERMISSIONS[group].items():
        app_label, model_name = model_label.split(".")
        pairs.update((app_label, f"{action}_{model_name}") for action in actions)
    return pairs


def sync_groups(apps=None, using: str = "default") -> list[str]:
    """Create the groups and set exactly the declared permissions.

    Works with the live app registry and with a migration's historical one.
    Returns the declared permissions that do not exist (yet) in the database.
    """
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    missing: list[str] = []
    for group_name in GROUP_PERMISSIONS:
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        wanted = declared_codenames(group_name)
        found = list(
            Permission.objects.using(using).filter(
                content_type__app_label__in={app for app, _ in wanted},
                codename__in={code for _, code in wanted},
            )
        )
        found = [p for p in found if (p.content_type.app_label, p.codename) in wanted]
        have = {(p.content_type.app_label, p.codename) for p in found}
        missing += [f"{app}.{code}" for app, code in sorted(wanted - have)]
        group.permissions.set(found)
    return missing


def sync_after_migrate(sender, using="default", apps=None, **kwargs) -> None:
    """post_migrate hook: runs for each app; the last call sees every permission."""
    missing = sync_groups(using=using)
    if missing and sender.label == "economics":
        logger.warning("Declared permissions not in the database: %s", ", ".join(missing))
