"""The trials benchmark catalogue (100,000 trials) plus 10,000 fictional knowledge items."""

from __future__ import annotations

import os
import random
import time

import pytest
from django.utils import timezone

from bench.trials.generate import DISEASE_WORDS, TARGETS, generate, remove

PRODUCTS = int(os.environ.get("TRIALS_BENCH_PRODUCTS", "20000"))
KNOWLEDGE_ITEMS = int(os.environ.get("KNOWLEDGE_BENCH_ITEMS", "10000"))
PREFIX = "BENCHKN-"


def generate_knowledge(items: int, seed: int = 13) -> dict:
    """Equal shares of case studies, resources, questions, events and articles; bulk inserts."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from experts.knowledge.models import CaseStudy, Event, Question, Resource
    from experts.models import KnowledgeArticle

    started = time.perf_counter()
    rng = random.Random(seed)
    author, _ = get_user_model().objects.get_or_create(email="bench-knowledge@example.invalid")
    share = items // 5
    now = timezone.now()

    def text(i):
        disease, _area = rng.choice(DISEASE_WORDS)
        return f"{PREFIX}{i:05d} {disease} {rng.choice(TARGETS)}", f"Fictional notes on {disease}. " * 20

    def rows(model, build):
        model.objects.bulk_create([build(i, *text(i)) for i in range(share)], batch_size=2000)

    rows(CaseStudy, lambda i, t, body: CaseStudy(title=t, slug=f"benchkn-{i}", lessons=body, indication=t[-30:],
                                                 curation_status="published", owner=author))  # fmt: skip
    rows(Resource, lambda i, t, body: Resource(title=t, kind="guideline", description=body,
                                               curation_status="published"))  # fmt: skip
    rows(Question, lambda i, t, body: Question(title=t, body=body, author=author, routed_at=now))
    rows(Event, lambda i, t, body: Event(title=t, kind="webinar", description=body, starts_at=now, ends_at=now,
                                         organiser="Bench", place="Nowhere"))  # fmt: skip
    rows(KnowledgeArticle, lambda i, t, body: KnowledgeArticle(title=t, body=body, topic="regulatory", author=author,
                                                               status="published", published_at=now))  # fmt: skip
    from experts.knowledge.search_index import SOURCES, refresh_search_documents

    for kind in SOURCES:  # bulk inserts send no signals: fill the stored vectors as a bulk import would
        refresh_search_documents(kind)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"items": share * 5, "seconds": round(time.perf_counter() - started, 1)}


def remove_knowledge() -> None:
    from experts.knowledge.models import CaseStudy, Event, Question, Resource
    from experts.models import KnowledgeArticle

    for model in (CaseStudy, Resource, Question, Event, KnowledgeArticle):
        model.objects.filter(title__startswith=PREFIX).delete()


@pytest.fixture(scope="session")
def big_portal(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        trials = generate(products=PRODUCTS)
        knowledge = generate_knowledge(KNOWLEDGE_ITEMS)
        print(f"\ngenerated {trials['trials']} trials and {knowledge['items']} knowledge items")
        yield {"trials": trials, "knowledge": knowledge}
        remove_knowledge()
        remove(trials)
