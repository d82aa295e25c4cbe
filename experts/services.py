"""Every write to profiles, messages and catalogue links goes through one function here.

Views, the API, the admin and the demo loader call these; none writes the models directly.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from platform_site.notifications import notify_user
from platform_site.roles import EXPERT_GROUP

from .models import CatalogueLink, ContactMessage, ExpertProfile


class ContactRefused(Exception):
    """The message cannot be sent; the text says why, in words a member understands."""


@transaction.atomic
def expert_approve(*, profile: ExpertProfile, approved_by, notify: bool = True) -> bool:
    """Make the profile's user an expert and e-mail them (demo accounts are not). False if already approved."""
    if profile.is_approved:
        return False
    profile.mark_approved(approved_by)
    profile.save(update_fields=["approved_at", "approved_by", "updated_at"])
    profile.user.groups.add(Group.objects.get(name=EXPERT_GROUP))
    if not notify:
        return True
    notify_user(
        profile.user,
        subject="You are now an expert on the ATMP Expert Platform",
        template="experts/email/approved.txt",
        context={"profile": profile, "path": reverse("experts:me")},
    )
    return True


@transaction.atomic
def expert_revoke(*, profile: ExpertProfile) -> None:
    profile.approved_at = None
    profile.approved_by = None
    profile.save(update_fields=["approved_at", "approved_by", "updated_at"])
    profile.user.groups.remove(Group.objects.get(name=EXPERT_GROUP))


@transaction.atomic
def profile_update(
    *, profile: ExpertProfile, fields: dict, expertise_areas=None, photo=None, remove_photo: bool = False
) -> ExpertProfile:
    """Save the owner's changes. `photo` is an already validated and re-encoded file (experts.photos)."""
    for name, value in fields.items():
        setattr(profile, name, value)
    old_photo = profile.photo.name if profile.photo else ""
    if photo is not None:
        profile.photo.save("photo.jpg", photo, save=False)
    elif remove_photo:
        profile.photo = ""
    profile.full_clean(exclude=["user", "photo"])
    profile.save()
    if expertise_areas is not None:
        profile.expertise_areas.set(expertise_areas)
    if old_photo and (photo is not None or remove_photo):
        storage = profile._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return profile


@transaction.atomic
def contact_message_send(*, sender, recipient: ExpertProfile, subject: str, body: str, share_email: bool):
    """Store the message and e-mail it from a worker once committed. Raises ContactRefused."""
    from .tasks import deliver_contact_message

    # Lock the recipient's row: two messages at once cannot both slip under the limits.
    recipient = ExpertProfile.objects.select_for_update().select_related("user").get(pk=recipient.pk)
    if not recipient.can_be_contacted_by(sender):
        raise ContactRefused("This expert does not accept messages through the platform.")
    if ContactMessage.objects.sender_over_limit(sender):
        raise ContactRefused("You have sent the most messages allowed in one hour. Please try again later.")
    if ContactMessage.objects.recipient_over_limit(recipient):
        raise ContactRefused("This expert has received many messages today. Please try again tomorrow.")
    message = ContactMessage.objects.create(
        sender=sender, recipient=recipient, subject=subject, body=body, share_email=share_email
    )
    transaction.on_commit(lambda: deliver_contact_message.delay(message.pk))
    return message


@transaction.atomic
def contact_message_report(*, message: ContactMessage, reason: str) -> ContactMessage:
    """The recipient flags a message; curators find it under "Reported" in the admin."""
    message.reported_at = message.reported_at or timezone.now()
    message.report_reason = reason
    message.save(update_fields=["reported_at", "report_reason"])
    return message


@transaction.atomic
def contact_message_report_handle(*, message: ContactMessage) -> None:
    message.report_handled_at = timezone.now()
    message.save(update_fields=["report_handled_at"])


@transaction.atomic
def contact_switch(*, profile: ExpertProfile, enabled: bool) -> None:
    profile.contact_enabled = enabled
    profile.save(update_fields=["contact_enabled", "updated_at"])


@transaction.atomic
def catalogue_link_claim(*, profile: ExpertProfile, product, role: str, trial=None, note: str = "") -> CatalogueLink:
    """An expert's claim to a role on a product (or one of its trials); a curator confirms it."""
    if trial is not None and trial.product_id != product.pk:
        raise ValueError("The trial belongs to another product.")
    link, _created = CatalogueLink.objects.get_or_create(
        profile=profile, product=product, trial=trial, role=role, defaults={"note": note}
    )
    return link


@transaction.atomic
def catalogue_link_confirm(*, link: CatalogueLink, confirmed_by, notify: bool = True) -> bool:
    if link.is_confirmed:
        return False
    link.confirmed_at = timezone.now()
    link.confirmed_by = confirmed_by
    link.save(update_fields=["confirmed_at", "confirmed_by"])
    if not notify:
        return True
    notify_user(
        link.profile.user,
        subject="Your role on an ATMP record was confirmed",
        template="experts/email/link_confirmed.txt",
        context={"link": link, "profile": link.profile, "path": link.product.get_absolute_url()},
    )
    return True


@transaction.atomic
def catalogue_link_withdraw(*, link: CatalogueLink) -> None:
    """The expert withdraws a claim, or a curator rejects it: the link is gone either way."""
    link.delete()
