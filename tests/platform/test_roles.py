import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from experts.services import expert_approve
from platform_site import permissions, roles
from platform_site.roles import Role


@pytest.mark.django_db
def test_every_declared_permission_exists_after_migrate():
    assert roles.sync_groups() == []


@pytest.mark.django_db
def test_groups_hold_exactly_the_declared_permissions():
    curator_group = Group.objects.get(name=roles.CURATOR_GROUP)
    granted = {(p.content_type.app_label, p.codename) for p in curator_group.permissions.all()}
    assert granted == roles.declared_codenames(roles.CURATOR_GROUP)
    assert not Group.objects.get(name=roles.EXPERT_GROUP).permissions.exists()


@pytest.mark.django_db
def test_a_permission_added_by_hand_is_removed_by_the_next_sync():
    from django.contrib.auth.models import Permission

    curator_group = Group.objects.get(name=roles.CURATOR_GROUP)
    curator_group.permissions.add(Permission.objects.get(codename="delete_user"))
    roles.sync_groups()
    assert not curator_group.permissions.filter(codename="delete_user").exists()


@pytest.mark.django_db
def test_role_of_each_cast_member(cast):
    assert permissions.role_of(AnonymousUser()) == Role.ANONYMOUS
    expected = {"pending": Role.PENDING, "expert": Role.EXPERT, "owner": Role.EXPERT, "curator": Role.CURATOR}
    for name, role in expected.items():
        assert permissions.role_of(cast[name]) == role, name
    assert permissions.role_of(cast["admin"]) == Role.ADMIN


@pytest.mark.django_db
def test_staff_without_the_curator_group_is_not_a_curator(expert):
    expert.is_staff = True
    expert.save()
    assert not permissions.is_curator(expert)
    assert permissions.is_expert(expert)


@pytest.mark.django_db
def test_inactive_users_lose_every_role(curator):
    curator.is_active = False
    assert not permissions.is_curator(curator) and not permissions.is_expert(curator)


class _Record:
    def __init__(self, owner_id):
        self.owner_id = owner_id


@pytest.mark.django_db
def test_can_edit_owner_or_curator_only(cast):
    record = _Record(owner_id=cast["owner"].pk)
    assert permissions.can_edit(cast["owner"], record)
    assert permissions.can_edit(cast["curator"], record)
    assert permissions.can_edit(cast["admin"], record)
    assert not permissions.can_edit(cast["expert"], record)
    assert not permissions.can_edit(AnonymousUser(), record)
    # An owner whose expert status was revoked can no longer edit.
    cast["owner"].groups.clear()
    del cast["owner"]._platform_groups
    assert not permissions.can_edit(cast["owner"], record)


@pytest.mark.django_db
def test_view_decorators_redirect_anonymous_and_forbid_the_wrong_role(cast):
    @permissions.curator_required
    def curation_view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    request = factory.get("/curate/")
    request.user = AnonymousUser()
    assert curation_view(request).status_code == 302
    request.user = cast["expert"]
    with pytest.raises(PermissionDenied):
        curation_view(request)
    request.user = cast["curator"]
    assert curation_view(request).status_code == 200


@pytest.mark.django_db
def test_approving_a_pending_user_makes_them_an_expert_and_mails_them(
    pending_user, curator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert expert_approve(profile=pending_user.profile, approved_by=curator) is True
    pending_user.refresh_from_db()
    assert permissions.role_of(pending_user) == Role.EXPERT
    assert pending_user.profile.approved_by == curator
    assert mail.outbox[-1].to == [pending_user.email]
    assert "approved" in mail.outbox[-1].body
    # A second approval is a no-op and sends nothing.
    sent = len(mail.outbox)
    assert expert_approve(profile=pending_user.profile, approved_by=curator) is False
    assert len(mail.outbox) == sent


@pytest.mark.django_db
def test_curator_approves_through_the_admin_action(client_for, pending_user, django_capture_on_commit_callbacks):
    client = client_for("curator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/experts/expertprofile/",
            {"action": "approve_experts", "_selected_action": [pending_user.profile.pk]},
            follow=True,
        )
    assert response.status_code == 200
    pending_user.profile.refresh_from_db()
    assert pending_user.profile.is_approved
    assert mail.outbox[-1].to == [pending_user.email]
