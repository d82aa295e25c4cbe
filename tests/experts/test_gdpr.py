"""Download my data, and delete my account: no e-mail address or name of the person is left anywhere."""

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_celery_results.models import TaskResult

from economics.models import Evaluation
from experts.gdpr import FORMER_MEMBER_EMAIL
from experts.models import CatalogueLink, ContactMessage, ExpertProfile, KnowledgeArticle
from facilities.contacts import FacilityContact
from facilities.models import FacilityCorrection
from tests.conftest import make_user
from tests.experts.conftest import make_profile
from tests.facilities.helpers import make_facility
from trials.models import CurationStatus, Product

pytestmark = pytest.mark.django_db

EMAIL = "greta.gone@example.org"
TRACES = (EMAIL, "Greta", "Gonzaga")


@pytest.fixture
def greta(cast):
    """An expert with a bit of everything: contributions, history, messages, links, a photo, a session."""
    user = make_user(EMAIL, role="expert", first_name="Greta", last_name="Gonzaga")
    profile = user.profile
    profile.display_name = "Dr Greta Gonzaga"
    profile.bio = "Greta works on vectors."
    profile.is_public = True
    profile.photo.save("p.jpg", ContentFile(b"jpeg"), save=False)
    profile.save()
    product = Product(name="GDPR-ATMP", curation_status=CurationStatus.PUBLISHED, owner=user)
    product._history_user = user
    product.save()
    product.name = "GDPR-ATMP v2"
    product.save()
    KnowledgeArticle.objects.create(title="Vector tips", body="Text", topic="cmc_gmp", author=user)
    Evaluation.objects.create(owner=user, name="My rNPV", inputs={})
    facility = make_facility("GDPR Unit")
    correction = FacilityCorrection(facility=facility, proposed_by=user, changes={"city": "Bonn"}, reason="Moved")
    correction._history_user = user
    correction.save()
    FacilityContact.objects.create(facility=facility, user=user, role="QA (Greta)", confirmed_at=timezone.now())
    other = make_profile("other@example.org", display_name="Otto Other")
    ContactMessage.objects.create(sender=user, recipient=other, subject="Hello from Greta", body="Hi Otto, Greta")
    ContactMessage.objects.create(sender=other.user, recipient=profile, subject="Hi", body="Dear Greta Gonzaga")
    CatalogueLink.objects.create(profile=profile, product=product, role="developer")
    AccessAttempt.objects.create(username=EMAIL, ip_address="127.0.0.1", user_agent="x", failures_since_start=1)
    TaskResult.objects.create(task_id="t1", task_args=f"('{EMAIL}', 'Hello Dr Greta Gonzaga')", status="SUCCESS")
    LogEntry.objects.create(
        user=cast["curator"], content_type=ContentType.objects.get_for_model(ExpertProfile),
        object_id=str(profile.pk), object_repr=str(profile), action_flag=CHANGE, change_message="[]",
    )  # fmt: skip
    return user


def _logged_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_download_my_data_holds_profile_messages_contributions_evaluations_and_links(client, greta):
    response = _logged_in(client, greta).get("/experts/me/data.json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == EMAIL
    assert data["profile"]["display_name"] == "Dr Greta Gonzaga"
    assert [m["subject"] for m in data["messages_sent"]] == ["Hello from Greta"]
    assert data["messages_sent"][0]["to"] == "Otto Other"
    assert [m["subject"] for m in data["messages_received"]] == ["Hi"]
    assert data["messages_received"][0]["sender_email"] is None  # not shared by its sender
    assert [link["role"] for link in data["catalogue_links"]] == ["developer"]
    records = data["records"]
    assert records["economics.Evaluation (owner)"][0]["name"] == "My rNPV"
    assert records["trials.Product (owner)"][0]["name"] == "GDPR-ATMP v2"
    assert records["experts.KnowledgeArticle (author)"][0]["title"] == "Vector tips"
    assert records["facilities.FacilityCorrection (proposed_by)"][0]["reason"] == "Moved"
    assert len(records["trials.HistoricalProduct (history_user)"]) == 2
    assert records["facilities.FacilityContact (user)"][0]["role"] == "QA (Greta)"


def _database_text_containing(needles) -> list[str]:
    """Every table and column whose text holds any needle (case-insensitive): the whole database."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = str(value).lower() if value is not None else ""
                    found += [f"{table}.{column}: {needle}" for needle in needles if needle.lower() in text]
    return found


def test_delete_my_account_leaves_no_email_or_name_and_keeps_contributions(
    client, greta, settings, django_capture_on_commit_callbacks
):
    assert _database_text_containing(TRACES)  # the scan does see the person before
    photo_dir = settings.EXPERTS_PHOTO_DIR
    assert list(photo_dir.iterdir())
    _logged_in(client, greta)
    refused = client.post("/experts/me/delete/", {"email": "someone-else@example.org"})
    assert refused.status_code == 200 and ExpertProfile.objects.filter(user=greta).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/experts/me/delete/", {"email": EMAIL.upper()})
    assert response.status_code == 302

    assert _database_text_containing(TRACES) == []
    assert list(photo_dir.iterdir()) == []
    # Contributions stay, attributed to the former member; so does every history row.
    product = Product.objects.get(name="GDPR-ATMP v2")
    assert str(product.owner) == "Former member" and product.owner.email == FORMER_MEMBER_EMAIL
    assert {h.history_user.email for h in product.history.all()} == {FORMER_MEMBER_EMAIL}
    assert KnowledgeArticle.objects.get(title="Vector tips").author.email == FORMER_MEMBER_EMAIL
    assert Evaluation.objects.get(name="My rNPV").owner.email == FORMER_MEMBER_EMAIL
    assert FacilityCorrection.objects.get().proposed_by.email == FORMER_MEMBER_EMAIL
    # Personal rows are gone; the former member can never sign in nor wait for approval.
    assert not ContactMessage.objects.exists() and not CatalogueLink.objects.exists()
    assert not FacilityContact.objects.exists()
    assert not ExpertProfile.objects.pending().filter(user__email=FORMER_MEMBER_EMAIL).exists()
    # Sessions are ended: the same browser is signed out.
    assert client.get("/experts/me/").status_code == 302


def test_a_second_deletion_reuses_the_former_member(client, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    for email in ("one@example.org", "two@example.org"):
        user = make_user(email, role="expert")
        Evaluation.objects.create(owner=user, name=f"Eval {email}", inputs={})
        with django_capture_on_commit_callbacks(execute=True):
            _logged_in(client, user).post("/experts/me/delete/", {"email": email})
    assert get_user_model().objects.filter(email=FORMER_MEMBER_EMAIL).count() == 1
    assert Evaluation.objects.filter(owner__email=FORMER_MEMBER_EMAIL).count() == 2
