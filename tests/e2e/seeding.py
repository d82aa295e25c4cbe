"""The records the accessibility tests visit: the demo content, a shared evaluation and its finished jobs."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings

EXPERT_EMAIL = "expert@demo.atmp-platform.invalid"  # the demo expert (platform_site/demo.py)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class SeededSite:
    url: str
    expert_session: str  # session cookie of the signed-in demo expert
    product: str
    facility: str
    expert_profile: int
    article: int
    evaluation: int
    shared_token: str
    monte_carlo_job: int
    tornado_job: int

    def cookies(self) -> list[dict]:
        return [{"name": settings.SESSION_COOKIE_NAME, "value": self.expert_session, "url": self.url}]


def seed_site(url: str) -> SeededSite:
    from economics import services as economics
    from economics.models import Evaluation, JobKind, Visibility
    from experts.models import ExpertProfile, KnowledgeArticle
    from facilities.models import Facility
    from platform_site.celery import app
    from trials.models import Product

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
    finally:
        app.conf.task_always_eager = eager
    browser_client = Client()
    browser_client.force_login(expert, backend="django.contrib.auth.backends.ModelBackend")
    product = Product.objects.public().filter(trials__isnull=False).order_by("name").first()
    return SeededSite(
        url=url,
        expert_session=browser_client.cookies[settings.SESSION_COOKIE_NAME].value,
        product=product.slug,
        facility=Facility.objects.public().order_by("name").first().slug,
        expert_profile=ExpertProfile.objects.public().order_by("pk").first().pk,
        article=KnowledgeArticle.objects.filter(author=expert).order_by("pk").first().pk,
        evaluation=evaluation.pk,
        shared_token=evaluation.share_token,
        monte_carlo_job=monte_carlo.pk,
        tornado_job=tornado.pk,
    )
