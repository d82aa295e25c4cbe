"""A member's data: "download my data" and "delete my account".

Deleting an account removes the person, not their work: records they contributed
(products, articles, evaluations, corrections) and every history row they made are
handed to one shared "former member" account, so they stay attributed without naming
anyone. What is only about the person goes: the profile and photo, e-mail addresses,
messages, facility and catalogue links, sessions, login attempts, and task results that
carried their address or name.
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import serializers
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_celery_results.models import TaskResult

FORMER_MEMBER_EMAIL = "former-member@atmp-platform.invalid"

# Rows that are only about the person: deleted with the account, never handed over.
PERSONAL_MODELS = {
    "account.emailaddress",
    "experts.contactmessage",
    "facilities.facilitycontact",
    "facilities.manufacturingneed",  # an open request answered by e-mail to its owner: meaningless without them
    # Knowledge sharing: who took part in a case, followed, was routed a question or marked an answer helpful.
    # (Helpful marks are one per person and answer: handing them to one account would merge them.)
    "knowledge.casestudyexpert",
    "knowledge.digestnotice",
    "knowledge.helpfulmark",
    "knowledge.questionfollow",
    "knowledge.questionrouting",
    "knowledge.topicfollow",
}


def former_member():
    """The one inactive account that contributions of deleted members are attributed to."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=FORMER_MEMBER_EMAIL, defaults={"first_name": "Former", "last_name": "member", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _user_relations(include_personal: bool):
    """(model, field name) of every foreign key to the user model, history tables included."""
    User = get_user_model()
    for relation in User._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        if relation.many_to_many or relation.one_to_one:
            continue  # group memberships and the profile go with the account
        model = relation.related_model
        if model._meta.auto_created:
            continue  # the user's group and permission join tables
        if (model._meta.label_lower in PERSONAL_MODELS) != include_personal:
            continue
        yield model, relation.field.name


def account_export(user) -> dict:
    """Everything held about the member: account, profile, messages, links and every record naming them."""
    from .models import ContactMessage

    profile = user.profile
    received = ContactMessage.objects.filter(recipient=profile).select_related("sender__profile")
    data = {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "groups": list(user.groups.values_list("name", flat=True)),
        },
        "profile": _fields(profile, exclude={"user"}),
        "expertise_areas": list(profile.expertise_areas.values_list("name", flat=True)),
        "catalogue_links": [_fields(link) for link in profile.catalogue_links.all()],
        "messages_received": [
            {
                # The sender's address only when they shared it with this recipient.
                "from": m.sender.profile.name,
                "sender_email": m.sender.email if m.share_email else None,
                **_fields(m, exclude={"sender", "recipient", "public_id"}),
            }
            for m in received
        ],
        "messages_sent": [
            {"to": m.recipient.name, **_fields(m, exclude={"sender", "recipient", "public_id"})}
            for m in ContactMessage.objects.filter(sender=user).select_related("recipient__user")
        ],
        # Contributions, evaluations, history rows, facility contacts: every row that points to the member.
        "records": {},
    }
    for personal in (True, False):
        for model, field in _user_relations(include_personal=personal):
            if model is ContactMessage:
                continue
            rows = list(model._default_manager.filter(**{field: user}))
            if rows:
                data["records"][f"{model._meta.label} ({field})"] = [_fields(row) for row in rows]
    return data


def _fields(obj, exclude=frozenset()) -> dict:
    serialised = serializers.serialize("python", [obj])[0]
    fields = {k: v for k, v in serialised["fields"].items() if k not in exclude}
    return {"id": serialised["pk"], **fields}


@transaction.atomic
def account_delete(*, user) -> None:
    """Remove the person; keep their contributions under "former member". See the module docstring."""
    from .models import ExpertProfile

    profile = ExpertProfile.objects.filter(user=user).first()
    names = {n for n in (user.email, user.get_full_name(), profile.display_name if profile else "") if n}
    former = former_member()
    for model, field in _user_relations(include_personal=False):
        rows = model._default_manager.filter(**{field: user})
        try:
            with transaction.atomic():
                rows.update(**{field: former})
        except IntegrityError:
            rows.delete()  # one-per-member rows (e.g. a vote) that the former member already holds
    _forget_admin_log(user, profile)
    _forget_traces(user, names)
    if profile and profile.photo:
        photo = profile.photo.name
        storage = profile._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(photo))
    user.delete()


def _forget_admin_log(user, profile) -> None:
    """Admin log rows about the person's account or profile carry their name in object_repr."""
    targets = [(get_user_model(), user.pk)] + ([(type(profile), profile.pk)] if profile else [])
    for model, pk in targets:
        content_type = ContentType.objects.get_for_model(model)
        LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(object_repr="former member")


def _forget_traces(user, names: set[str]) -> None:
    """Sessions, login attempts and task results (e-mails sent to the person hold address and name)."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()
    mentions = Q()
    for name in names:
        mentions |= Q(task_args__icontains=name) | Q(task_kwargs__icontains=name) | Q(result__icontains=name)
    TaskResult.objects.filter(mentions).delete()
