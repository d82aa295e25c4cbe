"""Fictional, labelled knowledge content for the embedded demo. Safe to run again (looked up by title)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from experts.models import ExpertiseArea
from platform_site.curation import CurationStatus

from .models import (
    Answer,
    CaseStudy,
    CountrySwot,
    Event,
    Hurdle,
    Milestone,
    NewsPost,
    Question,
    RegulatoryRoute,
    Resource,
)

NOTE = "\n\n*Demo content: fictional, for demonstration only.*"

CASES = [
    {
        "title": "Demo: an academic CAR-T for B-cell lymphoma in three countries",
        "slug": "demo-academic-car-t",
        "summary": "A fictional hospital consortium takes an autologous CAR-T from first-in-human to phase 2.",
        "atmp_type": "gtmp_ex_vivo", "indication": "Relapsed B-cell lymphoma (fictional case)", "stage": "phase_2",
        "lessons": "- Plan **comparability** before scaling out.\n- Align the hospital exemption and trial paths early."
        + NOTE,
        "countries": ("DE", "ES", "NL"),
        "hurdles": [("manufacturing", "Vector supply delayed the first batches (fictional)."),
                    ("economic", "No tariff for academic CAR-T in the fictional payer system."),
                    ("regulatory", "GMO assessment took longer than the trial approval (fictional).")],
    },
    {
        "title": "Demo: a tissue-engineered cartilage product across borders",
        "slug": "demo-tissue-engineered-cartilage",
        "summary": "A fictional SME brings a matrix-based cartilage product to a multi-country phase 3.",
        "atmp_type": "tep", "indication": "Knee cartilage defects (fictional case)", "stage": "phase_3",
        "lessons": "Early HTA dialogue shaped the comparator choice." + NOTE,
        "countries": ("FR", "IT", "PL"),
        "hurdles": [("clinical", "Recruitment was slow where surgery is reimbursed differently (fictional)."),
                    ("societal", "Patients asked for shorter rehabilitation protocols (fictional).")],
    },
]  # fmt: skip

RESOURCES = [
    ("Demo: checklist before a scientific advice meeting", "template"),
    ("Demo: notes on GMO applications for ex vivo gene therapies", "guideline"),
    ("Demo: a national innovation office's first meeting, step by step", "advice"),
]


def _user(email):
    return get_user_model().objects.get(email=email)


def _cases(author, curator):
    for spec in CASES:
        spec = dict(spec)
        countries, hurdles = spec.pop("countries"), spec.pop("hurdles")
        case, created = CaseStudy.objects.get_or_create(
            slug=spec["slug"],
            defaults={**spec, "owner": author, "is_demo": True, "curation_status": CurationStatus.PUBLISHED,
                      "reviewed_by": curator, "reviewed_at": timezone.now(), "published_at": timezone.now()},
        )  # fmt: skip
        if not created:
            continue
        for n, country in enumerate(countries):
            CountrySwot.objects.create(
                case=case, country=country, strengths=f"Experienced trial sites (fictional, {country}).",
                weaknesses="Few GMP slots.", opportunities="Public research funding.", threats="Staff turnover.",
            )  # fmt: skip
            RegulatoryRoute.objects.create(
                case=case, country=country, authority="National authority (demo)", scientific_advice="used",
                outcome="Trial authorised (fictional)",
            )  # fmt: skip
            Milestone.objects.create(case=case, date=datetime.date(2021 + n, 3, 1), stage="phase_1",
                                     event=f"Trial opened in {country} (fictional)")  # fmt: skip
        for category, description in hurdles:
            Hurdle.objects.create(case=case, category=category, description=description)


def _thread(asker, answerer):
    question, created = Question.objects.get_or_create(
        title="Demo: how early should we plan comparability for an academic CAR-T?",
        defaults={"author": asker, "body": "We expect to move production to a new site before phase 2." + NOTE,
                  "atmp_type": "gtmp_ex_vivo", "is_demo": True, "routed_at": timezone.now()},
    )  # fmt: skip
    if created:
        question.topics.set(ExpertiseArea.objects.filter(slug__in=["car-t", "cmc-gmp-manufacturing"]))
        answer = Answer.objects.create(
            question=question, author=answerer, is_demo=True,
            body="Before the first patient: agree the critical quality attributes and keep retained samples." + NOTE,
        )  # fmt: skip
        question.accepted_answer = answer
        question.save(update_fields=["accepted_answer"])


def _events(curator):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for title, days, fields in [
        ("Demo webinar: potency assays for CAR-T", 21, {"kind": "webinar", "online_url": "https://example.org/demo-webinar"}),
        ("Demo workshop: hospital exemption in practice", -40, {"kind": "workshop", "place": "Demo Hall, Vienna"}),
        ("Demo conference: ATMP access in Europe", 90, {"kind": "conference", "place": "Demo Centre, Lisbon"}),
    ]:  # fmt: skip
        start = now + datetime.timedelta(days=days)
        Event.objects.get_or_create(
            title=title,
            defaults={**fields, "starts_at": start, "ends_at": start + datetime.timedelta(hours=3),
                      "time_zone": "Europe/Vienna", "organiser": "Demo Society (fictional)", "created_by": curator,
                      "description": "A fictional event." + NOTE, "is_demo": True},
        )  # fmt: skip
    NewsPost.objects.get_or_create(
        title="Demo: the knowledge section is open",
        defaults={"body": "Case studies, the resource library, questions and events are now online." + NOTE,
                  "author": curator, "published_at": timezone.now(), "is_demo": True},
    )  # fmt: skip


def load(*, stdout=None) -> None:
    expert, expert2 = _user("expert@demo.atmp-platform.invalid"), _user("expert2@demo.atmp-platform.invalid")
    curator = _user("curator@demo.atmp-platform.invalid")
    _cases(expert, curator)
    for title, kind in RESOURCES:
        Resource.objects.get_or_create(
            title=title, kind=kind,
            defaults={"description": "Fictional resource." + NOTE, "owner": curator, "is_demo": True,
                      "curation_status": CurationStatus.PUBLISHED},
        )  # fmt: skip
    _thread(expert, expert2)
    _events(curator)
