"""The records the accessibility tests visit: the demo content, a shared evaluation and its finished jobs."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

EXPERT_EMAIL = "expert@demo.atmp-platform.invalid"  # the demo expert (platform_site/demo.py)
CURATOR_EMAIL = "curator@demo.atmp-platform.invalid"  # the demo curator
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class SeededSite:
    url: str
    expert_session: str  # session cookie of the signed-in demo expert
    curator_session: str  # session cookie of the signed-in demo curator
    product: str
    facility: str
    expert_profile: int
    article: int
    evaluation: int
    shared_token: str
    monte_carlo_job: int
    tornado_job: int
    trial: str  # a registry number (/trials/<registry id>/)
    trial_pk: int
    case_study: str
    resource: int
    event: int
    news: int
    question: int
    need: int
    enquiry: int
    revision: int
    correction: int

    def cookies(self, session: str | None = None) -> list[dict]:
        return [{"name": settings.SESSION_COOKIE_NAME, "value": session or self.expert_session, "url": self.url}]


def seed_site(url: str) -> SeededSite:
    from economics import services as economics
    from economics.models import Evaluation, JobKind, Visibility
    from experts.knowledge.models import CaseStudy, Event, NewsPost, Question, Resource
    from experts.models import ExpertProfile, KnowledgeArticle
    from facilities import hub_queries, hub_services
    from facilities.hub_models import ManufacturingNeed
    from facilities.models import Facility, FacilityCorrection
    from platform_site.celery import app
    from trials.models import Product, Trial
    from trials.revisions import revision_propose

    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("load_demo", stdout=io.StringIO())
    expert = get_user_model().objects.get(email=EXPERT_EMAIL)
    evaluation = Evaluation.objects.filter(owner=expert).earliest("pk")
    # Shared by link: anonymous visitors see its results at /economics/shared/<token>/.
    economics.evaluation_share(evaluation=evaluation, visibility=Visibility.LINK)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # finished before the first page, broker or not
    try:
        monte_carlo = economics.job_start(evaluation=evaluation, user=expert, kind=JobKind.MONTE_CARLO, n=2000, seed=7)
        tornado = economics.job_start(evaluation=evaluation, user=expert, kind=JobKind.SENSITIVITY_ONE_WAY)
        # A manufacturing need sent to its best match: the enquiry a facility's contact (or a curator) answers.
        need = ManufacturingNeed.objects.order_by("pk").first()
        matches = [ranked.match for ranked in hub_queries.ranked_facilities(need)]
        enquiry = hub_services.enquiries_send(need=need, facility_ids=[matches[0].facility_id], matches=matches)[0]
    finally:
        app.conf.task_always_eager = eager
    sessions = {}
    for email in (EXPERT_EMAIL, CURATOR_EMAIL):
        browser_client = Client()
        user = get_user_model().objects.get(email=email)
        browser_client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        sessions[email] = browser_client.cookies[settings.SESSION_COOKIE_NAME].value
    trial = Trial.objects.public().exclude(primary_identifier="").order_by("pk").first()
    product = Product.objects.public().filter(trials__isnull=False).order_by("name").first()
    with transaction.atomic():  # a change to a published product, waiting in the curators' review queue
        revision = revision_propose(
            product=product, data={"name": f"{product.name} (revised)"}, trials=[], user=expert, reason="", source="web"
        )
    return SeededSite(
        url=url,
        expert_session=sessions[EXPERT_EMAIL],
        curator_session=sessions[CURATOR_EMAIL],
        product=product.slug,
        facility=Facility.objects.public().order_by("name").first().slug,
        expert_profile=ExpertProfile.objects.public().order_by("pk").first().pk,
        article=KnowledgeArticle.objects.filter(author=expert).order_by("pk").first().pk,
        evaluation=evaluation.pk,
        shared_token=evaluation.share_token,
        monte_carlo_job=monte_carlo.pk,
        tornado_job=tornado.pk,
        trial=trial.primary_identifier,
        trial_pk=trial.pk,
        case_study=CaseStudy.objects.public().order_by("pk").first().slug,
        resource=Resource.objects.public().order_by("pk").first().pk,
        event=Event.objects.order_by("pk").first().pk,
        news=NewsPost.objects.order_by("pk").first().pk,
        question=Question.objects.order_by("pk").first().pk,
        need=need.pk,
        enquiry=enquiry.pk,
        revision=revision.pk,
        correction=FacilityCorrection.objects.order_by("pk").first().pk,
    )
