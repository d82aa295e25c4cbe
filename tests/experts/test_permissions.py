"""The permission matrix: every experts URL x every role. The profile under test is the owner's."""

import pytest

from experts.models import CatalogueLink, ContactMessage
from tests.matrix import LOGIN, check_row, public, row
from trials.models import CurationStatus, Product, Trial

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = 302


def _rows(cast):
    owner = cast["owner"].profile
    owner.is_public = True
    owner.display_name = "Olga Owner"
    owner.save()
    unlisted = cast["expert"].profile  # approved, not listed for everyone
    pending = cast["pending"].profile
    product = Product.objects.create(name="MATRIX-ATMP", curation_status=CurationStatus.PUBLISHED)
    Trial.objects.create(product=product, column_index=0, title="Matrix trial")
    draft = Product.objects.create(name="MATRIX-DRAFT", curation_status=CurationStatus.DRAFT)
    link = CatalogueLink.objects.create(profile=owner, product=product, role="advisor")
    message = ContactMessage.objects.create(sender=cast["expert"], recipient=owner, subject="Hello", body="Hi")
    signed_in = dict(anonymous=LOGIN, pending=200, expert=200, owner=200, curator=200, admin=200)
    experts_only = dict(anonymous=LOGIN, pending=403, expert=200, owner=200, curator=200, admin=200)
    staff_only = dict(
        anonymous=ADMIN_LOGIN, pending=ADMIN_LOGIN, expert=ADMIN_LOGIN, owner=ADMIN_LOGIN, curator=200, admin=200
    )
    return [
        # The directory and its API, including malformed and empty filter values.
        public("/experts/"),
        public("/experts/?q=olga&country=DE&area=car-t&atmp_type=gtmp&language=de&availability=mentoring"),
        public("/experts/?country=&area=&language=&page=x&stakeholder_type=nope"),
        public("/api/experts/"),
        public("/api/experts/?country=&language=&area="),
        public("/api/experts/?country=DE&atmp_type=sctmp&availability=speaking&q=cell"),
        public("/api/experts/?atmp_type=potion", 400),
        public(f"/api/experts/{owner.pk}/"),
        row(f"/api/experts/{unlisted.pk}/", 404, 404, 200, 200, 200, 200),
        row(f"/api/experts/{pending.pk}/", 404, 404, 404, 404, 404, 404),
        row("/api/experts/", 403, 405, 405, 405, 405, 405, method="post", data={"name": "x"}),
        # Profiles: listed ones for all, unlisted for experts, pending ones for their owner and curators.
        public(f"/experts/{owner.pk}/"),
        row(f"/experts/{unlisted.pk}/", 404, 404, 200, 200, 200, 200),
        row(f"/experts/{pending.pk}/", 404, 200, 404, 404, 200, 200),
        public("/experts/999999/", 404),
        public(f"/experts/{owner.pk}/photo/", 404),  # no photo uploaded
        # The owner's own pages.
        row("/experts/me/", **signed_in),
        row("/experts/me/data.json", **signed_in),
        row("/experts/me/delete/", **signed_in),
        row("/experts/me/delete/", **signed_in, method="post", data={"email": "not-mine@example.org"}),
        # Contact: signed-in members; never yourself (the owner's own profile is under test).
        row(f"/experts/{owner.pk}/contact/", LOGIN, 200, 200, 403, 200, 200),
        row(f"/experts/{owner.pk}/contact/", LOGIN, 200, 200, 403, 200, 200, method="post", data={"subject": ""}),
        row(f"/experts/{unlisted.pk}/contact/", LOGIN, 404, 403, 200, 200, 200),
        row(f"/experts/{pending.pk}/contact/", LOGIN, 403, 404, 404, 403, 403),
        row("/experts/messages/", **signed_in),
        row(f"/experts/messages/{message.public_id}/report/", LOGIN, 404, 404, 200, 404, 404),
        row(f"/experts/messages/{message.public_id}/report/", LOGIN, 404, 404, 200, 404, 404, "post", {"reason": ""}),
        # Catalogue role claims: approved experts, on published products only.
        row(f"/experts/claims/{product.slug}/", **experts_only),
        row(f"/experts/claims/{product.slug}/", **experts_only, method="post", data={"role": "bogus"}),
        row(f"/experts/claims/{draft.slug}/", LOGIN, 403, 404, 404, 404, 404),
        row(f"/experts/claims/{link.pk}/withdraw/", LOGIN, 405, 405, 405, 405, 405),
        row(f"/experts/claims/{link.pk}/withdraw/", LOGIN, 404, 404, 302, 404, 404, method="post"),
        # The product page shows confirmed roles.
        public(product.get_absolute_url()),
        # Curation in the admin.
        row("/admin/experts/expertprofile/", **staff_only),
        row("/admin/experts/expertprofile/?approval=pending", **staff_only),
        row("/admin/experts/expertisearea/", **staff_only),
        row("/admin/experts/contactmessage/", **staff_only),
        row("/admin/experts/contactmessage/?report=open", **staff_only),
        row(f"/admin/experts/contactmessage/{message.pk}/change/", **staff_only),
        row("/admin/experts/cataloguelink/", **staff_only),
    ]


def test_permission_matrix(cast, client_for):
    failures = []
    for matrix_row in _rows(cast):
        try:
            check_row(client_for, matrix_row)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
